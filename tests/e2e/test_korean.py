"""Korean for Korean speakers, end to end: the language follows each person's Slack locale
(`users.info` / `users.list` with include_locale), `/mentor lang` overrides it, and it holds in
a check-in prompt, a digest and an error."""

from __future__ import annotations

import io
import re

import pytest

from bot import profile_csv
from bot.i18n import translator
from tests.e2e.test_checkins import COHORT, PROMPT_TITLE, SEOUL_FRIDAY, ZONES
from tests.e2e.test_digests import bot  # noqa: F401  (the digest fixture: a team with history)
from tests.e2e.test_matching import dms_to, shown
from tests.e2e.test_mentor_command import member_rows
from tests.support.running_bot import RunningBot

HANGUL = re.compile("[가-힣]")
KO = translator("ko")


@pytest.fixture
def cohort(running_bot: RunningBot) -> RunningBot:
    """The check-in cohort, everyone told by Slack that they read Korean, except Berlin and LA."""
    for user_id, (tz, offset) in ZONES.items():
        locale = "ko-KR" if tz == "Asia/Seoul" else "en-US"
        running_bot.fake_slack.add_user(user_id, tz=tz, tz_offset=offset, locale=locale)
    services = running_bot.container.services
    rows = list(profile_csv.read_rows(io.StringIO("\n".join(COHORT) + "\n")))
    assert not services.profiles.import_rows(running_bot.team_id, rows).errors
    services.members.sync_directory(running_bot.team_id)  # the scheduler's daily sync
    return running_bot


def fields(rows: list) -> list[tuple]:
    return [(r.user_id, r.language_override, r.updated_at) for r in rows]


def send_this_weeks_prompts(running: RunningBot) -> None:
    running.clock.set(SEOUL_FRIDAY)
    running.container.services.ticks.run_tick(SEOUL_FRIDAY)
    running.container.services.dispatcher.dispatch_due()


def test_a_korean_locale_gets_the_check_in_in_korean_and_lang_en_overrides_it(cohort):
    assert cohort.command("lang en", user_id="UE2").status == 200

    send_this_weeks_prompts(cohort)

    [seoul] = dms_to(cohort, "USEOUL")
    title = "Your weekly check-in (week {week})"
    week = re.search(r"week (\S+)\)", shown(dms_to(cohort, "UE2")[0])).group(1)
    assert KO(title) != title and KO(title).format(week=week) in shown(seoul)
    assert PROMPT_TITLE not in shown(seoul)
    [overridden] = dms_to(cohort, "UE2")
    assert PROMPT_TITLE in shown(overridden) and not HANGUL.search(shown(overridden))
    assert dms_to(cohort, "UBERLIN") == []  # 08:00 in Berlin: hers comes at her 16:00


def test_an_error_reaches_a_korean_speaker_in_korean_and_changes_nothing(cohort):
    before = member_rows(cohort)

    korean = cohort.command("pause until 2026-13-45", user_id="USEOUL")
    english = cohort.command("pause until 2026-13-45", user_id="UBERLIN")

    assert korean.status == english.status == 200
    assert HANGUL.search(korean.shown_text) and not HANGUL.search(english.shown_text)
    assert "13" in korean.shown_text and "13" in english.shown_text  # says which part is wrong
    assert fields(member_rows(cohort)) == fields(before)


def test_a_korean_lead_reads_the_digest_in_korean(bot):  # noqa: F811
    bot.fake_slack.add_user("ULEAD", tz="America/Los_Angeles", tz_offset=-28800, locale="ko-KR")
    bot.container.services.members.sync_directory(bot.team_id)

    answer = bot.command("digest", user_id="ULEAD")
    bot.wait_for_follow_ups()

    text = answer.shown_text
    assert KO("*Needs attention*") != "*Needs attention*" and KO("*Needs attention*") in text
    assert "Needs attention" not in text and "Check-ins this week" not in text
    assert "Search" in text and "<@UB>" in text  # names and people are not translated
