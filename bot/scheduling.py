"""APScheduler as a tick source: one interval job that asks the services what is due now."""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock
from bot.services.ticks import TickService

log = logging.getLogger(__name__)

TICK_JOB_ID = "scheduler-tick"
TICK_SECONDS = 60


def build_scheduler(ticks: TickService, clock: Clock) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        lambda: ticks.run_tick(clock.now()),
        IntervalTrigger(seconds=TICK_SECONDS),
        id=TICK_JOB_ID,
        # A late tick is still useful (the services decide what is due from the database), but
        # ticks that piled up during a pause collapse into one, and never two run at once.
        misfire_grace_time=TICK_SECONDS * 5,
        coalesce=True,
        max_instances=1,
        replace_existing=True,
    )
    return scheduler
