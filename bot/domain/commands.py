"""The `/mentor` command language: which subcommands exist and how text parses into them."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.i18n_markers import N_


class Subcommand(StrEnum):
    HELP = "help"
    LANG = "lang"
    PROFILE = "profile"
    MATCH = "match"
    CHECKIN = "checkin"
    GOAL = "goal"
    PAUSE = "pause"
    SKIP = "skip"
    RESUME = "resume"
    DIGEST = "digest"
    TEAM = "team"
    ADMIN = "admin"
    EXPORT = "export"
    DELETE_MY_DATA = "delete-my-data"


@dataclass(frozen=True)
class SubcommandSpec:
    name: Subcommand
    example: str
    summary: str
    available: bool


# Help order. `available=False` marks a subcommand a later release builds; help says "coming soon".
SUBCOMMANDS: tuple[SubcommandSpec, ...] = (
    SubcommandSpec(Subcommand.HELP, "/mentor help", N_("Show this list of commands"), True),
    SubcommandSpec(
        Subcommand.LANG,
        "/mentor lang ko",
        N_("Talk to me in Korean or English (ko, en, auto)"),
        True,
    ),
    SubcommandSpec(
        Subcommand.PROFILE, "/mentor profile", N_("Fill in or edit your mentoring profile"), True
    ),
    SubcommandSpec(
        Subcommand.MATCH, "/mentor match", N_("Ask for a mentor and see why they fit"), True
    ),
    SubcommandSpec(
        Subcommand.CHECKIN,
        "/mentor checkin",
        N_("Answer this week's check-in (`/mentor checkin history`: your last weeks)"),
        True,
    ),
    SubcommandSpec(
        Subcommand.GOAL,
        "/mentor goal add Ship a RAG demo due 2026-12-31",
        N_("Set a goal and track its progress (`/mentor goal list`: your goals)"),
        True,
    ),
    SubcommandSpec(
        Subcommand.PAUSE, "/mentor pause until 2026-12-31", N_("Pause your weekly check-ins"), True
    ),
    SubcommandSpec(Subcommand.SKIP, "/mentor skip", N_("Skip this week's check-in"), True),
    SubcommandSpec(
        Subcommand.RESUME, "/mentor resume", N_("Start your check-ins again after a pause"), True
    ),
    SubcommandSpec(
        Subcommand.DIGEST,
        "/mentor digest weeks 4",
        N_("Your team's progress (team leads; `csv` at the end for a file)"),
        True,
    ),
    SubcommandSpec(
        Subcommand.TEAM, "/mentor team list", N_("Manage teams and their leads (admins)"), True
    ),
    SubcommandSpec(
        Subcommand.ADMIN, "/mentor admin add @minji", N_("Add or remove program admins"), True
    ),
    SubcommandSpec(
        Subcommand.EXPORT,
        "/mentor export",
        N_("Get a file with everything stored about you"),
        True,
    ),
    SubcommandSpec(
        Subcommand.DELETE_MY_DATA,
        "/mentor delete-my-data",
        N_("Delete everything stored about you"),
        True,
    ),
)

SPECS_BY_NAME = {spec.name.value: spec for spec in SUBCOMMANDS}

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


@dataclass(frozen=True)
class MentorCommand:
    """A recognised subcommand with its arguments (`rest` keeps the user's text as typed)."""

    subcommand: Subcommand
    args: tuple[str, ...]
    rest: str

    @property
    def spec(self) -> SubcommandSpec:
        return SPECS_BY_NAME[self.subcommand.value]


@dataclass(frozen=True)
class UnknownCommand:
    word: str
    suggestion: str | None


def parse_mentor_command(text: str) -> MentorCommand | UnknownCommand:
    """`/mentor <word> [args]`; empty text means help."""
    stripped = (text or "").strip()
    if not stripped:
        return MentorCommand(Subcommand.HELP, (), "")
    word, _, rest = stripped.partition(" ")
    name = word.lower()
    if name in SPECS_BY_NAME:
        rest = rest.strip()
        return MentorCommand(Subcommand(name), tuple(rest.split()), rest)
    return UnknownCommand(word=word, suggestion=closest_subcommand(name))


def closest_subcommand(word: str) -> str | None:
    matches = difflib.get_close_matches(word, list(SPECS_BY_NAME), n=1, cutoff=0.5)
    return matches[0] if matches else None


def user_ids_mentioned(text: str) -> list[str]:
    """User ids from Slack's escaped mentions, e.g. `<@U123|minji>` -> `U123`, in order."""
    return _MENTION.findall(text or "")
