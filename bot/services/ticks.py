"""One scheduler tick: everything due at an instant.

The scheduler (every minute), `mentor-bot tick` and tests all call `run_tick`; the jobs answer
from the database, so running a tick twice for the same instant is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

log = logging.getLogger(__name__)

TickJob = Callable[[datetime], int]
"""A job gets the tick's instant and returns how many things it did."""


@dataclass(frozen=True)
class TickReport:
    at: datetime
    done: dict[str, int] = field(default_factory=dict)


class TickService:
    def __init__(self, jobs: dict[str, TickJob] | None = None) -> None:
        self._jobs = dict(jobs or {})

    @property
    def job_names(self) -> list[str]:
        return list(self._jobs)

    def run_tick(self, at: datetime) -> TickReport:
        if at.tzinfo is None:
            raise ValueError("a tick instant must be timezone-aware")
        done = {name: job(at) for name, job in self._jobs.items()}
        log.info("tick at %s: %s", at.isoformat(), done or "nothing scheduled yet")
        return TickReport(at=at, done=done)
