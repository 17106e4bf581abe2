"""A digest as CSV (`/mentor digest ... csv`): the same numbers as the message, for a spreadsheet.

Machine-readable, so never translated: states and goal statuses are their stored values.

Columns: `person`, one per week of the digest (oldest first, headed by its label: that week's
check-in state, empty without one), then `answered_streak`, `goals`, `goal_progress`,
`goal_status` (the most worrying among their shared goals in progress) and `confidence`.
One row per person, then the row `all` (each week's response rate, `NN%`, empty when no
check-in was due) and the row `goal_progress` (each week's average goal progress). Those two
rows fill only the week columns; the rest of their cells are empty.
"""

from __future__ import annotations

import csv
from typing import TextIO

from bot.domain.digests import Digest

PERSON = "person"
PERSON_COLUMNS = ("answered_streak", "goals", "goal_progress", "goal_status", "confidence")
ALL_ROW = "all"
GOAL_PROGRESS_ROW = "goal_progress"


def write_digest(csv_file: TextIO, digest: Digest) -> None:
    writer = csv.writer(csv_file, lineterminator="\n")
    weeks = [point.week for point in digest.weeks]
    writer.writerow([PERSON, *weeks, *PERSON_COLUMNS])
    for line in digest.per_person:
        states = [state.value if state else "" for state in line.states[: len(weeks)]]
        states += [""] * (len(weeks) - len(states))
        writer.writerow(
            [
                line.user_id,
                *states,
                line.answered_streak,
                line.goals,
                _cell(line.goal_progress),
                line.worst_status.value if line.worst_status else "",
                _cell(line.confidence),
            ]
        )
    rest = [""] * len(PERSON_COLUMNS)
    writer.writerow(
        [
            ALL_ROW,
            *(
                "" if point.response_rate is None else f"{point.response_rate}%"
                for point in digest.weeks
            ),
            *rest,
        ]
    )
    writer.writerow(
        [GOAL_PROGRESS_ROW, *(_cell(point.goal_progress) for point in digest.weeks), *rest]
    )


def _cell(value: int | None) -> int | str:
    return "" if value is None else value
