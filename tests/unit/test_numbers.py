"""Whole numbers people type: ASCII digits only, bounded before `int()` reads them."""

from __future__ import annotations

import pytest

from bot.domain.numbers import parse_whole_number


@pytest.mark.parametrize(
    ("text", "most", "number"),
    [
        ("0", 5, 0),
        ("5", 5, 5),
        ("07", 10, 7),
        ("0" * 5000 + "3", 5, 3),
        ("100000", 100_000, 100_000),
        ("23", 23, 23),
    ],
)
def test_ascii_digits_up_to_the_most_are_a_number(text, most, number):
    assert parse_whole_number(text, most=most) == number


@pytest.mark.parametrize("text", ["6", "10", "99999999999999999999", "9223372036854775808"])
def test_more_than_the_most_is_none(text):
    assert parse_whole_number(text, most=5) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        " 1",
        "1 ",
        "+1",
        "-1",
        "-0",
        "1.5",
        "1e3",
        "0x1F",
        "1_000",
        "²",
        "5²",
        "①",
        "٣",
        "１２",
        "Ⅻ",
        "1\x00",
    ],
)
def test_anything_but_ascii_digits_is_none(text):
    assert parse_whole_number(text, most=100) is None


@pytest.mark.parametrize("length", [4300, 4301, 5000, 100_000])
def test_more_digits_than_int_reads_is_none_not_a_value_error(length):
    # int() raises ValueError past 4,300 digits (sys.get_int_max_str_digits()).
    assert parse_whole_number("9" * length, most=100_000) is None
    assert parse_whole_number("1" + "0" * length, most=10**6) is None
