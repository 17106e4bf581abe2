"""`/mentor goal ...`: what the person asked for. Dates stay as typed here; the service reads
them against the person's own today."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.commands import user_ids_mentioned
from bot.domain.errors import InvalidInput
from bot.domain.goals import GoalStatus, parse_number, parse_progress, parse_status, split_due
from bot.domain.i18n_markers import N_

_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")


class GoalVerb(StrEnum):
    LIST = "list"
    ADD = "add"
    EDIT = "edit"
    DONE = "done"
    PROGRESS = "progress"
    STATUS = "status"
    ARCHIVE = "archive"
    MILESTONE = "milestone"
    HISTORY = "history"
    COMMENT = "comment"


@dataclass(frozen=True)
class GoalCommand:
    verb: GoalVerb
    number: int | None = None
    owner_id: str | None = None
    """Whose goals (`list @mentee`, `comment @mentee`); None: one's own."""
    title: str = ""
    typed_due: str | None = None
    status: GoalStatus | None = None
    progress: int | None = None
    text: str = ""
    include_archived: bool = False

    @property
    def opens_form(self) -> bool:
        return (self.verb is GoalVerb.ADD and not self.title) or self.verb is GoalVerb.EDIT


def parse_goal_command(rest: str) -> GoalCommand:
    word, _, tail = (rest or "").strip().partition(" ")
    verb = word.casefold() or GoalVerb.LIST.value
    tail = tail.strip()
    if verb == GoalVerb.LIST:
        return _list(tail)
    if verb == GoalVerb.ADD:
        if not tail:
            return GoalCommand(GoalVerb.ADD)
        title, typed_due = split_due(tail)
        if not title:
            raise InvalidInput(_ADD_NEEDS_TITLE)
        return GoalCommand(GoalVerb.ADD, title=title, typed_due=typed_due)
    if verb in (GoalVerb.DONE, GoalVerb.ARCHIVE, GoalVerb.HISTORY, GoalVerb.EDIT):
        args = tail.split()
        if len(args) != 1:
            raise InvalidInput(_ONE_NUMBER, verb=verb)
        return GoalCommand(GoalVerb(verb), number=parse_number(args[0]))
    if verb == GoalVerb.PROGRESS:
        args = tail.split()
        if len(args) != 2:
            raise InvalidInput(_PROGRESS_SHAPE)
        return GoalCommand(
            GoalVerb.PROGRESS, number=parse_number(args[0]), progress=parse_progress(args[1])
        )
    if verb == GoalVerb.STATUS:
        number, _, status = tail.partition(" ")
        if not status.strip():
            raise InvalidInput(_STATUS_SHAPE)
        return GoalCommand(
            GoalVerb.STATUS, number=parse_number(number), status=parse_status(status)
        )
    if verb == GoalVerb.MILESTONE:
        number, _, text = tail.partition(" ")
        title, typed_due = split_due(text)
        if not number or not title:
            raise InvalidInput(_MILESTONE_SHAPE)
        return GoalCommand(
            GoalVerb.MILESTONE, number=parse_number(number), title=title, typed_due=typed_due
        )
    if verb == GoalVerb.COMMENT:
        return _comment(tail)
    raise InvalidInput(_UNKNOWN, word=word[:40])


def _list(tail: str) -> GoalCommand:
    mentioned = user_ids_mentioned(tail)
    if len(mentioned) > 1:
        raise InvalidInput(_ONE_PERSON)
    words = _MENTION.sub(" ", tail).split()
    if any(word.casefold() != "all" for word in words):
        raise InvalidInput(_LIST_SHAPE)
    return GoalCommand(
        GoalVerb.LIST, owner_id=mentioned[0] if mentioned else None, include_archived=bool(words)
    )


def _comment(tail: str) -> GoalCommand:
    """`@owner <n> <text>`: the first mention names whose goal; the text may mention others."""
    mentioned = user_ids_mentioned(tail)
    words = _MENTION.sub(" ", tail, count=1).strip()
    number, _, text = words.partition(" ")
    if not mentioned or not number or not text.strip():
        raise InvalidInput(_COMMENT_SHAPE)
    return GoalCommand(
        GoalVerb.COMMENT, number=parse_number(number), owner_id=mentioned[0], text=text.strip()
    )


_ADD_NEEDS_TITLE = N_(
    "Say what the goal is before the date, e.g. `/mentor goal add Ship a RAG demo due 2026-12-31`."
)
_ONE_NUMBER = N_("Say which goal by its number, e.g. `/mentor goal {verb} 1`.")
_PROGRESS_SHAPE = N_(
    "Say the goal's number and a percentage, e.g. `/mentor goal progress 1 60` (or `auto`)."
)
_STATUS_SHAPE = N_(
    "Say the goal's number and a status, e.g. `/mentor goal status 1 at-risk` "
    "(on-track, at-risk or blocked)."
)
_MILESTONE_SHAPE = N_(
    "Say the goal's number and the milestone, e.g. `/mentor goal milestone 1 Finish the "
    "course due 12/31`."
)
_ONE_PERSON = N_("Show one person's goals at a time: `/mentor goal list @name`.")
_LIST_SHAPE = N_("Try `/mentor goal list`, `/mentor goal list all` or `/mentor goal list @name`.")
_COMMENT_SHAPE = N_(
    "Say whose goal, its number and your comment, e.g. `/mentor goal comment @minji 1 Nice "
    "progress!`."
)
_UNKNOWN = N_(
    "`/mentor goal {word}` is not something I know. Try `/mentor goal list`, `/mentor goal add "
    "<title> due <date>`, `/mentor goal done <n>`, `/mentor goal progress <n> <0-100>`, "
    "`/mentor goal status <n> on-track|at-risk|blocked`, `/mentor goal milestone <n> <title>`, "
    "`/mentor goal archive <n>` or `/mentor goal history <n>`."
)
