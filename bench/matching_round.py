"""A whole matching round through the service and a real database: what an admin waits for.

Seeds the generated program of `bench/matching.py` as stored profiles, then times
`MatchingService.run_round` (load the pool, score, solve, explain, store the preview) and
`approve_round` (one request and two queued DMs per pair, in one transaction).

    .venv/bin/python bench/matching_round.py [--mentees N --mentors M] [--database postgresql]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.databases import postgres_database, sqlite_database  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bench.matching import format_table, generate  # noqa: E402
from bot.clock import FrozenClock  # noqa: E402
from bot.domain.matching.scoring import MatchWeights  # noqa: E402
from bot.domain.members import Member  # noqa: E402
from bot.services.deliveries import DeliveryService  # noqa: E402
from bot.services.matching import MatchingService  # noqa: E402
from storage.db import create_db_engine, create_session_factory  # noqa: E402
from storage.migrate import upgrade_to_head  # noqa: E402
from storage.uow import SqlUnitOfWorkFactory  # noqa: E402
from tests.support.process import clean_env  # noqa: E402

TEAM = "TBENCH"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def run(url: str, mentees: int, mentors: int, seed: int) -> list[tuple[str, ...]]:
    engine = create_db_engine(url)
    upgrade_to_head(engine)
    clock = FrozenClock(datetime(2026, 11, 27, 3, tzinfo=UTC))
    uow = SqlUnitOfWorkFactory(create_session_factory(engine), clock)
    mentor_profiles, mentee_profiles, _capacities, _recent = generate(mentees, mentors, seed)
    started = time.perf_counter()
    with uow() as unit:
        for profile in {p.user_id: p for p in [*mentor_profiles, *mentee_profiles]}.values():
            unit.profiles.upsert(replace(profile, team_id=TEAM), clock.now())
        unit.commit()
    seeded = time.perf_counter() - started

    service = MatchingService(uow, DeliveryService(uow, clock), clock, MatchWeights())
    admin = Member(team_id=TEAM, user_id="UADMIN", is_admin=True)
    started = time.perf_counter()
    preview = service.run_round(admin)
    solved = time.perf_counter() - started
    started = time.perf_counter()
    asked = service.approve_round(admin, preview.round.id)
    approved = time.perf_counter() - started
    engine.dispose()
    return [
        ("seed profiles", f"{seeded:.1f}", f"{mentees + mentors:,} profiles"),
        (
            "run_round",
            f"{solved:.1f}",
            f"{len(preview.pairs):,} pairs, {len(preview.round.unmatched):,} unmatched",
        ),
        ("approve_round", f"{approved:.1f}", f"{asked:,} requests, {2 * asked:,} DMs queued"),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=10_000)
    parser.add_argument("--mentors", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.database == "sqlite":
            database = sqlite_database(workdir)
        else:
            admin_url = os.environ.get("MENTOR_BOT_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
            database = postgres_database(admin_url, clean_env(), workdir)
        with database as url:
            rows = run(url, args.mentees, args.mentors, args.seed)
    print(machine_line(args.database))
    print(format_table([("step", "time s", "what"), *rows]))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the whole run: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
