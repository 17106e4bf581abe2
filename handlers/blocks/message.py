"""A message as the bot sends it: the notification text and the blocks."""

from __future__ import annotations

from typing import NamedTuple

from slack_sdk.models.blocks import Block


class Message(NamedTuple):
    text: str
    blocks: list[Block]
