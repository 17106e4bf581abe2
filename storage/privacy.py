"""Everything stored about one person, to hand it to them (`/mentor export`) or to erase it
(`/mentor delete-my-data`). One place lists every table that holds a person's data; a test fails
when a new table with a user column is not covered here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, or_, select
from sqlalchemy.orm import Session

from storage.models import (
    CheckinGoalRow,
    CheckinReplyRow,
    CheckinRow,
    DeliveryRow,
    GoalEventRow,
    GoalMilestoneRow,
    GoalRow,
    MatchEventRow,
    MatchRow,
    MemberRow,
    ProfileRow,
    TeamPersonRow,
    TeamRow,
)

COVERED = frozenset(
    {
        "members",
        "profiles",
        "checkins",
        "checkin_replies",
        "checkin_goals",
        "goals",
        "goal_milestones",
        "goal_events",
        "matches",
        "match_events",
        "team_people",
        "deliveries",
    }
)
"""Tables that can hold a person's data; tests/services/test_privacy.py checks the list."""


class SqlPrivacyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def export(self, team_id: str, user_id: str) -> dict[str, list[dict[str, Any]]]:
        """Table name -> the person's rows, as plain JSON values (deliveries without their
        payloads: those are what the person was sent, rendered from other records)."""
        found: dict[str, list[dict[str, Any]]] = {}
        for table, condition in self._conditions(team_id, user_id).items():
            columns = [c for c in table.columns if c.name != "payload"]
            rows = self._session.execute(select(*columns).where(condition)).mappings()
            found[table.name] = [_plain(row) for row in rows]
        found["teams"] = [
            {"team": name, "role": role}
            for name, role in self._session.execute(
                select(TeamRow.name, TeamPersonRow.role)
                .join(TeamRow, TeamRow.id == TeamPersonRow.group_id)
                .where(TeamPersonRow.team_id == team_id, TeamPersonRow.user_id == user_id)
            )
        ]
        return found

    def erase(self, team_id: str, user_id: str) -> int:
        """Delete every row about the person, children first; returns how many went."""
        erased = 0
        for table, condition in reversed(list(self._conditions(team_id, user_id).items())):
            erased += int(self._session.execute(delete(table).where(condition)).rowcount or 0)
        return erased

    def _conditions(self, team_id: str, user_id: str) -> Mapping[Table, ColumnElement[bool]]:
        """Parents before children, so erasing in reverse respects the foreign keys."""
        checkins = select(CheckinRow.id).where(
            CheckinRow.team_id == team_id, CheckinRow.user_id == user_id
        )
        goals = select(GoalRow.id).where(GoalRow.team_id == team_id, GoalRow.user_id == user_id)
        matches = select(MatchRow.id).where(
            MatchRow.team_id == team_id,
            or_(MatchRow.mentor_id == user_id, MatchRow.mentee_id == user_id),
        )
        tables: dict[Any, ColumnElement[bool]] = {
            MemberRow: (MemberRow.team_id == team_id) & (MemberRow.user_id == user_id),
            ProfileRow: (ProfileRow.team_id == team_id) & (ProfileRow.user_id == user_id),
            CheckinRow: CheckinRow.id.in_(checkins),
            CheckinReplyRow: CheckinReplyRow.checkin_id.in_(checkins),
            GoalRow: GoalRow.id.in_(goals),
            CheckinGoalRow: or_(
                CheckinGoalRow.checkin_id.in_(checkins), CheckinGoalRow.goal_id.in_(goals)
            ),
            GoalMilestoneRow: GoalMilestoneRow.goal_id.in_(goals),
            GoalEventRow: (GoalEventRow.team_id == team_id)
            & or_(GoalEventRow.goal_id.in_(goals), GoalEventRow.actor == user_id),
            MatchRow: MatchRow.id.in_(matches),
            MatchEventRow: MatchEventRow.match_id.in_(matches),
            TeamPersonRow: (TeamPersonRow.team_id == team_id) & (TeamPersonRow.user_id == user_id),
            DeliveryRow: (DeliveryRow.team_id == team_id)
            & or_(
                DeliveryRow.recipient == user_id,
                DeliveryRow.recipient.like(f"{user_id},%"),
                DeliveryRow.recipient.like(f"%,{user_id}"),
                DeliveryRow.recipient.like(f"%,{user_id},%"),
            ),
        }
        return {model.__table__: condition for model, condition in tables.items()}


def _plain(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, (datetime, date)) else value
        for key, value in row.items()
    }
