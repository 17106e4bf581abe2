"""Weekly check-ins and the DM replies taken as answers."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.domain.checkins import (
    Checkin,
    CheckinAnswer,
    CheckinRole,
    CheckinState,
    NewCheckin,
    SkipReason,
)
from storage.models import CheckinReplyRow, CheckinRow
from storage.upsert import dialect_insert

INSERT_BATCH = 500
OPEN = [CheckinState.PENDING.value, CheckinState.ANSWERED.value]


class SqlCheckinRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def existing(self, team_id: str, weeks: Collection[str]) -> set[tuple[str, str]]:
        """(user, week) pairs that already have a check-in, for these weeks."""
        query = select(CheckinRow.user_id, CheckinRow.week).where(
            CheckinRow.team_id == team_id, CheckinRow.week.in_(list(weeks))
        )
        return {(user, week) for user, week in self._session.execute(query)}

    def add_all(self, news: Sequence[NewCheckin], now: datetime) -> list[Checkin]:
        """Insert each unless that person's week exists; returns the ones this call created."""
        insert_ = dialect_insert(self._session)
        created: list[Checkin] = []
        for start in range(0, len(news), INSERT_BATCH):
            statement = (
                insert_(CheckinRow)
                .values([_new_values(new, now) for new in news[start : start + INSERT_BATCH]])
                .on_conflict_do_nothing(index_elements=["team_id", "user_id", "week"])
                .returning(CheckinRow)
            )
            created += [_to_checkin(row) for row in self._session.scalars(statement)]
        return created

    def unanswered(self, team_id: str, weeks: Collection[str]) -> list[Checkin]:
        """Pending check-ins of these weeks."""
        query = select(CheckinRow).where(
            CheckinRow.team_id == team_id,
            CheckinRow.week.in_(list(weeks)),
            CheckinRow.state == CheckinState.PENDING.value,
        )
        return [_to_checkin(row) for row in self._session.scalars(query)]

    def get(self, team_id: str, checkin_id: int) -> Checkin | None:
        row = self._session.get(CheckinRow, checkin_id)
        return _to_checkin(row) if row is not None and row.team_id == team_id else None

    def find(self, team_id: str, user_id: str, week: str) -> Checkin | None:
        query = select(CheckinRow).where(
            CheckinRow.team_id == team_id, CheckinRow.user_id == user_id, CheckinRow.week == week
        )
        row = self._session.scalars(query).one_or_none()
        return _to_checkin(row) if row is not None else None

    def open_for(self, team_id: str, user_id: str, now: datetime) -> Checkin | None:
        """The person's check-in that can still be answered, if any."""
        query = (
            select(CheckinRow)
            .where(
                CheckinRow.team_id == team_id,
                CheckinRow.user_id == user_id,
                CheckinRow.state.in_(OPEN),
                CheckinRow.week_ends_at > now,
            )
            .order_by(CheckinRow.week.desc())
            .limit(1)
        )
        row = self._session.scalars(query).one_or_none()
        return _to_checkin(row) if row is not None else None

    def recent(self, team_id: str, user_id: str, *, limit: int) -> list[Checkin]:
        query = (
            select(CheckinRow)
            .where(CheckinRow.team_id == team_id, CheckinRow.user_id == user_id)
            .order_by(CheckinRow.week.desc())
            .limit(limit)
        )
        return [_to_checkin(row) for row in self._session.scalars(query)]

    def recent_for(
        self, team_id: str, user_ids: Collection[str], *, since: datetime, limit: int
    ) -> dict[str, list[Checkin]]:
        """Each person's latest check-ins of weeks ending after `since` (up to `limit`, newest
        first): one query per 500 people, not one per person."""
        found: dict[str, list[Checkin]] = {user_id: [] for user_id in user_ids}
        ids = sorted(found)
        for start in range(0, len(ids), INSERT_BATCH):
            query = (
                select(CheckinRow)
                .where(
                    CheckinRow.team_id == team_id,
                    CheckinRow.user_id.in_(ids[start : start + INSERT_BATCH]),
                    CheckinRow.week_ends_at > since,
                )
                .order_by(CheckinRow.user_id, CheckinRow.week.desc())
            )
            for row in self._session.scalars(query):
                mine = found[row.user_id]
                if len(mine) < limit:
                    mine.append(_to_checkin(row))
        return found

    def save_answer(self, checkin: Checkin, answer: CheckinAnswer, at: datetime) -> Checkin:
        row = self._session.get(CheckinRow, checkin.id, populate_existing=True)
        assert row is not None
        row.progress = answer.progress
        row.blockers = answer.blockers
        row.confidence = answer.confidence
        row.next_steps = answer.next_steps
        row.share_with_mentor = answer.share_with_mentor
        row.share_with_lead = answer.share_with_lead
        row.state = CheckinState.ANSWERED.value
        row.answered_at = row.answered_at or at
        row.updated_at = at
        self._session.flush()
        return _to_checkin(row)

    def skip(self, checkin: Checkin, reason: SkipReason, at: datetime) -> Checkin:
        row = self._session.get(CheckinRow, checkin.id, populate_existing=True)
        assert row is not None
        row.state = CheckinState.SKIPPED.value
        row.skip_reason = reason.value
        row.updated_at = at
        self._session.flush()
        return _to_checkin(row)

    def due_for_reminder(self, due_before: datetime, now: datetime) -> list[Checkin]:
        """Unanswered prompts due before then, not reminded yet, whose week is still running."""
        query = (
            select(CheckinRow)
            .where(
                CheckinRow.state == CheckinState.PENDING.value,
                CheckinRow.reminded_at.is_(None),
                CheckinRow.due_at <= due_before,
                CheckinRow.week_ends_at > now,
            )
            .order_by(CheckinRow.id)
        )
        return [_to_checkin(row) for row in self._session.scalars(query)]

    def mark_reminded(self, ids: Sequence[int], at: datetime) -> None:
        if ids:
            self._session.execute(
                update(CheckinRow)
                .where(CheckinRow.id.in_(list(ids)), CheckinRow.reminded_at.is_(None))
                .values(reminded_at=at)
            )

    def close_ended_weeks(self, now: datetime) -> list[Checkin]:
        """Unanswered check-ins whose week is over become missed; returns them."""
        query = select(CheckinRow).where(
            CheckinRow.state == CheckinState.PENDING.value, CheckinRow.week_ends_at <= now
        )
        rows = list(self._session.scalars(query.with_for_update(skip_locked=True)))
        for row in rows:
            row.state = CheckinState.MISSED.value
            row.updated_at = now
        self._session.flush()
        return [_to_checkin(row) for row in rows]

    def erase_words(self, ended_before: datetime, at: datetime) -> int:
        """Empty the answers' words of weeks that ended before then; returns how many."""
        result = self._session.execute(
            update(CheckinRow)
            .where(
                CheckinRow.week_ends_at < ended_before,
                (CheckinRow.progress != "")
                | (CheckinRow.blockers != "")
                | (CheckinRow.next_steps != ""),
            )
            .values(progress="", blockers="", next_steps="", updated_at=at)
        )
        return int(result.rowcount or 0)

    def add_reply(self, team_id: str, channel: str, ts: str, checkin_id: int, at: datetime) -> bool:
        """Record that this DM message answered; False if it was recorded before (a retry)."""
        statement = (
            dialect_insert(self._session)(CheckinReplyRow)
            .values(team_id=team_id, channel=channel, ts=ts, checkin_id=checkin_id, at=at)
            .on_conflict_do_nothing(index_elements=["team_id", "channel", "ts"])
            .returning(CheckinReplyRow.id)
        )
        return self._session.execute(statement).first() is not None


def _new_values(new: NewCheckin, now: datetime) -> dict[str, object]:
    return {
        "team_id": new.team_id,
        "user_id": new.user_id,
        "week": new.week,
        "role": new.role.value,
        "state": new.state.value,
        "skip_reason": new.skip_reason.value if new.skip_reason else None,
        "due_at": new.due_at,
        "week_ends_at": new.week_ends_at,
        "progress": "",
        "blockers": "",
        "next_steps": "",
        "share_with_mentor": True,
        "share_with_lead": False,
        "created_at": now,
        "updated_at": now,
    }


def _to_checkin(row: CheckinRow) -> Checkin:
    return Checkin(
        id=row.id,
        team_id=row.team_id,
        user_id=row.user_id,
        week=row.week,
        role=CheckinRole(row.role),
        state=CheckinState(row.state),
        due_at=row.due_at,
        week_ends_at=row.week_ends_at,
        answer=CheckinAnswer(
            progress=row.progress,
            blockers=row.blockers,
            confidence=row.confidence,
            next_steps=row.next_steps,
            share_with_mentor=row.share_with_mentor,
            share_with_lead=row.share_with_lead,
        ),
        created_at=row.created_at,
        updated_at=row.updated_at,
        skip_reason=SkipReason(row.skip_reason) if row.skip_reason else None,
        answered_at=row.answered_at,
        reminded_at=row.reminded_at,
    )
