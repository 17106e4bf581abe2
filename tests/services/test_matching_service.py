"""Matching rounds, requests, answers, expiry and fallback, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.domain import match_messages as kinds
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.matches import MatchSource, MatchState, NewMatch, RoundState
from bot.domain.members import Member
from bot.domain.profiles import Profile, ProgramRole
from bot.services.matching import CAPACITY
from tests.support.ledger import build_engine

TEAM = "T111"
ADMIN = Member(team_id=TEAM, user_id="UADMIN", is_admin=True)


def mentor(user_id: str, *, track: str = "llm-apps", capacity: int = 1, **changes) -> Profile:
    base = Profile(
        team_id=TEAM,
        user_id=user_id,
        role=ProgramRole.MENTOR,
        background="ml-engineer",
        track=track,
        skills_offered=frozenset({"rag", "python"}),
        move_from="backend",
        move_to=track,
        timezone="Asia/Seoul",
        languages=frozenset({"ko", "en"}),
        capacity=capacity,
        intro="I moved from backend to LLM apps in 2024.",
    )
    return replace(base, **changes)


def mentee(user_id: str, *, track: str = "llm-apps", **changes) -> Profile:
    base = Profile(
        team_id=TEAM,
        user_id=user_id,
        role=ProgramRole.MENTEE,
        background="backend",
        track=track,
        skills_wanted=frozenset({"rag"}),
        move_from="backend",
        move_to=track,
        timezone="Asia/Seoul",
        languages=frozenset({"ko"}),
    )
    return replace(base, **changes)


@pytest.fixture
def harness(fake_slack, engine, clock):
    return build_engine(fake_slack, engine, clock)


@pytest.fixture
def matching(harness):
    return harness.services.matching


def store(harness, *profiles: Profile) -> None:
    with harness.services.deliveries._uow() as uow:
        for profile in profiles:
            uow.profiles.upsert(profile, harness.clock.now())
        uow.commit()


def deliveries(harness, kind: str | None = None):
    found = harness.services.deliveries.list(limit=1000)
    return sorted((d for d in found if kind is None or d.key.kind == kind), key=lambda d: d.id)


def person(user_id: str) -> Member:
    return Member(team_id=TEAM, user_id=user_id)


def open_match(harness, user_id: str):
    with harness.services.deliveries._uow() as uow:
        return uow.matches.open_for(TEAM, user_id)


def events(harness, match_id: int):
    with harness.services.deliveries._uow() as uow:
        return uow.matches.events(TEAM, match_id)


def test_only_admins_run_rounds(matching):
    with pytest.raises(NotAllowed):
        matching.run_round(person("U1"))


def test_a_round_is_a_preview_until_approved(harness, matching):
    store(
        harness,
        mentor("UM1"),
        mentor("UM2", track="mlops"),
        mentee("UE1"),
        mentee("UE2", track="mlops"),
    )

    preview = matching.run_round(ADMIN)

    assert {(p.mentor_id, p.mentee_id) for p in preview.pairs} == {("UM1", "UE1"), ("UM2", "UE2")}
    assert preview.round.state is RoundState.PREVIEW
    assert deliveries(harness) == []  # nobody is told before the admin approves
    assert open_match(harness, "UE1") == []


def test_the_round_is_the_best_total_not_first_come(harness, matching):
    # UE1 fits both mentors; UE2 only fits UM1 (shared language). Greedy by score would give UM1
    # to UE1 and leave UE2 alone; the optimum matches both.
    store(
        harness,
        mentor("UM1", languages=frozenset({"ko"})),
        mentor("UM2", track="mlops", languages=frozenset({"en", "ko"})),
        mentee("UE1", languages=frozenset({"ko", "en"})),
        mentee("UE2", languages=frozenset({"ko"}), track="mlops"),
    )

    preview = matching.run_round(ADMIN)

    assert len(preview.pairs) == 2
    assert preview.round.unmatched == ()


def test_who_stays_unmatched_is_told_why(harness, matching):
    store(
        harness,
        mentor("UM1"),
        mentee("UE1"),
        mentee("UE2", skills_wanted=frozenset()),
        mentee("UE3", languages=frozenset({"ja"})),
    )

    preview = matching.run_round(ADMIN)

    reasons = {u.mentee_id: u.reason for u in preview.round.unmatched}
    assert [p.mentee_id for p in preview.pairs] == ["UE1"]  # the better fit
    assert reasons == {"UE2": CAPACITY, "UE3": "no-shared-language"}


def test_approving_asks_each_mentor_and_tells_each_mentee(harness, matching, clock):
    store(harness, mentor("UM1"), mentee("UE1"))
    preview = matching.run_round(ADMIN)

    assert matching.approve_round(ADMIN, preview.round.id) == 1

    [match] = open_match(harness, "UE1")
    assert match.state is MatchState.REQUESTED
    assert match.expires_at == clock.now() + timedelta(hours=72)
    assert [(d.key.recipient, d.key.kind) for d in deliveries(harness)] == [
        ("UM1", kinds.MENTOR_REQUEST),
        ("UE1", kinds.REQUEST_SENT),
    ]
    request = deliveries(harness, kinds.MENTOR_REQUEST)[0]
    assert request.payload["mentee"]["track"] == "llm-apps"
    assert request.payload["reasons"][0] == "same-track"
    with pytest.raises(InvalidInput):
        matching.approve_round(ADMIN, preview.round.id)  # once only


def test_who_was_matched_or_filled_up_since_the_preview_is_left_out_of_the_approval(
    harness, matching
):
    store(harness, mentor("UM1"), mentor("UM2", track="mlops"), mentee("UE1"), mentee("UE2"))
    preview = matching.run_round(ADMIN)
    [ue2_mentor] = [p.mentor_id for p in preview.pairs if p.mentee_id == "UE2"]
    with harness.services.deliveries._uow() as uow:  # UE1 asked UE2's mentor herself meanwhile
        uow.matches.add(
            NewMatch(TEAM, ue2_mentor, "UE1", MatchState.REQUESTED, MatchSource.SELF_SERVE, 1, ()),
            at=harness.clock.now(),
            actor="UE1",
        )
        uow.commit()

    assert matching.approve_round(ADMIN, preview.round.id) == 0

    assert open_match(harness, "UE2") == []  # her mentor's only place is taken
    notes = {event.note for _m, event in matching.history(ADMIN)}
    assert {
        "the mentee already had an open match",
        "the mentor has no free place any more",
    } <= notes
    assert deliveries(harness) == []


def test_a_new_round_replaces_an_undecided_preview(harness, matching):
    store(harness, mentor("UM1"), mentee("UE1"))
    first = matching.run_round(ADMIN)
    matching.run_round(ADMIN)

    with pytest.raises(InvalidInput):
        matching.approve_round(ADMIN, first.round.id)


def test_discarding_a_round_sends_nothing(harness, matching):
    store(harness, mentor("UM1"), mentee("UE1"))
    preview = matching.run_round(ADMIN)

    assert matching.discard_round(ADMIN, preview.round.id) == 1
    assert deliveries(harness) == []
    assert matching.run_round(ADMIN).pairs  # the pair is still available for the next round


def test_accepting_introduces_them_once_in_a_group_dm(harness, matching):
    store(harness, mentor("UM1"), mentee("UE1"))
    matching.approve_round(ADMIN, matching.run_round(ADMIN).round.id)
    [match] = open_match(harness, "UE1")

    accepted = matching.accept(person("UM1"), match.id)

    assert accepted.state is MatchState.ACCEPTED
    [intro] = deliveries(harness, kinds.INTRODUCTION)
    assert intro.key.recipient == "UM1,UE1"
    assert intro.payload["overlap"] == [
        {"mentor": "09:00-18:00 (Asia/Seoul)", "mentee": "09:00-18:00 (Asia/Seoul)"}
    ]
    assert matching.accept(person("UM1"), match.id) == accepted  # a double click
    assert len(deliveries(harness, kinds.INTRODUCTION)) == 1
    assert [e.state for e in events(harness, match.id)] == [
        MatchState.PROPOSED,
        MatchState.REQUESTED,
        MatchState.ACCEPTED,
    ]
    assert events(harness, match.id)[-1].actor == "UM1"


def test_only_the_asked_mentor_can_answer(harness, matching):
    store(harness, mentor("UM1"), mentee("UE1"))
    matching.approve_round(ADMIN, matching.run_round(ADMIN).round.id)
    [match] = open_match(harness, "UE1")

    with pytest.raises(NotAllowed):
        matching.accept(person("UE1"), match.id)
    with pytest.raises(NotAllowed):
        matching.decline(person("USTRANGER"), match.id)


def test_a_decline_moves_on_to_the_next_best_mentor(harness, matching):
    store(harness, mentor("UM1"), mentor("UM2", track="mlops"), mentee("UE1"))
    matching.approve_round(ADMIN, matching.run_round(ADMIN).round.id)
    [first] = open_match(harness, "UE1")
    assert first.mentor_id == "UM1"

    matching.decline(person("UM1"), first.id, "  On leave until March  ")

    [second] = open_match(harness, "UE1")
    assert (second.mentor_id, second.source) == ("UM2", MatchSource.FALLBACK)
    [moved] = deliveries(harness, kinds.MOVED_ON)
    assert moved.key.recipient == "UE1"
    assert moved.payload["next_mentor"] == "UM2"
    assert events(harness, first.id)[-1].note == "On leave until March"
    assert [d.key.recipient for d in deliveries(harness, kinds.MENTOR_REQUEST)] == ["UM1", "UM2"]


def test_with_nobody_left_the_mentee_is_told_she_waits_for_the_next_round(harness, matching):
    store(harness, mentor("UM1"), mentee("UE1"))
    matching.approve_round(ADMIN, matching.run_round(ADMIN).round.id)
    [match] = open_match(harness, "UE1")

    matching.decline(person("UM1"), match.id)

    assert open_match(harness, "UE1") == []
    [notice] = deliveries(harness, kinds.NO_OTHER_MENTOR)
    assert notice.key.recipient == "UE1"


def test_an_unanswered_request_expires_after_72_hours_once(harness, matching, clock):
    store(harness, mentor("UM1"), mentor("UM2", track="mlops"), mentee("UE1"))
    matching.approve_round(ADMIN, matching.run_round(ADMIN).round.id)
    [match] = open_match(harness, "UE1")

    assert matching.expire_due(clock.now() + timedelta(hours=71)) == 0
    later = clock.now() + timedelta(hours=72)
    assert matching.expire_due(later) == 1
    assert matching.expire_due(later) == 0

    [expired_notice] = deliveries(harness, kinds.REQUEST_EXPIRED)
    assert expired_notice.key.recipient == "UM1"
    [fallback] = open_match(harness, "UE1")
    assert fallback.mentor_id == "UM2"
    assert fallback.expires_at == later + timedelta(hours=72)
    with pytest.raises(InvalidInput):
        matching.accept(person("UM1"), match.id)  # too late


def test_self_serve_suggests_three_and_the_pick_becomes_a_request(harness, matching):
    store(
        harness,
        mentor("UM1"),
        mentor("UM2", skills_offered=frozenset()),
        mentor("UM3", track="mlops"),
        mentor("UM4", track="nlp", skills_offered=frozenset()),
        mentee("UE1"),
    )

    overview = matching.overview(person("UE1"))

    assert [s.mentor.user_id for s in overview.suggestions] == ["UM1", "UM2", "UM3"]
    match = matching.request(person("UE1"), "UM2")
    assert (match.state, match.source) == (MatchState.REQUESTED, MatchSource.SELF_SERVE)
    assert [d.key.recipient for d in deliveries(harness, kinds.MENTOR_REQUEST)] == ["UM2"]
    with pytest.raises(InvalidInput):
        matching.request(person("UE1"), "UM1")  # one open request at a time
    assert matching.overview(person("UE1")).suggestions == []


def test_self_serve_refuses_a_mentor_that_was_not_offered(harness, matching):
    store(harness, mentor("UM1"), mentor("UM9", languages=frozenset({"ja"})), mentee("UE1"))

    with pytest.raises(InvalidInput):
        matching.request(person("UE1"), "UM9")
    with pytest.raises(InvalidInput):
        matching.request(person("UNOPROFILE"), "UM1")
    assert deliveries(harness) == []


def test_ending_a_match_tells_the_other_side_and_blocks_a_quick_repeat(harness, matching):
    store(harness, mentor("UM1", capacity=2), mentor("UM2", track="mlops"), mentee("UE1"))
    match = matching.request(person("UE1"), "UM1")
    matching.accept(person("UM1"), match.id)

    ended = matching.end(person("UE1"), None, "Different goals")

    assert ended.state is MatchState.ENDED
    [notice] = deliveries(harness, kinds.MATCH_ENDED)
    assert notice.key.recipient == "UM1"
    suggestions = matching.overview(person("UE1")).suggestions
    assert [s.mentor.user_id for s in suggestions] == ["UM2"]  # not UM1 again within 12 weeks
    with pytest.raises(InvalidInput):
        matching.end(person("UE1"), None)


def test_paused_opted_out_and_full_people_are_left_out_of_a_round(harness, matching, clock):
    today = clock.now().date()
    store(
        harness,
        mentor("UM1"),
        mentor("UM2", opted_out=True),
        mentee("UE1", paused_until=today + timedelta(days=10)),
        mentee("UE2"),
        mentee("UE3", track="mlops"),
    )
    matching.request(person("UE2"), "UM1")  # UM1's only place is taken

    preview = matching.run_round(ADMIN)

    assert preview.pairs == []
    assert preview.mentees_in_pool == 1  # UE3: UE1 is paused, UE2 has a request open
    assert preview.mentors_in_pool == 0


def test_people_deactivated_in_slack_are_neither_matched_nor_suggested(harness, matching):
    harness.fake_slack.add_user("UM1", deleted=True)
    harness.services.members.sync_directory(TEAM)
    store(harness, mentor("UM1"), mentor("UM2", track="mlops"), mentee("UE1"))

    assert [p.mentor_id for p in matching.run_round(ADMIN).pairs] == ["UM2"]
    assert [s.mentor.user_id for s in matching.overview(person("UE1")).suggestions] == ["UM2"]


def test_a_mentee_never_has_two_open_matches_even_when_two_writers_race(harness):
    new = NewMatch(
        team_id=TEAM,
        mentor_id="UM1",
        mentee_id="UE1",
        state=MatchState.REQUESTED,
        source=MatchSource.SELF_SERVE,
        score=10,
        reasons=("same-track",),
    )
    with harness.services.deliveries._uow() as uow:
        assert uow.matches.add(new, at=harness.clock.now(), actor="UE1") is not None
        assert (
            uow.matches.add(replace(new, mentor_id="UM2"), at=harness.clock.now(), actor="UE1")
            is None
        )
        uow.commit()
    assert [m.mentor_id for m in open_match(harness, "UE1")] == ["UM1"]


def test_admins_see_the_program_history(harness, matching):
    store(harness, mentor("UM1"), mentee("UE1"))
    matching.approve_round(ADMIN, matching.run_round(ADMIN).round.id)

    history = matching.history(ADMIN)

    assert [event.state for _match, event in history] == [
        MatchState.REQUESTED,
        MatchState.PROPOSED,
    ]
    with pytest.raises(NotAllowed):
        matching.history(person("UE1"))
