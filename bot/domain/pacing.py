"""Spacing sends so Slack never has to say 429: per workspace per minute, per channel per second.

Times are plain monotonic seconds (floats) passed in, so the rules are testable without sleeping.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class Pacer:
    per_workspace_per_minute: float
    per_channel_per_second: float = 1.0
    _next_for_team: dict[str, float] = field(default_factory=dict)
    _next_for_channel: dict[tuple[str, str], float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def reserve(self, team_id: str, channel: str, now: float) -> float:
        """Book the next send slot for this channel; returns how long to wait before sending."""
        with self._lock:
            start = max(
                now,
                self._next_for_team.get(team_id, now),
                self._next_for_channel.get((team_id, channel), now),
            )
            self._next_for_team[team_id] = start + 60.0 / self.per_workspace_per_minute
            self._next_for_channel[(team_id, channel)] = start + 1.0 / self.per_channel_per_second
            self._forget_old_channels(now)
            return start - now

    def hold_team(self, team_id: str, until: float) -> None:
        """After a 429: nothing to this workspace before `until`."""
        with self._lock:
            self._next_for_team[team_id] = max(self._next_for_team.get(team_id, until), until)

    def _forget_old_channels(self, now: float) -> None:
        if len(self._next_for_channel) > 10_000:
            for key in [k for k, t in self._next_for_channel.items() if t < now]:
                del self._next_for_channel[key]
