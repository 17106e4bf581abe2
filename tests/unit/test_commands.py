from __future__ import annotations

import pytest

from bot.domain.commands import (
    SUBCOMMANDS,
    MentorCommand,
    Subcommand,
    UnknownCommand,
    parse_mentor_command,
    user_ids_mentioned,
)


@pytest.mark.parametrize("text", ["", "   ", "help", "HELP", "  help  "])
def test_empty_text_and_help_both_mean_help(text):
    assert parse_mentor_command(text) == MentorCommand(Subcommand.HELP, (), "")


def test_arguments_keep_the_users_text_as_typed():
    parsed = parse_mentor_command("goal add  Ship a RAG demo   due 2026-12-31")

    assert isinstance(parsed, MentorCommand)
    assert parsed.subcommand is Subcommand.GOAL
    assert parsed.args == ("add", "Ship", "a", "RAG", "demo", "due", "2026-12-31")
    assert parsed.rest == "add  Ship a RAG demo   due 2026-12-31"


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("hlep", "help"),
        ("mach", "match"),
        ("profle", "profile"),
        ("delete-data", "delete-my-data"),
        ("xyzzy", None),
    ],
)
def test_an_unknown_word_suggests_the_closest_subcommand(typed, suggestion):
    assert parse_mentor_command(f"{typed} extra") == UnknownCommand(
        word=typed, suggestion=suggestion
    )


def test_escaped_mentions_give_user_ids_in_order():
    text = "team add ai-core <@U123ABC|minji> <@W456|jun> and <@U789>"
    assert user_ids_mentioned(text) == ["U123ABC", "W456", "U789"]


def test_every_subcommand_has_an_example_that_starts_with_its_name():
    for spec in SUBCOMMANDS:
        assert spec.example.startswith(f"/mentor {spec.name.value}")
    assert {spec.name for spec in SUBCOMMANDS} == set(Subcommand)
