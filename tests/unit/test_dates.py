"""Dates typed in commands: every accepted form, and an error that names what is wrong."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain import dates
from bot.domain.dates import add_months, format_iso, parse_user_date
from bot.domain.errors import InvalidInput
from bot.i18n import translator

TODAY = date(2026, 11, 28)


def parse(text: str, *, today: date = TODAY, allow_past: bool = False) -> date:
    return parse_user_date(text, today=today, allow_past=allow_past)


def error_for(text: str, *, today: date = TODAY, allow_past: bool = False) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse(text, today=today, allow_past=allow_past)
    return caught.value


def english(error: InvalidInput) -> str:
    return error.message.format(**error.values)


def korean(error: InvalidInput) -> str:
    return translator("ko")(error.message).format(**error.values)


# Accepted forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-31", date(2026, 12, 31)),
        ("2026/12/31", date(2026, 12, 31)),
        ("2026.12.31", date(2026, 12, 31)),
        ("2027-1-5", date(2027, 1, 5)),
        ("2026-11-28", TODAY),
        ("12/31", date(2026, 12, 31)),
        ("12-31", date(2026, 12, 31)),
        ("11/28", TODAY),
        ("in 10 days", date(2026, 12, 8)),
        ("in 1 day", date(2026, 11, 29)),
        ("in 6 weeks", date(2027, 1, 9)),
        ("in 1 week", date(2026, 12, 5)),
        ("in 2 months", date(2027, 1, 28)),
        ("in 1 month", date(2026, 12, 28)),
        ("6 weeks", date(2027, 1, 9)),
        ("in 6 weeks from now", date(2027, 1, 9)),
        ("today", TODAY),
        ("tomorrow", date(2026, 11, 29)),
        ("next week", date(2026, 12, 5)),
    ],
)
def test_english_and_numeric_forms(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026년 12월 31일", date(2026, 12, 31)),
        ("2026년12월31일", date(2026, 12, 31)),
        ("2026년 12월 31일까지", date(2026, 12, 31)),
        ("12월 31일", date(2026, 12, 31)),
        ("1월 5일", date(2027, 1, 5)),
        ("6주 후", date(2027, 1, 9)),
        ("6주 뒤", date(2027, 1, 9)),
        ("10일 후", date(2026, 12, 8)),
        ("2개월 후", date(2027, 1, 28)),
        ("내일", date(2026, 11, 29)),
        ("오늘", TODAY),
        ("다음 주", date(2026, 12, 5)),
    ],
)
def test_korean_forms(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    ["  2026-12-31  ", "\t12/31\n", "IN 6 WEEKS", "In   6   Weeks", "Tomorrow", " NEXT  WEEK "],
)
def test_case_and_whitespace_do_not_matter(text):
    assert parse(text) in {
        date(2026, 12, 31),
        date(2027, 1, 9),
        date(2026, 11, 29),
        date(2026, 12, 5),
    }


def test_whitespace_and_case_give_the_same_date():
    assert parse("  IN 6 Weeks ") == parse("in 6 weeks")
    assert parse(" TOMORROW ") == parse("tomorrow")


def test_a_month_and_day_that_has_passed_means_next_year():
    assert parse("1/15") == date(2027, 1, 15)
    assert parse("11/27") == date(2027, 11, 27)
    assert parse("11-28") == TODAY
    assert parse("11/29") == date(2026, 11, 29)
    assert parse("12/31", today=date(2026, 12, 31)) == date(2026, 12, 31)
    assert parse("12/31", today=date(2027, 1, 1)) == date(2027, 12, 31)


def test_months_are_calendar_months_clamped_to_the_months_end():
    assert parse("in 1 month", today=date(2026, 1, 31)) == date(2026, 2, 28)
    assert parse("in 1 month", today=date(2028, 1, 31)) == date(2028, 2, 29)
    assert parse("in 3 months", today=date(2026, 1, 31)) == date(2026, 4, 30)
    assert parse("in 12 months", today=date(2026, 1, 31)) == date(2027, 1, 31)
    assert parse("in 2 months", today=date(2026, 12, 15)) == date(2027, 2, 15)


def test_add_months_clamps_and_rolls_the_year():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 5, 31), 0) == date(2026, 5, 31)


def test_zero_amounts_mean_today():
    assert parse("in 0 weeks") == TODAY
    assert parse("in 0 days") == TODAY
    assert parse("0주 후") == TODAY


def test_past_dates_are_accepted_when_allowed():
    assert parse("2026-01-05", allow_past=True) == date(2026, 1, 5)
    assert parse("2020년 3월 1일", allow_past=True) == date(2020, 3, 1)


def test_format_iso():
    assert format_iso(date(2026, 1, 5)) == "2026-01-05"


# Errors


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_asks_for_a_date_with_examples(text):
    error = error_for(text)
    assert error.message == dates.EMPTY
    assert english(error) == "Type a date, like 2026-12-31, 12/31 or “in 6 weeks”."


@pytest.mark.parametrize(
    "text", ["2026-13-01", "13/05", "13-05", "0/10", "2026년 13월 1일", "13월 5일"]
)
def test_a_month_out_of_range_is_named(text):
    error = error_for(text)
    assert error.message == dates.NOT_A_MONTH
    month = error.values["month"]
    assert english(error).startswith(f"{month} is not a month (1-12).")
    assert "12/31" in english(error)


def test_a_day_first_date_explains_the_month_comes_first():
    error = error_for("31/12")
    assert english(error) == "31 is not a month (1-12). Put the month before the day, like 12/31."


def test_a_day_the_month_does_not_have_names_the_month_and_its_length():
    error = error_for("2026-02-30", allow_past=True)
    assert english(error) == "2026-02-30: February 2026 has 28 days. Try 2026-02-28."
    assert error.values == {"date": "2026-02-30", "year": 2026, "days": 28, "example": "2026-02-28"}


def test_day_errors_for_other_months_and_forms():
    assert english(error_for("2026-11-31")) == (
        "2026-11-31: November 2026 has 30 days. Try 2026-11-30."
    )
    assert english(error_for("12/32")) == "2026-12-32: December 2026 has 31 days. Try 2026-12-31."
    assert english(error_for("2028-02-30")).startswith("2028-02-30: February 2028 has 29 days.")
    assert english(error_for("2027년 4월 31일")).startswith("2027-04-31: April 2027 has 30 days.")
    assert english(error_for("12/0")).startswith("2026-12-00: December 2026 has 31 days.")


def test_a_day_error_suggests_a_date_that_works():
    # February 2026 is over, so its last day would be refused: suggest a future date instead.
    error = error_for("2026-02-30")
    assert error.values["example"] == "2026-12-31"
    # 2/29 after February means next year's February, which has 28 days.
    error = error_for("2/29")
    assert english(error) == "2027-02-29: February 2027 has 28 days. Try 2027-02-28."


@pytest.mark.parametrize(
    "text", ["next blursday", "someday", "2026-12", "31", "in six weeks", "in 6 fortnights"]
)
def test_unreadable_text_is_echoed_with_examples(text):
    error = error_for(text)
    assert error.message == dates.NOT_A_DATE
    assert error.values["text"] == text
    assert english(error) == (
        f"I can't read “{text}” as a date. Try 2026-12-31, 12/31 or “in 6 weeks”."
    )


def test_echoed_text_is_clipped_to_40_characters():
    error = error_for("x" * 100)
    assert len(error.values["text"]) == 40
    assert error.values["text"].endswith("…")
    assert error_for("y" * 40).values["text"] == "y" * 40


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2026-01-05", "2026-01-05"),
        ("2026년 11월 27일", "2026-11-27"),
        ("1999/01/01", "1999-01-01"),
    ],
)
def test_a_past_date_is_refused_unless_allowed(text, shown):
    error = error_for(text)
    assert error.message == dates.IN_THE_PAST
    assert english(error) == f"{shown} is in the past; pick today (2026-11-28) or later."


@pytest.mark.parametrize("text", ["2032-01-01", "in 6 years", "in 61 months", "in 300 weeks"])
def test_more_than_five_years_ahead_is_refused(text):
    if text == "in 6 years":
        assert error_for(text).message == dates.NOT_A_DATE
        return
    error = error_for(text)
    assert error.message == dates.TOO_FAR_AHEAD
    assert error.values["limit"] == "2031-11-28"
    assert "more than 5 years ahead" in english(error)


def test_exactly_five_years_ahead_is_allowed():
    assert parse("2031-11-28") == date(2031, 11, 28)
    assert parse("in 60 months") == date(2031, 11, 28)
    assert english(error_for("2031-11-29")) == (
        "2031-11-29 is more than 5 years ahead; pick a date up to 2031-11-28, like 2026-12-31."
    )
    assert parse("in 1 month", today=date(2028, 2, 29)) == date(2028, 3, 29)
    assert dates._limit(date(2028, 2, 29)) == date(2033, 2, 28)


@pytest.mark.parametrize("text", ["in 99999999999 weeks", "in 99999999999 months", "9999-12-31"])
def test_absurd_amounts_are_too_far_not_a_crash(text):
    assert error_for(text).message == dates.TOO_FAR_AHEAD


@pytest.mark.parametrize(
    "text",
    [f"in {'9' * 5000} days", f"in {'9' * 5000} weeks", f"{'9' * 5000}개월 후", "in 10001 days"],
)
def test_amounts_of_thousands_of_digits_are_too_far_not_a_crash(text):
    error = error_for(text)
    assert error.message == dates.TOO_FAR_AHEAD
    assert error.values["date"] == f"“{dates._clip(text)}”"


def test_an_amount_with_leading_zeros_or_a_plus_is_still_read():
    assert parse("in 007 days") == date(2026, 12, 5)
    assert parse("in +1 weeks") == date(2026, 12, 5)
    assert parse(f"in {'0' * 5000}1 days") == date(2026, 11, 29)


@pytest.mark.parametrize("text", ["in ٣ days", "in ² weeks", "in １２ days", "３일 후"])
def test_an_amount_in_digits_other_than_ascii_is_not_a_date(text):
    assert error_for(text).message == dates.NOT_A_DATE


@pytest.mark.parametrize("text", ["in -3 weeks", "in -1 days", "-2 months", "-6주 후"])
def test_negative_amounts_are_refused(text):
    error = error_for(text)
    assert error.message == dates.NEGATIVE_AMOUNT
    assert error.values["text"] == text
    assert "counts backwards" in english(error)


def test_a_negative_amount_of_thousands_of_digits_counts_backwards_not_a_crash():
    error = error_for(f"in -{'9' * 5000} days")
    assert error.message == dates.NEGATIVE_AMOUNT
    assert error.values["text"] == "in -" + "9" * 35 + "…"
    assert parse("in -0 days") == TODAY


def test_errors_read_in_korean_with_every_value():
    assert korean(error_for("next blursday")) == (
        "“next blursday”을(를) 날짜로 읽을 수 없어요. "
        "2026-12-31, 12/31, “6주 후”처럼 입력해 보세요."
    )
    assert korean(error_for("2026-02-30", allow_past=True)) == (
        "2026-02-30: 2026년 2월은 28일까지 있어요. 2026-02-28처럼 입력해 보세요."
    )
    assert korean(error_for("13/05")).startswith("13은(는) 올바른 월이 아니에요(1-12).")
    assert "2026-01-05" in korean(error_for("2026-01-05"))
    for month_message in dates.DAYS_IN_MONTH:
        assert translator("ko")(month_message) != month_message
