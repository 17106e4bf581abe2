"""The weekly check-in: one per person per local week, answered, missed or skipped with a reason.

A person's week is their own ISO week (Monday 00:00 to Monday 00:00 in their time zone). The
prompt is due on the program's weekday and time in that zone; it can be answered - by DM reply
or in the form - and edited until the week ends, when an unanswered one counts as missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.errors import InvalidInput
from bot.domain.i18n_markers import N_
from bot.domain.local_time import resolve_local
from bot.domain.numbers import parse_whole_number
from bot.domain.profiles import Profile

REMINDER_AFTER = timedelta(hours=48)
MAX_TEXT = 3000
"""Per answer field: what fits in a Slack section when shown back."""

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class CheckinState(StrEnum):
    PENDING = "pending"
    ANSWERED = "answered"
    MISSED = "missed"
    SKIPPED = "skipped"


class CheckinRole(StrEnum):
    MENTEE = "mentee"
    MENTOR = "mentor"


class SkipReason(StrEnum):
    PAUSED = "paused"
    SKIPPED_BY_PERSON = "skipped-by-person"
    DEACTIVATED = "deactivated"
    NOT_MATCHED = "not-matched"
    OPTED_OUT = "opted-out"


@dataclass(frozen=True)
class CheckinSchedule:
    weekday: int = 4
    """Monday=0 ... Friday=4."""
    at: time = time(16, 0)


@dataclass(frozen=True)
class CheckinAnswer:
    progress: str = ""
    blockers: str = ""
    confidence: int | None = None
    next_steps: str = ""
    share_with_mentor: bool = True
    share_with_lead: bool = False
    """Leads see aggregates (answered, confidence, goal status); the text only when shared."""

    @property
    def is_empty(self) -> bool:
        return not (self.progress or self.blockers or self.next_steps or self.confidence)


@dataclass(frozen=True)
class Checkin:
    id: int
    team_id: str
    user_id: str
    week: str
    """The person's local ISO week, e.g. "2026-W48"."""
    role: CheckinRole
    state: CheckinState
    due_at: datetime
    week_ends_at: datetime
    answer: CheckinAnswer
    created_at: datetime
    updated_at: datetime
    skip_reason: SkipReason | None = None
    answered_at: datetime | None = None
    reminded_at: datetime | None = None

    def is_open(self, now: datetime) -> bool:
        """Can still be answered or edited."""
        return self.state in (CheckinState.PENDING, CheckinState.ANSWERED) and (
            now < self.week_ends_at
        )


@dataclass(frozen=True)
class NewCheckin:
    team_id: str
    user_id: str
    week: str
    role: CheckinRole
    state: CheckinState
    due_at: datetime
    week_ends_at: datetime
    skip_reason: SkipReason | None = None


def week_end(instant: datetime, zone: ZoneInfo) -> datetime:
    """The end of the person's local week containing `instant` (next Monday 00:00, in UTC)."""
    local_day = instant.astimezone(zone).date()
    monday = local_day + timedelta(days=7 - local_day.weekday())
    return resolve_local(monday, time(0, 0), zone)


def skip_reason(
    profile: Profile, local_day: date, *, deactivated: bool, has_mentee: bool
) -> SkipReason | None:
    """Why the person's prompt on `local_day` would be skipped, or None when it is sent. The weekly
    tick records it; the Home reads it ahead to say when the next check-in comes."""
    if deactivated:
        return SkipReason.DEACTIVATED
    if profile.opted_out:
        return SkipReason.OPTED_OUT
    if profile.paused_until is not None and profile.paused_until >= local_day:
        return SkipReason.PAUSED
    if not profile.is_mentee and not has_mentee:
        return SkipReason.NOT_MATCHED
    return None


def missed_streak(states_newest_first: list[CheckinState]) -> int:
    """Missed weeks in a row, newest first; skipped weeks (holidays) neither count nor break."""
    streak = 0
    for state in states_newest_first:
        if state is CheckinState.SKIPPED:
            continue
        if state is not CheckinState.MISSED:
            break
        streak += 1
    return streak


def parse_answer(
    *,
    progress: str,
    blockers: str,
    confidence: str | int | None,
    next_steps: str,
    share_with_mentor: bool = True,
    share_with_lead: bool = False,
) -> CheckinAnswer:
    """The form's fields as typed; raises InvalidInput naming the field that is wrong."""
    level = None
    if confidence not in (None, ""):
        text = str(confidence).strip()
        level = parse_whole_number(text, most=5)
        if not level:  # None, or 0
            raise InvalidInput(_CONFIDENCE, value=text[:20], field="confidence")
    answer = CheckinAnswer(
        progress=_text(progress, "progress"),
        blockers=_text(blockers, "blockers"),
        confidence=level,
        next_steps=_text(next_steps, "next_steps"),
        share_with_mentor=share_with_mentor,
        share_with_lead=share_with_lead,
    )
    if answer.is_empty:
        raise InvalidInput(_EMPTY, field="progress")
    return answer


def _text(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(_TOO_LONG, limit=MAX_TEXT, length=len(text), field=field)
    return text


_CONFIDENCE = N_("Confidence is a number from 1 to 5; “{value}” is not.")
_EMPTY = N_("Tell me at least how your week went, or how confident you feel.")
_TOO_LONG = N_("Please keep each answer under {limit} characters (this one has {length}).")


def parse_checkin_time(text: str) -> tuple[int | None, time | None]:
    """`fri 10:00`, `monday 9:30`, or `default` (the program's): (weekday, local time)."""
    words = (text or "").strip().lower().split()
    if words == ["default"]:
        return None, None
    if len(words) != 2:
        raise InvalidInput(_TIME_SHAPE, text=(text or "").strip()[:40])
    day, clock = words
    if day[:3] not in WEEKDAYS or not WEEKDAYS_LONG[WEEKDAYS.index(day[:3])].startswith(day):
        raise InvalidInput(_BAD_DAY, day=day[:20])
    hours, _, minutes = clock.partition(":")
    hour = parse_whole_number(hours, most=23)
    minute = parse_whole_number(minutes, most=59) if len(minutes) == 2 else None
    if hour is None or minute is None:
        raise InvalidInput(_BAD_CLOCK, clock=clock[:20])
    return WEEKDAYS.index(day[:3]), time(hour, minute)


WEEKDAYS_LONG = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME_SHAPE = N_(
    "Say a day and a time, e.g. `/mentor checkin time fri 10:00`, or "
    "`/mentor checkin time default`; “{text}” is not that."
)
_BAD_DAY = N_("“{day}” is not a weekday: use mon, tue, wed, thu, fri, sat or sun.")
_BAD_CLOCK = N_("“{clock}” is not a time of day: use 24-hour HH:MM, e.g. 09:30 or 16:00.")
