"""`/mentor match [run | end [@name] [reason] | history]`: what the person asked for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.commands import user_ids_mentioned
from bot.domain.errors import InvalidInput
from bot.domain.i18n_markers import N_

_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")


class MatchVerb(StrEnum):
    SHOW = "show"
    RUN = "run"
    END = "end"
    HISTORY = "history"


@dataclass(frozen=True)
class MatchCommand:
    verb: MatchVerb
    partner_id: str | None = None
    reason: str = ""


def parse_match_command(rest: str) -> MatchCommand:
    word, _, tail = (rest or "").strip().partition(" ")
    verb = word.lower()
    if not verb:
        return MatchCommand(MatchVerb.SHOW)
    if verb in (MatchVerb.RUN, MatchVerb.HISTORY):
        if tail.strip():
            raise InvalidInput(_NO_ARGUMENTS, verb=verb)
        return MatchCommand(MatchVerb(verb))
    if verb == MatchVerb.END:
        mentioned = user_ids_mentioned(tail)
        if len(mentioned) > 1:
            raise InvalidInput(_ONE_PERSON)
        reason = " ".join(_MENTION.sub(" ", tail).split())
        return MatchCommand(MatchVerb.END, mentioned[0] if mentioned else None, reason)
    raise InvalidInput(_UNKNOWN, word=word[:40])


_NO_ARGUMENTS = N_("`/mentor match {verb}` takes nothing after it.")
_ONE_PERSON = N_("End one match at a time: `/mentor match end @name [reason]`.")
_UNKNOWN = N_(
    "`/mentor match {word}` is not something I know. Try `/mentor match`, "
    "`/mentor match end @name [reason]`, or for admins `/mentor match run` and "
    "`/mentor match history`."
)
