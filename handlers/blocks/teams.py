"""Answers to `/mentor team ...` (admins)."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

from bot.domain.teams import Team
from bot.i18n import Translate
from handlers.blocks.message import Message
from handlers.blocks.mrkdwn import escape, mention

LIST_BLOCK = "team-list"
MAX_SHOWN = 40
"""Teams listed in one answer (each line is short; the section holds 3,000 characters)."""


def _people(user_ids: frozenset[str] | Sequence[str]) -> str:
    return ", ".join(mention(u) for u in sorted(user_ids)) or "-"


def _members(team: Team, _: Translate) -> str:
    count = len(team.members)
    return _("1 member") if count == 1 else _("{count} members").format(count=count)


def team_line(team: Team, _: Translate) -> str:
    where = (
        _("digest to <#{channel}>").format(channel=team.channel_id)
        if team.channel_id
        else _("digest to the leads by DM")
    )
    return _("*{name}*: leads {leads} · {members} · {where}").format(
        name=escape(team.name), leads=_people(team.leads), members=_members(team, _), where=where
    )


def build_team_list(teams: Sequence[Team], _: Translate) -> Message:
    if not teams:
        text = _("No teams yet. Create one: `/mentor team create Search lead @minji`.")
        return Message(
            text, [SectionBlock(block_id=LIST_BLOCK, text=MarkdownTextObject(text=text))]
        )
    text = _("1 team") if len(teams) == 1 else _("{count} teams").format(count=len(teams))
    lines = [f"• {team_line(team, _)}" for team in teams[:MAX_SHOWN]]
    if len(teams) > MAX_SHOWN:
        lines.append(_("…and {count} more").format(count=len(teams) - MAX_SHOWN))
    blocks: list[Block] = [
        SectionBlock(block_id=LIST_BLOCK, text=MarkdownTextObject(text="\n".join(lines)))
    ]
    return Message(text, blocks)


def created_text(team: Team, _: Translate) -> str:
    return _(
        "Created team *{name}*, led by {leads}. Add people: `/mentor team add {name} @a @b`."
    ).format(name=escape(team.name), leads=_people(team.leads))


def added_text(team: Team, added: Sequence[str], _: Translate) -> str:
    if not added:
        return _("Everyone named is already in *{name}*.").format(name=escape(team.name))
    return _("Added {people} to *{name}* (now {members}).").format(
        people=_people(added), name=escape(team.name), members=_members(team, _)
    )


def leads_added_text(team: Team, added: Sequence[str], _: Translate) -> str:
    if not added:
        return _("Everyone named already leads *{name}*.").format(name=escape(team.name))
    return _("*{name}* is now led by {leads}.").format(
        name=escape(team.name), leads=_people(team.leads)
    )


def removed_text(team: Team, _: Translate) -> str:
    return _("Done. *{name}* now has leads {leads} and {members}.").format(
        name=escape(team.name), leads=_people(team.leads), members=_members(team, _)
    )


def channel_text(team: Team, _: Translate) -> str:
    if team.channel_id:
        return _("*{name}*'s weekly digest now goes to <#{channel}>.").format(
            name=escape(team.name), channel=team.channel_id
        )
    return _("*{name}*'s weekly digest now goes to its leads by DM.").format(name=escape(team.name))
