"""Putting people's text and Slack's special syntax into mrkdwn safely - and within Slack's
limits: text that must fit a budget is escaped first and cut after, at a safe place."""

from __future__ import annotations

import re
from datetime import datetime

from bot.domain.text import ELLIPSIS

SECTION_TEXT = 3000
"""Slack's limit for the text of a section (slack_sdk refuses a longer one). Plain text (an
option's label, which Slack shows as is) is cut with `bot.domain.text.clip`; text going into
mrkdwn with `escape(text, limit)`."""

_UNIT = re.compile(r"&(?:amp|lt|gt);|<[^<>]*>|.", re.DOTALL)
"""What mrkdwn must not be cut inside: an escaped character, or a mention, link or date; any
other character stands alone."""


def escape(text: str, limit: int | None = None) -> str:
    """Slack mrkdwn control characters, so typed text cannot become a mention or a link.

    With a `limit`, the escaped text is at most that long: escaping may make text longer
    (`&` becomes `&amp;`), so it is escaped first and then cut with `clip_mrkdwn`."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("`", "'")
    return escaped if limit is None else clip_mrkdwn(escaped, limit)


def clip_mrkdwn(text: str, limit: int) -> str:
    """mrkdwn in at most `limit` characters, ellipsis included: cut between whole units, never
    inside an escaped character (`&amp;`), a mention, a link or a date."""
    if len(text) <= limit:
        return text
    kept = 0
    for unit in _UNIT.finditer(text):
        if unit.end() > limit - len(ELLIPSIS):
            break
        kept = unit.end()
    return text[:kept].rstrip() + ELLIPSIS


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def local_datetime(at: datetime) -> str:
    """A date and time Slack shows in each reader's own time zone and format; the fallback
    (for clients that cannot) is UTC."""
    return f"<!date^{int(at.timestamp())}^{{date_short_pretty}} {{time}}|{at:%Y-%m-%d %H:%M} UTC>"
