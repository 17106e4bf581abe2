"""Workspace members as the program knows them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.domain.i18n_markers import N_

PROFILE_REFRESH_INTERVAL = timedelta(hours=24)
SUPPORTED_LANGUAGES = ("en", "ko")
DEFAULT_LANGUAGE = "en"
DEFAULT_TIMEZONE = "UTC"

LANGUAGE_NAMES = {"en": N_("English"), "ko": N_("Korean")}


@dataclass(frozen=True)
class SlackUser:
    """What Slack's users.info says about a person."""

    user_id: str
    tz: str | None
    locale: str | None
    is_deleted: bool
    is_bot: bool
    display_name: str | None = None


@dataclass(frozen=True)
class Member:
    team_id: str
    user_id: str
    display_name: str | None = None
    tz: str | None = None
    slack_locale: str | None = None
    language_override: str | None = None
    is_admin: bool = False
    is_deleted: bool = False
    is_bot: bool = False
    slack_synced_at: datetime | None = None

    @property
    def language(self) -> str:
        """The language to talk to this person in: their choice, else their Slack locale."""
        if self.language_override:
            return self.language_override
        return language_from_locale(self.slack_locale)

    @property
    def timezone(self) -> str:
        return self.tz or DEFAULT_TIMEZONE

    def needs_slack_sync(self, now: datetime) -> bool:
        return (
            self.slack_synced_at is None or now - self.slack_synced_at >= PROFILE_REFRESH_INTERVAL
        )

    def synced_with(self, user: SlackUser, now: datetime) -> Member:
        return replace(
            self,
            display_name=user.display_name or self.display_name,
            tz=user.tz or self.tz,
            slack_locale=user.locale or self.slack_locale,
            is_deleted=user.is_deleted,
            is_bot=user.is_bot,
            slack_synced_at=now,
        )


def language_from_locale(locale: str | None) -> str:
    """Slack locales look like "ko-KR" or "en-US"; other languages fall back to English."""
    if not locale:
        return DEFAULT_LANGUAGE
    primary = locale.replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
