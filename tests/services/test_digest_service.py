"""Teams and digests on SQLite and PostgreSQL, against four weeks of seeded history: the numbers,
who needs attention and why, what a lead may and may not see, the whole-program digest, and the
weekly digest queued once at Monday 09:00 in each lead's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from bot.domain import digest_messages as kinds
from bot.domain.checkins import CheckinAnswer, CheckinState
from bot.domain.digests import AttentionReason
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.goals import GoalFormInput, GoalStatus
from bot.domain.profiles import ProgramRole
from bot.services.teams import TeamRow
from tests.support.ledger import build_engine
from tests.support.program import TEAM, pair, person, profile, store

FIRST_FRIDAY = datetime(2026, 11, 6, 7, 0, tzinfo=UTC)
"""Friday 6 November 16:00 in Seoul (week 45): the first seeded check-in."""
MONDAY_NINE_SEOUL = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
"""Monday 30 November 09:00 in Seoul: weeks 45-48 have ended."""
WEEK = timedelta(days=7)
PEOPLE = ("UA", "UB", "UC", "UD")


ADMIN = person("UADMIN", admin=True)

# (progress, confidence, shared with the lead) per person and week 45..48; None: no answer.
ANSWERS = {
    "UA": [("Read papers", 4, False), ("Built it", 4, False), ("Tested", 4, False),
           ("Shipped the retriever", 2, True)],
    "UB": [("Started", 3, False), ("Slow week", 3, False), None, None],
    "UC": [("My secret doubts", 3, False), ("More doubts", 3, False), ("Fine", 3, False),
           ("Private again", 3, False)],
    "UD": [("Setup", 4, False), "skip", ("Eval harness", 4, False), ("Demo", 5, True)],
}  # fmt: skip


@pytest.fixture
def harness(fake_slack, engine, clock):
    clock.set(FIRST_FRIDAY - timedelta(days=40))
    harness = build_engine(fake_slack, engine, clock)
    store(
        harness.services,
        *(profile(user_id) for user_id in PEOPLE),
        profile("UM", ProgramRole.MENTOR),
        profile("ULEAD", ProgramRole.MENTOR, timezone="America/Los_Angeles"),
    )
    pair(harness.services, "UM", "UA")
    teams = harness.services.teams
    teams.create(ADMIN, "Search", ["ULEAD"])
    teams.add(ADMIN, "Search", list(PEOPLE))
    seed_history(harness, clock)
    clock.set(MONDAY_NINE_SEOUL)
    return harness


def seed_history(harness, clock) -> None:
    checkins = harness.services.checkins
    goals = harness.services.goals
    goals.add(person("UA"), "Ship a RAG demo", None)
    goals.set_status(person("UA"), GoalStatus.BLOCKED, number=1)
    goals.save_form(person("UC"), GoalFormInput(title="Doubts", visibility="private"))
    goals.save_form(person("UD"), GoalFormInput(title="Evals", milestones="One\nTwo"))
    goal = goals.own_goal(person("UD"), number=1)
    goals.set_milestones_done(person("UD"), goal.id, {goal.milestones[0].id})
    for week in range(4):
        friday = FIRST_FRIDAY + week * WEEK
        clock.set(friday - timedelta(hours=1))
        for user_id in PEOPLE:
            if ANSWERS[user_id][week] == "skip":
                checkins.skip_this_week(person(user_id))
        clock.set(friday)
        checkins.queue_due(friday)
        clock.set(friday + timedelta(hours=2))
        for user_id in PEOPLE:
            planned = ANSWERS[user_id][week]
            if planned in (None, "skip"):
                continue
            progress, confidence, shared = planned
            current = checkins.current(person(user_id))
            checkins.answer(
                person(user_id),
                current.id,
                CheckinAnswer(progress=progress, confidence=confidence, share_with_lead=shared),
            )
        checkins.close_weeks(friday + 3 * WEEK / 7)


# The numbers


def test_the_leads_digest_has_the_seeded_numbers(harness):
    digest = harness.services.digests.for_viewer(person("ULEAD"), None)

    assert digest.title == "Search"
    assert [w.week for w in digest.weeks] == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert [(w.expected, w.answered) for w in digest.weeks] == [(4, 4), (3, 3), (4, 3), (4, 3)]
    assert [w.response_rate for w in digest.weeks] == [100, 100, 75, 75]
    assert digest.response_change == 0
    assert digest.people == 4
    assert digest.active_matches == 1
    assert digest.goal_counts[GoalStatus.BLOCKED] == 1
    assert digest.goal_counts[GoalStatus.ON_TRACK] == 1  # UC's private goal is not counted
    assert digest.average_confidence == 3.3  # (2 + 3 + 5) / 3 in week 48


def test_attention_names_each_person_with_the_reason(harness):
    digest = harness.services.digests.for_viewer(person("ULEAD"), None)

    reasons = {(a.user_id, a.reason, a.detail) for a in digest.attention}
    assert ("UA", AttentionReason.CONFIDENCE_DROPPING, "4 → 2") in reasons
    assert ("UA", AttentionReason.BLOCKED_GOAL, "1") in reasons
    assert ("UB", AttentionReason.MISSED_CHECKINS, "2") in reasons
    assert ("UB", AttentionReason.WAITING_FOR_MATCH, "63") in reasons
    assert not any(
        a.user_id == "UA" and a.reason.value.startswith("waiting") for a in digest.attention
    )


def test_per_person_lines_and_only_shared_words(harness):
    digest = harness.services.digests.for_viewer(person("ULEAD"), None)

    lines = {line.user_id: line for line in digest.per_person}
    assert lines["UA"].answered_streak == 4
    assert lines["UB"].answered_streak == 0 and lines["UB"].this_week is CheckinState.MISSED
    assert lines["UD"].answered_streak == 3  # the skipped week neither counts nor breaks it
    assert (lines["UD"].goals, lines["UD"].goal_progress) == (1, 50)
    assert lines["UA"].worst_status is GoalStatus.BLOCKED
    assert lines["UC"].goals == 0  # private
    assert [(h.user_id, h.week, h.text) for h in digest.highlights] == [
        ("UD", "2026-W48", "Demo"),
        ("UA", "2026-W48", "Shipped the retriever"),
    ]
    everything = repr(digest)
    assert "secret" not in everything and "Private again" not in everything
    assert "Doubts" not in everything


def test_more_weeks_on_request_and_bad_week_counts_refused(harness):
    digests = harness.services.digests
    eight = digests.for_viewer(person("ULEAD"), None, weeks=8)
    assert [w.week for w in eight.weeks][:4] == ["2026-W41", "2026-W42", "2026-W43", "2026-W44"]
    assert [w.expected for w in eight.weeks][:4] == [0, 0, 0, 0]
    with pytest.raises(InvalidInput):
        digests.for_viewer(person("ULEAD"), None, weeks=0)


def test_a_digest_takes_the_same_number_of_queries_for_any_team_size(harness, engine):
    statements: list[str] = []

    def count(*_args, **_kwargs) -> None:
        statements.append("x")

    event.listen(engine, "before_cursor_execute", count)
    harness.services.digests.for_viewer(person("ULEAD"), None)
    small = len(statements)
    harness.services.teams.add(ADMIN, "Search", [f"UX{n:04d}" for n in range(300)])
    statements.clear()
    harness.services.digests.for_viewer(person("ULEAD"), None)
    event.remove(engine, "before_cursor_execute", count)

    assert len(statements) == small


# Who sees it


def test_a_non_lead_is_told_so_and_learns_nothing_about_the_team(harness):
    digests = harness.services.digests
    answers = []
    for name in (None, "Search", "No such team"):
        with pytest.raises(NotAllowed) as refused:
            digests.for_viewer(person("UA"), name)
        answers.append((refused.value.message, refused.value.values))

    assert len(set(map(repr, answers))) == 1


def test_a_lead_sees_only_the_teams_they_lead(harness):
    harness.services.teams.create(ADMIN, "Platform", ["UM"])
    harness.services.teams.add(ADMIN, "Platform", ["UB"])

    with pytest.raises(NotAllowed):
        harness.services.digests.for_viewer(person("ULEAD"), "Platform")
    assert harness.services.digests.for_viewer(person("UM"), None).title == "Platform"


def test_an_admin_sees_any_team_and_the_whole_program_with_small_teams_folded(harness):
    harness.services.teams.create(ADMIN, "Tiny", ["UM"])
    harness.services.teams.add(ADMIN, "Tiny", ["UB"])
    digests = harness.services.digests

    assert digests.for_viewer(ADMIN, "search").title == "Search"
    program = digests.for_viewer(ADMIN, None)

    assert program.title == ""
    assert program.people == 6  # every profile
    assert [(g.name, g.people, g.response_rate, g.blocked) for g in program.groups] == [
        ("Search", 4, 75, 1)
    ]
    assert program.small_groups == 1
    with pytest.raises(InvalidInput):
        digests.for_viewer(ADMIN, "Nope")


# Teams


def test_teams_are_managed_by_admins_only(harness):
    teams = harness.services.teams
    with pytest.raises(NotAllowed):
        teams.create(person("UA"), "Mine", ["UA"])
    with pytest.raises(NotAllowed):
        teams.list(person("ULEAD"))
    with pytest.raises(InvalidInput):
        teams.create(ADMIN, "SEARCH", ["UA"])  # names are case-insensitive
    with pytest.raises(InvalidInput):
        teams.remove(ADMIN, "Search", ["ULEAD"])  # the last lead stays
    team = teams.remove(ADMIN, "Search", ["UD"])
    assert team.members == frozenset({"UA", "UB", "UC"})
    assert teams.set_channel(ADMIN, "Search", "C0SEARCH").channel_id == "C0SEARCH"


def test_the_csv_import_creates_teams_and_reports_bad_lines(harness):
    report = harness.services.teams.import_rows(
        TEAM,
        [
            TeamRow(2, "Platform", "UM", "lead"),
            TeamRow(3, "Platform", "UB", "member"),
            TeamRow(4, "Platform", "UB", "member"),
            TeamRow(5, "Platform", "not-a-user", "member"),
            TeamRow(6, "Search", "UD", "boss"),
            TeamRow(7, "Platform", "UC", "member", "C0PLAT"),
        ],
    )

    assert (report.teams_created, report.people_added) == (1, 3)
    assert [line for line, _problem in report.errors] == [5, 6]
    [platform] = [t for t in harness.services.teams.list(ADMIN) if t.name == "Platform"]
    assert (platform.leads, platform.members, platform.channel_id) == (
        frozenset({"UM"}),
        frozenset({"UB", "UC"}),
        "C0PLAT",
    )


# The weekly digest


def test_the_weekly_digest_is_queued_once_at_monday_nine_in_the_leads_zone(harness, clock):
    digests = harness.services.digests
    la_monday_nine = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)

    assert digests.queue_weekly(la_monday_nine - timedelta(minutes=1)) == 0
    assert digests.queue_weekly(la_monday_nine) == 1
    assert digests.queue_weekly(la_monday_nine + timedelta(hours=1)) == 0

    [queued] = [
        d for d in harness.services.deliveries.list(limit=1000) if d.key.kind == kinds.TEAM_DIGEST
    ]
    assert (queued.key.recipient, queued.due_at) == ("ULEAD", la_monday_nine)
    digest = kinds.digest_from_payload(queued.payload)
    assert [w.week for w in digest.weeks] == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert [w.response_rate for w in digest.weeks] == [100, 100, 75, 75]
    clock.set(la_monday_nine)
    assert digest == harness.services.digests.for_viewer(person("ULEAD"), None)


def test_a_team_with_a_channel_gets_one_digest_there(harness):
    harness.services.teams.set_channel(ADMIN, "Search", "C0SEARCH")

    harness.services.digests.queue_weekly(datetime(2026, 11, 30, 17, 0, tzinfo=UTC))

    [queued] = [
        d for d in harness.services.deliveries.list(limit=1000) if d.key.kind == kinds.TEAM_DIGEST
    ]
    assert queued.key.recipient == "C0SEARCH"
