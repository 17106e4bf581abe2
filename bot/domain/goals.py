"""Goals: a person's plan (a target domain, one sharp strength, the steps to get there), with
milestones, a status, and progress that follows the milestones unless set by hand.

Each person numbers their goals 1, 2, 3...; the number never changes, so `/mentor goal done 2`
means the same goal whatever else was archived since the list was shown.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.dates import IN_THE_PAST, parse_user_date
from bot.domain.errors import InvalidInput
from bot.domain.i18n_markers import N_
from bot.domain.local_time import resolve_local
from bot.domain.numbers import parse_whole_number

MAX_TITLE = 150
MAX_WHY = 1000
MAX_COMMENT = 1000
MAX_MILESTONES = 10
"""A goal's checklist fits one checkboxes element (Slack allows 10 options)."""
MAX_ACTIVE_GOALS = 10
"""Each active goal gets a row of buttons in the weekly check-in; ten keep it readable."""
MAX_GOAL_NUMBER = 100_000
"""No one numbers this many goals: a larger number is a typo, refused before any lookup (the
database column would overflow at 2**31 on PostgreSQL, 2**63 on SQLite)."""
REMINDER_BEFORE = timedelta(days=7)
REMINDER_AT = time(9, 0)
"""The due-date reminder comes a week before, at 09:00 in the owner's time zone."""


class GoalStatus(StrEnum):
    ON_TRACK = "on-track"
    AT_RISK = "at-risk"
    BLOCKED = "blocked"
    DONE = "done"
    ARCHIVED = "archived"


ACTIVE = (GoalStatus.ON_TRACK, GoalStatus.AT_RISK, GoalStatus.BLOCKED)
"""The statuses a goal in progress can have; the check-in offers these and done."""


class Visibility(StrEnum):
    MENTOR = "mentor"
    """The owner and their mentors see everything; leads see status and progress only."""
    PRIVATE = "private"
    """Only the owner."""


class GoalEventKind(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    STATUS = "status"
    PROGRESS = "progress"
    MILESTONE_ADDED = "milestone-added"
    MILESTONE_REMOVED = "milestone-removed"
    MILESTONE_DONE = "milestone-done"
    MILESTONE_UNDONE = "milestone-undone"
    COMMENT = "comment"


@dataclass(frozen=True)
class Milestone:
    title: str
    due: date | None = None
    done: bool = False
    id: int | None = None
    """None until stored."""


@dataclass(frozen=True)
class Goal:
    id: int
    team_id: str
    user_id: str
    number: int
    title: str
    why: str
    due: date | None
    status: GoalStatus
    visibility: Visibility
    manual_progress: int | None
    milestones: tuple[Milestone, ...]
    created_at: datetime
    updated_at: datetime
    template: str | None = None
    done_at: datetime | None = None
    reminded_due: date | None = None
    """The due date whose week-ahead reminder was queued (a new due date gets its own)."""
    remind_at: datetime | None = None
    """When that reminder is due: `reminder_time` in the owner's zone as of the last save."""

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def progress(self) -> int:
        """0-100: 100 once done; the hand-set figure if any; else the share of milestones done."""
        if self.status is GoalStatus.DONE:
            return 100
        if self.manual_progress is not None:
            return self.manual_progress
        return milestone_progress(self.milestones)

    @property
    def progress_is_manual(self) -> bool:
        return self.status is not GoalStatus.DONE and self.manual_progress is not None

    def is_overdue(self, today: date) -> bool:
        return self.is_active and self.due is not None and self.due < today

    def milestone(self, milestone_id: int) -> Milestone | None:
        return next((m for m in self.milestones if m.id == milestone_id), None)


@dataclass(frozen=True)
class GoalDraft:
    """What a person typed for a new goal, or an edit of one, once read and checked."""

    title: str
    why: str = ""
    due: date | None = None
    visibility: Visibility = Visibility.MENTOR
    milestones: tuple[Milestone, ...] = ()
    template: str | None = None


@dataclass(frozen=True)
class GoalEdit:
    """The update form: the draft plus status and progress (None: follow the milestones)."""

    draft: GoalDraft
    status: GoalStatus
    manual_progress: int | None


@dataclass(frozen=True)
class GoalFormInput:
    """The goal form's fields as typed (status and progress only when updating a goal)."""

    title: str = ""
    why: str = ""
    due: str = ""
    milestones: str = ""
    visibility: str = Visibility.MENTOR.value
    status: str = ""
    progress: str = ""
    template: str | None = None
    goal_id: int | None = None


@dataclass(frozen=True)
class GoalEvent:
    goal_id: int
    kind: GoalEventKind
    actor: str
    at: datetime
    old: str | None = None
    new: str | None = None
    note: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class GoalChange:
    """One event to record, as services build it (the repository adds goal and time)."""

    kind: GoalEventKind
    old: str | None = None
    new: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class GoalStatusLine:
    """What a team lead may see of a goal: no title, no reason, no milestones."""

    user_id: str
    number: int
    status: GoalStatus
    progress: int
    due: date | None
    overdue: bool


@dataclass(frozen=True)
class CheckinGoalUpdate:
    """A goal's status as set from a weekly check-in (one per goal per check-in, the latest)."""

    checkin_id: int
    goal_id: int
    status: GoalStatus
    progress: int
    at: datetime


@dataclass(frozen=True)
class GoalView:
    """A goal as one viewer may see it, with its latest comments (newest last)."""

    goal: Goal
    comments: tuple[GoalEvent, ...] = field(default_factory=tuple)


def milestone_progress(milestones: tuple[Milestone, ...]) -> int:
    if not milestones:
        return 0
    return round(100 * sum(m.done for m in milestones) / len(milestones))


# Status changes


def check_transition(goal: Goal, new: GoalStatus) -> None:
    """Active statuses change freely and can be done or archived; a done goal can be reopened
    or archived; an archived goal can only be restored to an active status first."""
    if goal.status is new:
        raise InvalidInput(_ALREADY[new], number=goal.number)
    if goal.status is GoalStatus.ARCHIVED and new is GoalStatus.DONE:
        raise InvalidInput(_RESTORE_FIRST, number=goal.number)


def check_editable(goal: Goal) -> None:
    """Progress and milestones change only while the goal is in progress."""
    if goal.status is GoalStatus.DONE:
        raise InvalidInput(_DONE_REOPEN_FIRST, number=goal.number)
    if goal.status is GoalStatus.ARCHIVED:
        raise InvalidInput(_RESTORE_FIRST, number=goal.number)


_ALREADY = {
    GoalStatus.ON_TRACK: N_("Goal {number} is already on track."),
    GoalStatus.AT_RISK: N_("Goal {number} is already marked at risk."),
    GoalStatus.BLOCKED: N_("Goal {number} is already marked blocked."),
    GoalStatus.DONE: N_("Goal {number} is already done."),
    GoalStatus.ARCHIVED: N_("Goal {number} is already archived."),
}
_RESTORE_FIRST = N_(
    "Goal {number} is archived. Restore it first: `/mentor goal status {number} on-track`."
)
_DONE_REOPEN_FIRST = N_(
    "Goal {number} is done. To work on it again, reopen it: `/mentor goal status {number} "
    "on-track`."
)


# Reading what people type

_STATUS_WORDS = {
    "on-track": GoalStatus.ON_TRACK,
    "ontrack": GoalStatus.ON_TRACK,
    "on_track": GoalStatus.ON_TRACK,
    "on": GoalStatus.ON_TRACK,
    "순조": GoalStatus.ON_TRACK,
    "at-risk": GoalStatus.AT_RISK,
    "atrisk": GoalStatus.AT_RISK,
    "at_risk": GoalStatus.AT_RISK,
    "risk": GoalStatus.AT_RISK,
    "위험": GoalStatus.AT_RISK,
    "blocked": GoalStatus.BLOCKED,
    "막힘": GoalStatus.BLOCKED,
}


def parse_status(text: str) -> GoalStatus:
    """`on-track`, `at-risk` or `blocked` (done and archive have their own commands)."""
    word = " ".join((text or "").split()).casefold().replace(" ", "-")
    if word in _STATUS_WORDS:
        return _STATUS_WORDS[word]
    raise InvalidInput(_BAD_STATUS, text=(text or "").strip()[:40])


_BAD_STATUS = N_("“{text}” is not a status: use on-track, at-risk or blocked.")


def parse_progress(text: str) -> int | None:
    """A whole percentage 0-100 (a trailing % is fine); `auto` means follow the milestones."""
    typed = (text or "").strip().rstrip("%").strip()
    if typed.casefold() in ("auto", "자동"):
        return None
    progress = parse_whole_number(typed, most=100)
    if progress is None:
        raise InvalidInput(_BAD_PROGRESS, text=(text or "").strip()[:20], field="progress")
    return progress


_BAD_PROGRESS = N_(
    "Progress is a whole number from 0 to 100 (or `auto` to follow the milestones); "
    "“{text}” is not."
)


def parse_number(text: str) -> int:
    """A goal number, 1 to `MAX_GOAL_NUMBER` (a leading # is fine)."""
    typed = (text or "").strip().lstrip("#")
    number = parse_whole_number(typed, most=MAX_GOAL_NUMBER)
    if not number:  # None, or 0
        raise InvalidInput(_BAD_NUMBER, text=(text or "").strip()[:20])
    return number


_BAD_NUMBER = N_("“{text}” is not a goal number: use the number `/mentor goal list` shows, e.g. 1.")


def clean_title(text: str, *, field_name: str = "title") -> str:
    title = " ".join((text or "").split())
    if not title:
        raise InvalidInput(_NO_TITLE, field=field_name)
    if len(title) > MAX_TITLE:
        raise InvalidInput(_TOO_LONG, limit=MAX_TITLE, length=len(title), field=field_name)
    return title


def clean_text(text: str, *, limit: int, field_name: str) -> str:
    cleaned = (text or "").strip()
    if len(cleaned) > limit:
        raise InvalidInput(_TOO_LONG, limit=limit, length=len(cleaned), field=field_name)
    return cleaned


_NO_TITLE = N_("Give the goal a title, e.g. “Ship a RAG demo”.")
_TOO_LONG = N_("Please keep this under {limit} characters (it has {length}).")

# "Ship a RAG demo due 2026-12-31", "RAG 데모 만들기 마감 12/31": the last `due` / `마감` starts
# the date. A title that itself says "due" can be quoted.
_DUE = re.compile(r"\s+(?:due|마감)\s+", re.IGNORECASE)
_QUOTED = re.compile(r'^\s*["“”](.+?)["“”](.*)$', re.DOTALL)


def split_due(text: str) -> tuple[str, str | None]:
    """(title, the date as typed or None)."""
    quoted = _QUOTED.match(text or "")
    if quoted:
        title, rest = quoted.groups()
        rest = rest.strip()
        if not rest:
            return title, None
        words = rest.split(None, 1)
        if words[0].casefold() in ("due", "마감") and len(words) == 2:
            return title, words[1]
        raise InvalidInput(_AFTER_QUOTE, text=rest[:40])
    found = list(_DUE.finditer(" " + (text or "")))
    if not found:
        return (text or "").strip(), None
    last = found[-1]
    padded = " " + (text or "")
    return padded[: last.start()].strip(), padded[last.end() :].strip()


_AFTER_QUOTE = N_(
    "After the quoted title I expected `due` and a date, not “{text}”: e.g. "
    '`/mentor goal add "Read up on due diligence" due 12/31`.'
)


def parse_due(
    typed: str | None,
    *,
    today: date,
    field_name: str = "due",
    allowed_past: Collection[date] = (),
    any_past: bool = False,
) -> date | None:
    """A due date as typed, or None when nothing was typed. It must be today or later, except
    a date in `allowed_past` (the one already stored: an edit may keep an overdue date), or any
    date with `any_past` (a milestone already done)."""
    if typed is None or not typed.strip():
        return None
    try:
        return parse_user_date(typed, today=today, allow_past=any_past)
    except InvalidInput as error:
        if error.message == IN_THE_PAST and allowed_past:
            day = parse_user_date(typed, today=today, allow_past=True)
            if day in allowed_past:
                return day
        raise InvalidInput(error.message, **{**error.values, "field": field_name}) from None


def parse_milestone_lines(
    text: str, *, today: date, allowed_past: Collection[date] = ()
) -> tuple[Milestone, ...]:
    """One milestone per line, optionally ending in `due <date>`; a line starting with `✓` or
    `[x]` is already done (the update form shows done ones that way) and may keep a past date."""
    milestones: list[Milestone] = []
    for raw in (text or "").splitlines():
        line = raw.strip().lstrip("-•*").strip()
        if not line:
            continue
        done = False
        for mark in ("✓", "✔", "[x]", "[X]"):
            if line.startswith(mark):
                done, line = True, line[len(mark) :].strip()
                break
        else:
            if line.startswith("[ ]"):
                line = line[3:].strip()
        title, typed_due = split_due(line)
        due = parse_due(
            typed_due,
            today=today,
            field_name="milestones",
            allowed_past=allowed_past,
            any_past=done,
        )
        milestones.append(Milestone(clean_title(title, field_name="milestones"), due, done))
    if len(milestones) > MAX_MILESTONES:
        raise InvalidInput(
            _TOO_MANY_MILESTONES, limit=MAX_MILESTONES, count=len(milestones), field="milestones"
        )
    return tuple(milestones)


_TOO_MANY_MILESTONES = N_(
    "A goal can have up to {limit} milestones (you wrote {count}); split it into two goals."
)


def parse_goal_form(
    *,
    title: str,
    why: str,
    due: str,
    milestones: str,
    visibility: str,
    today: date,
    template: str | None = None,
    current: Goal | None = None,
) -> GoalDraft:
    """The goal form as typed; raises InvalidInput naming the field that is wrong. Editing a
    goal (`current`) may keep its dates even once they have passed."""
    kept = set()
    if current is not None:
        kept = {current.due} | {m.due for m in current.milestones}
    draft = GoalDraft(
        title=clean_title(title),
        why=clean_text(why, limit=MAX_WHY, field_name="why"),
        due=parse_due(due, today=today, allowed_past=kept),
        visibility=Visibility(visibility) if visibility in _VISIBILITIES else Visibility.MENTOR,
        milestones=parse_milestone_lines(milestones, today=today, allowed_past=kept),
        template=template,
    )
    if current is not None:
        merged = merge_milestones(current.milestones, draft.milestones)
        draft = GoalDraft(
            draft.title, draft.why, draft.due, draft.visibility, merged, current.template
        )
    return draft


def parse_goal_edit(*, draft: GoalDraft, status: str, progress: str, current: Goal) -> GoalEdit:
    chosen = GoalStatus(status) if status in _STATUSES else current.status
    manual = None if not (progress or "").strip() else parse_progress(progress)
    return GoalEdit(draft=draft, status=chosen, manual_progress=manual)


_VISIBILITIES = {v.value for v in Visibility}
_STATUSES = {s.value for s in GoalStatus}


def milestone_line(milestone: Milestone) -> str:
    """How a milestone is written in the update form, so it reads back the same (a title that
    itself says "due" is quoted)."""
    title = milestone.title
    if _DUE.search(" " + title + " ") or title[:1] in '"“”':
        title = f"“{title}”"
    line = ("✓ " if milestone.done else "") + title
    return line + (f" due {milestone.due.isoformat()}" if milestone.due else "")


def merge_milestones(
    current: tuple[Milestone, ...], typed: tuple[Milestone, ...]
) -> tuple[Milestone, ...]:
    """The typed checklist, keeping the stored id of each milestone whose title is unchanged."""
    by_title: dict[str, list[Milestone]] = {}
    for milestone in current:
        by_title.setdefault(milestone.title.casefold(), []).append(milestone)
    merged = []
    for milestone in typed:
        same = by_title.get(milestone.title.casefold())
        kept_id = same.pop(0).id if same else None
        merged.append(Milestone(milestone.title, milestone.due, milestone.done, kept_id))
    return tuple(merged)


# The due-date reminder


def reminder_time(due: date, zone: ZoneInfo) -> datetime:
    """A week before the due date, 09:00 in the owner's zone (as UTC-aware)."""
    return resolve_local(due - REMINDER_BEFORE, REMINDER_AT, zone)


class ReminderDecision(StrEnum):
    SEND = "send"
    WAIT = "wait"
    NEVER = "never"
    """Set less than a week before its due date, or the date has come: no reminder for it."""


def reminder_decision(goal: Goal, at: datetime, zone: ZoneInfo) -> ReminderDecision:
    """One reminder per due date, for a goal that existed a week before it and is still in
    progress."""
    if not goal.is_active or goal.due is None or goal.reminded_due == goal.due:
        return ReminderDecision.NEVER
    when = reminder_time(goal.due, zone)
    if at.astimezone(zone).date() >= goal.due or goal.created_at > when:
        return ReminderDecision.NEVER
    return ReminderDecision.SEND if when <= at else ReminderDecision.WAIT


# Who sees what


class ViewerRole(StrEnum):
    OWNER = "owner"
    MENTOR = "mentor"
    """Sees the owner's shared goals in full, and comments on them."""
    LEAD = "lead"
    """The owner's manager, a lead of their team, or a program admin: status and progress of
    shared goals only."""


@dataclass(frozen=True)
class GoalListing:
    owner_id: str
    viewer: ViewerRole
    today: date
    """The viewer's local today, for the overdue flags."""
    goals: tuple[GoalView, ...] = ()
    """Owner and mentor: the goals they may read."""
    status_lines: tuple[GoalStatusLine, ...] = ()
    """Lead: the status and progress of shared goals, and nothing else."""


def status_line(goal: Goal, today: date) -> GoalStatusLine:
    return GoalStatusLine(
        user_id=goal.user_id,
        number=goal.number,
        status=goal.status,
        progress=goal.progress,
        due=goal.due,
        overdue=goal.is_overdue(today),
    )


# History


def diff_goal(before: Goal, after: Goal) -> list[GoalChange]:
    """Every change from one version of a goal to the next, as history events."""
    changes: list[GoalChange] = []
    for name in ("title", "why", "due", "visibility"):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            changes.append(GoalChange(GoalEventKind.EDITED, _shown(old), _shown(new), name))
    if before.status is not after.status:
        changes.append(GoalChange(GoalEventKind.STATUS, before.status.value, after.status.value))
    if before.manual_progress != after.manual_progress:
        changes.append(
            GoalChange(
                GoalEventKind.PROGRESS,
                _shown(before.manual_progress),
                _shown(after.manual_progress),
            )
        )
    kept = {m.id: m for m in after.milestones if m.id is not None}
    for old_milestone in before.milestones:
        new_milestone = kept.get(old_milestone.id)
        if new_milestone is None:
            changes.append(GoalChange(GoalEventKind.MILESTONE_REMOVED, old_milestone.title))
        elif new_milestone.done != old_milestone.done:
            kind = (
                GoalEventKind.MILESTONE_DONE
                if new_milestone.done
                else GoalEventKind.MILESTONE_UNDONE
            )
            changes.append(GoalChange(kind, new=new_milestone.title))
    for milestone in after.milestones:
        if milestone.id is None:
            changes.append(GoalChange(GoalEventKind.MILESTONE_ADDED, new=milestone.title))
            if milestone.done:
                changes.append(GoalChange(GoalEventKind.MILESTONE_DONE, new=milestone.title))
    return changes


def _shown(value: object) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, date) else str(value)
