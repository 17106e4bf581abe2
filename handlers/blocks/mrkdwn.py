"""Putting people's text and Slack's special syntax into mrkdwn safely."""

from __future__ import annotations

from datetime import datetime


def escape(text: str) -> str:
    """Slack mrkdwn control characters, so typed text cannot become a mention or a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("`", "'")


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def local_datetime(at: datetime) -> str:
    """A date and time Slack shows in each reader's own time zone and format; the fallback
    (for clients that cannot) is UTC."""
    return f"<!date^{int(at.timestamp())}^{{date_short_pretty}} {{time}}|{at:%Y-%m-%d %H:%M} UTC>"
