"""Settings: the only place the environment is read."""

from __future__ import annotations

from datetime import time
from typing import Annotated, TypeVar

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.domain.checkins import WEEKDAYS, CheckinSchedule
from bot.domain.matching.scoring import MatchWeights

DEFAULT_DATABASE_URL = "sqlite:///./mentor_bot.db"

# What to put in each variable, shown when it is missing or malformed.
HINTS: dict[str, str] = {
    "SLACK_BOT_TOKEN": (
        "the Bot User OAuth Token from your Slack app's OAuth & Permissions page (xoxb-...)"
    ),
    "SLACK_SIGNING_SECRET": "the Signing Secret from your Slack app's Basic Information page",
    "SLACK_CLIENT_ID": "the Client ID from your Slack app's Basic Information page",
    "SLACK_CLIENT_SECRET": "the Client Secret from your Slack app's Basic Information page",
    "SLACK_REDIRECT_URI": (
        "https://<your host>/slack/oauth_redirect, as listed in the app's Redirect URLs"
    ),
    "MENTOR_BOT_ENCRYPTION_KEY": (
        "one or more comma-separated Fernet keys; make one with `mentor-bot new-encryption-key`"
    ),
    "SLACK_APP_TOKEN": "an app-level token with connections:write (xapp-...), for --socket-mode",
    "SLACK_API_URL": "the Web API base URL ending in /api/, e.g. https://slack.com/api/",
    "DATABASE_URL": "a SQLAlchemy URL, e.g. sqlite:///./mentor_bot.db or postgresql+psycopg://user@host/db",
    "MENTOR_BOT_ADMINS": "comma-separated Slack user ids, e.g. U012ABC,U034DEF",
    "MENTOR_BOT_SEND_RATE_PER_MINUTE": "messages per minute per workspace, e.g. 290",
    "MENTOR_BOT_TICK_SECONDS": "seconds between scheduler ticks, e.g. 60",
    "MENTOR_BOT_DISPATCH_SECONDS": "seconds between delivery dispatch runs, e.g. 2",
    "MENTOR_BOT_MATCH_WEIGHT_TRACK": "points for the same target track, e.g. 40",
    "MENTOR_BOT_MATCH_WEIGHT_CAREER_MOVE": "points for the same career move, e.g. 20",
    "MENTOR_BOT_MATCH_WEIGHT_SKILL": "points per wanted skill the mentor offers, e.g. 6",
    "MENTOR_BOT_MATCH_WEIGHT_HOURS_OVERLAP": "points per shared working hour, e.g. 2",
    "MENTOR_BOT_MATCH_WEIGHT_LANGUAGE": "points for a shared language, e.g. 5",
    "MENTOR_BOT_MATCH_WEIGHT_BACKGROUND": "points for engineering paired with AI, e.g. 15",
    "MENTOR_BOT_MATCH_MIN_OVERLAP_MINUTES": "the least shared working time in minutes, e.g. 120",
    "MENTOR_BOT_MATCH_RECENCY_WEEKS": "weeks before an ended pair may meet again, e.g. 12",
    "MENTOR_BOT_MATCH_MAXIMIZE_MATCHES": "true (match as many mentees as possible first) or false",
    "MENTOR_BOT_MATCH_REQUEST_HOURS": "hours a mentor has to answer a request, e.g. 72",
    "MENTOR_BOT_CHECKIN_DAY": "the weekday of the weekly check-in: mon, tue, ... sun",
    "MENTOR_BOT_CHECKIN_TIME": "the local time of the weekly check-in, HH:MM, e.g. 16:00",
    "PORT": "a TCP port number between 0 and 65535, e.g. 3000 (0 picks a free one)",
}


S = TypeVar("S", bound="DatabaseSettings")


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable and the fix."""


class DatabaseSettings(BaseSettings):
    """What commands that only touch the database need (`mentor-bot db ...`)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    database_url: str = DEFAULT_DATABASE_URL

    @field_validator("database_url")
    @classmethod
    def _database_url_shape(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql", "postgres://")):
            raise ValueError("must be a sqlite:// or postgresql+psycopg:// URL")
        if value.startswith(("postgresql://", "postgres://")):
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        return value


class Settings(DatabaseSettings):
    slack_bot_token: SecretStr | None = None
    """Single-workspace mode. Leave it empty and set the three OAuth settings to install the app
    in many workspaces (their tokens are kept encrypted in the database)."""
    slack_signing_secret: SecretStr
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_redirect_uri: str | None = None
    mentor_bot_encryption_key: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    mentor_bot_admins: Annotated[tuple[str, ...], NoDecode] = ()
    mentor_bot_send_rate_per_minute: float = Field(default=290, gt=0, le=60000)
    mentor_bot_tick_seconds: float = Field(default=60, gt=0, le=3600)
    mentor_bot_dispatch_seconds: float = Field(default=2, gt=0, le=600)
    mentor_bot_match_weight_track: int = Field(default=40, ge=0, le=1000)
    mentor_bot_match_weight_career_move: int = Field(default=20, ge=0, le=1000)
    mentor_bot_match_weight_skill: int = Field(default=6, ge=0, le=1000)
    mentor_bot_match_weight_hours_overlap: int = Field(default=2, ge=0, le=1000)
    mentor_bot_match_weight_language: int = Field(default=5, ge=0, le=1000)
    mentor_bot_match_weight_background: int = Field(default=15, ge=0, le=1000)
    mentor_bot_match_min_overlap_minutes: int = Field(default=120, ge=0, le=1440)
    mentor_bot_match_recency_weeks: int = Field(default=12, ge=0, le=520)
    mentor_bot_match_maximize_matches: bool = True
    mentor_bot_match_request_hours: int = Field(default=72, ge=1, le=24 * 30)
    mentor_bot_checkin_day: str = "fri"
    mentor_bot_checkin_time: time = time(16, 0)
    mentor_bot_answer_retention_days: int = Field(default=0, ge=0, le=3650)
    """Check-in answers' words are erased this many days after their week ends (0: kept)."""
    port: int = Field(default=3000, ge=0, le=65535)  # 0: any free port (logged at start)

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("must start with xoxb-")
        return value

    @field_validator("slack_client_id", "slack_redirect_uri")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("slack_client_secret", "mentor_bot_encryption_key")
    @classmethod
    def _blank_secret_is_unset(cls, value: SecretStr | None) -> SecretStr | None:
        return value if value is not None and value.get_secret_value().strip() else None

    @model_validator(mode="after")
    def _one_way_to_get_tokens(self) -> Settings:
        oauth = {
            "SLACK_CLIENT_ID": self.slack_client_id,
            "SLACK_CLIENT_SECRET": self.slack_client_secret,
            "MENTOR_BOT_ENCRYPTION_KEY": self.mentor_bot_encryption_key,
        }
        given = [name for name, value in oauth.items() if value is not None]
        if given and len(given) < len(oauth):
            missing = next(name for name in oauth if name not in given)
            raise ValueError(
                f"{missing} is missing: set it to {HINTS[missing]} "
                f"(multi-workspace install needs {', '.join(oauth)})."
            )
        if given and self.slack_bot_token is not None:
            raise ValueError(
                "SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set: keep SLACK_BOT_TOKEN for one "
                "workspace, or the OAuth settings to install in many, not both."
            )
        if not given and self.slack_bot_token is None:
            raise ValueError(
                f"SLACK_BOT_TOKEN is missing: set it to {HINTS['SLACK_BOT_TOKEN']} "
                "(or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and MENTOR_BOT_ENCRYPTION_KEY "
                "to install the app in many workspaces)."
            )
        if self.mentor_bot_encryption_key is not None:
            from cryptography.fernet import Fernet

            for position, key in enumerate(
                self.mentor_bot_encryption_key.get_secret_value().split(","), start=1
            ):
                try:
                    Fernet(key.strip().encode())
                except ValueError:
                    raise ValueError(
                        f"MENTOR_BOT_ENCRYPTION_KEY is invalid (key {position} is not a Fernet "
                        f"key): set it to {HINTS['MENTOR_BOT_ENCRYPTION_KEY']}."
                    ) from None
        return self

    @property
    def oauth_enabled(self) -> bool:
        return self.slack_client_id is not None

    @field_validator("slack_signing_secret")
    @classmethod
    def _secret_not_empty(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must start with xapp-")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_shape(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("mentor_bot_checkin_day")
    @classmethod
    def _weekday(cls, value: str) -> str:
        day = value.strip().lower()[:3]
        if day not in WEEKDAYS:
            raise ValueError(f"not a weekday: {value!r}")
        return day

    @field_validator("mentor_bot_admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            ids = tuple(part.strip() for part in value.split(",") if part.strip())
        else:
            ids = tuple(value or ())  # type: ignore[arg-type]
        bad = [i for i in ids if not (i[:1] in ("U", "W") and i.isalnum() and i.isupper())]
        if bad:
            raise ValueError(f"not a Slack user id: {bad[0]}")
        return ids


def checkin_schedule(settings: Settings) -> CheckinSchedule:
    return CheckinSchedule(
        weekday=WEEKDAYS.index(settings.mentor_bot_checkin_day), at=settings.mentor_bot_checkin_time
    )


def match_weights(settings: Settings) -> MatchWeights:
    return MatchWeights(
        same_track=settings.mentor_bot_match_weight_track,
        career_move=settings.mentor_bot_match_weight_career_move,
        skill=settings.mentor_bot_match_weight_skill,
        hours_overlap=settings.mentor_bot_match_weight_hours_overlap,
        shared_language=settings.mentor_bot_match_weight_language,
        background_complement=settings.mentor_bot_match_weight_background,
        min_overlap_minutes=settings.mentor_bot_match_min_overlap_minutes,
        recency_weeks=settings.mentor_bot_match_recency_weeks,
        maximize_matches_first=settings.mentor_bot_match_maximize_matches,
    )


def load_settings(kind: type[S] = Settings, **overrides: object) -> S:  # type: ignore[assignment]
    """Read settings from the environment and .env; raise SettingsError with one clear line."""
    try:
        return kind(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        if not first["loc"]:  # a check across settings: its message is complete
            message = str(first["msg"]).removeprefix("Value error, ")
            raise SettingsError(message) from None
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        problem = "is missing" if first["type"] == "missing" else f"is invalid ({first['msg']})"
        hint = HINTS.get(name, "see .env.example")
        raise SettingsError(f"{name} {problem}: set it to {hint}.") from None
