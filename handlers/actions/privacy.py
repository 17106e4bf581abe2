"""The confirmation buttons of `/mentor delete-my-data`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.services import Services
from handlers.actions.common import after_ack, who_pressed
from handlers.background import FollowUps
from handlers.blocks import privacy as privacy_blocks
from handlers.ids import PrivacyAction


def register(app: App) -> None:
    app.action(PrivacyAction.DELETE_CONFIRM.value)(handle_delete_confirm)
    app.action(PrivacyAction.DELETE_CANCEL.value)(handle_delete_cancel)


def handle_delete_confirm(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    member, _ = who_pressed(body, services, context)

    def delete() -> None:
        rows = services.privacy.delete_everything(member)
        respond(text=privacy_blocks.deleted_text(rows, _), replace_original=True)

    after_ack(follow_ups, respond, _, delete)
    ack()


def handle_delete_cancel(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, context: Any
) -> None:
    _member, _ = who_pressed(body, services, context)
    ack()
    respond(text=privacy_blocks.kept_text(_), replace_original=True)
