"""The App Home tab as people meet it: opening it publishes their dashboard (views.publish) with
the sections their roles call for - a mentee's mentor and goals, a mentor's requests, a lead's
teams, an admin's program panel - within Slack's limits, in their language; a button pressed in
it changes what it says it changes and draws the Home again; so does a /mentor command.

Everything goes over signed HTTP into the running bot; assertions are on the view the fake Slack
holds as each person's Home, and on the rows stored.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.domain.deliveries import DeliveryState
from bot.domain.goals import GoalStatus
from bot.domain.matches import MatchSource, MatchState, NewMatch
from bot.domain.members import Member
from bot.domain.profiles import ProgramRole
from handlers.ids import (
    CheckinAction,
    GoalAction,
    HomeAction,
    HomeBlock,
    MatchAction,
    MatchBlock,
    MatchView,
)
from tests.e2e.test_checkins import bot as checkin_bot  # noqa: F401 - the cohort fixture
from tests.e2e.test_checkins import pair, poll
from tests.e2e.test_matching import buttons, click, dms_to, shown
from tests.e2e.test_profile import mentor_state
from tests.e2e.test_profile import submit as submit_profile
from tests.support.program import profile, store
from tests.support.running_bot import RunningBot
from tests.support.slack_requests import (
    block_actions_body,
    event_callback_body,
    view_submission_body,
)

TEAM = "T111"
MENTOR = "UM1"
MENTEE = "USEOUL"
ADMIN = "UADMIN"
LEAD = "ULEAD"


@pytest.fixture
def bot(checkin_bot: RunningBot) -> RunningBot:  # noqa: F811
    """The check-in cohort (UM1 mentors, capacity 2; USEOUL, UE2 in Seoul, UBERLIN, ULA are
    mentees), with UM1 mentoring USEOUL; Friday 27 November 2026 16:00 in Seoul."""
    pair(checkin_bot, MENTOR, MENTEE)
    checkin_bot.fake_slack.add_user(LEAD, tz="Asia/Seoul", tz_offset=32400, locale="en-US")
    return checkin_bot


def person(user_id: str, *, admin: bool = False) -> Member:
    return Member(team_id=TEAM, user_id=user_id, is_admin=admin)


def open_home(bot: RunningBot, user_id: str) -> dict[str, Any]:
    event = {
        "type": "app_home_opened",
        "user": user_id,
        "channel": f"D{user_id}",
        "tab": "home",
        "event_ts": "1700000000.000100",
    }
    assert bot.post(event_callback_body(event, team_id=TEAM)).status == 200
    bot.wait_for_follow_ups()
    home = bot.fake_slack.home_tab(user_id)
    assert home is not None, "no Home was published"
    return home


def press(
    bot: RunningBot, user_id: str, home: dict[str, Any], action: str, value: str | None = None
) -> dict[str, Any]:
    """A button in the Home tab; returns the Home as published again afterwards."""
    value = value if value is not None else buttons(home)[action]
    before = home["hash"]
    body = block_actions_body(
        action_id=action, value=value, user_id=user_id, team_id=TEAM, view=home
    )
    assert bot.post(body).status == 200
    bot.wait_for_follow_ups()
    poll(lambda: (bot.fake_slack.home_tab(user_id) or {}).get("hash") != before)
    bot.wait_for_follow_ups()
    return bot.fake_slack.home_tab(user_id) or {}


def block_ids(home: dict[str, Any]) -> set[str]:
    return {b.get("block_id", "") for b in home["blocks"]}


def publishes_to(bot: RunningBot, user_id: str) -> int:
    return sum(1 for c in bot.fake_slack.calls_to("views.publish") if c.args["user_id"] == user_id)


def goals_of(bot: RunningBot, user_id: str):
    with bot.container.services.deliveries._uow() as uow:
        return uow.goals.list_for(TEAM, user_id, include_archived=True)


def test_a_mentee_sees_their_mentor_with_local_time_and_overlap_goals_and_next_checkin(bot):
    bot.container.services.goals.add(person(MENTEE), "Ship a RAG demo", None)

    home = open_home(bot, MENTEE)

    text = shown(home)
    assert home["type"] == "home"
    assert "Your mentoring home" in text
    assert "<@UM1> is your mentor" in text
    assert "their time 16:00 (Asia/Seoul)" in text
    assert "working hours overlap 09:00–18:00 your time" in text
    assert "Ship a RAG demo" in text
    assert "The next one comes 2026-12-04 16:00 (Asia/Seoul)." in text
    ids = block_ids(home)
    assert {HomeBlock.PROFILE, HomeBlock.MATCHES, HomeBlock.GOALS, HomeBlock.CHECKINS} <= ids
    assert not ids & {HomeBlock.LEAD, HomeBlock.ADMIN, HomeBlock.ADMIN_ACTIONS}
    actions = buttons(home)
    assert f"{GoalAction.TAP_PREFIX}{GoalStatus.AT_RISK}" in actions
    assert {CheckinAction.PAUSE_FOUR_WEEKS, HomeAction.SKIP} <= actions.keys()
    assert HomeAction.RUN_ROUND not in actions and HomeAction.DIGEST not in actions


def test_a_mentor_answers_a_request_from_home_and_the_home_is_drawn_again(bot):
    request = bot.container.services.matching.request(person("UE2"), MENTOR)

    home = open_home(bot, MENTOR)

    text = shown(home)
    assert "<@USEOUL> is your mentee" in text
    assert "<@UE2> asks you to be their mentor" in text
    assert buttons(home)[MatchAction.ACCEPT] == str(request.id)
    assert MatchAction.DECLINE in buttons(home)
    assert HomeBlock.ADMIN not in block_ids(home)

    after = press(bot, MENTOR, home, MatchAction.ACCEPT)

    with bot.container.services.deliveries._uow() as uow:
        assert uow.matches.get(TEAM, request.id).state is MatchState.ACCEPTED
    text = shown(after)
    assert "You accepted. I am introducing you and <@UE2>" in text
    assert "<@UE2> is your mentee" in text
    assert MatchAction.ACCEPT not in buttons(after)


def test_a_lead_sees_their_teams_as_numbers_only_and_gets_the_digest_by_dm(bot):
    services = bot.container.services
    services.goals.add(person(MENTEE), "Ship a RAG demo", None)
    services.teams.create(person(ADMIN, admin=True), "Platform", [LEAD])
    services.teams.add(person(ADMIN, admin=True), "Platform", [MENTEE])

    home = open_home(bot, LEAD)

    text = shown(home)
    assert "Platform: 2 people" in text
    assert "Ship a RAG demo" not in text
    assert buttons(home)[HomeAction.DIGEST] == "Platform"
    assert HomeBlock.ADMIN not in block_ids(home)
    assert "You have no mentoring profile yet" in text

    after = press(bot, LEAD, home, HomeAction.DIGEST)

    assert "I have sent you the digest in a direct message." in shown(after)
    assert any("Platform" in shown(m) for m in dms_to(bot, LEAD))


def test_an_admin_sees_the_program_panel_with_waiting_people_capacity_and_failed_sends(bot):
    bot.fake_slack.fail_next("chat.postMessage", error="channel_not_found")
    report = bot.container.services.dispatcher.dispatch_due()
    assert report.attempted

    home = open_home(bot, ADMIN)

    text = shown(home)
    assert {HomeBlock.ADMIN_WAITING, HomeBlock.ADMIN_CAPACITY, HomeBlock.ADMIN_FAILED} <= (
        block_ids(home)
    )
    assert "*Waiting for a match (3)*" in text
    assert "<@UBERLIN>" in text and "<@ULA>" in text and "<@UE2>" in text
    assert "<@UM1>: 1 of 2 places taken" in text
    assert "channel_not_found" in text
    assert HomeAction.RUN_ROUND in buttons(home)
    with bot.container.services.deliveries._uow() as uow:
        assert uow.deliveries.list(state=DeliveryState.FAILED, team_id=TEAM)


def test_a_full_home_stays_within_slacks_100_blocks_and_says_what_it_left_out(bot):
    services = bot.container.services
    admin = person(ADMIN, admin=True)
    store(services, profile(ADMIN, ProgramRole.MENTOR, capacity=10))
    waiting = [f"UW{n:03d}" for n in range(60)]
    store(services, *(profile(user_id) for user_id in waiting))
    now = bot.clock.now()
    with services.deliveries._uow() as uow:
        for mentee in waiting[:10]:
            new = NewMatch(
                team_id=TEAM,
                mentor_id=ADMIN,
                mentee_id=mentee,
                state=MatchState.REQUESTED,
                source=MatchSource.SELF_SERVE,
                score=10,
                reasons=(),
                expires_at=now + timedelta(hours=72),
            )
            uow.matches.add(new, at=now, actor=mentee)
        uow.commit()
    for n in range(10):
        services.goals.add(admin, f"Goal {n} " + "& <b>" * 28, None)
    for n in range(8):
        services.teams.create(admin, f"Team {n}", [ADMIN])

    home = open_home(bot, ADMIN)

    [call] = [c for c in bot.fake_slack.calls_to("views.publish") if c.args["user_id"] == ADMIN]
    assert call.ok, call.error
    assert len(home["blocks"]) <= 100
    text = shown(home)
    assert "… 5 more not shown" in text  # requests past the first five
    assert "… 3 more not shown" in text  # teams past the first five
    assert "<script>" not in text and "&lt;b&gt;" in text


def test_a_korean_speaker_gets_their_home_in_korean(bot):
    bot.fake_slack.add_user("UKO", tz="Asia/Seoul", tz_offset=32400, locale="ko-KR")

    home = open_home(bot, "UKO")

    text = shown(home)
    assert "나의 멘토링 홈" in text
    assert "프로필 작성하기" in text
    assert "Your mentoring home" not in text


def test_a_goal_status_tapped_in_home_is_saved_and_shown(bot):
    goal = bot.container.services.goals.add(person(MENTEE), "Ship a RAG demo", None)
    home = open_home(bot, MENTEE)

    after = press(bot, MENTEE, home, f"{GoalAction.TAP_PREFIX}{GoalStatus.AT_RISK}", str(goal.id))

    [stored] = goals_of(bot, MENTEE)
    assert stored.status is GoalStatus.AT_RISK
    assert "At risk" in shown(after)
    assert f"{GoalAction.TAP_PREFIX}{GoalStatus.ON_TRACK}" in buttons(after)


def test_pause_and_resume_from_home_change_the_next_checkin(bot):
    home = open_home(bot, MENTEE)

    paused = press(bot, MENTEE, home, CheckinAction.PAUSE_FOUR_WEEKS, "")

    text = shown(paused)
    assert "Paused until 2026-12-25: no check-ins until then." in text
    assert "The next one comes 2027-01-01 16:00 (Asia/Seoul)." in text
    assert HomeAction.RESUME in buttons(paused)

    resumed = press(bot, MENTEE, paused, HomeAction.RESUME, "")

    assert "Your weekly check-ins are on again." in shown(resumed)
    assert "The next one comes 2026-12-04 16:00 (Asia/Seoul)." in shown(resumed)


def test_a_mentor_command_redraws_the_home_of_someone_who_opened_it(bot):
    open_home(bot, MENTEE)
    before = publishes_to(bot, MENTEE)

    assert bot.command("pause until 2026-12-31", user_id=MENTEE).status == 200
    bot.wait_for_follow_ups()

    assert publishes_to(bot, MENTEE) == before + 1
    assert "Paused until 2026-12-31" in shown(bot.fake_slack.home_tab(MENTEE))


def test_a_command_from_someone_who_never_opened_home_publishes_nothing(bot):
    assert bot.command("pause until 2026-12-31", user_id="UE2").status == 200
    bot.wait_for_follow_ups()

    assert publishes_to(bot, "UE2") == 0


def test_a_request_answered_in_one_home_redraws_the_other_sides_open_home(bot):
    request = bot.container.services.matching.request(person("UE2"), MENTOR)
    asking = open_home(bot, "UE2")
    assert "<@UM1> is your mentor" not in shown(asking)
    mentor_home = open_home(bot, MENTOR)
    mentors_before = publishes_to(bot, MENTOR)

    press(bot, MENTOR, mentor_home, MatchAction.ACCEPT, str(request.id))
    poll(lambda: "<@UM1> is your mentor" in shown(bot.fake_slack.home_tab("UE2") or {"blocks": []}))

    assert publishes_to(bot, MENTOR) == mentors_before + 1, "the mentor's Home is drawn once"
    assert publishes_to(bot, MENTEE) == 0, "the mentor's other mentee never opened hers"


def test_asking_a_mentor_from_the_suggestions_redraws_the_mentors_open_home(bot):
    mentor_home = open_home(bot, MENTOR)
    assert "asks you to be their mentor" not in shown(mentor_home)
    answer = bot.command("match", user_id="UE2")
    suggestions = {"ts": "1.0", "channel": "C111", "blocks": answer.json["blocks"], "text": ""}

    click(bot, "UE2", suggestions, MatchAction.ASK_MENTOR, MENTOR)
    poll(lambda: "<@UE2> asks you" in shown(bot.fake_slack.home_tab(MENTOR) or {"blocks": []}))

    assert publishes_to(bot, "UE2") == 0, "she never opened her Home"


def test_a_mentor_declines_from_home_with_a_reason_and_both_open_homes_are_redrawn(bot):
    request = bot.container.services.matching.request(person("UE2"), MENTOR)
    open_home(bot, "UE2")
    mentee_before = publishes_to(bot, "UE2")
    home = open_home(bot, MENTOR)

    body = block_actions_body(
        action_id=MatchAction.DECLINE,
        value=str(request.id),
        user_id=MENTOR,
        team_id=TEAM,
        view=home,
    )
    assert bot.post(body).status == 200
    [opened] = bot.fake_slack.wait_for("views.open")
    form = opened.args["view"]
    answer = bot.post(
        view_submission_body(
            callback_id=MatchView.DECLINE,
            user_id=MENTOR,
            private_metadata=form["private_metadata"],
            values={MatchBlock.DECLINE_REASON: {MatchAction.DECLINE_REASON: "Full this month"}},
        )
    )
    assert answer.status == 200 and answer.body == b""
    bot.wait_for_follow_ups()
    poll(lambda: "You declined" in shown(bot.fake_slack.home_tab(MENTOR) or {"blocks": []}))

    with bot.container.services.deliveries._uow() as uow:
        assert uow.matches.get(TEAM, request.id).state is MatchState.DECLINED
    mentor_home = bot.fake_slack.home_tab(MENTOR)
    assert "<@UE2> asks you" not in shown(mentor_home)
    assert MatchAction.ACCEPT not in buttons(mentor_home)
    poll(lambda: publishes_to(bot, "UE2") > mentee_before)


def test_a_profile_form_saved_elsewhere_redraws_the_open_home(bot):
    home = open_home(bot, MENTOR)
    assert "10:00-19:00" not in shown(home)
    before = publishes_to(bot, MENTOR)

    answer = submit_profile(bot, MENTOR, mentor_state())
    assert answer.status == 200
    bot.wait_for_follow_ups()

    assert publishes_to(bot, MENTOR) == before + 1
    assert "Working hours 10:00-19:00 (Asia/Seoul)" in shown(bot.fake_slack.home_tab(MENTOR))
