"""Which WebClient speaks to a workspace: the one token of single-workspace mode, or the
workspace's own OAuth bot token, looked up (and decrypted) for each use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from slack_sdk import WebClient


class NotInstalled(Exception):
    """The app has no token for this workspace (never installed, uninstalled, revoked)."""


class WorkspaceClients(Protocol):
    def client_for(self, team_id: str) -> WebClient: ...


class OneWorkspace:
    def __init__(self, client: WebClient) -> None:
        self._client = client

    def client_for(self, team_id: str) -> WebClient:
        return self._client


class InstalledWorkspaces:
    """`template` carries what every client shares: base URL, timeout, retry handlers."""

    def __init__(self, bot_token: Callable[[str], str | None], template: WebClient) -> None:
        self._bot_token = bot_token
        self._template = template

    def client_for(self, team_id: str) -> WebClient:
        token = self._bot_token(team_id)
        if token is None:
            raise NotInstalled(team_id)
        return WebClient(
            token=token,
            base_url=self._template.base_url,
            timeout=self._template.timeout,
            retry_handlers=list(self._template.retry_handlers),
            logger=self._template.logger,
        )


def clients_of(client: WebClient | WorkspaceClients) -> WorkspaceClients:
    return OneWorkspace(client) if isinstance(client, WebClient) else client
