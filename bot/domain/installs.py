"""A workspace that installed the app through OAuth, and the token it gave us."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class WorkspaceInstall:
    team_id: str
    bot_token: str = field(repr=False)
    bot_id: str | None
    bot_user_id: str | None
    bot_scopes: tuple[str, ...]
    installed_at: datetime
    enterprise_id: str | None = None
    app_id: str | None = None
    installer_user_id: str | None = None
    team_name: str | None = None
    user_token: str | None = field(default=None, repr=False)
    user_scopes: tuple[str, ...] = ()


UNINSTALLED_REASON = "skipped: the app was uninstalled from this workspace"
REVOKED_REASON = "skipped: the workspace revoked the bot's token"
