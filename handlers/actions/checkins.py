"""Buttons on check-in messages: open the form (prompt, reminder), and the offer after three
missed weeks (pause for four weeks, or ask for a new mentor)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.clock import SystemClock
from bot.services import Services
from handlers.actions.common import after_ack, replace_buttons, say, who_pressed
from handlers.background import FollowUps
from handlers.commands.checkin import PAUSE_OFFERED, local_today, paused_text
from handlers.ids import CheckinAction
from handlers.views.checkins import open_checkin_form

NEW_MENTOR_REASON = "asked for a new mentor"
"""The note kept on the ended match (admins see it in the match history)."""


def register(app: App) -> None:
    app.action(CheckinAction.OPEN_FORM.value)(handle_open_form)
    app.action(CheckinAction.PAUSE_FOUR_WEEKS.value)(handle_pause_four_weeks)
    app.action(CheckinAction.NEW_MENTOR.value)(handle_new_mentor)
    # A link button: Slack opens the DM itself and still tells us of the click.
    app.action(CheckinAction.REPLY_TO_MENTEE.value)(lambda ack: ack())


def handle_open_form(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    """Find the check-in and open the form on the follow-up pool, submitted before the ack (the
    trigger is good for 3 seconds; the pool starts it at once)."""
    member, _ = who_pressed(body, services, context)
    checkin_id = int(body["actions"][0]["value"])
    clock = context.get("clock") or SystemClock()

    def open_form() -> None:
        history = services.checkins.history(member)
        checkin = next((c for c in history if c.id == checkin_id), None)
        if checkin is None or not checkin.is_open(clock.now()):
            say(respond, _("That week's check-in is closed. `/mentor checkin` opens this week's."))
            return
        prompt = (body["channel"]["id"], body["message"]["ts"]) if body.get("message") else None
        open_checkin_form(client, body["trigger_id"], member, checkin, prompt)

    after_ack(follow_ups, respond, _, open_form)
    ack()


def handle_pause_four_weeks(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    member, _ = who_pressed(body, services, context)
    clock = context.get("clock") or SystemClock()

    def pause() -> None:
        until = services.checkins.pause(member, local_today(clock, member) + PAUSE_OFFERED)
        replace_buttons(client, body, paused_text(until, _))

    after_ack(follow_ups, respond, _, pause)
    ack()


def handle_new_mentor(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    mentee, _ = who_pressed(body, services, context)

    def new_mentor() -> None:
        ended = services.matching.end(mentee, None, NEW_MENTOR_REASON)
        text = (
            _("Your match with <@{other}> has ended. I have let them know.").format(
                other=ended.mentor_id
            )
            + " "
            + _("Type `/mentor match` whenever you would like a new mentor.")
        )
        replace_buttons(client, body, text)

    after_ack(follow_ups, respond, _, new_mentor)
    ack()
