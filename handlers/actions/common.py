"""What every button listener needs: who pressed it, and work done after the ack."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.domain.errors import UserFacingError
from bot.domain.members import Member
from bot.i18n import Translate, translator
from bot.services import Services
from handlers.background import FollowUps
from handlers.errors import new_reference, something_went_wrong, user_error_text
from handlers.ids import BlockId

log = logging.getLogger(__name__)


def who_pressed(body: dict[str, Any], services: Services, context: Any) -> tuple[Member, Translate]:
    user = body["user"]
    member = services.members.get_member(user.get("team_id") or body["team"]["id"], user["id"])
    context["language"] = member.language
    return member, translator(member.language)


def say(respond: Respond, text: str) -> None:
    """A note only the person who pressed sees, leaving the message as it is."""
    respond(text=text, response_type="ephemeral", replace_original=False)


def replace_buttons(client: WebClient, body: dict[str, Any], text: str) -> None:
    """Swap the message's buttons for what happened, so no stale button stays behind; the rest
    of the message stays as it was."""
    message = body["message"]
    kept = [b for b in message.get("blocks") or [] if b.get("type") != "actions"]
    outcome = SectionBlock(block_id=BlockId.OUTCOME, text=MarkdownTextObject(text=text))
    client.chat_update(
        channel=body["channel"]["id"],
        ts=message["ts"],
        text=text,
        blocks=[*kept, outcome.to_dict()],
    )


def after_ack(
    follow_ups: FollowUps, respond: Respond, _: Translate, work: Callable[[], None]
) -> None:
    """Button work runs on the follow-up pool, never holding up the ack (submit it just before
    acking, so whoever waits for the pool waits for the work). A refusal is said to the person;
    an unexpected failure reaches them as a reference code that matches the log line."""

    def guarded() -> None:
        try:
            work()
        except UserFacingError as error:
            say(respond, user_error_text(error, _))
        except Exception:
            ref = new_reference()
            log.exception("button work failed (ref %s)", ref)
            say(respond, something_went_wrong(ref, _))

    follow_ups.submit(guarded)
