"""OAuth installs and one-time OAuth states, in our database (tokens only ever encrypted)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.installs import WorkspaceInstall
from storage.models import OAuthStateRow, SlackInstallationRow
from storage.token_cipher import TokenCipher


class SqlInstallations:
    def __init__(self, sessions: sessionmaker[Session], cipher: TokenCipher) -> None:
        self._sessions = sessions
        self._cipher = cipher

    def save(self, install: WorkspaceInstall) -> None:
        with self._sessions() as session:
            row = session.get(SlackInstallationRow, install.team_id) or SlackInstallationRow(
                team_id=install.team_id
            )
            row.enterprise_id = install.enterprise_id
            row.team_name = install.team_name
            row.app_id = install.app_id
            row.bot_id = install.bot_id
            row.bot_user_id = install.bot_user_id
            row.bot_scopes = ",".join(install.bot_scopes)
            row.bot_token_encrypted = self._cipher.encrypt(install.bot_token)
            row.installer_user_id = install.installer_user_id
            row.user_scopes = ",".join(install.user_scopes)
            row.user_token_encrypted = (
                self._cipher.encrypt(install.user_token) if install.user_token else None
            )
            row.installed_at = install.installed_at
            session.add(row)
            session.commit()

    def find(self, team_id: str) -> WorkspaceInstall | None:
        with self._sessions() as session:
            row = session.get(SlackInstallationRow, team_id)
            return None if row is None else self._to_install(row)

    def delete(self, team_id: str) -> bool:
        with self._sessions() as session:
            deleted = session.execute(
                delete(SlackInstallationRow).where(SlackInstallationRow.team_id == team_id)
            ).rowcount
            session.commit()
            return bool(deleted)

    def forget_user_token(self, team_id: str) -> None:
        with self._sessions() as session:
            row = session.get(SlackInstallationRow, team_id)
            if row is not None:
                row.user_token_encrypted = None
                row.user_scopes = ""
                session.commit()

    def team_ids(self) -> list[str]:
        with self._sessions() as session:
            return list(
                session.scalars(
                    select(SlackInstallationRow.team_id).order_by(SlackInstallationRow.team_id)
                )
            )

    def rotate_keys(self) -> int:
        """Re-encrypt every stored token with the first configured key."""
        with self._sessions() as session:
            rows = session.scalars(select(SlackInstallationRow).with_for_update()).all()
            for row in rows:
                row.bot_token_encrypted = self._cipher.rotate(row.bot_token_encrypted)
                if row.user_token_encrypted:
                    row.user_token_encrypted = self._cipher.rotate(row.user_token_encrypted)
            session.commit()
            return len(rows)

    def _to_install(self, row: SlackInstallationRow) -> WorkspaceInstall:
        return WorkspaceInstall(
            team_id=row.team_id,
            enterprise_id=row.enterprise_id,
            team_name=row.team_name,
            app_id=row.app_id,
            bot_id=row.bot_id,
            bot_user_id=row.bot_user_id,
            bot_scopes=tuple(s for s in row.bot_scopes.split(",") if s),
            bot_token=self._cipher.decrypt(row.bot_token_encrypted),
            installer_user_id=row.installer_user_id,
            user_scopes=tuple(s for s in row.user_scopes.split(",") if s),
            user_token=(
                self._cipher.decrypt(row.user_token_encrypted) if row.user_token_encrypted else None
            ),
            installed_at=row.installed_at,
        )


class SqlOAuthStates:
    """Each state works once and only until it expires."""

    def __init__(self, sessions: sessionmaker[Session], lifetime: timedelta) -> None:
        self._sessions = sessions
        self._lifetime = lifetime

    def issue(self, now: datetime) -> str:
        state = secrets.token_urlsafe(32)
        with self._sessions() as session:
            session.execute(delete(OAuthStateRow).where(OAuthStateRow.expires_at <= now))
            session.add(OAuthStateRow(state=state, expires_at=now + self._lifetime))
            session.commit()
        return state

    def consume(self, state: str, now: datetime) -> bool:
        with self._sessions() as session:
            deleted = session.execute(
                delete(OAuthStateRow).where(
                    OAuthStateRow.state == state, OAuthStateRow.expires_at > now
                )
            ).rowcount
            session.commit()
            return deleted == 1
