"""The scheduler lease and the runner's jobs, on both databases, with the fake Slack."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from bot.clock import SystemClock
from bot.domain.deliveries import DeliveryState
from bot.scheduling import TICK_JOB_ID, SchedulerRunner
from storage.lease import ADVISORY_LOCK_KEY, PostgresAdvisoryLease, lease_for
from tests.support.ledger import build_engine


def test_only_one_holder_of_the_lease_at_a_time_and_release_hands_it_on(engine):
    first, second = lease_for(engine), lease_for(engine)

    assert first.try_acquire() and first.try_acquire()
    assert not second.try_acquire()
    first.release()
    assert second.try_acquire()
    second.release()


@pytest.mark.postgres
def test_a_postgres_lease_is_freed_when_its_holders_connection_dies(migrated_postgres_url):
    from storage.db import create_db_engine

    engine = create_db_engine(migrated_postgres_url)
    holder, standby = PostgresAdvisoryLease(engine), PostgresAdvisoryLease(engine)
    assert holder.try_acquire() and not standby.try_acquire()

    with engine.connect() as admin:  # the holder's backend is killed, as when its host dies
        # Termination is asynchronous; the timeout argument waits until the backend is gone.
        admin.execute(
            text(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_locks "
                "WHERE locktype = 'advisory' AND granted AND objid = :low AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database()) "
                "AND pid <> pg_backend_pid()"
            ),
            {"low": ADVISORY_LOCK_KEY & 0xFFFFFFFF},
        )
        admin.commit()

    assert standby.try_acquire()
    assert not holder.try_acquire()  # it notices its connection is gone and does not pretend
    standby.release()
    engine.dispose()


@pytest.fixture
def ledger(fake_slack, engine, clock):
    return build_engine(fake_slack, engine, clock)


def test_the_leader_ticks_and_dispatches_while_a_standby_does_nothing(
    ledger, engine, clock, fake_slack
):
    ledger.services.members.sync_directory("T111")
    ledger.services.announcements.schedule(team_id="T111", text="Round 2 opens Monday")
    leader = SchedulerRunner(ledger.services, lease_for(engine), clock)
    standby_engine = build_engine(fake_slack, engine, clock)
    standby = SchedulerRunner(standby_engine.services, lease_for(engine), clock)

    leader.tick()
    standby.tick()
    standby.dispatch()
    assert ledger.services.deliveries.counts() == {DeliveryState.PENDING: 2}
    assert not fake_slack.calls_to("chat.postMessage")

    leader.dispatch()
    assert ledger.services.deliveries.counts() == {DeliveryState.SENT: 2}
    assert sorted(c.args["channel"] for c in fake_slack.calls_to("chat.postMessage")) == [
        "U111",
        "U222",
    ]
    assert leader.is_leader and not standby.is_leader
    leader.stop()
    standby.stop()


def test_jobs_are_set_on_purpose_coalescing_and_never_overlapping(ledger, engine, clock):
    runner = SchedulerRunner(ledger.services, lease_for(engine), clock, tick_seconds=60)
    jobs = {job.id: job for job in runner.scheduler.get_jobs()}

    assert jobs[TICK_JOB_ID].trigger.interval == timedelta(seconds=60)
    for job in jobs.values():
        assert (job.coalesce, job.max_instances) == (True, 1)
        assert job.misfire_grace_time >= 60


def test_a_stopped_runner_gives_up_the_lease_for_the_next_process(ledger, engine, clock):
    runner = SchedulerRunner(ledger.services, lease_for(engine), SystemClock())
    try:
        runner.tick()
        assert runner.is_leader
        runner.start()
    finally:
        runner.stop()

    successor = lease_for(engine)
    assert successor.try_acquire()
    successor.release()


def test_a_dispatch_run_outlasting_its_interval_is_not_logged_as_a_warning(caplog):
    import logging

    from bot.scheduling import DISPATCH_JOB_ID

    apscheduler_log = logging.getLogger("apscheduler.scheduler")
    with caplog.at_level(logging.WARNING, logger="apscheduler.scheduler"):
        apscheduler_log.warning(
            'Execution of job "%s (trigger: interval[0:00:02])" skipped: maximum number of '
            "running instances reached (%d)",
            DISPATCH_JOB_ID,
            1,
        )
        apscheduler_log.warning(
            'Execution of job "%s (trigger: interval[0:01:00])" skipped: maximum number of '
            "running instances reached (%d)",
            "scheduler-tick",
            1,
        )

    assert [r.getMessage()[:40] for r in caplog.records] == [
        'Execution of job "scheduler-tick (trigge'
    ]
