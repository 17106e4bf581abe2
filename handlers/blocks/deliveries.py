"""How each kind of delivery looks in Slack. Later features register their kinds here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.domain.announcements import KIND as ANNOUNCEMENT
from bot.domain.deliveries import Delivery
from bot.i18n import Translate, translator


class Message(NamedTuple):
    text: str
    blocks: list[Block]


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


RENDERERS: dict[str, Renderer] = {ANNOUNCEMENT: build_announcement_blocks}


def render_delivery(delivery: Delivery, language: str) -> Message:
    return RENDERERS[delivery.key.kind](delivery.payload, translator(language))
