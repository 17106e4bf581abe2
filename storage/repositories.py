"""Repositories: domain objects in, domain objects out; ORM rows stay in this package."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.domain.announcements import Announcement
from bot.domain.members import Member
from storage.models import AnnouncementRow, MemberRow


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

    def active_humans(self, team_id: str) -> list[Member]:
        query = (
            select(MemberRow)
            .where(
                MemberRow.team_id == team_id,
                MemberRow.is_deleted.is_(False),
                MemberRow.is_bot.is_(False),
            )
            .order_by(MemberRow.user_id)
        )
        return [_to_member(row) for row in self._session.scalars(query)]

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


class SqlAnnouncementRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, announcement: Announcement) -> Announcement:
        row = AnnouncementRow(
            team_id=announcement.team_id,
            text=announcement.text,
            audience=list(announcement.audience) if announcement.audience else None,
            send_at=announcement.send_at,
            expires_at=announcement.expires_at,
            created_by=announcement.created_by,
            created_at=announcement.send_at,
        )
        self._session.add(row)
        self._session.flush()
        return replace(announcement, id=row.id)

    def due_unqueued(self, now: datetime) -> list[Announcement]:
        query = (
            select(AnnouncementRow)
            .where(AnnouncementRow.queued_at.is_(None), AnnouncementRow.send_at <= now)
            .order_by(AnnouncementRow.send_at, AnnouncementRow.id)
        )
        return [_to_announcement(row) for row in self._session.scalars(query)]

    def mark_queued(self, announcement_id: int, now: datetime) -> None:
        row = self._session.get(AnnouncementRow, announcement_id)
        if row is not None and row.queued_at is None:
            row.queued_at = now


def _to_announcement(row: AnnouncementRow) -> Announcement:
    return Announcement(
        id=row.id,
        team_id=row.team_id,
        text=row.text,
        send_at=row.send_at,
        expires_at=row.expires_at or row.send_at,
        audience=tuple(row.audience) if row.audience else None,
        created_by=row.created_by,
    )
