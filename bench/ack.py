"""Ack latency of the real `mentor-bot run` process next to a bare Bolt app that only acks.

What is measured
    The wall time of one slash-command request, from opening the TCP connection to having read
    the whole response (`time.perf_counter` in the client), for two scenarios:

    * help - `/mentor help`: the bot reads the member (for their language) and answers help;
    * lang - `/mentor lang ko` / `lang en`, alternating: the bot writes the member row before
      it acks.

    Users U0..U199 take turns, so member rows are created, then read and updated. A request
    counts as an error when it raises, is not HTTP 200, or its answer lacks the expected text.
    Next to the latencies: the app process's CPU time per request (/proc/<pid>/stat, all
    threads, after-ack work included), which tells cost from waiting.

How
    * a FakeSlack (in this process) answers auth.test and the bot's after-ack users.info calls;
    * `mentor-bot run --host 127.0.0.1 --no-scheduler` runs as a subprocess on a fresh SQLite
      file (default) or a freshly created PostgreSQL database (`--database postgresql`);
    * bench/bare_app.py runs as a subprocess behind the same waitress set-up
      (`bot.server.create_http_server`) and the same Bolt listener pool: the difference between
      the two is the bot's own code;
    * each app is warmed up with one request per user and scenario (not counted), then for every
      concurrency level and scenario each app gets N freshly signed requests from that many
      client threads, each on a new connection (as Slack does). Only one app is under load at a
      time; the order alternates per cell (bare first, then bot first, ...); between runs the
      bench waits until no Slack call has come in and the machine has been idle for a moment
      (the bot's follow-ups, the database server), and it pauses its own garbage collector while
      measuring.

    The warm-up meets every user (U0..U199), so the cells measure a program whose people the
    bot already knows. A person's very first command costs one more users.info call and
    upsert after the ack; that cost is not in these figures.

The goal checked per scenario and concurrency: the bot's p99 within 1.5x of the bare app's p99,
under 250 ms, and zero errors. It is a benchmark, not a test: the exit code is 0 whatever the
verdicts.

    .venv/bin/python bench/ack.py [--requests 500] [--concurrency 10 50] [--database sqlite]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import http.client
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


from bench.bare_app import ANSWER_PREFIX as BARE_ANSWER  # noqa: E402
from bench.databases import postgres_database, sqlite_database  # noqa: E402
from bench.logs import most_common_exceptions  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from tests.support.fake_slack import FakeSlack  # noqa: E402
from tests.support.process import BotProcess, clean_env  # noqa: E402
from tests.support.running_bot import BOT_TOKEN, SIGNING_SECRET  # noqa: E402
from tests.support.slack_requests import signed_headers, slash_command_body  # noqa: E402

BARE_APP = Path(__file__).resolve().with_name("bare_app.py")
EVENTS_PATH = "/slack/events"
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

USERS = 200
WARM_UP_REQUESTS = 2 * USERS  # every user once per scenario
WARM_UP_CONCURRENCY = 10
REQUEST_TIMEOUT_S = 10.0
QUIET_FOR_S = 0.5
QUIET_STEP_S = 0.1
QUIET_MAX_LOAD = 0.25  # CPUs busy; CPU time is counted in 10 ms ticks
QUIET_TIMEOUT_S = 5.0

P = TypeVar("P", bound=BotProcess)


GOAL_P99_RATIO = 1.5
GOAL_P99_MS = 250.0


# -- what is sent -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    name: str
    texts: tuple[str, ...]  # request i sends texts[(i + i // USERS) % len]: each user alternates
    expected: tuple[str, ...]  # the bot's answer contains one of these (English or Korean)

    def text(self, index: int) -> str:
        return self.texts[(index + index // USERS) % len(self.texts)]


SCENARIOS = (
    Scenario("help", ("help",), ("What I can do", "사용할 수 있는 명령어")),
    Scenario("lang", ("lang ko", "lang en"), ("From now on", "이제부터")),
)


@dataclass(frozen=True)
class Target:
    """One app under test, listening on host:port."""

    name: str
    host: str
    port: int
    pid: int
    bare: bool

    def expected(self, scenario: Scenario) -> tuple[str, ...]:
        return (BARE_ANSWER,) if self.bare else scenario.expected


@dataclass(frozen=True)
class Outcome:
    seconds: float
    problem: str | None  # None: a good answer


def send(target: Target, scenario: Scenario, index: int) -> Outcome:
    """One freshly signed slash command on a new connection; the timer covers connect to read."""
    body = slash_command_body(text=scenario.text(index), user_id=f"U{index % USERS}").encode()
    headers = signed_headers(body.decode(), secret=SIGNING_SECRET)
    start = time.perf_counter()
    try:
        status, answer = _post(target, body, headers)
    except (OSError, http.client.HTTPException) as error:
        return Outcome(time.perf_counter() - start, f"{type(error).__name__}: {error}")
    return Outcome(time.perf_counter() - start, _problem(status, answer, target.expected(scenario)))


def _post(target: Target, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(target.host, target.port, timeout=REQUEST_TIMEOUT_S)
    try:
        connection.request("POST", EVENTS_PATH, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _problem(status: int, answer: bytes, expected: tuple[str, ...]) -> str | None:
    if status != 200:
        return f"HTTP {status}: {answer[:200]!r}"
    shown = _shown_text(answer)
    if not any(marker in shown for marker in expected):
        return f"none of {expected} in {shown[:200]}"
    return None


def _shown_text(answer: bytes) -> str:
    """A JSON answer (text and blocks) with its escapes undone; a plain-text ack as it is."""
    try:
        return json.dumps(json.loads(answer), ensure_ascii=False)
    except ValueError:
        return answer.decode("utf-8", "replace")


def run_load(
    target: Target, scenario: Scenario, *, requests: int, concurrency: int, first_index: int
) -> list[Outcome]:
    """Closed loop: `concurrency` client threads, each sends its next request when one ends."""
    pool = ThreadPoolExecutor(concurrency, thread_name_prefix="client")
    try:
        with client_gc_paused():
            indexes = range(first_index, first_index + requests)
            return list(pool.map(lambda index: send(target, scenario, index), indexes))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # on Ctrl-C: drop what was not sent yet


@contextlib.contextmanager
def client_gc_paused() -> Iterator[None]:
    """No garbage collection in this process while it measures.

    FakeSlack keeps Slack's API reference data in this process, so a full collection here
    stalls every client thread for ~70 ms and lands in whichever app is being measured.
    Collect before the run, move what survives out of the collector's way, pause it meanwhile.
    """
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# -- results ----------------------------------------------------------------------------------


@dataclass
class Result:
    scenario: str
    concurrency: int
    app: str
    outcomes: list[Outcome]
    cpu_seconds: float  # the app process's CPU time over the run, its after-ack work included
    _sorted_ms: list[float] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sorted_ms = sorted(outcome.seconds * 1000 for outcome in self.outcomes)

    @property
    def requests(self) -> int:
        return len(self.outcomes)

    @property
    def errors(self) -> list[str]:
        return [outcome.problem for outcome in self.outcomes if outcome.problem is not None]

    def percentile_ms(self, fraction: float) -> float:
        """Nearest-rank percentile over every request, errors included."""
        rank = max(1, math.ceil(fraction * len(self._sorted_ms)))
        return self._sorted_ms[rank - 1]

    @property
    def p50(self) -> float:
        return self.percentile_ms(0.50)

    @property
    def p99(self) -> float:
        return self.percentile_ms(0.99)

    @property
    def max(self) -> float:
        return self._sorted_ms[-1]

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_seconds * 1000 / len(self.outcomes)


def format_table(results: Sequence[Result]) -> str:
    header = (
        "scenario",
        "conc",
        "app",
        "requests",
        "errors",
        "p50 ms",
        "p99 ms",
        "max ms",
        "p99 bot/bare",
        "app cpu ms/req",
    )
    rows = [header, *(_row(result, results) for result in results)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    left_aligned = {0, 2}
    return "\n".join(
        "  ".join(
            cell.ljust(width) if column in left_aligned else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    )


def _row(result: Result, results: Sequence[Result]) -> tuple[str, ...]:
    bare = _partner(result, results) if result.app == "bot" else None
    ratio = f"{result.p99 / bare.p99:.2f}x" if bare is not None else ""
    return (
        result.scenario,
        str(result.concurrency),
        result.app,
        str(result.requests),
        str(len(result.errors)),
        f"{result.p50:.1f}",
        f"{result.p99:.1f}",
        f"{result.max:.1f}",
        ratio,
        f"{result.cpu_ms_per_request:.2f}",
    )


def _partner(result: Result, results: Sequence[Result]) -> Result | None:
    return next(
        (
            other
            for other in results
            if (other.scenario, other.concurrency, other.app)
            == (result.scenario, result.concurrency, "bare")
        ),
        None,
    )


def verdict(bot: Result, bare: Result) -> str:
    ratio = bot.p99 / bare.p99
    failed = []
    if ratio > GOAL_P99_RATIO:
        failed.append(f"p99 ratio {ratio:.2f}x > {GOAL_P99_RATIO}x")
    if bot.p99 >= GOAL_P99_MS:
        failed.append(f"p99 {bot.p99:.1f} ms >= {GOAL_P99_MS:.0f} ms")
    if bot.errors:
        failed.append(f"{len(bot.errors)} errors")
    measured = (
        f"p99 {bot.p99:.1f} ms vs bare {bare.p99:.1f} ms = {ratio:.2f}x, {len(bot.errors)} errors"
    )
    line = f"{bot.scenario:<5} @ {bot.concurrency:>3} concurrent: "
    line += f"FAIL ({'; '.join(failed)}; {measured})" if failed else f"PASS ({measured})"
    if bare.errors:
        line += f"  [baseline had {len(bare.errors)} errors: comparison unreliable]"
    return line


def error_samples(results: Sequence[Result]) -> list[str]:
    return [
        f"{result.scenario} @ {result.concurrency} {result.app}: {result.errors[0]}"
        for result in results
        if result.errors
    ]


# -- the processes ----------------------------------------------------------------------------


class BareAppProcess(BotProcess):
    """bench/bare_app.py in the background; BotProcess's log reader, wait and stop apply."""

    def __init__(self, *, env: dict[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(BARE_APP)],
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()


def app_env(fake: FakeSlack, database_url: str) -> dict[str, str]:
    return clean_env(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.url,
        DATABASE_URL=database_url,
        PORT="0",
    )


@contextlib.contextmanager
def stopped_at_exit(process: P) -> Iterator[P]:
    try:
        yield process
    finally:
        _stop(process)


def listening_target(process: BotProcess, name: str) -> Target:
    url = process.wait_until_listening()
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return Target(
        name=name, host=host, port=int(port), pid=process.process.pid, bare=name == "bare"
    )


def _stop(process: BotProcess) -> None:
    try:
        process.stop(timeout=15)
    except subprocess.TimeoutExpired:
        process.process.kill()
        process.process.wait()


def log_summary(name: str, process: BotProcess) -> str:
    """Exit code, ERROR lines and the most frequent exceptions in a stopped app's log."""
    lines = process.lines
    errors = sum(" ERROR " in line for line in lines)
    queue_warnings = sum("Task queue depth" in line for line in lines)
    summary = (
        f"{name} log: exit {process.process.returncode}, {errors} ERROR lines, "
        f"{queue_warnings} waitress 'Task queue depth' warnings"
    )
    return summary + most_common_exceptions(lines)


def process_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, all threads, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time spent by every process on the machine (all CPUs), from /proc/stat."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = ticks[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def wait_for_quiet(fake: FakeSlack) -> bool:
    """Let the work an app left behind end before anything else is measured.

    That is the bot's after-ack follow-ups (users.info calls, database writes) and whatever the
    database server does after a burst of writes: quiet means no new call to Slack and the
    machine nearly idle for QUIET_FOR_S. False when that did not happen within QUIET_TIMEOUT_S
    (something else keeps the machine busy: the next numbers are noisier).
    """
    deadline = time.monotonic() + QUIET_TIMEOUT_S
    calls, busy = len(fake.calls), machine_busy_seconds()
    quiet_since = time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - quiet_since < QUIET_FOR_S:
        time.sleep(QUIET_STEP_S)
        now_calls, now_busy = len(fake.calls), machine_busy_seconds()
        if now_calls != calls or now_busy - busy > QUIET_MAX_LOAD * QUIET_STEP_S:
            quiet_since = time.monotonic()
        calls, busy = now_calls, now_busy
    return time.monotonic() - quiet_since >= QUIET_FOR_S


# -- the run ----------------------------------------------------------------------------------


def warm_up(targets: Sequence[Target], fake: FakeSlack) -> list[str]:
    """Not counted; returns a line per app and scenario whose warm-up had errors."""
    trouble = []
    for target in targets:
        for scenario in SCENARIOS:
            outcomes = run_load(
                target,
                scenario,
                requests=WARM_UP_REQUESTS // len(SCENARIOS),
                concurrency=WARM_UP_CONCURRENCY,
                first_index=0,
            )
            problems = [o.problem for o in outcomes if o.problem is not None]
            if problems:
                trouble.append(
                    f"warm-up {scenario.name} {target.name}: {len(problems)} errors, "
                    f"e.g. {problems[0]}"
                )
        if not wait_for_quiet(fake):
            trouble.append(f"machine still busy {QUIET_TIMEOUT_S:.0f} s after the warm-up")
    return trouble


def measure(
    bot: Target,
    bare: Target,
    fake: FakeSlack,
    *,
    requests: int,
    levels: Sequence[int],
    notes: list[str],
) -> list[Result]:
    """Every app, scenario and level; `notes` gets a line for each run the machine was busy."""
    results = []
    cells = [(level, scenario) for level in levels for scenario in SCENARIOS]
    for cell, (level, scenario) in enumerate(cells):
        order = (bare, bot) if cell % 2 == 0 else (bot, bare)
        for target in order:
            cpu_before = process_cpu_seconds(target.pid)
            outcomes = run_load(
                target,
                scenario,
                requests=requests,
                concurrency=level,
                first_index=WARM_UP_REQUESTS + cell * requests,
            )
            if not wait_for_quiet(fake):
                notes.append(
                    f"machine still busy {QUIET_TIMEOUT_S:.0f} s after {scenario.name} @ {level} "
                    f"{target.name}: the next run may be noisy"
                )
            cpu = process_cpu_seconds(target.pid) - cpu_before
            results.append(Result(scenario.name, level, target.name, outcomes, cpu))
    return sorted(results, key=lambda r: (r.scenario, r.concurrency, r.app != "bare"))


def report(results: Sequence[Result], notes: Sequence[str], database: str, elapsed: float) -> None:
    print(machine_line(database))
    print(format_table(results))
    print(
        f"goal: p99 within {GOAL_P99_RATIO}x of the bare app and under {GOAL_P99_MS:.0f} ms "
        f"at every level, zero errors"
    )
    by_key = {(r.scenario, r.concurrency, r.app): r for r in results}
    for result in results:
        if result.app == "bot":
            print(verdict(result, by_key[(result.scenario, result.concurrency, "bare")]))
    for sample in error_samples(results):
        print(f"first error, {sample}")
    for line in notes:
        print(line)
    print(f"measured in {elapsed:.0f} s")


def run(args: argparse.Namespace) -> None:
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        fake = stack.enter_context(FakeSlack())
        for number in range(USERS):
            fake.add_user(f"U{number}")
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mentor-bench-")))
        env = app_env(fake, "sqlite:///unused.db")
        database_url = stack.enter_context(
            postgres_database(args.postgres_admin_url, env, workdir)
            if args.database == "postgresql"
            else sqlite_database(workdir)
        )
        env = app_env(fake, database_url)
        processes: dict[str, BotProcess] = {
            "bot": stack.enter_context(
                stopped_at_exit(
                    BotProcess("--host", "127.0.0.1", "--no-scheduler", env=env, cwd=workdir)
                )
            ),
            "bare": stack.enter_context(stopped_at_exit(BareAppProcess(env=env, cwd=workdir))),
        }
        bot, bare = (listening_target(process, name) for name, process in processes.items())
        notes = warm_up((bare, bot), fake)
        results = measure(
            bot, bare, fake, requests=args.requests, levels=args.concurrency, notes=notes
        )
    notes += [log_summary(name, process) for name, process in processes.items()]
    report(results, notes, args.database, time.monotonic() - started)
    if args.show_logs:
        for name, process in processes.items():
            print(f"\n--- {name} log ---\n{process.log}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests",
        type=int,
        default=500,
        help="requests per scenario, concurrency level and app (default 500)",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=[10, 50],
        help="client threads, one run per level (default 10 50)",
    )
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--postgres-admin-url",
        default=POSTGRES_ADMIN_URL,
        help=f"server for --database postgresql (default {POSTGRES_ADMIN_URL})",
    )
    parser.add_argument(
        "--show-logs", action="store_true", help="print both apps' full logs after the report"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        run(args)
    except KeyboardInterrupt:
        print("interrupted; everything started was stopped", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
