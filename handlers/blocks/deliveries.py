"""How each kind of delivery looks in Slack. Later features register their kinds here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.domain import checkin_messages, digest_messages, goal_messages, match_messages
from bot.domain.announcements import KIND as ANNOUNCEMENT
from bot.domain.deliveries import Delivery
from bot.i18n import Translate, translator
from handlers.blocks import checkins, digests, goals, matches
from handlers.blocks.message import Message

Renderer = Callable[[dict[str, Any], Translate], Message]


def build_announcement_blocks(payload: dict[str, Any], _: Translate) -> Message:
    text = payload["text"]
    return Message(
        text,
        [
            SectionBlock(text=MarkdownTextObject(text=text)),
            ContextBlock(
                elements=[MarkdownTextObject(text=_("An announcement from your mentoring program"))]
            ),
        ],
    )


RENDERERS: dict[str, Renderer] = {
    ANNOUNCEMENT: build_announcement_blocks,
    match_messages.MENTOR_REQUEST: matches.build_mentor_request,
    match_messages.REQUEST_SENT: matches.build_request_sent,
    match_messages.MOVED_ON: matches.build_moved_on,
    match_messages.NO_OTHER_MENTOR: matches.build_no_other_mentor,
    match_messages.REQUEST_EXPIRED: matches.build_request_expired,
    match_messages.MATCH_ENDED: matches.build_match_ended,
    match_messages.INTRODUCTION: matches.build_introduction,
    checkin_messages.PROMPT: checkins.build_prompt,
    checkin_messages.REMINDER: checkins.build_reminder,
    checkin_messages.SUMMARY_TO_MENTOR: checkins.build_summary_to_mentor,
    checkin_messages.MISSED_TO_MENTOR: checkins.build_missed_to_mentor,
    checkin_messages.MISSED_TO_ADMINS: checkins.build_missed_to_admins,
    checkin_messages.OFFER_PAUSE: checkins.build_offer_pause,
    goal_messages.DUE_SOON: goals.build_due_soon,
    goal_messages.COMMENT: goals.build_comment_notice,
    digest_messages.TEAM_DIGEST: lambda payload, _: digests.build_digest(
        digest_messages.digest_from_payload(payload), _
    ),
}


def render_delivery(delivery: Delivery, language: str) -> Message:
    """A group DM has no one recipient: its payload names the language both read."""
    language = delivery.payload.get("language") or language
    return RENDERERS[delivery.key.kind](delivery.payload, translator(language))
