"""The `mentor-bot` command as an operator uses it: real processes, real databases, fake Slack."""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.support.fake_slack import FakeSlack
from tests.support.process import BotProcess, clean_env, mentor_bot
from tests.support.running_bot import BOT_TOKEN, SIGNING_SECRET
from tests.support.slack_requests import post_signed, slash_command_body


def slack_env(fake_slack: FakeSlack, database_url: str, **extra: str) -> dict[str, str]:
    return clean_env(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.url,
        DATABASE_URL=database_url,
        PORT="0",
        **extra,
    )


def healthz(base_url: str) -> tuple[int, dict]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{base_url}/healthz", timeout=5) as response:
        return response.status, json.loads(response.read())


def test_help_lists_every_command_with_a_description(tmp_path):
    result = mentor_bot("--help", env=clean_env(), cwd=tmp_path)

    assert result.returncode == 0
    shown = " ".join(result.stdout.split())  # argparse pads to the longest command name
    for line in (
        "run serve Slack",
        "db database schema",
        "tick run one scheduler tick",
        "import-profiles create or update mentoring profiles from a CSV file",
        "export-profiles write every mentoring profile as CSV",
    ):
        assert line in shown


def test_the_console_script_is_installed(tmp_path):
    import subprocess

    script = Path(sys.executable).parent / "mentor-bot"
    result = subprocess.run([script, "db", "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "upgrade" in result.stdout


def test_run_serves_signed_slack_requests_and_health_then_stops_on_sigterm(fake_slack, tmp_path):
    bot = BotProcess(
        "--host",
        "127.0.0.1",
        env=slack_env(fake_slack, f"sqlite:///{tmp_path}/bot.db"),
        cwd=tmp_path,
    )
    try:
        base_url = bot.wait_until_listening()
        assert healthz(base_url) == (200, {"status": "ok", "database": "ok"})

        status, _, body = post_signed(
            f"{base_url}/slack/events",
            slash_command_body(text="help", user_id="U222"),
            secret=SIGNING_SECRET,
            timeout=3.0,  # Slack's budget for an ack
        )
        assert status == 200 and "What I can do" in body.decode()
    finally:
        code = bot.stop()
    assert code == 0, bot.log
    assert "Scheduler started" in bot.log
    assert "received SIGTERM, shutting down" in bot.log and "stopped" in bot.log
    assert "Traceback" not in bot.log


def test_run_without_a_bot_token_names_the_variable_and_exits_2(fake_slack, tmp_path):
    env = slack_env(fake_slack, f"sqlite:///{tmp_path}/bot.db")
    del env["SLACK_BOT_TOKEN"]

    result = mentor_bot("run", env=env, cwd=tmp_path)

    assert result.returncode == 2
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("mentor-bot: SLACK_BOT_TOKEN is missing: set it to the Bot User OAuth Token")
    )
    assert "Traceback" not in result.stderr


def test_run_with_a_token_slack_rejects_says_so_and_exits_2(fake_slack, tmp_path):
    fake_slack.fail_next("auth.test", error="invalid_auth")

    result = mentor_bot(
        "run", env=slack_env(fake_slack, f"sqlite:///{tmp_path}/bot.db"), cwd=tmp_path
    )

    assert result.returncode == 2, result.stderr
    assert (
        "Slack did not accept SLACK_BOT_TOKEN" in result.stderr and "invalid_auth" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_run_with_an_unreachable_database_says_so_without_a_traceback(fake_slack, tmp_path):
    env = slack_env(fake_slack, "postgresql://nobody@127.0.0.1:1/none")

    result = mentor_bot("run", env=env, cwd=tmp_path)

    assert result.returncode == 1
    assert "cannot reach the database at DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.postgres
def test_run_refuses_an_old_postgresql_schema_until_db_upgrade(
    fake_slack, tmp_path, postgres_server
):
    env = slack_env(fake_slack, postgres_server.create_database("mentor_bot_cli"))

    refused = mentor_bot("run", env=env, cwd=tmp_path)
    assert refused.returncode == 2
    assert "run `mentor-bot db upgrade` first" in refused.stderr

    upgraded = mentor_bot("db", "upgrade", env=env, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    assert mentor_bot("db", "current", env=env, cwd=tmp_path).returncode == 0

    bot = BotProcess("--host", "127.0.0.1", "--no-scheduler", env=env, cwd=tmp_path)
    try:
        assert healthz(bot.wait_until_listening()) == (200, {"status": "ok", "database": "ok"})
    finally:
        assert bot.stop() == 0, bot.log
    assert "Scheduler started" not in bot.log


def test_run_migrates_a_new_sqlite_database_by_itself(fake_slack, tmp_path):
    env = slack_env(fake_slack, f"sqlite:///{tmp_path}/fresh.db")
    assert mentor_bot("db", "current", env=env, cwd=tmp_path).returncode == 1

    bot = BotProcess("--host", "127.0.0.1", env=env, cwd=tmp_path)
    try:
        bot.wait_until_listening()
    finally:
        bot.stop()
    assert mentor_bot("db", "current", env=env, cwd=tmp_path).returncode == 0


def test_tick_runs_once_at_the_given_instant(fake_slack, tmp_path):
    env = slack_env(fake_slack, f"sqlite:///{tmp_path}/bot.db")

    result = mentor_bot("tick", "--at", "2026-11-27T16:00:00+09:00", env=env, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip() == "tick at 2026-11-27T16:00:00+09:00: queued nothing; sent nothing"
    )


def test_tick_with_a_bad_instant_says_which_part_is_wrong(fake_slack, tmp_path):
    env = slack_env(fake_slack, f"sqlite:///{tmp_path}/bot.db")

    result = mentor_bot("tick", "--at", "2026-13-01T16:00", env=env, cwd=tmp_path)

    assert result.returncode == 2
    assert "'2026-13-01T16:00' is not an ISO-8601 instant (month must be in 1..12)" in result.stderr
    assert "Traceback" not in result.stderr


def test_socket_mode_without_an_app_token_names_the_variable(fake_slack, tmp_path):
    result = mentor_bot(
        "run",
        "--socket-mode",
        env=slack_env(fake_slack, f"sqlite:///{tmp_path}/b.db"),
        cwd=tmp_path,
    )

    assert result.returncode == 2
    assert "SLACK_APP_TOKEN is missing" in result.stderr


def test_announce_with_slack_unreachable_says_so_without_a_traceback(fake_slack, tmp_path):
    env = slack_env(fake_slack, f"sqlite:///{tmp_path}/bot.db")
    env["SLACK_API_URL"] = "http://127.0.0.1:9/api/"

    result = mentor_bot("announce", "Round 2 opens Monday", env=env, cwd=tmp_path)

    assert result.returncode == 1
    assert "cannot reach Slack at SLACK_API_URL=http://127.0.0.1:9/api/" in result.stderr
    assert "Traceback" not in result.stderr


def test_key_rotation_from_the_command_line_re_encrypts_stored_tokens(fake_slack, tmp_path):
    from datetime import UTC, datetime

    from bot.domain.installs import WorkspaceInstall
    from storage.db import create_db_engine, create_session_factory
    from storage.installations import SqlInstallations
    from storage.migrate import upgrade_to_head
    from storage.token_cipher import TokenCipher

    old_key = mentor_bot("new-encryption-key", env=clean_env(), cwd=tmp_path).stdout.strip()
    new_key = mentor_bot("new-encryption-key", env=clean_env(), cwd=tmp_path).stdout.strip()
    assert old_key != new_key and len(new_key) == 44
    url = f"sqlite:///{tmp_path}/bot.db"
    engine = create_db_engine(url)
    upgrade_to_head(engine)
    SqlInstallations(create_session_factory(engine), TokenCipher(old_key)).save(
        WorkspaceInstall(
            team_id="T222",
            bot_token="xoxb-rotate-me",
            bot_id="B1",
            bot_user_id="UBOT",
            bot_scopes=("chat:write",),
            installed_at=datetime(2026, 12, 1, tzinfo=UTC),
        )
    )
    env = clean_env(
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_CLIENT_ID="1111.2222",
        SLACK_CLIENT_SECRET="secret",
        SLACK_API_URL=fake_slack.url,
        DATABASE_URL=url,
    )

    too_early = mentor_bot(
        "rotate-tokens", env={**env, "MENTOR_BOT_ENCRYPTION_KEY": new_key}, cwd=tmp_path
    )
    assert too_early.returncode == 2 and "Traceback" not in too_early.stderr
    assert "nothing was changed: no key in MENTOR_BOT_ENCRYPTION_KEY opens" in too_early.stderr

    rotated = mentor_bot(
        "rotate-tokens",
        env={**env, "MENTOR_BOT_ENCRYPTION_KEY": f"{new_key},{old_key}"},
        cwd=tmp_path,
    )
    assert rotated.returncode == 0, rotated.stderr
    assert rotated.stdout.strip() == "1 workspace tokens re-encrypted with the first key"
    stored = SqlInstallations(create_session_factory(engine), TokenCipher(new_key)).find("T222")
    assert stored is not None and stored.bot_token == "xoxb-rotate-me"
    engine.dispose()
