"""`/mentor <subcommand>`: parse, call one service, answer ephemerally on the ack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from slack_bolt import Ack, App
from slack_sdk.models.blocks import Block

from bot.domain.commands import MentorCommand, Subcommand, UnknownCommand, parse_mentor_command
from bot.domain.errors import UserFacingError
from bot.domain.members import LANGUAGE_NAMES, Member
from bot.i18n import Translate, translator
from bot.services import Services
from handlers.background import FollowUps
from handlers.blocks import help as help_blocks
from handlers.errors import user_error_text
from handlers.ids import SlashCommand


class Answer(NamedTuple):
    text: str
    blocks: list[Block]


Route = Callable[[MentorCommand, Member, Services, Translate], Answer]


def register(app: App) -> None:
    app.command(SlashCommand.MENTOR.value)(handle_command_mentor)


def handle_command_mentor(
    ack: Ack, command: dict[str, Any], services: Services, follow_ups: FollowUps, context: Any
) -> None:
    member = services.members.get_member(command["team_id"], command["user_id"])
    context["language"] = member.language
    _ = translator(member.language)
    parsed = parse_mentor_command(command.get("text", ""))
    try:
        answer = _answer(parsed, member, services, _)
    except UserFacingError as error:
        answer = _notice(user_error_text(error, _))
    ack(text=answer.text, blocks=answer.blocks)
    if services.members.needs_slack_sync(member):
        follow_ups.submit(services.members.sync_from_slack, member.team_id, member.user_id)


def _answer(
    parsed: MentorCommand | UnknownCommand, member: Member, services: Services, _: Translate
) -> Answer:
    if isinstance(parsed, UnknownCommand):
        return Answer(
            help_blocks.build_unknown_command_text(parsed.word, parsed.suggestion, _),
            help_blocks.build_unknown_command_blocks(parsed.word, parsed.suggestion, _),
        )
    return ROUTES.get(parsed.subcommand, _coming_soon)(parsed, member, services, _)


def _notice(text: str) -> Answer:
    return Answer(text, help_blocks.build_notice_blocks(text))


def _help(_cmd: MentorCommand, _member: Member, _services: Services, _: Translate) -> Answer:
    return Answer(help_blocks.build_help_text(_), help_blocks.build_help_blocks(_))


def _lang(cmd: MentorCommand, member: Member, services: Services, _: Translate) -> Answer:
    updated = services.members.set_language(member.team_id, member.user_id, cmd.rest)
    _ = translator(updated.language)
    language = _(LANGUAGE_NAMES[updated.language])
    return _notice(_("From now on I will talk to you in {language}.").format(language=language))


def _coming_soon(cmd: MentorCommand, _member: Member, _services: Services, _: Translate) -> Answer:
    return _notice(help_blocks.build_coming_soon_text(cmd.spec, _))


ROUTES: dict[Subcommand, Route] = {
    Subcommand.HELP: _help,
    Subcommand.LANG: _lang,
}
