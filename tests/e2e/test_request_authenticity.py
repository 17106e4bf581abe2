"""Only Slack gets in: Bolt's signature and 5-minute timestamp checks, over real HTTP.

A request with a wrong signature, a timestamp outside Slack's 5-minute window (past or future),
a body changed after signing or a missing header is refused with 401 before any listener runs:
nothing is stored and the fake Slack hears nothing. Slack's scheme has no nonce, so an exact
replay inside the window is accepted; what keeps it harmless is that the work is idempotent
(a language choice is a value, a DM answer is taken once per (channel, ts)). Slack's own retries
of an event (``X-Slack-Retry-Num``) are processed once in the same way.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from bot import profile_csv
from bot.domain.checkins import CheckinState
from storage.db import create_session_factory
from storage.models import CheckinReplyRow
from tests.e2e.test_checkins import (
    COHORT,
    SEOUL_FRIDAY,
    ZONES,
    dm_message,
    history,
    poll,
    replies_in_thread,
)
from tests.e2e.test_matching import shown
from tests.e2e.test_mentor_command import member_rows
from tests.support.running_bot import SIGNING_SECRET, HttpAnswer, RunningBot
from tests.support.slack_requests import event_callback_body, signed_headers, slash_command_body

FIVE_MINUTES = 5 * 60
REFUSED = {"error": "invalid request"}
"""What Bolt's RequestVerification answers with its 401."""
DM_TS = "1795762800.000100"
ANSWER = "Shipped the RAG demo"


def now() -> int:
    return int(time.time())


def lang_ko(user_id: str = "U111") -> str:
    return slash_command_body(text="lang ko", user_id=user_id)


def methods_called(bot: RunningBot) -> list[str]:
    return [call.method for call in bot.fake_slack.calls]


def settle(bot: RunningBot) -> None:
    """Give work that would follow an accepted request time to start, then wait for it."""
    time.sleep(0.3)
    bot.wait_for_follow_ups()


def assert_refused(answer: HttpAnswer) -> None:
    assert (answer.status, answer.json) == (401, REFUSED)


def assert_nothing_happened(bot: RunningBot, calls_before: list[str]) -> None:
    settle(bot)
    assert member_rows(bot) == []
    assert methods_called(bot) == calls_before, "a refused request reached the Web API"


def stored_replies(bot: RunningBot) -> int:
    with create_session_factory(bot.container.engine)() as session:
        return session.scalar(select(func.count()).select_from(CheckinReplyRow)) or 0


def thread_posts(bot: RunningBot, channel: str, ts: str) -> list[Any]:
    return [
        call
        for call in bot.fake_slack.calls_to("chat.postMessage")
        if call.args.get("channel") == channel and call.args.get("thread_ts") == ts
    ]


@pytest.fixture
def checkin_bot(running_bot: RunningBot) -> RunningBot:
    """The cohort of tests/e2e/test_checkins.py imported, and this week's prompts sent at Seoul's
    Friday 16:00: USEOUL has an open check-in and a DM channel with the bot. In-process (the
    CLI's import and tick are tested in test_checkins.py; a subprocess each costs seconds)."""
    for user_id, (tz, offset) in ZONES.items():
        running_bot.fake_slack.add_user(user_id, tz=tz, tz_offset=offset, locale="en-US")
    services = running_bot.container.services
    report = services.profiles.import_rows(
        running_bot.team_id, list(profile_csv.read_rows(io.StringIO("\n".join(COHORT) + "\n")))
    )
    assert not report.errors, report.errors
    running_bot.clock.set(SEOUL_FRIDAY)
    services.ticks.run_tick(SEOUL_FRIDAY)
    services.dispatcher.dispatch_due()
    assert history(running_bot, "USEOUL")[0].state is CheckinState.PENDING
    return running_bot


def seoul_dm(bot: RunningBot) -> str:
    channel = bot.fake_slack.dm_channel("USEOUL")
    assert channel is not None
    return channel


def dm_answer_body(
    channel: str, *, text: str = ANSWER, ts: str = DM_TS, event_id: str = "Ev0AUTH0001"
) -> str:
    return event_callback_body(dm_message("USEOUL", channel, ts, text), event_id=event_id)


def assert_answered_once(bot: RunningBot, channel: str) -> None:
    poll(lambda: len(replies_in_thread(bot, channel, DM_TS)) >= 1)
    settle(bot)
    [confirmation] = replies_in_thread(bot, channel, DM_TS)
    assert "Saved as your check-in for 2026-W48" in shown(confirmation)
    assert len(thread_posts(bot, channel, DM_TS)) == 1
    assert stored_replies(bot) == 1
    [checkin] = history(bot, "USEOUL")
    assert (checkin.state, checkin.answer.progress) == (CheckinState.ANSWERED, ANSWER)


def assert_not_answered(bot: RunningBot, channel: str) -> None:
    settle(bot)
    assert replies_in_thread(bot, channel, DM_TS) == []
    assert thread_posts(bot, channel, DM_TS) == []
    assert stored_replies(bot) == 0
    [checkin] = history(bot, "USEOUL")
    assert (checkin.state, checkin.answer.progress) == (CheckinState.PENDING, "")


# The signature


def test_a_request_signed_with_the_wrong_secret_is_refused_and_nothing_is_stored_or_sent(
    running_bot,
):
    calls_before = methods_called(running_bot)

    answer = running_bot.post(lang_ko(), secret="not-the-signing-secret")

    assert_refused(answer)
    assert_nothing_happened(running_bot, calls_before)


def test_the_same_command_signed_with_the_right_secret_is_stored_and_looked_up_in_slack(
    running_bot,
):
    """The control for the refusals here: the same request, correctly signed, does change
    things, so "nothing stored, nothing sent" above is not true by accident."""
    answer = running_bot.post(lang_ko())

    assert answer.status == 200
    running_bot.fake_slack.wait_for("users.info")
    running_bot.wait_for_follow_ups()
    assert [(row.user_id, row.language_override) for row in member_rows(running_bot)] == [
        ("U111", "ko")
    ]


def test_a_dm_answer_with_a_forged_signature_is_refused_and_not_taken_as_the_checkin(
    checkin_bot,
):
    channel = seoul_dm(checkin_bot)

    answer = checkin_bot.post(dm_answer_body(channel), secret="not-the-signing-secret")

    assert_refused(answer)
    assert_not_answered(checkin_bot, channel)


# The 5-minute window


def test_a_request_signed_more_than_five_minutes_ago_is_refused(running_bot):
    calls_before = methods_called(running_bot)

    answer = running_bot.post(lang_ko(), timestamp=now() - FIVE_MINUTES - 1)

    assert_refused(answer)
    assert_nothing_happened(running_bot, calls_before)


def test_a_request_dated_more_than_five_minutes_in_the_future_is_refused(running_bot):
    calls_before = methods_called(running_bot)

    # 10 s of margin: the check runs a moment after the timestamp is taken here.
    answer = running_bot.post(lang_ko(), timestamp=now() + FIVE_MINUTES + 10)

    assert_refused(answer)
    assert_nothing_happened(running_bot, calls_before)


@pytest.mark.parametrize("age", [-(FIVE_MINUTES - 10), FIVE_MINUTES - 10])
def test_a_request_dated_just_inside_the_five_minutes_either_way_is_accepted(running_bot, age):
    answer = running_bot.post(lang_ko(), timestamp=now() - age)

    assert answer.status == 200
    assert answer.shown_text.startswith("이제부터 한국어로")
    assert [row.language_override for row in member_rows(running_bot)] == ["ko"]


def test_a_dm_answer_signed_more_than_five_minutes_ago_is_refused(checkin_bot):
    channel = seoul_dm(checkin_bot)

    answer = checkin_bot.post(dm_answer_body(channel), timestamp=now() - FIVE_MINUTES - 1)

    assert_refused(answer)
    assert_not_answered(checkin_bot, channel)


# The body and the headers as signed


def test_a_body_changed_after_signing_is_refused(running_bot):
    calls_before = methods_called(running_bot)
    headers = signed_headers(slash_command_body(text="help"), secret=SIGNING_SECRET)

    answer = running_bot.post(lang_ko(), headers_override=headers)

    assert_refused(answer)
    assert_nothing_happened(running_bot, calls_before)


def test_a_command_moved_to_another_person_after_signing_is_refused(running_bot):
    calls_before = methods_called(running_bot)
    headers = signed_headers(lang_ko("U111"), secret=SIGNING_SECRET)

    answer = running_bot.post(lang_ko("U222"), headers_override=headers)

    assert_refused(answer)
    assert_nothing_happened(running_bot, calls_before)


def test_a_dm_answer_with_its_text_changed_after_signing_is_refused(checkin_bot):
    channel = seoul_dm(checkin_bot)
    headers = signed_headers(
        dm_answer_body(channel, text="Nothing this week"), secret=SIGNING_SECRET
    )

    answer = checkin_bot.post(dm_answer_body(channel), headers_override=headers)

    assert_refused(answer)
    assert_not_answered(checkin_bot, channel)


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"X-Slack-Signature": None}, id="no signature header"),
        pytest.param({"X-Slack-Signature": ""}, id="an empty signature"),
        pytest.param({"X-Slack-Request-Timestamp": None}, id="no timestamp header"),
        pytest.param(
            {"X-Slack-Signature": None, "X-Slack-Request-Timestamp": None}, id="neither header"
        ),
    ],
)
def test_a_request_without_its_signature_or_timestamp_is_refused(running_bot, headers):
    calls_before = methods_called(running_bot)

    answer = running_bot.post(lang_ko(), headers_override=headers)

    assert_refused(answer)
    assert_nothing_happened(running_bot, calls_before)


def test_a_timestamp_that_is_not_a_number_is_refused_as_unsigned(running_bot, caplog):
    """slack_sdk's verifier calls int() on the header; the ValueError must not turn into an
    answer to an unverified request (or an ERROR log anyone on the internet can write)."""
    calls_before = methods_called(running_bot)

    with caplog.at_level(logging.ERROR):
        answer = running_bot.post(
            lang_ko(), headers_override={"X-Slack-Request-Timestamp": "not-a-time"}
        )

    assert_nothing_happened(running_bot, calls_before)
    assert_refused(answer)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


# Replays: the same signed request sent again


def test_a_slash_command_replayed_within_five_minutes_is_accepted_and_changes_nothing_more(
    running_bot,
):
    body = lang_ko()
    headers = signed_headers(body, secret=SIGNING_SECRET)

    first = running_bot.post(body, headers_override=headers)
    running_bot.fake_slack.wait_for("users.info")
    running_bot.wait_for_follow_ups()
    replayed = running_bot.post(body, headers_override=headers)
    settle(running_bot)

    # Slack's signature has no nonce: Bolt accepts the identical request a second time.
    assert (first.status, replayed.status) == (200, 200)
    assert first.shown_text.startswith("이제부터 한국어로")
    assert replayed.shown_text == first.shown_text
    assert [(row.user_id, row.language_override) for row in member_rows(running_bot)] == [
        ("U111", "ko")
    ]


def test_a_dm_answer_replayed_within_five_minutes_is_taken_and_confirmed_once(checkin_bot):
    channel = seoul_dm(checkin_bot)
    body = dm_answer_body(channel)
    headers = signed_headers(body, secret=SIGNING_SECRET)

    first = checkin_bot.post(body, headers_override=headers)
    checkin_bot.wait_for_follow_ups()
    replayed = checkin_bot.post(body, headers_override=headers)

    assert (first.status, replayed.status) == (200, 200)
    assert_answered_once(checkin_bot, channel)


def test_a_slash_command_replayed_after_five_minutes_is_refused(running_bot):
    body = lang_ko()
    calls_before = methods_called(running_bot)
    captured = signed_headers(body, secret=SIGNING_SECRET, timestamp=now() - FIVE_MINUTES - 1)

    answer = running_bot.post(body, headers_override=captured)

    assert_refused(answer)
    assert_nothing_happened(running_bot, calls_before)


def test_a_dm_answer_replayed_after_five_minutes_is_refused(checkin_bot):
    channel = seoul_dm(checkin_bot)
    body = dm_answer_body(channel)
    captured = signed_headers(body, secret=SIGNING_SECRET, timestamp=now() - FIVE_MINUTES - 1)

    answer = checkin_bot.post(body, headers_override=captured)

    assert_refused(answer)
    assert_not_answered(checkin_bot, channel)


def test_an_old_request_replayed_with_a_fresh_timestamp_header_is_refused(running_bot):
    body = lang_ko()
    calls_before = methods_called(running_bot)
    captured = signed_headers(body, secret=SIGNING_SECRET, timestamp=now() - FIVE_MINUTES - 1)

    answer = running_bot.post(
        body, headers_override={**captured, "X-Slack-Request-Timestamp": str(now())}
    )

    assert_refused(answer)
    assert_nothing_happened(running_bot, calls_before)


# Slack's retries of an event


def retry_headers(number: int) -> dict[str, str | None]:
    return {"X-Slack-Retry-Num": str(number), "X-Slack-Retry-Reason": "http_timeout"}


def test_slacks_retries_of_a_dm_answer_are_taken_and_confirmed_once(checkin_bot):
    channel = seoul_dm(checkin_bot)
    body = dm_answer_body(channel)

    statuses = []
    for retry in (None, 1, 2):
        # Slack signs every delivery afresh; only the event (and its event_id) stays the same.
        answer = checkin_bot.post(body, headers_override=retry_headers(retry) if retry else None)
        statuses.append(answer.status)
        checkin_bot.wait_for_follow_ups()

    assert statuses == [200, 200, 200]
    assert_answered_once(checkin_bot, channel)


def test_a_retry_that_arrives_while_the_first_delivery_is_still_handled_is_taken_once(
    checkin_bot,
):
    """``http_timeout``: Slack stopped waiting for the first delivery, which may still be in
    progress when the retries come in."""
    channel = seoul_dm(checkin_bot)
    body = dm_answer_body(channel)
    start = threading.Barrier(3)
    statuses: dict[int, int] = {}

    def deliver(retry: int) -> None:
        headers = retry_headers(retry) if retry else None
        start.wait()
        statuses[retry] = checkin_bot.post(body, headers_override=headers).status

    senders = [threading.Thread(target=deliver, args=(retry,)) for retry in (0, 1, 2)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(timeout=10)
    checkin_bot.wait_for_follow_ups()

    assert statuses == {0: 200, 1: 200, 2: 200}
    assert_answered_once(checkin_bot, channel)


def test_a_retry_with_a_forged_signature_is_refused_even_after_the_first_delivery(checkin_bot):
    channel = seoul_dm(checkin_bot)
    first = checkin_bot.post(dm_answer_body(channel))
    checkin_bot.wait_for_follow_ups()

    # Another message dressed up as a retry: were it let in, it would be a second answer.
    forged = checkin_bot.post(
        dm_answer_body(channel, text="Nothing this week", ts="1795762860.000200"),
        secret="not-the-signing-secret",
        headers_override=retry_headers(1),
    )

    assert (first.status, forged.status) == (200, 401)
    assert_answered_once(checkin_bot, channel)
