"""`/mentor team [list | create | add | remove | channel]` (program admins)."""

from __future__ import annotations

from bot.domain.commands import MentorCommand
from bot.domain.members import Member
from bot.domain.teams import TeamRole, TeamVerb, parse_team_command
from bot.i18n import Translate
from bot.services import Services
from handlers.blocks import help as help_blocks
from handlers.blocks import teams as team_blocks
from handlers.commands.answers import Answer, SlashRequest


def team_route(
    cmd: MentorCommand, member: Member, services: Services, _: Translate, _req: SlashRequest
) -> Answer:
    parsed = parse_team_command(cmd.rest)
    teams = services.teams
    if parsed.verb is TeamVerb.LIST:
        return Answer(*team_blocks.build_team_list(teams.list(member), _))
    if parsed.verb is TeamVerb.CREATE:
        text = team_blocks.created_text(teams.create(member, parsed.name, parsed.leads), _)
    elif parsed.verb is TeamVerb.ADD:
        team, added = teams.add(member, parsed.name, parsed.people)
        text = team_blocks.added_text(team, added, _)
    elif parsed.verb is TeamVerb.LEAD:
        team, added = teams.add(member, parsed.name, parsed.people, TeamRole.LEAD)
        text = team_blocks.leads_added_text(team, added, _)
    elif parsed.verb is TeamVerb.REMOVE:
        text = team_blocks.removed_text(teams.remove(member, parsed.name, parsed.people), _)
    else:
        text = team_blocks.channel_text(
            teams.set_channel(member, parsed.name, parsed.channel_id), _
        )
    return Answer(text, help_blocks.build_notice_blocks(text))
