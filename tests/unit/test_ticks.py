from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from bot.scheduling import TICK_JOB_ID, TICK_SECONDS, build_scheduler
from bot.services.ticks import TickService
from tests.support.clock import FakeClock


def test_a_tick_runs_every_job_at_the_given_instant_and_reports_what_it_did():
    seen: list[datetime] = []
    ticks = TickService({"check-ins": lambda at: seen.append(at) or 3})
    at = datetime(2026, 11, 27, 7, tzinfo=UTC)

    report = ticks.run_tick(at)

    assert seen == [at]
    assert report.done == {"check-ins": 3}


def test_a_tick_refuses_a_naive_instant():
    with pytest.raises(ValueError, match="timezone-aware"):
        TickService().run_tick(datetime(2026, 11, 27, 7))


def test_the_scheduler_job_is_one_coalescing_minute_tick_that_never_overlaps():
    scheduler = build_scheduler(TickService(), FakeClock())
    [job] = scheduler.get_jobs()

    assert job.id == TICK_JOB_ID
    assert job.trigger.interval.total_seconds() == TICK_SECONDS
    assert (job.coalesce, job.max_instances) == (True, 1)
    assert job.misfire_grace_time >= TICK_SECONDS


def test_the_running_scheduler_calls_the_tick_with_the_clocks_time():
    clock = FakeClock()
    ticked = threading.Event()
    seen: list[datetime] = []
    ticks = TickService({"probe": lambda at: seen.append(at) or ticked.set() or 0})
    scheduler = build_scheduler(ticks, clock)
    scheduler.start()
    try:
        scheduler.get_job(TICK_JOB_ID).modify(next_run_time=datetime.now(UTC))
        assert ticked.wait(timeout=10), "the scheduler never ran the tick"
    finally:
        scheduler.shutdown(wait=True)
    assert seen[0] == clock.now()
