"""Matching as people meet it in Slack: a cohort from CSV, a round previewed and approved,
mentors accepting and declining, the 72-hour expiry, introductions, self-serve requests.

Everything goes over signed HTTP into the running bot; assertions are on what the fake Slack
received. Deliveries are sent by running the dispatcher (or `mentor-bot tick --at`) as the
scheduler would.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from handlers.ids import MatchAction, MatchBlock, MatchView
from tests.support.process import clean_env, mentor_bot
from tests.support.running_bot import BOT_TOKEN, SIGNING_SECRET, RunningBot
from tests.support.slack_requests import block_actions_body, view_submission_body

HEADER = (
    "user_id,role,background,track,skills_offered,skills_wanted,move_from,move_to,"
    "working_hours,timezone,languages,capacity,intro,org_unit,manager_id"
)
COHORT = [
    HEADER,
    # Mentors: two on LLM apps who made the backend -> LLM move, one MLOps.
    "UM1,mentor,ml-engineer,llm-apps,rag;python;llm-evaluation,,backend,llm-apps,09:00-18:00,"
    "Asia/Seoul,ko;en,1,Backend for 8 years then RAG in production,Search,",
    "UM2,mentor,ml-engineer,llm-apps,rag;fine-tuning,,backend,llm-apps,09:00-18:00,Asia/Seoul,"
    "ko;en,1,,Platform,",
    "UM3,mentor,ml-researcher,mlops,model-serving;kubernetes,,,,10:00-19:00,Asia/Seoul,ko,1,,,",
    # Mentees: backend engineers heading for LLM apps and MLOps.
    "UE1,mentee,backend,llm-apps,,rag;llm-evaluation,backend,llm-apps,09:00-18:00,Asia/Seoul,"
    "ko,0,I want to ship a RAG feature,Payments,",
    "UE2,mentee,backend,mlops,,model-serving,backend,mlops,09:00-18:00,Asia/Seoul,ko,0,,,",
    "UE3,mentee,backend,llm-apps,,fine-tuning,backend,llm-apps,09:00-18:00,Asia/Seoul,ko;en,0,,"
    "Platform,",
    # Speaks only Japanese: no mentor shares a language.
    "UE4,mentee,data-engineer,nlp,,,,,09:00-18:00,Asia/Tokyo,ja,0,,,",
]
PEOPLE = ("UADMIN", "UM1", "UM2", "UM3", "UE1", "UE2", "UE3", "UE4")


@pytest.fixture
def bot(running_bot: RunningBot, database_url: str, tmp_path: Path) -> RunningBot:
    for user_id in PEOPLE:
        running_bot.fake_slack.add_user(user_id, tz="Asia/Seoul", locale="en-US")
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("\n".join(COHORT) + "\n", encoding="utf-8")
    result = cli(running_bot, database_url, tmp_path, "import-profiles", str(cohort))
    assert result.returncode == 0, result.stdout + result.stderr
    return running_bot


def cli(bot: RunningBot, database_url: str, tmp_path: Path, *args: str):
    env = clean_env(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=bot.fake_slack.url,
        DATABASE_URL=database_url,
    )
    return mentor_bot(*args, env=env, cwd=tmp_path)


def dispatch(bot: RunningBot) -> None:
    bot.container.services.dispatcher.dispatch_due()


def dms_to(bot: RunningBot, user_id: str) -> list[dict[str, Any]]:
    return [m for m in bot.fake_slack.messages_to(user_id) if not m.get("ephemeral")]


def shown(message: dict[str, Any]) -> str:
    texts = [message.get("text") or ""]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                texts.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks") or [])
    return "\n".join(texts)


def buttons(message: dict[str, Any]) -> dict[str, str]:
    found = {}
    for block in message.get("blocks") or []:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            found[element["action_id"]] = element.get("value")
        accessory = block.get("accessory") or {}
        if accessory.get("type") == "button":
            found.setdefault(accessory["action_id"], accessory.get("value"))
    return found


def click(
    bot: RunningBot, user_id: str, message: dict[str, Any], action: str, value: str | None = None
):
    value = value if value is not None else buttons(message)[action]
    channel = message["channel"]
    body = block_actions_body(
        action_id=action,
        value=value,
        user_id=user_id,
        channel_id=channel,
        message={k: v for k, v in message.items() if k in ("ts", "text", "blocks", "type")}
        | {"type": "message"},
        response_url=bot.fake_slack.response_url_for(
            user=user_id, channel=channel, original_ts=message["ts"]
        ),
    )
    answer = bot.post(body)
    assert answer.status == 200
    bot.wait_for_follow_ups()
    return answer


def run_round(bot: RunningBot) -> dict[str, Any]:
    answer = bot.command("match run", user_id="UADMIN")
    assert "I will DM you the preview" in answer.shown_text
    bot.wait_for_follow_ups()
    [preview] = dms_to(bot, "UADMIN")
    return preview


def latest(bot: RunningBot, user_id: str) -> dict[str, Any]:
    return dms_to(bot, user_id)[-1]


def test_a_round_is_previewed_approved_accepted_and_introduced_once(bot):
    preview = run_round(bot)

    text = shown(preview)
    assert "Matching round" in text
    # UE1 fits UM1 a little better than UM2, but UE3 may only have UM1 (UM2 is in her own
    # team): the best round for everyone gives UM1 to UE3, not first come first served.
    assert "<@UM2> ← <@UE1>" in text
    assert "<@UM1> ← <@UE3>" in text
    assert "<@UM3> ← <@UE2>" in text
    assert "Same track" in text
    assert "<@UE4> – No shared language" in text
    assert set(buttons(preview)) == {MatchAction.APPROVE_ROUND, MatchAction.DISCARD_ROUND}
    assert dms_to(bot, "UM1") == []  # nobody hears anything before approval

    click(bot, "UADMIN", preview, MatchAction.APPROVE_ROUND)

    decided = dms_to(bot, "UADMIN")[0]
    assert "Approved by <@UADMIN>: 3 mentors have been asked" in shown(decided)
    assert buttons(decided) == {}  # no stale buttons
    dispatch(bot)
    [request] = dms_to(bot, "UM2")
    assert "<@UE1> would like you as their mentor" in shown(request)
    assert "Why you two fit:" in shown(request)
    assert "I want to ship a RAG feature" in shown(request)
    assert set(buttons(request)) == {MatchAction.ACCEPT, MatchAction.DECLINE}
    assert "I have asked <@UM2> to be your mentor" in shown(latest(bot, "UE1"))

    click(bot, "UM2", request, MatchAction.ACCEPT)
    click(bot, "UM2", request, MatchAction.ACCEPT)  # a double click changes nothing
    dispatch(bot)
    dispatch(bot)

    answered = dms_to(bot, "UM2")[0]
    assert "You accepted" in shown(answered)
    assert buttons(answered) == {}
    group = bot.fake_slack.group_dm_for("UM2", "UE1")
    assert group is not None
    assert bot.fake_slack.group_dm_members(group) == {"UM2", "UE1"}
    [intro] = bot.fake_slack.messages_to(group)
    intro_text = shown(intro)
    assert "Meet your mentoring match: <@UM2> (mentor) and <@UE1> (mentee)" in intro_text
    assert "You both work towards LLM applications." in intro_text
    assert "<@UM2>: 09:00-18:00 (Asia/Seoul) = <@UE1>: 09:00-18:00 (Asia/Seoul)" in intro_text
    assert "A first step:" in intro_text


def test_a_decline_with_a_reason_moves_the_mentee_to_her_next_best_mentor(bot):
    click(bot, "UADMIN", run_round(bot), MatchAction.APPROVE_ROUND)
    dispatch(bot)
    [request] = dms_to(bot, "UM1")
    assert "<@UE3>" in shown(request)

    click(bot, "UM1", request, MatchAction.DECLINE)
    [opened] = bot.fake_slack.wait_for("views.open")
    view = opened.args["view"]
    assert view["callback_id"] == MatchView.DECLINE
    answer = bot.post(
        view_submission_body(
            callback_id=MatchView.DECLINE,
            user_id="UM1",
            private_metadata=view["private_metadata"],
            values={
                MatchBlock.DECLINE_REASON: {MatchAction.DECLINE_REASON: "On leave in December"}
            },
        )
    )
    assert answer.status == 200
    assert answer.body == b""  # a plain ack closes the modal; "errors" would keep it open
    bot.wait_for_follow_ups()
    dispatch(bot)

    assert "You declined" in shown(dms_to(bot, "UM1")[0])
    assert buttons(dms_to(bot, "UM1")[0]) == {}
    # UE3's only other fit (UM3) has no place left, so she is told she waits for the next round.
    notice = shown(latest(bot, "UE3"))
    assert "<@UM1> cannot take on a new mentee right now" in notice
    assert "On leave" not in notice  # the reason is for admins only
    history = bot.command("match history", user_id="UADMIN").shown_text
    assert "declined" in history and "On leave in December" in history


def test_an_unanswered_request_expires_after_72_hours_via_tick(bot, database_url, tmp_path):
    click(bot, "UADMIN", run_round(bot), MatchAction.APPROVE_ROUND)
    dispatch(bot)
    [request] = dms_to(bot, "UM3")
    at = (bot.clock.now() + timedelta(hours=72, minutes=1)).isoformat()

    result = cli(bot, database_url, tmp_path, "tick", "--at", at)
    again = cli(bot, database_url, tmp_path, "tick", "--at", at)

    assert result.returncode == 0, result.stderr
    assert "match-requests: 3" in result.stdout
    assert "match-requests" not in again.stdout
    assert "The mentoring request from <@UE2> expired" in shown(latest(bot, "UM3"))
    assert "<@UM3> did not answer in time" in shown(latest(bot, "UE2"))
    click(bot, "UM3", request, MatchAction.ACCEPT)  # too late: the buttons go, nothing changes
    assert "no longer open" in shown(dms_to(bot, "UM3")[0])
    assert bot.fake_slack.group_dm_for("UM3", "UE2") is None


def test_a_mentee_picks_one_of_her_three_suggestions(bot):
    answer = bot.command("match", user_id="UE3")

    assert "Mentors who fit you best" in answer.shown_text
    blocks = answer.json["blocks"]
    suggested = [b["accessory"]["value"] for b in blocks if b.get("accessory")]
    assert suggested == ["UM1", "UM3"]  # not UM2: they are in the same team
    ephemeral = {"ts": "1.0", "channel": "C111", "blocks": blocks, "text": answer.json["text"]}
    click(bot, "UE3", ephemeral, MatchAction.ASK_MENTOR, "UM1")

    [response] = bot.fake_slack.responses
    assert response["payload"]["replace_original"] is True
    assert "I have asked <@UM1>" in response["payload"]["text"]
    dispatch(bot)
    assert "<@UE3> would like you as their mentor" in shown(latest(bot, "UM1"))
    assert "Waiting for <@UM1> to accept you" in bot.command("match", user_id="UE3").shown_text


def test_ending_a_match_tells_the_other_side(bot):
    answer = bot.command("match", user_id="UE1")
    click(
        bot,
        "UE1",
        {"ts": "1.0", "channel": "C111", "blocks": answer.json["blocks"], "text": ""},
        MatchAction.ASK_MENTOR,
        "UM1",
    )
    dispatch(bot)
    click(bot, "UM1", latest(bot, "UM1"), MatchAction.ACCEPT)
    assert "Your mentor: <@UM1>" in bot.command("match", user_id="UE1").shown_text

    ended = bot.command("match end <@UM1|jun> we reached our goals", user_id="UE1")
    dispatch(bot)

    assert "Your match with <@UM1> has ended" in ended.shown_text
    assert "<@UE1> has ended your mentoring match" in shown(latest(bot, "UM1"))


@pytest.mark.parametrize(
    ("user", "text", "expected"),
    [
        ("UE1", "match run", "Only program admins can manage matching rounds."),
        ("UADMIN", "match run now", "`/mentor match run` takes nothing after it."),
        ("UE1", "match history", "Only program admins"),
        ("UE1", "match stop", "is not something I know"),
        ("UE1", "match end", "You have no active match to end."),
        ("UE1", "match end <@UM1|a> <@UM2|b>", "End one match at a time"),
        ("UE1", "match <!channel>", "is not something I know"),
        ("UNOBODY", "match", "First tell me about yourself with `/mentor profile`"),
    ],
)
def test_bad_match_commands_are_explained_and_change_nothing(bot, user, text, expected):
    if user == "UNOBODY":
        bot.fake_slack.add_user(user)

    answer = bot.command(text, user_id=user)

    assert answer.status == 200
    assert expected in answer.shown_text
    assert "<!channel>" not in answer.shown_text
    bot.wait_for_follow_ups()
    assert dms_to(bot, "UADMIN") == []
    assert not bot.fake_slack.calls_to("chat.update")


def test_buttons_pressed_by_the_wrong_person_are_refused(bot):
    preview = run_round(bot)
    click(bot, "UE1", preview, MatchAction.APPROVE_ROUND)

    [response] = bot.fake_slack.responses
    assert "Only program admins" in response["payload"]["text"]
    assert set(buttons(dms_to(bot, "UADMIN")[0])) == {
        MatchAction.APPROVE_ROUND,
        MatchAction.DISCARD_ROUND,
    }


def test_a_discarded_round_tells_nobody(bot):
    preview = run_round(bot)
    click(bot, "UADMIN", preview, MatchAction.DISCARD_ROUND)
    dispatch(bot)

    assert "Discarded by <@UADMIN>" in shown(dms_to(bot, "UADMIN")[0])
    assert dms_to(bot, "UM1") == [] and dms_to(bot, "UE1") == []


def test_korean_speakers_get_their_introduction_in_korean(bot):
    for user_id in ("UM1", "UE1"):
        bot.command("lang ko", user_id=user_id)
    answer = bot.command("match", user_id="UE1")
    click(
        bot,
        "UE1",
        {"ts": "1.0", "channel": "C111", "blocks": answer.json["blocks"], "text": ""},
        MatchAction.ASK_MENTOR,
        "UM1",
    )
    dispatch(bot)
    click(bot, "UM1", latest(bot, "UM1"), MatchAction.ACCEPT)
    dispatch(bot)

    [intro] = bot.fake_slack.messages_to(bot.fake_slack.group_dm_for("UM1", "UE1"))
    assert "멘토" in shown(intro)
    assert json.dumps(intro).count("Meet your mentoring match") == 0
