"""The App Home's rules: how complete a profile is, and when the next check-in comes - or why it
will not come."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.checkins import Checkin, CheckinSchedule, CheckinState, SkipReason, skip_reason
from bot.domain.local_time import next_weekly, resolve_local, weekly_occurrence_in_week
from bot.domain.profiles import Profile


class ProfileGap(StrEnum):
    """A part of the profile that is still empty (and helps matching when filled)."""

    SKILLS_OFFERED = "skills_offered"
    SKILLS_WANTED = "skills_wanted"
    CAREER_MOVE = "career_move"
    INTRO = "intro"
    CAPACITY = "capacity"


def profile_gaps(profile: Profile) -> tuple[ProfileGap, ...]:
    gaps: list[ProfileGap] = []
    if profile.is_mentor and not profile.skills_offered:
        gaps.append(ProfileGap.SKILLS_OFFERED)
    if profile.is_mentee and not profile.skills_wanted:
        gaps.append(ProfileGap.SKILLS_WANTED)
    if not (profile.move_from and profile.move_to):
        gaps.append(ProfileGap.CAREER_MOVE)
    if not profile.intro.strip():
        gaps.append(ProfileGap.INTRO)
    if profile.is_mentor and profile.capacity == 0:
        gaps.append(ProfileGap.CAPACITY)
    return tuple(gaps)


def profile_completeness(profile: Profile) -> int:
    """Percent: the required fields (always filled once saved) count as one part, and each
    optional part that applies to the person's role as another."""
    parts = 1 + 2 + (2 if profile.is_mentor else 0) + (1 if profile.is_mentee else 0)
    filled = parts - len(profile_gaps(profile))
    return round(100 * filled / parts)


class CheckinBlocker(StrEnum):
    """Why no check-in will come at all (until the person changes something)."""

    NO_PROFILE = "no-profile"
    OPTED_OUT = "opted-out"
    NOT_MATCHED = "not-matched"
    """A mentor without a mentee: mentors' check-ins start with their first match."""


@dataclass(frozen=True)
class CheckinOutlook:
    next_at: datetime | None = None
    """The instant of the next prompt that will be sent, when one will."""
    blocker: CheckinBlocker | None = None
    paused_until: date | None = None
    """Set when a pause holds back the prompts that would come before `next_at`."""
    this_week: CheckinState | None = None


_BLOCKERS = {
    SkipReason.OPTED_OUT: CheckinBlocker.OPTED_OUT,
    SkipReason.NOT_MATCHED: CheckinBlocker.NOT_MATCHED,
}


def checkin_outlook(
    profile: Profile | None,
    schedule: CheckinSchedule,
    now: datetime,
    zone: ZoneInfo,
    this_week: Checkin | None,
    has_mentee: bool,
) -> CheckinOutlook:
    """The weekly tick's own rules (`skip_reason`), read ahead: the next prompt that will be sent,
    or why none will."""
    state = this_week.state if this_week is not None else None
    if profile is None:
        return CheckinOutlook(blocker=CheckinBlocker.NO_PROFILE, this_week=state)
    due = weekly_occurrence_in_week(now, schedule.weekday, schedule.at, zone)
    if due <= now or (state is not None and state is not CheckinState.PENDING):
        due = next_weekly(due, schedule.weekday, schedule.at, zone)
    paused_until = None
    reason = skip_reason(
        profile, due.astimezone(zone).date(), deactivated=False, has_mentee=has_mentee
    )
    if reason is SkipReason.PAUSED:
        assert profile.paused_until is not None
        paused_until = profile.paused_until
        first_free_day = resolve_local(paused_until + timedelta(days=1), time(0, 0), zone)
        due = next_weekly(
            first_free_day - timedelta(microseconds=1), schedule.weekday, schedule.at, zone
        )
        reason = skip_reason(
            profile, due.astimezone(zone).date(), deactivated=False, has_mentee=has_mentee
        )
    if reason is not None:
        return CheckinOutlook(blocker=_BLOCKERS[reason], this_week=state)
    return CheckinOutlook(next_at=due, paused_until=paused_until, this_week=state)
