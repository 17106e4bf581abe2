"""`/mentor match ...`: see your match or suggestions, end a match; admins run rounds."""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot.domain.commands import MentorCommand
from bot.domain.errors import UserFacingError
from bot.domain.match_command import MatchVerb, parse_match_command
from bot.domain.members import Member
from bot.i18n import Translate, translator
from bot.services import Services
from handlers.blocks import help as help_blocks
from handlers.blocks import matches as match_blocks
from handlers.commands.answers import Answer, SlashRequest
from handlers.errors import new_reference, something_went_wrong, user_error_text

log = logging.getLogger(__name__)


def match_route(
    cmd: MentorCommand, member: Member, services: Services, _: Translate, request: SlashRequest
) -> Answer:
    parsed = parse_match_command(cmd.rest)
    if parsed.verb is MatchVerb.RUN:
        services.matching.check_admin(member)
        request.follow_ups.submit(run_round_and_send_preview, services, request.client, member)
        text = _("Solving a matching round for everyone waiting… I will DM you the preview.")
        return Answer(text, help_blocks.build_notice_blocks(text))
    if parsed.verb is MatchVerb.HISTORY:
        return Answer(*match_blocks.build_history(services.matching.history(member), _))
    if parsed.verb is MatchVerb.END:
        ended = services.matching.end(member, parsed.partner_id, parsed.reason)
        other = ended.mentee_id if ended.mentor_id == member.user_id else ended.mentor_id
        text = _("Your match with <@{other}> has ended. I have let them know.").format(other=other)
        if ended.mentee_id == member.user_id:
            text += " " + _("Type `/mentor match` whenever you would like a new mentor.")
        return Answer(text, help_blocks.build_notice_blocks(text))
    return Answer(
        *match_blocks.build_overview(services.matching.overview(member), member.user_id, _)
    )


def run_round_and_send_preview(services: Services, client: WebClient, admin: Member) -> None:
    """After the ack: a large pool takes seconds to solve. The preview arrives as a DM, where
    its Approve / Discard buttons stay until someone decides."""
    _ = translator(admin.language)
    try:
        text, blocks = match_blocks.build_round_preview(services.matching.run_round(admin), _)
    except UserFacingError as error:
        text = user_error_text(error, _)
        blocks = help_blocks.build_notice_blocks(text)
    except Exception:
        ref = new_reference()
        log.exception("matching round for %s failed (ref %s)", admin.user_id, ref)
        text = something_went_wrong(ref, _)
        blocks = help_blocks.build_notice_blocks(text)
    client.chat_postMessage(channel=admin.user_id, text=text, blocks=blocks)
