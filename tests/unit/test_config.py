from __future__ import annotations

import pytest

from bot.config import (
    DEFAULT_DATABASE_URL,
    Settings,
    SettingsError,
    load_settings,
    match_weights,
)

REQUIRED = {"slack_bot_token": "xoxb-1", "slack_signing_secret": "s3cr3t-value"}
KEY = "uVnmL2mHqJ4x1d8wYp4tJ0bX7v3c6eZr9sQk5aNf2Ho="
OAUTH = {
    "slack_client_id": "123.456",
    "slack_client_secret": "cs",
    "mentor_bot_encryption_key": KEY,
}


def settings(**values: object) -> Settings:
    return load_settings(Settings, _env_file=None, **{**REQUIRED, **values})


def test_defaults_are_sqlite_the_public_slack_api_and_port_3000(monkeypatch):
    for name in ("DATABASE_URL", "SLACK_API_URL", "PORT", "MENTOR_BOT_ADMINS", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    loaded = settings()
    assert loaded.database_url == DEFAULT_DATABASE_URL
    assert loaded.slack_api_url == "https://slack.com/api/"
    assert loaded.port == 3000
    assert loaded.mentor_bot_admins == ()


def test_admins_are_a_comma_separated_list_of_user_ids():
    assert settings(mentor_bot_admins=" U012ABC, W034DEF ,").mentor_bot_admins == (
        "U012ABC",
        "W034DEF",
    )


def test_plain_postgresql_urls_use_psycopg_3():
    url = settings(database_url="postgresql://postgres@127.0.0.1/test").database_url
    assert url == "postgresql+psycopg://postgres@127.0.0.1/test"


def test_tokens_do_not_show_in_the_settings_repr():
    assert "xoxb-1" not in repr(settings()) and "s3cr3t-value" not in repr(settings())


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"slack_bot_token": None},
            "SLACK_BOT_TOKEN is missing: set it to the Bot User OAuth Token",
        ),
        (
            {"slack_bot_token": "xoxp-user"},
            "SLACK_BOT_TOKEN is invalid (Value error, must start with xoxb-)",
        ),
        ({"slack_signing_secret": " "}, "SLACK_SIGNING_SECRET is invalid"),
        ({"port": "http"}, "PORT is invalid"),
        ({"port": "70000"}, "PORT is invalid"),
        (
            {"mentor_bot_admins": "U012ABC,minji"},
            "MENTOR_BOT_ADMINS is invalid (Value error, not a Slack user id: minji)",
        ),
        ({"database_url": "mysql://x"}, "DATABASE_URL is invalid"),
        ({"slack_api_url": "slack.com/api"}, "SLACK_API_URL is invalid"),
        ({"slack_app_token": "xoxb-wrong"}, "SLACK_APP_TOKEN is invalid"),
        (
            {"slack_bot_token": None, "slack_client_id": "123.456"},
            "SLACK_CLIENT_SECRET is missing: set it to the Client Secret",
        ),
        (
            {"slack_bot_token": None, "slack_client_id": "1.2", "slack_client_secret": "s"},
            "MENTOR_BOT_ENCRYPTION_KEY is missing",
        ),
        ({**OAUTH}, "SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set"),
        (
            {**OAUTH, "slack_bot_token": None, "mentor_bot_encryption_key": f"{KEY},not-a-key"},
            "MENTOR_BOT_ENCRYPTION_KEY is invalid (key 2 is not a Fernet key)",
        ),
    ],
)
def test_a_missing_or_malformed_setting_names_the_variable_and_the_fix(
    values, message, monkeypatch
):
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    given = {key: value for key, value in {**REQUIRED, **values}.items() if value is not None}
    with pytest.raises(SettingsError) as error:
        load_settings(Settings, _env_file=None, **given)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_the_oauth_settings_without_a_bot_token_turn_on_multi_workspace_install():
    loaded = load_settings(Settings, _env_file=None, slack_signing_secret="s3cr3t-value", **OAUTH)
    assert loaded.oauth_enabled and loaded.slack_bot_token is None
    assert not settings().oauth_enabled
    assert KEY not in repr(loaded) and "'cs'" not in repr(loaded)


def test_match_weights_come_from_settings(monkeypatch):
    monkeypatch.setenv("MENTOR_BOT_MATCH_WEIGHT_TRACK", "55")
    monkeypatch.setenv("MENTOR_BOT_MATCH_MAXIMIZE_MATCHES", "false")
    weights = match_weights(settings())
    assert (weights.same_track, weights.maximize_matches_first) == (55, False)
    assert (weights.career_move, weights.min_overlap_minutes, weights.recency_weeks) == (
        20,
        120,
        12,
    )


def test_a_negative_match_weight_names_the_variable(monkeypatch):
    monkeypatch.setenv("MENTOR_BOT_MATCH_WEIGHT_SKILL", "-3")
    with pytest.raises(SettingsError) as raised:
        settings()
    assert str(raised.value).startswith("MENTOR_BOT_MATCH_WEIGHT_SKILL is invalid")
    assert "per wanted skill the mentor offers" in str(raised.value)
