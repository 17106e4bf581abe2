"""A digest as CSV: the same numbers as the message, one row per person, then the weekly
response rate and goal progress - read back with csv.reader cell by cell."""

from __future__ import annotations

import csv
import io

from bot.digest_csv import write_digest
from bot.domain.checkins import CheckinState
from bot.domain.digests import (
    Attention,
    AttentionReason,
    Digest,
    Highlight,
    PersonLine,
    WeekPoint,
)
from bot.domain.goals import GoalStatus

A, M, P, S = (
    CheckinState.ANSWERED,
    CheckinState.MISSED,
    CheckinState.PENDING,
    CheckinState.SKIPPED,
)
DIGEST = Digest(
    title="Data Science",
    weeks=(
        WeekPoint("2026-W45", expected=8, answered=6, goal_progress=40),
        WeekPoint("2026-W46", expected=0, answered=0, goal_progress=None),
        WeekPoint("2026-W47", expected=3, answered=2, goal_progress=50),
    ),
    people=3,
    active_matches=2,
    goal_counts={GoalStatus.ON_TRACK: 1, GoalStatus.BLOCKED: 1},
    attention=(Attention("UB2", AttentionReason.MISSED_CHECKINS, "2"),),
    per_person=(
        PersonLine("UA1", 2, A, 2, 60, GoalStatus.AT_RISK, 4, (A, S, A)),
        PersonLine("UB2", 0, M, 1, 0, GoalStatus.BLOCKED, None, (M, None, M)),
        PersonLine("UC3", 0, P, 0, None, None, None, (None, None, P)),
    ),
    highlights=(Highlight("UA1", "2026-W47", "words stay out of the CSV"),),
)


def written(digest: Digest) -> str:
    buffer = io.StringIO()
    write_digest(buffer, digest)
    return buffer.getvalue()


def rows(digest: Digest) -> list[list[str]]:
    return list(csv.reader(io.StringIO(written(digest))))


def test_the_csv_has_a_header_a_row_per_person_and_the_weekly_rows():
    assert rows(DIGEST) == [
        [
            "person",
            "2026-W45",
            "2026-W46",
            "2026-W47",
            "answered_streak",
            "goals",
            "goal_progress",
            "goal_status",
            "confidence",
        ],
        ["UA1", "answered", "skipped", "answered", "2", "2", "60", "at-risk", "4"],
        ["UB2", "missed", "", "missed", "0", "1", "0", "blocked", ""],
        ["UC3", "", "", "pending", "0", "0", "", "", ""],
        ["all", "75%", "", "67%", "", "", "", "", ""],
        ["goal_progress", "40", "", "50", "", "", "", "", ""],
    ]


def test_lines_end_with_a_plain_newline_and_no_words_are_written():
    text = written(DIGEST)
    assert "\r" not in text
    assert text.endswith("\n")
    assert text.count("\n") == 6
    assert "words stay out" not in text and "Data Science" not in text


def test_a_person_without_states_gets_empty_week_cells():
    digest = Digest(
        title="",
        weeks=DIGEST.weeks,
        people=1,
        active_matches=0,
        goal_counts={},
        attention=(),
        per_person=(PersonLine("UD4", 1, A, 1, 100, GoalStatus.ON_TRACK, 5),),
        highlights=(),
    )
    assert rows(digest)[1] == ["UD4", "", "", "", "1", "1", "100", "on-track", "5"]


def test_an_empty_digest_writes_the_header_and_the_two_weekly_rows():
    empty = Digest(
        title="New team",
        weeks=(WeekPoint("2026-W47", 0, 0, None),),
        people=0,
        active_matches=0,
        goal_counts={},
        attention=(),
        per_person=(),
        highlights=(),
    )
    assert rows(empty) == [
        [
            "person",
            "2026-W47",
            "answered_streak",
            "goals",
            "goal_progress",
            "goal_status",
            "confidence",
        ],
        ["all", "", "", "", "", "", ""],
        ["goal_progress", "", "", "", "", "", ""],
    ]
