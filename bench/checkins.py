"""The weekly check-in run: one local week of scheduler ticks for N people spread over time
zones, through the service and a real database.

What is measured
    For N people (mentees, with some unmatched mentors, paused and opted-out people mixed in)
    stored as profiles in one workspace, spread round-robin over twelve time zones (Seoul,
    Tokyo, Kolkata, Berlin, London, New York, Chicago, Los Angeles, Sydney, Sao Paulo,
    Auckland, UTC), the three check-in jobs of every hourly tick of one week (`queue_due`,
    `remind_due`, `close_weeks`, as `TickService` runs them) and the goals' week-ahead
    reminder job. Every mentee has two goals in progress with three milestones each (they ride
    on her prompt as one-tap status rows); one is due on 3 December, so its reminder falls on
    26 November 09:00 in her zone, inside the week:

    * wall time of the whole week, and of the busiest tick;
    * check-ins created (pending + skipped), prompts and reminders queued, weeks closed;
    * SQL statements per tick, counted with a `before_cursor_execute` listener on the engine:
      the minimum (an idle tick), the maximum, and the statements per job of the busiest tick.
      Run at two sizes (default 1,000 and 10,000) to show the count does not grow with the
      number of people (no N+1): the only growth allowed is one INSERT per 500 rows.

    .venv/bin/python bench/checkins.py [--people 1000 10000] [--database postgresql]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy import event, func, select  # noqa: E402

from bench.databases import postgres_database, sqlite_database  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bench.matching import format_table  # noqa: E402
from bot.clock import FrozenClock  # noqa: E402
from bot.domain.checkins import CheckinSchedule  # noqa: E402
from bot.domain.goals import reminder_time  # noqa: E402
from bot.domain.profiles import Profile, ProgramRole  # noqa: E402
from bot.services.checkins import CheckinService  # noqa: E402
from bot.services.deliveries import DeliveryService  # noqa: E402
from bot.services.goals import GoalService  # noqa: E402
from storage.db import create_db_engine, create_session_factory  # noqa: E402
from storage.migrate import upgrade_to_head  # noqa: E402
from storage.models import CheckinRow, DeliveryRow, GoalMilestoneRow, GoalRow  # noqa: E402
from storage.uow import SqlUnitOfWorkFactory  # noqa: E402
from tests.support.process import clean_env  # noqa: E402

TEAM = "TBENCH"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ZONES = (
    "Asia/Seoul",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Pacific/Auckland",
    "UTC",
)
WEEK_START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
"""Monday 23 November 12:00 UTC: Monday of ISO week 48 in every zone above."""
TICKS = 24 * 7 + 1
"""Hourly, up to Monday 30 November 12:00 UTC: every zone's Friday 16:00, its 48-hour
reminder and the end of its week all fall inside."""
JOBS = ("checkins", "checkin-reminders", "missed-checkins", "goal-reminders")
GOAL_DUE = date(2026, 12, 3)


def profiles(people: int) -> list[Profile]:
    """Mostly mentees; every 10th an unmatched mentor (skipped: not matched), every 20th paused,
    every 50th opted out."""
    found = []
    for n in range(people):
        mentor = n % 10 == 9
        found.append(
            Profile(
                team_id=TEAM,
                user_id=f"U{n:07d}",
                role=ProgramRole.MENTOR if mentor else ProgramRole.MENTEE,
                background="backend",
                track="llm-apps",
                skills_wanted=frozenset() if mentor else frozenset({"rag"}),
                skills_offered=frozenset({"rag"}) if mentor else frozenset(),
                timezone=ZONES[n % len(ZONES)],
                languages=frozenset({"en"}),
                capacity=1 if mentor else 0,
                paused_until=date(2026, 12, 31) if n % 20 == 3 else None,
                opted_out=n % 50 == 7,
            )
        )
    return found


def seed_goals(engine: Any, mentees: Sequence[Profile]) -> None:
    """Two goals per mentee, three milestones each, inserted in bulk (seeding is not timed
    apart from the profiles')."""
    created = WEEK_START - timedelta(days=30)
    goal_rows = [
        {
            "team_id": TEAM,
            "user_id": mentee.user_id,
            "number": number,
            "title": title,
            "why": "",
            "due": GOAL_DUE if number == 1 else None,
            "remind_at": reminder_time(GOAL_DUE, ZoneInfo(mentee.timezone))
            if number == 1
            else None,
            "status": "on-track",
            "visibility": "mentor",
            "created_at": created,
            "updated_at": created,
        }
        for mentee in mentees
        for number, title in ((1, "Ship a RAG demo"), (2, "Build one sharp strength"))
    ]
    with engine.begin() as connection:
        for start in range(0, len(goal_rows), 500):
            connection.execute(GoalRow.__table__.insert(), goal_rows[start : start + 500])
        ids = list(connection.execute(select(GoalRow.id)).scalars())
        milestones = [
            {
                "team_id": TEAM,
                "goal_id": goal_id,
                "position": n,
                "title": f"Step {n + 1}",
                "done": n == 0,
            }
            for goal_id in ids
            for n in range(3)
        ]
        for start in range(0, len(milestones), 500):
            connection.execute(GoalMilestoneRow.__table__.insert(), milestones[start : start + 500])


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args: Any, **_kwargs: Any) -> None:
        self.count += 1


def run(url: str, people: int) -> dict[str, Any]:
    engine = create_db_engine(url)
    upgrade_to_head(engine)
    clock = FrozenClock(WEEK_START)
    uow = SqlUnitOfWorkFactory(create_session_factory(engine), clock)
    started = time.perf_counter()
    seeded_profiles = profiles(people)
    with uow() as unit:
        for profile in seeded_profiles:
            unit.profiles.upsert(profile, clock.now())
        unit.commit()
    seed_goals(engine, [p for p in seeded_profiles if p.is_mentee])
    seeded = time.perf_counter() - started

    deliveries = DeliveryService(uow, clock)
    service = CheckinService(uow, deliveries, clock, CheckinSchedule())
    goals = GoalService(uow, deliveries, clock)
    jobs = {
        "checkins": service.queue_due,
        "checkin-reminders": service.remind_due,
        "missed-checkins": service.close_weeks,
        "goal-reminders": goals.remind_due,
    }
    counter = StatementCounter()
    event.listen(engine, "before_cursor_execute", counter)
    per_tick: list[tuple[int, float, dict[str, int], dict[str, int]]] = []
    done: Counter[str] = Counter()
    job_seconds: Counter[str] = Counter()
    week_started = time.perf_counter()
    for hour in range(TICKS):
        at = WEEK_START + timedelta(hours=hour)
        clock = FrozenClock(at)
        service._clock = goals._clock = clock  # the tick's instant, as `tick --at` sees it
        statements: dict[str, int] = {}
        results: dict[str, int] = {}
        tick_started = time.perf_counter()
        for name, job in jobs.items():
            before = counter.count
            job_started = time.perf_counter()
            results[name] = job(at)
            job_seconds[name] += time.perf_counter() - job_started
            statements[name] = counter.count - before
        elapsed = time.perf_counter() - tick_started
        done.update(results)
        per_tick.append((sum(statements.values()), elapsed, statements, results))
    week = time.perf_counter() - week_started
    event.remove(engine, "before_cursor_execute", counter)

    with engine.connect() as connection:
        checkins_by_state = dict(
            connection.execute(
                select(CheckinRow.state, func.count()).group_by(CheckinRow.state)
            ).all()
        )
        deliveries_by_kind = dict(
            connection.execute(
                select(DeliveryRow.kind, func.count()).group_by(DeliveryRow.kind)
            ).all()
        )
    engine.dispose()
    busiest = max(per_tick, key=lambda t: t[0])
    job_max = {j: max(t[2][j] for t in per_tick) for j in JOBS}
    rows_max = {j: max(t[3][j] for t in per_tick) for j in JOBS}
    slowest = max(per_tick, key=lambda t: t[1])
    return {
        "people": people,
        "job_seconds": job_seconds,
        "seeded": seeded,
        "week": week,
        "slowest": slowest[1],
        "min": min(t[0] for t in per_tick),
        "max": busiest[0],
        "job_max": job_max,
        "rows_max": rows_max,
        "median": sorted(t[0] for t in per_tick)[len(per_tick) // 2],
        "done": done,
        "states": checkins_by_state,
        "kinds": deliveries_by_kind,
    }


def rows_for(result: dict[str, Any]) -> list[tuple[str, ...]]:
    job_max = result["job_max"]
    rows_max = result["rows_max"]
    states = result["states"]
    kinds = result["kinds"]
    return [
        (
            f"{result['people']:,}",
            f"{result['seeded']:.1f}",
            f"{result['week']:.1f}",
            f"{result['slowest']:.2f}",
            f"{sum(states.values()):,} ({states.get('skipped', 0):,} skipped)",
            f"{kinds.get('checkin_prompt', 0):,} / {kinds.get('checkin_reminder', 0):,}",
            f"{kinds.get('goal_due_soon', 0):,}",
            f"{states.get('missed', 0):,}",
            f"{result['min']} / {result['median']} / {result['max']}",
            " / ".join(f"{job_max[j]} ({rows_max[j]:,})" for j in JOBS),
            " / ".join(f"{result['job_seconds'][j]:.1f}" for j in JOBS),
        )
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args(argv)
    rows: list[tuple[str, ...]] = []
    for people in args.people:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            if args.database == "sqlite":
                database = sqlite_database(workdir)
            else:
                admin_url = os.environ.get("MENTOR_BOT_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
                database = postgres_database(admin_url, clean_env(), workdir)
            with database as url:
                rows += rows_for(run(url, people))
    print(machine_line(args.database))
    print(
        f"one local week = {TICKS} hourly ticks from {WEEK_START:%Y-%m-%d %H:%M} UTC, "
        f"{len(ZONES)} time zones; SQL statements counted per tick (all four jobs)"
    )
    header = (
        "people",
        "seed s",
        "week s",
        "worst tick s",
        "check-ins",
        "prompts / reminders",
        "goal reminders",
        "missed",
        "stmts/tick min/med/max",
        "max stmts (max rows) per tick: queue / remind / close / goals",
        "s per job over the week: queue / remind / close / goals",
    )
    print(format_table([header, *rows]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
