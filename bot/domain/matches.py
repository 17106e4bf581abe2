"""Mentorship matches and their life, with every change kept as an event.

    proposed --approve round--> requested --accept--> accepted --end--> ended
        \\-- discard round --> discarded   |--decline--> declined
                                          \\--72 h, no answer--> expired

A proposed match belongs to a round an admin has not approved yet. A requested match waits for
the mentor's answer; when it is declined or expires, the mentee's next best option is asked
(a new requested match), so nobody waits in silence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class MatchState(StrEnum):
    PROPOSED = "proposed"
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    ENDED = "ended"
    DISCARDED = "discarded"


class MatchSource(StrEnum):
    ROUND = "round"
    SELF_SERVE = "self_serve"
    FALLBACK = "fallback"
    """Asked after the mentee's previous request was declined or expired."""


ALLOWED_CHANGES: dict[MatchState, frozenset[MatchState]] = {
    MatchState.PROPOSED: frozenset({MatchState.REQUESTED, MatchState.DISCARDED}),
    MatchState.REQUESTED: frozenset(
        {MatchState.ACCEPTED, MatchState.DECLINED, MatchState.EXPIRED, MatchState.DISCARDED}
    ),
    MatchState.ACCEPTED: frozenset({MatchState.ENDED}),
}
OPEN_STATES = frozenset({MatchState.REQUESTED, MatchState.ACCEPTED})
"""States that hold a place in the mentor's capacity and keep the mentee from other requests."""

REQUEST_TIMEOUT = timedelta(hours=72)
RECENCY_STATES = frozenset({MatchState.ENDED, MatchState.DECLINED, MatchState.EXPIRED})
"""Pairs in these states are not suggested again within the recency window."""


class RoundState(StrEnum):
    PREVIEW = "preview"
    APPROVED = "approved"
    DISCARDED = "discarded"


@dataclass(frozen=True)
class Match:
    id: int
    team_id: str
    mentor_id: str
    mentee_id: str
    state: MatchState
    source: MatchSource
    score: int
    reasons: tuple[str, ...]
    """The top reasons (scoring.Reason values), best first."""
    created_at: datetime
    updated_at: datetime
    round_id: int | None = None
    expires_at: datetime | None = None
    note: str | None = None
    """The decline or end reason, as the person wrote it."""

    def can_become(self, state: MatchState) -> bool:
        return state in ALLOWED_CHANGES.get(self.state, frozenset())


@dataclass(frozen=True)
class NewMatch:
    team_id: str
    mentor_id: str
    mentee_id: str
    state: MatchState
    source: MatchSource
    score: int
    reasons: tuple[str, ...]
    round_id: int | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class MatchEvent:
    match_id: int
    state: MatchState
    at: datetime
    actor: str | None
    """Who made the change (a Slack user id), or None for the bot itself (an expiry)."""
    note: str | None = None


@dataclass(frozen=True)
class Unmatched:
    mentee_id: str
    reason: str
    """Why no mentor was found (scoring.Exclusion value, or "capacity")."""


@dataclass(frozen=True)
class MatchRound:
    id: int
    team_id: str
    state: RoundState
    created_by: str
    created_at: datetime
    total_score: int
    unmatched: tuple[Unmatched, ...]
    decided_by: str | None = None
    decided_at: datetime | None = None
