"""`/mentor match ...` arguments."""

from __future__ import annotations

import pytest

from bot.domain.errors import InvalidInput
from bot.domain.match_command import MatchCommand, MatchVerb, parse_match_command


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", MatchCommand(MatchVerb.SHOW)),
        ("  ", MatchCommand(MatchVerb.SHOW)),
        ("run", MatchCommand(MatchVerb.RUN)),
        ("RUN", MatchCommand(MatchVerb.RUN)),
        ("history", MatchCommand(MatchVerb.HISTORY)),
        ("end", MatchCommand(MatchVerb.END, None, "")),
        ("end <@U123|minji>", MatchCommand(MatchVerb.END, "U123", "")),
        (
            "end <@U123|minji>  we  reached our goals ",
            MatchCommand(MatchVerb.END, "U123", "we reached our goals"),
        ),
        ("end different goals", MatchCommand(MatchVerb.END, None, "different goals")),
    ],
)
def test_match_arguments(text, expected):
    assert parse_match_command(text) == expected


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("run now", "takes nothing after it"),
        ("history please", "takes nothing after it"),
        ("end <@U1> <@U2>", "one match at a time"),
        ("stop", "is not something I know"),
    ],
)
def test_bad_match_arguments_are_explained(text, message_part):
    with pytest.raises(InvalidInput) as raised:
        parse_match_command(text)
    assert message_part in raised.value.message
