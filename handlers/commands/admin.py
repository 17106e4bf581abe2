"""`/mentor admin [list | add @a | remove @a]` (program admins)."""

from __future__ import annotations

from bot.domain.admin_command import AdminVerb, parse_admin_command
from bot.domain.commands import MentorCommand
from bot.domain.members import Member
from bot.i18n import Translate
from bot.services import Services
from handlers.blocks import help as help_blocks
from handlers.blocks.mrkdwn import mention
from handlers.commands.answers import Answer, SlashRequest


def admin_route(
    cmd: MentorCommand, member: Member, services: Services, _: Translate, _req: SlashRequest
) -> Answer:
    parsed = parse_admin_command(cmd.rest)
    members = services.members
    if parsed.verb is AdminVerb.LIST:
        configured, added = members.admins(member)
        text = _(
            "Program admins: {configured} (MENTOR_BOT_ADMINS); {added} (added in Slack)."
        ).format(configured=_people(configured), added=_people(added))
    else:
        on = parsed.verb is AdminVerb.ADD
        for user_id in parsed.people:
            members.set_admin(member, user_id, on)
        template = (
            _("{people} can now run the program.") if on else _("{people} is no longer an admin.")
        )
        text = template.format(people=_people(parsed.people))
    return Answer(text, help_blocks.build_notice_blocks(text))


def _people(user_ids: list[str] | tuple[str, ...]) -> str:
    return ", ".join(mention(u) for u in user_ids) or "-"
