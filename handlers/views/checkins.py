"""The check-in form: opened from the prompt's button or `/mentor checkin`; on submit the answer
is saved and the prompt DM is updated to show it (no stale buttons)."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.domain import goal_messages
from bot.domain.checkins import Checkin, parse_answer
from bot.domain.errors import InvalidInput, UserFacingError
from bot.domain.members import Member
from bot.i18n import translator
from bot.services import Services
from handlers.actions.common import who_pressed
from handlers.background import FollowUps
from handlers.blocks import checkins as checkin_blocks
from handlers.errors import user_error_text
from handlers.home_tab import refresh_home_if_watching
from handlers.ids import CheckinBlock, CheckinView

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.view(CheckinView.FORM.value)(handle_view_checkin_submission)


def open_checkin_form(
    client: WebClient,
    trigger_id: str,
    member: Member,
    checkin: Checkin,
    prompt: tuple[str, str] | None = None,
) -> None:
    """`prompt`: the DM (channel, ts) the form was opened from, to update once answered."""
    metadata: dict[str, Any] = {"checkin_id": checkin.id}
    if prompt is not None:
        metadata["channel"], metadata["ts"] = prompt
    view = checkin_blocks.build_form(checkin, metadata, translator(member.language))
    client.views_open(trigger_id=trigger_id, view=view)


def handle_view_checkin_submission(
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
    fields = checkin_blocks.answer_fields_from_state(view["state"]["values"])
    try:
        answer = parse_answer(**fields)
        checkin = services.checkins.answer(member, int(metadata["checkin_id"]), answer)
    except InvalidInput as error:
        block = checkin_blocks.FIELD_BLOCKS.get(
            str(error.values.get("field")), CheckinBlock.PROGRESS
        )
        ack(response_action="errors", errors={block: user_error_text(error, _)})
        return
    except UserFacingError as error:
        ack(response_action="errors", errors={CheckinBlock.PROGRESS: user_error_text(error, _)})
        return
    prompt = (metadata["channel"], metadata["ts"]) if metadata.get("ts") else None
    follow_ups.submit(show_answered, client, services, member, checkin, prompt)
    refresh_home_if_watching(services, client, follow_ups, member)
    ack()


def show_answered(
    client: WebClient,
    services: Services,
    member: Member,
    checkin: Checkin,
    opened_from: tuple[str, str] | None,
) -> None:
    """Replace the prompt DM - and the reminder, when the form was opened from it - with what
    was saved, so no stale button stays; with no prompt sent yet (an early answer), a receipt in
    the DM instead."""
    rows = [goal_messages.checkin_entry(goal) for goal in services.goals.in_progress(member)]
    text, blocks = checkin_blocks.build_answered(checkin, translator(member.language), rows)
    targets = [services.checkins.prompt_message(checkin), opened_from]
    seen = {where for where in targets if where is not None}
    if not seen:
        client.chat_postMessage(channel=member.user_id, text=text, blocks=blocks)
        return
    for channel, ts in sorted(seen):
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
