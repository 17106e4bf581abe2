"""The demo's clock: it stands still until the console moves it (`time +1d`)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

DEMO_START = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
"""Friday 27 November 2026, 15:00 in Seoul: an hour before the weekly check-in."""


class DemoClock:
    def __init__(self, start: datetime = DEMO_START) -> None:
        if start.tzinfo is None:
            raise ValueError("the demo clock needs a timezone-aware start")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("the demo clock needs a timezone-aware instant")
        with self._lock:
            self._now = instant.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta
