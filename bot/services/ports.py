"""What the services need from the world. Storage and the Slack gateway implement these."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol

from bot.domain.announcements import Announcement
from bot.domain.checkins import Checkin, CheckinAnswer, NewCheckin, SkipReason
from bot.domain.deliveries import (
    Delivery,
    DeliveryKey,
    DeliveryState,
    NewDelivery,
    Posted,
    SendOutcome,
    Transition,
)
from bot.domain.digests import DigestInput
from bot.domain.goals import CheckinGoalUpdate, Goal, GoalChange, GoalDraft, GoalEvent
from bot.domain.installs import WorkspaceInstall
from bot.domain.matches import (
    Match,
    MatchEvent,
    MatchRound,
    MatchState,
    NewMatch,
    RoundState,
    Unmatched,
)
from bot.domain.members import Member, SlackUser
from bot.domain.profiles import Profile, ProgramRole
from bot.domain.teams import Team, TeamRole


class MemberRepository(Protocol):
    def get(self, team_id: str, user_id: str) -> Member | None: ...

    def set_language(self, team_id: str, user_id: str, language: str | None) -> Member:
        """Store the person's language choice (None: follow Slack); creates them if new."""
        ...

    def record_slack_user(self, team_id: str, user: SlackUser, now: datetime) -> Member:
        """Store what Slack says about the person, leaving their own choices alone."""
        ...

    def set_admin(self, team_id: str, user_id: str, is_admin: bool) -> Member: ...

    def admin_ids(self, team_id: str) -> set[str]: ...

    def active_humans(self, team_id: str) -> list[Member]:
        """Members who are neither deactivated nor bots."""
        ...

    def unreachable_ids(self, team_id: str) -> set[str]:
        """Members deactivated in Slack, and bots."""
        ...

    def timezones(self, team_id: str, user_ids: Collection[str]) -> dict[str, str]:
        """Slack's time zone for those of these people it gave one."""
        ...


class DeliveryRepository(Protocol):
    def add_if_absent(self, new: NewDelivery, now: datetime) -> bool: ...

    def add_all_if_absent(self, news: Sequence[NewDelivery], now: datetime) -> int: ...

    def get(self, delivery_id: int) -> Delivery | None: ...

    def find(self, key: DeliveryKey) -> Delivery | None: ...

    def list(
        self,
        *,
        state: DeliveryState | None = None,
        since: datetime | None = None,
        team_id: str | None = None,
        limit: int = 100,
    ) -> list[Delivery]: ...

    def count_by_state(self) -> dict[DeliveryState, int]: ...

    def claim_due(
        self,
        *,
        now: datetime,
        worker: str,
        limit: int,
        states: Sequence[DeliveryState],
        skip_teams: Iterable[str] = (),
    ) -> list[Delivery]: ...

    def orphaned_claims(self, *, worker: str) -> list[int]: ...

    def finish(self, delivery_id: int, *, worker: str, change: Transition) -> bool: ...

    def mark_in_doubt(self, ids: Sequence[int], *, now: datetime, reason: str) -> int: ...

    def release(self, *, worker: str, now: datetime, ids: Sequence[int]) -> int: ...

    def skip_stale(self, *, now: datetime, reason: str) -> int: ...

    def skip_pending_for_team(self, team_id: str, *, now: datetime, reason: str) -> int:
        """Pending (or retry-waiting) and in-doubt deliveries to this workspace become skipped."""
        ...

    def throttled_teams(self, now: datetime) -> dict[str, datetime]: ...

    def throttle_team(self, team_id: str, until: datetime) -> None: ...


class AnnouncementRepository(Protocol):
    def add(self, announcement: Announcement) -> Announcement: ...

    def due_unqueued(self, now: datetime) -> list[Announcement]: ...

    def mark_queued(self, announcement_id: int, now: datetime) -> None: ...


class MatchRepository(Protocol):
    def add_round(
        self,
        *,
        team_id: str,
        created_by: str,
        at: datetime,
        total_score: int,
        unmatched: Sequence[Unmatched],
    ) -> MatchRound: ...

    def get_round(self, team_id: str, round_id: int) -> MatchRound | None: ...

    def previewed_rounds(self, team_id: str) -> list[MatchRound]: ...

    def decide_round(
        self, team_id: str, round_id: int, state: RoundState, *, by: str, at: datetime
    ) -> bool: ...

    def add(self, new: NewMatch, *, at: datetime, actor: str | None) -> Match | None: ...

    def add_proposed(self, news: Iterable[NewMatch], *, at: datetime, actor: str) -> int: ...

    def get(self, team_id: str, match_id: int) -> Match | None: ...

    def request_round(
        self,
        team_id: str,
        round_id: int,
        *,
        at: datetime,
        actor: str,
        expires_at: datetime,
        discard: Mapping[int, str],
    ) -> list[Match] | None: ...

    def change(
        self,
        match: Match,
        to: MatchState,
        *,
        at: datetime,
        actor: str | None,
        note: str | None = None,
        expires_at: datetime | None = None,
    ) -> Match | None: ...

    def in_round(self, team_id: str, round_id: int) -> list[Match]: ...

    def open_for(self, team_id: str, user_id: str) -> list[Match]: ...

    def open_counts(self, team_id: str) -> dict[str, int]: ...

    def accepted_pairs(self, team_id: str) -> list[tuple[str, str]]: ...

    def mentees_with_open_match(self, team_id: str) -> set[str]: ...

    def recent_pairs(self, team_id: str, since: datetime) -> frozenset[tuple[str, str]]: ...

    def requests_due(self, now: datetime, team_id: str | None = None) -> list[Match]: ...

    def events(self, team_id: str, match_id: int) -> list[MatchEvent]: ...

    def history(self, team_id: str, *, limit: int) -> list[tuple[Match, MatchEvent]]: ...


class ProfileRepository(Protocol):
    def get(self, team_id: str, user_id: str) -> Profile | None: ...

    def upsert(self, profile: Profile, now: datetime) -> Profile:
        """Insert, or update the stored profile in place (never a second row); the person's
        opt-out and pause stay as they were. Returns the profile as stored."""
        ...

    def list_for_team(
        self, team_id: str, *, roles: Collection[ProgramRole] | None = None
    ) -> list[Profile]:
        """Profiles in the workspace (only the given roles, when given), by user id."""
        ...

    def team_ids(self) -> list[str]: ...

    def timezones(self, team_id: str, user_ids: Collection[str]) -> dict[str, str]:
        """The profile time zone of those of these people who have a profile."""
        ...

    def set_pause(self, team_id: str, user_id: str, until: date | None) -> bool: ...

    def set_checkin_time(
        self, team_id: str, user_id: str, weekday: int | None, minute: int | None
    ) -> bool: ...

    def mentors(self, team_id: str) -> list[Profile]:
        """Roles mentor and both."""
        ...

    def mentees(self, team_id: str) -> list[Profile]:
        """Roles mentee and both."""
        ...


class CheckinRepository(Protocol):
    def existing(self, team_id: str, weeks: Collection[str]) -> set[tuple[str, str]]: ...

    def add_all(self, news: Sequence[NewCheckin], now: datetime) -> list[Checkin]: ...

    def unanswered(self, team_id: str, weeks: Collection[str]) -> list[Checkin]: ...

    def get(self, team_id: str, checkin_id: int) -> Checkin | None: ...

    def find(self, team_id: str, user_id: str, week: str) -> Checkin | None: ...

    def open_for(self, team_id: str, user_id: str, now: datetime) -> Checkin | None: ...

    def recent(self, team_id: str, user_id: str, *, limit: int) -> list[Checkin]: ...

    def recent_for(
        self, team_id: str, user_ids: Collection[str], *, since: datetime, limit: int
    ) -> dict[str, list[Checkin]]: ...

    def save_answer(self, checkin: Checkin, answer: CheckinAnswer, at: datetime) -> Checkin: ...

    def skip(self, checkin: Checkin, reason: SkipReason, at: datetime) -> Checkin: ...

    def due_for_reminder(self, due_before: datetime, now: datetime) -> list[Checkin]: ...

    def mark_reminded(self, ids: Sequence[int], at: datetime) -> None: ...

    def close_ended_weeks(self, now: datetime) -> list[Checkin]: ...

    def erase_words(self, ended_before: datetime, at: datetime) -> int: ...

    def add_reply(
        self, team_id: str, channel: str, ts: str, checkin_id: int, at: datetime
    ) -> bool: ...


class GoalRepository(Protocol):
    def add(
        self,
        team_id: str,
        user_id: str,
        draft: GoalDraft,
        at: datetime,
        remind_at: datetime | None = None,
    ) -> Goal:
        """Numbered after the person's last goal."""
        ...

    def get(self, team_id: str, goal_id: int) -> Goal | None: ...

    def by_number(self, team_id: str, user_id: str, number: int) -> Goal | None: ...

    def list_for(self, team_id: str, user_id: str, *, include_archived: bool) -> list[Goal]: ...

    def active_for(self, team_id: str, user_ids: Collection[str]) -> dict[str, list[Goal]]: ...

    def count_active(self, team_id: str, user_id: str) -> int: ...

    def save(self, goal: Goal, at: datetime) -> Goal: ...

    def add_events(
        self, goal: Goal, actor: str, changes: Sequence[GoalChange], at: datetime
    ) -> list[GoalEvent]: ...

    def events(self, team_id: str, goal_id: int) -> list[GoalEvent]: ...

    def latest_comments(
        self, team_id: str, goal_ids: Collection[int], *, per_goal: int
    ) -> dict[int, tuple[GoalEvent, ...]]: ...

    def due_for_reminder(self, now: datetime) -> list[Goal]: ...

    def mark_reminded(self, goals: Sequence[Goal]) -> None: ...

    def record_checkin_update(self, team_id: str, update_: CheckinGoalUpdate) -> None: ...

    def checkin_updates(self, team_id: str, checkin_id: int) -> list[CheckinGoalUpdate]: ...


class TeamRepository(Protocol):
    def create(self, team_id: str, name: str, at: datetime) -> Team | None:
        """None when the workspace has a team of that name (any case) already."""
        ...

    def by_name(self, team_id: str, name: str) -> Team | None: ...

    def get(self, team_id: str, group_id: int) -> Team | None: ...

    def list(self, team_id: str) -> list[Team]: ...

    def all_teams(self) -> list[Team]: ...

    def led_by(self, team_id: str, user_id: str) -> list[Team]: ...

    def add_people(
        self, team: Team, user_ids: Iterable[str], role: TeamRole, at: datetime
    ) -> list[str]: ...

    def remove_people(self, team: Team, user_ids: Sequence[str], at: datetime) -> int: ...

    def set_channel(self, team: Team, channel_id: str | None, at: datetime) -> None: ...


class DigestRepository(Protocol):
    def load(self, team_id: str, group_id: int | None, weeks: Sequence[str]) -> DigestInput:
        """A team's members' data (or the whole workspace's), in a fixed number of queries."""
        ...


class PrivacyRepository(Protocol):
    def export(self, team_id: str, user_id: str) -> dict[str, list[dict[str, Any]]]:
        """Table name -> the person's rows as plain JSON values."""
        ...

    def erase(self, team_id: str, user_id: str) -> int: ...


class UnitOfWork(Protocol):
    members: MemberRepository
    deliveries: DeliveryRepository
    announcements: AnnouncementRepository
    matches: MatchRepository
    checkins: CheckinRepository
    profiles: ProfileRepository
    goals: GoalRepository
    teams: TeamRepository
    digests: DigestRepository
    privacy: PrivacyRepository

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    def commit(self) -> None: ...

    def ping(self) -> None:
        """Raise if the database does not answer."""
        ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


class SlackDirectory(Protocol):
    """Who a Slack user is (users.info), and everyone in the workspace (users.list)."""

    def fetch_user(self, team_id: str, user_id: str) -> SlackUser: ...

    def list_users(self, team_id: str) -> Iterable[SlackUser]: ...


class MessageSender(Protocol):
    """Posts a delivery to Slack and finds out whether an uncertain post exists."""

    def post(self, delivery: Delivery, language: str) -> SendOutcome: ...

    def find_posted(self, delivery: Delivery) -> Posted | None:
        """The bot's message carrying this delivery's id, if Slack has it; raises if it cannot
        tell (the check itself failed)."""
        ...


class InstallRegistry(Protocol):
    """OAuth installs, one per workspace; tokens are decrypted only on the way out."""

    def save(self, install: WorkspaceInstall) -> None: ...

    def find(self, team_id: str) -> WorkspaceInstall | None: ...

    def delete(self, team_id: str) -> bool: ...

    def forget_user_token(self, team_id: str) -> None: ...

    def team_ids(self) -> list[str]: ...

    def rotate_keys(self) -> int: ...


class OAuthStates(Protocol):
    def issue(self, now: datetime) -> str: ...

    def consume(self, state: str, now: datetime) -> bool:
        """True once for a state issued and not yet expired."""
        ...
