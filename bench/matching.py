"""Matching at scale: the score matrix, the exact optimal assignment, and the greedy baseline.

What is measured
    For a generated program of N mentees and M mentors (realistic mixes of time zones, working
    hours, languages, backgrounds, tracks, skills, capacities 1-5, org units, managers and a few
    recent pairs):

    * score matrix - building the `MatchPool` from the profiles and computing `score_matrix()`;
    * optimal - `solve_assignment` (min cost flow with column generation, matches first);
    * greedy - `greedy_assignment`, the baseline.

    Each step runs in a fresh subprocess, so its peak resident memory (ru_maxrss, which includes
    the interpreter, numpy and OR-Tools and, for the solvers, the loaded score matrix) is its own.
    Time is the wall time of the step itself (`time.perf_counter`), not of the start-up.

The goal: the exact optimum for 10,000 x 2,000 in under 10 s and 2 GB. A benchmark, not a test:
the exit code is 0 whatever the verdict.

    .venv/bin/python bench/matching.py [--mentees 10000 --mentors 2000 --seed 1 --date 2026-07-01]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.machine import machine_line  # noqa: E402
from bot.domain.matching.scoring import MatchPool, MatchWeights  # noqa: E402
from bot.domain.matching.solver import (  # noqa: E402
    greedy_assignment,
    solve_assignment,
    total_score,
)
from bot.domain.profiles import SKILLS, Profile, ProgramRole, WorkingHours  # noqa: E402

GOAL_SECONDS = 10.0
GOAL_MIB = 2048

ZONES_MENTEES = {"Asia/Seoul": 80, "Asia/Tokyo": 8, "America/Los_Angeles": 7, "Europe/London": 5}
ZONES_MENTORS = {"Asia/Seoul": 70, "Asia/Tokyo": 10, "America/Los_Angeles": 12, "Europe/London": 8}
HOURS = {
    ("09:00", "18:00"): 58,
    ("10:00", "19:00"): 15,
    ("08:00", "17:00"): 10,
    ("07:00", "16:00"): 4,
    ("13:00", "22:00"): 5,
    ("19:00", "23:00"): 5,  # evenings only
    ("22:00", "06:00"): 3,  # overnight
}
LANGUAGES = {
    "Asia/Seoul": {("ko",): 50, ("ko", "en"): 45, ("en",): 5},
    "Asia/Tokyo": {("ja", "en"): 50, ("ja", "ko", "en"): 20, ("en",): 30},
    "America/Los_Angeles": {("en",): 60, ("ko", "en"): 40},
    "Europe/London": {("en",): 70, ("ko", "en"): 30},
}
MENTEE_BACKGROUNDS = {
    "backend": 35,
    "frontend": 15,
    "data-engineer": 10,
    "devops": 8,
    "student": 12,
    "data-scientist": 8,
    "ml-engineer": 7,
    "other": 5,
}
MENTOR_BACKGROUNDS = {
    "ml-engineer": 35,
    "ml-researcher": 20,
    "data-scientist": 20,
    "backend": 10,
    "data-engineer": 8,
    "devops": 7,
}
TRACKS = {
    "llm-apps": 35,
    "mlops": 15,
    "nlp": 12,
    "data-science": 12,
    "computer-vision": 10,
    "recsys": 8,
    "ai-research": 8,
}
CAPACITIES = {1: 30, 2: 30, 3: 20, 4: 10, 5: 10}
FREE_SKILLS = [f"free skill {k}" for k in range(120)]  # with SKILLS: several 64-bit words


def pick(rng: random.Random, weighted: dict) -> object:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def minute(text: str) -> int:
    hh, mm = text.split(":")
    return int(hh) * 60 + int(mm)


def skills(rng: random.Random) -> frozenset[str]:
    chosen = set(rng.sample(list(SKILLS), rng.randint(2, 6)))
    if rng.random() < 0.1:
        chosen.add(rng.choice(FREE_SKILLS))
    return frozenset(chosen)


def person(rng: random.Random, user_id: str, *, is_mentor: bool, managers: list[str]) -> Profile:
    zone = str(pick(rng, ZONES_MENTORS if is_mentor else ZONES_MENTEES))
    start, end = pick(rng, HOURS)  # type: ignore[misc]
    shift = rng.choice([0, 0, 0, 30, -30])
    background = str(pick(rng, MENTOR_BACKGROUNDS if is_mentor else MENTEE_BACKGROUNDS))
    track = str(pick(rng, TRACKS))
    moving = rng.random() < (0.4 if is_mentor else 0.6)
    return Profile(
        team_id="T1",
        user_id=user_id,
        role=ProgramRole.MENTOR if is_mentor else ProgramRole.MENTEE,
        background=background,
        track=track,
        skills_offered=skills(rng) if is_mentor else frozenset(),
        skills_wanted=frozenset() if is_mentor else skills(rng),
        move_from=rng.choice(["backend", "frontend", "data-engineer"]) if moving else None,
        move_to=str(pick(rng, TRACKS)) if moving else None,
        working_hours=WorkingHours(
            (minute(start) + shift) % 1440,
            (minute(end) + shift) % 1440,
        ),
        timezone=zone,
        languages=frozenset(pick(rng, LANGUAGES[zone])),  # type: ignore[arg-type]
        capacity=int(pick(rng, CAPACITIES)) if is_mentor else 0,  # type: ignore[call-overload]
        org_unit=f"org-{rng.randrange(80)}",
        manager_id=rng.choice(managers),
    )


def generate(mentees: int, mentors: int, seed: int) -> tuple[list, list, list, frozenset]:
    rng = random.Random(seed)
    mentor_ids = [f"M{k:05d}" for k in range(mentors)]
    managers = [f"B{k:04d}" for k in range(max(1, mentees // 8))] + mentor_ids[: mentors // 10]
    mentor_profiles = [person(rng, uid, is_mentor=True, managers=managers) for uid in mentor_ids]
    both = mentor_ids[: mentors // 50]  # a few people are mentor and mentee at once
    mentee_ids = both + [f"E{k:05d}" for k in range(mentees - len(both))]
    mentee_profiles = [person(rng, uid, is_mentor=False, managers=managers) for uid in mentee_ids]
    recent = frozenset(
        (rng.choice(mentor_ids), rng.choice(mentee_ids)) for _ in range(max(1, mentees // 20))
    )
    capacities = [p.capacity for p in mentor_profiles]
    return mentor_profiles, mentee_profiles, capacities, recent


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- the steps, each run in its own subprocess ----------------------------------------------


def step_matrix(args: argparse.Namespace, workdir: Path) -> dict:
    mentors, mentees, capacities, recent = generate(args.mentees, args.mentors, args.seed)
    on = date.fromisoformat(args.date)
    started = time.perf_counter()
    pool = MatchPool(mentors, mentees, capacities, MatchWeights(), on, recent)
    built = time.perf_counter()
    scores = pool.score_matrix()
    finished = time.perf_counter()
    np.save(workdir / "scores.npy", scores)
    np.save(workdir / "capacities.npy", pool.capacities)
    no_mentor = np.flatnonzero(~(scores >= 0).any(axis=1))
    reasons = Counter(str(pool.exclusion_summary(int(i))) for i in no_mentor[:500])
    return {
        "seconds": finished - started,
        "encode_seconds": built - started,
        "peak_mib": peak_mib(),
        "allowed_pairs": int((scores >= 0).sum()),
        "pairs": int(scores.size),
        "capacity": int(pool.capacities.sum()),
        "no_allowed_mentor": int(no_mentor.size),
        "no_mentor_reasons": dict(reasons.most_common()),
    }


def step_solver(args: argparse.Namespace, workdir: Path) -> dict:
    scores = np.load(workdir / "scores.npy")
    capacities = np.load(workdir / "capacities.npy")
    loaded_mib = peak_mib()
    started = time.perf_counter()
    extra = {}
    if args.step == "optimal":
        result = solve_assignment(scores, capacities, maximize_matches_first=True)
        assignment = result.assignment
        extra = {"rounds": result.rounds, "arcs": result.arcs}
    else:
        assignment = greedy_assignment(scores, capacities)
    seconds = time.perf_counter() - started
    matched = int((assignment >= 0).sum())
    total = total_score(scores, assignment)
    loads = np.bincount(assignment[assignment >= 0], minlength=capacities.size)
    assert (loads <= capacities).all()
    return {
        "seconds": seconds,
        "peak_mib": peak_mib(),
        "loaded_mib": loaded_mib,
        "matched": matched,
        "total": total,
        **extra,
    }


def run_step(step: str, args: argparse.Namespace, workdir: Path) -> dict:
    command = [
        sys.executable,
        __file__,
        "--step",
        step,
        "--workdir",
        str(workdir),
        "--mentees",
        str(args.mentees),
        "--mentors",
        str(args.mentors),
        "--seed",
        str(args.seed),
        "--date",
        args.date,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"step {step} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the report -------------------------------------------------------------------------------


def format_table(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if column == 0 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    )


def report(args: argparse.Namespace, matrix: dict, optimal: dict, greedy: dict) -> None:
    print(machine_line("none"))
    print(
        f"{args.mentees} mentees x {args.mentors} mentors (seed {args.seed}, day {args.date}): "
        f"{matrix['allowed_pairs']:,} of {matrix['pairs']:,} pairs allowed "
        f"({matrix['allowed_pairs'] / max(matrix['pairs'], 1):.0%}), "
        f"total mentor capacity {matrix['capacity']:,}"
    )
    print(
        f"mentees with no allowed mentor: {matrix['no_allowed_mentor']} "
        f"(most common reason, up to 500 looked at: {matrix['no_mentor_reasons'] or '-'})"
    )
    print()
    header = ("step", "time s", "peak MiB", "matched", "total score", "mean/match")
    rows = [header]
    rows.append(
        (
            "score matrix",
            f"{matrix['seconds']:.2f}",
            f"{matrix['peak_mib']:.0f}",
            "",
            "",
            "",
        )
    )
    for name, result in (("optimal", optimal), ("greedy", greedy)):
        rows.append(
            (
                name,
                f"{result['seconds']:.2f}",
                f"{result['peak_mib']:.0f}",
                f"{result['matched']:,}",
                f"{result['total']:,}",
                f"{result['total'] / max(result['matched'], 1):.1f}",
            )
        )
    print(format_table(rows))
    print()
    print(
        f"score matrix: encoding the profiles took {matrix['encode_seconds']:.2f} s of it; "
        f"solver peaks include ~{optimal['loaded_mib']:.0f} MiB for the interpreter, libraries "
        "and the loaded matrix"
    )
    print(
        f"optimal: {optimal['rounds']} min cost flow round(s), {optimal['arcs']:,} mentee-mentor "
        f"arcs in the last network; {optimal['matched'] - greedy['matched']:+,} matches and "
        f"{optimal['total'] - greedy['total']:+,} score against greedy"
    )
    seconds = matrix["seconds"] + optimal["seconds"]
    peak = max(matrix["peak_mib"], optimal["peak_mib"])
    verdict = "met" if seconds < GOAL_SECONDS and peak < GOAL_MIB else "NOT met"
    print(
        f"goal (exact optimum < {GOAL_SECONDS:.0f} s and < {GOAL_MIB} MiB): {verdict} "
        f"- matrix + optimal {seconds:.2f} s, peak {peak:.0f} MiB"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=10_000)
    parser.add_argument("--mentors", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--date", default=date.today().isoformat(), help="reference day for working hours"
    )
    parser.add_argument("--step", choices=["matrix", "optimal", "greedy"], help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.step == "matrix":
        print(json.dumps(step_matrix(args, args.workdir)))
        return 0
    if args.step:
        print(json.dumps(step_solver(args, args.workdir)))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-matching-") as workdir:
        matrix = run_step("matrix", args, Path(workdir))
        optimal = run_step("optimal", args, Path(workdir))
        greedy = run_step("greedy", args, Path(workdir))
    report(args, matrix, optimal, greedy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
