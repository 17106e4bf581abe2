"""A progress digest for a team lead (or the whole program, for admins): how the people are
doing, who needs attention and why, and the trend - computed from check-ins, goals and matches,
never from anyone's private words.

What a lead may see: whether each person answered, their confidence, the status and progress of
goals they share (private goals are not counted at all), and the words of check-ins their author
chose to share with the lead. Nothing else of a check-in's text ever enters a digest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.domain.checkins import Checkin, CheckinState, missed_streak
from bot.domain.errors import InvalidInput
from bot.domain.goals import Goal, GoalStatus, Visibility
from bot.domain.i18n_markers import N_
from bot.domain.numbers import parse_whole_number
from bot.domain.text import clip

DEFAULT_WEEKS = 4
MAX_WEEKS = 26
MIN_GROUP = 3
"""Fewer people than this: no per-team breakdown and no average confidence (it would be one
person's)."""
WAITING_DAYS = 3
MISSED_IN_A_ROW = 2
CONFIDENCE_DROP = 2
HIGHLIGHT_CHARS = 280
COUNTED = (GoalStatus.ON_TRACK, GoalStatus.AT_RISK, GoalStatus.BLOCKED, GoalStatus.DONE)


class AttentionReason(StrEnum):
    MISSED_CHECKINS = "missed-checkins"
    BLOCKED_GOAL = "blocked-goal"
    CONFIDENCE_DROPPING = "confidence-dropping"
    WAITING_FOR_MATCH = "waiting-for-match"
    WAITING_FOR_MENTOR = "waiting-for-mentor"


@dataclass(frozen=True)
class Attention:
    user_id: str
    reason: AttentionReason
    detail: str
    """The missed weeks, the goal number, "4 → 2", or the days waited."""


@dataclass(frozen=True)
class WeekPoint:
    week: str
    expected: int
    """Check-ins due that week, skipped ones not counted."""
    answered: int
    goal_progress: int | None
    """Average progress of the shared goals recorded in that week's check-ins (the latest
    week: of the goals in progress now), or None with nothing to average."""

    @property
    def response_rate(self) -> int | None:
        """Percent, rounded; None when no check-in was due."""
        return round(100 * self.answered / self.expected) if self.expected else None


@dataclass(frozen=True)
class PersonLine:
    user_id: str
    answered_streak: int
    """Weeks answered in a row up to the latest (skipped weeks neither count nor break it)."""
    this_week: CheckinState | None
    goals: int
    goal_progress: int | None
    worst_status: GoalStatus | None
    """The most worrying status among their shared goals in progress."""
    confidence: int | None
    states: tuple[CheckinState | None, ...] = ()
    """Their check-in of each week of the digest (None: none that week), oldest first."""


@dataclass(frozen=True)
class Highlight:
    user_id: str
    week: str
    text: str


@dataclass(frozen=True)
class GroupLine:
    """One team in the whole-program digest (teams of MIN_GROUP people or more)."""

    name: str
    people: int
    response_rate: int | None
    blocked: int


@dataclass(frozen=True)
class Digest:
    title: str
    """The team's name, or empty for the whole program."""
    weeks: tuple[WeekPoint, ...]
    """Oldest first; the last is "this week"."""
    people: int
    active_matches: int
    goal_counts: Mapping[GoalStatus, int]
    attention: tuple[Attention, ...]
    per_person: tuple[PersonLine, ...]
    highlights: tuple[Highlight, ...]
    average_confidence: float | None = None
    groups: tuple[GroupLine, ...] = ()
    small_groups: int = 0
    """Teams left out of `groups` for having fewer than MIN_GROUP people."""

    @property
    def this_week(self) -> WeekPoint | None:
        return self.weeks[-1] if self.weeks else None

    @property
    def last_week(self) -> WeekPoint | None:
        return self.weeks[-2] if len(self.weeks) > 1 else None

    @property
    def response_change(self) -> int | None:
        """Points up or down from last week's response rate."""
        now, before = self.this_week, self.last_week
        if now is None or before is None:
            return None
        if now.response_rate is None or before.response_rate is None:
            return None
        return now.response_rate - before.response_rate


@dataclass(frozen=True)
class OpenMatch:
    mentor_id: str
    mentee_id: str
    accepted: bool
    since: datetime


@dataclass(frozen=True)
class Person:
    user_id: str
    is_mentee: bool
    joined_at: datetime | None
    """When their profile was made (a mentee waits for a match from then); None without one."""


@dataclass(frozen=True)
class CheckinGoalPoint:
    week: str
    user_id: str
    goal_id: int
    progress: int


@dataclass(frozen=True)
class DigestInput:
    """Everything a digest is computed from, as loaded in a fixed number of queries."""

    people: Sequence[Person]
    checkins: Sequence[Checkin]
    goals: Sequence[Goal]
    goal_points: Sequence[CheckinGoalPoint]
    matches: Sequence[OpenMatch]


def week_labels(latest: date, count: int) -> list[str]:
    """`count` ISO week labels ending with the week of `latest`, oldest first."""
    labels = []
    for back in range(count - 1, -1, -1):
        year, week, _ = (latest - timedelta(weeks=back)).isocalendar()
        labels.append(f"{year}-W{week:02d}")
    return labels


def build_digest(data: DigestInput, *, title: str, weeks: Sequence[str], now: datetime) -> Digest:
    """The digest over `weeks` (oldest first). Everything is computed here, from `data` only."""
    people = sorted({p.user_id for p in data.people})
    in_scope = set(people)
    window = set(weeks)
    checkins = [c for c in data.checkins if c.user_id in in_scope and c.week in window]
    by_person: dict[str, list[Checkin]] = {user: [] for user in people}
    for checkin in sorted(checkins, key=lambda c: c.week, reverse=True):
        by_person[checkin.user_id].append(checkin)
    goals = [
        g
        for g in data.goals
        if g.user_id in in_scope
        and g.visibility is Visibility.MENTOR
        and g.status is not GoalStatus.ARCHIVED
    ]
    active_goals = [g for g in goals if g.is_active]
    goals_by_person: dict[str, list[Goal]] = {}
    for goal in active_goals:
        goals_by_person.setdefault(goal.user_id, []).append(goal)
    points = _week_points(weeks, checkins, data.goal_points, goals, in_scope)
    return Digest(
        title=title,
        weeks=points,
        people=len(people),
        active_matches=sum(
            1
            for m in data.matches
            if m.accepted and (m.mentee_id in in_scope or m.mentor_id in in_scope)
        ),
        goal_counts={
            status: sum(1 for g in goals if g.status is status)
            for status in (
                GoalStatus.ON_TRACK,
                GoalStatus.AT_RISK,
                GoalStatus.BLOCKED,
                GoalStatus.DONE,
            )
        },
        attention=tuple(_attention(data, by_person, active_goals, in_scope, now)),
        per_person=tuple(
            _person_line(u, by_person[u], goals_by_person.get(u, []), weeks) for u in people
        ),
        highlights=tuple(_highlights(checkins)),
        average_confidence=_average_confidence(checkins, weeks[-1] if weeks else ""),
    )


def _week_points(
    weeks: Sequence[str],
    checkins: Sequence[Checkin],
    goal_points: Sequence[CheckinGoalPoint],
    goals: Sequence[Goal],
    in_scope: set[str],
) -> tuple[WeekPoint, ...]:
    """`goals`: the shared goals not archived; a point recorded for any other goal (private,
    archived) is left out."""
    shared = {g.id for g in goals}
    active_goals = [g for g in goals if g.is_active]
    due_by_week: dict[str, list[Checkin]] = {week: [] for week in weeks}
    for checkin in checkins:
        if checkin.state is not CheckinState.SKIPPED and checkin.week in due_by_week:
            due_by_week[checkin.week].append(checkin)
    recorded_by_week: dict[str, list[int]] = {week: [] for week in weeks}
    for point in goal_points:
        if point.week in recorded_by_week and point.user_id in in_scope and point.goal_id in shared:
            recorded_by_week[point.week].append(point.progress)
    result = []
    for week in weeks:
        due = due_by_week[week]
        answered = sum(1 for c in due if c.state is CheckinState.ANSWERED)
        recorded = recorded_by_week[week]
        if week == weeks[-1] and not recorded:
            recorded = [g.progress for g in active_goals]
        progress = round(sum(recorded) / len(recorded)) if recorded else None
        result.append(WeekPoint(week, len(due), answered, progress))
    return tuple(result)


_STATUS_WORRY = {GoalStatus.BLOCKED: 3, GoalStatus.AT_RISK: 2, GoalStatus.ON_TRACK: 1}


def _person_line(
    user_id: str,
    newest_first: Sequence[Checkin],
    active_goals: Sequence[Goal],
    weeks: Sequence[str],
) -> PersonLine:
    latest = weeks[-1]
    by_week = {c.week: c.state for c in newest_first}
    mine = [g for g in active_goals if g.user_id == user_id]
    streak = 0
    for checkin in newest_first:
        if checkin.state is CheckinState.SKIPPED or (
            checkin.week == latest and checkin.state is CheckinState.PENDING
        ):
            continue
        if checkin.state is not CheckinState.ANSWERED:
            break
        streak += 1
    this_week = next((c.state for c in newest_first if c.week == latest), None)
    answered = [c for c in newest_first if c.state is CheckinState.ANSWERED and c.answer.confidence]
    return PersonLine(
        user_id=user_id,
        answered_streak=streak,
        this_week=this_week,
        goals=len(mine),
        goal_progress=round(sum(g.progress for g in mine) / len(mine)) if mine else None,
        worst_status=max((g.status for g in mine), key=_STATUS_WORRY.__getitem__, default=None),
        confidence=answered[0].answer.confidence if answered else None,
        states=tuple(by_week.get(week) for week in weeks),
    )


def _attention(
    data: DigestInput,
    by_person: Mapping[str, Sequence[Checkin]],
    active_goals: Sequence[Goal],
    in_scope: set[str],
    now: datetime,
) -> list[Attention]:
    found: list[Attention] = []
    for user_id, newest_first in by_person.items():
        streak = missed_streak(
            [c.state for c in newest_first if c.state is not CheckinState.PENDING]
        )
        if streak >= MISSED_IN_A_ROW:
            found.append(Attention(user_id, AttentionReason.MISSED_CHECKINS, str(streak)))
        levels = [
            c.answer.confidence
            for c in newest_first
            if c.state is CheckinState.ANSWERED and c.answer.confidence
        ]
        if len(levels) >= 2 and levels[1] - levels[0] >= CONFIDENCE_DROP:
            found.append(
                Attention(
                    user_id, AttentionReason.CONFIDENCE_DROPPING, f"{levels[1]} → {levels[0]}"
                )
            )
    for goal in sorted(active_goals, key=lambda g: (g.user_id, g.number)):
        if goal.status is GoalStatus.BLOCKED:
            found.append(Attention(goal.user_id, AttentionReason.BLOCKED_GOAL, str(goal.number)))
    waiting_since = _waiting(data, in_scope)
    for user_id, (reason, since) in sorted(waiting_since.items()):
        days = (now - since).days
        if days > WAITING_DAYS:
            found.append(Attention(user_id, reason, str(days)))
    order = {user: n for n, user in enumerate(sorted(in_scope))}
    return sorted(found, key=lambda a: (order[a.user_id], list(AttentionReason).index(a.reason)))


def _waiting(data: DigestInput, in_scope: set[str]) -> dict[str, tuple[AttentionReason, datetime]]:
    """Mentees without a mentor: since their profile (no request yet), or since their request
    (a mentor has not answered)."""
    open_by_mentee = {m.mentee_id: m for m in data.matches}
    waiting: dict[str, tuple[AttentionReason, datetime]] = {}
    for person in data.people:
        if not person.is_mentee or person.joined_at is None or person.user_id not in in_scope:
            continue
        match = open_by_mentee.get(person.user_id)
        if match is None:
            waiting[person.user_id] = (AttentionReason.WAITING_FOR_MATCH, person.joined_at)
        elif not match.accepted:
            waiting[person.user_id] = (AttentionReason.WAITING_FOR_MENTOR, match.since)
    return waiting


def _highlights(checkins: Sequence[Checkin]) -> list[Highlight]:
    """Only words their author shared with the lead, newest week first."""
    found = []
    for checkin in sorted(checkins, key=lambda c: (c.week, c.user_id), reverse=True):
        answer = checkin.answer
        if checkin.state is not CheckinState.ANSWERED or not answer.share_with_lead:
            continue
        text = " ".join(part for part in (answer.progress, answer.next_steps) if part).strip()
        if text:
            found.append(Highlight(checkin.user_id, checkin.week, _clip(text)))
    return found


def _average_confidence(checkins: Sequence[Checkin], week: str) -> float | None:
    levels = [
        c.answer.confidence
        for c in checkins
        if c.week == week and c.state is CheckinState.ANSWERED and c.answer.confidence
    ]
    if len(levels) < MIN_GROUP:
        return None
    return round(sum(levels) / len(levels), 1)


def _clip(text: str) -> str:
    return clip(" ".join(text.split()), HIGHLIGHT_CHARS)


def group_line(name: str, digest: Digest) -> GroupLine:
    this_week = digest.this_week
    return GroupLine(
        name=name,
        people=digest.people,
        response_rate=this_week.response_rate if this_week else None,
        blocked=digest.goal_counts.get(GoalStatus.BLOCKED, 0),
    )


@dataclass(frozen=True)
class DigestRequest:
    """`/mentor digest [team] [weeks N] [csv]`."""

    team: str | None = None
    weeks: int = DEFAULT_WEEKS
    csv: bool = False


def parse_digest_command(rest: str) -> DigestRequest:
    words = (rest or "").split()
    as_csv = bool(words) and words[-1].casefold() == "csv"
    if as_csv:
        words = words[:-1]
    weeks = DEFAULT_WEEKS
    if len(words) >= 2 and words[-2].casefold() == "weeks":
        typed = words[-1]
        asked = parse_whole_number(typed, most=MAX_WEEKS)
        if not asked:  # None, or 0
            raise InvalidInput(_WEEKS, limit=MAX_WEEKS, text=typed[:20])
        weeks, words = asked, words[:-2]
    elif words and words[-1].casefold() == "weeks":
        raise InvalidInput(_WEEKS, limit=MAX_WEEKS, text="")
    name = " ".join(words)
    return DigestRequest(team=name or None, weeks=weeks, csv=as_csv)


_WEEKS = N_("Say how many weeks as a number from 1 to {limit}, e.g. `weeks 8`; “{text}” is not.")
