"""Messages people send the bot in its DM: a reply there answers this week's check-in.

Bolt acknowledges an event before its listener runs on another thread; the work is submitted
to the follow-up pool from a listener middleware instead, which runs before the ack, so
whoever waits for the pool (shutdown, tests) also waits for the reply."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.i18n import translator
from bot.services import Services
from bot.services.checkins import ReplyOutcome
from handlers.background import FollowUps
from handlers.blocks import checkins as checkin_blocks


def register(app: App) -> None:
    app.event("message", middleware=[submit_dm_reply])(handle_event_message)


def is_person_writing_in_dm(event: dict[str, Any]) -> bool:
    """A person's own new message in a DM: not an edit, a join, a file share or a bot."""
    return (
        event.get("channel_type") == "im"
        and not event.get("subtype")
        and not event.get("bot_id")
        and bool(event.get("user"))
        and bool(event.get("ts"))
    )


def submit_dm_reply(
    event: dict[str, Any],
    body: dict[str, Any],
    services: Services,
    follow_ups: FollowUps,
    client: WebClient,
    next: Any,
) -> None:
    if is_person_writing_in_dm(event):
        team_id = event.get("team") or body.get("team_id") or ""
        follow_ups.submit(record_dm_reply, services, client, team_id, event)
    next()


def handle_event_message() -> None:
    """The work was handed to the follow-up pool by `submit_dm_reply`; Bolt acks the event."""


def record_dm_reply(
    services: Services, client: WebClient, team_id: str, event: dict[str, Any]
) -> None:
    user_id, channel, ts = event["user"], event["channel"], event["ts"]
    reply = services.checkins.record_reply(team_id, user_id, channel, ts, event.get("text") or "")
    if reply.outcome is ReplyOutcome.DUPLICATE:
        return
    _ = translator(services.members.get_member(team_id, user_id).language)
    if reply.outcome is ReplyOutcome.STORED and reply.checkin is not None:
        text = checkin_blocks.reply_stored_text(reply.checkin.week, _)
    else:
        text = checkin_blocks.no_checkin_text(_)
    client.chat_postMessage(channel=channel, thread_ts=ts, text=text)
