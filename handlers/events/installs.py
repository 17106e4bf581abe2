"""`app_uninstalled` and `tokens_revoked`: forget the workspace's tokens and stop sending to it.

Bolt lets these two events through without a token (the workspace may have none left). As for
DM replies, the work goes to the follow-up pool from a listener middleware, before the ack,
so shutdown and tests can wait for it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.services import Services
from handlers.background import FollowUps


def register(app: App) -> None:
    app.event("app_uninstalled", middleware=[submit_uninstall])(acknowledge)
    app.event("tokens_revoked", middleware=[submit_revocation])(acknowledge)


def acknowledge() -> None:
    """The work was handed to the follow-up pool by the middleware; Bolt acks the event."""


def submit_uninstall(
    body: dict[str, Any], services: Services, follow_ups: FollowUps, next: Any
) -> None:
    follow_ups.submit(services.workspaces.uninstalled, body["team_id"])
    next()


def submit_revocation(
    event: dict[str, Any],
    body: dict[str, Any],
    services: Services,
    follow_ups: FollowUps,
    next: Any,
) -> None:
    tokens = event.get("tokens") or {}
    follow_ups.submit(revoke, services, body["team_id"], tokens)
    next()


def revoke(services: Services, team_id: str, tokens: dict[str, list[str]]) -> None:
    services.workspaces.tokens_revoked(
        team_id, bot=bool(tokens.get("bot")), users=len(tokens.get("oauth") or [])
    )
