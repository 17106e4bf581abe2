"""Teams: a name, one or more leads, members, and optionally a channel that gets the weekly
digest instead of the leads' DMs. A person may be in several teams."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.commands import user_ids_mentioned
from bot.domain.errors import InvalidInput
from bot.domain.i18n_markers import N_

MAX_NAME = 80
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_LEAD_KEYWORD = re.compile(r"\s+leads?\s+", re.IGNORECASE)


class TeamRole(StrEnum):
    LEAD = "lead"
    MEMBER = "member"


@dataclass(frozen=True)
class Team:
    id: int
    team_id: str
    """The Slack workspace."""
    name: str
    leads: frozenset[str] = frozenset()
    members: frozenset[str] = frozenset()
    channel_id: str | None = None

    @property
    def everyone(self) -> frozenset[str]:
        return self.leads | self.members


@dataclass(frozen=True)
class TeamChange:
    """What `/mentor team ...` or a CSV row asks for."""

    name: str
    leads: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    channel_id: str | None = None
    removed: tuple[str, ...] = field(default_factory=tuple)


def name_key(name: str) -> str:
    """Team names are matched case-insensitively and whatever the spacing."""
    return " ".join(name.split()).casefold()


def clean_name(text: str) -> str:
    name = " ".join((text or "").split())
    if not name:
        raise InvalidInput(_NO_NAME)
    if len(name) > MAX_NAME:
        raise InvalidInput(_NAME_TOO_LONG, limit=MAX_NAME, length=len(name))
    if "<" in name or ">" in name:
        raise InvalidInput(_NAME_MARKUP)
    return name


class TeamVerb(StrEnum):
    LIST = "list"
    CREATE = "create"
    ADD = "add"
    LEAD = "lead"
    REMOVE = "remove"
    CHANNEL = "channel"


@dataclass(frozen=True)
class TeamCommand:
    verb: TeamVerb
    name: str = ""
    leads: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    channel_id: str | None = None


def parse_team_command(rest: str) -> TeamCommand:
    """`list`, `create <name> lead @a [@b]`, `add <name> @a @b`, `lead <name> @a` (another
    lead), `remove <name> @a`, `channel <name> #channel|none`."""
    parts = (rest or "").split(None, 1)
    word = parts[0] if parts else ""
    verb = word.casefold() or TeamVerb.LIST.value
    tail = parts[1].strip() if len(parts) > 1 else ""
    if verb == TeamVerb.LIST:
        if tail:
            raise InvalidInput(_LIST_SHAPE)
        return TeamCommand(TeamVerb.LIST)
    if verb == TeamVerb.CREATE:
        keywords = list(_LEAD_KEYWORD.finditer(tail))
        if not keywords:
            raise InvalidInput(_CREATE_SHAPE)
        before, after = tail[: keywords[-1].start()], tail[keywords[-1].end() :]
        leads = tuple(dict.fromkeys(user_ids_mentioned(after)))
        if not leads or _MENTION.sub("", after).strip():
            raise InvalidInput(_CREATE_SHAPE)
        return TeamCommand(TeamVerb.CREATE, name=clean_name(before), leads=leads)
    if verb in (TeamVerb.ADD, TeamVerb.LEAD, TeamVerb.REMOVE):
        first = _MENTION.search(tail)
        people = tuple(dict.fromkeys(user_ids_mentioned(tail)))
        if first is None or _MENTION.sub("", tail[first.start() :]).strip():
            raise InvalidInput(_PEOPLE_SHAPE, verb=verb)
        return TeamCommand(TeamVerb(verb), name=clean_name(tail[: first.start()]), people=people)
    if verb == TeamVerb.CHANNEL:
        found = _CHANNEL.search(tail)
        if found is not None and not tail[found.end() :].strip():
            return TeamCommand(
                TeamVerb.CHANNEL, name=clean_name(tail[: found.start()]), channel_id=found[1]
            )
        name, _, last = " ".join(tail.split()).rpartition(" ")
        if last.casefold() == "none" and name.strip():
            return TeamCommand(TeamVerb.CHANNEL, name=clean_name(name))
        raise InvalidInput(_CHANNEL_SHAPE)
    raise InvalidInput(_UNKNOWN, word=word[:40])


_NO_NAME = N_("Give the team a name, e.g. `/mentor team create Search lead @minji`.")
_NAME_TOO_LONG = N_("Please keep a team name under {limit} characters (this one has {length}).")
_NAME_MARKUP = N_("A team name cannot contain < or >.")
_LIST_SHAPE = N_("`/mentor team list` takes nothing after it.")
_CREATE_SHAPE = N_(
    "Name the team and its lead(s), e.g. `/mentor team create Search lead @minji @jun`."
)
_PEOPLE_SHAPE = N_("Name the team, then the people, e.g. `/mentor team {verb} Search @minji @jun`.")
_CHANNEL_SHAPE = N_(
    "Name the team and a channel (or `none`), e.g. `/mentor team channel Search #search-leads`."
)
_UNKNOWN = N_(
    "`/mentor team {word}` is not something I know. Try `/mentor team list`, `/mentor team "
    "create <name> lead @lead`, `/mentor team add <name> @a @b`, `/mentor team lead <name> @a`, "
    "`/mentor team remove <name> @a` or `/mentor team channel <name> #channel`."
)
