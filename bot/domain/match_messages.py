"""The messages matching sends (delivery kinds) and the data each carries.

Payloads are plain JSON: they are stored in the delivery ledger and rendered later, in the
recipient's language, by `handlers/blocks/matches.py`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.local_time import resolve_local
from bot.domain.matches import Match
from bot.domain.profiles import Profile

MENTOR_REQUEST = "match_request"
"""To the mentor: the mentee's profile, the reasons, Accept / Decline."""
REQUEST_SENT = "match_request_sent"
"""To the mentee: who was asked, and until when."""
MOVED_ON = "match_moved_on"
"""To the mentee: the mentor declined or did not answer; her next best mentor was asked."""
NO_OTHER_MENTOR = "match_no_other"
"""To the mentee: the mentor declined or did not answer, and nobody else is free now."""
REQUEST_EXPIRED = "match_request_expired"
"""To the mentor: the request was not answered in time and has moved on."""
MATCH_ENDED = "match_ended"
"""To the other side of a match someone ended: a neutral notice."""
INTRODUCTION = "match_introduction"
"""To a group DM of mentor and mentee: who they are, why they fit, when they can talk."""

ALL = (
    MENTOR_REQUEST,
    REQUEST_SENT,
    MOVED_ON,
    NO_OTHER_MENTOR,
    REQUEST_EXPIRED,
    MATCH_ENDED,
    INTRODUCTION,
)


def group_recipient(*user_ids: str) -> str:
    """A group DM's recipient in the ledger: the people's ids, comma-separated."""
    return ",".join(user_ids)


def is_group_recipient(recipient: str) -> bool:
    return "," in recipient


def notice_payload(match: Match, **extra: str) -> dict[str, Any]:
    return {
        "match_id": match.id,
        "mentor_id": match.mentor_id,
        "mentee_id": match.mentee_id,
        "state": match.state.value,
        "expires_at": match.expires_at.isoformat() if match.expires_at else None,
        **extra,
    }


def profile_summary(profile: Profile | None) -> dict[str, Any]:
    if profile is None:
        return {}
    return {
        "background": profile.background,
        "track": profile.track,
        "move_from": profile.move_from,
        "move_to": profile.move_to,
        "skills_wanted": sorted(profile.skills_wanted),
        "skills_offered": sorted(profile.skills_offered),
        "languages": sorted(profile.languages),
        "working_hours": str(profile.working_hours),
        "timezone": profile.timezone,
        "intro": profile.intro,
    }


def request_payload(match: Match, mentee: Profile | None) -> dict[str, Any]:
    return {
        **notice_payload(match),
        "score": match.score,
        "reasons": list(match.reasons),
        "mentee": profile_summary(mentee),
    }


def introduction_payload(
    match: Match, mentor: Profile | None, mentee: Profile | None, day: date, *, language: str
) -> dict[str, Any]:
    overlap: list[dict[str, str]] = []
    if mentor is not None and mentee is not None:
        for start, end in overlap_windows(mentor, mentee, day):
            overlap.append(
                {
                    "mentor": _local_span(start, end, mentor.timezone),
                    "mentee": _local_span(start, end, mentee.timezone),
                }
            )
    return {
        **notice_payload(match),
        "reasons": list(match.reasons),
        "mentor": profile_summary(mentor),
        "mentee": profile_summary(mentee),
        "overlap": overlap,
        "language": language,
    }


def overlap_windows(a: Profile, b: Profile, day: date) -> list[tuple[datetime, datetime]]:
    """When both are at work during a's working day `day` (each in their own zone), in UTC."""
    windows = []
    for start_a, end_a in _work_intervals(a, day, (0,)):
        for start_b, end_b in _work_intervals(b, day, (-1, 0, 1)):
            start, end = max(start_a, start_b), min(end_a, end_b)
            if start < end:
                windows.append((start, end))
    return sorted(set(windows))


def _work_intervals(
    profile: Profile, day: date, offsets: tuple[int, ...]
) -> list[tuple[datetime, datetime]]:
    """The person's working intervals on the local days `day + offset`, in UTC."""
    zone = ZoneInfo(profile.timezone)
    hours = profile.working_hours
    intervals = []
    for offset in offsets:
        local_day = day + timedelta(days=offset)
        start = resolve_local(local_day, _at(hours.start_minute), zone)
        end = start + timedelta(minutes=hours.minutes)
        intervals.append((start, end))
    return intervals


def _at(minute: int) -> time:
    return time(minute // 60, minute % 60)


def _local_span(start: datetime, end: datetime, timezone: str) -> str:
    zone = ZoneInfo(timezone)
    return f"{start.astimezone(zone):%H:%M}-{end.astimezone(zone):%H:%M} ({timezone})"
