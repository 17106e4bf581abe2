"""`/mentor profile` over real HTTP: the modal, its errors on the field, saving and re-opening."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.db import create_session_factory
from storage.models import ProfileRow
from tests.support.running_bot import RunningBot
from tests.support.slack_requests import view_submission_body


def profile_rows(bot: RunningBot) -> list[ProfileRow]:
    with create_session_factory(bot.container.engine)() as session:
        return list(session.scalars(select(ProfileRow).order_by(ProfileRow.user_id)))


def open_profile(bot: RunningBot, user_id: str, *, count: int = 1) -> dict[str, Any]:
    answer = bot.command("profile", user_id=user_id)
    assert (answer.status, answer.body) == (200, b"")  # a silent ack: the modal is the answer
    calls = bot.fake_slack.wait_for("views.open", count=count)
    assert calls[-1].ok, calls[-1].response
    assert calls[-1].args["trigger_id"] == "111.222.xxx"
    return calls[-1].args["view"]


def blocks_by_id(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {block["block_id"]: block for block in view["blocks"] if "block_id" in block}


def chosen(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


def multi(*values: str) -> dict[str, Any]:
    return {"type": "multi_static_select", "selected_options": [{"value": v} for v in values]}


def text(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def mentor_state(**changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """`view.state.values` of a filled-in profile modal (block id -> one input's state)."""
    fields = {
        "role": chosen("mentor"),
        "background": chosen("ml-engineer"),
        "track": chosen("llm-apps"),
        "skills_offered": multi("rag", "model-serving"),
        "skills_offered_other": text("Vector DBs, Korean NLP"),
        "skills_wanted": multi(),
        "skills_wanted_other": text(None),
        "move_from": {"type": "static_select", "selected_option": None},
        "move_to": {"type": "static_select", "selected_option": None},
        "working_hours": text("10:00-19:00"),
        "timezone": text("Asia/Seoul"),
        "languages": multi("ko", "en"),
        "capacity": {"type": "number_input", "value": "2"},
        "intro": text("RAG in production at a fintech."),
        **changes,
    }
    return {block_id: {"any-action": state} for block_id, state in fields.items()}


def submit(bot: RunningBot, user_id: str, values: dict[str, dict[str, Any]]):
    return bot.post(
        view_submission_body(
            callback_id="profile-modal", values=values, user_id=user_id, team_id=bot.team_id
        )
    )


def test_profile_opens_a_modal_prefilled_from_slack_for_a_new_person(running_bot):
    view = open_profile(running_bot, "U222")

    assert view["callback_id"] == "profile-modal"
    assert view["title"]["text"] == "Mentoring profile"
    blocks = blocks_by_id(view)
    assert set(blocks) >= {
        "role",
        "background",
        "track",
        "skills_offered",
        "skills_offered_other",
        "skills_wanted",
        "skills_wanted_other",
        "move_from",
        "move_to",
        "working_hours",
        "timezone",
        "languages",
        "capacity",
        "intro",
    }
    assert blocks["timezone"]["element"]["initial_value"] == "America/New_York"
    assert blocks["working_hours"]["element"]["initial_value"] == "09:00-18:00"
    assert [o["value"] for o in blocks["languages"]["element"]["initial_options"]] == ["en"]
    assert "initial_option" not in blocks["role"]["element"]
    assert [o["value"] for o in blocks["role"]["element"]["options"]] == [
        "mentor",
        "mentee",
        "both",
    ]
    assert blocks["intro"]["element"]["max_length"] == 500
    assert profile_rows(running_bot) == []


def test_a_korean_speaker_gets_the_form_in_korean_with_her_zone(running_bot):
    view = open_profile(running_bot, "U111")

    assert view["title"]["text"] == "멘토링 프로필"
    blocks = blocks_by_id(view)
    assert blocks["role"]["label"]["text"] == "참여 방식"
    assert [o["text"]["text"] for o in blocks["role"]["element"]["options"]] == [
        "멘토",
        "멘티",
        "멘토이자 멘티",
    ]
    assert blocks["timezone"]["element"]["initial_value"] == "Asia/Seoul"
    assert [o["value"] for o in blocks["languages"]["element"]["initial_options"]] == ["ko"]


def test_bad_working_hours_show_on_that_field_and_nothing_is_stored(running_bot):
    open_profile(running_bot, "U222")

    answer = submit(running_bot, "U222", mentor_state(working_hours=text("9-6pm")))

    assert answer.status == 200
    assert answer.json == {
        "response_action": "errors",
        "errors": {"working_hours": "Working hours look like 09:00-18:00; “9-6pm” is not that."},
    }
    assert profile_rows(running_bot) == []
    assert not running_bot.fake_slack.calls_to("chat.postMessage")


def test_every_bad_field_gets_its_own_message_in_the_persons_language(running_bot):
    open_profile(running_bot, "U111")  # looks her up in Slack: Korean

    answer = submit(
        running_bot,
        "U111",
        mentor_state(
            timezone=text("KST"),
            capacity={"type": "number_input", "value": None},
            skills_offered_other=text("x" * 41),
        ),
    )

    errors = answer.json["errors"]
    assert set(errors) == {"timezone", "capacity", "skills_offered_other"}
    assert errors["timezone"].startswith("“KST”은(는) 제가 아는 시간대가 아니에요.")


def test_a_good_submission_is_stored_closes_the_modal_and_confirms_by_dm(running_bot):
    open_profile(running_bot, "U111")

    answer = submit(running_bot, "U111", mentor_state())

    assert (answer.status, answer.body) == (200, b"")  # closes the modal
    [row] = profile_rows(running_bot)
    assert (row.team_id, row.user_id, row.role, row.capacity) == ("T111", "U111", "mentor", 2)
    assert sorted(row.skills_offered) == ["korean nlp", "model-serving", "rag", "vector dbs"]
    assert (row.work_start_minute, row.work_end_minute, row.timezone) == (600, 1140, "Asia/Seoul")
    [call] = running_bot.fake_slack.wait_for("chat.postMessage")
    assert call.ok and call.args["channel"] == "U111"
    [dm] = running_bot.fake_slack.messages_to("U111")
    assert dm["text"] == "멘토링 프로필을 저장했어요. 언제든 `/mentor profile`로 바꿀 수 있어요."
    assert not dm["ephemeral"]
    summary = str(dm["blocks"])
    assert "멘토" in summary and "10:00-19:00 (Asia/Seoul)" in summary


def test_reopening_shows_the_stored_profile(running_bot):
    open_profile(running_bot, "U222")
    submit(running_bot, "U222", mentor_state(languages=multi("en")))

    view = open_profile(running_bot, "U222", count=2)

    blocks = blocks_by_id(view)
    assert blocks["role"]["element"]["initial_option"]["value"] == "mentor"
    assert blocks["track"]["element"]["initial_option"]["value"] == "llm-apps"
    assert [o["value"] for o in blocks["skills_offered"]["element"]["initial_options"]] == [
        "rag",
        "model-serving",
    ]
    assert blocks["skills_offered_other"]["element"]["initial_value"] == "korean nlp, vector dbs"
    assert blocks["working_hours"]["element"]["initial_value"] == "10:00-19:00"
    assert blocks["timezone"]["element"]["initial_value"] == "Asia/Seoul"
    assert blocks["capacity"]["element"]["initial_value"] == "2"
    assert blocks["intro"]["element"]["initial_value"] == "RAG in production at a fintech."


def test_resubmitting_updates_the_one_row(running_bot):
    open_profile(running_bot, "U222")
    submit(running_bot, "U222", mentor_state())
    submit(running_bot, "U222", mentor_state(capacity={"type": "number_input", "value": "4"}))

    assert [(row.user_id, row.capacity) for row in profile_rows(running_bot)] == [("U222", 4)]
