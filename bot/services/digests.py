"""Progress digests: `/mentor digest` for a lead's team (or, for admins, any team or the whole
program), the weekly digest each lead gets on Monday morning in their own zone, and the CSV.

Who may see a digest is decided here: a lead sees only teams they lead, an admin any team or
the program; anyone else is told digests are for leads and admins - the same answer whether or
not the team they named exists.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain import digest_messages as kinds
from bot.domain.deliveries import DeliveryKey, NewDelivery
from bot.domain.digests import (
    DEFAULT_WEEKS,
    MAX_WEEKS,
    MIN_GROUP,
    Digest,
    build_digest,
    group_line,
    week_labels,
)
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.i18n_markers import N_
from bot.domain.local_time import local_week, weekly_occurrence_in_week
from bot.domain.members import Member
from bot.domain.teams import Team
from bot.services.deliveries import DeliveryService
from bot.services.ports import UnitOfWork, UnitOfWorkFactory
from bot.services.zones import zone_of, zones_of

log = logging.getLogger(__name__)

WEEKLY_DAY = 0
WEEKLY_AT = time(9, 0)
"""The weekly digest: Monday 09:00 in the lead's zone."""
LATE_LIMIT = timedelta(hours=12)
"""A digest not queued by then (the bot was down, or the team is new) waits for next Monday:
last week's numbers on a Wednesday would read as this week's."""


class DigestService:
    def __init__(self, uow: UnitOfWorkFactory, deliveries: DeliveryService, clock: Clock) -> None:
        self._uow = uow
        self._deliveries = deliveries
        self._clock = clock

    def for_viewer(
        self, viewer: Member, team_name: str | None, weeks: int = DEFAULT_WEEKS
    ) -> Digest:
        """`/mentor digest [team] [weeks N]`: the team the viewer leads (the only one, unless
        named), or for an admin any team by name or, with no name, the whole program."""
        if not 1 <= weeks <= MAX_WEEKS:
            raise InvalidInput(_WEEKS_RANGE, limit=MAX_WEEKS, weeks=weeks)
        now = self._clock.now()
        with self._uow() as uow:
            team = self._team_for(uow, viewer, team_name)
            zone = zone_of(uow, viewer.team_id, viewer.user_id)
            return self._build(uow, viewer.team_id, team, weeks, now, zone)

    def team_for(self, viewer: Member, team_name: str | None) -> Team | None:
        """The team a digest request means (None: the whole program), or NotAllowed."""
        with self._uow() as uow:
            return self._team_for(uow, viewer, team_name)

    def _team_for(self, uow: UnitOfWork, viewer: Member, team_name: str | None) -> Team | None:
        led = uow.teams.led_by(viewer.team_id, viewer.user_id)
        if team_name:
            team = uow.teams.by_name(viewer.team_id, team_name)
            if team is not None and (viewer.is_admin or viewer.user_id in team.leads):
                return team
            if viewer.is_admin:
                raise InvalidInput(_NO_SUCH_TEAM, name=team_name)
            raise NotAllowed(_LEADS_ONLY)
        if viewer.is_admin and len(led) != 1:
            return None
        if len(led) == 1:
            return led[0]
        if led:
            raise InvalidInput(_WHICH_TEAM, teams=", ".join(t.name for t in led))
        raise NotAllowed(_LEADS_ONLY)

    def _build(
        self,
        uow: UnitOfWork,
        team_id: str,
        team: Team | None,
        weeks: int,
        now: datetime,
        zone: ZoneInfo,
        *,
        ended_weeks_only: bool = False,
    ) -> Digest:
        """The last `weeks` weeks in the reader's calendar, ending with this week once its
        check-ins have started coming due - else (and for the Monday digest) with last week."""
        labels = week_labels(now.astimezone(zone).date(), weeks + 1)
        group_id = team.id if team else None
        data = uow.digests.load(team_id, group_id, labels)
        started = any(c.week == labels[-1] and c.due_at <= now for c in data.checkins)
        window = labels[1:] if started and not ended_weeks_only else labels[:-1]
        digest = build_digest(data, title=team.name if team else "", weeks=window, now=now)
        if team is not None:
            return digest
        groups, small = [], 0
        for each in uow.teams.list(team_id):  # from the program's data: no further queries
            if len(each.members) < MIN_GROUP:
                small += 1
                continue
            members = [p for p in data.people if p.user_id in each.members]
            part = build_digest(
                replace(data, people=members), title=each.name, weeks=window, now=now
            )
            groups.append(group_line(each.name, replace(part, people=len(each.members))))
        return replace(digest, groups=tuple(groups), small_groups=small)

    # The weekly digest (a scheduler tick job)

    def queue_weekly(self, at: datetime) -> int:
        """Each lead's digest of last week, at Monday 09:00 in their zone - or one to the
        team's channel, at its first lead's Monday 09:00. Once per week through the ledger."""
        queued = 0
        with self._uow() as uow:
            teams = uow.teams.all_teams()
            zones = zones_of(uow, {(t.team_id, lead) for t in teams for lead in t.leads})
            outgoing: list[NewDelivery] = []
            for team in teams:
                for recipient, zone in _recipients(team, zones):
                    due = weekly_occurrence_in_week(at, WEEKLY_DAY, WEEKLY_AT, zone)
                    week = local_week(at, zone)
                    key = DeliveryKey(
                        team.team_id, recipient, kinds.TEAM_DIGEST, f"{team.id}:{week}"
                    )
                    if not due <= at < due + LATE_LIMIT or uow.deliveries.find(key) is not None:
                        continue
                    digest = self._build(
                        uow, team.team_id, team, DEFAULT_WEEKS, at, zone, ended_weeks_only=True
                    )
                    outgoing.append(
                        NewDelivery(
                            key,
                            due,
                            kinds.digest_payload(digest),
                            expires_at=due + LATE_LIMIT,
                        )
                    )
            self._deliveries.enqueue_in(uow, outgoing)
            queued = len(outgoing)
            uow.commit()
        return queued


def _recipients(team: Team, zones: dict[tuple[str, str], ZoneInfo]) -> list[tuple[str, ZoneInfo]]:
    leads = sorted(team.leads)
    if not leads:
        return []
    if team.channel_id:
        return [(team.channel_id, zones[team.team_id, leads[0]])]
    return [(lead, zones[team.team_id, lead]) for lead in leads]


_WEEKS_RANGE = N_("A digest covers 1 to {limit} weeks; {weeks} is outside that.")
_LEADS_ONLY = N_(
    "Digests are for team leads and program admins. If you lead a team, ask a program admin to "
    "add you as its lead."
)
_NO_SUCH_TEAM = N_("There is no team called “{name}”. `/mentor team list` shows them.")
_WHICH_TEAM = N_("You lead several teams ({teams}); say which, e.g. `/mentor digest <team>`.")
