"""Announcements: a message program admins send to members, once each, at a time, until a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.deliveries import DeliveryKey, NewDelivery
from bot.domain.errors import InvalidInput
from bot.domain.i18n_markers import N_

KIND = "announcement"
MAX_TEXT_CHARS = 3000
DEFAULT_VALIDITY = timedelta(days=2)
"""An announcement nobody could receive within two days is stale; it is skipped, not sent late."""


@dataclass(frozen=True)
class Announcement:
    team_id: str
    text: str
    send_at: datetime
    expires_at: datetime
    audience: tuple[str, ...] | None = None
    """Slack user ids; None means every active member."""
    created_by: str | None = None
    id: int | None = None

    def deliveries_for(self, recipients: list[str]) -> list[NewDelivery]:
        assert self.id is not None, "save the announcement first"
        return [
            NewDelivery(
                key=DeliveryKey(self.team_id, user_id, KIND, f"announcement-{self.id}"),
                due_at=self.send_at,
                expires_at=self.expires_at,
                payload={"text": self.text},
            )
            for user_id in recipients
        ]


def new_announcement(
    *,
    team_id: str,
    text: str,
    send_at: datetime,
    expires_at: datetime | None,
    audience: tuple[str, ...] | None,
    created_by: str | None,
    now: datetime,
) -> Announcement:
    text = text.strip()
    if not text:
        raise InvalidInput(N_("The announcement has no text."))
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput(
            N_("The announcement is {length} characters; the limit is {limit}."),
            length=len(text),
            limit=MAX_TEXT_CHARS,
        )
    expires_at = expires_at or send_at + DEFAULT_VALIDITY
    if expires_at <= send_at:
        raise InvalidInput(
            N_("The end ({until}) must come after the send time ({at})."),
            until=expires_at.isoformat(),
            at=send_at.isoformat(),
        )
    if expires_at <= now:
        raise InvalidInput(N_("The end ({until}) is already past."), until=expires_at.isoformat())
    return Announcement(
        team_id=team_id,
        text=text,
        send_at=send_at,
        expires_at=expires_at,
        audience=audience,
        created_by=created_by,
    )
