"""Teams, managed by program admins: `/mentor team ...` and `mentor-bot import-teams`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.i18n_markers import N_
from bot.domain.members import Member
from bot.domain.teams import Team, TeamRole, clean_name
from bot.services.ports import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class TeamRow:
    """One line of a teams CSV: `team,user_id,role[,channel]`."""

    line: int
    team: str
    user_id: str
    role: str
    channel: str = ""


@dataclass(frozen=True)
class TeamImportReport:
    teams_created: int
    people_added: int
    errors: tuple[tuple[int, str], ...]
    """(line, what is wrong) of rows not imported."""


class TeamService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def list(self, admin: Member) -> list[Team]:
        _require_admin(admin)
        with self._uow() as uow:
            return uow.teams.list(admin.team_id)

    def create(self, admin: Member, name: str, leads: Iterable[str]) -> Team:
        _require_admin(admin)
        now = self._clock.now()
        with self._uow() as uow:
            team = uow.teams.create(admin.team_id, clean_name(name), now)
            if team is None:
                raise InvalidInput(_EXISTS, name=name)
            uow.teams.add_people(team, leads, TeamRole.LEAD, now)
            uow.commit()
            return self._get(uow, admin, team.name)

    def add(
        self,
        admin: Member,
        name: str,
        people: Iterable[str],
        role: TeamRole = TeamRole.MEMBER,
    ) -> tuple[Team, list[str]]:
        """Add members (or leads); returns the team and who was new to it in that role."""
        _require_admin(admin)
        now = self._clock.now()
        with self._uow() as uow:
            team = self._get(uow, admin, name)
            added = uow.teams.add_people(team, people, role, now)
            uow.commit()
            return self._get(uow, admin, name), added

    def remove(self, admin: Member, name: str, people: Iterable[str]) -> Team:
        """Remove people from the team (as members and as leads); a team keeps one lead."""
        _require_admin(admin)
        now = self._clock.now()
        with self._uow() as uow:
            team = self._get(uow, admin, name)
            gone = set(people)
            if team.leads and team.leads <= gone:
                raise InvalidInput(_LAST_LEAD, name=team.name)
            uow.teams.remove_people(team, sorted(gone), now)
            uow.commit()
            return self._get(uow, admin, name)

    def set_channel(self, admin: Member, name: str, channel_id: str | None) -> Team:
        _require_admin(admin)
        now = self._clock.now()
        with self._uow() as uow:
            team = self._get(uow, admin, name)
            uow.teams.set_channel(team, channel_id, now)
            uow.commit()
            return self._get(uow, admin, name)

    def import_rows(self, team_id: str, rows: Iterable[TeamRow]) -> TeamImportReport:
        """Teams are created as needed; each good row adds its person; bad rows are reported
        by line and skipped."""
        now = self._clock.now()
        created = added = 0
        errors: list[tuple[int, str]] = []
        with self._uow() as uow:
            for row in rows:
                problem = _row_problem(row)
                if problem:
                    errors.append((row.line, problem))
                    continue
                name = clean_name(row.team)
                team = uow.teams.by_name(team_id, name)
                if team is None:
                    team = uow.teams.create(team_id, name, now)
                    assert team is not None
                    created += 1
                added += len(uow.teams.add_people(team, [row.user_id], TeamRole(row.role), now))
                if row.channel:
                    uow.teams.set_channel(team, row.channel, now)
            uow.commit()
        return TeamImportReport(created, added, tuple(errors))

    def _get(self, uow: UnitOfWork, admin: Member, name: str) -> Team:
        team = uow.teams.by_name(admin.team_id, name)
        if team is None:
            raise InvalidInput(_NO_SUCH_TEAM, name=name)
        return team


def _require_admin(member: Member) -> None:
    if not member.is_admin:
        raise NotAllowed(_ADMINS_ONLY)


def _row_problem(row: TeamRow) -> str | None:
    if not row.team.strip():
        return "team is empty"
    if len(" ".join(row.team.split())) > 80 or "<" in row.team or ">" in row.team:
        return "team name is longer than 80 characters or has < or >"
    if not row.user_id.strip().startswith(("U", "W")) or not row.user_id.strip().isalnum():
        return f"user_id {row.user_id!r} is not a Slack user id (like U0123ABCD)"
    if row.role not in {role.value for role in TeamRole}:
        return f"role {row.role!r} is not lead or member"
    if row.channel and not (row.channel.startswith(("C", "G")) and row.channel.isalnum()):
        return f"channel {row.channel!r} is not a Slack channel id (like C0123ABCD)"
    return None


_ADMINS_ONLY = N_("Only program admins can manage teams.")
_EXISTS = N_("There is already a team called “{name}”.")
_NO_SUCH_TEAM = N_("There is no team called “{name}”. `/mentor team list` shows them.")
_LAST_LEAD = N_(
    "“{name}” needs at least one lead: add another first (`/mentor team lead {name} @someone`),"
    " then remove this one."
)
