"""The delivery ledger's rules: one row per message that must arrive once.

A delivery is identified by its key (workspace, recipient, kind, period); creating it twice is a
no-op. Its life:

    pending --claim--> claimed --send--> sent
                          |  \\-- 429 / connection refused --> pending (later)
                          |  \\-- permanent Slack error -----> failed
                          |  \\-- recipient deactivated -----> skipped
                          \\---- timeout / 5xx / fatal_error -> in_doubt --verify--> sent | pending
    pending past its expiry -------------------------------> skipped ("stale")

"In doubt" means the post may or may not exist. It is never resent blind: the dispatcher first
looks for the delivery id in the metadata of the bot's recent messages to that recipient.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class DeliveryState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    IN_DOUBT = "in_doubt"
    FAILED = "failed"
    SKIPPED = "skipped"


FINAL_STATES = frozenset({DeliveryState.SENT, DeliveryState.FAILED, DeliveryState.SKIPPED})

# Slack errors after which sending again cannot help.
PERMANENT_ERRORS = frozenset(
    {
        "user_not_found",
        "account_inactive",
        "channel_not_found",
        "not_in_channel",
        "invalid_auth",
        "token_revoked",
        "token_expired",
        "is_archived",
        "user_disabled",
        "cannot_dm_bot",
        "not_authed",
        "missing_scope",
        "invalid_blocks",
        "invalid_arguments",
        "msg_too_long",
        "no_text",
        "restricted_action",
        "team_access_not_granted",
        "ekm_access_denied",
        "messages_tab_disabled",
    }
)
# Slack errors after which the message may or may not have been posted.
UNCERTAIN_ERRORS = frozenset(
    {"fatal_error", "internal_error", "request_timeout", "service_unavailable"}
)

MAX_SEND_ATTEMPTS = 6
BACKOFF_BASE = timedelta(seconds=15)
BACKOFF_CAP = timedelta(minutes=30)
IN_DOUBT_GRACE = timedelta(seconds=30)
"""How long an uncertain post is left to land in Slack before the ledger looks for it."""

METADATA_EVENT_TYPE = "mentor_bot_delivery"


@dataclass(frozen=True)
class DeliveryKey:
    team_id: str
    recipient: str
    kind: str
    period: str


@dataclass(frozen=True)
class NewDelivery:
    key: DeliveryKey
    due_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    expires_at: datetime | None = None
    """After this the message is no longer useful: skipped as stale instead of sent late."""


@dataclass(frozen=True)
class Delivery:
    id: int
    key: DeliveryKey
    state: DeliveryState
    due_at: datetime
    next_attempt_at: datetime
    attempts: int
    payload: dict[str, Any]
    created_at: datetime
    expires_at: datetime | None = None
    reason: str | None = None
    last_error: str | None = None
    channel: str | None = None
    ts: str | None = None
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    in_doubt_since: datetime | None = None
    """Set while an uncertain post has not been found or ruled out."""
    sent_at: datetime | None = None

    def is_stale(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at


def backoff(attempts: int, rng: random.Random | None = None) -> timedelta:
    """Exponential backoff with full jitter: up to 15 s, 30 s, 60 s ... capped at 30 minutes."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** max(attempts - 1, 0)))
    return ceiling * (rng or random).uniform(0.5, 1.0)


# What happened when the dispatcher tried to send: each outcome decides the next state.


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


@dataclass(frozen=True)
class RateLimited:
    retry_after: timedelta


@dataclass(frozen=True)
class NotSent:
    """The request never reached Slack (connection refused, DNS): safe to send again."""

    error: str


@dataclass(frozen=True)
class Uncertain:
    """Slack may have posted it (read timeout, 5xx, fatal_error)."""

    error: str


@dataclass(frozen=True)
class Rejected:
    """Slack refused it for good (user_not_found, channel_not_found, invalid_auth ...)."""

    error: str


SendOutcome = Posted | RateLimited | NotSent | Uncertain | Rejected


def outcome_of_slack_error(error: str) -> Uncertain | Rejected:
    """Uncertain errors are verified before any resend; every other error is final (unknown ones
    too: an admin sees them in the ledger, which beats resending blind)."""
    return Uncertain(error) if error in UNCERTAIN_ERRORS else Rejected(error)


@dataclass(frozen=True)
class Transition:
    """What one attempt (or check) does to a claimed delivery."""

    state: DeliveryState
    at: datetime
    reason: str | None = None
    error: str | None = None
    next_attempt_at: datetime | None = None
    count_attempt: bool = False
    posted: Posted | None = None
    in_doubt: bool = False
    """True when this attempt made the delivery uncertain (starts the in-doubt clock)."""


def transition_after(
    outcome: SendOutcome, delivery: Delivery, now: datetime, rng: random.Random | None = None
) -> Transition:
    """The ledger's answer to what Slack did with one attempt."""
    attempts = delivery.attempts + 1
    match outcome:
        case Posted():
            return Transition(
                DeliveryState.SENT, now, reason=None, count_attempt=True, posted=outcome
            )
        case RateLimited(retry_after=wait):
            return Transition(
                DeliveryState.PENDING, now, error="ratelimited", next_attempt_at=now + wait
            )
        case Rejected(error=error):
            return Transition(
                DeliveryState.FAILED,
                now,
                reason=f"refused: {error}",
                error=error,
                count_attempt=True,
            )
        case NotSent(error=error) if attempts >= MAX_SEND_ATTEMPTS:
            return Transition(
                DeliveryState.FAILED,
                now,
                error=error,
                count_attempt=True,
                reason=f"gave up after {attempts} attempts: {error}",
            )
        case NotSent(error=error):
            return Transition(
                DeliveryState.PENDING,
                now,
                error=error,
                count_attempt=True,
                next_attempt_at=now + backoff(attempts, rng),
            )
        case Uncertain(error=error):
            return Transition(
                DeliveryState.IN_DOUBT,
                now,
                error=error,
                count_attempt=True,
                reason=f"may have been posted ({error}); checking before any resend",
                next_attempt_at=now + IN_DOUBT_GRACE,
                in_doubt=True,
            )
    raise AssertionError(f"unknown outcome {outcome!r}")
