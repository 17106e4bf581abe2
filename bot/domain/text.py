"""Cutting people's text to a length: one rule for every place that echoes or shows it."""

from __future__ import annotations

ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut with an ellipsis (trailing spaces before it dropped)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS
