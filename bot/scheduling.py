"""APScheduler as a tick source: a few interval jobs that ask the services what is due now.

Only the holder of the scheduler lease does any work; every other process's jobs just try to
take the lease, so a standby takes over within one dispatch interval of the leader's death.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock
from bot.services import Services
from storage.lease import Lease

log = logging.getLogger(__name__)


class _QuietOverlapFilter(logging.Filter):
    """A dispatch run that outlasts its interval is normal (it sends until nothing is due);
    APScheduler would log a warning for every skipped start."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (DISPATCH_JOB_ID in message and "maximum number of running instances" in message)


logging.getLogger("apscheduler.scheduler").addFilter(_QuietOverlapFilter())

TICK_JOB_ID = "scheduler-tick"
DISPATCH_JOB_ID = "deliveries-dispatch"
DIRECTORY_JOB_ID = "directory-sync"
DIRECTORY_SYNC_INTERVAL = timedelta(hours=24)


class SchedulerRunner:
    def __init__(
        self,
        services: Services,
        lease: Lease,
        clock: Clock,
        *,
        tick_seconds: float = 60,
        dispatch_seconds: float = 2,
        team_ids: Callable[[], list[str]] = list,
    ) -> None:
        self._services = services
        self._lease = lease
        self._clock = clock
        self._team_ids = team_ids
        self._stop = threading.Event()
        self._leading = False
        self._lease_lock = threading.Lock()
        self.scheduler = BackgroundScheduler(timezone="UTC")
        # Ticks answer from the database, so a late one is still right; ticks that piled up
        # during a pause collapse into one, and no job ever overlaps itself.
        common = {"coalesce": True, "max_instances": 1, "replace_existing": True}
        self.scheduler.add_job(
            self.tick,
            IntervalTrigger(seconds=tick_seconds),
            id=TICK_JOB_ID,
            name=TICK_JOB_ID,
            misfire_grace_time=int(tick_seconds * 5),
            **common,
        )
        self.scheduler.add_job(
            self.dispatch,
            IntervalTrigger(seconds=dispatch_seconds),
            id=DISPATCH_JOB_ID,
            name=DISPATCH_JOB_ID,
            misfire_grace_time=60,
            **common,
        )
        self.scheduler.add_job(
            self.sync_directory,
            IntervalTrigger(seconds=DIRECTORY_SYNC_INTERVAL.total_seconds()),
            id=DIRECTORY_JOB_ID,
            name=DIRECTORY_JOB_ID,
            next_run_time=datetime.now(UTC),
            misfire_grace_time=3600,
            **common,
        )

    @property
    def is_leader(self) -> bool:
        return self._leading

    def start(self) -> None:
        self.scheduler.start()
        log.info("scheduler started (%s)", self._services.dispatcher.worker)

    def stop(self) -> None:
        """Stop claiming, let the current send finish, give back what was not sent."""
        self._stop.set()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        with self._lease_lock:
            self._lease.release()
            self._leading = False

    def tick(self) -> None:
        if self._lead():
            self._services.ticks.run_tick(self._clock.now())

    def dispatch(self) -> None:
        if self._lead() and not self._stop.is_set():
            self._services.dispatcher.dispatch_due(self._stop, still_leading=self._lead)

    def sync_directory(self) -> None:
        if self._lead():
            for team_id in self._team_ids():
                count = self._services.members.sync_directory(team_id)
                log.info("directory sync: %s people in %s", count, team_id)

    def _lead(self) -> bool:
        with self._lease_lock:
            if self._stop.is_set():
                return False
            held = self._lease.try_acquire()
            if held and not self._leading:
                log.info("took the scheduler lease")
                self._services.dispatcher.adopt_orphans()
            elif self._leading and not held:
                log.warning("lost the scheduler lease")
            self._leading = held
            return held
