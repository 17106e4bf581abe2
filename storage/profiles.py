"""Mentoring profiles: one row per (workspace, person); domain `Profile` in and out."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.domain.profiles import Profile, ProgramRole, WorkingHours
from storage.models import ProfileRow
from storage.upsert import dialect_insert

MENTOR_ROLES = (ProgramRole.MENTOR, ProgramRole.BOTH)
MENTEE_ROLES = (ProgramRole.MENTEE, ProgramRole.BOTH)
_OWN_STATE = ("opted_out", "paused_until", "checkin_weekday", "checkin_minute")
"""Set by the person's own commands (opt out, pause, check-in time), never by a profile edit or
an import."""


BATCH = 500
"""Values in one IN list (SQLite caps a statement's bound parameters)."""


class SqlProfileRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, team_id: str, user_id: str) -> Profile | None:
        row = self._session.get(ProfileRow, (team_id, user_id))
        return _to_profile(row) if row else None

    def upsert(self, profile: Profile, now: datetime) -> Profile:
        """Insert the profile, or update every field of the stored one (one statement, so a
        re-import or a double submit never makes a second row). Opt-out and pause stay."""
        values = _columns(profile)
        table = ProfileRow.__table__
        statement = (
            dialect_insert(self._session)(table)
            .values(**values, created_at=now, updated_at=now)
            .on_conflict_do_update(
                index_elements=["team_id", "user_id"],
                set_={
                    **{k: v for k, v in values.items() if k not in (*_OWN_STATE, "team_id")},
                    "updated_at": now,
                },
            )
            .returning(*table.columns)
        )
        row = self._session.execute(statement).one()
        self._session.expire_all()  # the identity map may hold the row as it was before
        return _to_profile(row)  # type: ignore[arg-type]

    def list_for_team(
        self, team_id: str, *, roles: Collection[ProgramRole] | None = None
    ) -> list[Profile]:
        """Everyone's profile in the workspace (or those in the given roles), by user id."""
        query = select(ProfileRow).where(ProfileRow.team_id == team_id)
        if roles is not None:
            query = query.where(ProfileRow.role.in_([role.value for role in roles]))
        query = query.order_by(ProfileRow.user_id)
        return [_to_profile(row) for row in self._session.scalars(query)]

    def set_pause(self, team_id: str, user_id: str, until: date | None) -> bool:
        """Pause until a date (inclusive) or resume (None); False when there is no profile."""
        result = self._session.execute(
            update(ProfileRow)
            .where(ProfileRow.team_id == team_id, ProfileRow.user_id == user_id)
            .values(paused_until=until)
        )
        return result.rowcount == 1

    def set_checkin_time(
        self, team_id: str, user_id: str, weekday: int | None, minute: int | None
    ) -> bool:
        """The person's own check-in day and time, or None for the program's."""
        result = self._session.execute(
            update(ProfileRow)
            .where(ProfileRow.team_id == team_id, ProfileRow.user_id == user_id)
            .values(checkin_weekday=weekday, checkin_minute=minute)
        )
        return result.rowcount == 1

    def timezones(self, team_id: str, user_ids: Collection[str]) -> dict[str, str]:
        """The profile time zone of each of these people who has a profile."""
        ids = sorted(set(user_ids))
        found: dict[str, str] = {}
        for start in range(0, len(ids), BATCH):
            query = select(ProfileRow.user_id, ProfileRow.timezone).where(
                ProfileRow.team_id == team_id, ProfileRow.user_id.in_(ids[start : start + BATCH])
            )
            found.update({user_id: zone for user_id, zone in self._session.execute(query)})
        return found

    def team_ids(self) -> list[str]:
        """Workspaces with at least one profile."""
        return list(self._session.scalars(select(ProfileRow.team_id).distinct()))

    def mentors(self, team_id: str) -> list[Profile]:
        """Profiles of people who mentor (mentor, or mentor and mentee)."""
        return self.list_for_team(team_id, roles=MENTOR_ROLES)

    def mentees(self, team_id: str) -> list[Profile]:
        """Profiles of people who want a mentor (mentee, or mentor and mentee)."""
        return self.list_for_team(team_id, roles=MENTEE_ROLES)


def _columns(profile: Profile) -> dict[str, Any]:
    return {
        "team_id": profile.team_id,
        "user_id": profile.user_id,
        "role": profile.role.value,
        "background": profile.background,
        "track": profile.track,
        "skills_offered": sorted(profile.skills_offered),
        "skills_wanted": sorted(profile.skills_wanted),
        "move_from": profile.move_from,
        "move_to": profile.move_to,
        "work_start_minute": profile.working_hours.start_minute,
        "work_end_minute": profile.working_hours.end_minute,
        "timezone": profile.timezone,
        "languages": sorted(profile.languages),
        "capacity": profile.capacity,
        "intro": profile.intro,
        "org_unit": profile.org_unit,
        "manager_id": profile.manager_id,
        "opted_out": profile.opted_out,
        "paused_until": profile.paused_until,
        "checkin_weekday": profile.checkin_weekday,
        "checkin_minute": profile.checkin_minute,
    }


def _to_profile(row: ProfileRow) -> Profile:
    return Profile(
        team_id=row.team_id,
        user_id=row.user_id,
        role=ProgramRole(row.role),
        background=row.background,
        track=row.track,
        skills_offered=frozenset(row.skills_offered or ()),
        skills_wanted=frozenset(row.skills_wanted or ()),
        move_from=row.move_from,
        move_to=row.move_to,
        working_hours=WorkingHours(row.work_start_minute, row.work_end_minute),
        timezone=row.timezone,
        languages=frozenset(row.languages or ()),
        capacity=row.capacity,
        intro=row.intro,
        org_unit=row.org_unit,
        manager_id=row.manager_id,
        opted_out=row.opted_out,
        checkin_weekday=row.checkin_weekday,
        checkin_minute=row.checkin_minute,
        paused_until=row.paused_until,
        updated_at=row.updated_at,
    )
