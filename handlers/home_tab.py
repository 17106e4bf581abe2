"""Publishing a person's Home tab (views.publish): on opening it, and again after they change
something it shows."""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot.domain.matches import Match
from bot.domain.members import Member
from bot.i18n import translator
from bot.services import Services
from handlers.background import FollowUps
from handlers.blocks.home import build_home_view

log = logging.getLogger(__name__)


def publish_home(
    services: Services, client: WebClient, team_id: str, user_id: str, notice: str | None = None
) -> None:
    """Runs on the follow-up pool. The person is read afresh (a change may have just set their
    language); someone Slack has not described to us yet is looked up first, so their Home comes
    in their own language and time zone."""
    members = services.members
    member = members.get_member(team_id, user_id)
    if members.needs_slack_sync(member):
        try:
            member = members.sync_from_slack(team_id, user_id)
        except Exception:  # the Home still comes, with what we know
            log.warning("could not look up %s before drawing their Home", user_id)
    view = build_home_view(services.home.snapshot(member), translator(member.language), notice)
    client.views_publish(user_id=user_id, view=view)
    services.home.note_opened(member)


def refresh_home_if_watching(
    services: Services, client: WebClient, follow_ups: FollowUps, member: Member
) -> None:
    """After a /mentor command or a form: redraw the Home of someone who has it open (opened it
    lately), on the follow-up pool; anyone else gets a fresh one when they next open it."""
    if services.home.is_watching(member):
        follow_ups.submit(publish_home, services, client, member.team_id, member.user_id)


def refresh_match_homes(
    services: Services,
    client: WebClient,
    match: Match,
    *,
    drawn: str | None = None,
) -> None:
    """After a match changed: redraw the Home of each side watching it (and of the next mentor a
    decline asked), except `drawn`, whose Home the caller already draws with a notice."""
    watching = services.home.watching_a_match(match.team_id, match.mentee_id, match.mentor_id)
    for user_id in watching:
        if user_id != drawn:
            publish_home(services, client, match.team_id, user_id)
