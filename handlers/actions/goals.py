"""Buttons on goals: in `/mentor goal list` (update, add a milestone, done, archive, tick a
milestone; a mentor's comment), the template picker in the goal form, and the one-tap status
buttons in the weekly check-in."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.domain import goal_messages
from bot.domain.goal_templates import TEMPLATES_BY_KEY
from bot.domain.goals import GoalStatus
from bot.domain.members import Member
from bot.i18n import Translate
from bot.services import Services
from bot.services.goals import GoalService
from handlers.actions.common import after_ack, who_pressed
from handlers.background import FollowUps
from handlers.blocks import goals as goal_blocks
from handlers.ids import GoalAction, GoalBlock
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


ListChange = Callable[[GoalService, Member, dict[str, Any]], object]
FormOpener = Callable[[Services, WebClient, Member, dict[str, Any], Translate], None]


def changes_list(change: ListChange) -> Callable[..., None]:
    """A listener for a button in `/mentor goal list`: change the goal after the ack, then
    redraw the list in place through the response_url."""

    def listener(
        ack: Ack,
        body: dict[str, Any],
        respond: Respond,
        services: Services,
        follow_ups: FollowUps,
        context: Any,
    ) -> None:
        member, _ = who_pressed(body, services, context)

        def work() -> None:
            change(services.goals, member, body)
            refresh_list(WebhookClient(body["response_url"]), services, member, _)

        after_ack(follow_ups, respond, _, work)
        ack()

    return listener


def opens_form(opener: FormOpener) -> Callable[..., None]:
    """A listener for a button that opens a form: on the follow-up pool, submitted before the
    ack so the 3-second trigger is still fresh."""

    def listener(
        ack: Ack,
        body: dict[str, Any],
        client: WebClient,
        respond: Respond,
        services: Services,
        follow_ups: FollowUps,
        context: Any,
    ) -> None:
        member, _ = who_pressed(body, services, context)
        after_ack(follow_ups, respond, _, lambda: opener(services, client, member, body, _))
        ack()

    return listener


def _mark_done(goals: GoalService, member: Member, body: dict[str, Any]) -> object:
    return goals.mark_done(member, goal_id=_goal_id(body))


def _archive(goals: GoalService, member: Member, body: dict[str, Any]) -> object:
    return goals.archive(member, goal_id=_goal_id(body))


def _tick_milestones(goals: GoalService, member: Member, body: dict[str, Any]) -> object:
    """The checklist as now ticked: its block id names the goal."""
    action = body["actions"][0]
    goal_id = int(action["block_id"].removeprefix(GoalBlock.ACTIONS_PREFIX))
    ticked = {int(option["value"]) for option in action.get("selected_options") or []}
    return goals.set_milestones_done(member, goal_id, ticked)


def _update_form(
    services: Services, client: WebClient, member: Member, body: dict[str, Any], _: Translate
) -> None:
    goal = services.goals.own_goal(member, goal_id=_goal_id(body))
    open_goal_form(client, body["trigger_id"], member, goal, _from_list(body))


def _milestone_form(
    services: Services, client: WebClient, member: Member, body: dict[str, Any], _: Translate
) -> None:
    goal = services.goals.own_goal(member, goal_id=_goal_id(body))
    view = goal_blocks.build_milestone_form(goal, _from_list(body), _)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _comment_form(
    services: Services, client: WebClient, member: Member, body: dict[str, Any], _: Translate
) -> None:
    goal, _events = services.goals.history(member, goal_id=_goal_id(body))
    client.views_open(
        trigger_id=body["trigger_id"], view=goal_blocks.build_comment_form(goal, {}, _)
    )


handle_goal_done = changes_list(_mark_done)
handle_goal_archive = changes_list(_archive)
handle_goal_milestones = changes_list(_tick_milestones)
handle_goal_update = opens_form(_update_form)
handle_goal_add_milestone = opens_form(_milestone_form)
handle_goal_comment = opens_form(_comment_form)


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
