"""What a `/mentor` route gets besides the command, and what it answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from slack_sdk import WebClient
from slack_sdk.models.blocks import Block

from bot.clock import Clock, SystemClock
from handlers.background import FollowUps


class SlashRequest(NamedTuple):
    """The trigger to open a modal with (valid for 3 s), the Web API client, and the pool for
    work that must not hold up the ack."""

    trigger_id: str
    channel_id: str
    client: WebClient
    follow_ups: FollowUps
    clock: Clock = SystemClock()
    """The bot's clock: "today" for dates people type is their own local today."""


class Answer(NamedTuple):
    text: str
    """Empty: acknowledge silently (nothing shown in the channel)."""
    blocks: list[Block]
    after_ack: Callable[[], object] | None = None
    """Run in this listener right after the ack, e.g. `views.open` while the trigger is fresh."""
