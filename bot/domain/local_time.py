"""Wall-clock schedules in a person's own time zone, correct across daylight-saving changes.

A weekly schedule is "weekday W at HH:MM in zone Z". On most days that local time exists exactly
once. Around a daylight-saving change it may not exist (clocks jump forward over it) or exist
twice (clocks fall back over it):

- skipped: the occurrence moves forward by the length of the jump (02:30 on a spring-forward
  night becomes 03:30), so it still happens that day, exactly once;
- repeated: the first of the two instants is used (fold=0), so it happens once, not twice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_week(instant: datetime, zone: ZoneInfo) -> str:
    """The ISO week the instant falls in, on the person's own calendar: "2026-W48"."""
    year, week, _ = instant.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"


def resolve_local(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time on a local day (skipped times move forward).

    zoneinfo reads a wall time with fold=0 using the offset in force before a change: a repeated
    time gives its first instant, and a skipped time lands exactly one jump later.
    """
    return (
        datetime.combine(day, at.replace(tzinfo=None, fold=0)).replace(tzinfo=zone).astimezone(UTC)
    )


def next_weekly(after: datetime, weekday: int, at: time, zone: ZoneInfo) -> datetime:
    """The first occurrence strictly after `after` of weekday (Monday=0) at `at`, local to zone."""
    if after.tzinfo is None:
        raise ValueError("`after` must be timezone-aware")
    local_day = after.astimezone(zone).date()
    day = local_day + timedelta(days=(weekday - local_day.weekday()) % 7)
    while True:
        candidate = resolve_local(day, at, zone)
        if candidate > after:
            return candidate
        day += timedelta(days=7)


def weekly_occurrence_in_week(
    week_of: datetime, weekday: int, at: time, zone: ZoneInfo
) -> datetime:
    """The occurrence that belongs to the local ISO week containing `week_of`."""
    year, week, _ = week_of.astimezone(zone).isocalendar()
    return resolve_local(date.fromisocalendar(year, week, weekday + 1), at, zone)
