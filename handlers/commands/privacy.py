"""`/mentor export` (a file with everything stored about you) and `/mentor delete-my-data` (a
confirmation first)."""

from __future__ import annotations

import json

from slack_sdk import WebClient

from bot.domain.commands import MentorCommand
from bot.domain.members import Member
from bot.i18n import Translate
from bot.services import Services
from handlers.blocks import help as help_blocks
from handlers.blocks import privacy as privacy_blocks
from handlers.commands.answers import Answer, SlashRequest


def export_route(
    _cmd: MentorCommand, member: Member, services: Services, _: Translate, req: SlashRequest
) -> Answer:
    req.follow_ups.submit(send_export, services, req.client, member, _)
    text = privacy_blocks.export_sent_text(_)
    return Answer(text, help_blocks.build_notice_blocks(text))


def delete_route(
    _cmd: MentorCommand, _member: Member, _services: Services, _: Translate, _req: SlashRequest
) -> Answer:
    return Answer(*privacy_blocks.build_delete_confirmation(_))


def send_export(services: Services, client: WebClient, member: Member, _: Translate) -> None:
    data = services.privacy.export(member)
    channel = client.conversations_open(users=member.user_id)["channel"]["id"]
    client.files_upload_v2(
        channel=channel,
        content=json.dumps(data, ensure_ascii=False, indent=2),
        filename=f"mentor-bot-{member.user_id}.json",
        title=_("Your data"),
        initial_comment=privacy_blocks.export_comment(_),
    )
