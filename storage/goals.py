"""Goals, their milestones and history, and goal statuses set from check-ins."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.goals import (
    ACTIVE,
    CheckinGoalUpdate,
    Goal,
    GoalChange,
    GoalDraft,
    GoalEvent,
    GoalEventKind,
    GoalStatus,
    Milestone,
    Visibility,
)
from storage.models import CheckinGoalRow, GoalEventRow, GoalMilestoneRow, GoalRow
from storage.upsert import dialect_insert

NUMBER_ATTEMPTS = 10
"""Goals added at once by the same person may pick the same number; the loser retries. Each
lost attempt means another of them got a number, so N at once need at most N tries."""
BATCH = 500
ACTIVE_VALUES = [status.value for status in ACTIVE]


class SqlGoalRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        team_id: str,
        user_id: str,
        draft: GoalDraft,
        at: datetime,
        remind_at: datetime | None = None,
    ) -> Goal:
        for attempt in range(NUMBER_ATTEMPTS):
            row = GoalRow(
                team_id=team_id,
                user_id=user_id,
                number=self._next_number(team_id, user_id),
                title=draft.title,
                why=draft.why,
                due=draft.due,
                status=GoalStatus.ON_TRACK.value,
                visibility=draft.visibility.value,
                manual_progress=None,
                template=draft.template,
                remind_at=remind_at,
                created_at=at,
                updated_at=at,
            )
            try:
                with self._session.begin_nested():
                    self._session.add(row)
                    self._session.flush()
            except IntegrityError:
                if attempt == NUMBER_ATTEMPTS - 1:
                    raise
                continue
            self._save_milestones(row, (), draft.milestones, at)
            return self._load([row])[0]
        raise AssertionError("unreachable")

    def _next_number(self, team_id: str, user_id: str) -> int:
        query = select(func.coalesce(func.max(GoalRow.number), 0)).where(
            GoalRow.team_id == team_id, GoalRow.user_id == user_id
        )
        return int(self._session.scalar(query) or 0) + 1

    def get(self, team_id: str, goal_id: int) -> Goal | None:
        row = self._session.get(GoalRow, goal_id, populate_existing=True)
        if row is None or row.team_id != team_id:
            return None
        return self._load([row])[0]

    def by_number(self, team_id: str, user_id: str, number: int) -> Goal | None:
        query = select(GoalRow).where(
            GoalRow.team_id == team_id, GoalRow.user_id == user_id, GoalRow.number == number
        )
        row = self._session.scalars(query).one_or_none()
        return self._load([row])[0] if row is not None else None

    def list_for(self, team_id: str, user_id: str, *, include_archived: bool) -> list[Goal]:
        query = select(GoalRow).where(GoalRow.team_id == team_id, GoalRow.user_id == user_id)
        if not include_archived:
            query = query.where(GoalRow.status != GoalStatus.ARCHIVED.value)
        return self._load(list(self._session.scalars(query.order_by(GoalRow.number))))

    def active_for(self, team_id: str, user_ids: Collection[str]) -> dict[str, list[Goal]]:
        """Each person's goals in progress, by number: two queries however many people."""
        found: dict[str, list[Goal]] = {user_id: [] for user_id in user_ids}
        if not found:
            return found
        for ids in _batches(sorted(found)):
            query = (
                select(GoalRow)
                .where(
                    GoalRow.team_id == team_id,
                    GoalRow.status.in_(ACTIVE_VALUES),
                    GoalRow.user_id.in_(ids),
                )
                .order_by(GoalRow.user_id, GoalRow.number)
            )
            for goal in self._load(list(self._session.scalars(query))):
                found[goal.user_id].append(goal)
        return found

    def count_active(self, team_id: str, user_id: str) -> int:
        query = select(func.count()).where(
            GoalRow.team_id == team_id,
            GoalRow.user_id == user_id,
            GoalRow.status.in_(ACTIVE_VALUES),
        )
        return int(self._session.scalar(query) or 0)

    def save(self, goal: Goal, at: datetime) -> Goal:
        """Write the goal as given, milestones included (added, changed and removed ones)."""
        row = self._session.get(GoalRow, goal.id, populate_existing=True)
        assert row is not None and row.team_id == goal.team_id
        row.title = goal.title
        row.why = goal.why
        row.due = goal.due
        row.status = goal.status.value
        row.visibility = goal.visibility.value
        row.manual_progress = goal.manual_progress
        row.done_at = goal.done_at
        row.remind_at = goal.remind_at
        row.updated_at = at
        stored = self._milestone_rows([goal.id]).get(goal.id, [])
        self._save_milestones(row, stored, goal.milestones, at)
        self._session.flush()
        return self._load([row])[0]

    def _save_milestones(
        self,
        goal: GoalRow,
        stored: Sequence[GoalMilestoneRow],
        milestones: Sequence[Milestone],
        at: datetime,
    ) -> None:
        by_id = {row.id: row for row in stored}
        kept = {m.id for m in milestones if m.id is not None}
        gone = [row_id for row_id in by_id if row_id not in kept]
        if gone:
            self._session.execute(delete(GoalMilestoneRow).where(GoalMilestoneRow.id.in_(gone)))
        for position, milestone in enumerate(milestones):
            row = by_id.get(milestone.id) if milestone.id is not None else None
            if row is None:
                row = GoalMilestoneRow(goal_id=goal.id, team_id=goal.team_id, done=False)
                self._session.add(row)
            if milestone.done and not row.done:
                row.done_at = at
            elif not milestone.done:
                row.done_at = None
            row.position = position
            row.title = milestone.title
            row.due = milestone.due
            row.done = milestone.done
        self._session.flush()

    def add_events(
        self, goal: Goal, actor: str, changes: Sequence[GoalChange], at: datetime
    ) -> list[GoalEvent]:
        rows = [
            GoalEventRow(
                goal_id=goal.id,
                team_id=goal.team_id,
                actor=actor,
                kind=change.kind.value,
                old=_short(change.old),
                new=_short(change.new),
                note=change.note,
                at=at,
            )
            for change in changes
        ]
        self._session.add_all(rows)
        self._session.flush()
        return [_to_event(row) for row in rows]

    def events(self, team_id: str, goal_id: int) -> list[GoalEvent]:
        query = (
            select(GoalEventRow)
            .where(GoalEventRow.team_id == team_id, GoalEventRow.goal_id == goal_id)
            .order_by(GoalEventRow.id)
        )
        return [_to_event(row) for row in self._session.scalars(query)]

    def latest_comments(
        self, team_id: str, goal_ids: Collection[int], *, per_goal: int
    ) -> dict[int, tuple[GoalEvent, ...]]:
        """Each goal's newest comments (oldest of them first)."""
        found: dict[int, list[GoalEvent]] = {goal_id: [] for goal_id in goal_ids}
        if not found:
            return {}
        query = (
            select(GoalEventRow)
            .where(
                GoalEventRow.team_id == team_id,
                GoalEventRow.goal_id.in_(sorted(found)),
                GoalEventRow.kind == GoalEventKind.COMMENT.value,
            )
            .order_by(GoalEventRow.goal_id, GoalEventRow.id.desc())
        )
        for row in self._session.scalars(query):
            mine = found[row.goal_id]
            if len(mine) < per_goal:
                mine.append(_to_event(row))
        return {goal_id: tuple(reversed(events)) for goal_id, events in found.items()}

    def due_for_reminder(self, now: datetime) -> list[Goal]:
        """Goals in progress whose reminder time has come and whose current due date has not
        been reminded."""
        query = (
            select(GoalRow)
            .where(
                GoalRow.remind_at <= now,
                GoalRow.status.in_(ACTIVE_VALUES),
                GoalRow.due.is_not(None),
                GoalRow.reminded_due.is_(None) | (GoalRow.reminded_due != GoalRow.due),
            )
            .order_by(GoalRow.id)
        )
        return self._load(list(self._session.scalars(query)))

    def mark_reminded(self, goals: Sequence[Goal]) -> None:
        """These goals' due dates, as read, count as reminded: one statement per due date (and
        500 goals), and a date changed meanwhile is left to be reminded on its own."""
        by_due: dict[date | None, list[int]] = {}
        for goal in goals:
            by_due.setdefault(goal.due, []).append(goal.id)
        for due, goal_ids in by_due.items():
            for ids in _batches(sorted(goal_ids)):
                self._session.execute(
                    update(GoalRow)
                    .where(GoalRow.id.in_(ids), GoalRow.due == due)
                    .values(reminded_due=due)
                )

    def record_checkin_update(self, team_id: str, update_: CheckinGoalUpdate) -> None:
        """The latest status a check-in set for a goal (a second tap replaces the first)."""
        values = {
            "team_id": team_id,
            "checkin_id": update_.checkin_id,
            "goal_id": update_.goal_id,
            "status": update_.status.value,
            "progress": update_.progress,
            "at": update_.at,
        }
        statement = (
            dialect_insert(self._session)(CheckinGoalRow)
            .values(**values)
            .on_conflict_do_update(
                index_elements=["checkin_id", "goal_id"],
                set_={
                    "status": values["status"],
                    "progress": values["progress"],
                    "at": values["at"],
                },
            )
        )
        self._session.execute(statement)

    def checkin_updates(self, team_id: str, checkin_id: int) -> list[CheckinGoalUpdate]:
        query = (
            select(CheckinGoalRow)
            .where(CheckinGoalRow.team_id == team_id, CheckinGoalRow.checkin_id == checkin_id)
            .order_by(CheckinGoalRow.goal_id)
        )
        return [
            CheckinGoalUpdate(
                checkin_id=row.checkin_id,
                goal_id=row.goal_id,
                status=GoalStatus(row.status),
                progress=row.progress,
                at=row.at,
            )
            for row in self._session.scalars(query)
        ]

    def _milestone_rows(self, goal_ids: Collection[int]) -> dict[int, list[GoalMilestoneRow]]:
        found: dict[int, list[GoalMilestoneRow]] = {}
        if not goal_ids:
            return found
        for ids in _batches(sorted(goal_ids)):
            query = (
                select(GoalMilestoneRow)
                .where(GoalMilestoneRow.goal_id.in_(ids))
                .order_by(GoalMilestoneRow.goal_id, GoalMilestoneRow.position)
            )
            for row in self._session.scalars(query):
                found.setdefault(row.goal_id, []).append(row)
        return found

    def _load(self, rows: Sequence[GoalRow]) -> list[Goal]:
        milestones = self._milestone_rows([row.id for row in rows])
        return [_to_goal(row, milestones.get(row.id, [])) for row in rows]


def _batches(ids: list[Any]) -> list[list[Any]]:
    """IN lists of at most BATCH values (SQLite caps the bound parameters of a statement)."""
    return [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]


def _short(value: str | None) -> str | None:
    return value if value is None or len(value) <= 200 else value[:199] + "…"


def _to_goal(row: GoalRow, milestones: Sequence[GoalMilestoneRow]) -> Goal:
    return Goal(
        id=row.id,
        team_id=row.team_id,
        user_id=row.user_id,
        number=row.number,
        title=row.title,
        why=row.why,
        due=row.due,
        status=GoalStatus(row.status),
        visibility=Visibility(row.visibility),
        manual_progress=row.manual_progress,
        milestones=tuple(
            Milestone(title=m.title, due=m.due, done=m.done, id=m.id) for m in milestones
        ),
        created_at=row.created_at,
        updated_at=row.updated_at,
        template=row.template,
        done_at=row.done_at,
        reminded_due=row.reminded_due,
        remind_at=row.remind_at,
    )


def _to_event(row: GoalEventRow) -> GoalEvent:
    return GoalEvent(
        goal_id=row.goal_id,
        kind=GoalEventKind(row.kind),
        actor=row.actor,
        at=row.at,
        old=row.old,
        new=row.new,
        note=row.note,
        id=row.id,
    )
