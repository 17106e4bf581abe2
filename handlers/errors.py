"""The one place unexpected errors meet the user: a reference code they can quote, never a trace."""

from __future__ import annotations

import json
import logging
import secrets
from typing import Any

from slack_bolt import BoltResponse

from bot.domain.errors import UserFacingError
from bot.i18n import Translate, translator
from handlers.blocks.mrkdwn import escape

log = logging.getLogger("mentor_bot.errors")


def new_reference() -> str:
    return secrets.token_hex(3)


def something_went_wrong(ref: str, _: Translate) -> str:
    return _(
        "Something went wrong on my side (ref {ref}). "
        "Please try again, or quote the ref to a program admin."
    ).format(ref=ref)


ECHOED_SHOWN = 300
"""Characters (escaped) of each value a message quotes back: typed text can be long."""


def user_error_text(error: UserFacingError, _: Translate) -> str:
    """The translated message; what the person typed is escaped so it cannot ping or link,
    and clipped so the message still fits Slack's blocks."""
    values = {
        k: escape(v, ECHOED_SHOWN) if isinstance(v, str) else v for k, v in error.values.items()
    }
    return _(error.message).format(**values)


def handle_unexpected_error(
    error: Exception, body: dict[str, Any], response: BoltResponse | None, context: Any
) -> BoltResponse | None:
    """Bolt's global error handler: log with a ref; tell the user the ref, in their language."""
    ref = new_reference()
    log.error(
        "unexpected error (ref %s) handling %s from user %s in team %s",
        ref,
        body.get("command") or body.get("type"),
        context.get("user_id"),
        context.get("team_id"),
        exc_info=error,
    )
    if response is None:  # already acknowledged: the ack cannot carry a message any more
        return None
    text = something_went_wrong(ref, translator(context.get("language", "en")))
    payload = {"response_type": "ephemeral", "text": text}
    return BoltResponse(
        status=200, body=json.dumps(payload), headers={"content-type": "application/json"}
    )
