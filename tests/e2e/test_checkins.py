"""Weekly check-ins as people meet them in Slack: the prompt DM at each person's own Friday
16:00 (across daylight-saving changes), a DM reply or the form as the answer, the 48-hour
reminder, the missed-week ladder, pause / resume, deactivated people, and what the mentor sees.

Everything goes over signed HTTP into the running bot; the scheduler's work is `mentor-bot tick
--at` in its own process, as in production; assertions are on what the fake Slack received.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.domain.checkins import CheckinState, SkipReason
from bot.domain.members import Member
from handlers.ids import CheckinAction, CheckinBlock, CheckinShare, CheckinView
from tests.e2e.test_matching import buttons, click, dms_to, shown
from tests.support.process import clean_env, mentor_bot
from tests.support.running_bot import BOT_TOKEN, SIGNING_SECRET, RunningBot
from tests.support.slack_requests import event_callback_body, view_submission_body

HEADER = (
    "user_id,role,background,track,skills_offered,skills_wanted,move_from,move_to,"
    "working_hours,timezone,languages,capacity,intro,org_unit,manager_id"
)
COHORT = [
    HEADER,
    "UM1,mentor,ml-engineer,llm-apps,rag;python,,backend,llm-apps,09:00-18:00,Asia/Seoul,ko;en,2,"
    "Backend for 8 years then RAG in production,,",
    "USEOUL,mentee,backend,llm-apps,,rag,backend,llm-apps,09:00-18:00,Asia/Seoul,ko;en,0,,,",
    "UE2,mentee,backend,llm-apps,,rag,backend,llm-apps,09:00-18:00,Asia/Seoul,ko;en,0,,,",
    "UBERLIN,mentee,backend,llm-apps,,rag,backend,llm-apps,09:00-18:00,Europe/Berlin,en,0,,,",
    "ULA,mentee,backend,llm-apps,,rag,backend,llm-apps,09:00-18:00,America/Los_Angeles,en,0,,,",
]
ZONES = {
    "UADMIN": ("Asia/Seoul", 32400),
    "UM1": ("Asia/Seoul", 32400),
    "USEOUL": ("Asia/Seoul", 32400),
    "UE2": ("Asia/Seoul", 32400),
    "UBERLIN": ("Europe/Berlin", 3600),
    "ULA": ("America/Los_Angeles", -28800),
}
TEAM = "T111"
SEOUL_FRIDAY = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
"""Friday 27 November 2026, 16:00 in Seoul (the running bot's clock starts here)."""
SEOUL_WEEK_END = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)
"""Monday 30 November 00:00 in Seoul."""
WEEK = timedelta(days=7)
PROMPT_TITLE = "Your weekly check-in"


@pytest.fixture
def bot(running_bot: RunningBot, database_url: str, tmp_path: Path) -> RunningBot:
    for user_id, (tz, offset) in ZONES.items():
        running_bot.fake_slack.add_user(user_id, tz=tz, tz_offset=offset, locale="en-US")
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
        MENTOR_BOT_ADMINS="UADMIN",
    )
    return mentor_bot(*args, env=env, cwd=tmp_path)


def tick(bot: RunningBot, database_url: str, tmp_path: Path, at: datetime) -> str:
    result = cli(bot, database_url, tmp_path, "tick", "--at", at.isoformat())
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def prompts_to(bot: RunningBot, user_id: str) -> list[dict[str, Any]]:
    return [m for m in dms_to(bot, user_id) if PROMPT_TITLE in shown(m) or _answered(m)]


def _answered(message: dict[str, Any]) -> bool:
    return any(b.get("block_id") == CheckinBlock.ANSWERED for b in message.get("blocks") or [])


def with_text(bot: RunningBot, user_id: str, text: str) -> list[dict[str, Any]]:
    return [m for m in dms_to(bot, user_id) if text in shown(m)]


def person(user_id: str) -> Member:
    return Member(team_id=TEAM, user_id=user_id)


def history(bot: RunningBot, user_id: str):
    return bot.container.services.checkins.history(person(user_id))


def pair(bot: RunningBot, mentor_id: str, mentee_id: str) -> None:
    """An accepted match (set up through the services: matching has its own e2e tests)."""
    matching = bot.container.services.matching
    match = matching.request(person(mentee_id), mentor_id)
    matching.accept(person(mentor_id), match.id)


def dm_message(user_id: str, channel: str, ts: str, text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": channel,
        "user": user_id,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "team": TEAM,
    }


def replies_in_thread(bot: RunningBot, channel: str, ts: str) -> list[dict[str, Any]]:
    return [
        m for m in bot.fake_slack.messages_to(channel) if m.get("thread_ts") == ts and m["ts"] != ts
    ]


def poll(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        time.sleep(0.02)


def open_form(bot: RunningBot, user_id: str, prompt: dict[str, Any]) -> dict[str, Any]:
    before = set(bot.fake_slack.views)
    click(bot, user_id, prompt, CheckinAction.OPEN_FORM)

    def opened_now() -> list[dict[str, Any]]:
        return [v for view_id, v in bot.fake_slack.views.items() if view_id not in before]

    # The listener acks first and opens the form right after, on its own thread (the trigger is
    # good for 3 seconds): wait for views.open rather than for the follow-up pool.
    poll(lambda: bool(opened_now()))
    opened = opened_now()
    assert len(opened) == 1, "the prompt's button opens the form"
    [form] = opened
    assert form["callback_id"] == CheckinView.FORM
    return form


def submit_form(
    bot: RunningBot,
    user_id: str,
    form: dict[str, Any],
    *,
    progress: str = "",
    blockers: str = "",
    confidence: str | None = None,
    next_steps: str = "",
    share: tuple[str, ...] = (CheckinShare.MENTOR,),
):
    values: dict[str, dict[str, Any]] = {
        CheckinBlock.PROGRESS: {CheckinAction.PROGRESS: progress},
        CheckinBlock.BLOCKERS: {CheckinAction.BLOCKERS: blockers},
        CheckinBlock.NEXT_STEPS: {CheckinAction.NEXT_STEPS: next_steps},
        CheckinBlock.CONFIDENCE: {
            CheckinAction.CONFIDENCE: {
                "type": "static_select",
                "selected_option": {"value": confidence} if confidence else None,
            }
        },
        CheckinBlock.SHARING: {
            CheckinAction.SHARING: {
                "type": "checkboxes",
                "selected_options": [{"value": str(s)} for s in share],
            }
        },
    }
    answer = bot.post(
        view_submission_body(
            callback_id=CheckinView.FORM,
            values=values,
            user_id=user_id,
            private_metadata=form.get("private_metadata", ""),
            view_id=form.get("id", "V111"),
        )
    )
    assert answer.status == 200
    bot.wait_for_follow_ups()
    return answer


# The prompt at each person's own Friday 16:00


def test_each_person_gets_one_prompt_at_their_own_friday_16_00_across_dst(
    bot, database_url, tmp_path
):
    people = ("USEOUL", "UBERLIN", "ULA")

    def prompted() -> dict[str, int]:
        return {user: len(prompts_to(bot, user)) for user in people}

    # Week of Monday 26 October: Berlin has just left summer time (UTC+1), LA has not (UTC-7).
    steps = [
        (datetime(2026, 10, 30, 6, 59, tzinfo=UTC), {}),
        (datetime(2026, 10, 30, 7, 0, tzinfo=UTC), {"USEOUL": 1}),  # 16:00 in Seoul
        (datetime(2026, 10, 30, 7, 0, tzinfo=UTC), {}),  # the same tick again
        (datetime(2026, 10, 30, 14, 0, tzinfo=UTC), {}),  # 15:00 in Berlin now, not 16:00
        (datetime(2026, 10, 30, 15, 0, tzinfo=UTC), {"UBERLIN": 1}),
        (datetime(2026, 10, 30, 22, 0, tzinfo=UTC), {}),
        (datetime(2026, 10, 30, 23, 0, tzinfo=UTC), {"ULA": 1}),  # 16:00 PDT
        (datetime(2026, 10, 31, 12, 0, tzinfo=UTC), {}),
        # Week of Monday 2 November: Los Angeles has left summer time too (UTC-8).
        (datetime(2026, 11, 6, 7, 0, tzinfo=UTC), {"USEOUL": 1}),
        (datetime(2026, 11, 6, 15, 0, tzinfo=UTC), {"UBERLIN": 1}),
        (datetime(2026, 11, 6, 23, 0, tzinfo=UTC), {}),  # 15:00 PST
        (datetime(2026, 11, 7, 0, 0, tzinfo=UTC), {"ULA": 1}),  # 16:00 PST
        (datetime(2026, 11, 7, 0, 0, tzinfo=UTC), {}),
    ]
    for at, new in steps:
        before = prompted()
        tick(bot, database_url, tmp_path, at)
        after = prompted()
        assert {u: after[u] - before[u] for u in people if after[u] != before[u]} == new, at

    for user in people:
        weeks = [c.week for c in reversed(history(bot, user))]
        assert weeks == ["2026-W44", "2026-W45"], user
        titles = [shown(m).splitlines()[0] for m in prompts_to(bot, user)]
        assert titles == [
            "Your weekly check-in (week 2026-W44)",
            "Your weekly check-in (week 2026-W45)",
        ]


# Answers


def test_a_dm_reply_is_stored_and_confirmed_in_its_thread_once_however_often_slack_retries(
    bot, database_url, tmp_path
):
    tick(bot, database_url, tmp_path, SEOUL_FRIDAY)
    channel = bot.fake_slack.dm_channel("USEOUL")
    assert channel is not None
    ts = "1795762800.000100"
    body = event_callback_body(dm_message("USEOUL", channel, ts, "Shipped the RAG demo"))

    for retry in (None, "1", "2"):
        headers = {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"}
        answer = bot.post(body, headers_override=headers if retry else None)
        assert answer.status == 200
        bot.wait_for_follow_ups()

    poll(lambda: len(replies_in_thread(bot, channel, ts)) >= 1)
    time.sleep(0.2)
    [confirmation] = replies_in_thread(bot, channel, ts)
    assert "Saved as your check-in for 2026-W48" in shown(confirmation)
    [checkin] = history(bot, "USEOUL")
    assert (checkin.state, checkin.answer.progress) == (
        CheckinState.ANSWERED,
        "Shipped the RAG demo",
    )

    more = "1795762860.000200"
    bot.post(event_callback_body(dm_message("USEOUL", channel, more, "Next: evals")))
    bot.wait_for_follow_ups()
    poll(lambda: len(replies_in_thread(bot, channel, more)) == 1)
    assert history(bot, "USEOUL")[0].answer.progress == "Shipped the RAG demo\nNext: evals"


def test_a_dm_with_no_open_checkin_is_not_taken_and_says_so(bot):
    channel = "D0NOCHECKIN"
    ts = "1795762800.000300"
    bot.post(event_callback_body(dm_message("USEOUL", channel, ts, "hello?")))
    bot.wait_for_follow_ups()

    poll(lambda: len(replies_in_thread(bot, channel, ts)) == 1)
    assert "There is no check-in open for you" in shown(replies_in_thread(bot, channel, ts)[0])
    assert history(bot, "USEOUL") == []


def test_answering_in_the_form_updates_the_prompt_without_stale_buttons(
    bot, database_url, tmp_path
):
    tick(bot, database_url, tmp_path, SEOUL_FRIDAY)
    [prompt] = prompts_to(bot, "USEOUL")
    assert CheckinAction.OPEN_FORM in buttons(prompt)

    form = open_form(bot, "USEOUL", prompt)
    submit_form(
        bot,
        "USEOUL",
        form,
        progress="Built the retriever",
        blockers="Evals are slow",
        confidence="4",
        next_steps="Write evals",
    )

    [updated] = prompts_to(bot, "USEOUL")
    assert updated["ts"] == prompt["ts"]
    assert "Thank you! Your check-in for 2026-W48 is saved." in shown(updated)
    assert "Built the retriever" in shown(updated)
    assert buttons(updated) == {}
    [checkin] = history(bot, "USEOUL")
    assert (checkin.answer.confidence, checkin.answer.next_steps) == (4, "Write evals")


def test_an_empty_form_says_what_is_missing(bot, database_url, tmp_path):
    tick(bot, database_url, tmp_path, SEOUL_FRIDAY)
    [prompt] = prompts_to(bot, "USEOUL")
    form = open_form(bot, "USEOUL", prompt)

    answer = submit_form(bot, "USEOUL", form)

    assert answer.json["response_action"] == "errors"
    assert "Tell me at least how your week went" in answer.json["errors"][CheckinBlock.PROGRESS]
    assert history(bot, "USEOUL")[0].state is CheckinState.PENDING


def test_the_mentor_summary_shows_the_words_only_when_shared(bot, database_url, tmp_path):
    pair(bot, "UM1", "USEOUL")
    pair(bot, "UM1", "UE2")
    tick(bot, database_url, tmp_path, SEOUL_FRIDAY)

    [shared_prompt] = prompts_to(bot, "USEOUL")
    submit_form(
        bot,
        "USEOUL",
        open_form(bot, "USEOUL", shared_prompt),
        progress="Built the retriever",
        confidence="4",
    )
    [private_prompt] = prompts_to(bot, "UE2")
    submit_form(
        bot,
        "UE2",
        open_form(bot, "UE2", private_prompt),
        progress="A rough week at home",
        confidence="2",
        share=(),
    )
    tick(bot, database_url, tmp_path, SEOUL_FRIDAY + timedelta(minutes=5))

    [shared] = with_text(bot, "UM1", "<@USEOUL> answered their check-in")
    assert "confidence 4/5" in shown(shared)
    assert "Built the retriever" in shown(shared)
    [private] = with_text(bot, "UM1", "<@UE2> answered their check-in")
    assert "confidence 2/5" in shown(private)
    assert "kept their words private" in shown(private)
    assert "A rough week" not in json.dumps(private)


# Reminder and missed weeks


def test_one_reminder_48_hours_after_an_unanswered_prompt(bot, database_url, tmp_path):
    tick(bot, database_url, tmp_path, SEOUL_FRIDAY)
    tick(bot, database_url, tmp_path, SEOUL_FRIDAY + timedelta(hours=47))
    assert with_text(bot, "USEOUL", "A gentle reminder") == []

    out = tick(bot, database_url, tmp_path, SEOUL_FRIDAY + timedelta(hours=48))
    tick(bot, database_url, tmp_path, SEOUL_FRIDAY + timedelta(hours=49))

    assert "checkin-reminders: " in out
    [reminder] = with_text(bot, "USEOUL", "A gentle reminder")
    assert "2026-W48" in shown(reminder)
    assert CheckinAction.OPEN_FORM in buttons(reminder)


def test_missed_weeks_tell_the_mentor_after_two_and_the_admins_after_three(
    bot, database_url, tmp_path
):
    pair(bot, "UM1", "USEOUL")
    about = "<@USEOUL> has missed"

    for n in range(3):
        tick(bot, database_url, tmp_path, SEOUL_FRIDAY + n * WEEK)
        tick(bot, database_url, tmp_path, SEOUL_WEEK_END + n * WEEK)
        told_mentor = with_text(bot, "UM1", about)
        told_admin = with_text(bot, "UADMIN", about)
        offered = with_text(bot, "USEOUL", "Would a break help")
        if n == 0:
            assert (told_mentor, told_admin, offered) == ([], [], [])
        if n == 1:
            [note] = told_mentor
            assert "missed 2 check-ins in a row" in shown(note)
            assert (told_admin, offered) == ([], [])
        if n == 2:
            assert len(told_mentor) == 1
            [note] = told_admin
            assert "missed 3 check-ins in a row" in shown(note)
            [offer] = offered
            assert set(buttons(offer)) == {
                CheckinAction.PAUSE_FOUR_WEEKS,
                CheckinAction.NEW_MENTOR,
            }
    assert [c.state for c in history(bot, "USEOUL")] == [CheckinState.MISSED] * 3


# Pause, resume, deactivated


def test_pause_until_a_date_then_checkins_start_again_by_themselves(bot, database_url, tmp_path):
    answer = bot.command("pause until 2026-12-10", user_id="USEOUL")
    assert "Paused until 2026-12-10" in answer.shown_text

    tick(bot, database_url, tmp_path, SEOUL_FRIDAY)
    tick(bot, database_url, tmp_path, SEOUL_FRIDAY + WEEK)
    assert prompts_to(bot, "USEOUL") == []
    tick(bot, database_url, tmp_path, SEOUL_FRIDAY + 2 * WEEK)

    [prompt] = prompts_to(bot, "USEOUL")
    assert "2026-W50" in shown(prompt)
    assert [(c.week, c.state, c.skip_reason) for c in history(bot, "USEOUL")] == [
        ("2026-W50", CheckinState.PENDING, None),
        ("2026-W49", CheckinState.SKIPPED, SkipReason.PAUSED),
        ("2026-W48", CheckinState.SKIPPED, SkipReason.PAUSED),
    ]
    listed = bot.command("checkin history", user_id="USEOUL").shown_text
    assert "skipped (paused)" in listed


def test_a_date_that_cannot_be_read_gets_a_specific_message(bot):
    wrong_month = bot.command("pause until 2026-13-01", user_id="USEOUL").shown_text
    not_a_date = bot.command("pause until someday", user_id="USEOUL").shown_text
    past = bot.command("pause until 2026-01-05", user_id="USEOUL").shown_text

    assert "13 is not a month (1-12)" in wrong_month
    assert "I can't read “someday” as a date" in not_a_date
    assert "2026-01-05 is in the past" in past


def test_resume_starts_checkins_again_before_the_pause_ends(bot, database_url, tmp_path):
    bot.command("pause until 2027-01-31", user_id="USEOUL")
    answer = bot.command("resume", user_id="USEOUL")
    assert "check-ins are on again" in answer.shown_text

    tick(bot, database_url, tmp_path, SEOUL_FRIDAY)

    assert len(prompts_to(bot, "USEOUL")) == 1


def test_skip_this_week(bot, database_url, tmp_path):
    tick(bot, database_url, tmp_path, SEOUL_FRIDAY)

    answer = bot.command("skip", user_id="USEOUL")
    tick(bot, database_url, tmp_path, SEOUL_FRIDAY + timedelta(hours=48))

    assert "Skipped your check-in for 2026-W48" in answer.shown_text
    assert with_text(bot, "USEOUL", "A gentle reminder") == []
    assert "skipped (you skipped it)" in bot.command("checkin history", user_id="USEOUL").shown_text


def test_a_deactivated_person_is_skipped_with_the_reason(bot, database_url, tmp_path):
    from tests.e2e.test_events import user_change

    # Slack itself says so too, so a users.info refresh still running from earlier agrees.
    bot.fake_slack.add_user("UBERLIN", deleted=True, tz="Europe/Berlin", tz_offset=3600)
    bot.wait_for_follow_ups()
    answer = bot.post(event_callback_body(user_change("UBERLIN", deleted=True, tz="Europe/Berlin")))
    assert answer.status == 200
    poll(lambda: bot.container.services.members.get_member(TEAM, "UBERLIN").is_deleted, 15.0)

    tick(bot, database_url, tmp_path, datetime(2026, 11, 27, 15, 0, tzinfo=UTC))  # 16:00 CET

    assert prompts_to(bot, "UBERLIN") == []
    [checkin] = history(bot, "UBERLIN")
    assert (checkin.week, checkin.state, checkin.skip_reason) == (
        "2026-W48",
        CheckinState.SKIPPED,
        SkipReason.DEACTIVATED,
    )
    assert len(prompts_to(bot, "USEOUL")) == 1  # the others still get theirs
