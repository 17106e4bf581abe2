"""The progress digest of a big team: a lead's `/mentor digest` (and an admin's whole-program
digest) over a year of history, through the service and a real database.

What is measured
    For a team of N people (mentees, spread round-robin over four time zones: Seoul, Tokyo,
    London, Los Angeles) and its one lead, all stored in one workspace with a pool of mentors
    outside the team, and seeded in bulk (not timed apart from the "seed s" column):

    * 52 weekly check-ins per person, the ISO weeks ending with the week before "now" (Monday
      30 November 2026 09:00 in Seoul, the lead's zone, so the digest ends with last week):
      mostly answered with a confidence of 1-5 (a few shared with the lead, with words), some
      missed (every 17th person missed the last two weeks), a few skipped;
    * two goals per person: one shared with mentors (three milestones, statuses mixed), one
      private; every answered week records the shared goal's status and a rising progress
      (`checkin_goals`);
    * open matches: every other person accepted, every 20th a request not yet answered.

    Then `DigestService.for_viewer` builds the lead's digest (no team named: they lead exactly
    one) for 4 weeks (the default) and for the longest the service allows (`MAX_WEEKS`):
    one warm-up, then the best wall time of 5 builds, and the SQL statements of a build,
    counted with a `before_cursor_execute` listener on the engine. The whole-program digest of
    a program admin (every profile of the workspace, plus the per-team breakdown) is built once.
    The digests are checked (people, weeks, answers, matches) so a broken digest cannot show
    pretty numbers. Run at two sizes (default 50 and 500) to show the statement count does not
    grow with the team.

    The database is measured as freshly loaded: no ANALYZE after the bulk seed, so PostgreSQL
    plans without statistics, as it does for a workspace imported minutes ago (autovacuum
    analyzes within a minute or so; a longer run may see it happen). `--analyze` runs ANALYZE
    after seeding instead, for the steady state.

The goal: under 1 second for 500 people, and the same number of statements whatever the size.
A benchmark, not a test: the exit code is 0 whatever the verdict.

    .venv/bin/python bench/digest.py [--people 50 500] [--database postgresql] [--analyze]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy import Engine, event, select, text  # noqa: E402

from bench.databases import postgres_database, sqlite_database  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bench.matching import format_table  # noqa: E402
from bot.clock import FrozenClock  # noqa: E402
from bot.domain.checkins import CheckinState, SkipReason  # noqa: E402
from bot.domain.digests import DEFAULT_WEEKS, MAX_WEEKS, Digest, week_labels  # noqa: E402
from bot.domain.errors import InvalidInput  # noqa: E402
from bot.domain.goals import GoalStatus  # noqa: E402
from bot.domain.members import Member  # noqa: E402
from bot.services.deliveries import DeliveryService  # noqa: E402
from bot.services.digests import DigestService  # noqa: E402
from storage.db import create_db_engine, create_session_factory  # noqa: E402
from storage.migrate import upgrade_to_head  # noqa: E402
from storage.models import (  # noqa: E402
    CheckinGoalRow,
    CheckinRow,
    GoalMilestoneRow,
    GoalRow,
    MatchRow,
    ProfileRow,
    TeamPersonRow,
    TeamRow,
)
from storage.uow import SqlUnitOfWorkFactory  # noqa: E402
from tests.support.process import clean_env  # noqa: E402

TEAM = "TBENCH"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ZONES = ("Asia/Seoul", "Asia/Tokyo", "Europe/London", "America/Los_Angeles")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Seoul"))
"""Monday 30 November 09:00 in Seoul (ISO week 49): weeks up to 48 have ended for the lead."""
HISTORY = 52
"""Weeks of seeded check-ins, ending with the week before NOW's."""
WEEKS = (DEFAULT_WEEKS, MAX_WEEKS)
ASKED_WEEKS = 52
"""What the issue asked for; the service caps a digest at MAX_WEEKS (checked below)."""
RUNS = 5
CHUNK = 500
LEAD = "ULEAD"
ADMIN = "UADMIN"
TEAM_NAME = "Platform"


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args: Any, **_kwargs: Any) -> None:
        self.count += 1


def insert(connection: Any, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        connection.execute(table.insert(), rows[start : start + CHUNK])


def profile_row(user_id: str, role: str, zone: str, capacity: int, at: datetime) -> dict[str, Any]:
    mentor = role == "mentor"
    return {
        "team_id": TEAM,
        "user_id": user_id,
        "role": role,
        "background": "backend",
        "track": "llm-apps",
        "skills_offered": ["rag"] if mentor else [],
        "skills_wanted": [] if mentor else ["rag"],
        "move_from": None,
        "move_to": None,
        "work_start_minute": 9 * 60,
        "work_end_minute": 18 * 60,
        "timezone": zone,
        "languages": ["en"],
        "capacity": capacity,
        "intro": "",
        "org_unit": None,
        "manager_id": None,
        "opted_out": False,
        "paused_until": None,
        "checkin_weekday": None,
        "checkin_minute": None,
        "created_at": at,
        "updated_at": at,
    }


def week_bounds(label: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Friday 16:00 (due) and the next Monday 00:00 (end) of an ISO week, in the zone."""
    monday = datetime.strptime(f"{label}-1", "%G-W%V-%u").date()
    friday = monday + timedelta(days=4)
    due = datetime(friday.year, friday.month, friday.day, 16, 0, tzinfo=zone).astimezone(UTC)
    end = monday + timedelta(days=7)
    return due, datetime(end.year, end.month, end.day, tzinfo=zone).astimezone(UTC)


def checkin_state(n: int, w: int) -> str:
    """Person n, week w (0 = oldest of HISTORY)."""
    if n % 17 == 5 and w >= HISTORY - 2:
        return CheckinState.MISSED.value
    if (n + w) % 29 == 0:
        return CheckinState.SKIPPED.value
    if (7 * n + w) % 9 == 0:
        return CheckinState.MISSED.value
    return CheckinState.ANSWERED.value


def goal_status(n: int) -> str:
    if n % 31 == 0:
        return GoalStatus.DONE.value
    if n % 19 == 0:
        return GoalStatus.BLOCKED.value
    if n % 13 == 0:
        return GoalStatus.AT_RISK.value
    return GoalStatus.ON_TRACK.value


def people_ids(size: int) -> list[str]:
    return [f"U{n:07d}" for n in range(size)]


def mentor_ids(size: int) -> list[str]:
    return [f"UM{n:05d}" for n in range(max(5, size // 10))]


def seed(engine: Engine, size: int, labels: Sequence[str]) -> dict[str, int]:
    """Everything in bulk core inserts; returns counts the digests are checked against."""
    people = people_ids(size)
    mentors = mentor_ids(size)
    joined = NOW.astimezone(UTC) - timedelta(weeks=HISTORY + 2)
    zones = [ZoneInfo(ZONES[n % len(ZONES)]) for n in range(size)]
    bounds = {
        zone.key: {label: week_bounds(label, zone) for label in labels}
        for zone in {ZoneInfo(z) for z in ZONES}
    }
    expected = {"accepted": 0, "answered_last": 0, "due_last": 0}
    with engine.begin() as connection:
        insert(
            connection,
            ProfileRow.__table__,
            [
                profile_row(user_id, "mentee", zones[n].key, 0, joined)
                for n, user_id in enumerate(people)
            ]
            + [profile_row(LEAD, "mentor", "Asia/Seoul", 0, joined)]
            + [profile_row(user_id, "mentor", "Asia/Seoul", 20, joined) for user_id in mentors],
        )
        team_id = connection.execute(
            TeamRow.__table__.insert().returning(TeamRow.id),
            {
                "team_id": TEAM,
                "name": TEAM_NAME,
                "name_key": TEAM_NAME.casefold(),
                "channel_id": None,
                "created_at": joined,
                "updated_at": joined,
            },
        ).scalar_one()
        insert(
            connection,
            TeamPersonRow.__table__,
            [{"team_id": TEAM, "group_id": team_id, "user_id": LEAD, "role": "lead"}]
            + [
                {"team_id": TEAM, "group_id": team_id, "user_id": user_id, "role": "member"}
                for user_id in people
            ],
        )

        checkins = []
        for n, user_id in enumerate(people):
            for w, label in enumerate(labels):
                due, ends = bounds[zones[n].key][label]
                state = checkin_state(n, w)
                answered = state == CheckinState.ANSWERED.value
                shared = answered and (n + w) % 23 == 0
                if w == HISTORY - 1 and state != CheckinState.SKIPPED.value:
                    expected["due_last"] += 1
                    expected["answered_last"] += answered
                checkins.append(
                    {
                        "team_id": TEAM,
                        "user_id": user_id,
                        "week": label,
                        "role": "mentee",
                        "state": state,
                        "skip_reason": SkipReason.SKIPPED_BY_PERSON.value
                        if state == CheckinState.SKIPPED.value
                        else None,
                        "due_at": due,
                        "week_ends_at": ends,
                        "progress": f"Week {w + 1}: shipped the retriever step" if shared else "",
                        "blockers": "",
                        "confidence": 1 + (n + 3 * w) % 5 if answered else None,
                        "next_steps": "Evaluate it on real questions" if shared else "",
                        "share_with_mentor": True,
                        "share_with_lead": shared,
                        "answered_at": due + timedelta(hours=2 + n % 5) if answered else None,
                        "reminded_at": None,
                        "created_at": due - timedelta(days=4),
                        "updated_at": due + timedelta(hours=2),
                    }
                )
        insert(connection, CheckinRow.__table__, checkins)

        goals = [
            {
                "team_id": TEAM,
                "user_id": user_id,
                "number": number,
                "title": "Ship a RAG demo" if number == 1 else "Something just for me",
                "why": "",
                "due": None,
                "status": goal_status(n) if number == 1 else GoalStatus.ON_TRACK.value,
                "visibility": "mentor" if number == 1 else "private",
                "manual_progress": None,
                "template": None,
                "reminded_due": None,
                "remind_at": None,
                "done_at": NOW if number == 1 and goal_status(n) == "done" else None,
                "created_at": joined,
                "updated_at": joined,
            }
            for n, user_id in enumerate(people)
            for number in (1, 2)
        ]
        insert(connection, GoalRow.__table__, goals)
        shared_goal = dict(
            connection.execute(
                select(GoalRow.user_id, GoalRow.id).where(
                    GoalRow.team_id == TEAM, GoalRow.number == 1
                )
            ).all()
        )
        insert(
            connection,
            GoalMilestoneRow.__table__,
            [
                {
                    "team_id": TEAM,
                    "goal_id": shared_goal[user_id],
                    "position": position,
                    "title": f"Step {position + 1}",
                    "due": None,
                    "done": position < n % 4,
                    "done_at": joined if position < n % 4 else None,
                }
                for n, user_id in enumerate(people)
                for position in range(3)
            ],
        )
        week_number = {label: w for w, label in enumerate(labels)}
        person_number = {user_id: n for n, user_id in enumerate(people)}
        answered_rows = connection.execute(
            select(CheckinRow.id, CheckinRow.user_id, CheckinRow.week, CheckinRow.answered_at)
            .where(CheckinRow.team_id == TEAM, CheckinRow.state == CheckinState.ANSWERED.value)
            .order_by(CheckinRow.id)
        ).all()
        insert(
            connection,
            CheckinGoalRow.__table__,
            [
                {
                    "team_id": TEAM,
                    "checkin_id": checkin_id,
                    "goal_id": shared_goal[user_id],
                    "status": goal_status(person_number[user_id])
                    if week_number[week] >= HISTORY - 4
                    else GoalStatus.ON_TRACK.value,
                    "progress": min(100, round(100 * (week_number[week] + 1) / HISTORY)),
                    "at": answered_at,
                }
                for checkin_id, user_id, week, answered_at in answered_rows
            ],
        )

        matches = []
        for n, user_id in enumerate(people):
            if n % 2 == 0:
                state = "accepted"
                expected["accepted"] += 1
            elif n % 20 == 1:
                state = "requested"
            else:
                continue
            since = joined + timedelta(days=n % 30)
            matches.append(
                {
                    "team_id": TEAM,
                    "mentor_id": mentors[n % len(mentors)],
                    "mentee_id": user_id,
                    "state": state,
                    "source": "self_serve",
                    "score": 70,
                    "reasons": ["skills"],
                    "round_id": None,
                    "expires_at": since + timedelta(hours=72) if state == "requested" else None,
                    "note": None,
                    "created_at": since,
                    "updated_at": since,
                }
            )
        insert(connection, MatchRow.__table__, matches)
    expected["mentors"] = len(mentors)
    return expected


def timed(build: Callable[[], Digest], counter: StatementCounter) -> tuple[float, int, Digest]:
    before = counter.count
    started = time.perf_counter()
    digest = build()
    return time.perf_counter() - started, counter.count - before, digest


def best_of(
    build: Callable[[], Digest], counter: StatementCounter
) -> tuple[float, set[int], Digest]:
    _, count, digest = timed(build, counter)  # warm-up
    seconds, counts = [], {count}
    for _ in range(RUNS):
        elapsed, count, digest = timed(build, counter)
        seconds.append(elapsed)
        counts.add(count)
    return min(seconds), counts, digest


def check_team(
    digest: Digest, size: int, weeks: int, labels: Sequence[str], expected: dict[str, int]
) -> None:
    assert digest.title == TEAM_NAME, digest.title
    assert digest.people == size, (digest.people, size)
    assert len(digest.per_person) == size, len(digest.per_person)
    assert [w.week for w in digest.weeks] == list(labels[-weeks:]), digest.weeks
    last = digest.weeks[-1]
    assert (last.expected, last.answered) == (expected["due_last"], expected["answered_last"]), (
        last,
        expected,
    )
    assert all(0 < w.answered <= w.expected for w in digest.weeks), digest.weeks
    assert all(len(p.states) == weeks for p in digest.per_person)
    assert digest.active_matches == expected["accepted"], digest.active_matches
    assert sum(digest.goal_counts.values()) == size, digest.goal_counts
    assert digest.attention, "nobody needs attention: the seed lost its missed weeks"
    assert digest.average_confidence is not None


def run(url: str, size: int, analyze: bool) -> list[tuple[str, ...]]:
    engine = create_db_engine(url)
    upgrade_to_head(engine)
    labels = week_labels(NOW.date() - timedelta(weeks=1), HISTORY)
    started = time.perf_counter()
    expected = seed(engine, size, labels)
    if analyze:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    seeded = time.perf_counter() - started

    clock = FrozenClock(NOW.astimezone(UTC))
    uow = SqlUnitOfWorkFactory(create_session_factory(engine), clock)
    service = DigestService(uow, DeliveryService(uow, clock), clock)
    lead = Member(team_id=TEAM, user_id=LEAD)
    admin = Member(team_id=TEAM, user_id=ADMIN, is_admin=True)
    counter = StatementCounter()
    event.listen(engine, "before_cursor_execute", counter)
    rows = []
    try:
        for weeks in WEEKS:
            seconds, counts, digest = best_of(
                lambda weeks=weeks: service.for_viewer(lead, None, weeks), counter
            )
            check_team(digest, size, weeks, labels, expected)
            statements = str(counts.pop()) if len(counts) == 1 else f"varies: {sorted(counts)}"
            rows.append(
                (
                    f"{size:,}",
                    "lead's team",
                    str(weeks),
                    f"{seconds * 1000:.0f}",
                    statements,
                    f"{seeded:.1f}",
                )
            )
        try:
            service.for_viewer(lead, None, ASKED_WEEKS)
        except InvalidInput:
            pass
        else:
            raise AssertionError(f"{ASKED_WEEKS} weeks accepted, MAX_WEEKS is {MAX_WEEKS}")

        seconds, statements, digest = timed(
            lambda: service.for_viewer(admin, None, DEFAULT_WEEKS), counter
        )
        everyone = size + 1 + expected["mentors"]
        assert digest.title == "" and digest.people == everyone, (digest.people, everyone)
        assert [(g.name, g.people) for g in digest.groups] == [(TEAM_NAME, size)], digest.groups
        assert [w.week for w in digest.weeks] == list(labels[-DEFAULT_WEEKS:])
        rows.append(
            (
                f"{size:,}",
                f"program ({everyone:,}), admin",
                str(DEFAULT_WEEKS),
                f"{seconds * 1000:.0f} (1 run)",
                str(statements),
                f"{seeded:.1f}",
            )
        )
    finally:
        event.remove(engine, "before_cursor_execute", counter)
        engine.dispose()
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[50, 500])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--analyze", action="store_true", help="ANALYZE after seeding (planner statistics)"
    )
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
                rows += run(url, people, args.analyze)
    print(machine_line(args.database))
    print(
        f"{HISTORY} weeks of check-ins and goals per person, {len(ZONES)} time zones, now = "
        f"{NOW:%Y-%m-%d %H:%M} {NOW.tzinfo}; planner statistics: "
        f"{'ANALYZE after seeding' if args.analyze else 'none (no ANALYZE after seeding)'}; "
        f"build = DigestService.for_viewer, best of {RUNS} "
        f"after a warm-up; {ASKED_WEEKS} weeks is refused by the service (MAX_WEEKS = "
        f"{MAX_WEEKS}), so the longest digest is {MAX_WEEKS} weeks"
    )
    header = ("people", "digest", "weeks", f"build ms (best of {RUNS})", "SQL statements", "seed s")
    print(format_table([header, *rows]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
