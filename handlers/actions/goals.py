"""Buttons on goals: in `/mentor goal list` (update, add a milestone, done, archive, tick a
milestone; a mentor's comment), the template picker in the goal form, and the one-tap status
buttons in the weekly check-in."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.domain import goal_messages
from bot.domain.goal_templates import TEMPLATES_BY_KEY
from bot.domain.goals import GoalStatus
from bot.services import Services
from handlers.actions.common import after_ack, who_pressed
from handlers.background import FollowUps
from handlers.blocks import goals as goal_blocks
from handlers.ids import GoalAction
from handlers.views.goals import open_goal_form, refresh_list

TAP = re.compile("^" + re.escape(GoalAction.TAP_PREFIX.value) + "(.+)$")


def register(app: App) -> None:
    app.action(GoalAction.UPDATE.value)(handle_goal_update)
    app.action(GoalAction.ADD_MILESTONE.value)(handle_goal_add_milestone)
    app.action(GoalAction.COMMENT.value)(handle_goal_comment)
    app.action(GoalAction.DONE.value)(handle_goal_done)
    app.action(GoalAction.ARCHIVE.value)(handle_goal_archive)
    app.action(GoalAction.MILESTONES.value)(handle_goal_milestones)
    app.action(GoalAction.TEMPLATE.value)(handle_goal_template)
    app.action(TAP)(handle_goal_tap)


def _goal_id(body: dict[str, Any]) -> int:
    return int(body["actions"][0]["value"])


def _from_list(body: dict[str, Any]) -> dict[str, Any]:
    """Where to refresh the list once a form opened from it is saved."""
    return {"response_url": body["response_url"]} if body.get("response_url") else {}


def handle_goal_update(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    member, _ = who_pressed(body, services, context)

    def open_form() -> None:
        goal = services.goals.own_goal(member, goal_id=_goal_id(body))
        open_goal_form(client, body["trigger_id"], member, goal, _from_list(body))

    after_ack(follow_ups, respond, _, open_form)
    ack()


def handle_goal_add_milestone(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    member, _ = who_pressed(body, services, context)

    def open_form() -> None:
        goal = services.goals.own_goal(member, goal_id=_goal_id(body))
        view = goal_blocks.build_milestone_form(goal, _from_list(body), _)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    after_ack(follow_ups, respond, _, open_form)
    ack()


def handle_goal_comment(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    member, _ = who_pressed(body, services, context)

    def open_form() -> None:
        goal, _events = services.goals.history(member, goal_id=_goal_id(body))
        view = goal_blocks.build_comment_form(goal, {}, _)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    after_ack(follow_ups, respond, _, open_form)
    ack()


def handle_goal_done(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    member, _ = who_pressed(body, services, context)

    def done() -> None:
        services.goals.mark_done(member, goal_id=_goal_id(body))
        refresh_list(WebhookClient(body["response_url"]), services, member, _)

    after_ack(follow_ups, respond, _, done)
    ack()


def handle_goal_archive(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    member, _ = who_pressed(body, services, context)

    def archive() -> None:
        services.goals.archive(member, goal_id=_goal_id(body))
        refresh_list(WebhookClient(body["response_url"]), services, member, _)

    after_ack(follow_ups, respond, _, archive)
    ack()


def handle_goal_milestones(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    """The checklist as now ticked: its block id names the goal."""
    member, _ = who_pressed(body, services, context)
    action = body["actions"][0]
    goal_id = int(action["block_id"].removeprefix(goal_blocks.GoalBlock.ACTIONS_PREFIX))
    ticked = {int(option["value"]) for option in action.get("selected_options") or []}

    def tick() -> None:
        services.goals.set_milestones_done(member, goal_id, ticked)
        refresh_list(WebhookClient(body["response_url"]), services, member, _)

    after_ack(follow_ups, respond, _, tick)
    ack()


def handle_goal_template(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    """A template picked in the goal form: the form is redrawn with it, keeping what was typed."""
    _member, _ = who_pressed(body, services, context)
    view = body["view"]
    key = (body["actions"][0].get("selected_option") or {}).get("value")
    if key in TEMPLATES_BY_KEY:
        metadata = json.loads(view.get("private_metadata") or "{}")
        typed = goal_blocks.goal_fields_from_state(view["state"]["values"])
        form = goal_blocks.form_with_template(typed, key, metadata, _)
        redrawn = goal_blocks.build_goal_form(form, _)
        follow_ups.submit(
            lambda: client.views_update(view=redrawn, view_id=view["id"], hash=view.get("hash"))
        )
    ack()


def handle_goal_tap(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    """A status button in the weekly check-in: the goal and the check-in record it; the row
    in the message shows the new status."""
    member, _ = who_pressed(body, services, context)
    action = body["actions"][0]
    status = GoalStatus(TAP.match(action["action_id"]).group(1))
    checkin_id, goal_id = (int(part) for part in action["value"].split(":"))

    def tap() -> None:
        goal, _recorded = services.goals.tap_from_checkin(member, checkin_id, goal_id, status)
        entry = goal_messages.checkin_entry(goal)
        row = goal_blocks.build_checkin_goal(entry, checkin_id, _, tapped=True)
        message = body["message"]
        client.chat_update(
            channel=body["channel"]["id"],
            ts=message["ts"],
            text=message.get("text") or "",
            blocks=goal_blocks.replace_goal_blocks(message.get("blocks") or [], goal.id, row),
        )

    after_ack(follow_ups, respond, _, tap)
    ack()
