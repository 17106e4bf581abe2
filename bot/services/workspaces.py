"""Which workspaces the bot serves: OAuth installs, uninstalls and revoked tokens.

In single-workspace mode (SLACK_BOT_TOKEN) there is no registry: the token lives in the
environment, so an uninstall can only stop what is queued; the admin removes the token.
"""

from __future__ import annotations

import logging

from bot.clock import Clock
from bot.domain.installs import REVOKED_REASON, UNINSTALLED_REASON, WorkspaceInstall
from bot.services.ports import InstallRegistry, OAuthStates, UnitOfWorkFactory

log = logging.getLogger(__name__)


class WorkspaceService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        registry: InstallRegistry | None = None,
        states: OAuthStates | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._registry = registry
        self._states = states

    @property
    def multi_workspace(self) -> bool:
        return self._registry is not None

    def installed(self, install: WorkspaceInstall) -> None:
        self._require_registry().save(install)
        log.info("installed in workspace %s by %s", install.team_id, install.installer_user_id)

    def find(self, team_id: str) -> WorkspaceInstall | None:
        return self._require_registry().find(team_id)

    def bot_token(self, team_id: str) -> str | None:
        install = self._require_registry().find(team_id)
        return install.bot_token if install else None

    def team_ids(self) -> list[str]:
        return self._require_registry().team_ids()

    def uninstalled(self, team_id: str) -> int:
        """Forget the workspace's tokens and skip everything still queued for it."""
        return self._stop_sending(team_id, UNINSTALLED_REASON)

    def tokens_revoked(self, team_id: str, *, bot: bool, users: int) -> int:
        if bot:
            return self._stop_sending(team_id, REVOKED_REASON)
        if users and self._registry is not None:
            self._registry.forget_user_token(team_id)
        return 0

    def issue_state(self) -> str:
        return self._require_states().issue(self._clock.now())

    def consume_state(self, state: str) -> bool:
        return self._require_states().consume(state, self._clock.now())

    def rotate_keys(self) -> int:
        return self._require_registry().rotate_keys()

    def _stop_sending(self, team_id: str, reason: str) -> int:
        if self._registry is not None:
            self._registry.delete(team_id)
        with self._uow() as uow:
            skipped = uow.deliveries.skip_pending_for_team(
                team_id, now=self._clock.now(), reason=reason
            )
            uow.commit()
        log.warning(
            "workspace %s: %s; %d queued messages skipped%s",
            team_id,
            reason.removeprefix("skipped: "),
            skipped,
            "" if self._registry else " (single-workspace mode: remove SLACK_BOT_TOKEN too)",
        )
        return skipped

    def _require_registry(self) -> InstallRegistry:
        if self._registry is None:
            raise RuntimeError("multi-workspace install is off (SLACK_CLIENT_ID is not set)")
        return self._registry

    def _require_states(self) -> OAuthStates:
        if self._states is None:
            raise RuntimeError("multi-workspace install is off (SLACK_CLIENT_ID is not set)")
        return self._states
