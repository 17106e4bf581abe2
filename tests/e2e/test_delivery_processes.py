"""The delivery engine as operators run it: `mentor-bot scheduler` processes that are killed,
stopped, doubled and cut off from their database, against real databases and the fake Slack.

Every test reads the outcome from two independent places: the ledger (the deliveries table) and
what the fake Slack stored (posts tagged with the delivery id in their metadata). "Exactly once"
means one stored post per delivery id and every delivery `sent`.
"""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.clock import SystemClock
from bot.domain.announcements import KIND as ANNOUNCEMENT
from bot.domain.deliveries import (
    METADATA_EVENT_TYPE,
    Delivery,
    DeliveryKey,
    DeliveryState,
    NewDelivery,
)
from storage.db import create_db_engine
from storage.migrate import upgrade_to_head
from storage.models import AnnouncementRow, DeliveryRow
from tests.support.databases import postgres_admin_url
from tests.support.fake_slack import FakeSlack
from tests.support.ledger import LedgerHarness, build_engine
from tests.support.process import MentorBotProcess, clean_env, mentor_bot
from tests.support.running_bot import BOT_TOKEN, SIGNING_SECRET
from tests.support.tcp_proxy import TcpProxy

TEAM = "T111"  # the fake Slack's workspace
FAST_RATE = "6000"  # the most Settings accept (le=6000): 100 posts a second
T = TypeVar("T")


# -- a `mentor-bot scheduler` process ---------------------------------------------------------


def scheduler_env(fake_slack: FakeSlack, database_url: str, **extra: str) -> dict[str, str]:
    values = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.url,
        "DATABASE_URL": database_url,
        "MENTOR_BOT_TICK_SECONDS": "1",
        "MENTOR_BOT_DISPATCH_SECONDS": "0.2",
        "MENTOR_BOT_SEND_RATE_PER_MINUTE": FAST_RATE,
    }
    values.update(extra)
    return clean_env(**values)


class SchedulerProcess(MentorBotProcess):
    """`mentor-bot scheduler`: the scheduler and dispatcher alone."""

    def __init__(self, env: Mapping[str, str], cwd: Path, name: str = "scheduler") -> None:
        super().__init__("scheduler", env=env, cwd=cwd, name=name)

    def terminate(self, timeout: float = 25) -> int:
        return self.stop(timeout)


# -- looking at the outcome -------------------------------------------------------------------


def wait_until(
    condition: Callable[[], T], *, timeout: float, why: Callable[[], str], every: float = 0.05
) -> T:
    """Poll `condition` until it is truthy; fail with `why()` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {why()}")
        time.sleep(every)


class Ledger:
    """The test's own view of the database, plus in-process services to queue work."""

    def __init__(self, database_url: str, fake_slack: FakeSlack) -> None:
        self.engine = create_db_engine(database_url)
        self._built: LedgerHarness = build_engine(fake_slack, self.engine, SystemClock())
        self.services = self._built.services

    def close(self) -> None:
        self.engine.dispose()

    def rows(self) -> list[Delivery]:
        return self.services.deliveries.list(limit=100_000)

    def counts(self) -> dict[DeliveryState, int]:
        return self.services.deliveries.counts()

    def sent(self) -> int:
        return self.counts().get(DeliveryState.SENT, 0)

    def all_sent(self, expected: int) -> bool:
        return self.counts() == {DeliveryState.SENT: expected}

    def enqueue_announcements(self, users: list[str], period: str) -> None:
        now = datetime.now(UTC)
        self.services.deliveries.enqueue(
            NewDelivery(
                key=DeliveryKey(TEAM, user, ANNOUNCEMENT, period),
                due_at=now,
                payload={"text": f"{period}: hello {user}"},
                expires_at=now + timedelta(hours=1),
            )
            for user in users
        )

    def announce(self, text: str, users: list[str], send_at: datetime | None = None) -> int:
        announcement = self.services.announcements.schedule(
            team_id=TEAM, text=text, audience=tuple(users), send_at=send_at
        )
        assert announcement.id is not None
        return announcement.id

    def count(self, model: type) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(model)).scalar_one()


def add_users(fake_slack: FakeSlack, users: list[str]) -> None:
    for user in users:
        fake_slack.add_user(user, locale="en-US", tz="Europe/Berlin", tz_offset=3600)


def posts_by_delivery(fake_slack: FakeSlack) -> dict[str, list[dict]]:
    return fake_slack.posts_with_metadata(METADATA_EVENT_TYPE)


def stored_posts(fake_slack: FakeSlack) -> int:
    return sum(len(group) for group in posts_by_delivery(fake_slack).values())


def answered_posts(fake_slack: FakeSlack) -> int:
    return sum(call.ok for call in fake_slack.calls_to("chat.postMessage"))


def assert_each_sent_exactly_once(fake_slack: FakeSlack, rows: list[Delivery]) -> None:
    posts = posts_by_delivery(fake_slack)
    duplicates = {key: len(group) for key, group in posts.items() if len(group) > 1}
    assert not duplicates, f"posted more than once (delivery id: posts): {duplicates}"
    not_sent = [(d.id, d.state.value, d.reason) for d in rows if d.state is not DeliveryState.SENT]
    assert not not_sent, f"{len(not_sent)} not sent, e.g. {not_sent[:5]}"
    assert set(posts) == {str(d.id) for d in rows}, "posts and ledger disagree"
    for delivery in rows:
        [post] = posts[str(delivery.id)]
        assert post["channel"] == fake_slack.dm_channel(delivery.key.recipient) == delivery.channel
        assert post["ts"] == delivery.ts


@pytest.fixture
def open_ledger(fake_slack: FakeSlack) -> Iterator[Callable[[str], Ledger]]:
    opened: list[Ledger] = []

    def open_(database_url: str) -> Ledger:
        opened.append(Ledger(database_url, fake_slack))
        return opened[-1]

    yield open_
    for ledger in opened:
        ledger.close()


@pytest.fixture
def processes() -> Iterator[list[SchedulerProcess]]:
    """Every scheduler a test starts; whatever is still running at the end is killed."""
    started: list[SchedulerProcess] = []
    yield started
    for process in started:
        process.kill()


# -- 1. SIGKILL at random points --------------------------------------------------------------

CRASH_DELIVERIES = 500
CRASH_KILLS = 20
IN_FLIGHT_KILL_EVERY = 5
"""Every 5th kill waits until a post has reached Slack but its answer has not reached the process
(the fake holds the answer for a second): the one case only the in-doubt check can settle
without a duplicate. The other kills land wherever a random 50-400 ms after the run's first post
takes them."""


# PostgreSQL only: the drill starts 21 processes (~35 s on a 2-core machine), and running it on
# SQLite as well would take the file well past its 90 s budget. SQLite's lease (a file lock the
# kernel frees when the holder dies) is exercised by the SIGTERM test below. The drill passed on
# SQLite too when it was written; remove this parametrize to run it on both backends.
@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_sigkill_at_random_points_neither_loses_nor_duplicates_a_delivery(
    fake_slack, database_url, tmp_path, processes, open_ledger
):
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    users = [f"U{i:04d}" for i in range(CRASH_DELIVERIES)]
    add_users(fake_slack, users)
    ledger = open_ledger(database_url)
    ledger.enqueue_announcements(users, "crash-drill")
    assert ledger.counts() == {DeliveryState.PENDING: CRASH_DELIVERIES}
    # half speed while killing, so that all 20 kills land before everything is out
    env = scheduler_env(fake_slack, database_url, MENTOR_BOT_SEND_RATE_PER_MINUTE="3000")
    in_flight_kills = 0

    def context() -> str:
        return f"seed {seed}, ledger {ledger.counts()}\n{processes[-1].tail()}"

    for run in range(CRASH_KILLS):
        posts_before = len(fake_slack.calls_to("chat.postMessage"))
        scheduler = SchedulerProcess(env, tmp_path, name=f"run {run}")
        processes.append(scheduler)
        wait_until(
            lambda before=posts_before: len(fake_slack.calls_to("chat.postMessage")) > before,
            timeout=30,
            why=lambda run=run: f"run {run} posted nothing; {context()}",
            every=0.01,
        )
        if run % IN_FLIGHT_KILL_EVERY == IN_FLIGHT_KILL_EVERY - 1:
            fake_slack.fail_next("chat.postMessage", delay=1.0, record_side_effect=True)
            wait_for_a_post_in_flight(fake_slack, why=context)
            in_flight_kills += 1
        else:
            time.sleep(rng.uniform(0.05, 0.4))  # chaos timing, not a wait for a result
        scheduler.kill()
        # an answer the fake was still holding is recorded late; let it land before the next run
        wait_until(
            lambda: stored_posts(fake_slack) == answered_posts(fake_slack),
            timeout=5,
            why=context,
        )

    assert ledger.sent() < CRASH_DELIVERIES, f"every kill should land mid-send; {context()}"
    final = SchedulerProcess(scheduler_env(fake_slack, database_url), tmp_path, name="final run")
    processes.append(final)
    wait_until(lambda: ledger.all_sent(CRASH_DELIVERIES), timeout=60, why=context)
    assert final.terminate() == 0, final.tail()

    rows = ledger.rows()
    assert len(rows) == CRASH_DELIVERIES
    assert_each_sent_exactly_once(fake_slack, rows)
    assert len(posts_by_delivery(fake_slack)) == CRASH_DELIVERIES
    reasons = Counter(d.reason for d in rows)
    found = reasons["found in Slack after an uncertain attempt"]
    checked_then_sent = reasons["the process sending it stopped; checking Slack first"]
    histories = len(fake_slack.calls_to("conversations.history"))
    adopted = sum(p.count_logged("claimed by a stopped process") for p in processes)
    print(
        f"\ncrash drill on {make_url(database_url).get_backend_name()} (seed {seed}): "
        f"{CRASH_KILLS} SIGKILLs ({in_flight_kills} with a post in flight); "
        f"{found + checked_then_sent} deliveries verified in Slack before any resend "
        f"({found} found there, {checked_then_sent} not found and then sent); "
        f"{histories} conversations.history calls; {adopted} takeovers adopted orphans; "
        f"{len(fake_slack.calls_to('chat.postMessage'))} chat.postMessage calls"
    )
    # each in-flight kill left a post that Slack has and the ledger does not: only the check
    # before resending keeps it from going out twice
    assert found >= in_flight_kills, reasons


def wait_for_a_post_in_flight(fake_slack: FakeSlack, why: Callable[[], str]) -> None:
    """Until Slack has stored a post whose answer the process has been waiting on for 0.2 s."""
    since: float | None = None

    def in_flight_for_a_while() -> bool:
        nonlocal since
        if stored_posts(fake_slack) <= answered_posts(fake_slack):
            since = None
            return False
        since = since or time.monotonic()
        return time.monotonic() - since >= 0.2

    wait_until(in_flight_for_a_while, timeout=30, why=why, every=0.02)


# -- 2. two schedulers on one PostgreSQL ------------------------------------------------------

AUDIENCE = [f"U1{i:03d}" for i in range(30)]
TOOK_LEASE = "took the scheduler lease"


@pytest.mark.postgres
def test_two_schedulers_send_each_once_and_the_standby_takes_over_when_the_leader_dies(
    fake_slack, postgres_server, tmp_path, processes, open_ledger
):
    url = postgres_server.create_database("mentor_bot_two_schedulers")
    env = scheduler_env(fake_slack, url)
    upgraded = mentor_bot("db", "upgrade", env=env, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    add_users(fake_slack, AUDIENCE)
    ledger = open_ledger(url)
    first = SchedulerProcess(env, tmp_path, name="scheduler A")
    second = SchedulerProcess(env, tmp_path, name="scheduler B")
    processes.extend([first, second])

    def context() -> str:
        return f"ledger {ledger.counts()}\n{first.tail(20)}\n{second.tail(20)}"

    leader = wait_until(
        lambda: next((p for p in (first, second) if p.logged(TOOK_LEASE)), None),
        timeout=30,
        why=context,
    )
    standby = second if leader is first else first
    expected = 0
    for number in range(10):  # one at a time, so they spread over at least ten ticks
        ledger.announce(f"Announcement {number}", AUDIENCE)
        expected += len(AUDIENCE)
        wait_until(lambda total=expected: ledger.all_sent(total), timeout=20, why=context)
    assert not standby.logged(TOOK_LEASE), "both held the scheduler lease at once"
    assert_each_sent_exactly_once(fake_slack, ledger.rows())

    # the leader dies in the middle of sending the 11th
    ledger.announce("Announcement 10", AUDIENCE)
    expected += len(AUDIENCE)
    posted_before = expected - len(AUDIENCE)
    wait_until(
        lambda: stored_posts(fake_slack) > posted_before, timeout=20, why=context, every=0.005
    )
    leader.kill()
    killed_at = time.monotonic()
    for number in (11, 12):
        ledger.announce(f"Announcement {number}", AUDIENCE)
        expected += len(AUDIENCE)

    wait_until(lambda: standby.logged(TOOK_LEASE), timeout=60, why=context)
    took_over_after = time.monotonic() - killed_at
    wait_until(lambda: ledger.all_sent(expected), timeout=60, why=context)
    assert standby.alive, standby.tail()

    rows = ledger.rows()
    assert len(rows) == expected == 13 * len(AUDIENCE)
    assert_each_sent_exactly_once(fake_slack, rows)
    adopted = standby.logged("claimed by a stopped process")
    print(
        f"\ntwo schedulers: the standby took the lease {took_over_after:.1f} s after the leader "
        f"was killed ({'adopting its unfinished claims' if adopted else 'nothing in flight'}); "
        f"{expected} deliveries, each posted once"
    )
    assert standby.terminate() == 0, standby.tail()


# -- 3. SIGTERM: a graceful stop --------------------------------------------------------------


def test_sigterm_mid_send_exits_0_gives_every_claim_back_and_a_restart_finishes(
    fake_slack, database_url, tmp_path, processes, open_ledger
):
    users = [f"U2{i:03d}" for i in range(200)]
    add_users(fake_slack, users)
    ledger = open_ledger(database_url)
    ledger.enqueue_announcements(users, "graceful")
    slow = SchedulerProcess(
        scheduler_env(fake_slack, database_url, MENTOR_BOT_SEND_RATE_PER_MINUTE="120"),
        tmp_path,
        name="slow scheduler",
    )
    processes.append(slow)

    def context() -> str:
        return f"ledger {ledger.counts()}\n{processes[-1].tail()}"

    wait_until(lambda: stored_posts(fake_slack) >= 4, timeout=30, why=context)
    posts_at_sigterm = stored_posts(fake_slack)
    started = time.monotonic()
    code = slow.terminate(timeout=25)
    took = time.monotonic() - started

    assert code == 0, slow.tail()
    assert took < 25
    assert slow.logged("received SIGTERM, shutting down") and slow.logged("stopped")
    counts = ledger.counts()
    assert DeliveryState.CLAIMED not in counts, f"claims left behind: {counts}"
    assert set(counts) == {DeliveryState.SENT, DeliveryState.PENDING}, counts
    assert counts[DeliveryState.SENT] == stored_posts(fake_slack)
    assert stored_posts(fake_slack) <= posts_at_sigterm + 1, "kept sending after SIGTERM"
    assert_each_sent_exactly_once(
        fake_slack, [d for d in ledger.rows() if d.state is DeliveryState.SENT]
    )

    restarted = SchedulerProcess(
        scheduler_env(fake_slack, database_url), tmp_path, name="restarted scheduler"
    )
    processes.append(restarted)
    wait_until(lambda: ledger.all_sent(len(users)), timeout=60, why=context)
    assert restarted.terminate() == 0, restarted.tail()
    assert_each_sent_exactly_once(fake_slack, ledger.rows())
    assert not restarted.logged("claimed by a stopped process")
    assert not fake_slack.calls_to("conversations.history"), "nothing was in doubt"
    print(f"\nSIGTERM after {posts_at_sigterm} posts: exited 0 in {took:.1f} s")


# -- 4. the database goes away across a tick --------------------------------------------------

OUTAGE_AUDIENCE = [f"U3{i:03d}" for i in range(5)]
JOB_FAILED = "raised an exception"


@pytest.mark.postgres
def test_a_database_outage_across_a_tick_delays_the_deliveries_but_the_scheduler_survives(
    fake_slack, postgres_server, tmp_path, processes, open_ledger
):
    url = postgres_server.create_database("mentor_bot_outage")
    engine = create_db_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    add_users(fake_slack, OUTAGE_AUDIENCE)
    ledger = open_ledger(url)  # the test itself talks to PostgreSQL directly
    upstream = make_url(postgres_admin_url())
    with TcpProxy((upstream.host or "127.0.0.1", upstream.port or 5432)) as proxy:
        proxied = make_url(url).set(host="127.0.0.1", port=proxy.port)
        scheduler = SchedulerProcess(
            scheduler_env(fake_slack, proxied.render_as_string(hide_password=False)),
            tmp_path,
            name="scheduler behind the proxy",
        )
        processes.append(scheduler)

        def context() -> str:
            return f"ledger {ledger.counts()}, proxy cut: {proxy.is_cut}\n{scheduler.tail()}"

        wait_until(lambda: scheduler.count_logged("tick at") >= 1, timeout=30, why=context)

        send_at = datetime.now(UTC) + timedelta(seconds=2)
        ledger.announce("Sent across an outage", OUTAGE_AUDIENCE, send_at=send_at)
        failures_before = scheduler.count_logged(JOB_FAILED)
        proxy.cut()
        # down across the announcement's time, for a few ticks that each fail
        wait_until(
            lambda: (
                datetime.now(UTC) > send_at + timedelta(seconds=2)
                and scheduler.count_logged(JOB_FAILED) >= failures_before + 3
            ),
            timeout=30,
            why=context,
        )
        assert ledger.count(DeliveryRow) == 0, "queued while the database was unreachable?"
        assert scheduler.alive, scheduler.tail()
        outage_ended = datetime.now(UTC)
        ticks_before_restore = scheduler.count_logged("tick at")
        proxy.restore()

        wait_until(
            lambda: ledger.all_sent(len(OUTAGE_AUDIENCE)), timeout=30, why=context, every=0.1
        )
        rows = ledger.rows()
        assert all(d.created_at > outage_ended for d in rows), "created during the outage?"
        assert_each_sent_exactly_once(fake_slack, rows)

        # still healthy: it keeps ticking and sends what comes next, on time
        ledger.announce("After the outage", OUTAGE_AUDIENCE)
        wait_until(
            lambda: ledger.all_sent(2 * len(OUTAGE_AUDIENCE)), timeout=15, why=context, every=0.1
        )
        assert scheduler.alive, scheduler.tail()
        assert scheduler.count_logged("tick at") > ticks_before_restore
        assert_each_sent_exactly_once(fake_slack, ledger.rows())
        assert scheduler.terminate() == 0, scheduler.tail()
        outage_errors = scheduler.count_logged(JOB_FAILED) - failures_before
    print(f"\ndatabase outage: {outage_errors} scheduler jobs failed while it was cut; recovered")


# -- 5. the operator's commands: deliveries, announce -----------------------------------------


def test_deliveries_lists_a_failed_delivery_with_its_reason_and_refuses_a_bogus_state(
    fake_slack, database_url, tmp_path, open_ledger
):
    add_users(fake_slack, ["U0001", "U0002"])
    ledger = open_ledger(database_url)
    env = scheduler_env(fake_slack, database_url)
    ledger.enqueue_announcements(["U0001"], "refused")
    fake_slack.fail_next("chat.postMessage", error="user_not_found")  # the only post of this tick
    refused = mentor_bot("tick", env=env, cwd=tmp_path)
    assert refused.returncode == 0, refused.stderr
    assert "sent failed: 1" in refused.stdout
    ledger.enqueue_announcements(["U0002"], "accepted")
    accepted = mentor_bot("tick", env=env, cwd=tmp_path)
    assert "sent sent: 1" in accepted.stdout, accepted.stdout + accepted.stderr
    [failed] = [d for d in ledger.rows() if d.state is DeliveryState.FAILED]

    listed = mentor_bot("deliveries", "--state", "failed", env=env, cwd=tmp_path)

    assert listed.returncode == 0, listed.stderr
    header, *lines = listed.stdout.strip().splitlines()
    assert header.split() == ["id", "due", "(UTC)", "state", "kind", "to", "tries", "why"]
    assert len(lines) == 1, listed.stdout
    assert lines[0].split()[0] == str(failed.id)
    assert lines[0].split()[3:7] == ["failed", "announcement", "U0001", "1"]
    assert lines[0].endswith("refused: user_not_found")

    every = mentor_bot("deliveries", env=env, cwd=tmp_path)
    assert every.returncode == 0 and len(every.stdout.strip().splitlines()) == 3, every.stdout

    bogus = mentor_bot("deliveries", "--state", "bogus", env=env, cwd=tmp_path)

    assert bogus.returncode == 2
    assert (
        "'bogus' is not a delivery state; use one of pending, claimed, sent, in_doubt, failed, "
        "skipped" in bogus.stderr
    )
    assert "Traceback" not in bogus.stderr


def test_announce_schedules_one_the_scheduler_delivers_to_exactly_those_people(
    fake_slack, database_url, tmp_path, processes, open_ledger
):
    add_users(fake_slack, ["U0001", "U0002", "U0003"])
    ledger = open_ledger(database_url)
    env = scheduler_env(fake_slack, database_url)

    announced = mentor_bot(
        "announce", "Kick-off is *Monday 10:00*", "--to", "U0001,U0002", env=env, cwd=tmp_path
    )

    assert announced.returncode == 0, announced.stderr
    assert announced.stdout.startswith("announcement 1 to U0001, U0002 at ")
    assert ledger.count(AnnouncementRow) == 1
    scheduler = SchedulerProcess(env, tmp_path)
    processes.append(scheduler)
    wait_until(lambda: ledger.all_sent(2), timeout=30, why=scheduler.tail)
    assert scheduler.terminate() == 0, scheduler.tail()
    rows = ledger.rows()
    assert_each_sent_exactly_once(fake_slack, rows)
    assert sorted(d.key.recipient for d in rows) == ["U0001", "U0002"]
    posts = [group[0] for group in posts_by_delivery(fake_slack).values()]
    assert all(post["text"] == "Kick-off is *Monday 10:00*" for post in posts)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["", "--to", "U0001"], "mentor-bot: The announcement has no text."),
        (
            ["Hello", "--until", "2020-01-01T00:00:00+00:00"],
            "mentor-bot: The end (2020-01-01T00:00:00+00:00) must come after the send time",
        ),
        (
            ["Hello", "--at", "2020-01-01T00:00:00+00:00", "--until", "2020-01-02T00:00:00+00:00"],
            "mentor-bot: The end (2020-01-02T00:00:00+00:00) is already past.",
        ),
    ],
    ids=["empty-text", "until-before-now", "both-past"],
)
# Pure validation, before anything touches the database: one backend is enough.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_announce_refuses_a_bad_announcement_with_the_reason_and_stores_nothing(
    fake_slack, database_url, tmp_path, args, reason, open_ledger
):
    ledger = open_ledger(database_url)

    result = mentor_bot(
        "announce", *args, env=scheduler_env(fake_slack, database_url), cwd=tmp_path
    )

    assert result.returncode == 2, result.stdout + result.stderr
    assert reason in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert ledger.count(AnnouncementRow) == 0 and ledger.count(DeliveryRow) == 0


@pytest.mark.postgres
def test_an_outage_while_sending_leaves_no_claim_stranded_and_nothing_twice(
    fake_slack, postgres_server, tmp_path
):
    url = postgres_server.create_database("mentor_bot_outage_mid_send")
    engine = create_db_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    users = [f"U4{i:03d}" for i in range(40)]
    add_users(fake_slack, users)
    ledger = Ledger(url, fake_slack)
    ledger.enqueue_announcements(users, "outage-mid-send")
    upstream = make_url(postgres_admin_url())
    with TcpProxy((upstream.host, upstream.port)) as proxy:
        proxied = make_url(url).set(host="127.0.0.1", port=proxy.port)
        env = scheduler_env(
            fake_slack,
            proxied.render_as_string(hide_password=False),
            MENTOR_BOT_SEND_RATE_PER_MINUTE="240",
        )
        scheduler = SchedulerProcess(env, tmp_path)
        try:
            wait_until(lambda: stored_posts(fake_slack) >= 5, timeout=30, why=scheduler.tail)
            proxy.cut()  # the database goes away in the middle of a batch
            time.sleep(2)
            proxy.restore()

            def all_sent() -> bool:
                return ledger.counts() == {DeliveryState.SENT: len(users)}

            wait_until(all_sent, timeout=90, why=scheduler.tail)
            assert scheduler.alive
            posts = posts_by_delivery(fake_slack)
            assert len(posts) == len(users)
            assert all(len(found) == 1 for found in posts.values()), "a delivery went out twice"
        finally:
            scheduler.kill()
