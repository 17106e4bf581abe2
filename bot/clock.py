"""The one place that asks the operating system for the time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """Always the same instant: `mentor-bot tick --at` runs everything as of that moment."""

    def __init__(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("a frozen instant must be timezone-aware")
        self._instant = instant

    def now(self) -> datetime:
        return self._instant
