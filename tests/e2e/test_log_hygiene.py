"""What the logs may hold: no token, no signing secret and no words of a check-in or a goal at
INFO and above - not even inside a database error."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from storage.db import create_db_engine
from storage.models import MemberRow
from tests.e2e.test_checkins import (
    SEOUL_FRIDAY,
    dm_message,
    open_form,
    prompts_to,
    submit_form,
    tick,
)
from tests.e2e.test_checkins import bot as checkin_bot  # noqa: F401 - the cohort fixture
from tests.support.running_bot import BOT_TOKEN, SIGNING_SECRET
from tests.support.slack_requests import event_callback_body

SECRET_WORDS = "my-secret-doubt-about-the-promotion"


def test_tokens_secrets_and_answers_never_reach_the_logs(
    checkin_bot,  # noqa: F811
    database_url,
    tmp_path,
    caplog,
):
    caplog.set_level(logging.INFO)
    bot = checkin_bot
    tick(bot, database_url, tmp_path, SEOUL_FRIDAY)
    channel = bot.fake_slack.dm_channel("USEOUL")
    bot.post(event_callback_body(dm_message("USEOUL", channel, "1795762800.000100", SECRET_WORDS)))
    bot.wait_for_follow_ups()
    [prompt] = prompts_to(bot, "USEOUL")
    submit_form(bot, "USEOUL", open_form(bot, "USEOUL", prompt), progress=SECRET_WORDS)
    bot.command(f"goal add {SECRET_WORDS}", user_id="USEOUL")
    bot.command(f"goal comment <@USEOUL> 1 {SECRET_WORDS}", user_id="UM1")
    bot.wait_for_follow_ups()
    bot.container.services.ticks.run_tick(SEOUL_FRIDAY)  # in this process: its logs are caught
    bot.container.services.dispatcher.dispatch_due()

    logged = "\n".join(
        f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records if r.levelno >= logging.INFO
    )
    assert logged  # the flow did log (ticks, deliveries): the check below is not vacuous
    for secret in (SECRET_WORDS, BOT_TOKEN, SIGNING_SECRET):
        assert secret not in logged


def test_a_database_error_does_not_carry_the_values_it_was_given(database_url):
    engine = create_db_engine(database_url)
    now = datetime(2026, 11, 28, tzinfo=UTC)
    row = {"team_id": "T1", "user_id": "U1", "created_at": now, "updated_at": now}
    with engine.begin() as connection:
        connection.execute(MemberRow.__table__.insert(), [row])
    with pytest.raises(IntegrityError) as failed, engine.begin() as connection:
        connection.execute(MemberRow.__table__.insert(), [{**row, "display_name": SECRET_WORDS}])
    engine.dispose()

    assert SECRET_WORDS not in str(failed.value)
