"""Buttons on matching messages: approve or discard a round, accept or decline a request, ask
a suggested mentor; and the decline modal."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.domain.errors import UserFacingError
from bot.domain.matches import Match
from bot.i18n import Translate
from bot.services import Services
from handlers.actions.common import after_ack, replace_buttons, say, who_pressed
from handlers.background import FollowUps
from handlers.blocks import help as help_blocks
from handlers.blocks import matches as match_blocks
from handlers.blocks.mrkdwn import mention
from handlers.errors import user_error_text
from handlers.home_tab import refresh_match_homes
from handlers.ids import MatchAction, MatchBlock, MatchView

DECLINE_REASON_MAX = 500


def register(app: App) -> None:
    app.action(MatchAction.APPROVE_ROUND.value)(handle_approve_round)
    app.action(MatchAction.DISCARD_ROUND.value)(handle_discard_round)
    app.action(MatchAction.ACCEPT.value)(handle_accept)
    app.action(MatchAction.DECLINE.value)(handle_decline)
    app.action(MatchAction.ASK_MENTOR.value)(handle_ask_mentor)
    app.view(MatchView.DECLINE.value)(handle_decline_submission)


def _value(body: dict[str, Any]) -> str:
    return str(body["actions"][0]["value"])


def _say_error(respond: Respond, error: UserFacingError, _: Translate) -> None:
    say(respond, user_error_text(error, _))


def handle_approve_round(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    admin, _ = who_pressed(body, services, context)

    def approve() -> str:
        asked = services.matching.approve_round(admin, int(_value(body)))
        return _("Approved by {admin}: {count} mentors have been asked to accept.").format(
            admin=mention(admin.user_id), count=asked
        )

    _decide_round(client, body, respond, follow_ups, _, approve)
    ack()


def handle_discard_round(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    admin, _ = who_pressed(body, services, context)

    def discard() -> str:
        services.matching.discard_round(admin, int(_value(body)))
        return _("Discarded by {admin}: nobody was told anything.").format(
            admin=mention(admin.user_id)
        )

    _decide_round(client, body, respond, follow_ups, _, discard)
    ack()


def _decide_round(
    client: WebClient,
    body: dict[str, Any],
    respond: Respond,
    follow_ups: FollowUps,
    _: Translate,
    decide: Callable[[], str],
) -> None:
    """Approve or discard, then show the decision in place of the preview's buttons."""

    def work() -> None:
        try:
            text = decide()
        except UserFacingError as error:
            _say_error(respond, error, _)
            return
        replace_buttons(client, body, text)

    after_ack(follow_ups, respond, _, work)


def handle_accept(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    mentor, _ = who_pressed(body, services, context)

    def accept() -> None:
        try:
            match = services.matching.accept(mentor, int(_value(body)))
        except UserFacingError as error:
            text = user_error_text(error, _)
        else:
            text = _(
                "You accepted. I am introducing you and {mentee} in a group message now."
            ).format(mentee=mention(match.mentee_id))
            follow_ups.submit(refresh_match_homes, services, client, match)
        replace_buttons(client, body, text)

    after_ack(follow_ups, respond, _, accept)
    ack()


def handle_decline(
    ack: Ack, body: dict[str, Any], client: WebClient, services: Services, context: Any
) -> None:
    ack()
    _mentor, _ = who_pressed(body, services, context)
    metadata = {
        "match_id": int(_value(body)),
        "channel": body["channel"]["id"],
        "ts": body["message"]["ts"],
    }
    client.views_open(trigger_id=body["trigger_id"], view=build_decline_modal(metadata, _))


def build_decline_modal(metadata: dict[str, Any], _: Translate) -> View:
    return View(
        type="modal",
        callback_id=MatchView.DECLINE,
        private_metadata=json.dumps(metadata),
        title=_("Decline the request"),
        submit=_("Decline"),
        close=_("Cancel"),
        blocks=[
            InputBlock(
                block_id=MatchBlock.DECLINE_REASON,
                label=_("Why? (optional, only admins see it)"),
                optional=True,
                element=PlainTextInputElement(
                    action_id=MatchAction.DECLINE_REASON,
                    multiline=True,
                    max_length=DECLINE_REASON_MAX,
                ),
            )
        ],
    )


@dataclass(frozen=True)
class Declined:
    match: Match
    metadata: dict[str, Any]
    """The form's private metadata: where the request came from."""
    text: str
    """What the mentor is told, in their language."""


def decline_as_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], services: Services, context: Any
) -> Declined | None:
    """Decline with the form's reason; a refusal is shown on the form (acked) and gives None."""
    mentor, _ = who_pressed(body, services, context)
    metadata = json.loads(view["private_metadata"])
    state = view["state"]["values"].get(MatchBlock.DECLINE_REASON, {})
    reason = (state.get(MatchAction.DECLINE_REASON) or {}).get("value") or ""
    try:
        match = services.matching.decline(mentor, int(metadata["match_id"]), reason)
    except UserFacingError as error:
        ack(response_action="errors", errors={MatchBlock.DECLINE_REASON: user_error_text(error, _)})
        return None
    text = _(
        "You declined. I have let {mentee} know and asked their next best match. Thank you for "
        "answering."
    ).format(mentee=mention(match.mentee_id))
    return Declined(match, metadata, text)


def handle_decline_submission(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    declined = decline_as_submitted(ack, body, view, services, context)
    if declined is None:
        return
    text, metadata = declined.text, declined.metadata
    follow_ups.submit(
        partial(
            client.chat_update,
            channel=metadata["channel"],
            ts=metadata["ts"],
            text=text,
            blocks=help_blocks.build_notice_blocks(text),
        )
    )
    follow_ups.submit(refresh_match_homes, services, client, declined.match)
    ack()


def handle_ask_mentor(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    mentee, _ = who_pressed(body, services, context)

    def ask() -> None:
        try:
            match = services.matching.request(mentee, _value(body))
        except UserFacingError as error:
            _say_error(respond, error, _)
            return
        follow_ups.submit(refresh_match_homes, services, client, match)
        expires = match.expires_at.isoformat() if match.expires_at else None
        text, blocks = match_blocks.build_request_sent(
            {"mentor_id": match.mentor_id, "expires_at": expires}, _
        )
        respond(text=text, blocks=blocks, replace_original=True)

    after_ack(follow_ups, respond, _, ask)
    ack()
