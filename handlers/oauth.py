"""Multi-workspace install: Bolt's OAuth flow, with installs and states kept by our services.

Bolt serves GET /slack/install (a page with the "Add to Slack" link and a state cookie) and
GET /slack/oauth_redirect (checks the state, calls oauth.v2.access, stores the install).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore

from bot.domain.installs import WorkspaceInstall
from bot.services.workspaces import WorkspaceService

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600

# What the code uses; tests/unit/test_manifest.py keeps manifest.yml equal to this list.
BOT_SCOPES = (
    "chat:write",
    "commands",
    "files:write",
    "im:history",
    "im:write",
    "mpim:write",
    "users:read",
)

log = logging.getLogger(__name__)


def oauth_settings(
    *, client_id: str, client_secret: str, redirect_uri: str | None, workspaces: WorkspaceService
) -> OAuthSettings:
    return OAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        redirect_uri=redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=ServiceInstallationStore(workspaces),
        installation_store_bot_only=True,
        state_store=ServiceStateStore(workspaces),
        state_expiration_seconds=STATE_SECONDS,
    )


class ServiceInstallationStore(InstallationStore):
    """One install per workspace (the latest); org-wide installs are not offered."""

    def __init__(self, workspaces: WorkspaceService) -> None:
        self._workspaces = workspaces

    @property
    def logger(self) -> logging.Logger:
        return log

    def save(self, installation: Installation) -> None:
        if not installation.team_id or not installation.bot_token:
            raise ValueError("an install without a workspace or a bot token cannot be used")
        self._workspaces.installed(
            WorkspaceInstall(
                team_id=installation.team_id,
                enterprise_id=installation.enterprise_id,
                team_name=installation.team_name,
                app_id=installation.app_id,
                bot_id=installation.bot_id,
                bot_user_id=installation.bot_user_id,
                bot_scopes=tuple(installation.bot_scopes or ()),
                bot_token=installation.bot_token,
                installer_user_id=installation.user_id,
                user_scopes=tuple(installation.user_scopes or ()),
                user_token=installation.user_token,
                installed_at=datetime.fromtimestamp(installation.installed_at, UTC),
            )
        )

    def save_bot(self, bot: Bot) -> None:  # save() stores the bot with its installation
        return None

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        install = self._find(team_id)
        if install is None or install.bot_id is None or install.bot_user_id is None:
            return None
        return Bot(**_common(install), bot_id=install.bot_id, bot_user_id=install.bot_user_id)

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        install = self._find(team_id)
        if install is None or (user_id is not None and user_id != install.installer_user_id):
            return None
        return Installation(
            **_common(install),
            bot_id=install.bot_id,
            bot_user_id=install.bot_user_id,
            user_id=install.installer_user_id or "",
            user_token=install.user_token,
            user_scopes=list(install.user_scopes),
        )

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        if team_id:
            self._workspaces.uninstalled(team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        if team_id and user_id is None:
            self._workspaces.uninstalled(team_id)

    def _find(self, team_id: str | None) -> WorkspaceInstall | None:
        return self._workspaces.find(team_id) if team_id else None


def _common(install: WorkspaceInstall) -> dict[str, Any]:
    return {
        "app_id": install.app_id,
        "enterprise_id": install.enterprise_id,
        "team_id": install.team_id,
        "team_name": install.team_name,
        "bot_token": install.bot_token,
        "bot_scopes": list(install.bot_scopes),
        "installed_at": install.installed_at.timestamp(),
    }


class ServiceStateStore(OAuthStateStore):
    def __init__(self, workspaces: WorkspaceService) -> None:
        self._workspaces = workspaces

    @property
    def logger(self) -> logging.Logger:
        return log

    def issue(self, *args: Any, **kwargs: Any) -> str:
        return self._workspaces.issue_state()

    def consume(self, state: str) -> bool:
        return self._workspaces.consume_state(state)
