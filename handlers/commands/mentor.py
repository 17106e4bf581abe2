"""`/mentor <subcommand>`: parse, call one service, answer ephemerally on the ack (or open a
modal right after it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.clock import SystemClock
from bot.domain.commands import MentorCommand, Subcommand, UnknownCommand, parse_mentor_command
from bot.domain.errors import UserFacingError
from bot.domain.members import LANGUAGE_NAMES, Member
from bot.i18n import Translate, translator
from bot.services import Services
from handlers.background import FollowUps
from handlers.blocks import help as help_blocks
from handlers.commands import checkin
from handlers.commands.admin import admin_route
from handlers.commands.answers import Answer, SlashRequest
from handlers.commands.digest import digest_route
from handlers.commands.goal import goal_route
from handlers.commands.match import match_route
from handlers.commands.privacy import delete_route, export_route
from handlers.commands.team import team_route
from handlers.errors import user_error_text
from handlers.home_tab import refresh_home_if_watching
from handlers.ids import SlashCommand
from handlers.views.profile import open_profile_modal

Route = Callable[[MentorCommand, Member, Services, Translate, SlashRequest], Answer]


def register(app: App) -> None:
    app.command(SlashCommand.MENTOR.value)(handle_command_mentor)


def handle_command_mentor(
    ack: Ack,
    command: dict[str, Any],
    services: Services,
    follow_ups: FollowUps,
    client: WebClient,
    context: Any,
) -> None:
    member = services.members.get_member(command["team_id"], command["user_id"])
    context["language"] = member.language
    _ = translator(member.language)
    parsed = parse_mentor_command(command.get("text", ""))
    request = SlashRequest(
        command.get("trigger_id", ""),
        command.get("channel_id", ""),
        client,
        follow_ups,
        context.get("clock") or SystemClock(),
    )
    try:
        answer = _answer(parsed, member, services, _, request)
    except UserFacingError as error:
        answer = _notice(user_error_text(error, _))
    # Queued before the ack, so that whoever waits for the follow-up pool once Slack has its
    # answer (a test, a shutdown) waits for these too; the ack does not wait for them.
    if services.members.needs_slack_sync(member):
        follow_ups.submit(services.members.sync_from_slack, member.team_id, member.user_id)
    refresh_home_if_watching(services, client, follow_ups, member)
    if answer.text:
        ack(text=answer.text, blocks=answer.blocks)
    else:
        ack()
    if answer.after_ack is not None:
        answer.after_ack()


def _answer(
    parsed: MentorCommand | UnknownCommand,
    member: Member,
    services: Services,
    _: Translate,
    request: SlashRequest,
) -> Answer:
    if isinstance(parsed, UnknownCommand):
        return Answer(
            help_blocks.build_unknown_command_text(parsed.word, parsed.suggestion, _),
            help_blocks.build_unknown_command_blocks(parsed.word, parsed.suggestion, _),
        )
    return ROUTES.get(parsed.subcommand, _coming_soon)(parsed, member, services, _, request)


def _notice(text: str) -> Answer:
    return Answer(text, help_blocks.build_notice_blocks(text))


def _help(
    _cmd: MentorCommand, _member: Member, _services: Services, _: Translate, _req: SlashRequest
) -> Answer:
    return Answer(help_blocks.build_help_text(_), help_blocks.build_help_blocks(_))


def _lang(
    cmd: MentorCommand, member: Member, services: Services, _: Translate, _req: SlashRequest
) -> Answer:
    updated = services.members.set_language(member.team_id, member.user_id, cmd.rest)
    _ = translator(updated.language)
    language = _(LANGUAGE_NAMES[updated.language])
    return _notice(_("From now on I will talk to you in {language}.").format(language=language))


def _profile(
    _cmd: MentorCommand, member: Member, services: Services, _: Translate, req: SlashRequest
) -> Answer:
    """A silent ack, then the profile modal (pre-filled) opened with the command's trigger."""
    return Answer(
        "", [], after_ack=lambda: open_profile_modal(req.client, req.trigger_id, member, services)
    )


def _coming_soon(
    cmd: MentorCommand, _member: Member, _services: Services, _: Translate, _req: SlashRequest
) -> Answer:
    return _notice(help_blocks.build_coming_soon_text(cmd.spec, _))


ROUTES: dict[Subcommand, Route] = {
    Subcommand.HELP: _help,
    Subcommand.LANG: _lang,
    Subcommand.PROFILE: _profile,
    Subcommand.MATCH: match_route,
    Subcommand.CHECKIN: checkin.checkin_route,
    Subcommand.GOAL: goal_route,
    Subcommand.DIGEST: digest_route,
    Subcommand.TEAM: team_route,
    Subcommand.ADMIN: admin_route,
    Subcommand.EXPORT: export_route,
    Subcommand.DELETE_MY_DATA: delete_route,
    Subcommand.PAUSE: checkin.pause_route,
    Subcommand.SKIP: checkin.skip_route,
    Subcommand.RESUME: checkin.resume_route,
}
