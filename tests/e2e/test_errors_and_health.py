"""What a person sees when something breaks, and what an operator's health check sees."""

from __future__ import annotations

import json
import logging
import re
import urllib.request
from pathlib import Path

from sqlalchemy import text

from storage.db import create_db_engine
from storage.migrate import upgrade_to_head
from tests.support.running_bot import RunningBot, start_bot


def get(url: str) -> tuple[int, dict]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def migrated_sqlite(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'broken.db'}"
    engine = create_db_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    return url


def break_the_database(bot: RunningBot) -> None:
    with bot.container.engine.begin() as connection:
        connection.execute(text("DROP TABLE members"))


def test_healthz_says_ok_when_the_database_answers(running_bot):
    assert get(f"{running_bot.url}/healthz") == (200, {"status": "ok", "database": "ok"})


def test_healthz_says_503_when_the_database_does_not_answer(fake_slack, clock):
    bot = start_bot(
        fake_slack, database_url="postgresql+psycopg://nobody@127.0.0.1:1/none", clock=clock
    )
    try:
        assert get(f"{bot.url}/healthz") == (
            503,
            {"status": "unavailable", "database": "unreachable"},
        )
    finally:
        bot.close()


def test_an_unexpected_error_shows_a_reference_that_matches_the_log_line(
    fake_slack, clock, tmp_path, caplog
):
    bot = start_bot(fake_slack, database_url=migrated_sqlite(tmp_path), clock=clock)
    break_the_database(bot)
    try:
        with caplog.at_level(logging.ERROR, logger="mentor_bot.errors"):
            answer = bot.command("help")
    finally:
        bot.close()

    assert answer.status == 200
    match = re.fullmatch(
        r"Something went wrong on my side \(ref ([0-9a-f]{6})\)\. Please try again, "
        r"or quote the ref to a program admin\.",
        answer.json["text"],
    )
    assert match, answer.json
    assert "Traceback" not in answer.shown_text and "members" not in answer.shown_text
    [record] = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert record.exc_info is not None


def test_unknown_paths_are_not_found(running_bot):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        opener.open(f"{running_bot.url}/nope", timeout=5)
    except urllib.error.HTTPError as error:
        assert error.code == 404
    else:
        raise AssertionError("expected 404")
