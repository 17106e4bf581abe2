"""`app_home_opened`: the person opened the bot's Home tab; it is drawn afresh each time.

As for DM replies (handlers/events/messages.py), the work goes to the follow-up pool from a
listener middleware, before Bolt acks the event, so whoever waits for the pool waits for it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.services import Services
from handlers.background import FollowUps
from handlers.home_tab import publish_home

HOME_TAB = "home"


def register(app: App) -> None:
    app.event("app_home_opened", middleware=[submit_home])(handle_event_app_home_opened)


def submit_home(
    event: dict[str, Any],
    body: dict[str, Any],
    services: Services,
    follow_ups: FollowUps,
    client: WebClient,
    next: Any,
) -> None:
    user_id = event.get("user")
    if event.get("tab") == HOME_TAB and user_id:
        team_id = body.get("team_id") or (event.get("view") or {}).get("team_id") or ""
        follow_ups.submit(publish_home, services, client, team_id, user_id)
    next()


def handle_event_app_home_opened() -> None:
    """The work was handed to the follow-up pool by `submit_home`; Bolt acks the event."""
