"""Weekly check-ins on SQLite and PostgreSQL: each person's prompt at their own local Friday
16:00 (across daylight-saving changes), skips with reasons, the 48-hour reminder, missed weeks
and who is told, DM replies, the form's answer and the mentor's summary."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain import checkin_messages as kinds
from bot.domain.checkins import (
    CheckinAnswer,
    CheckinRole,
    CheckinSchedule,
    CheckinState,
    SkipReason,
)
from bot.domain.errors import InvalidInput
from bot.domain.members import Member
from bot.domain.profiles import Profile, ProgramRole
from bot.services.checkins import CheckinService, ReplyOutcome
from tests.support.ledger import build_engine

TEAM = "T111"
SEOUL_FRIDAY = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
"""Friday 27 November 2026, 16:00 in Seoul: the prompt is due there."""
SEOUL_WEEK_END = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)
"""Monday 30 November 00:00 in Seoul."""
WEEK = timedelta(days=7)


def mentor(user_id: str, *, capacity: int = 1, **changes) -> Profile:
    base = Profile(
        team_id=TEAM,
        user_id=user_id,
        role=ProgramRole.MENTOR,
        background="ml-engineer",
        track="llm-apps",
        skills_offered=frozenset({"rag", "python"}),
        move_from="backend",
        move_to="llm-apps",
        timezone="Asia/Seoul",
        languages=frozenset({"ko", "en"}),
        capacity=capacity,
        intro="I moved from backend to LLM apps in 2024.",
    )
    return replace(base, **changes)


def mentee(user_id: str, **changes) -> Profile:
    base = Profile(
        team_id=TEAM,
        user_id=user_id,
        role=ProgramRole.MENTEE,
        background="backend",
        track="llm-apps",
        skills_wanted=frozenset({"rag"}),
        move_from="backend",
        move_to="llm-apps",
        timezone="Asia/Seoul",
        languages=frozenset({"ko"}),
    )
    return replace(base, **changes)


@pytest.fixture
def harness(fake_slack, engine, clock):
    clock.set(SEOUL_FRIDAY)
    return build_engine(fake_slack, engine, clock)


@pytest.fixture
def checkins(harness) -> CheckinService:
    return harness.services.checkins


@pytest.fixture
def with_admins(harness) -> CheckinService:
    """The same service with a configured program admin (MENTOR_BOT_ADMINS)."""
    service = harness.services.checkins
    return CheckinService(
        service._uow, harness.services.deliveries, harness.clock, CheckinSchedule(), ("UADMIN",)
    )


def store(harness, *profiles: Profile) -> None:
    with harness.services.deliveries._uow() as uow:
        for profile in profiles:
            uow.profiles.upsert(profile, harness.clock.now())
        uow.commit()


def deliveries(harness, kind: str | None = None):
    found = harness.services.deliveries.list(limit=10_000)
    return sorted((d for d in found if kind is None or d.key.kind == kind), key=lambda d: d.id)


def person(user_id: str) -> Member:
    return Member(team_id=TEAM, user_id=user_id)


def all_checkins(harness, user_id: str):
    with harness.services.deliveries._uow() as uow:
        return list(reversed(uow.checkins.recent(TEAM, user_id, limit=100)))


def only(harness, user_id: str):
    [checkin] = all_checkins(harness, user_id)
    return checkin


def pair(harness, mentor_id: str, mentee_id: str) -> None:
    """An accepted match, made the way people make one."""
    matching = harness.services.matching
    match = matching.request(person(mentee_id), mentor_id)
    matching.accept(person(mentor_id), match.id)


def week_of(checkins: CheckinService, at: datetime) -> None:
    """The scheduler's three check-in jobs at one instant."""
    checkins.queue_due(at)
    checkins.remind_due(at)
    checkins.close_weeks(at)


# The prompt at each person's local time


def test_each_person_is_prompted_once_a_week_at_their_own_friday_16_00_across_dst(
    harness, checkins
):
    store(
        harness,
        mentee("USEOUL", timezone="Asia/Seoul"),
        mentee("UBERLIN", timezone="Europe/Berlin"),
        mentee("ULA", timezone="America/Los_Angeles"),
    )
    # Monday 19 October 08:00 UTC is Monday in all three zones; Berlin leaves summer time on
    # Sunday 25 October, Los Angeles on Sunday 1 November. Three local weeks each.
    start = datetime(2026, 10, 19, 8, 0, tzinfo=UTC)
    end = datetime(2026, 11, 9, 8, 0, tzinfo=UTC)
    created_at: dict[tuple[str, str], datetime] = {}
    at = start
    while at < end:
        before = {
            (c.user_id, c.week)
            for u in ("USEOUL", "UBERLIN", "ULA")
            for c in all_checkins(harness, u)
        }
        made = checkins.queue_due(at)
        assert checkins.queue_due(at) == 0  # the same tick again: nothing twice
        after = {
            (c.user_id, c.week)
            for u in ("USEOUL", "UBERLIN", "ULA")
            for c in all_checkins(harness, u)
        }
        assert len(after - before) == made
        for new in after - before:
            created_at[new] = at
        at += timedelta(hours=1)

    expected = {
        "USEOUL": [
            ("2026-W43", datetime(2026, 10, 23, 7, 0, tzinfo=UTC)),
            ("2026-W44", datetime(2026, 10, 30, 7, 0, tzinfo=UTC)),
            ("2026-W45", datetime(2026, 11, 6, 7, 0, tzinfo=UTC)),
        ],
        "UBERLIN": [
            ("2026-W43", datetime(2026, 10, 23, 14, 0, tzinfo=UTC)),  # CEST, UTC+2
            ("2026-W44", datetime(2026, 10, 30, 15, 0, tzinfo=UTC)),  # CET, UTC+1
            ("2026-W45", datetime(2026, 11, 6, 15, 0, tzinfo=UTC)),
        ],
        "ULA": [
            ("2026-W43", datetime(2026, 10, 23, 23, 0, tzinfo=UTC)),  # PDT, UTC-7
            ("2026-W44", datetime(2026, 10, 30, 23, 0, tzinfo=UTC)),
            ("2026-W45", datetime(2026, 11, 7, 0, 0, tzinfo=UTC)),  # PST, UTC-8
        ],
    }
    for user_id, weeks in expected.items():
        found = all_checkins(harness, user_id)
        assert [(c.week, c.due_at) for c in found] == weeks, user_id
        assert all(c.state is CheckinState.PENDING and c.role is CheckinRole.MENTEE for c in found)
        assert [created_at[(user_id, week)] for week, _due in weeks] == [due for _w, due in weeks]
        prompts = [d for d in deliveries(harness, kinds.PROMPT) if d.key.recipient == user_id]
        assert [(d.key.period, d.due_at) for d in prompts] == weeks, user_id
        assert [d.payload["checkin_id"] for d in prompts] == [c.id for c in found]
    # Each week ends at the person's own Monday 00:00, in the offset in force then.
    berlin = all_checkins(harness, "UBERLIN")
    assert berlin[0].week_ends_at == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)
    los_angeles = all_checkins(harness, "ULA")
    assert los_angeles[1].week_ends_at == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    assert len(deliveries(harness, kinds.PROMPT)) == 9


def test_nobody_is_prompted_before_their_time(harness, checkins):
    store(harness, mentee("USEOUL"))

    assert checkins.queue_due(SEOUL_FRIDAY - timedelta(seconds=1)) == 0
    assert checkins.queue_due(SEOUL_FRIDAY) == 1
    assert checkins.queue_due(SEOUL_FRIDAY + timedelta(hours=5)) == 0
    assert [d.key.recipient for d in deliveries(harness, kinds.PROMPT)] == ["USEOUL"]


def test_who_is_not_prompted_is_recorded_as_skipped_with_the_reason(harness, checkins):
    harness.fake_slack.add_user("UGONE", deleted=True)
    harness.fake_slack.add_user("UE1")
    harness.services.members.sync_directory(TEAM)
    store(
        harness,
        mentee("UPAUSED", paused_until=date(2026, 11, 27)),  # inclusive: this Friday too
        mentee("UOUT", opted_out=True),
        mentee("UGONE"),
        mentor("ULONELY"),
        mentor("UM1"),
        mentee("UE1"),
    )
    pair(harness, "UM1", "UE1")

    assert checkins.queue_due(SEOUL_FRIDAY) == 6

    reasons = {
        user: (only(harness, user).state, only(harness, user).skip_reason)
        for user in ("UPAUSED", "UOUT", "UGONE", "ULONELY", "UM1", "UE1")
    }
    assert reasons == {
        "UPAUSED": (CheckinState.SKIPPED, SkipReason.PAUSED),
        "UOUT": (CheckinState.SKIPPED, SkipReason.OPTED_OUT),
        "UGONE": (CheckinState.SKIPPED, SkipReason.DEACTIVATED),
        "ULONELY": (CheckinState.SKIPPED, SkipReason.NOT_MATCHED),
        "UM1": (CheckinState.PENDING, None),
        "UE1": (CheckinState.PENDING, None),
    }
    assert only(harness, "UM1").role is CheckinRole.MENTOR
    prompts = deliveries(harness, kinds.PROMPT)
    assert sorted((d.key.recipient, d.payload["role"]) for d in prompts) == [
        ("UE1", "mentee"),
        ("UM1", "mentor"),
    ]
    # Skipped weeks are neither reminded nor missed.
    assert checkins.remind_due(SEOUL_FRIDAY + timedelta(hours=48)) == 2
    assert checkins.close_weeks(SEOUL_WEEK_END) == 2
    assert only(harness, "UPAUSED").state is CheckinState.SKIPPED


def test_a_pause_ends_by_itself_after_its_date(harness, checkins):
    store(harness, mentee("UE1"))
    checkins.pause(person("UE1"), date(2026, 12, 5))

    checkins.queue_due(SEOUL_FRIDAY)
    checkins.queue_due(SEOUL_FRIDAY + WEEK)  # Friday 4 December: still paused
    checkins.queue_due(SEOUL_FRIDAY + 2 * WEEK)  # Friday 11 December: prompted again

    assert [(c.week, c.state, c.skip_reason) for c in all_checkins(harness, "UE1")] == [
        ("2026-W48", CheckinState.SKIPPED, SkipReason.PAUSED),
        ("2026-W49", CheckinState.SKIPPED, SkipReason.PAUSED),
        ("2026-W50", CheckinState.PENDING, None),
    ]
    assert [d.key.period for d in deliveries(harness, kinds.PROMPT)] == ["2026-W50"]


def test_resume_ends_a_pause_early(harness, checkins):
    store(harness, mentee("UE1"))
    checkins.pause(person("UE1"), date(2027, 1, 31))
    checkins.resume(person("UE1"))

    checkins.queue_due(SEOUL_FRIDAY)

    assert only(harness, "UE1").state is CheckinState.PENDING
    with pytest.raises(InvalidInput):
        checkins.pause(person("UNOPROFILE"), date(2027, 1, 31))


# Reminder and missed weeks


def test_one_reminder_48_hours_after_an_unanswered_prompt(harness, checkins, clock):
    store(harness, mentee("UE1"), mentee("UE2"))
    checkins.queue_due(SEOUL_FRIDAY)
    clock.set(SEOUL_FRIDAY + timedelta(hours=1))
    checkins.answer(person("UE2"), only(harness, "UE2").id, CheckinAnswer(progress="Done"))

    assert checkins.remind_due(SEOUL_FRIDAY + timedelta(hours=47, minutes=59)) == 0
    assert checkins.remind_due(SEOUL_FRIDAY + timedelta(hours=48)) == 1
    assert checkins.remind_due(SEOUL_FRIDAY + timedelta(hours=49)) == 0

    [reminder] = deliveries(harness, kinds.REMINDER)
    assert (reminder.key.recipient, reminder.key.period) == ("UE1", "2026-W48")
    assert reminder.expires_at == SEOUL_WEEK_END
    assert only(harness, "UE1").reminded_at == SEOUL_FRIDAY + timedelta(hours=48)


def test_no_reminder_once_the_week_is_over(harness, checkins):
    store(harness, mentee("UE1"))
    checkins.queue_due(SEOUL_FRIDAY)

    assert checkins.remind_due(SEOUL_WEEK_END) == 0
    assert deliveries(harness, kinds.REMINDER) == []


def test_an_unanswered_week_becomes_missed_when_it_ends_locally(harness, checkins):
    store(harness, mentee("USEOUL"), mentee("ULA", timezone="America/Los_Angeles"))
    checkins.queue_due(SEOUL_FRIDAY)
    la_friday = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)  # Friday 16:00 PST
    checkins.queue_due(la_friday)

    assert checkins.close_weeks(SEOUL_WEEK_END - timedelta(seconds=1)) == 0
    assert checkins.close_weeks(SEOUL_WEEK_END) == 1
    assert checkins.close_weeks(SEOUL_WEEK_END) == 0
    assert only(harness, "USEOUL").state is CheckinState.MISSED
    assert only(harness, "ULA").state is CheckinState.PENDING
    la_end = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 00:00 PST
    assert only(harness, "ULA").week_ends_at == la_end
    assert checkins.close_weeks(la_end) == 1
    assert only(harness, "ULA").state is CheckinState.MISSED


def run_weeks(checkins: CheckinService, weeks: int, *, first: datetime = SEOUL_FRIDAY) -> None:
    for n in range(weeks):
        friday = first + n * WEEK
        checkins.queue_due(friday)
        checkins.close_weeks(friday + (SEOUL_WEEK_END - SEOUL_FRIDAY))


def test_two_missed_weeks_tell_the_mentor_and_three_the_admins(harness, with_admins):
    store(harness, mentor("UM1"), mentee("UE1"))
    pair(harness, "UM1", "UE1")

    run_weeks(with_admins, 1)
    assert deliveries(harness, kinds.MISSED_TO_MENTOR) == []
    run_weeks(with_admins, 1, first=SEOUL_FRIDAY + WEEK)
    [to_mentor] = deliveries(harness, kinds.MISSED_TO_MENTOR)
    assert to_mentor.key.recipient == "UM1"
    assert to_mentor.payload["user_id"] == "UE1"
    assert to_mentor.payload["streak"] == 2
    assert deliveries(harness, kinds.MISSED_TO_ADMINS) == []

    run_weeks(with_admins, 1, first=SEOUL_FRIDAY + 2 * WEEK)
    about_ue1 = [d for d in deliveries(harness) if d.payload.get("user_id") == "UE1"]
    [to_admin] = [d for d in about_ue1 if d.key.kind == kinds.MISSED_TO_ADMINS]
    assert to_admin.key.recipient == "UADMIN"
    assert to_admin.payload["streak"] == 3
    [offer] = [d for d in about_ue1 if d.key.kind == kinds.OFFER_PAUSE]
    assert (offer.key.recipient, offer.key.period) == ("UE1", "2026-W50")
    assert len(deliveries(harness, kinds.MISSED_TO_MENTOR)) == 1  # not again at three
    # The mentor missed his own three weeks too: the admins hear of it, but nobody offers a
    # mentor "a pause or a new mentor".
    about_um1 = [d for d in deliveries(harness) if d.payload.get("user_id") == "UM1"]
    assert [(d.key.recipient, d.key.kind) for d in about_um1 if "streak" in d.payload] == [
        ("UADMIN", kinds.MISSED_TO_ADMINS)
    ]


def test_admins_in_slack_are_told_too(harness, checkins):
    store(harness, mentee("UE1"))
    with harness.services.deliveries._uow() as uow:
        uow.members._upsert(TEAM, "UBOSS", {"is_admin": True})
        uow.commit()

    run_weeks(checkins, 3)

    assert [d.key.recipient for d in deliveries(harness, kinds.MISSED_TO_ADMINS)] == ["UBOSS"]


def test_skipped_weeks_do_not_count_toward_the_streak(harness, with_admins):
    store(harness, mentor("UM1"), mentee("UE1"))
    pair(harness, "UM1", "UE1")

    run_weeks(with_admins, 1)  # missed
    with_admins.pause(person("UE1"), date(2026, 12, 6))
    run_weeks(with_admins, 1, first=SEOUL_FRIDAY + WEEK)  # skipped: paused
    assert deliveries(harness, kinds.MISSED_TO_MENTOR) == []
    run_weeks(with_admins, 1, first=SEOUL_FRIDAY + 2 * WEEK)  # missed: two in a row

    assert [c.state for c in all_checkins(harness, "UE1")] == [
        CheckinState.MISSED,
        CheckinState.SKIPPED,
        CheckinState.MISSED,
    ]
    [to_mentor] = deliveries(harness, kinds.MISSED_TO_MENTOR)
    assert to_mentor.key.period.startswith("2026-W50")
    assert to_mentor.payload["streak"] == 2
    about_ue1 = [d for d in deliveries(harness) if d.payload.get("user_id") == "UE1"]
    assert [d.key.kind for d in about_ue1 if "streak" in d.payload] == [kinds.MISSED_TO_MENTOR]


def test_an_answered_week_breaks_the_streak(harness, with_admins, clock):
    store(harness, mentor("UM1"), mentee("UE1"))
    pair(harness, "UM1", "UE1")

    run_weeks(with_admins, 1)
    with_admins.queue_due(SEOUL_FRIDAY + WEEK)
    clock.set(SEOUL_FRIDAY + WEEK + timedelta(hours=1))
    with_admins.record_reply(TEAM, "UE1", "DUE1", "1.1", "Back on track")
    with_admins.close_weeks(SEOUL_WEEK_END + WEEK)
    run_weeks(with_admins, 1, first=SEOUL_FRIDAY + 2 * WEEK)

    assert deliveries(harness, kinds.MISSED_TO_MENTOR) == []


def test_each_mentee_of_a_mentor_is_reported_separately(harness, with_admins, clock):
    store(harness, mentor("UM1", capacity=2), mentee("UE1"), mentee("UE2"))
    pair(harness, "UM1", "UE1")
    pair(harness, "UM1", "UE2")

    run_weeks(with_admins, 3)

    to_mentor = deliveries(harness, kinds.MISSED_TO_MENTOR)
    assert sorted((d.key.recipient, d.payload["user_id"]) for d in to_mentor) == [
        ("UM1", "UE1"),
        ("UM1", "UE2"),
    ]
    to_admins = deliveries(harness, kinds.MISSED_TO_ADMINS)
    assert sorted(d.payload["user_id"] for d in to_admins) == ["UE1", "UE2", "UM1"]
    assert sorted(d.key.recipient for d in deliveries(harness, kinds.OFFER_PAUSE)) == ["UE1", "UE2"]


# Answers: DM replies and the form


def test_a_dm_reply_is_stored_once_and_a_second_message_adds_to_it(harness, checkins, clock):
    store(harness, mentee("UE1"))
    checkins.queue_due(SEOUL_FRIDAY)
    clock.set(SEOUL_FRIDAY + timedelta(hours=2))

    first = checkins.record_reply(
        TEAM, "UE1", "DUE1", "1700000000.000100", "  Shipped the RAG demo "
    )
    again = checkins.record_reply(
        TEAM, "UE1", "DUE1", "1700000000.000100", "  Shipped the RAG demo "
    )
    second = checkins.record_reply(TEAM, "UE1", "DUE1", "1700000000.000200", "Blocked on evals")

    assert first.outcome is ReplyOutcome.STORED
    assert first.checkin is not None and first.checkin.answer.progress == "Shipped the RAG demo"
    assert again.outcome is ReplyOutcome.DUPLICATE
    assert second.outcome is ReplyOutcome.STORED
    stored = only(harness, "UE1")
    assert stored.state is CheckinState.ANSWERED
    assert stored.answer.progress == "Shipped the RAG demo\nBlocked on evals"
    assert stored.answered_at == SEOUL_FRIDAY + timedelta(hours=2)
    assert checkins.remind_due(SEOUL_FRIDAY + timedelta(hours=48)) == 0


def test_a_reply_without_an_open_checkin_is_not_taken(harness, checkins, clock):
    store(harness, mentee("UE1"), mentee("UE2", opted_out=True))
    checkins.queue_due(SEOUL_FRIDAY)

    assert (
        checkins.record_reply(TEAM, "UE9", "DUE9", "1.1", "hi").outcome is ReplyOutcome.NO_CHECKIN
    )
    assert (
        checkins.record_reply(TEAM, "UE2", "DUE2", "1.2", "hi").outcome is ReplyOutcome.NO_CHECKIN
    )
    clock.set(SEOUL_WEEK_END)
    assert (
        checkins.record_reply(TEAM, "UE1", "DUE1", "1.3", "late").outcome is ReplyOutcome.NO_CHECKIN
    )


def test_the_form_answer_is_stored_and_the_mentor_told_once_with_the_words_when_shared(
    harness, checkins, clock
):
    store(harness, mentor("UM1", capacity=2), mentee("UE1"), mentee("UE2"))
    pair(harness, "UM1", "UE1")
    pair(harness, "UM1", "UE2")
    checkins.queue_due(SEOUL_FRIDAY)
    clock.set(SEOUL_FRIDAY + timedelta(hours=3))

    shared = CheckinAnswer(
        progress="Built the retriever",
        blockers="Evals",
        confidence=4,
        next_steps="Write evals",
        share_with_mentor=True,
    )
    private = CheckinAnswer(progress="Personal stuff", confidence=2, share_with_mentor=False)
    saved = checkins.answer(person("UE1"), only(harness, "UE1").id, shared)
    checkins.answer(person("UE2"), only(harness, "UE2").id, private)
    checkins.answer(person("UE1"), saved.id, replace(shared, progress="Built it, and more"))

    assert saved.state is CheckinState.ANSWERED
    assert only(harness, "UE1").answer.progress == "Built it, and more"  # an edit
    summaries = {d.payload["user_id"]: d for d in deliveries(harness, kinds.SUMMARY_TO_MENTOR)}
    assert set(summaries) == {"UE1", "UE2"}  # once each, however often edited
    assert all(d.key.recipient == "UM1" for d in summaries.values())
    assert summaries["UE1"].payload["shared"] is True
    assert summaries["UE1"].payload["progress"] == "Built the retriever"
    assert summaries["UE1"].payload["blockers"] == "Evals"
    assert summaries["UE1"].payload["confidence"] == 4
    assert summaries["UE2"].payload["shared"] is False
    assert summaries["UE2"].payload["confidence"] == 2
    for field in ("progress", "blockers", "next_steps"):
        assert summaries["UE2"].payload[field] is None
    assert "Personal stuff" not in str(summaries["UE2"].payload)


def test_a_mentors_own_answer_tells_nobody(harness, checkins, clock):
    store(harness, mentor("UM1"), mentee("UE1"))
    pair(harness, "UM1", "UE1")
    checkins.queue_due(SEOUL_FRIDAY)

    checkins.answer(person("UM1"), only(harness, "UM1").id, CheckinAnswer(progress="Fine"))

    assert deliveries(harness, kinds.SUMMARY_TO_MENTOR) == []


def test_answers_can_be_edited_until_the_week_ends_and_not_after(harness, checkins, clock):
    store(harness, mentee("UE1"))
    checkins.queue_due(SEOUL_FRIDAY)
    checkin = only(harness, "UE1")

    clock.set(SEOUL_WEEK_END - timedelta(seconds=1))
    checkins.answer(person("UE1"), checkin.id, CheckinAnswer(progress="Late but here"))
    clock.set(SEOUL_WEEK_END)
    with pytest.raises(InvalidInput):
        checkins.answer(person("UE1"), checkin.id, CheckinAnswer(progress="Changed my mind"))
    with pytest.raises(InvalidInput):
        checkins.answer(person("UE2"), checkin.id, CheckinAnswer(progress="Not mine"))

    assert only(harness, "UE1").answer.progress == "Late but here"
    assert checkins.close_weeks(SEOUL_WEEK_END) == 0  # answered: not missed
    assert only(harness, "UE1").state is CheckinState.ANSWERED


def test_current_is_this_weeks_checkin_created_early_if_need_be(harness, checkins, clock):
    store(harness, mentee("UE1"))
    clock.set(SEOUL_FRIDAY - timedelta(days=2))  # Wednesday

    early = checkins.current(person("UE1"))

    assert (early.week, early.state, early.due_at) == (
        "2026-W48",
        CheckinState.PENDING,
        SEOUL_FRIDAY,
    )
    assert checkins.current(person("UE1")) == early
    assert checkins.queue_due(SEOUL_FRIDAY) == 0  # no second check-in for the week
    with pytest.raises(InvalidInput):
        checkins.current(person("UNOPROFILE"))


def test_skipping_this_week(harness, checkins, clock):
    store(harness, mentee("UE1"), mentee("UE2"))
    checkins.queue_due(SEOUL_FRIDAY)
    clock.set(SEOUL_FRIDAY + timedelta(hours=1))
    checkins.answer(person("UE2"), only(harness, "UE2").id, CheckinAnswer(progress="Done"))

    assert checkins.skip_this_week(person("UE1")) == "2026-W48"
    with pytest.raises(InvalidInput):
        checkins.skip_this_week(person("UE2"))  # answered stays answered

    skipped = only(harness, "UE1")
    assert (skipped.state, skipped.skip_reason) == (
        CheckinState.SKIPPED,
        SkipReason.SKIPPED_BY_PERSON,
    )
    assert checkins.remind_due(SEOUL_FRIDAY + timedelta(hours=48)) == 0
    assert checkins.close_weeks(SEOUL_WEEK_END) == 0
    with pytest.raises(InvalidInput):
        checkins.current(person("UE1"))  # nothing open this week
    assert checkins.record_reply(TEAM, "UE1", "DUE1", "9.9", "x").outcome is ReplyOutcome.NO_CHECKIN


def test_history_lists_recent_weeks_newest_first(harness, checkins, clock):
    store(harness, mentee("UE1"))
    for n in range(10):
        checkins.queue_due(SEOUL_FRIDAY + n * WEEK)
        checkins.close_weeks(SEOUL_WEEK_END + n * WEEK)

    history = checkins.history(person("UE1"))

    assert [c.week for c in history] == [f"2027-W0{n}" for n in (4, 3, 2, 1)] + [
        "2026-W53",
        "2026-W52",
        "2026-W51",
        "2026-W50",
    ]
    assert all(c.state is CheckinState.MISSED for c in history)
    assert checkins.history(person("UNOBODY")) == []


def test_opening_the_form_early_still_brings_the_prompt_at_the_usual_time(harness, clock):
    store(harness, mentee("UE1", timezone="Asia/Seoul"))
    clock.set(datetime(2026, 11, 24, 1, tzinfo=UTC))  # Tuesday in Seoul
    early = harness.services.checkins.current(person("UE1"))
    assert early.state is CheckinState.PENDING

    harness.services.checkins.queue_due(datetime(2026, 11, 27, 7, tzinfo=UTC))  # Friday 16:00
    harness.services.checkins.queue_due(datetime(2026, 11, 27, 8, tzinfo=UTC))

    prompts = [d for d in harness.services.deliveries.list() if d.key.kind == "checkin_prompt"]
    assert [(d.key.recipient, d.key.period) for d in prompts] == [("UE1", early.week)]


def test_an_empty_dm_is_not_taken_as_an_answer(harness, clock):
    store(harness, mentee("UE1", timezone="Asia/Seoul"))
    harness.services.checkins.queue_due(datetime(2026, 11, 27, 7, tzinfo=UTC))
    clock.set(datetime(2026, 11, 27, 8, tzinfo=UTC))

    reply = harness.services.checkins.record_reply("T111", "UE1", "D1", "1.1", "   ")

    assert reply.checkin is None
    assert harness.services.checkins.current(person("UE1")).state is CheckinState.PENDING
