"""Typed text in mrkdwn: escaped so it cannot ping or link, and - where a budget applies - cut
after escaping (which makes text longer: `&` is `&amp;`), never inside an escaped character, a
mention, a link or a date, so a message always fits Slack's limits and reads whole."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import InvalidInput
from bot.domain.text import ELLIPSIS, clip
from bot.i18n import translator
from handlers.blocks.mrkdwn import (
    SECTION_TEXT,
    clip_mrkdwn,
    escape,
    local_datetime,
    mention,
)
from handlers.errors import ECHOED_SHOWN, user_error_text

EN = translator("en")
WHOLE_ESCAPED = re.compile(r"(?:&amp;|&lt;|&gt;|[^&<>])*")
"""Escaped text: each `&` starts a whole entity, and no raw `<` or `>`."""


def test_escape_without_a_limit_escapes_everything_and_cuts_nothing():
    typed = "<!channel> & <@U1> `code` " * 200
    escaped = escape(typed)
    assert escaped == escape(typed, None)
    assert escaped.startswith("&lt;!channel&gt; &amp; &lt;@U1&gt; 'code' ")
    assert len(escaped) > len(typed)


def test_text_that_fits_once_escaped_is_kept_whole():
    assert escape("a & b", 9) == "a &amp; b"
    assert escape("", 1) == ""


def test_text_one_character_too_long_once_escaped_is_cut_with_an_ellipsis():
    assert escape("a & b", 8) == "a &amp;" + ELLIPSIS
    assert escape("x" * 11, 10) == "x" * 9 + ELLIPSIS


@pytest.mark.parametrize("char", ["&", "<", ">"])
def test_a_wall_of_one_special_character_fits_a_section_cut_between_entities(char):
    shown = escape(char * 3000, SECTION_TEXT)
    assert len(shown) <= SECTION_TEXT
    assert shown.endswith(ELLIPSIS)
    body = shown.removesuffix(ELLIPSIS)
    assert body == escape(char) * (len(body) // len(escape(char)))


@pytest.mark.parametrize("limit", range(1, 12))
def test_the_cut_never_falls_inside_an_entity_whatever_the_limit(limit):
    shown = escape("a&b<c>d&&e", limit)
    assert len(shown) <= limit
    assert WHOLE_ESCAPED.fullmatch(shown.removesuffix(ELLIPSIS))


def test_the_cut_does_not_leave_trailing_spaces_before_the_ellipsis():
    assert escape("abc      def", 8) == "abc" + ELLIPSIS


@given(text=st.text(), limit=st.integers(1, 400))
def test_escaped_and_clipped_text_is_within_the_limit_and_a_whole_prefix(text, limit):
    shown = escape(text, limit)
    assert len(shown) <= limit
    full = escape(text)
    if shown == full:
        return
    body = shown.removesuffix(ELLIPSIS)
    assert shown.endswith(ELLIPSIS) and full.startswith(body)
    assert WHOLE_ESCAPED.fullmatch(body)


def test_mrkdwn_is_not_cut_inside_a_mention_or_a_date():
    at = local_datetime(datetime(2026, 11, 27, 7, tzinfo=UTC))
    text = f"{'a' * 10}{mention('U123')} {at} done"
    assert clip_mrkdwn(text, 14) == "a" * 10 + ELLIPSIS
    assert clip_mrkdwn(text, 10 + len(mention("U123")) + 5) == (
        "a" * 10 + mention("U123") + ELLIPSIS
    )
    assert clip_mrkdwn(text, len(text)) == text


def test_an_unclosed_less_than_in_mrkdwn_is_one_character():
    assert clip_mrkdwn("a < b " * 10, 6) == "a < b" + ELLIPSIS


def test_plain_text_is_clipped_by_characters():
    assert clip("m" * 150, 75) == "m" * 74 + ELLIPSIS
    assert clip("& < >", 5) == "& < >"


def test_an_error_quotes_typed_text_back_escaped_and_clipped():
    error = InvalidInput("There is no team called “{name}”.", name="<" * 3000)
    text = user_error_text(error, EN)
    quoted = text.removeprefix("There is no team called “").removesuffix("”.")
    assert len(quoted) <= ECHOED_SHOWN and quoted.endswith(ELLIPSIS)
    assert WHOLE_ESCAPED.fullmatch(quoted.removesuffix(ELLIPSIS))
    assert len(text) < SECTION_TEXT
