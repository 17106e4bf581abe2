"""Fan-out: N check-in DMs through the real `mentor-bot scheduler` against Slack's rate limits.

What is measured
    How fast, and how correctly, the delivery engine gets N direct messages (one per person, N
    people) out through a Slack that enforces 1 message/s per channel and 300 messages/min per
    workspace on chat.postMessage and, besides, answers about 1 % of acceptable posts with a
    random HTTP 429 (Retry-After 1, seeded):

    * achieved rate: accepted posts per minute between the first and the last accepted post,
      next to the 300/min Slack enforces;
    * duplicates: delivery ids with more than one stored post (the delivery id travels in the
      message metadata, so the fake Slack can tell);
    * lost: deliveries not `sent` at the end, plus ledger ids that never reached Slack;
    * Retry-After violations: posts that arrived while a Retry-After the fake had announced was
      still running (the fake answers them 429 again and counts them);
    * 429s received, split into limit ones (the pacing let a post through too early, or a
      Retry-After was ignored) and random ones (the fake's injected throttling);
    * peak memory: the scheduler's VmHWM (/proc/<pid>/status, sampled every second) and this
      process's ru_maxrss (the fake Slack lives here, with every call and message it recorded).

    To explain a rate below the goal it also breaks the span between the first and last
    accepted post down into the configured pace (MENTOR_BOT_SEND_RATE_PER_MINUTE), time lost in
    gaps that contain a 429 and time lost in other stalls.

How
    * a FakeSlack (in this process) with N users U00000.. besides its bot user, enforcing the
      limits above with `enforce_rate_limits(random_429_rate=..., seed=...)`;
    * `mentor-bot scheduler` as a subprocess (SLACK_API_URL pointing at the fake,
      MENTOR_BOT_DISPATCH_SECONDS=1, the default send rate unless --send-rate) on a fresh SQLite
      file (default; the scheduler migrates it) or a freshly created PostgreSQL database
      (`--database postgresql`: CREATE DATABASE bench_<random>, `python -m bot db upgrade`,
      DROP ... WITH (FORCE) at the end);
    * the scheduler syncs the directory (users.list, 200 a page) when it starts; the bench waits
      for its "directory sync: <n> people" line, as a check-in fan-out meets a scheduler that
      has been running for a while, then queues the N deliveries in-process (DeliveryService
      .enqueue, 500 per transaction, kind "announcement", period "fanout-<run>", due now);
    * it polls the ledger's state counts every 2 s (a progress line every 30 s) until every
      delivery is sent, failed or skipped, or the timeout passes: N/300 minutes x 1.5 + 2 min
      from the first enqueue. Then the scheduler gets SIGTERM.

    The default --scale 0.05 sends 500 messages (~2 minutes at the default pace); --scale 1 is
    the full 10,000 (~40 minutes at the measured ~260/min).

Goals: achieved rate >= 90 % of the enforced 300/min, zero duplicates, zero lost, zero
Retry-After violations. It is a benchmark, not a test: the exit code is 0 whatever the verdicts.

    .venv/bin/python bench/fanout.py [--scale 0.05] [--database sqlite] [--seed 1]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import itertools
import math
import os
import re
import resource
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from slack_sdk import WebClient  # noqa: E402
from sqlalchemy import Engine, select  # noqa: E402

from bench.databases import postgres_database, sqlite_database  # noqa: E402
from bench.logs import most_common_exceptions  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bot.bootstrap import build_services  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.domain.announcements import KIND as ANNOUNCEMENT  # noqa: E402
from bot.domain.deliveries import (  # noqa: E402
    FINAL_STATES,
    METADATA_EVENT_TYPE,
    DeliveryKey,
    DeliveryState,
    NewDelivery,
)
from bot.services import Services  # noqa: E402
from storage.db import create_db_engine  # noqa: E402
from storage.models import DeliveryRow  # noqa: E402
from tests.support.fake_slack import FakeSlack, RateLimitReport, RecordedCall  # noqa: E402
from tests.support.process import clean_env  # noqa: E402
from tests.support.running_bot import BOT_TOKEN, SIGNING_SECRET, test_settings  # noqa: E402

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TEAM = "T111"  # the fake Slack's workspace

FULL_MESSAGES = 10_000
DEFAULT_SCALE = 0.05
ENFORCED_PER_MINUTE = 300
ENFORCED_PER_CHANNEL_PER_SECOND = 1.0
RANDOM_429_RATE = 0.01
DEFAULT_SEED = 1
DISPATCH_SECONDS = "1"
DEFAULT_SEND_RATE = Settings.model_fields["mentor_bot_send_rate_per_minute"].default
USERS_LIST_PAGE = 200  # handlers/gateway.py asks users.list for 200 people a page

ENQUEUE_CHUNK = 500
POLL_S = 2.0
PROGRESS_S = 30.0
MEMORY_SAMPLE_S = 1.0
SYNC_TIMEOUT_BASE_S = 60.0
SYNC_TIMEOUT_PER_USER_S = 0.02  # 10,000 people: 260 s to get through users.list and the upserts
STOP_TIMEOUT_S = 30.0
STALL_FACTOR = 1.5  # a gap between accepted posts longer than this x the pace interval is a stall

GOAL_RATE_FRACTION = 0.90

SYNC_LINE = re.compile(r"directory sync: (\d+) people")
JOB_FAILED = "raised an exception"
JOB_SKIPPED = "maximum number of running instances reached"
RATE_LIMITED_LINE = "Slack rate-limited workspace"


# -- the scheduler process --------------------------------------------------------------------


class SchedulerProcess:
    """`mentor-bot scheduler` in the background; each log line kept with its arrival time."""

    def __init__(self, env: Mapping[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "scheduler"],
            env=dict(env),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[tuple[float, str]] = []  # (time.monotonic() at arrival, line)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def texts(self) -> list[str]:
        return [line for _, line in list(self.lines)]

    def count(self, fragment: str) -> int:
        return sum(fragment in line for line in self.texts())

    def first(self, pattern: re.Pattern[str]) -> tuple[float, re.Match[str]] | None:
        for at, line in list(self.lines):
            if found := pattern.search(line):
                return at, found
        return None

    def stop(self) -> int:
        """SIGTERM (the scheduler gives back its claims and exits 0); SIGKILL if it hangs."""
        if self.alive:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self._reader.join(timeout=5)
        return code

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.texts()[-lines:])


class MemorySampler:
    """Reads a process's VmHWM (peak resident set) and VmRSS every second while it lives.

    VmHWM is already a peak, so sampling only has to catch its last value before the process
    exits and /proc/<pid> disappears; the current RSS is kept for the progress lines.
    """

    def __init__(self, pid: int) -> None:
        self._pid = pid
        self.peak_kib = 0
        self.rss_kib = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)

    def sample(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            status = Path(f"/proc/{self._pid}/status").read_text()
            values = dict(
                line.split(":", 1) for line in status.splitlines() if line.startswith("Vm")
            )
            self.peak_kib = max(self.peak_kib, int(values["VmHWM"].split()[0]))
            self.rss_kib = int(values["VmRSS"].split()[0])

    def _run(self) -> None:
        while not self._stopping.is_set():
            self.sample()
            self._stopping.wait(MEMORY_SAMPLE_S)


def process_cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of a process, all threads, from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def own_peak_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def scheduler_env(
    fake: FakeSlack, database_url: str, send_rate: float | None = None
) -> dict[str, str]:
    values = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.url,
        "DATABASE_URL": database_url,
        "MENTOR_BOT_DISPATCH_SECONDS": DISPATCH_SECONDS,
    }
    if send_rate is not None:
        values["MENTOR_BOT_SEND_RATE_PER_MINUTE"] = f"{send_rate:g}"
    return clean_env(**values)


@contextlib.contextmanager
def stopped_at_exit(scheduler: SchedulerProcess) -> Iterator[SchedulerProcess]:
    try:
        yield scheduler
    finally:
        scheduler.stop()


# -- the databases ----------------------------------------------------------------------------


class Ledger:
    """This process's own view of the deliveries table, and the services that queue work."""

    def __init__(self, database_url: str, fake: FakeSlack) -> None:
        self.engine: Engine = create_db_engine(database_url)
        settings = test_settings(database_url=database_url, slack_api_url=fake.url)
        client = WebClient(token=BOT_TOKEN, base_url=fake.url, timeout=5)
        self.services: Services = build_services(
            settings, engine=self.engine, clock=SystemClock(), slack_client=client
        )

    def close(self) -> None:
        self.engine.dispose()

    def enqueue(self, users: Sequence[str], period: str) -> int:
        created = 0
        for start in range(0, len(users), ENQUEUE_CHUNK):
            now = datetime.now(UTC)
            created += self.services.deliveries.enqueue(
                NewDelivery(
                    key=DeliveryKey(TEAM, user, ANNOUNCEMENT, period),
                    due_at=now,
                    payload={"text": check_in_text(user, period)},
                )
                for user in users[start : start + ENQUEUE_CHUNK]
            )
        return created

    def counts(self) -> dict[DeliveryState, int]:
        return self.services.deliveries.counts()

    def states(self, period: str) -> dict[int, DeliveryState]:
        query = select(DeliveryRow.id, DeliveryRow.state).where(DeliveryRow.period == period)
        with self.engine.connect() as connection:
            return {row.id: DeliveryState(row.state) for row in connection.execute(query)}


def check_in_text(user: str, period: str) -> str:
    return (
        f"Hi <@{user}>, time for this week's check-in ({period}). How is it going with your "
        "mentor? Reply here with one win and one thing you are stuck on."
    )


# -- the run ----------------------------------------------------------------------------------


@dataclass
class DirectorySync:
    people: int | None  # None: no "directory sync" line before the timeout
    seconds: float
    pages: int
    failed_jobs: int


@dataclass
class Run:
    backend: str
    messages: int
    send_rate: float
    seed: int
    random_429_rate: float
    sync: DirectorySync
    enqueue_seconds: float
    elapsed: float  # first enqueue until every delivery was final (or the timeout)
    timed_out: bool
    timeout: float
    states: dict[int, DeliveryState]
    counts: dict[DeliveryState, int]
    posts: dict[str, list[dict]]
    post_calls: list[RecordedCall]
    report: RateLimitReport
    calls_by_method: Counter[str]
    scheduler_peak_kib: int
    scheduler_cpu: float | None
    bench_peak_kib: int
    bench_cpu: float
    exit_code: int
    log: list[str]
    progress: list[str] = field(default_factory=list)


def wait_for_directory_sync(
    scheduler: SchedulerProcess, fake: FakeSlack, people: int, started: float
) -> DirectorySync:
    timeout = SYNC_TIMEOUT_BASE_S + SYNC_TIMEOUT_PER_USER_S * people
    deadline = started + timeout
    found = None
    while time.monotonic() < deadline and scheduler.alive:
        found = scheduler.first(SYNC_LINE)
        if found is not None or scheduler.count(JOB_FAILED):
            break
        time.sleep(0.2)
    at, match = found if found is not None else (time.monotonic(), None)
    return DirectorySync(
        people=int(match.group(1)) if match else None,
        seconds=at - started,
        pages=len(fake.calls_to("users.list")),
        failed_jobs=scheduler.count(JOB_FAILED),
    )


def wait_until_final(
    ledger: Ledger,
    fake: FakeSlack,
    memory: MemorySampler,
    *,
    expected: int,
    started: float,
    timeout: float,
    progress: list[str],
) -> tuple[float, bool]:
    """Poll the ledger until every delivery is final; returns (elapsed, timed out)."""
    next_progress = started + PROGRESS_S
    last_accepted, last_at = 0, started
    while True:
        counts = ledger.counts()
        now = time.monotonic()
        final = sum(counts.get(state, 0) for state in FINAL_STATES)
        if final >= expected:
            return now - started, False
        if now - started > timeout:
            return now - started, True
        if now >= next_progress:
            report = fake.rate_limit_report()
            window_rate = (report.accepted - last_accepted) * 60 / (now - last_at)
            line = (
                f"[{now - started:5.0f} s] {format_counts(counts)}; accepted posts "
                f"{report.accepted} ({window_rate:.0f}/min over the last {now - last_at:.0f} s), "
                f"429s {report.rejected_429}; scheduler RSS {memory.rss_kib / 1024:.0f} MiB"
            )
            print(line, flush=True)
            progress.append(line)
            last_accepted, last_at = report.accepted, now
            next_progress += PROGRESS_S
        time.sleep(POLL_S)


def format_counts(counts: Mapping[DeliveryState, int]) -> str:
    order = list(DeliveryState)
    shown = [f"{state.value} {counts[state]}" for state in order if counts.get(state)]
    return ", ".join(shown) or "none"


def run(args: argparse.Namespace) -> Run:
    messages = max(1, round(FULL_MESSAGES * args.scale))
    users = [f"U{number:05d}" for number in range(messages)]
    period = f"fanout-{secrets.token_hex(4)}"
    send_rate = args.send_rate if args.send_rate is not None else DEFAULT_SEND_RATE
    timeout = messages / ENFORCED_PER_MINUTE * 60 * 1.5 + 120
    progress: list[str] = []
    with contextlib.ExitStack() as stack:
        fake = stack.enter_context(FakeSlack(team_id=TEAM))
        for user in users:
            fake.add_user(user, locale="en-US", tz="Europe/Berlin", tz_offset=3600)
        fake.enforce_rate_limits(
            per_channel_per_second=ENFORCED_PER_CHANNEL_PER_SECOND,
            per_workspace_per_minute=ENFORCED_PER_MINUTE,
            random_429_rate=args.random_429_rate,
            seed=args.seed,
        )
        gc.collect()
        gc.freeze()  # the fake's user directory never changes: keep it out of every collection
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mentor-fanout-")))
        env = scheduler_env(fake, "sqlite:///unused.db", args.send_rate)
        database_url = stack.enter_context(
            postgres_database(args.postgres_admin_url, env, workdir)
            if args.database == "postgresql"
            else sqlite_database(workdir, "fanout.db")
        )
        env = scheduler_env(fake, database_url, args.send_rate)
        print(
            f"fan-out of {messages} DMs on {args.database}: pace {send_rate:g}/min, Slack "
            f"enforces {ENFORCED_PER_MINUTE}/min and {ENFORCED_PER_CHANNEL_PER_SECOND:g}/s per "
            f"channel, random 429s {args.random_429_rate:.1%} (seed {args.seed}); "
            f"timeout {timeout:.0f} s",
            flush=True,
        )
        scheduler_started = time.monotonic()
        scheduler = stack.enter_context(stopped_at_exit(SchedulerProcess(env, workdir)))
        memory = stack.enter_context(MemorySampler(scheduler.pid))
        sync = wait_for_directory_sync(scheduler, fake, len(users), scheduler_started)
        print(
            f"directory sync: {sync.people} people in {sync.seconds:.1f} s "
            f"({sync.pages} users.list pages)",
            flush=True,
        )
        if not scheduler.alive:
            raise RuntimeError(f"mentor-bot scheduler exited early:\n{scheduler.tail()}")
        ledger = Ledger(database_url, fake)
        stack.callback(ledger.close)
        started = time.monotonic()
        created = ledger.enqueue(users, period)
        enqueue_seconds = time.monotonic() - started
        if created != messages:
            raise RuntimeError(f"queued {created} deliveries, expected {messages}")
        print(f"queued {created} deliveries in {enqueue_seconds:.1f} s", flush=True)
        elapsed, timed_out = wait_until_final(
            ledger,
            fake,
            memory,
            expected=messages,
            started=started,
            timeout=timeout,
            progress=progress,
        )
        memory.sample()
        scheduler_cpu = process_cpu_seconds(scheduler.pid)
        exit_code = scheduler.stop()
        states = ledger.states(period)
        counts = ledger.counts()
        calls = fake.calls
        return Run(
            backend=args.database,
            messages=messages,
            send_rate=send_rate,
            seed=args.seed,
            random_429_rate=args.random_429_rate,
            sync=sync,
            enqueue_seconds=enqueue_seconds,
            elapsed=elapsed,
            timed_out=timed_out,
            timeout=timeout,
            states=states,
            counts=counts,
            posts=fake.posts_with_metadata(METADATA_EVENT_TYPE),
            post_calls=[call for call in calls if call.method == "chat.postMessage"],
            report=fake.rate_limit_report(),
            calls_by_method=Counter(call.method for call in calls),
            scheduler_peak_kib=memory.peak_kib,
            scheduler_cpu=scheduler_cpu,
            bench_peak_kib=own_peak_rss_kib(),
            bench_cpu=own_cpu_seconds(),
            exit_code=exit_code,
            log=scheduler.texts(),
            progress=progress,
        )


# -- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    """Where the time between the first and the last accepted post went."""

    accepted: int
    span: float
    interval: float  # seconds between posts at the configured pace
    after_429: float  # time beyond the interval in gaps that contain a 429
    gaps_with_429: int
    stalls: float  # time beyond the interval in other gaps longer than STALL_FACTOR x interval
    stall_count: int
    longest_stall: float
    resume_after_429: list[float]  # seconds from each 429 to the next post attempt

    @property
    def rate(self) -> float:
        return (self.accepted - 1) * 60 / self.span if self.span > 0 else 0.0

    @property
    def ideal_span(self) -> float:
        return (self.accepted - 1) * self.interval


def pace_of(calls: Sequence[RecordedCall], send_rate: float) -> Pace:
    ordered = sorted(calls, key=lambda call: call.at)
    accepted = [call.at for call in ordered if call.status != 429]
    rejected = [call.at for call in ordered if call.status == 429]
    interval = 60 / send_rate
    after_429 = stalls = longest = 0.0
    gaps_with_429 = stall_count = 0
    for before, after in itertools.pairwise(accepted):
        excess = max(0.0, after - before - interval)
        if any(before < at < after for at in rejected):
            after_429 += excess
            gaps_with_429 += 1
        elif after - before > STALL_FACTOR * interval:
            stalls += excess
            stall_count += 1
            longest = max(longest, after - before)
    resume = []
    for index, call in enumerate(ordered):
        if call.status == 429 and index + 1 < len(ordered):
            resume.append(ordered[index + 1].at - call.at)
    return Pace(
        accepted=len(accepted),
        span=accepted[-1] - accepted[0] if len(accepted) > 1 else 0.0,
        interval=interval,
        after_429=after_429,
        gaps_with_429=gaps_with_429,
        stalls=stalls,
        stall_count=stall_count,
        longest_stall=longest,
        resume_after_429=resume,
    )


@dataclass(frozen=True)
class Outcome:
    duplicates: int  # delivery ids posted more than once
    extra_posts: int  # posts beyond the first, over those ids
    not_sent: int
    never_posted: int
    lost: int  # not sent or never posted (each delivery counted once)
    strays: int  # posts whose delivery id is not one of this run's


def outcome_of(run: Run) -> Outcome:
    ids = {str(delivery_id) for delivery_id in run.states}
    posted = {key for key, group in run.posts.items() if group}
    duplicates = {key: len(group) for key, group in run.posts.items() if len(group) > 1}
    not_sent = {str(i) for i, state in run.states.items() if state is not DeliveryState.SENT}
    never_posted = ids - posted
    missing = max(0, run.messages - len(ids))  # not even in the ledger
    return Outcome(
        duplicates=len(duplicates),
        extra_posts=sum(count - 1 for count in duplicates.values()),
        not_sent=len(not_sent) + missing,
        never_posted=len(never_posted) + missing,
        lost=len(not_sent | never_posted) + missing,
        strays=len(posted - ids),
    )


def format_table(rows: Sequence[tuple[str, str, str, str]]) -> str:
    header = ("measure", "value", "detail", "goal")
    table = [header, *rows]
    widths = [max(len(row[column]) for row in table) for column in range(len(header))]
    right_aligned = {1}
    return "\n".join(
        "  ".join(
            cell.rjust(width) if column in right_aligned else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in table
    )


def table_rows(run: Run, pace: Pace, outcome: Outcome) -> list[tuple[str, str, str, str]]:
    report = run.report
    goal_rate = GOAL_RATE_FRACTION * ENFORCED_PER_MINUTE
    limit_429 = report.rejected_429 - report.rejected_random
    return [
        ("messages", str(run.messages), f"{FULL_MESSAGES} x scale, one DM per person", ""),
        (
            "elapsed s",
            f"{run.elapsed:.1f}",
            "first enqueue until every delivery final" + (" (TIMED OUT)" if run.timed_out else ""),
            "",
        ),
        (
            "achieved rate msg/min",
            f"{pace.rate:.1f}",
            f"{pace.rate / ENFORCED_PER_MINUTE:.1%} of the {ENFORCED_PER_MINUTE} enforced; "
            f"{pace.accepted} accepted posts over {pace.span:.1f} s; pace {run.send_rate:g}",
            f">= {goal_rate:.0f} ({GOAL_RATE_FRACTION:.0%})",
        ),
        (
            "duplicates",
            str(outcome.duplicates),
            f"delivery ids posted more than once ({outcome.extra_posts} extra posts)",
            "0",
        ),
        (
            "lost",
            str(outcome.lost),
            f"{outcome.not_sent} not sent, {outcome.never_posted} never posted",
            "0",
        ),
        (
            "Retry-After violations",
            str(report.calls_during_retry_after),
            "posts while an announced Retry-After was running",
            "0",
        ),
        (
            "429s received",
            str(report.rejected_429),
            f"{limit_429} enforced by the limits, {report.rejected_random} random",
            "",
        ),
        (
            "scheduler peak RSS MiB",
            f"{run.scheduler_peak_kib / 1024:.1f}",
            "VmHWM of `mentor-bot scheduler`, sampled every 1 s",
            "",
        ),
        (
            "bench peak RSS MiB",
            f"{run.bench_peak_kib / 1024:.1f}",
            "this process: fake Slack and its records (ru_maxrss)",
            "",
        ),
        ("final states", "", format_counts(run.counts), ""),
    ]


def verdicts(run: Run, pace: Pace, outcome: Outcome) -> list[str]:
    goal_rate = GOAL_RATE_FRACTION * ENFORCED_PER_MINUTE
    checks = [
        (
            "rate",
            pace.rate >= goal_rate,
            f"{pace.rate:.1f} msg/min = {pace.rate / ENFORCED_PER_MINUTE:.1%} of "
            f"{ENFORCED_PER_MINUTE}, goal >= {goal_rate:.0f}",
        ),
        ("duplicates", outcome.duplicates == 0, f"{outcome.duplicates}, goal 0"),
        (
            "lost",
            outcome.lost == 0 and not run.timed_out,
            f"{outcome.lost}, goal 0" + (" (timed out)" if run.timed_out else ""),
        ),
        (
            "Retry-After",
            run.report.calls_during_retry_after == 0,
            f"{run.report.calls_during_retry_after} violations, goal 0",
        ),
    ]
    return [f"{'PASS' if ok else 'FAIL'} {name}: {detail}" for name, ok, detail in checks]


def pace_lines(run: Run, pace: Pace) -> list[str]:
    if pace.accepted < 2:
        return ["pace: fewer than two accepted posts, nothing to break down"]
    jitter = pace.span - pace.ideal_span - pace.after_429 - pace.stalls
    best = run.send_rate / ENFORCED_PER_MINUTE
    lines = [
        f"pace: configured {run.send_rate:g}/min (one post every {pace.interval * 1000:.0f} ms) "
        f"is at best {best:.1%} of {ENFORCED_PER_MINUTE}; {pace.accepted - 1} intervals took "
        f"{pace.span:.1f} s, {pace.ideal_span:.1f} s at that pace",
        f"  lost after 429s: {pace.after_429:.1f} s over {pace.gaps_with_429} gaps "
        f"({pace.after_429 / max(1, pace.gaps_with_429):.2f} s each)",
        f"  other stalls (> {STALL_FACTOR:g}x the interval): {pace.stalls:.1f} s over "
        f"{pace.stall_count} gaps (longest {pace.longest_stall:.2f} s); the rest: {jitter:+.1f} s",
    ]
    # A client that resumes exactly when Retry-After (1 s) ends loses that second per random 429
    # beyond the slot the 429 used: there are p / (1 - p) of them per accepted post.
    per_post = pace.interval + run.random_429_rate / (1 - run.random_429_rate) * 1.0
    lines.append(
        f"  ceiling at this pace with {run.random_429_rate:.1%} random 429s (Retry-After 1 s, "
        f"resumed the moment it ends): {60 / per_post:.1f} msg/min "
        f"= {60 / per_post / ENFORCED_PER_MINUTE:.1%} of {ENFORCED_PER_MINUTE}"
    )
    if pace.resume_after_429:
        resume = pace.resume_after_429
        lines.append(
            f"  after a 429 (Retry-After 1 s for random ones) the next post came "
            f"{statistics.mean(resume):.2f} s later on average "
            f"(min {min(resume):.2f}, max {max(resume):.2f}; "
            f"MENTOR_BOT_DISPATCH_SECONDS={DISPATCH_SECONDS})"
        )
        without = pace.span - pace.after_429
        if without > 0:
            lines.append(
                f"  without the time lost after 429s: "
                f"{(pace.accepted - 1) * 60 / without:.1f} msg/min"
            )
    return lines


def other_lines(run: Run) -> list[str]:
    calls = ", ".join(f"{method} {count}" for method, count in sorted(run.calls_by_method.items()))
    sync = run.sync
    expected_pages = math.ceil((run.messages + 1) / USERS_LIST_PAGE)  # + the fake's bot user
    lines = [
        f"directory sync: {sync.people if sync.people is not None else 'NOT FINISHED'} people "
        f"(fake has {run.messages + 1}) in {sync.seconds:.1f} s after the scheduler started, "
        f"{sync.pages} users.list pages (expected {expected_pages})"
        + (f", {sync.failed_jobs} failed jobs" if sync.failed_jobs else ""),
        f"queued {run.messages} deliveries in {run.enqueue_seconds:.1f} s "
        f"({ENQUEUE_CHUNK} per transaction)",
        f"Slack calls: {calls}",
        f"CPU: scheduler {_seconds(run.scheduler_cpu)}, bench process {run.bench_cpu:.1f} s "
        f"(fake Slack included)",
    ]
    if run.timed_out:
        lines.append(f"TIMED OUT after {run.timeout:.0f} s")
    return lines


def _seconds(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.1f} s"


def log_summary(run: Run) -> str:
    lines = run.log
    errors = sum(" ERROR " in line for line in lines)
    warnings = sum(" WARNING " in line for line in lines)
    summary = (
        f"scheduler log: exit {run.exit_code}, {len(lines)} lines, {errors} ERROR, "
        f"{warnings} WARNING ({sum(RATE_LIMITED_LINE in line for line in lines)} rate-limited, "
        f"{sum(JOB_SKIPPED in line for line in lines)} APScheduler 'dispatch skipped: maximum "
        f"number of running instances'), {sum(JOB_FAILED in line for line in lines)} failed jobs"
    )
    return summary + most_common_exceptions(lines)


def report(run: Run) -> None:
    pace = pace_of(run.post_calls, run.send_rate)
    outcome = outcome_of(run)
    print()
    print(machine_line(run.backend))
    print(
        f"settings: MENTOR_BOT_SEND_RATE_PER_MINUTE={run.send_rate:g}, "
        f"MENTOR_BOT_DISPATCH_SECONDS={DISPATCH_SECONDS}; fake Slack {ENFORCED_PER_MINUTE}/min, "
        f"{ENFORCED_PER_CHANNEL_PER_SECOND:g}/s per channel, random 429 rate "
        f"{run.random_429_rate:g} (seed {run.seed})"
    )
    print(format_table(table_rows(run, pace, outcome)))
    for line in verdicts(run, pace, outcome):
        print(line)
    for line in [*pace_lines(run, pace), *other_lines(run)]:
        print(line)
    if outcome.strays:
        print(f"{outcome.strays} posts carry a delivery id that is not in this run's ledger")
    print(log_summary(run))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=DEFAULT_SCALE,
        help=f"fraction of {FULL_MESSAGES} messages (default {DEFAULT_SCALE}: "
        f"{round(FULL_MESSAGES * DEFAULT_SCALE)}; 1 is the full run, ~40 minutes)",
    )
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--postgres-admin-url",
        default=POSTGRES_ADMIN_URL,
        help=f"server for --database postgresql (default {POSTGRES_ADMIN_URL})",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="seed of the fake's random 429s"
    )
    parser.add_argument(
        "--random-429-rate",
        type=float,
        default=RANDOM_429_RATE,
        help=f"fraction of acceptable posts answered 429 anyway (default {RANDOM_429_RATE})",
    )
    parser.add_argument(
        "--send-rate",
        type=float,
        help=f"MENTOR_BOT_SEND_RATE_PER_MINUTE for the scheduler (default: the bot's default, "
        f"{DEFAULT_SEND_RATE:g})",
    )
    parser.add_argument(
        "--show-log", action="store_true", help="print the scheduler's full log after the report"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.scale <= 0:
        build_parser().error("--scale must be positive")
    try:
        result = run(args)
    except KeyboardInterrupt:
        print("interrupted; everything started was stopped", file=sys.stderr)
        return 130
    report(result)
    if args.show_log:
        print("\n--- scheduler log ---\n" + "\n".join(result.log))
    return 0


if __name__ == "__main__":
    sys.exit(main())
