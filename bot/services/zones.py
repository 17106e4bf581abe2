"""Each person's time zone: their profile's, else the one Slack gave us, else UTC."""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo

from bot.services.ports import UnitOfWork


def zones_of(uow: UnitOfWork, people: set[tuple[str, str]]) -> dict[tuple[str, str], ZoneInfo]:
    """Each person's zone as `zone_of` picks it, in two queries per workspace."""
    by_team: dict[str, set[str]] = {}
    for team_id, user_id in people:
        by_team.setdefault(team_id, set()).add(user_id)
    zones: dict[tuple[str, str], ZoneInfo] = {}
    for team_id, user_ids in by_team.items():
        named = uow.profiles.timezones(team_id, user_ids)
        missing = user_ids - named.keys()
        slack = uow.members.timezones(team_id, missing) if missing else {}
        for user_id in user_ids:
            name = named.get(user_id) or slack.get(user_id) or "UTC"
            zones[team_id, user_id] = zone_named(name)
    return zones


def zone_of(uow: UnitOfWork, team_id: str, user_id: str) -> ZoneInfo:
    """The profile's time zone, else Slack's, else UTC."""
    profile = uow.profiles.get(team_id, user_id)
    if profile is not None:
        return zone_named(profile.timezone)
    member = uow.members.get(team_id, user_id)
    return zone_named(member.timezone if member is not None else "UTC")


@cache
def zone_named(name: str) -> ZoneInfo:
    return ZoneInfo(name)
