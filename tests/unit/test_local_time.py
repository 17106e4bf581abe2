"""Weekly schedules in a person's own zone, checked over whole years across DST changes.

The expectations are computed independently of the code under test: DST gaps and folds come
from scanning the zone's UTC offset hour by hour (then bisecting to the second), and the
expected ISO weeks come from plain `date` arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.domain.local_time import (
    local_week,
    next_weekly,
    resolve_local,
    weekly_occurrence_in_week,
)

NEW_YORK = "America/New_York"
BERLIN = "Europe/Berlin"
LORD_HOWE = "Australia/Lord_Howe"
KOLKATA = "Asia/Kolkata"
SEOUL = "Asia/Seoul"
ZONES = [NEW_YORK, BERLIN, LORD_HOWE, KOLKATA, SEOUL]
YEARS = [2025, 2026, 2027]

HOUR = timedelta(hours=1)
WEEK = timedelta(days=7)
TICK = timedelta(microseconds=1)

# name -> (weekday with Monday=0, wall-clock time)
SCHEDULES = {
    "mon-00:00": (0, time(0, 0)),
    "mon-09:00": (0, time(9, 0)),
    "fri-16:00": (4, time(16, 0)),
    "sun-01:30": (6, time(1, 30)),
    "sun-01:45": (6, time(1, 45)),
    "sun-02:00": (6, time(2, 0)),
    "sun-02:15": (6, time(2, 15)),
    "sun-02:30": (6, time(2, 30)),
    "sun-23:59": (6, time(23, 59)),
}

# Which schedules land in a skipped / repeated wall time once a year (and which never do).
# New York: 02:00-03:00 skipped in March, 01:00-02:00 repeated in November.
# Berlin: 02:00-03:00 skipped in March, 02:00-03:00 repeated in October.
# Lord Howe: 02:00-02:30 skipped in October, 01:30-02:00 repeated in April (30-minute DST).
GAP_SCHEDULES = {
    NEW_YORK: {"sun-02:00", "sun-02:15", "sun-02:30"},
    BERLIN: {"sun-02:00", "sun-02:15", "sun-02:30"},
    LORD_HOWE: {"sun-02:00", "sun-02:15"},
    KOLKATA: set(),
    SEOUL: set(),
}
FOLD_SCHEDULES = {
    NEW_YORK: {"sun-01:30", "sun-01:45"},
    BERLIN: {"sun-02:00", "sun-02:15", "sun-02:30"},
    LORD_HOWE: {"sun-01:30", "sun-01:45"},
    KOLKATA: set(),
    SEOUL: set(),
}
JUMP = {
    NEW_YORK: HOUR,
    BERLIN: HOUR,
    LORD_HOWE: timedelta(minutes=30),
    KOLKATA: None,
    SEOUL: None,
}

# What tzdata says today; a rule change in these zones should fail loudly, here first.
# zone -> year -> ((gap day, first skipped, first after), (fold day, first repeated, end))
KNOWN_TRANSITIONS = {
    NEW_YORK: {
        2025: ((date(2025, 3, 9), time(2), time(3)), (date(2025, 11, 2), time(1), time(2))),
        2026: ((date(2026, 3, 8), time(2), time(3)), (date(2026, 11, 1), time(1), time(2))),
        2027: ((date(2027, 3, 14), time(2), time(3)), (date(2027, 11, 7), time(1), time(2))),
    },
    BERLIN: {
        2025: ((date(2025, 3, 30), time(2), time(3)), (date(2025, 10, 26), time(2), time(3))),
        2026: ((date(2026, 3, 29), time(2), time(3)), (date(2026, 10, 25), time(2), time(3))),
        2027: ((date(2027, 3, 28), time(2), time(3)), (date(2027, 10, 31), time(2), time(3))),
    },
    LORD_HOWE: {
        2025: (
            (date(2025, 10, 5), time(2), time(2, 30)),
            (date(2025, 4, 6), time(1, 30), time(2)),
        ),
        2026: (
            (date(2026, 10, 4), time(2), time(2, 30)),
            (date(2026, 4, 5), time(1, 30), time(2)),
        ),
        2027: (
            (date(2027, 10, 3), time(2), time(2, 30)),
            (date(2027, 4, 4), time(1, 30), time(2)),
        ),
    },
}


@dataclass(frozen=True)
class Transition:
    """One offset change: wall times in [start, end) on `day` are skipped (gap) or repeated."""

    at_utc: datetime
    before: timedelta  # UTC offset just before the change
    after: timedelta  # UTC offset from the change on

    @property
    def is_gap(self) -> bool:
        return self.after > self.before

    @property
    def start(self) -> datetime:  # naive local wall time
        return (self.at_utc + min(self.before, self.after)).replace(tzinfo=None)

    @property
    def end(self) -> datetime:
        return (self.at_utc + max(self.before, self.after)).replace(tzinfo=None)

    @property
    def day(self) -> date:
        return self.start.date()

    def covers(self, day: date, at: time) -> bool:
        return self.start <= datetime.combine(day, at) < self.end


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


@cache
def transitions(zone_name: str, year: int) -> tuple[Transition, ...]:
    """Offset changes whose local day is in `year`, by scanning UTC hour by hour."""
    zone = ZoneInfo(zone_name)
    found = []
    t = datetime(year - 1, 12, 30, tzinfo=UTC)
    end = datetime(year + 1, 1, 2, tzinfo=UTC)
    before = _offset(zone, t)
    while t < end:
        nxt = t + HOUR
        after = _offset(zone, nxt)
        if after != before:
            lo, hi = t, nxt  # offset(lo) == before, offset(hi) == after
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if _offset(zone, mid) == before:
                    lo = mid
                else:
                    hi = mid
            change = Transition(hi.replace(microsecond=0), before, after)
            if change.day.year == year:
                found.append(change)
        t, before = nxt, after
    return tuple(found)


def _weekday_dates(year: int, weekday: int) -> list[date]:
    day = date(year, 1, 1)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    out = []
    while day.year == year:
        out.append(day)
        day += WEEK
    return out


def _iso(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _weeks_in_iso_year(year: int) -> int:
    return date(year, 12, 28).isocalendar().week


def _walk(zone: ZoneInfo, year: int, weekday: int, at: time) -> list[datetime]:
    """All occurrences from mid-December of the year before to mid-January of the year after."""
    after = datetime(year - 1, 12, 15, tzinfo=zone)
    stop = datetime(year + 1, 1, 15, tzinfo=zone)
    out: list[datetime] = []
    while len(out) < 60:  # ~57 weeks; a bound so a broken next_weekly fails instead of hanging
        occurrence = next_weekly(after, weekday, at, zone)
        assert occurrence > after, (after, occurrence)
        if occurrence >= stop:
            return out
        out.append(occurrence)
        after = occurrence
    raise AssertionError(f"more than 60 occurrences in ~57 weeks: {out[-3:]}")


YEAR_CASES = [pytest.param(z, y, id=f"{z}-{y}") for z in ZONES for y in YEARS]
WALK_CASES = [
    pytest.param(z, y, s, id=f"{z}-{y}-{s}") for z in ZONES for y in YEARS for s in SCHEDULES
]


@pytest.mark.parametrize(("zone_name", "year"), YEAR_CASES)
def test_the_scanned_dst_transitions_are_the_known_ones(zone_name, year):
    changes = transitions(zone_name, year)
    if zone_name not in KNOWN_TRANSITIONS:
        assert changes == ()
        return
    (gap_day, gap_from, gap_to), (fold_day, fold_from, fold_to) = KNOWN_TRANSITIONS[zone_name][year]
    gaps = [c for c in changes if c.is_gap]
    folds = [c for c in changes if not c.is_gap]
    assert len(gaps) == 1
    assert len(folds) == 1
    assert (gaps[0].day, gaps[0].start.time(), gaps[0].end.time()) == (gap_day, gap_from, gap_to)
    assert (folds[0].day, folds[0].start.time(), folds[0].end.time()) == (
        fold_day,
        fold_from,
        fold_to,
    )
    assert gaps[0].after - gaps[0].before == JUMP[zone_name]
    assert folds[0].before - folds[0].after == JUMP[zone_name]
    assert gap_day.weekday() == fold_day.weekday() == 6  # always on a Sunday


@pytest.mark.parametrize(("zone_name", "year", "schedule"), WALK_CASES)
def test_a_whole_year_of_weekly_occurrences(zone_name, year, schedule):
    zone = ZoneInfo(zone_name)
    weekday, at = SCHEDULES[schedule]
    occurrences = _walk(zone, year, weekday, at)
    local = [o.astimezone(zone) for o in occurrences]
    changes = transitions(zone_name, year)
    gaps = {c.day: c for c in changes if c.is_gap and c.covers(c.day, at)}
    folds = {c.day: c for c in changes if not c.is_gap and c.covers(c.day, at)}
    gaps = {d: c for d, c in gaps.items() if d.weekday() == weekday}
    folds = {d: c for d, c in folds.items() if d.weekday() == weekday}

    # The schedules we expect to hit a gap / fold do so exactly once this year; others never.
    assert len(gaps) == (1 if schedule in GAP_SCHEDULES[zone_name] else 0)
    assert len(folds) == (1 if schedule in FOLD_SCHEDULES[zone_name] else 0)

    # Strictly increasing, aware, on the requested local weekday, each in its own local week.
    assert all(o.tzinfo is not None for o in occurrences)
    assert all(a < b for a, b in pairwise(occurrences))
    assert all(w.weekday() == weekday for w in local)
    weeks = [local_week(o, zone) for o in occurrences]
    assert weeks == [_iso(w.date()) for w in local]
    assert len(set(weeks)) == len(weeks)

    # Every local ISO week of the ISO year has exactly one occurrence ...
    in_iso_year = [w for w in weeks if w.startswith(f"{year}-")]
    assert in_iso_year == [f"{year}-W{n:02d}" for n in range(1, _weeks_in_iso_year(year) + 1)]
    # ... and every requested weekday of the calendar year has exactly one, on that very day.
    in_calendar_year = [w for w in local if w.year == year]
    assert [w.date() for w in in_calendar_year] == _weekday_dates(year, weekday)

    shifted = set()
    for occurrence, wall in zip(occurrences, local, strict=True):
        day = wall.date()
        if day in gaps:
            gap = gaps[day]
            shifted.add(day)
            # Moved forward by the jump, which is the same instant the old offset would give.
            assert wall.replace(tzinfo=None) == datetime.combine(day, at) + JUMP[zone_name]
            assert wall.utcoffset() == gap.after
            assert occurrence == datetime.combine(day, at, tzinfo=UTC) - gap.before
        else:
            assert wall.time() == at
        if day in folds:
            fold = folds[day]
            # The first of the two instants: still on the pre-transition offset.
            assert wall.utcoffset() == fold.before
            assert wall.fold == 0
            repeat = occurrence + (fold.before - fold.after)
            assert repeat.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None)
            assert repeat not in occurrences
    # Shifted wall times happen exactly on the gap days of this year (neighbour years are
    # checked by their own parametrization).
    assert {d for d in shifted if d.year == year} == set(gaps)

    # Consecutive occurrences: 7 local calendar days apart; 168 h in UTC except across a DST
    # change (167/169 h, or 167.5/168.5 h on Lord Howe).
    normal = timedelta(hours=168)
    jump = JUMP[zone_name]
    allowed = {normal} if jump is None else {normal, normal - jump, normal + jump}
    short = long = 0
    for (a, wa), (b, wb) in pairwise(zip(occurrences, local, strict=True)):
        assert (wb.date() - wa.date()).days == 7
        delta = b - a
        assert delta in allowed, (wa, wb, delta)
        shift_a = wa.replace(tzinfo=None) - datetime.combine(wa.date(), at)
        shift_b = wb.replace(tzinfo=None) - datetime.combine(wb.date(), at)
        assert delta == WEEK - (wb.utcoffset() - wa.utcoffset()) + (shift_b - shift_a)
        if wa.year == year and wb.year == year:
            short += delta < normal
            long += delta > normal
    expected = 0 if jump is None else 1
    assert (short, long) == (expected, expected)


@pytest.mark.parametrize(("zone_name", "year", "schedule"), WALK_CASES)
def test_the_occurrence_in_a_week_matches_the_walk(zone_name, year, schedule):
    zone = ZoneInfo(zone_name)
    weekday, at = SCHEDULES[schedule]
    for occurrence in _walk(zone, year, weekday, at):
        monday = occurrence.astimezone(zone).date() - timedelta(days=weekday)
        week_start = datetime.combine(monday, time(0), tzinfo=zone)
        next_week_start = datetime.combine(monday + WEEK, time(0), tzinfo=zone)
        points = [
            week_start,
            week_start + timedelta(seconds=1),
            datetime.combine(monday + timedelta(days=2), time(12), tzinfo=zone),
            occurrence - TICK,
            occurrence,
            occurrence + TICK,
            next_week_start - timedelta(seconds=1),
            next_week_start - TICK,
        ]
        for point in points:
            if not week_start <= point < next_week_start:
                continue  # occurrence - 1 µs on a Monday 00:00 schedule is last week
            # Given in UTC (as a scheduler would): the function must convert to the zone itself.
            as_given = point.astimezone(UTC)
            found = weekly_occurrence_in_week(as_given, weekday, at, zone)
            assert found == occurrence, (as_given, found, occurrence)
            if as_given < occurrence:
                assert next_weekly(as_given, weekday, at, zone) == occurrence, as_given
        assert weekly_occurrence_in_week(occurrence.astimezone(zone), weekday, at, zone) == (
            occurrence
        )
        # next_weekly: strictly after; an `after` equal to an occurrence gives the next week's.
        assert next_weekly(occurrence - TICK, weekday, at, zone) == occurrence
        assert next_weekly(occurrence.astimezone(UTC) - TICK, weekday, at, zone) == occurrence
        following = next_weekly(occurrence, weekday, at, zone)
        assert following > occurrence
        assert local_week(following, zone) == _iso(monday + WEEK)


@pytest.mark.parametrize(("zone_name", "year"), YEAR_CASES)
def test_the_second_instant_of_a_repeated_time_is_never_an_occurrence(zone_name, year):
    zone = ZoneInfo(zone_name)
    for fold in (c for c in transitions(zone_name, year) if not c.is_gap):
        at = fold.start.time()
        first = resolve_local(fold.day, at, zone)
        second = first + (fold.before - fold.after)
        assert first.astimezone(zone).replace(tzinfo=None) == fold.start
        assert second.astimezone(zone).replace(tzinfo=None) == fold.start
        # Sent at the first instant; asking again between the two (or at the second) must
        # give next week's, not the repeat.
        for after in (first, first + TICK, second - TICK, second):
            nxt = next_weekly(after, fold.day.weekday(), at, zone)
            assert nxt.astimezone(zone).date() == fold.day + WEEK


@pytest.mark.parametrize(("zone_name", "year"), YEAR_CASES)
def test_resolve_local_on_every_wall_minute_of_a_transition_day(zone_name, year):
    zone = ZoneInfo(zone_name)
    for change in transitions(zone_name, year):
        jump = abs(change.after - change.before)
        minute = datetime.combine(change.day, time(0))
        while minute.date() == change.day:
            got = resolve_local(change.day, minute.time(), zone)
            wall = got.astimezone(zone)
            assert got.tzinfo is not None
            assert got.utcoffset() == timedelta(0)
            if change.is_gap and change.start <= minute < change.end:
                assert wall.replace(tzinfo=None) == minute + jump
            else:
                assert wall.replace(tzinfo=None) == minute
                if not change.is_gap and change.start <= minute < change.end:
                    assert wall.utcoffset() == change.before  # first instant
            minute += timedelta(minutes=1)


# 2026-11-29 is a Sunday; Jan 1 2026 a Thursday (so 2026 has 53 ISO weeks).
@pytest.mark.parametrize(
    ("instant", "zone_name", "week"),
    [
        # 20:00Z: Monday 05:00 in Seoul, still Sunday 15:00 in New York.
        (datetime(2026, 11, 29, 20, tzinfo=UTC), SEOUL, "2026-W49"),
        (datetime(2026, 11, 29, 20, tzinfo=UTC), NEW_YORK, "2026-W48"),
        (datetime(2026, 11, 29, 20, tzinfo=UTC), BERLIN, "2026-W48"),  # Sunday 21:00
        (datetime(2026, 11, 29, 20, tzinfo=UTC), LORD_HOWE, "2026-W49"),  # Monday 07:00
        (datetime(2026, 11, 29, 20, tzinfo=UTC), KOLKATA, "2026-W49"),  # Monday 01:30
        (datetime(2026, 11, 29, 18, 29, 59, tzinfo=UTC), KOLKATA, "2026-W48"),  # Sun 23:59:59
        (datetime(2026, 11, 29, 18, 30, tzinfo=UTC), KOLKATA, "2026-W49"),  # Mon 00:00
        (datetime(2026, 11, 29, 14, 59, 59, tzinfo=UTC), SEOUL, "2026-W48"),
        (datetime(2026, 11, 29, 15, tzinfo=UTC), SEOUL, "2026-W49"),
        # Monday 2026-11-30 04:59:59Z is still Sunday 23:59:59 in New York (EST).
        (datetime(2026, 11, 30, 4, 59, 59, tzinfo=UTC), NEW_YORK, "2026-W48"),
        (datetime(2026, 11, 30, 5, tzinfo=UTC), NEW_YORK, "2026-W49"),
        # ISO-year boundaries: 2026-12-31 (Thu) and 2027-01-03 (Sun) are 2026-W53.
        (datetime(2026, 12, 31, 12, tzinfo=UTC), NEW_YORK, "2026-W53"),
        (datetime(2027, 1, 3, 15, tzinfo=UTC), SEOUL, "2027-W01"),  # Monday 00:00 KST
        (datetime(2027, 1, 3, 14, 59, tzinfo=UTC), SEOUL, "2026-W53"),
        (datetime(2027, 1, 4, 4, 59, tzinfo=UTC), NEW_YORK, "2026-W53"),  # UTC: 2027-W01
        (datetime(2027, 1, 4, 5, tzinfo=UTC), NEW_YORK, "2027-W01"),
        (datetime(2027, 1, 3, 12, 59, tzinfo=UTC), LORD_HOWE, "2026-W53"),  # Sun 23:59 +11
        (datetime(2027, 1, 3, 13, tzinfo=UTC), LORD_HOWE, "2027-W01"),
        # 2025-12-29 (Mon) starts 2026-W01 even though it is still December.
        (datetime(2025, 12, 28, 18, 29, tzinfo=UTC), KOLKATA, "2025-W52"),
        (datetime(2025, 12, 28, 18, 30, tzinfo=UTC), KOLKATA, "2026-W01"),
        (datetime(2025, 12, 29, 4, 59, tzinfo=UTC), NEW_YORK, "2025-W52"),
        (datetime(2025, 12, 31, 23, tzinfo=UTC), NEW_YORK, "2026-W01"),
        # 2028-01-01 (Sat) and 2028-01-02 (Sun) are still 2027-W52.
        (datetime(2028, 1, 2, 15, tzinfo=UTC), SEOUL, "2028-W01"),
        (datetime(2028, 1, 2, 22, 59, tzinfo=UTC), BERLIN, "2027-W52"),
        (datetime(2028, 1, 2, 23, tzinfo=UTC), BERLIN, "2028-W01"),
        # Same instant, given in another zone: only the person's zone matters.
        (datetime(2026, 11, 30, 5, tzinfo=ZoneInfo(SEOUL)), NEW_YORK, "2026-W48"),
    ],
    ids=lambda v: v.isoformat() if isinstance(v, datetime) else str(v),
)
def test_local_week_uses_the_persons_zone(instant, zone_name, week):
    assert local_week(instant, ZoneInfo(zone_name)) == week


def _mondays_to_check() -> list[date]:
    # The first Monday of each ISO year 2025-2028 and the week after 2026-11-29.
    return [date.fromisocalendar(y, 1, 1) for y in (2025, 2026, 2027, 2028)] + [date(2026, 11, 30)]


@pytest.mark.parametrize("zone_name", ZONES)
@pytest.mark.parametrize("monday", _mondays_to_check(), ids=str)
def test_local_week_flips_at_local_midnight(zone_name, monday):
    zone = ZoneInfo(zone_name)
    midnight = datetime.combine(monday, time(0), tzinfo=zone).astimezone(UTC)
    assert local_week(midnight - TICK, zone) == _iso(monday - timedelta(days=1))
    assert local_week(midnight, zone) == _iso(monday)
    assert local_week(midnight + timedelta(days=7) - TICK, zone) == _iso(monday)
    # None of these zones is UTC-like, so reading the week in UTC would get one of them wrong.
    assert (_iso((midnight - TICK).date()), _iso(midnight.date())) != (
        _iso(monday - timedelta(days=1)),
        _iso(monday),
    )


def test_next_weekly_refuses_a_naive_datetime():
    with pytest.raises(ValueError):
        next_weekly(datetime(2026, 11, 27, 12), 4, time(16), ZoneInfo(SEOUL))


def test_friday_16_00_across_the_new_york_spring_forward():
    zone = ZoneInfo(NEW_YORK)
    before = next_weekly(datetime(2026, 3, 1, tzinfo=UTC), 4, time(16), zone)
    after = next_weekly(before, 4, time(16), zone)
    assert before == datetime(2026, 3, 6, 21, tzinfo=UTC)  # 16:00 EST
    assert after == datetime(2026, 3, 13, 20, tzinfo=UTC)  # 16:00 EDT
    assert after - before == timedelta(hours=167)


def test_sunday_02_15_in_the_lord_howe_gap():
    zone = ZoneInfo(LORD_HOWE)
    got = resolve_local(date(2026, 10, 4), time(2, 15), zone)
    assert got.astimezone(zone).replace(tzinfo=None) == datetime(2026, 10, 4, 2, 45)
    assert got == datetime(2026, 10, 3, 15, 45, tzinfo=UTC)
