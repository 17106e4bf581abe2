"""`/mentor` over real HTTP with real signatures, as Slack would send it."""

from __future__ import annotations

import logging
import re
import time

from sqlalchemy import select

from storage.db import create_session_factory
from storage.models import MemberRow
from tests.support.running_bot import RunningBot


def member_rows(bot: RunningBot) -> list[MemberRow]:
    with create_session_factory(bot.container.engine)() as session:
        return list(session.scalars(select(MemberRow).order_by(MemberRow.user_id)))


def test_help_is_answered_ephemerally_on_the_ack_with_every_subcommand(running_bot):
    answer = running_bot.command("help")

    assert answer.status == 200
    assert answer.json.get("response_type", "ephemeral") == "ephemeral"
    assert "`/mentor lang ko` – Talk to me in Korean or English" in answer.shown_text
    assert "`/mentor match` – Ask for a mentor and see why they fit\n" in answer.shown_text
    assert "`/mentor export` – Get a file" in answer.shown_text
    assert "coming soon" not in answer.shown_text
    assert (
        answer.json["text"]
        == "Commands: /mentor help, /mentor lang ko, /mentor profile, /mentor match, "
        "/mentor checkin, /mentor goal add Ship a RAG demo due 2026-12-31, "
        "/mentor pause until 2026-12-31, /mentor skip, /mentor resume, "
        "/mentor digest weeks 4, /mentor team list, /mentor admin add @minji, /mentor export, "
        "/mentor delete-my-data"
    )
    assert not running_bot.fake_slack.calls_to("chat.postMessage")
    assert not running_bot.fake_slack.calls_to("chat.postEphemeral")


def test_an_empty_command_shows_the_help(running_bot):
    assert "What I can do" in running_bot.command("").shown_text


def test_no_web_api_call_happens_before_the_ack_and_auth_test_is_not_repeated(running_bot):
    calls_at_start = len(running_bot.fake_slack.calls_to("auth.test"))
    for _ in range(3):
        running_bot.command("help")

    assert len(running_bot.fake_slack.calls_to("auth.test")) == calls_at_start == 1


def test_after_the_ack_the_persons_zone_and_locale_are_fetched_and_stored(running_bot):
    running_bot.command("help", user_id="U111")

    [call] = running_bot.fake_slack.wait_for("users.info")
    running_bot.wait_for_follow_ups()
    assert call.args["user"] == "U111"
    assert str(call.args["include_locale"]).lower() in ("true", "1")
    [row] = member_rows(running_bot)
    assert (row.team_id, row.user_id, row.tz, row.slack_locale) == (
        "T111",
        "U111",
        "Asia/Seoul",
        "ko-KR",
    )


def test_a_korean_speaker_gets_korean_once_slack_has_told_us_her_locale(running_bot):
    first = running_bot.command("help", user_id="U111")
    running_bot.fake_slack.wait_for("users.info")
    running_bot.wait_for_follow_ups()
    second = running_bot.command("help", user_id="U111")

    assert "What I can do" in first.shown_text
    assert "사용할 수 있는 명령어" in second.shown_text
    assert (
        second.json["text"]
        == "명령어: /mentor help, /mentor lang ko, /mentor profile, /mentor match, "
        "/mentor checkin, /mentor goal add Ship a RAG demo due 2026-12-31, "
        "/mentor pause until 2026-12-31, /mentor skip, /mentor resume, "
        "/mentor digest weeks 4, /mentor team list, /mentor admin add @minji, /mentor export, "
        "/mentor delete-my-data"
    )


def test_lang_stores_the_choice_and_answers_in_the_new_language(running_bot):
    answer = running_bot.command("lang ko", user_id="U222")

    assert answer.shown_text.startswith("이제부터 한국어로 말씀드릴게요.")
    assert [(row.user_id, row.language_override) for row in member_rows(running_bot)] == [
        ("U222", "ko")
    ]
    assert "명령어 목록 보기" in running_bot.command("help", user_id="U222").shown_text


def test_a_bad_language_is_explained_and_changes_nothing(running_bot):
    running_bot.command("lang en", user_id="U111")

    answer = running_bot.command("lang klingon", user_id="U111")

    assert answer.status == 200
    assert "“klingon” is not a language I speak. Try `/mentor lang ko`" in answer.shown_text
    assert [row.language_override for row in member_rows(running_bot)] == ["en"]


def test_an_unknown_subcommand_names_the_closest_one_and_shows_the_help(running_bot):
    answer = running_bot.command("hlep me")

    assert answer.json["text"] == "Unknown command `hlep`. Did you mean `/mentor help`?"
    assert "What I can do" in answer.shown_text


def test_every_subcommand_in_the_help_has_a_route():
    from bot.domain.commands import SUBCOMMANDS
    from handlers.commands.mentor import ROUTES

    assert {spec.name for spec in SUBCOMMANDS} == set(ROUTES)


def test_a_bad_signature_is_rejected_and_nothing_is_stored(running_bot):
    answer = running_bot.command("lang ko", secret="not-the-signing-secret")

    assert answer.status == 401
    assert member_rows(running_bot) == []


def test_a_request_signed_more_than_five_minutes_ago_is_rejected(running_bot):
    answer = running_bot.command("lang ko", timestamp=int(time.time()) - 5 * 60 - 10)

    assert answer.status == 401
    assert member_rows(running_bot) == []


def test_a_body_changed_after_signing_is_rejected(running_bot):
    from tests.support.slack_requests import signed_headers, slash_command_body

    signed_for = slash_command_body(text="help")
    headers = signed_headers(signed_for, secret="8f742231b10e8888abcd99yyyzzz85a5")
    answer = running_bot.post(slash_command_body(text="lang ko"), headers_override=headers)

    assert answer.status == 401
    assert member_rows(running_bot) == []


def test_when_slack_cannot_describe_the_person_the_command_still_works_and_the_log_has_a_ref(
    running_bot, caplog
):
    running_bot.fake_slack.fail_next("users.info", error="user_not_found")

    with caplog.at_level(logging.ERROR):
        answer = running_bot.command("lang ko", user_id="U111")
        running_bot.fake_slack.wait_for("users.info")
        running_bot.wait_for_follow_ups()

    assert answer.shown_text.startswith("이제부터 한국어로")
    assert [(row.user_id, row.tz) for row in member_rows(running_bot)] == [("U111", None)]
    assert any(
        re.search(r"follow-up .*sync_from_slack failed \(ref [0-9a-f]{6}\)", r.getMessage())
        for r in caplog.records
    )
