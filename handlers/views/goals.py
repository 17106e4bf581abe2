"""The goal forms: a new goal or an update (with templates), a milestone, a comment. Errors show
on the field; once saved, the list the form was opened from is refreshed, or a DM confirms."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.domain.errors import UserFacingError
from bot.domain.goals import Goal, GoalFormInput
from bot.domain.members import Member
from bot.i18n import Translate, translator
from bot.services import Services
from handlers.actions.common import who_pressed
from handlers.background import FollowUps
from handlers.blocks import goals as goal_blocks
from handlers.blocks.help import build_notice_blocks
from handlers.errors import user_error_text
from handlers.home_tab import refresh_home_if_watching
from handlers.ids import GoalAction, GoalBlock, GoalModal


def register(app: App) -> None:
    app.view(GoalModal.FORM.value)(handle_view_goal_form)
    app.view(GoalModal.MILESTONE.value)(handle_view_goal_milestone)
    app.view(GoalModal.COMMENT.value)(handle_view_goal_comment)


def open_goal_form(
    client: WebClient,
    trigger_id: str,
    member: Member,
    goal: Goal | None,
    metadata: Mapping[str, Any] | None = None,
) -> None:
    """Empty for a new goal, filled in for an update. `metadata` may carry the response_url of
    the list it was opened from, to refresh that list once saved."""
    metadata = dict(metadata or {})
    form = (
        goal_blocks.GoalForm(metadata=metadata)
        if goal is None
        else goal_blocks.form_for_goal(goal, metadata)
    )
    view = goal_blocks.build_goal_form(form, translator(member.language))
    client.views_open(trigger_id=trigger_id, view=view)


def handle_view_goal_form(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    services: Services,
    follow_ups: FollowUps,
    client: WebClient,
    context: Any,
) -> None:
    member, _ = who_pressed(body, services, context)
    metadata = json.loads(view.get("private_metadata") or "{}")
    fields = goal_blocks.goal_fields_from_state(view["state"]["values"])
    form = GoalFormInput(
        **fields, template=metadata.get("template"), goal_id=metadata.get("goal_id")
    )
    variant = int(metadata.get("variant") or 0)
    try:
        goal = services.goals.save_form(member, form)
    except UserFacingError as error:
        block = _error_block(error, form, variant)
        ack(response_action="errors", errors={block: user_error_text(error, _)})
        return
    follow_ups.submit(show_saved, client, services, member, goal, metadata, form.goal_id is None)
    refresh_home_if_watching(services, client, follow_ups, member)
    ack()


def _error_block(error: UserFacingError, form: GoalFormInput, variant: int) -> str:
    name = str(error.values.get("field") or GoalBlock.TITLE)
    if name in (GoalBlock.STATUS, GoalBlock.PROGRESS) and form.goal_id is not None:
        return name
    if name not in goal_blocks.FORM_FIELDS or name in (GoalBlock.STATUS, GoalBlock.PROGRESS):
        name = GoalBlock.TITLE
    return goal_blocks.block_id(GoalBlock(name), variant)


def handle_view_goal_milestone(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    services: Services,
    follow_ups: FollowUps,
    client: WebClient,
    context: Any,
) -> None:
    member, _ = who_pressed(body, services, context)
    metadata = json.loads(view.get("private_metadata") or "{}")
    values = view["state"]["values"]
    try:
        goal = services.goals.add_milestone(
            member,
            goal_blocks.text_from_state(values, GoalBlock.MILESTONE, GoalAction.MILESTONE),
            goal_blocks.text_from_state(values, GoalBlock.MILESTONE_DUE, GoalAction.MILESTONE_DUE),
            goal_id=int(metadata["goal_id"]),
        )
    except UserFacingError as error:
        field = error.values.get("field")
        block = GoalBlock.MILESTONE_DUE if field == "milestone_due" else GoalBlock.MILESTONE
        ack(response_action="errors", errors={block: user_error_text(error, _)})
        return
    follow_ups.submit(show_saved, client, services, member, goal, metadata, False)
    ack()


def handle_view_goal_comment(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    services: Services,
    context: Any,
) -> None:
    member, _ = who_pressed(body, services, context)
    metadata = json.loads(view.get("private_metadata") or "{}")
    text = goal_blocks.text_from_state(
        view["state"]["values"], GoalBlock.COMMENT, GoalAction.COMMENT_TEXT
    )
    try:
        services.goals.comment(member, text, goal_id=int(metadata["goal_id"]))
    except UserFacingError as error:
        ack(response_action="errors", errors={GoalBlock.COMMENT: user_error_text(error, _)})
        return
    ack()


def show_saved(
    client: WebClient,
    services: Services,
    member: Member,
    goal: Goal,
    metadata: Mapping[str, Any],
    added: bool,
) -> None:
    """Refresh the list the form came from (its response_url), else confirm by DM."""
    _ = translator(member.language)
    response_url = metadata.get("response_url")
    if response_url:
        refresh_list(WebhookClient(response_url), services, member, _)
        return
    text = (
        goal_blocks.build_goal_added(goal, _)
        if added
        else goal_blocks.build_goal_changed(goal, services.goals.today(member), _)
    )
    client.chat_postMessage(channel=member.user_id, text=text, blocks=build_notice_blocks(text))


def refresh_list(webhook: WebhookClient, services: Services, member: Member, _: Translate) -> None:
    text, blocks = goal_blocks.build_goal_list(services.goals.listing(member), _)
    webhook.send(text=text, blocks=blocks, replace_original=True, response_type="ephemeral")
