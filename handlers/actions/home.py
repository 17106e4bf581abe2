"""Buttons in the Home tab. Accept / decline, the one-tap goal status and pause keep the action
ids of the messages they also live in; pressed in the Home tab (`view.type == "home"`) they are
taken here, registered first, because there is no message to update: the same service call is
made, then the Home is drawn again with a line saying what happened (or what went wrong)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.clock import Clock, SystemClock
from bot.domain.errors import UserFacingError
from bot.domain.goals import GoalStatus
from bot.domain.members import Member
from bot.i18n import Translate
from bot.services import Services
from handlers.actions.common import who_pressed
from handlers.actions.matches import build_decline_modal, decline_as_submitted
from handlers.background import FollowUps
from handlers.blocks import digests as digest_blocks
from handlers.blocks import goals as goal_blocks
from handlers.blocks.mrkdwn import mention
from handlers.commands.checkin import PAUSE_OFFERED, local_today, paused_text
from handlers.commands.match import run_round_and_send_preview
from handlers.digest_files import upload_chart
from handlers.errors import new_reference, something_went_wrong, user_error_text
from handlers.home_tab import publish_home, refresh_match_homes
from handlers.ids import CheckinAction, GoalAction, HomeAction, MatchAction, MatchView
from handlers.views.profile import open_profile_modal

log = logging.getLogger(__name__)

TAP = re.compile("^" + re.escape(GoalAction.TAP_PREFIX.value) + "(.+)$")


def from_home(body: dict[str, Any]) -> bool:
    return (body.get("view") or {}).get("type") == "home"


def declined_from_home(body: dict[str, Any]) -> bool:
    metadata = (body.get("view") or {}).get("private_metadata") or "{}"
    try:
        return json.loads(metadata).get("home") is True
    except (ValueError, AttributeError):
        return False


def register(app: App) -> None:
    home = [from_home]
    app.action(MatchAction.ACCEPT.value, matchers=home)(handle_home_accept)
    app.action(MatchAction.DECLINE.value, matchers=home)(handle_home_decline)
    app.view(MatchView.DECLINE.value, matchers=[declined_from_home])(handle_home_decline_submission)
    app.action(TAP, matchers=home)(handle_home_goal_tap)
    app.action(CheckinAction.PAUSE_FOUR_WEEKS.value, matchers=home)(handle_home_pause)
    app.action(HomeAction.RESUME.value)(handle_home_resume)
    app.action(HomeAction.SKIP.value)(handle_home_skip)
    app.action(HomeAction.DIGEST.value)(handle_home_digest)
    app.action(HomeAction.RUN_ROUND.value)(handle_home_run_round)
    app.action(HomeAction.EDIT_PROFILE.value)(handle_home_edit_profile)


@dataclass(frozen=True)
class Pressed:
    """What a Home button's work gets: who pressed what, in which language, and the edge."""

    services: Services
    member: Member
    body: dict[str, Any]
    client: WebClient
    follow_ups: FollowUps
    clock: Clock

    @property
    def value(self) -> str:
        return str(self.body["actions"][0].get("value") or "")


HomeWork = Callable[[Pressed, Translate], str]


def changes_home(work: HomeWork) -> Callable[..., None]:
    """A listener that acks at once, then (on the follow-up pool) does the work and draws the
    Home again with what it says - a refusal's message, or a reference for anything else."""

    def listener(
        ack: Ack,
        body: dict[str, Any],
        client: WebClient,
        services: Services,
        follow_ups: FollowUps,
        context: Any,
    ) -> None:
        member, _ = who_pressed(body, services, context)
        pressed = Pressed(
            services, member, body, client, follow_ups, context.get("clock") or SystemClock()
        )

        def run() -> None:
            try:
                notice = work(pressed, _)
            except UserFacingError as error:
                notice = user_error_text(error, _)
            except Exception:
                ref = new_reference()
                log.exception("home button failed (ref %s)", ref)
                notice = something_went_wrong(ref, _)
            publish_home(services, client, member.team_id, member.user_id, notice)

        follow_ups.submit(run)
        ack()

    return listener


def _accept(pressed: Pressed, _: Translate) -> str:
    match = pressed.services.matching.accept(pressed.member, int(pressed.value))
    pressed.follow_ups.submit(
        partial(refresh_match_homes, pressed.services, pressed.client, match, drawn=match.mentor_id)
    )
    return _("You accepted. I am introducing you and {mentee} in a group message now.").format(
        mentee=mention(match.mentee_id)
    )


def _goal_tap(pressed: Pressed, _: Translate) -> str:
    action = pressed.body["actions"][0]
    match = TAP.match(action["action_id"])
    assert match is not None
    goals = pressed.services.goals
    goal = goals.set_status(pressed.member, GoalStatus(match.group(1)), goal_id=int(pressed.value))
    return goal_blocks.build_goal_changed(goal, goals.today(pressed.member), _)


def _pause(pressed: Pressed, _: Translate) -> str:
    until = local_today(pressed.clock, pressed.member) + PAUSE_OFFERED
    return paused_text(pressed.services.checkins.pause(pressed.member, until), _)


def _resume(pressed: Pressed, _: Translate) -> str:
    pressed.services.checkins.resume(pressed.member)
    return _("Your weekly check-ins are on again. The next one comes at its usual time.")


def _skip(pressed: Pressed, _: Translate) -> str:
    week = pressed.services.checkins.skip_this_week(pressed.member)
    return _("Skipped your check-in for {week}. See you next week!").format(week=week)


def _digest(pressed: Pressed, _: Translate) -> str:
    """The digest of the team named on the button (none: the whole program, for admins), by DM
    as `/mentor digest` sends one that takes long to build."""
    digest = pressed.services.digests.for_viewer(pressed.member, pressed.value or None)
    text, blocks = digest_blocks.build_digest(digest, _)
    posted = pressed.client.chat_postMessage(
        channel=pressed.member.user_id, text=text, blocks=blocks
    )
    upload_chart(pressed.client, posted["channel"], digest, _, thread_ts=posted["ts"])
    return _("I have sent you the digest in a direct message.")


def _run_round(pressed: Pressed, _: Translate) -> str:
    pressed.services.matching.check_admin(pressed.member)
    pressed.follow_ups.submit(
        run_round_and_send_preview, pressed.services, pressed.client, pressed.member
    )
    return _("Solving a matching round for everyone waiting… I will DM you the preview.")


handle_home_accept = changes_home(_accept)
handle_home_goal_tap = changes_home(_goal_tap)
handle_home_pause = changes_home(_pause)
handle_home_resume = changes_home(_resume)
handle_home_skip = changes_home(_skip)
handle_home_digest = changes_home(_digest)
handle_home_run_round = changes_home(_run_round)


def handle_home_decline(
    ack: Ack, body: dict[str, Any], client: WebClient, services: Services, context: Any
) -> None:
    """The decline form, as from the request message; its answer redraws the Home."""
    ack()
    _member, _ = who_pressed(body, services, context)
    metadata = {"match_id": int(body["actions"][0]["value"]), "home": True}
    client.views_open(trigger_id=body["trigger_id"], view=build_decline_modal(metadata, _))


def handle_home_decline_submission(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    declined = decline_as_submitted(ack, body, view, services, context)
    if declined is None:
        return
    match = declined.match
    follow_ups.submit(publish_home, services, client, match.team_id, match.mentor_id, declined.text)
    follow_ups.submit(partial(refresh_match_homes, services, client, match, drawn=match.mentor_id))
    ack()


def handle_home_edit_profile(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    services: Services,
    follow_ups: FollowUps,
    context: Any,
) -> None:
    """The profile form, opened on the pool before the ack (the trigger lives 3 seconds)."""
    member, _ = who_pressed(body, services, context)
    follow_ups.submit(open_profile_modal, client, body["trigger_id"], member, services)
    ack()
