"""What the matching messages carry: working-hours overlap in both people's local times."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from bot.domain.match_messages import (
    group_recipient,
    is_group_recipient,
    overlap_windows,
)
from bot.domain.profiles import Profile, ProgramRole, WorkingHours

SEOUL = Profile("T1", "U1", ProgramRole.MENTOR, "ml-engineer", "nlp", timezone="Asia/Seoul")


def test_same_zone_same_hours_overlap_all_day():
    assert overlap_windows(SEOUL, replace(SEOUL, user_id="U2"), date(2026, 12, 2)) == [
        (datetime(2026, 12, 2, 0, 0, tzinfo=UTC), datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    ]


def test_seoul_and_london_office_hours_do_not_overlap():
    london = replace(SEOUL, user_id="U2", timezone="Europe/London")
    assert overlap_windows(SEOUL, london, date(2026, 12, 2)) == []


def test_an_evening_in_san_francisco_meets_a_morning_in_seoul():
    evening = replace(
        SEOUL,
        user_id="U2",
        timezone="America/Los_Angeles",
        working_hours=WorkingHours(16 * 60, 20 * 60),
    )
    # 16:00-20:00 PST (UTC-8) the evening before is 09:00-13:00 in Seoul.
    assert overlap_windows(SEOUL, evening, date(2026, 12, 2)) == [
        (datetime(2026, 12, 2, 0, 0, tzinfo=UTC), datetime(2026, 12, 2, 4, 0, tzinfo=UTC))
    ]


def test_daylight_saving_time_moves_the_overlap():
    evening = replace(
        SEOUL,
        user_id="U2",
        timezone="America/Los_Angeles",
        working_hours=WorkingHours(16 * 60, 20 * 60),
    )
    # In July Los Angeles is UTC-7: the same evening starts an hour before Seoul's day does,
    # so only three hours are shared.
    assert overlap_windows(SEOUL, evening, date(2026, 7, 1)) == [
        (datetime(2026, 7, 1, 0, 0, tzinfo=UTC), datetime(2026, 7, 1, 3, 0, tzinfo=UTC))
    ]


def test_group_recipients_are_recognised():
    assert group_recipient("U1", "U2") == "U1,U2"
    assert is_group_recipient("U1,U2")
    assert not is_group_recipient("U1")
