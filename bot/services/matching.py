"""Matching use cases: rounds an admin previews and approves, self-serve requests, the mentor's
answer, the 72-hour expiry with a fallback to the mentee's next best mentor, and ending a match.

Every message this sends goes through the delivery ledger (kinds in `bot.domain.match_messages`),
keyed by match id and event, so each is sent once however often a step is retried.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from bot.clock import Clock
from bot.domain import match_messages as kinds
from bot.domain.deliveries import DeliveryKey, NewDelivery
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.i18n_markers import N_
from bot.domain.matches import (
    REQUEST_TIMEOUT,
    Match,
    MatchEvent,
    MatchRound,
    MatchSource,
    MatchState,
    NewMatch,
    RoundState,
    Unmatched,
)
from bot.domain.matching.scoring import MatchPool, MatchWeights, PairScore
from bot.domain.matching.solver import optimal_assignment
from bot.domain.members import DEFAULT_LANGUAGE, Member
from bot.domain.profiles import Profile
from bot.services.deliveries import DeliveryService
from bot.services.ports import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

CAPACITY = "capacity"
"""Unmatched reason: suitable mentors exist, but their places went to better-scoring pairs."""
NO_MENTORS = "no-mentors"
"""Unmatched reason: nobody in the program is an available mentor with a free place."""
SUGGESTIONS = 3
HISTORY_LIMIT = 20
NOTE_LIMIT = 500


@dataclass(frozen=True)
class Suggestion:
    mentor: Profile
    score: PairScore


@dataclass(frozen=True)
class RoundPair:
    mentor_id: str
    mentee_id: str
    score: PairScore


@dataclass(frozen=True)
class RoundPreview:
    round: MatchRound
    pairs: list[RoundPair]
    mentees_in_pool: int
    mentors_in_pool: int
    request_hours: int


@dataclass(frozen=True)
class MatchOverview:
    """What `/mentor match` shows a person."""

    open_matches: list[Match]
    suggestions: list[Suggestion]
    has_profile: bool
    is_mentee: bool


@dataclass(frozen=True)
class _Pool:
    mentors: list[Profile]
    mentees: list[Profile]
    capacities: np.ndarray
    pool: MatchPool


class MatchingService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        deliveries: DeliveryService,
        clock: Clock,
        weights: MatchWeights,
        request_timeout: timedelta = REQUEST_TIMEOUT,
    ) -> None:
        self._uow = uow
        self._deliveries = deliveries
        self._clock = clock
        self._weights = weights
        self._request_timeout = request_timeout

    # Rounds (admins)

    def check_admin(self, member: Member) -> None:
        """Raise NotAllowed unless the person may run and decide rounds."""
        _require_admin(member)

    def run_round(self, admin: Member) -> RoundPreview:
        """Solve the whole pool; store the result as a preview (nobody is told yet)."""
        _require_admin(admin)
        now = self._clock.now()
        with self._uow() as uow:
            for previous in uow.matches.previewed_rounds(admin.team_id):
                self._discard(uow, previous, admin.user_id, now)
            state = self._pool(uow, admin.team_id, now)
            if state.mentees and state.mentors:
                scores = state.pool.score_matrix()
                assignment = optimal_assignment(
                    scores,
                    state.capacities,
                    maximize_matches_first=self._weights.maximize_matches_first,
                )
            else:
                scores = np.full((len(state.mentees), 0), -1, dtype=np.int32)
                assignment = np.full(len(state.mentees), -1)
            pairs: list[RoundPair] = []
            unmatched: list[Unmatched] = []
            for i, mentee in enumerate(state.mentees):
                j = int(assignment[i])
                if j >= 0:
                    score = state.pool.pair_score(i, j)
                    pairs.append(RoundPair(state.mentors[j].user_id, mentee.user_id, score))
                else:
                    unmatched.append(Unmatched(mentee.user_id, _why_unmatched(state, scores, i)))
            pairs.sort(key=lambda pair: (-pair.score.total, pair.mentee_id))
            match_round = uow.matches.add_round(
                team_id=admin.team_id,
                created_by=admin.user_id,
                at=now,
                total_score=sum(pair.score.total for pair in pairs),
                unmatched=unmatched,
            )
            uow.matches.add_proposed(
                (
                    NewMatch(
                        team_id=admin.team_id,
                        mentor_id=pair.mentor_id,
                        mentee_id=pair.mentee_id,
                        state=MatchState.PROPOSED,
                        source=MatchSource.ROUND,
                        score=pair.score.total,
                        reasons=tuple(r.value for r in pair.score.top_reasons()),
                        round_id=match_round.id,
                    )
                    for pair in pairs
                ),
                at=now,
                actor=admin.user_id,
            )
            uow.commit()
        log.info(
            "matching round %s: %d pairs, %d unmatched, total score %d",
            match_round.id,
            len(pairs),
            len(unmatched),
            match_round.total_score,
        )
        return RoundPreview(
            match_round,
            pairs,
            len(state.mentees),
            len(state.mentors),
            request_hours=int(self._request_timeout.total_seconds() // 3600),
        )

    def approve_round(self, admin: Member, round_id: int) -> int:
        """Ask each proposed pair's mentor; returns how many requests went out. A pair whose
        mentee found a mentor since the preview is discarded instead."""
        _require_admin(admin)
        now = self._clock.now()
        with self._uow() as uow:
            self._round(uow, admin.team_id, round_id)
            if not uow.matches.decide_round(
                admin.team_id, round_id, RoundState.APPROVED, by=admin.user_id, at=now
            ):
                raise InvalidInput(_ALREADY_DECIDED, round=round_id)
            profiles = {p.user_id: p for p in uow.profiles.list_for_team(admin.team_id)}
            requested = uow.matches.request_round(
                admin.team_id,
                round_id,
                at=now,
                actor=admin.user_id,
                expires_at=now + self._request_timeout,
                discard=_over_capacity(uow, admin.team_id, round_id, profiles),
            )
            if requested is None:
                raise InvalidInput(_MATCHED_MEANWHILE)
            outgoing: list[NewDelivery] = []
            for match in requested:
                outgoing += self._request_messages(uow, match, now, profiles)
            self._deliveries.enqueue_in(uow, outgoing)
            uow.commit()
        return len(requested)

    def discard_round(self, admin: Member, round_id: int) -> int:
        _require_admin(admin)
        now = self._clock.now()
        with self._uow() as uow:
            match_round = self._round(uow, admin.team_id, round_id)
            if match_round.state is not RoundState.PREVIEW:
                raise InvalidInput(_ALREADY_DECIDED, round=round_id)
            count = self._discard(uow, match_round, admin.user_id, now)
            uow.commit()
        return count

    def history(self, admin: Member) -> list[tuple[Match, MatchEvent]]:
        _require_admin(admin)
        with self._uow() as uow:
            return uow.matches.history(admin.team_id, limit=HISTORY_LIMIT)

    # A person's own matches

    def overview(self, member: Member) -> MatchOverview:
        with self._uow() as uow:
            profile = uow.profiles.get(member.team_id, member.user_id)
            open_matches = uow.matches.open_for(member.team_id, member.user_id)
            suggestions: list[Suggestion] = []
            as_mentee = [m for m in open_matches if m.mentee_id == member.user_id]
            if profile is not None and profile.is_mentee and not as_mentee:
                suggestions = self._suggestions(uow, profile, self._clock.now())
        return MatchOverview(
            open_matches=open_matches,
            suggestions=suggestions,
            has_profile=profile is not None,
            is_mentee=profile is not None and profile.is_mentee,
        )

    def request(self, mentee: Member, mentor_id: str) -> Match:
        """The mentee picks one of her suggestions: it becomes a request to that mentor."""
        now = self._clock.now()
        with self._uow() as uow:
            profile = uow.profiles.get(mentee.team_id, mentee.user_id)
            if profile is None or not profile.is_mentee:
                raise InvalidInput(_NEEDS_MENTEE_PROFILE)
            if any(
                m.mentee_id == mentee.user_id
                for m in uow.matches.open_for(mentee.team_id, mentee.user_id)
            ):
                raise InvalidInput(_ALREADY_HAS_MENTOR)
            offered = {s.mentor.user_id: s for s in self._suggestions(uow, profile, now)}
            suggestion = offered.get(mentor_id)
            if suggestion is None:
                raise InvalidInput(_NO_LONGER_AVAILABLE, mentor=mentor_id)
            match = self._ask(uow, profile, suggestion, MatchSource.SELF_SERVE, now, mentee.user_id)
            if match is None:
                raise InvalidInput(_ALREADY_HAS_MENTOR)
            self._deliveries.enqueue_in(uow, self._request_messages(uow, match, now))
            uow.commit()
        return match

    def accept(self, mentor: Member, match_id: int) -> Match:
        """Accept a request; accepting it again (a double click) changes nothing."""
        now = self._clock.now()
        with self._uow() as uow:
            already = uow.matches.get(mentor.team_id, match_id)
            if (
                already is not None
                and already.mentor_id == mentor.user_id
                and already.state is MatchState.ACCEPTED
            ):
                return already
            match = self._mentors_request(uow, mentor, match_id)
            accepted = uow.matches.change(match, MatchState.ACCEPTED, at=now, actor=mentor.user_id)
            if accepted is None:
                raise InvalidInput(_REQUEST_CLOSED)
            self._deliveries.enqueue_in(uow, [self._introduction(uow, accepted, now)])
            uow.commit()
        return accepted

    def decline(self, mentor: Member, match_id: int, reason: str = "") -> Match:
        now = self._clock.now()
        note = reason.strip()[:NOTE_LIMIT] or None
        with self._uow() as uow:
            match = self._mentors_request(uow, mentor, match_id)
            declined = uow.matches.change(
                match, MatchState.DECLINED, at=now, actor=mentor.user_id, note=note
            )
            if declined is None:
                raise InvalidInput(_REQUEST_CLOSED)
            self._deliveries.enqueue_in(uow, self._move_on(uow, declined, now))
            uow.commit()
        return declined

    def expire_due(self, at: datetime) -> int:
        """Requests nobody answered in time: expire each and ask the mentee's next best mentor.
        The scheduler's tick calls this."""
        count = 0
        with self._uow() as uow:
            due = uow.matches.requests_due(at)
        for match in due:
            with self._uow() as uow:
                expired = uow.matches.change(match, MatchState.EXPIRED, at=at, actor=None)
                if expired is None:  # answered meanwhile
                    continue
                outgoing = [self._notice(expired.mentor_id, kinds.REQUEST_EXPIRED, expired, at)]
                outgoing += self._move_on(uow, expired, at)
                self._deliveries.enqueue_in(uow, outgoing)
                uow.commit()
                count += 1
        return count

    def end(self, member: Member, partner_id: str | None, reason: str = "") -> Match:
        now = self._clock.now()
        note = reason.strip()[:NOTE_LIMIT] or None
        with self._uow() as uow:
            active = [
                m
                for m in uow.matches.open_for(member.team_id, member.user_id)
                if m.state is MatchState.ACCEPTED
            ]
            if partner_id is not None:
                active = [m for m in active if partner_id in (m.mentor_id, m.mentee_id)]
            if not active:
                raise InvalidInput(_NOTHING_TO_END if partner_id is None else _NOT_YOUR_MATCH)
            if len(active) > 1:
                raise InvalidInput(_SAY_WHICH)
            ended = uow.matches.change(
                active[0], MatchState.ENDED, at=now, actor=member.user_id, note=note
            )
            if ended is None:
                raise InvalidInput(_NOTHING_TO_END)
            other = ended.mentee_id if member.user_id == ended.mentor_id else ended.mentor_id
            self._deliveries.enqueue_in(
                uow, [self._notice(other, kinds.MATCH_ENDED, ended, now, ended_by=member.user_id)]
            )
            uow.commit()
        return ended

    # Internals

    def _pool(
        self, uow: UnitOfWork, team_id: str, now: datetime, mentees: Sequence[Profile] | None = None
    ) -> _Pool:
        today = now.date()
        # Someone deactivated in Slack would never see a request: their mentee would wait 72 h.
        gone = uow.members.unreachable_ids(team_id)
        profiles = [
            p
            for p in uow.profiles.list_for_team(team_id)
            if p.is_available(today) and p.user_id not in gone
        ]
        used = uow.matches.open_counts(team_id)
        mentors = [p for p in profiles if p.is_mentor and p.capacity - used.get(p.user_id, 0) > 0]
        if mentees is None:
            taken = uow.matches.mentees_with_open_match(team_id)
            mentees = [p for p in profiles if p.is_mentee and p.user_id not in taken]
        capacities = np.array(
            [p.capacity - used.get(p.user_id, 0) for p in mentors], dtype=np.int64
        )
        since = now - timedelta(weeks=self._weights.recency_weeks)
        pool = MatchPool(
            mentors,
            list(mentees),
            capacities,
            self._weights,
            _reference_day(today),
            uow.matches.recent_pairs(team_id, since),
        )
        return _Pool(mentors, list(mentees), capacities, pool)

    def _suggestions(self, uow: UnitOfWork, mentee: Profile, now: datetime) -> list[Suggestion]:
        state = self._pool(uow, mentee.team_id, now, mentees=[mentee])
        if not state.mentors:
            return []
        return [
            Suggestion(state.mentors[j], score)
            for j, score in state.pool.suggestions(0, SUGGESTIONS)
        ]

    def _ask(
        self,
        uow: UnitOfWork,
        mentee: Profile,
        suggestion: Suggestion,
        source: MatchSource,
        now: datetime,
        actor: str | None,
    ) -> Match | None:
        return uow.matches.add(
            NewMatch(
                team_id=mentee.team_id,
                mentor_id=suggestion.mentor.user_id,
                mentee_id=mentee.user_id,
                state=MatchState.REQUESTED,
                source=source,
                score=suggestion.score.total,
                reasons=tuple(r.value for r in suggestion.score.top_reasons()),
                expires_at=now + self._request_timeout,
            ),
            at=now,
            actor=actor,
        )

    def _move_on(self, uow: UnitOfWork, closed: Match, now: datetime) -> list[NewDelivery]:
        """After a decline or expiry: ask the mentee's next best mentor, and tell her."""
        mentee = uow.profiles.get(closed.team_id, closed.mentee_id)
        if mentee is not None and mentee.is_available(now.date()):
            for suggestion in self._suggestions(uow, mentee, now)[:1]:
                nxt = self._ask(uow, mentee, suggestion, MatchSource.FALLBACK, now, None)
                if nxt is None:  # she found a mentor some other way meanwhile
                    return []
                return [
                    self._notice(
                        closed.mentee_id,
                        kinds.MOVED_ON,
                        closed,
                        now,
                        next_mentor=nxt.mentor_id,
                        next_expires_at=nxt.expires_at.isoformat() if nxt.expires_at else "",
                    ),
                    self._mentor_request(uow, nxt, now),
                ]
        return [self._notice(closed.mentee_id, kinds.NO_OTHER_MENTOR, closed, now)]

    def _request_messages(
        self,
        uow: UnitOfWork,
        match: Match,
        now: datetime,
        profiles: dict[str, Profile] | None = None,
    ) -> list[NewDelivery]:
        return [
            self._mentor_request(uow, match, now, profiles),
            self._notice(match.mentee_id, kinds.REQUEST_SENT, match, now),
        ]

    def _mentor_request(
        self,
        uow: UnitOfWork,
        match: Match,
        now: datetime,
        profiles: dict[str, Profile] | None = None,
    ) -> NewDelivery:
        """`profiles`, when given, saves a read per request (a round asks thousands)."""
        if profiles is not None:
            mentee = profiles.get(match.mentee_id)
        else:
            mentee = uow.profiles.get(match.team_id, match.mentee_id)
        payload = kinds.request_payload(match, mentee)
        return NewDelivery(
            key=DeliveryKey(match.team_id, match.mentor_id, kinds.MENTOR_REQUEST, f"m{match.id}"),
            due_at=now,
            payload=payload,
            expires_at=match.expires_at,
        )

    def _introduction(self, uow: UnitOfWork, match: Match, now: datetime) -> NewDelivery:
        mentor = uow.profiles.get(match.team_id, match.mentor_id)
        mentee = uow.profiles.get(match.team_id, match.mentee_id)
        return NewDelivery(
            key=DeliveryKey(
                match.team_id,
                kinds.group_recipient(match.mentor_id, match.mentee_id),
                kinds.INTRODUCTION,
                f"m{match.id}",
            ),
            due_at=now,
            payload=kinds.introduction_payload(
                match,
                mentor,
                mentee,
                _reference_day(now.date()),
                language=_common_language(uow, match),
            ),
        )

    def _notice(
        self, recipient: str, kind: str, match: Match, now: datetime, **extra: str
    ) -> NewDelivery:
        return NewDelivery(
            key=DeliveryKey(match.team_id, recipient, kind, f"m{match.id}"),
            due_at=now,
            payload=kinds.notice_payload(match, **extra),
        )

    def _discard(self, uow: UnitOfWork, match_round: MatchRound, by: str, now: datetime) -> int:
        uow.matches.decide_round(
            match_round.team_id, match_round.id, RoundState.DISCARDED, by=by, at=now
        )
        count = 0
        for match in uow.matches.in_round(match_round.team_id, match_round.id):
            if match.state is MatchState.PROPOSED:
                uow.matches.change(match, MatchState.DISCARDED, at=now, actor=by)
                count += 1
        return count

    def _round(self, uow: UnitOfWork, team_id: str, round_id: int) -> MatchRound:
        match_round = uow.matches.get_round(team_id, round_id)
        if match_round is None:
            raise InvalidInput(_NO_SUCH_ROUND, round=round_id)
        return match_round

    def _mentors_request(self, uow: UnitOfWork, mentor: Member, match_id: int) -> Match:
        match = uow.matches.get(mentor.team_id, match_id)
        if match is None or match.mentor_id != mentor.user_id:
            raise NotAllowed(_NOT_YOUR_REQUEST)
        if match.state is not MatchState.REQUESTED:
            raise InvalidInput(_REQUEST_CLOSED)
        return match


def _over_capacity(
    uow: UnitOfWork, team_id: str, round_id: int, profiles: dict[str, Profile]
) -> dict[int, str]:
    """Proposals whose mentor filled up since the preview (a mentee asked them herself); the
    lowest-scoring ones go first."""
    used = uow.matches.open_counts(team_id)
    full: dict[int, str] = {}
    for match in uow.matches.in_round(team_id, round_id):  # best score first
        if match.state is not MatchState.PROPOSED:
            continue
        profile = profiles.get(match.mentor_id)
        if profile is None or used.get(match.mentor_id, 0) >= profile.capacity:
            full[match.id] = "the mentor has no free place any more"
        else:
            used[match.mentor_id] = used.get(match.mentor_id, 0) + 1
    return full


def _why_unmatched(state: _Pool, scores: np.ndarray, mentee_index: int) -> str:
    if not state.mentors:
        return NO_MENTORS
    if (scores[mentee_index] >= 0).any():
        return CAPACITY
    exclusion = state.pool.exclusion_summary(mentee_index)
    return exclusion.value if exclusion is not None else CAPACITY


def _common_language(uow: UnitOfWork, match: Match) -> str:
    """The language of a group DM: the one both read, else English."""
    languages = set()
    for user_id in (match.mentor_id, match.mentee_id):
        member = uow.members.get(match.team_id, user_id)
        languages.add(member.language if member else DEFAULT_LANGUAGE)
    return languages.pop() if len(languages) == 1 else DEFAULT_LANGUAGE


def _require_admin(member: Member) -> None:
    if not member.is_admin:
        raise NotAllowed(_ADMINS_ONLY)


def _reference_day(today: date) -> date:
    """Working hours are compared on the coming Wednesday: a working day, in this season."""
    return today + timedelta(days=(2 - today.weekday()) % 7)


_ADMINS_ONLY = N_("Only program admins can manage matching rounds.")
_ALREADY_DECIDED = N_("Round {round} has already been approved or discarded; nothing changed.")
_MATCHED_MEANWHILE = N_(
    "Someone in this round found a mentor while it was being approved; nothing was sent. "
    "Press Approve again to ask the others."
)
_NO_SUCH_ROUND = N_("There is no matching round {round}.")
_NEEDS_MENTEE_PROFILE = N_(
    "To ask for a mentor, first fill in your profile as a mentee: `/mentor profile`."
)
_ALREADY_HAS_MENTOR = N_(
    "You already have a mentor or a request waiting for an answer: `/mentor match` shows it."
)
_NO_LONGER_AVAILABLE = N_(
    "<@{mentor}> is no longer available to you. Type `/mentor match` for fresh suggestions."
)
_NOT_YOUR_REQUEST = N_("This request is not addressed to you.")
_REQUEST_CLOSED = N_("This request is no longer open: it was answered or it expired.")
_NOTHING_TO_END = N_("You have no active match to end.")
_NOT_YOUR_MATCH = N_("You have no active match with that person.")
_SAY_WHICH = N_("You have several matches; say which one: `/mentor match end @name`.")
