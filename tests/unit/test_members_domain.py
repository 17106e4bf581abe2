from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.members import Member, SlackUser, language_from_locale


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("ko-KR", "ko"),
        ("ko_KR", "ko"),
        ("en-US", "en"),
        ("en-GB", "en"),
        ("ja-JP", "en"),
        (None, "en"),
        ("", "en"),
    ],
)
def test_language_follows_the_slack_locale(locale, language):
    assert language_from_locale(locale) == language


def test_an_explicit_language_choice_beats_the_slack_locale():
    assert Member("T1", "U1", slack_locale="ko-KR", language_override="en").language == "en"


def test_sync_keeps_the_last_known_zone_when_slack_sends_none():
    now = datetime(2026, 11, 27, tzinfo=UTC)
    member = Member("T1", "U1", tz="Asia/Seoul", slack_locale="ko-KR")
    synced = member.synced_with(
        SlackUser("U1", tz=None, locale=None, is_deleted=True, is_bot=False), now
    )

    assert (synced.tz, synced.slack_locale, synced.is_deleted) == ("Asia/Seoul", "ko-KR", True)
    assert not synced.needs_slack_sync(now + timedelta(hours=23, minutes=59))
    assert synced.needs_slack_sync(now + timedelta(hours=24))
