"""The profile modal: open it for `/mentor profile`, save what is submitted, confirm by DM."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.domain.members import Member
from bot.domain.profile_input import ProfileInvalid
from bot.domain.profiles import Profile
from bot.i18n import translator
from bot.services import Services
from handlers.actions.common import who_pressed
from handlers.background import FollowUps
from handlers.blocks.profile import (
    build_profile_errors,
    build_profile_modal,
    build_profile_saved_blocks,
    build_profile_saved_text,
    profile_fields_from_state,
)
from handlers.home_tab import refresh_home_if_watching
from handlers.ids import ProfileView

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.view(ProfileView.MODAL.value)(handle_view_profile_submission)


def open_profile_modal(
    client: WebClient, trigger_id: str, member: Member, services: Services
) -> None:
    """Runs right after the slash command's ack: the trigger_id is good for 3 seconds.

    Someone Slack has never described to us yet (their first command) is looked up first, so
    a new profile starts from their real time zone and language rather than UTC and English.
    """
    if member.slack_synced_at is None:
        try:
            member = services.members.sync_from_slack(member.team_id, member.user_id)
        except Exception:  # the form still opens, with the defaults we have
            log.warning("could not look up %s before opening the profile", member.user_id)
    draft = services.profiles.draft_for(member)
    client.views_open(
        trigger_id=trigger_id, view=build_profile_modal(draft, translator(member.language))
    )


def handle_view_profile_submission(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    services: Services,
    follow_ups: FollowUps,
    client: WebClient,
    context: Any,
) -> None:
    member, _ = who_pressed(body, services, context)
    try:
        profile = services.profiles.save(member, profile_fields_from_state(view["state"]["values"]))
    except ProfileInvalid as invalid:
        ack(response_action="errors", errors=build_profile_errors(invalid, _))
        return
    follow_ups.submit(_confirm_by_dm, client, profile, member.language)
    refresh_home_if_watching(services, client, follow_ups, member)
    ack()


def _confirm_by_dm(client: WebClient, profile: Profile, language: str) -> None:
    """A receipt in the person's DM with the bot: the modal is gone, the DM stays findable."""
    _ = translator(language)
    client.chat_postMessage(
        channel=profile.user_id,
        text=build_profile_saved_text(_),
        blocks=build_profile_saved_blocks(profile, _),
    )
