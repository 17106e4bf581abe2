"""Check-in rules: weeks, streaks, answers and a person's own check-in time."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.checkins import (
    CheckinState,
    missed_streak,
    parse_answer,
    parse_checkin_time,
    week_end,
)
from bot.domain.errors import InvalidInput

M, A, S = CheckinState.MISSED, CheckinState.ANSWERED, CheckinState.SKIPPED


@pytest.mark.parametrize(
    ("states", "streak"),
    [([], 0), ([A, M], 0), ([M, A, M], 1), ([M, M, A], 2), ([M, S, M, M], 3), ([S, S], 0)],
)
def test_missed_streak_counts_back_from_the_newest_and_ignores_skipped_weeks(states, streak):
    assert missed_streak(states) == streak


def test_a_week_ends_at_local_monday_midnight():
    friday = datetime(2026, 11, 27, 7, tzinfo=UTC)
    assert week_end(friday, ZoneInfo("Asia/Seoul")) == datetime(2026, 11, 29, 15, tzinfo=UTC)
    assert week_end(friday, ZoneInfo("America/Los_Angeles")) == datetime(
        2026, 11, 30, 8, tzinfo=UTC
    )


def test_a_week_that_ends_after_a_dst_change_ends_at_the_new_offset():
    # Berlin leaves summer time on Sunday 2026-10-25: Monday 00:00 is UTC+1 again.
    friday = datetime(2026, 10, 23, 14, tzinfo=UTC)
    assert week_end(friday, ZoneInfo("Europe/Berlin")) == datetime(2026, 10, 25, 23, tzinfo=UTC)


def test_an_answer_needs_something_and_a_confidence_from_1_to_5():
    answer = parse_answer(progress=" Shipped ", blockers="", confidence="4", next_steps="")
    assert (answer.progress, answer.confidence) == ("Shipped", 4)
    for bad in ("0", "6", "high", "3.5"):
        with pytest.raises(InvalidInput) as raised:
            parse_answer(progress="x", blockers="", confidence=bad, next_steps="")
        assert raised.value.values["field"] == "confidence"
    with pytest.raises(InvalidInput) as raised:
        parse_answer(progress=" ", blockers="", confidence=None, next_steps="")
    assert raised.value.values["field"] == "progress"
    with pytest.raises(InvalidInput) as raised:
        parse_answer(progress="x" * 3001, blockers="", confidence=None, next_steps="")
    assert raised.value.values["length"] == 3001


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fri 10:00", (4, time(10, 0))),
        ("Monday 9:30", (0, time(9, 30))),
        ("sun 23:59", (6, time(23, 59))),
        ("default", (None, None)),
    ],
)
def test_a_persons_own_checkin_time(text, expected):
    assert parse_checkin_time(text) == expected


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("", "Say a day and a time"),
        ("friday", "Say a day and a time"),
        ("fryday 10:00", "is not a weekday"),
        ("fri 25:00", "is not a time of day"),
        ("fri 10", "is not a time of day"),
        ("fri 10:7", "is not a time of day"),
        ("fri ²:00", "is not a time of day"),
        ("fri 10:0²", "is not a time of day"),
        ("fri ٩:00", "is not a time of day"),
        ("fri -1:00", "is not a time of day"),
        ("fri 10:60", "is not a time of day"),
        (f"fri {'9' * 5000}:00", "is not a time of day"),
        (f"fri 10:{'9' * 5000}", "is not a time of day"),
    ],
)
def test_a_bad_checkin_time_says_which_part_is_wrong(text, part):
    with pytest.raises(InvalidInput) as raised:
        parse_checkin_time(text)
    assert part in raised.value.message


@pytest.mark.parametrize("confidence", ["0", "6", "²", "٣", "-1", "+3", "9" * 5000])
def test_a_confidence_that_is_not_1_to_5_in_ascii_digits_is_refused_not_a_crash(confidence):
    with pytest.raises(InvalidInput) as raised:
        parse_answer(progress="Shipped", blockers="", confidence=confidence, next_steps="")
    assert raised.value.values == {"value": confidence[:20], "field": "confidence"}


@pytest.mark.parametrize(("confidence", "level"), [("1", 1), (" 5 ", 5), (3, 3), ("03", 3)])
def test_a_confidence_from_1_to_5_is_read(confidence, level):
    answer = parse_answer(progress="", blockers="", confidence=confidence, next_steps="")
    assert answer.confidence == level
