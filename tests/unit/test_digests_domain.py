"""Digest rules: ISO week labels, what a lead's digest counts (response rates, matches, goals,
progress per week), who needs attention and why, one line per person, the words shared with the
lead, the JSON kept in the ledger, and reading `/mentor digest [team] [weeks N] [csv]`.

Every digest is built from a hand-made DigestInput and an explicit `now`; no database."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.checkins import Checkin, CheckinAnswer, CheckinRole, CheckinState, SkipReason
from bot.domain.digest_messages import digest_from_payload, digest_payload
from bot.domain.digests import (
    DEFAULT_WEEKS,
    HIGHLIGHT_CHARS,
    MAX_WEEKS,
    MIN_GROUP,
    Attention,
    AttentionReason,
    CheckinGoalPoint,
    Digest,
    DigestInput,
    DigestRequest,
    GroupLine,
    Highlight,
    OpenMatch,
    Person,
    PersonLine,
    WeekPoint,
    build_digest,
    group_line,
    parse_digest_command,
    week_labels,
)
from bot.domain.errors import InvalidInput
from bot.domain.goals import Goal, GoalStatus, Milestone, Visibility

A, M, P, S = (
    CheckinState.ANSWERED,
    CheckinState.MISSED,
    CheckinState.PENDING,
    CheckinState.SKIPPED,
)
ON_TRACK, AT_RISK, BLOCKED, DONE, ARCHIVED = (
    GoalStatus.ON_TRACK,
    GoalStatus.AT_RISK,
    GoalStatus.BLOCKED,
    GoalStatus.DONE,
    GoalStatus.ARCHIVED,
)

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
"""Friday of 2026-W48, the digest's "this week"."""
WEEKS = ("2026-W45", "2026-W46", "2026-W47", "2026-W48")
W45, W46, W47, W48 = WEEKS
LONG_AGO = datetime(2026, 1, 5, tzinfo=UTC)


# Builders: only what a test cares about is named at the call.


def person(user_id: str, *, mentee: bool = False, joined: datetime | None = LONG_AGO) -> Person:
    return Person(user_id, is_mentee=mentee, joined_at=joined)


_ids = iter(range(1, 1_000_000))


def checkin(
    user_id: str,
    week: str,
    state: CheckinState,
    *,
    confidence: int | None = None,
    progress: str = "",
    blockers: str = "",
    next_steps: str = "",
    share_with_lead: bool = False,
) -> Checkin:
    if state is A and not (progress or blockers or next_steps or confidence):
        progress = "Worked on it"
    return Checkin(
        id=next(_ids),
        team_id="T1",
        user_id=user_id,
        week=week,
        role=CheckinRole.MENTEE,
        state=state,
        due_at=LONG_AGO,
        week_ends_at=LONG_AGO + timedelta(days=3),
        answer=CheckinAnswer(
            progress=progress,
            blockers=blockers,
            confidence=confidence,
            next_steps=next_steps,
            share_with_lead=share_with_lead,
        ),
        created_at=LONG_AGO,
        updated_at=LONG_AGO,
        skip_reason=SkipReason.PAUSED if state is S else None,
        answered_at=LONG_AGO if state is A else None,
    )


def goal(
    goal_id: int,
    user_id: str,
    *,
    number: int = 1,
    status: GoalStatus = ON_TRACK,
    visibility: Visibility = Visibility.MENTOR,
    progress: int | None = None,
    milestones: tuple[Milestone, ...] = (),
) -> Goal:
    return Goal(
        id=goal_id,
        team_id="T1",
        user_id=user_id,
        number=number,
        title=f"Goal {number} of {user_id}",
        why="A private reason",
        due=None,
        status=status,
        visibility=visibility,
        manual_progress=progress,
        milestones=milestones,
        created_at=LONG_AGO,
        updated_at=LONG_AGO,
    )


def point(week: str, user_id: str, goal_id: int, progress: int) -> CheckinGoalPoint:
    return CheckinGoalPoint(week=week, user_id=user_id, goal_id=goal_id, progress=progress)


def digest(
    people,
    *,
    checkins=(),
    goals=(),
    points=(),
    matches=(),
    weeks=WEEKS,
    now=NOW,
    title="Search",
) -> Digest:
    data = DigestInput(
        people=list(people),
        checkins=list(checkins),
        goals=list(goals),
        goal_points=list(points),
        matches=list(matches),
    )
    return build_digest(data, title=title, weeks=list(weeks), now=now)


def week(d: Digest, label: str) -> WeekPoint:
    return next(w for w in d.weeks if w.week == label)


def line(d: Digest, user_id: str) -> PersonLine:
    return next(p for p in d.per_person if p.user_id == user_id)


def reasons(d: Digest, user_id: str) -> list[tuple[AttentionReason, str]]:
    return [(a.reason, a.detail) for a in d.attention if a.user_id == user_id]


# Week labels


def test_week_labels_end_with_the_week_of_the_latest_day_oldest_first():
    assert week_labels(date(2026, 11, 27), 4) == list(WEEKS)
    assert week_labels(date(2026, 11, 23), 1) == ["2026-W48"]  # a Monday
    assert week_labels(date(2026, 11, 29), 1) == ["2026-W48"]  # the Sunday of the same week


def test_week_labels_cross_the_year_boundary_through_the_53rd_week_of_2026():
    assert date(2026, 12, 28).isocalendar()[:2] == (2026, 53)
    assert week_labels(date(2027, 1, 4), 3) == ["2026-W52", "2026-W53", "2027-W01"]


def test_the_first_days_of_a_year_can_belong_to_the_last_iso_week_of_the_year_before():
    assert week_labels(date(2027, 1, 1), 1) == ["2026-W53"]
    assert week_labels(date(2027, 1, 3), 2) == ["2026-W52", "2026-W53"]
    assert week_labels(date(2026, 1, 1), 2) == ["2025-W52", "2026-W01"]


def test_week_labels_are_zero_padded_distinct_and_sort_like_time_over_the_longest_digest():
    labels = week_labels(date(2027, 3, 1), MAX_WEEKS)
    assert len(labels) == len(set(labels)) == MAX_WEEKS
    assert labels == sorted(labels)
    assert labels[-1] == "2027-W09"
    assert "2026-W53" in labels


def test_no_weeks_asked_gives_no_labels():
    assert week_labels(date(2026, 11, 27), 0) == []


# Response rates


def test_a_weeks_response_rate_counts_pending_check_ins_as_due_and_skipped_ones_not_at_all():
    d = digest(
        [person("UA"), person("UB"), person("UC"), person("UD")],
        checkins=[
            checkin("UA", W48, A),
            checkin("UB", W48, M),
            checkin("UC", W48, P),
            checkin("UD", W48, S),
        ],
    )
    assert (d.this_week.expected, d.this_week.answered) == (3, 1)
    assert d.this_week.response_rate == 33


def test_a_week_in_which_every_check_in_was_skipped_or_none_was_made_has_no_response_rate():
    d = digest([person("UA")], checkins=[checkin("UA", W47, S)])
    assert week(d, W47) == WeekPoint(W47, expected=0, answered=0, goal_progress=None)
    assert week(d, W47).response_rate is None
    assert week(d, W46).response_rate is None


def test_the_weeks_come_oldest_first_and_the_last_one_is_this_week():
    d = digest([person("UA")])
    assert [w.week for w in d.weeks] == list(WEEKS)
    assert d.this_week.week == W48
    assert d.last_week.week == W47


def test_the_response_change_is_the_points_up_or_down_from_last_week():
    people = [person(u) for u in ("UA", "UB", "UC", "UD")]
    up = digest(
        people,
        checkins=[
            *(checkin(p.user_id, W47, s) for p, s in zip(people, (A, A, M, M), strict=True)),
            *(checkin(p.user_id, W48, s) for p, s in zip(people, (A, A, A, P), strict=True)),
        ],
    )
    assert (up.last_week.response_rate, up.this_week.response_rate) == (50, 75)
    assert up.response_change == 25

    down = digest(people[:2], checkins=[checkin("UA", W47, A), checkin("UA", W48, M)])
    assert down.response_change == -100


def test_there_is_no_response_change_without_a_rate_in_both_weeks_or_with_a_single_week():
    nothing_last_week = digest([person("UA")], checkins=[checkin("UA", W48, A)])
    assert nothing_last_week.response_change is None

    nothing_this_week = digest([person("UA")], checkins=[checkin("UA", W47, A)])
    assert nothing_this_week.response_change is None

    one_week = digest([person("UA")], checkins=[checkin("UA", W48, A)], weeks=[W48])
    assert one_week.last_week is None
    assert one_week.response_change is None


def test_check_ins_of_people_outside_the_scope_or_outside_the_weeks_are_ignored():
    d = digest(
        [person("UA")],
        checkins=[
            checkin("UA", W48, A),
            checkin("UX", W48, M),
            checkin("UX", W47, M),
            checkin("UA", "2026-W44", M),
        ],
    )
    assert [(w.expected, w.answered) for w in d.weeks] == [(0, 0), (0, 0), (0, 0), (1, 1)]
    assert d.people == 1
    assert [p.user_id for p in d.per_person] == ["UA"]
    assert d.attention == ()


def test_a_person_listed_twice_is_counted_once():
    d = digest([person("UA"), person("UA")], checkins=[checkin("UA", W48, A)])
    assert d.people == 1
    assert len(d.per_person) == 1


def test_a_digest_across_the_new_year_reads_its_weeks_in_order():
    weeks = week_labels(date(2027, 1, 4), 3)
    d = digest(
        [person("UA"), person("UB")],
        checkins=[
            checkin("UA", "2026-W52", M),
            checkin("UA", "2026-W53", M),
            checkin("UA", "2027-W01", P),
            checkin("UB", "2026-W52", A, confidence=3),
            checkin("UB", "2026-W53", A, confidence=4),
            checkin("UB", "2027-W01", A, confidence=2),
        ],
        weeks=weeks,
        now=datetime(2027, 1, 8, 9, 0, tzinfo=UTC),
    )
    assert [(w.week, w.expected, w.answered) for w in d.weeks] == [
        ("2026-W52", 2, 1),
        ("2026-W53", 2, 1),
        ("2027-W01", 2, 1),
    ]
    assert reasons(d, "UA") == [(AttentionReason.MISSED_CHECKINS, "2")]
    assert reasons(d, "UB") == [(AttentionReason.CONFIDENCE_DROPPING, "4 → 2")]
    assert line(d, "UB").answered_streak == 3
    assert line(d, "UB").confidence == 2


# Matches and goal counts


def test_active_matches_are_the_accepted_ones_that_involve_someone_in_scope():
    d = digest(
        [person("UA", mentee=True), person("UM")],
        matches=[
            OpenMatch("UM", "UA", accepted=True, since=LONG_AGO),
            OpenMatch("UM", "UX", accepted=True, since=LONG_AGO),  # mentor in scope
            OpenMatch("UY", "UZ", accepted=True, since=LONG_AGO),  # nobody in scope
            OpenMatch("UM", "UB", accepted=False, since=LONG_AGO),  # still a request
        ],
    )
    assert d.active_matches == 2


def test_goal_counts_leave_out_private_and_archived_goals_and_people_outside_the_scope():
    d = digest(
        [person("UA"), person("UB")],
        goals=[
            goal(1, "UA", number=1, status=ON_TRACK),
            goal(2, "UA", number=2, status=ON_TRACK),
            goal(3, "UA", number=3, status=AT_RISK),
            goal(4, "UB", number=1, status=BLOCKED),
            goal(5, "UB", number=2, status=DONE),
            goal(6, "UB", number=3, status=ARCHIVED),
            goal(7, "UB", number=4, status=BLOCKED, visibility=Visibility.PRIVATE),
            goal(8, "UB", number=5, status=DONE, visibility=Visibility.PRIVATE),
            goal(9, "UX", number=1, status=ON_TRACK),
        ],
    )
    assert d.goal_counts == {ON_TRACK: 2, AT_RISK: 1, BLOCKED: 1, DONE: 1}


def test_goal_counts_name_every_counted_status_even_with_no_goals():
    d = digest([person("UA")])
    assert d.goal_counts == {ON_TRACK: 0, AT_RISK: 0, BLOCKED: 0, DONE: 0}
    assert ARCHIVED not in d.goal_counts


# Goal progress per week


def test_a_weeks_goal_progress_averages_the_points_recorded_in_that_weeks_check_ins():
    d = digest(
        [person("UA"), person("UB")],
        goals=[goal(1, "UA", progress=90), goal(2, "UB", progress=90)],
        points=[
            point(W46, "UA", 1, 20),
            point(W46, "UB", 2, 40),
            point(W47, "UA", 1, 60),
            point(W48, "UA", 1, 70),
            point(W48, "UB", 2, 80),
        ],
    )
    assert [w.goal_progress for w in d.weeks] == [None, 30, 60, 75]


def test_a_point_recorded_for_a_private_goal_does_not_count_in_any_week():
    d = digest(
        [person("UA")],
        goals=[
            goal(1, "UA", number=1, progress=50),
            goal(2, "UA", number=2, progress=0, visibility=Visibility.PRIVATE),
        ],
        points=[point(W47, "UA", 1, 40), point(W47, "UA", 2, 100), point(W46, "UA", 2, 100)],
    )
    assert week(d, W46).goal_progress is None
    assert week(d, W47).goal_progress == 40


def test_a_point_recorded_for_an_archived_goal_does_not_count_in_any_week():
    d = digest(
        [person("UA")],
        goals=[
            goal(1, "UA", number=1, progress=50),
            goal(2, "UA", number=2, progress=0, status=ARCHIVED),
        ],
        points=[point(W47, "UA", 1, 40), point(W47, "UA", 2, 100), point(W46, "UA", 2, 100)],
    )
    assert week(d, W46).goal_progress is None
    assert week(d, W47).goal_progress == 40


def test_points_of_goals_not_loaded_or_of_people_outside_the_scope_do_not_count():
    d = digest(
        [person("UA")],
        goals=[goal(1, "UA", progress=50), goal(9, "UX", progress=0)],
        points=[point(W47, "UA", 1, 40), point(W47, "UA", 404, 100), point(W47, "UX", 9, 0)],
    )
    assert week(d, W47).goal_progress == 40


def test_a_point_for_a_shared_goal_since_done_still_counts_in_its_week():
    d = digest(
        [person("UA")],
        goals=[goal(1, "UA", status=DONE)],
        points=[point(W47, "UA", 1, 80)],
    )
    assert week(d, W47).goal_progress == 80


def test_this_week_falls_back_to_the_current_progress_of_active_shared_goals():
    d = digest(
        [person("UA"), person("UB")],
        goals=[
            goal(1, "UA", number=1, progress=20),
            goal(
                2,
                "UA",
                number=2,
                status=AT_RISK,
                milestones=(Milestone("a", done=True), Milestone("b")),
            ),
            goal(3, "UB", number=1, status=BLOCKED, progress=80),
            goal(4, "UB", number=2, status=DONE),  # 100, but no longer in progress
            goal(5, "UB", number=3, status=ARCHIVED, progress=0),
            goal(6, "UB", number=4, visibility=Visibility.PRIVATE, progress=0),
            goal(7, "UX", number=1, progress=0),
        ],
        points=[point(W47, "UA", 1, 10)],
    )
    assert week(d, W48).goal_progress == 50  # (20 + 50 + 80) / 3
    assert week(d, W47).goal_progress == 10
    assert week(d, W46).goal_progress is None


def test_this_week_uses_what_was_recorded_rather_than_the_current_progress_when_there_is_some():
    d = digest(
        [person("UA")],
        goals=[goal(1, "UA", number=1, progress=90), goal(2, "UA", number=2, progress=90)],
        points=[point(W48, "UA", 1, 30)],
    )
    assert week(d, W48).goal_progress == 30


def test_this_week_falls_back_when_only_private_goals_were_recorded():
    d = digest(
        [person("UA")],
        goals=[
            goal(1, "UA", number=1, progress=60),
            goal(2, "UA", number=2, progress=0, visibility=Visibility.PRIVATE),
        ],
        points=[point(W48, "UA", 2, 0)],
    )
    assert week(d, W48).goal_progress == 60


def test_no_goal_progress_at_all_without_shared_goals_in_progress():
    d = digest(
        [person("UA")],
        goals=[
            goal(1, "UA", number=1, status=DONE),
            goal(2, "UA", number=2, visibility=Visibility.PRIVATE, progress=40),
        ],
    )
    assert [w.goal_progress for w in d.weeks] == [None, None, None, None]


# Attention: missed check-ins


def test_two_missed_in_a_row_need_attention_and_a_skipped_week_between_does_not_break_it():
    d = digest(
        [person("UA")],
        checkins=[
            checkin("UA", W45, M),
            checkin("UA", W46, M),
            checkin("UA", W47, S),
            checkin("UA", W48, M),
        ],
    )
    assert reasons(d, "UA") == [(AttentionReason.MISSED_CHECKINS, "3")]


def test_this_weeks_pending_check_in_neither_counts_as_missed_nor_breaks_the_streak():
    d = digest(
        [person("UA")],
        checkins=[checkin("UA", W46, M), checkin("UA", W47, M), checkin("UA", W48, P)],
    )
    assert reasons(d, "UA") == [(AttentionReason.MISSED_CHECKINS, "2")]


@pytest.mark.parametrize(
    "states",
    [
        (A, M, A, M),  # only the newest missed
        (M, M, A, M),  # two missed, but not the newest two
        (A, A, M, S),  # one missed, then a holiday
        (M, S, S, S),  # one missed, then holidays
        (M, M, M, A),  # answered this week
    ],
)
def test_fewer_than_two_missed_in_a_row_up_to_now_need_no_attention(states):
    d = digest(
        [person("UA")], checkins=[checkin("UA", w, s) for w, s in zip(WEEKS, states, strict=True)]
    )
    assert AttentionReason.MISSED_CHECKINS not in [a.reason for a in d.attention]


# Attention: confidence


def test_a_confidence_drop_of_two_between_the_last_two_answers_needs_attention():
    d = digest(
        [person("UA")],
        checkins=[
            checkin("UA", W46, A, confidence=5),
            checkin("UA", W47, A, confidence=4),
            checkin("UA", W48, A, confidence=2),
        ],
    )
    assert reasons(d, "UA") == [(AttentionReason.CONFIDENCE_DROPPING, "4 → 2")]


def test_the_confidence_drop_compares_answers_with_a_confidence_whatever_lies_between():
    d = digest(
        [person("UA")],
        checkins=[
            checkin("UA", W45, A, confidence=4),
            checkin("UA", W46, S),
            checkin("UA", W47, A, progress="No level given"),
            checkin("UA", W48, A, confidence=1),
        ],
    )
    assert reasons(d, "UA") == [(AttentionReason.CONFIDENCE_DROPPING, "4 → 1")]


@pytest.mark.parametrize(
    "levels",
    [
        (5, 4, 3),  # a slow slide: one step at a time
        (2, 4),  # going up
        (3, 3),  # steady
        (4,),  # a single answer
    ],
)
def test_no_confidence_attention_without_a_drop_of_two_between_the_last_two_answers(levels):
    weeks = WEEKS[-len(levels) :]
    d = digest(
        [person("UA")],
        checkins=[checkin("UA", w, A, confidence=c) for w, c in zip(weeks, levels, strict=True)],
    )
    assert reasons(d, "UA") == []


# Attention: blocked goals


def test_a_blocked_shared_goal_needs_attention_with_its_number_and_a_private_one_is_not_listed():
    d = digest(
        [person("UA")],
        goals=[
            goal(1, "UA", number=1, status=ON_TRACK),
            goal(2, "UA", number=2, status=BLOCKED),
            goal(3, "UA", number=3, status=BLOCKED, visibility=Visibility.PRIVATE),
            goal(4, "UA", number=4, status=BLOCKED),
        ],
    )
    assert reasons(d, "UA") == [
        (AttentionReason.BLOCKED_GOAL, "2"),
        (AttentionReason.BLOCKED_GOAL, "4"),
    ]


def test_a_blocked_goal_of_someone_outside_the_scope_is_not_listed():
    d = digest([person("UA")], goals=[goal(1, "UX", status=BLOCKED)])
    assert d.attention == ()


# Attention: waiting


def test_a_mentee_without_a_match_for_more_than_three_days_since_their_profile_needs_attention():
    d = digest([person("UA", mentee=True, joined=NOW - timedelta(days=5, hours=2))])
    assert d.attention == (Attention("UA", AttentionReason.WAITING_FOR_MATCH, "5"),)


def test_a_mentee_waiting_for_a_mentors_answer_for_more_than_three_days_needs_attention():
    d = digest(
        [person("UA", mentee=True, joined=LONG_AGO)],
        matches=[OpenMatch("UM", "UA", accepted=False, since=NOW - timedelta(days=4))],
    )
    assert d.attention == (Attention("UA", AttentionReason.WAITING_FOR_MENTOR, "4"),)


@pytest.mark.parametrize("waited", [timedelta(days=3), timedelta(days=3, hours=23, minutes=59)])
def test_waiting_exactly_three_days_or_just_under_four_is_not_listed(waited):
    d = digest(
        [
            person("UA", mentee=True, joined=NOW - waited),
            person("UB", mentee=True, joined=LONG_AGO),
        ],
        matches=[OpenMatch("UM", "UB", accepted=False, since=NOW - waited)],
    )
    assert d.attention == ()


def test_nobody_waits_who_has_a_mentor_is_not_a_mentee_or_has_no_profile():
    d = digest(
        [
            person("UA", mentee=True, joined=LONG_AGO),
            person("UB", mentee=False, joined=LONG_AGO),
            person("UC", mentee=True, joined=None),
        ],
        matches=[OpenMatch("UM", "UA", accepted=True, since=LONG_AGO)],
    )
    assert d.attention == ()


def test_attention_is_ordered_by_person_then_by_reason():
    d = digest(
        [
            person("UB", mentee=True, joined=NOW - timedelta(days=10)),
            person("UA"),
        ],
        checkins=[
            checkin("UA", W46, A, confidence=5),
            checkin("UA", W47, A, confidence=2),
            checkin("UB", W47, M),
            checkin("UB", W48, M),
        ],
        goals=[goal(1, "UA", number=7, status=BLOCKED), goal(2, "UB", number=1, status=BLOCKED)],
    )
    assert [(a.user_id, a.reason, a.detail) for a in d.attention] == [
        ("UA", AttentionReason.BLOCKED_GOAL, "7"),
        ("UA", AttentionReason.CONFIDENCE_DROPPING, "5 → 2"),
        ("UB", AttentionReason.MISSED_CHECKINS, "2"),
        ("UB", AttentionReason.BLOCKED_GOAL, "1"),
        ("UB", AttentionReason.WAITING_FOR_MATCH, "10"),
    ]


# One line per person


def test_a_persons_streak_ignores_skipped_weeks_and_this_weeks_pending_check_in():
    d = digest(
        [person("UA")],
        checkins=[
            checkin("UA", W45, A),
            checkin("UA", W46, A),
            checkin("UA", W47, S),
            checkin("UA", W48, P),
        ],
    )
    assert line(d, "UA").answered_streak == 2
    assert line(d, "UA").this_week is P
    assert line(d, "UA").states == (A, A, S, P)


def test_a_persons_streak_stops_at_the_newest_missed_week():
    d = digest(
        [person("UA")],
        checkins=[
            checkin("UA", W45, A),
            checkin("UA", W46, M),
            checkin("UA", W47, A),
            checkin("UA", W48, A),
        ],
    )
    assert line(d, "UA").answered_streak == 2


def test_a_missed_check_in_this_week_leaves_no_streak():
    d = digest([person("UA")], checkins=[checkin("UA", W47, A), checkin("UA", W48, M)])
    assert line(d, "UA").answered_streak == 0
    assert line(d, "UA").this_week is M


def test_a_person_without_check_ins_or_goals_has_an_empty_line_with_a_state_per_week():
    d = digest([person("UA")])
    assert line(d, "UA") == PersonLine(
        user_id="UA",
        answered_streak=0,
        this_week=None,
        goals=0,
        goal_progress=None,
        worst_status=None,
        confidence=None,
        states=(None, None, None, None),
    )


def test_the_states_per_week_are_aligned_with_the_digests_weeks():
    d = digest([person("UA")], checkins=[checkin("UA", W46, M), checkin("UA", W48, A)])
    assert line(d, "UA").states == (None, M, None, A)
    assert len(line(d, "UA").states) == len(d.weeks)


def test_a_persons_goals_are_their_shared_goals_in_progress_with_the_most_worrying_status():
    d = digest(
        [person("UA")],
        goals=[
            goal(1, "UA", number=1, status=ON_TRACK, progress=10),
            goal(2, "UA", number=2, status=AT_RISK, progress=40),
            goal(3, "UA", number=3, status=DONE),
            goal(4, "UA", number=4, status=ARCHIVED, progress=0),
            goal(5, "UA", number=5, status=BLOCKED, visibility=Visibility.PRIVATE, progress=0),
        ],
    )
    assert (line(d, "UA").goals, line(d, "UA").goal_progress) == (2, 25)
    assert line(d, "UA").worst_status is AT_RISK


@pytest.mark.parametrize(
    ("statuses", "worst"),
    [
        ((ON_TRACK,), ON_TRACK),
        ((ON_TRACK, AT_RISK), AT_RISK),
        ((AT_RISK, BLOCKED, ON_TRACK), BLOCKED),
        ((DONE,), None),
    ],
)
def test_the_worst_status_is_blocked_then_at_risk_then_on_track(statuses, worst):
    d = digest(
        [person("UA")],
        goals=[goal(n, "UA", number=n, status=s) for n, s in enumerate(statuses, start=1)],
    )
    assert line(d, "UA").worst_status == worst


def test_a_persons_confidence_is_their_latest_answer_that_gave_one():
    d = digest(
        [person("UA")],
        checkins=[
            checkin("UA", W45, A, confidence=2),
            checkin("UA", W46, A, confidence=4),
            checkin("UA", W47, A, progress="No level this time"),
            checkin("UA", W48, P),
        ],
    )
    assert line(d, "UA").confidence == 4


def test_the_lines_are_sorted_by_user_id_one_per_person_in_scope():
    d = digest([person("UC"), person("UA"), person("UB")], checkins=[checkin("UX", W48, A)])
    assert [p.user_id for p in d.per_person] == ["UA", "UB", "UC"]


# Highlights


def test_highlights_are_only_words_shared_with_the_lead_newest_week_first():
    d = digest(
        [person("UA"), person("UB")],
        checkins=[
            checkin("UA", W46, A, progress="Old news", share_with_lead=True),
            checkin("UA", W48, A, progress="Shipped", next_steps="Demo", share_with_lead=True),
            checkin("UB", W47, A, progress="Secret progress", blockers="Secret blocker"),
            checkin("UB", W48, A, progress="For the mentor only", share_with_lead=False),
        ],
    )
    assert d.highlights == (
        Highlight("UA", W48, "Shipped Demo"),
        Highlight("UA", W46, "Old news"),
    )


def test_blockers_never_enter_a_highlight_and_unshared_words_enter_nothing_in_the_digest():
    d = digest(
        [person("UA"), person("UB")],
        checkins=[
            checkin(
                "UA",
                W48,
                A,
                progress="Fine",
                blockers="Blocked by my manager",
                share_with_lead=True,
            ),
            checkin("UB", W48, A, progress="Thinking of quitting", confidence=2),
        ],
        goals=[goal(1, "UA", status=BLOCKED)],
    )
    assert d.highlights == (Highlight("UA", W48, "Fine"),)
    stored = json.dumps(digest_payload(d))
    for private in ("Blocked by my manager", "Thinking of quitting", "A private reason", "Goal 1"):
        assert private not in stored


def test_a_shared_check_in_that_is_not_answered_or_has_no_words_gives_no_highlight():
    d = digest(
        [person("UA"), person("UB"), person("UC")],
        checkins=[
            checkin("UA", W48, M, progress="Left from a draft", share_with_lead=True),
            checkin("UB", W48, A, confidence=4, share_with_lead=True),
            checkin("UC", W48, A, blockers="Only a blocker", share_with_lead=True),
        ],
    )
    assert d.highlights == ()


def test_a_long_highlight_is_clipped_with_an_ellipsis_and_its_spacing_collapsed():
    d = digest(
        [person("UA"), person("UB")],
        checkins=[
            checkin("UA", W48, A, progress="word " * 100, share_with_lead=True),
            checkin("UB", W48, A, progress="Line one\n\n  line   two", share_with_lead=True),
        ],
    )
    by_user = {h.user_id: h.text for h in d.highlights}
    assert len(by_user["UA"]) <= HIGHLIGHT_CHARS
    assert by_user["UA"].endswith("word…")
    assert by_user["UB"] == "Line one line two"


def test_a_highlight_of_exactly_the_limit_is_kept_whole():
    exact = "x" * HIGHLIGHT_CHARS
    one_more = "y" * (HIGHLIGHT_CHARS + 1)
    d = digest(
        [person("UA"), person("UB")],
        checkins=[
            checkin("UA", W48, A, progress=exact, share_with_lead=True),
            checkin("UB", W48, A, progress=one_more, share_with_lead=True),
        ],
    )
    by_user = {h.user_id: h.text for h in d.highlights}
    assert by_user["UA"] == exact
    assert by_user["UB"] == "y" * (HIGHLIGHT_CHARS - 1) + "…"
    assert len(by_user["UB"]) == HIGHLIGHT_CHARS


# Average confidence


def test_the_average_confidence_needs_at_least_min_group_answers_this_week():
    assert MIN_GROUP == 3
    people = [person(u) for u in ("UA", "UB", "UC", "UD")]
    three = digest(
        people,
        checkins=[
            checkin("UA", W48, A, confidence=4),
            checkin("UB", W48, A, confidence=4),
            checkin("UC", W48, A, confidence=3),
            checkin("UD", W48, P),
        ],
    )
    assert three.average_confidence == 3.7

    two = digest(
        people,
        checkins=[
            checkin("UA", W48, A, confidence=5),
            checkin("UB", W48, A, confidence=1),
            checkin("UC", W48, A, progress="No level"),  # answered, but gave no confidence
            checkin("UD", W47, A, confidence=3),  # last week's
        ],
    )
    assert two.average_confidence is None


def test_the_average_confidence_leaves_out_people_outside_the_scope():
    d = digest(
        [person("UA"), person("UB")],
        checkins=[
            checkin("UA", W48, A, confidence=4),
            checkin("UB", W48, A, confidence=4),
            checkin("UX", W48, A, confidence=1),
        ],
    )
    assert d.average_confidence is None


# Stored as JSON and read back


def _rich_digest() -> Digest:
    return digest(
        [
            person("UA"),
            person("UB", mentee=True, joined=NOW - timedelta(days=9)),
            person("UC"),
            person("UD", mentee=True, joined=LONG_AGO),
            person("UE"),
        ],
        checkins=[
            checkin("UA", W45, A, confidence=5),
            checkin("UA", W46, A, confidence=5, progress="Shipped", share_with_lead=True),
            checkin("UA", W47, S),
            checkin("UA", W48, A, confidence=2, next_steps="Rest", share_with_lead=True),
            checkin("UB", W47, M),
            checkin("UB", W48, M),
            checkin("UC", W48, A, confidence=4),
            checkin("UD", W48, P),
            checkin("UE", W48, A, confidence=3),
        ],
        goals=[
            goal(1, "UA", number=1, status=AT_RISK, progress=30),
            goal(2, "UB", number=1, status=BLOCKED, progress=10),
            goal(3, "UC", number=1, status=DONE),
        ],
        points=[point(W46, "UA", 1, 20), point(W47, "UB", 2, 10)],
        matches=[
            OpenMatch("UC", "UA", accepted=True, since=LONG_AGO),
            OpenMatch("UC", "UD", accepted=False, since=NOW - timedelta(days=6)),
        ],
    )


def test_the_rich_digest_used_for_the_round_trip_has_something_in_every_part():
    d = _rich_digest()
    assert d.attention and d.per_person and d.highlights
    assert d.average_confidence is not None
    assert {a.reason for a in d.attention} == set(AttentionReason)
    assert {p.this_week for p in d.per_person} == {A, M, P}


def test_a_digest_survives_its_json_payload_unchanged():
    d = replace(
        _rich_digest(),
        groups=(GroupLine("Search", 5, 80, 1), GroupLine("Ads", 3, None, 0)),
        small_groups=2,
    )
    stored = json.dumps(digest_payload(d))
    assert digest_from_payload(json.loads(stored)) == d


def test_an_empty_digest_with_nothing_known_survives_its_json_payload_unchanged():
    empty = Digest(
        title="",
        weeks=(WeekPoint(W48, 0, 0, None),),
        people=1,
        active_matches=0,
        goal_counts={},
        attention=(),
        per_person=(PersonLine("UA", 0, None, 0, None, None, None, (None,)),),
        highlights=(),
    )
    assert digest_from_payload(json.loads(json.dumps(digest_payload(empty)))) == empty


def test_the_payload_keeps_enums_as_their_plain_values():
    payload = digest_payload(_rich_digest())
    assert payload["goal_counts"] == {"on-track": 0, "at-risk": 1, "blocked": 1, "done": 1}
    assert ["UB", "missed-checkins", "2"] in payload["attention"]
    assert payload["per_person"][0]["states"] == ["answered", "answered", "skipped", "answered"]


def test_a_group_line_sums_up_a_teams_digest_for_the_whole_program():
    d = _rich_digest()
    assert group_line("Search", d) == GroupLine(
        name="Search", people=5, response_rate=60, blocked=1
    )
    assert (d.this_week.expected, d.this_week.answered) == (5, 3)  # UB missed, UD pending


# `/mentor digest [team] [weeks N] [csv]`


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", DigestRequest(team=None, weeks=DEFAULT_WEEKS, csv=False)),
        ("   ", DigestRequest(team=None, weeks=DEFAULT_WEEKS, csv=False)),
        ("Search", DigestRequest(team="Search", weeks=4, csv=False)),
        ("Search weeks 8", DigestRequest(team="Search", weeks=8, csv=False)),
        ("weeks 8", DigestRequest(team=None, weeks=8, csv=False)),
        ("Search csv", DigestRequest(team="Search", weeks=4, csv=True)),
        ("csv", DigestRequest(team=None, weeks=4, csv=True)),
        ("Search weeks 2 csv", DigestRequest(team="Search", weeks=2, csv=True)),
        ("My Team Name weeks 12", DigestRequest(team="My Team Name", weeks=12, csv=False)),
        ("  My   Team  ", DigestRequest(team="My Team", weeks=4, csv=False)),
        ("Search WEEKS 3 CSV", DigestRequest(team="Search", weeks=3, csv=True)),
        ("weeks 1", DigestRequest(team=None, weeks=1, csv=False)),
        ("weeks 26", DigestRequest(team=None, weeks=MAX_WEEKS, csv=False)),
        ("weeks 08", DigestRequest(team=None, weeks=8, csv=False)),
    ],
)
def test_the_digest_command_reads_a_team_a_number_of_weeks_and_csv(text, expected):
    assert parse_digest_command(text) == expected


def test_the_digest_command_accepts_none_as_nothing_typed():
    assert parse_digest_command(None) == DigestRequest()


@pytest.mark.parametrize(
    ("text", "typed"),
    [
        ("weeks 0", "0"),
        ("weeks 27", "27"),
        ("Search weeks many", "many"),
        ("weeks ²", "²"),
        ("weeks ٣", "٣"),
        ("weeks " + "9" * 5000, "9" * 20),
        ("weeks -1", "-1"),
        ("weeks 2.5", "2.5"),
        ("weeks", ""),
        ("Search weeks", ""),
        ("Search weeks csv", ""),
    ],
)
def test_a_number_of_weeks_that_is_not_1_to_26_is_refused(text, typed):
    with pytest.raises(InvalidInput) as raised:
        parse_digest_command(text)
    assert raised.value.values == {"limit": MAX_WEEKS, "text": typed}


def test_a_long_wrong_number_of_weeks_is_quoted_clipped():
    with pytest.raises(InvalidInput) as raised:
        parse_digest_command("weeks " + "9" * 50)
    assert raised.value.values["text"] == "9" * 20
