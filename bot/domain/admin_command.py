"""`/mentor admin [list | add @a [@b] | remove @a]`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.commands import user_ids_mentioned
from bot.domain.errors import InvalidInput
from bot.domain.i18n_markers import N_

_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")


class AdminVerb(StrEnum):
    LIST = "list"
    ADD = "add"
    REMOVE = "remove"


@dataclass(frozen=True)
class AdminCommand:
    verb: AdminVerb
    people: tuple[str, ...] = ()


def parse_admin_command(rest: str) -> AdminCommand:
    parts = (rest or "").split(None, 1)
    verb = parts[0].casefold() if parts else AdminVerb.LIST.value
    tail = parts[1] if len(parts) > 1 else ""
    if verb == AdminVerb.LIST and not tail.strip():
        return AdminCommand(AdminVerb.LIST)
    if verb in (AdminVerb.ADD, AdminVerb.REMOVE):
        people = tuple(dict.fromkeys(user_ids_mentioned(tail)))
        if people and not _MENTION.sub("", tail).strip():
            return AdminCommand(AdminVerb(verb), people)
    raise InvalidInput(_SHAPE)


_SHAPE = N_(
    "Try `/mentor admin list`, `/mentor admin add @minji` or `/mentor admin remove @minji`."
)
