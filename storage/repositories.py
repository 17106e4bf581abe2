"""Repositories: domain objects in, domain objects out; ORM rows stay in this package."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.domain.members import Member
from storage.models import MemberRow


class SqlMemberRepository:
    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def get(self, team_id: str, user_id: str) -> Member | None:
        row = self._row(team_id, user_id)
        return _to_member(row) if row else None

    def save(self, member: Member) -> None:
        now = self._clock.now()
        row = self._row(member.team_id, member.user_id)
        if row is None:
            row = MemberRow(team_id=member.team_id, user_id=member.user_id, created_at=now)
            self._session.add(row)
        row.display_name = member.display_name
        row.tz = member.tz
        row.slack_locale = member.slack_locale
        row.language_override = member.language_override
        row.is_admin = member.is_admin
        row.is_deleted = member.is_deleted
        row.is_bot = member.is_bot
        row.slack_synced_at = member.slack_synced_at
        row.updated_at = now

    def _row(self, team_id: str, user_id: str) -> MemberRow | None:
        query = select(MemberRow).where(MemberRow.team_id == team_id, MemberRow.user_id == user_id)
        return self._session.scalars(query).one_or_none()


def _to_member(row: MemberRow) -> Member:
    return Member(
        team_id=row.team_id,
        user_id=row.user_id,
        display_name=row.display_name,
        tz=row.tz,
        slack_locale=row.slack_locale,
        language_override=row.language_override,
        is_admin=row.is_admin,
        is_deleted=row.is_deleted,
        is_bot=row.is_bot,
        slack_synced_at=row.slack_synced_at,
    )
