"""`user_change`: keep each person's status, zone and locale fresh between directory syncs."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.services import Services
from handlers.gateway import slack_user


def register(app: App) -> None:
    app.event("user_change")(handle_event_user_change)


def handle_event_user_change(
    event: dict[str, Any], body: dict[str, Any], services: Services
) -> None:
    services.members.apply_slack_user(body["team_id"], slack_user(event["user"]))
