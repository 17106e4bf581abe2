"""What a digest is computed from, for one team or a whole workspace, in seven queries whatever
the number of people: the team's members are a subquery, never a list of ids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, case, or_, select
from sqlalchemy.orm import Session

from bot.domain.checkins import Checkin, CheckinAnswer, CheckinRole, CheckinState, SkipReason
from bot.domain.digests import CheckinGoalPoint, DigestInput, OpenMatch, Person
from bot.domain.goals import GoalStatus, Visibility
from bot.domain.matches import OPEN_STATES, MatchState
from bot.domain.teams import TeamRole
from storage.goals import _to_goal
from storage.models import (
    CheckinGoalRow,
    CheckinRow,
    GoalMilestoneRow,
    GoalRow,
    MatchRow,
    ProfileRow,
    TeamPersonRow,
)
from storage.profiles import MENTEE_ROLES

MENTEE_VALUES = {role.value for role in MENTEE_ROLES}
_ROLES = {role.value: role for role in CheckinRole}
_STATES = {state.value: state for state in CheckinState}


class SqlDigestRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def load(self, team_id: str, group_id: int | None, weeks: Sequence[str]) -> DigestInput:
        """A team's members (`group_id`), or everyone with a profile in the workspace."""
        scope = self._scope(team_id, group_id)
        return DigestInput(
            people=self._people(team_id, group_id),
            checkins=self._checkins(team_id, scope, weeks),
            goals=self._goals(team_id, scope),
            goal_points=[
                CheckinGoalPoint(week, user_id, goal_id, progress)
                for week, user_id, goal_id, progress in self._session.execute(
                    select(
                        CheckinRow.week,
                        CheckinRow.user_id,
                        CheckinGoalRow.goal_id,
                        CheckinGoalRow.progress,
                    )
                    .join(CheckinRow, CheckinRow.id == CheckinGoalRow.checkin_id)
                    .where(
                        # Both workspace columns: without the check-ins' one, PostgreSQL with
                        # no statistics yet scanned every check-in once per person (3.5 s at
                        # 500 people). Private and archived goals' points are dropped by
                        # bot.domain.digests, which knows the shared goals from `goals`.
                        CheckinGoalRow.team_id == team_id,
                        CheckinRow.team_id == team_id,
                        CheckinRow.week.in_(list(weeks)),
                        CheckinRow.user_id.in_(scope),
                    )
                )
            ],
            matches=[
                OpenMatch(mentor, mentee, state == MatchState.ACCEPTED.value, since)
                for mentor, mentee, state, since in self._session.execute(
                    select(
                        MatchRow.mentor_id, MatchRow.mentee_id, MatchRow.state, MatchRow.created_at
                    ).where(
                        MatchRow.team_id == team_id,
                        MatchRow.state.in_([s.value for s in OPEN_STATES]),
                        or_(MatchRow.mentee_id.in_(scope), MatchRow.mentor_id.in_(scope)),
                    )
                )
            ],
        )

    def _checkins(self, team_id: str, scope: Select[Any], weeks: Sequence[str]) -> list[Checkin]:
        """The weeks' check-ins, as plain rows (not ORM objects: a 26-week digest of 500 people
        reads 13,000). The words come out of the database only where their author shared them
        with the lead; for everyone else they are empty before they ever reach Python."""
        shared = CheckinRow.share_with_lead.is_(True)
        query = select(
            CheckinRow.id,
            CheckinRow.user_id,
            CheckinRow.week,
            CheckinRow.role,
            CheckinRow.state,
            CheckinRow.skip_reason,
            CheckinRow.due_at,
            CheckinRow.week_ends_at,
            CheckinRow.confidence,
            CheckinRow.share_with_mentor,
            CheckinRow.share_with_lead,
            case((shared, CheckinRow.progress), else_=""),
            case((shared, CheckinRow.next_steps), else_=""),
            CheckinRow.answered_at,
            CheckinRow.created_at,
            CheckinRow.updated_at,
        ).where(
            CheckinRow.team_id == team_id,
            CheckinRow.week.in_(list(weeks)),
            CheckinRow.user_id.in_(scope),
        )
        return [
            Checkin(
                id=row[0],
                team_id=team_id,
                user_id=row[1],
                week=row[2],
                role=_ROLES[row[3]],
                state=_STATES[row[4]],
                skip_reason=SkipReason(row[5]) if row[5] else None,
                due_at=row[6],
                week_ends_at=row[7],
                answer=CheckinAnswer(
                    progress=row[11],
                    next_steps=row[12],
                    confidence=row[8],
                    share_with_mentor=row[9],
                    share_with_lead=row[10],
                ),
                answered_at=row[13],
                created_at=row[14],
                updated_at=row[15],
            )
            for row in self._session.execute(query)
        ]

    def _scope(self, team_id: str, group_id: int | None) -> Select[Any]:
        if group_id is None:
            return select(ProfileRow.user_id).where(ProfileRow.team_id == team_id)
        return select(TeamPersonRow.user_id).where(
            TeamPersonRow.group_id == group_id, TeamPersonRow.role == TeamRole.MEMBER.value
        )

    def _people(self, team_id: str, group_id: int | None) -> list[Person]:
        if group_id is None:
            query = select(ProfileRow.user_id, ProfileRow.role, ProfileRow.created_at).where(
                ProfileRow.team_id == team_id
            )
        else:
            query = (
                select(TeamPersonRow.user_id, ProfileRow.role, ProfileRow.created_at)
                .outerjoin(
                    ProfileRow,
                    (ProfileRow.team_id == TeamPersonRow.team_id)
                    & (ProfileRow.user_id == TeamPersonRow.user_id),
                )
                .where(
                    TeamPersonRow.group_id == group_id,
                    TeamPersonRow.role == TeamRole.MEMBER.value,
                )
            )
        return [
            Person(user_id, role in MENTEE_VALUES, joined_at)
            for user_id, role, joined_at in self._session.execute(query)
        ]

    def _goals(self, team_id: str, scope: Select[Any]) -> list[Any]:
        """Shared goals not archived, with their milestones (two queries)."""
        condition = (
            (GoalRow.team_id == team_id)
            & GoalRow.user_id.in_(scope)
            & (GoalRow.visibility == Visibility.MENTOR.value)
            & (GoalRow.status != GoalStatus.ARCHIVED.value)
        )
        rows = list(self._session.scalars(select(GoalRow).where(condition)))
        milestones: dict[int, list[GoalMilestoneRow]] = {}
        query = (
            select(GoalMilestoneRow)
            .join(GoalRow, GoalRow.id == GoalMilestoneRow.goal_id)
            .where(condition)
            .order_by(GoalMilestoneRow.goal_id, GoalMilestoneRow.position)
        )
        for milestone in self._session.scalars(query):
            milestones.setdefault(milestone.goal_id, []).append(milestone)
        return [_to_goal(row, milestones.get(row.id, [])) for row in rows]
