"""Teams, their leads and members."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.domain.teams import Team, TeamRole, name_key
from storage.models import TeamPersonRow, TeamRow
from storage.upsert import dialect_insert


class SqlTeamRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def create(self, team_id: str, name: str, at: datetime) -> Team | None:
        """A new team, or None when the workspace has one of that name already."""
        statement = (
            dialect_insert(self._session)(TeamRow)
            .values(
                team_id=team_id, name=name, name_key=name_key(name), created_at=at, updated_at=at
            )
            .on_conflict_do_nothing(index_elements=["team_id", "name_key"])
            .returning(TeamRow.id)
        )
        created = self._session.execute(statement).scalar_one_or_none()
        return None if created is None else Team(created, team_id, name)

    def by_name(self, team_id: str, name: str) -> Team | None:
        query = select(TeamRow).where(
            TeamRow.team_id == team_id, TeamRow.name_key == name_key(name)
        )
        row = self._session.scalars(query).one_or_none()
        return None if row is None else self._load([row])[0]

    def get(self, team_id: str, group_id: int) -> Team | None:
        row = self._session.get(TeamRow, group_id, populate_existing=True)
        return None if row is None or row.team_id != team_id else self._load([row])[0]

    def list(self, team_id: str) -> list[Team]:
        query = select(TeamRow).where(TeamRow.team_id == team_id).order_by(TeamRow.name_key)
        return self._load(list(self._session.scalars(query)))

    def all_teams(self) -> list[Team]:
        """Every team of every workspace (the weekly digest job)."""
        return self._load(list(self._session.scalars(select(TeamRow).order_by(TeamRow.id))))

    def led_by(self, team_id: str, user_id: str) -> list[Team]:
        led = select(TeamPersonRow.group_id).where(
            TeamPersonRow.team_id == team_id,
            TeamPersonRow.user_id == user_id,
            TeamPersonRow.role == TeamRole.LEAD.value,
        )
        query = select(TeamRow).where(TeamRow.id.in_(led)).order_by(TeamRow.name_key)
        return self._load(list(self._session.scalars(query)))

    def add_people(
        self, team: Team, user_ids: Iterable[str], role: TeamRole, at: datetime
    ) -> list[str]:
        """Add these people in the role; returns those who were not in it already."""
        added = []
        for user_id in dict.fromkeys(user_ids):
            statement = (
                dialect_insert(self._session)(TeamPersonRow)
                .values(team_id=team.team_id, group_id=team.id, user_id=user_id, role=role.value)
                .on_conflict_do_nothing(index_elements=["group_id", "user_id", "role"])
                .returning(TeamPersonRow.id)
            )
            if self._session.execute(statement).first() is not None:
                added.append(user_id)
        self._touch(team, at)
        return added

    def remove_people(self, team: Team, user_ids: Sequence[str], at: datetime) -> int:
        """Remove these people from the team in any role; returns how many rows went."""
        result = self._session.execute(
            delete(TeamPersonRow).where(
                TeamPersonRow.group_id == team.id, TeamPersonRow.user_id.in_(list(user_ids))
            )
        )
        self._touch(team, at)
        return int(result.rowcount or 0)

    def set_channel(self, team: Team, channel_id: str | None, at: datetime) -> None:
        row = self._session.get(TeamRow, team.id)
        assert row is not None
        row.channel_id = channel_id
        row.updated_at = at
        self._session.flush()

    def _touch(self, team: Team, at: datetime) -> None:
        row = self._session.get(TeamRow, team.id)
        if row is not None:
            row.updated_at = at
        self._session.flush()

    def _load(self, rows: Sequence[TeamRow]) -> list[Team]:
        if not rows:
            return []
        people: dict[int, dict[str, set[str]]] = {
            row.id: {"lead": set(), "member": set()} for row in rows
        }
        query = select(TeamPersonRow).where(TeamPersonRow.group_id.in_(list(people)))
        for person in self._session.scalars(query):
            people[person.group_id][person.role].add(person.user_id)
        return [
            Team(
                id=row.id,
                team_id=row.team_id,
                name=row.name,
                leads=frozenset(people[row.id][TeamRole.LEAD]),
                members=frozenset(people[row.id][TeamRole.MEMBER]),
                channel_id=row.channel_id,
            )
            for row in rows
        ]
