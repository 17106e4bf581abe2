"""Dates people type in Slack commands: `/mentor pause until 2026-12-31`, `... due 12/31`.

Accepted (case-insensitive, surrounding and repeated whitespace ignored):

- absolute: `2026-12-31`, `2026/12/31`, `2026.12.31`, `2026년 12월 31일`;
- month and day: `12/31`, `12-31`, `12월 31일` — this year, or next year once that day has passed;
- relative: `in 10 days`, `in 6 weeks`, `in 2 months` (calendar months; the day is clamped to the
  month's end, so Jan 31 + 1 month is Feb 28/29), `10일 후`, `6주 후`, `2개월 후`;
- words: `today`, `tomorrow`, `next week` (today + 7), `오늘`, `내일`, `다음 주`.

Korean absolute forms may end in `까지` ("until"). Every problem is an `InvalidInput` naming the
part that is wrong and giving an example that works.
"""

from __future__ import annotations

import calendar
import re
from datetime import MAXYEAR, date, timedelta

from bot.domain.errors import InvalidInput
from bot.domain.i18n_markers import N_
from bot.domain.numbers import parse_whole_number
from bot.domain.text import clip

MAX_YEARS_AHEAD = 5
"""A date further ahead than this many years from today is taken for a typo."""

MAX_ECHO_LENGTH = 40
"""Typed text quoted back in an error is clipped to this many characters."""

MONTH_DAY_EXAMPLE = "12/31"

EMPTY = N_("Type a date, like {example}, 12/31 or “in 6 weeks”.")
NOT_A_DATE = N_("I can't read “{text}” as a date. Try {example}, 12/31 or “in 6 weeks”.")
NOT_A_MONTH = N_("{month} is not a month (1-12). Put the month before the day, like {example}.")
IN_THE_PAST = N_("{date} is in the past; pick today ({today}) or later.")
TOO_FAR_AHEAD = N_("{date} is more than 5 years ahead; pick a date up to {limit}, like {example}.")
NEGATIVE_AMOUNT = N_("“{text}” counts backwards; use 0 or more, like “in 6 weeks”.")

DAYS_IN_MONTH = (
    N_("{date}: January {year} has {days} days. Try {example}."),
    N_("{date}: February {year} has {days} days. Try {example}."),
    N_("{date}: March {year} has {days} days. Try {example}."),
    N_("{date}: April {year} has {days} days. Try {example}."),
    N_("{date}: May {year} has {days} days. Try {example}."),
    N_("{date}: June {year} has {days} days. Try {example}."),
    N_("{date}: July {year} has {days} days. Try {example}."),
    N_("{date}: August {year} has {days} days. Try {example}."),
    N_("{date}: September {year} has {days} days. Try {example}."),
    N_("{date}: October {year} has {days} days. Try {example}."),
    N_("{date}: November {year} has {days} days. Try {example}."),
    N_("{date}: December {year} has {days} days. Try {example}."),
)
"""One message per month, so the month's name is translated with the sentence."""

_NUMBER = r"([+-]?[0-9]+)"
"""A relative amount: ASCII digits only, like every number typed (see `bot.domain.numbers`)."""
MAX_AMOUNT = 10_000
"""More days, weeks or months than this is too far ahead whatever the unit: refused before
`int()` sees the digits (it refuses more than 4,300 of them)."""
_UNTIL = r"(?:\s*까지)?"

_FULL_DATE = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*[-/]\s*(\d{1,2})")
_KO_FULL_DATE = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일" + _UNTIL)
_KO_MONTH_DAY = re.compile(r"(\d{1,2})\s*월\s*(\d{1,2})\s*일" + _UNTIL)
_RELATIVE = re.compile(r"(?:in\s*)?" + _NUMBER + r"\s*(days?|weeks?|months?)(?:\s+from\s+now)?")
_KO_RELATIVE = re.compile(_NUMBER + r"\s*(일|주|주일|개월|달)\s*(?:후|뒤)" + _UNTIL)

_WORDS = {
    "today": 0,
    "tomorrow": 1,
    "next week": 7,
    "오늘": 0,
    "내일": 1,
    "다음 주": 7,
    "다음주": 7,
}
_DAYS_PER_UNIT = {"day": 1, "week": 7, "일": 1, "주": 7, "주일": 7}
_MONTH_UNITS = {"month", "개월", "달"}


def format_iso(d: date) -> str:
    """`2026-12-31`: the one way dates are shown back to people."""
    return d.isoformat()


def parse_user_date(text: str, *, today: date, allow_past: bool = False) -> date:
    """The date a person typed, read relative to their `today`.

    Raises `InvalidInput` for empty or unreadable text, a month or day that does not exist, a
    negative amount ("in -2 weeks"), a date more than `MAX_YEARS_AHEAD` years ahead, and — unless
    `allow_past` — a date before today.
    """
    typed = " ".join(text.split())
    if not typed:
        raise InvalidInput(EMPTY, example=_iso_example(today))
    key = typed.casefold()

    if key in _WORDS:
        return _checked(today + timedelta(days=_WORDS[key]), today=today, allow_past=allow_past)

    for pattern in (_FULL_DATE, _KO_FULL_DATE):
        if match := pattern.fullmatch(key):
            year, month, day = (int(group) for group in match.groups())
            if year < 1:
                break
            day_ = _valid_date(year, month, day, today=today, allow_past=allow_past)
            return _checked(day_, today=today, allow_past=allow_past)

    for pattern in (_MONTH_DAY, _KO_MONTH_DAY):
        if match := pattern.fullmatch(key):
            month, day = (int(group) for group in match.groups())
            return _checked(
                _month_day(month, day, today=today, allow_past=allow_past),
                today=today,
                allow_past=allow_past,
            )

    for pattern in (_RELATIVE, _KO_RELATIVE):
        if match := pattern.fullmatch(key):
            signed, unit = match.group(1), match.group(2).rstrip("s")
            digits = signed.lstrip("+-")
            if signed.startswith("-") and digits.strip("0"):
                raise InvalidInput(NEGATIVE_AMOUNT, text=_clip(typed))
            amount = parse_whole_number(digits, most=MAX_AMOUNT)
            later = None if amount is None else _later(today, amount, unit)
            if later is None:
                raise InvalidInput(
                    TOO_FAR_AHEAD,
                    date=f"“{_clip(typed)}”",
                    limit=format_iso(_limit(today)),
                    example=_iso_example(today),
                )
            return _checked(later, today=today, allow_past=allow_past)

    raise InvalidInput(NOT_A_DATE, text=_clip(typed), example=_iso_example(today))


def add_months(d: date, months: int) -> date:
    """Calendar months later, the day clamped to the month's end (Jan 31 + 1 month = Feb 28)."""
    year, month_index = divmod(d.month - 1 + months, 12)
    year += d.year
    month = month_index + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _later(today: date, amount: int, unit: str) -> date | None:
    """Today plus the amount, or None when that is past the calendar's end."""
    if unit in _MONTH_UNITS:
        if amount > (MAXYEAR - today.year) * 12:
            return None
        return add_months(today, amount)
    try:
        return today + timedelta(days=amount * _DAYS_PER_UNIT[unit])
    except OverflowError:
        return None


def _month_day(month: int, day: int, *, today: date, allow_past: bool) -> date:
    """This year's month/day, or next year's once it has passed."""
    _check_month(month)
    year = today.year if (month, day) >= (today.month, today.day) else today.year + 1
    return _valid_date(year, month, day, today=today, allow_past=allow_past)


def _valid_date(year: int, month: int, day: int, *, today: date, allow_past: bool) -> date:
    _check_month(month)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        last = date(year, month, days)
        usable = allow_past or last >= today
        raise InvalidInput(
            DAYS_IN_MONTH[month - 1],
            date=f"{year:04d}-{month:02d}-{day:02d}",
            year=year,
            days=days,
            example=format_iso(last) if usable else _iso_example(today),
        )
    return date(year, month, day)


def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise InvalidInput(NOT_A_MONTH, month=month, example=MONTH_DAY_EXAMPLE)


def _checked(day: date, *, today: date, allow_past: bool) -> date:
    if day < today and not allow_past:
        raise InvalidInput(IN_THE_PAST, date=format_iso(day), today=format_iso(today))
    limit = _limit(today)
    if day > limit:
        raise InvalidInput(
            TOO_FAR_AHEAD,
            date=format_iso(day),
            limit=format_iso(limit),
            example=_iso_example(today),
        )
    return day


def _limit(today: date) -> date:
    """The furthest date accepted: the same day `MAX_YEARS_AHEAD` years on (Feb 29 -> Feb 28)."""
    return add_months(today, 12 * MAX_YEARS_AHEAD)


def _iso_example(today: date) -> str:
    """The last day of today's year: always today or later, and never too far ahead."""
    return format_iso(date(today.year, 12, 31))


def _clip(text: str) -> str:
    return clip(text, MAX_ECHO_LENGTH)
