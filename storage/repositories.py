"""Repositories: domain objects in, domain objects out; ORM rows stay in this package."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.domain.announcements import Announcement
from bot.domain.members import Member, SlackUser
from storage.models import AnnouncementRow, MemberRow
from storage.upsert import dialect_insert

BATCH = 500
"""Values in one IN list (SQLite caps a statement's bound parameters)."""


class SqlMemberRepository:
    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def get(self, team_id: str, user_id: str) -> Member | None:
        row = self._row(team_id, user_id)
        return _to_member(row) if row else None

    def set_language(self, team_id: str, user_id: str, language: str | None) -> Member:
        """One upsert touching only the person's own choice, so it never races a Slack sync."""
        return self._upsert(team_id, user_id, {"language_override": language})

    def set_admin(self, team_id: str, user_id: str, is_admin: bool) -> Member:
        return self._upsert(team_id, user_id, {"is_admin": is_admin})

    def admin_ids(self, team_id: str) -> set[str]:
        """People made admins with `/mentor admin add` (not those from MENTOR_BOT_ADMINS)."""
        query = select(MemberRow.user_id).where(
            MemberRow.team_id == team_id, MemberRow.is_admin.is_(True)
        )
        return set(self._session.scalars(query))

    def record_slack_user(self, team_id: str, user: SlackUser, now: datetime) -> Member:
        """One upsert of what Slack says (zone, locale, status); the person's choices stay."""
        values = {
            "tz": user.tz,
            "slack_locale": user.locale,
            "is_deleted": user.is_deleted,
            "is_bot": user.is_bot,
            "slack_synced_at": now,
        }
        if user.display_name:
            values["display_name"] = user.display_name
        if not user.tz:
            del values["tz"]
        if not user.locale:
            del values["slack_locale"]
        return self._upsert(team_id, user.user_id, values)

    def _upsert(self, team_id: str, user_id: str, values: dict[str, object]) -> Member:
        """INSERT ... ON CONFLICT DO UPDATE ... RETURNING: one statement, no read-then-write race.

        Core, not the ORM's bulk insert: this runs on the ack path of `/mentor lang`, and the ORM
        layer tripled its cost (bench/ack.py).
        """
        now = self._clock.now()
        defaults = {"is_admin": False, "is_deleted": False, "is_bot": False}
        table = MemberRow.__table__
        statement = (
            dialect_insert(self._session)(table)
            .values(
                team_id=team_id,
                user_id=user_id,
                created_at=now,
                updated_at=now,
                **{**defaults, **values},
            )
            .on_conflict_do_update(
                index_elements=["team_id", "user_id"], set_={**values, "updated_at": now}
            )
            .returning(*table.columns)
        )
        row = self._session.connection().execute(statement).one()
        return _to_member(row)  # type: ignore[arg-type]

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

    def unreachable_ids(self, team_id: str) -> set[str]:
        """Members deactivated in Slack, and bots: nobody to match or to message."""
        query = select(MemberRow.user_id).where(
            MemberRow.team_id == team_id,
            MemberRow.is_deleted.is_(True) | MemberRow.is_bot.is_(True),
        )
        return set(self._session.scalars(query))

    def timezones(self, team_id: str, user_ids: Collection[str]) -> dict[str, str]:
        """Slack's time zone of each of these people it has told us one for."""
        ids = sorted(set(user_ids))
        found: dict[str, str] = {}
        for start in range(0, len(ids), BATCH):
            query = select(MemberRow.user_id, MemberRow.tz).where(
                MemberRow.team_id == team_id,
                MemberRow.user_id.in_(ids[start : start + BATCH]),
                MemberRow.tz.is_not(None),
            )
            found.update({user_id: zone for user_id, zone in self._session.execute(query)})
        return found

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
