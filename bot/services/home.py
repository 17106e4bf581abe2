"""The App Home: one snapshot per viewer of everything they may see, read in one unit of work.

Who sees what follows the other services: a person sees their own profile, matches, requests,
goals and check-ins in full; a lead sees the teams they lead as names and head counts only
(numbers come in the digest, never anyone's words); a program admin also sees the program panel.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from cachetools import TTLCache

from bot.clock import Clock
from bot.domain.checkins import Checkin, CheckinSchedule, CheckinState, missed_streak
from bot.domain.deliveries import DeliveryState
from bot.domain.goals import Goal
from bot.domain.home import CheckinOutlook, ProfileGap, checkin_outlook, profile_gaps
from bot.domain.local_time import local_week
from bot.domain.match_messages import overlap_windows
from bot.domain.matches import Match, MatchState
from bot.domain.members import Member
from bot.domain.profiles import Profile
from bot.services.checkins import STREAK_LOOKBACK, CheckinService
from bot.services.ports import UnitOfWork, UnitOfWorkFactory
from bot.services.zones import zone_named, zone_of

RECENT_CHECKINS = 3
WATCH_SECONDS = 3600
"""Someone who opened their Home this long ago still gets it redrawn after their commands."""
STALLED_MISSED_WEEKS = 2
"""An accepted match is stalled when its mentee missed this many check-ins in a row..."""
REQUEST_EXPIRING = timedelta(hours=24)
"""...and a request is stalled when it expires within this long, still unanswered."""
FAILED_SINCE = timedelta(days=7)
PANEL_ROWS = 200
"""The most rows read per admin list (the Home shows fewer and counts the rest)."""


@dataclass(frozen=True)
class Partner:
    match_id: int
    user_id: str
    is_my_mentor: bool
    local_now: datetime | None
    """Now on the partner's clock (None when their zone is unknown)."""
    overlap: tuple[tuple[datetime, datetime], ...]
    """When both are at work on the viewer's next working day, on the viewer's clock."""
    has_profiles: bool
    """Both have a profile, so the overlap is known (empty: it is none)."""


@dataclass(frozen=True)
class Request:
    match_id: int
    other_id: str
    """The mentee asking (a request to answer) or the mentor asked (one's own request)."""
    expires_at: datetime | None


@dataclass(frozen=True)
class LedTeam:
    name: str
    people: int


@dataclass(frozen=True)
class MentorLoad:
    mentor_id: str
    used: int
    capacity: int


@dataclass(frozen=True)
class StalledMatch:
    mentor_id: str
    mentee_id: str
    missed_weeks: int = 0
    """Check-ins missed in a row (an accepted match)."""
    expires_at: datetime | None = None
    """When the unanswered request expires (a request)."""


@dataclass(frozen=True)
class FailedDelivery:
    recipient: str
    kind: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class AdminPanel:
    waiting: tuple[str, ...]
    """Available mentees without a mentor or a request."""
    near_capacity: tuple[MentorLoad, ...]
    stalled: tuple[StalledMatch, ...]
    failed: tuple[FailedDelivery, ...]


@dataclass(frozen=True)
class HomeSnapshot:
    user_id: str
    now: datetime
    """On the viewer's clock."""
    profile: Profile | None
    gaps: tuple[ProfileGap, ...]
    partners: tuple[Partner, ...]
    to_answer: tuple[Request, ...]
    """Requests waiting for this mentor's answer."""
    asked: tuple[Request, ...]
    """This mentee's own request waiting for a mentor's answer."""
    goals: tuple[Goal, ...]
    """One's own goals in progress."""
    outlook: CheckinOutlook
    open_checkin_id: int | None
    """This week's check-in, while it can be answered or edited."""
    recent_checkins: tuple[Checkin, ...]
    led_teams: tuple[LedTeam, ...]
    admin: AdminPanel | None

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def can_skip(self) -> bool:
        return self.profile is not None and self.outlook.this_week in (None, CheckinState.PENDING)


class HomeService:
    def __init__(self, uow: UnitOfWorkFactory, checkins: CheckinService, clock: Clock) -> None:
        self._uow = uow
        self._checkins = checkins
        self._clock = clock
        self._watching: TTLCache[tuple[str, str], bool] = TTLCache(
            maxsize=20_000, ttl=WATCH_SECONDS
        )
        self._lock = threading.Lock()

    # Who is looking: their Home is redrawn after they change something elsewhere

    def note_opened(self, member: Member) -> None:
        with self._lock:
            self._watching[member.team_id, member.user_id] = True

    def is_watching(self, member: Member) -> bool:
        with self._lock:
            return (member.team_id, member.user_id) in self._watching

    def watching_a_match(self, team_id: str, mentee_id: str, mentor_id: str) -> list[str]:
        """After a request, accept or decline: who of the pair - and of the mentors the mentee
        is now asking or matched with (a decline asks the next one) - has their Home open."""
        with self._uow() as uow:
            mentors = {m.mentor_id for m in uow.matches.open_for(team_id, mentee_id)}
        people = sorted({mentee_id, mentor_id} | mentors)
        with self._lock:
            return [user_id for user_id in people if (team_id, user_id) in self._watching]

    # The snapshot

    def snapshot(self, member: Member) -> HomeSnapshot:
        now = self._clock.now()
        team_id, user_id = member.team_id, member.user_id
        with self._uow() as uow:
            zone = zone_of(uow, team_id, user_id)
            profile = uow.profiles.get(team_id, user_id)
            open_matches = uow.matches.open_for(team_id, user_id)
            accepted = [m for m in open_matches if m.state is MatchState.ACCEPTED]
            requested = [m for m in open_matches if m.state is MatchState.REQUESTED]
            this_week = uow.checkins.find(team_id, user_id, local_week(now, zone))
            outlook = checkin_outlook(
                profile,
                self._checkins.schedule_for(profile) if profile else CheckinSchedule(),
                now,
                zone,
                this_week,
                has_mentee=any(m.mentor_id == user_id for m in accepted),
            )
            if outlook.next_at is not None:  # on the viewer's clock, as everything here
                outlook = replace(outlook, next_at=outlook.next_at.astimezone(zone))
            open_checkin = uow.checkins.open_for(team_id, user_id, now)
            snapshot = HomeSnapshot(
                user_id=user_id,
                now=now.astimezone(zone),
                profile=profile,
                gaps=profile_gaps(profile) if profile else (),
                partners=tuple(self._partner(uow, member, profile, m, now) for m in accepted),
                to_answer=tuple(
                    Request(m.id, m.mentee_id, m.expires_at)
                    for m in requested
                    if m.mentor_id == user_id
                ),
                asked=tuple(
                    Request(m.id, m.mentor_id, m.expires_at)
                    for m in requested
                    if m.mentee_id == user_id
                ),
                goals=tuple(uow.goals.active_for(team_id, [user_id])[user_id]),
                outlook=outlook,
                open_checkin_id=open_checkin.id if open_checkin else None,
                recent_checkins=tuple(uow.checkins.recent(team_id, user_id, limit=RECENT_CHECKINS)),
                led_teams=tuple(
                    LedTeam(team.name, len(team.everyone))
                    for team in uow.teams.led_by(team_id, user_id)
                ),
                admin=self._panel(uow, team_id, now) if member.is_admin else None,
            )
        return snapshot

    def _partner(
        self, uow: UnitOfWork, member: Member, mine: Profile | None, match: Match, now: datetime
    ) -> Partner:
        is_my_mentor = match.mentee_id == member.user_id
        other_id = match.mentor_id if is_my_mentor else match.mentee_id
        theirs = uow.profiles.get(member.team_id, other_id)
        other_zone = zone_of(uow, member.team_id, other_id)
        overlap: tuple[tuple[datetime, datetime], ...] = ()
        if mine is not None and theirs is not None:
            my_zone = zone_named(mine.timezone)
            day = _working_day(now.astimezone(my_zone).date())
            overlap = tuple(
                (start.astimezone(my_zone), end.astimezone(my_zone))
                for start, end in overlap_windows(mine, theirs, day)
            )
        return Partner(
            match_id=match.id,
            user_id=other_id,
            is_my_mentor=is_my_mentor,
            local_now=now.astimezone(other_zone),
            overlap=overlap,
            has_profiles=mine is not None and theirs is not None,
        )

    def _panel(self, uow: UnitOfWork, team_id: str, now: datetime) -> AdminPanel:
        today = now.date()
        with_match = uow.matches.mentees_with_open_match(team_id)
        waiting = tuple(
            p.user_id
            for p in uow.profiles.mentees(team_id)
            if p.is_available(today) and p.user_id not in with_match
        )
        used = uow.matches.open_counts(team_id)
        near = sorted(
            (
                MentorLoad(p.user_id, used.get(p.user_id, 0), p.capacity)
                for p in uow.profiles.mentors(team_id)
                if p.capacity > 0 and p.capacity - used.get(p.user_id, 0) <= 1
            ),
            key=lambda load: (load.capacity - load.used, load.mentor_id),
        )
        pairs = uow.matches.accepted_pairs(team_id)
        recent = uow.checkins.recent_for(
            team_id,
            {mentee for _mentor, mentee in pairs},
            since=now - timedelta(weeks=STREAK_LOOKBACK),
            limit=STREAK_LOOKBACK,
        )
        stalled = [
            StalledMatch(mentor, mentee, missed_weeks=streak)
            for mentor, mentee in pairs
            if (streak := missed_streak([c.state for c in recent.get(mentee, [])]))
            >= STALLED_MISSED_WEEKS
        ]
        stalled += [
            StalledMatch(m.mentor_id, m.mentee_id, expires_at=m.expires_at)
            for m in uow.matches.requests_due(now + REQUEST_EXPIRING, team_id)
        ]
        failed = tuple(
            FailedDelivery(d.key.recipient, d.key.kind, d.reason or d.last_error or "", d.due_at)
            for d in uow.deliveries.list(
                state=DeliveryState.FAILED,
                since=now - FAILED_SINCE,
                team_id=team_id,
                limit=PANEL_ROWS,
            )
        )
        return AdminPanel(waiting, tuple(near), tuple(stalled), failed)


def _working_day(today: date) -> date:
    """Today, or the coming Monday at a weekend: overlap is about working days."""
    return today if today.weekday() < 5 else today + timedelta(days=7 - today.weekday())
