"""SQLAlchemy models. The schema changes only through Alembic migrations in storage/migrations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class MemberRow(Base):
    """A person in a workspace, as Slack describes them plus their own choices."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str | None] = mapped_column(String(255))
    tz: Mapped[str | None] = mapped_column(String(64))
    slack_locale: Mapped[str | None] = mapped_column(String(16))
    language_override: Mapped[str | None] = mapped_column(String(8))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    slack_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DeliveryRow(Base):
    """The delivery ledger: every outbound message that must arrive exactly once."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("team_id", "recipient", "kind", "period", name="uq_deliveries_key"),
        Index("ix_deliveries_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(500))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    in_doubt_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    channel: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WorkspaceThrottleRow(Base):
    """Slack said 429 for this workspace: no call to it before `blocked_until`."""

    __tablename__ = "workspace_throttles"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    blocked_until: Mapped[datetime] = mapped_column(UTCDateTime())


class AnnouncementRow(Base):
    """A message an admin sends to the program's members, at a time, until a time."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    audience: Mapped[list[str] | None] = mapped_column(JSON)
    send_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MatchRoundRow(Base):
    """A matching round: solved, previewed by an admin, then approved or discarded."""

    __tablename__ = "match_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    total_score: Mapped[int] = mapped_column(Integer)
    unmatched: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MatchRow(Base):
    """A mentor-mentee pairing, from proposal to its end. Its history is in match_events."""

    __tablename__ = "matches"
    __table_args__ = (
        Index("ix_matches_mentee", "team_id", "mentee_id"),
        Index("ix_matches_mentor", "team_id", "mentor_id"),
        Index("ix_matches_due", "state", "expires_at"),
        # A mentee has at most one open match (requested or accepted): a double click on
        # "ask this mentor", or two admins approving at once, cannot create a second one.
        Index(
            "uq_matches_open_mentee",
            "team_id",
            "mentee_id",
            unique=True,
            sqlite_where=text("state IN ('requested', 'accepted')"),
            postgresql_where=text("state IN ('requested', 'accepted')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    mentor_id: Mapped[str] = mapped_column(String(32))
    mentee_id: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    score: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("match_rounds.id"))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MatchEventRow(Base):
    """One change of a match's state: who, when, and the note they gave."""

    __tablename__ = "match_events"
    __table_args__ = (Index("ix_match_events_match", "match_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"))
    state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProfileRow(Base):
    """A person's mentoring profile (bot.domain.profiles.Profile), one per workspace member."""

    __tablename__ = "profiles"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    background: Mapped[str] = mapped_column(String(40))
    track: Mapped[str] = mapped_column(String(40))
    skills_offered: Mapped[list[str]] = mapped_column(JSON)
    skills_wanted: Mapped[list[str]] = mapped_column(JSON)
    move_from: Mapped[str | None] = mapped_column(String(40))
    move_to: Mapped[str | None] = mapped_column(String(40))
    work_start_minute: Mapped[int] = mapped_column(Integer)
    work_end_minute: Mapped[int] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64))
    languages: Mapped[list[str]] = mapped_column(JSON)
    capacity: Mapped[int] = mapped_column(Integer)
    intro: Mapped[str] = mapped_column(Text)
    org_unit: Mapped[str | None] = mapped_column(String(100))
    manager_id: Mapped[str | None] = mapped_column(String(32))
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    paused_until: Mapped[date | None] = mapped_column(Date)
    checkin_weekday: Mapped[int | None] = mapped_column(Integer)
    checkin_minute: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CheckinRow(Base):
    """One person's check-in for one of their local weeks."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id", "week", name="uq_checkins_person_week"),
        Index("ix_checkins_open", "state", "week_ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    week: Mapped[str] = mapped_column(String(10))
    role: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(10))
    skip_reason: Mapped[str | None] = mapped_column(String(24))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    week_ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    progress: Mapped[str] = mapped_column(Text, default="")
    blockers: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[int | None] = mapped_column(Integer)
    next_steps: Mapped[str] = mapped_column(Text, default="")
    share_with_mentor: Mapped[bool] = mapped_column(Boolean, default=True)
    share_with_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CheckinReplyRow(Base):
    """A DM message taken as (part of) a check-in answer: once per Slack message, however often
    Slack delivers the event."""

    __tablename__ = "checkin_replies"
    __table_args__ = (UniqueConstraint("team_id", "channel", "ts", name="uq_checkin_replies_msg"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class GoalRow(Base):
    """A person's goal (bot.domain.goals.Goal); `number` is theirs, shown in `/mentor goal list`."""

    __tablename__ = "goals"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id", "number", name="uq_goals_person_number"),
        Index("ix_goals_remind_at", "remind_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    why: Mapped[str] = mapped_column(Text, default="")
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    visibility: Mapped[str] = mapped_column(String(8))
    manual_progress: Mapped[int | None] = mapped_column(Integer)
    template: Mapped[str | None] = mapped_column(String(32))
    reminded_due: Mapped[date | None] = mapped_column(Date)
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GoalMilestoneRow(Base):
    """A checklist item of a goal, in the order the person wrote them."""

    __tablename__ = "goal_milestones"
    __table_args__ = (Index("ix_goal_milestones_goal", "goal_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    due: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class GoalEventRow(Base):
    """A goal's history: every change and comment, by whom and when."""

    __tablename__ = "goal_events"
    __table_args__ = (Index("ix_goal_events_goal", "goal_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id"))
    team_id: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(20))
    old: Mapped[str | None] = mapped_column(String(200))
    new: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class CheckinGoalRow(Base):
    """A goal's status as set from a weekly check-in: the check-in record of that goal."""

    __tablename__ = "checkin_goals"
    __table_args__ = (UniqueConstraint("checkin_id", "goal_id", name="uq_checkin_goals_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id"))
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id"))
    status: Mapped[str] = mapped_column(String(10))
    progress: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class TeamRow(Base):
    """A team: its leads get its digest (or its channel does)."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("team_id", "name_key", name="uq_teams_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(80))
    channel_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TeamPersonRow(Base):
    """A lead or member of a team."""

    __tablename__ = "team_people"
    __table_args__ = (
        UniqueConstraint("group_id", "user_id", "role", name="uq_team_people_role"),
        Index("ix_team_people_user", "team_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    group_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    user_id: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(8))


class SlackInstallationRow(Base):
    """A workspace's OAuth install: the latest one wins. Tokens are stored encrypted only."""

    __tablename__ = "slack_installations"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    team_name: Mapped[str | None] = mapped_column(String(255))
    app_id: Mapped[str | None] = mapped_column(String(32))
    bot_id: Mapped[str | None] = mapped_column(String(32))
    bot_user_id: Mapped[str | None] = mapped_column(String(32))
    bot_scopes: Mapped[str] = mapped_column(Text, default="")
    bot_token_encrypted: Mapped[str] = mapped_column(Text)
    installer_user_id: Mapped[str | None] = mapped_column(String(32))
    user_scopes: Mapped[str] = mapped_column(Text, default="")
    user_token_encrypted: Mapped[str | None] = mapped_column(Text)
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OAuthStateRow(Base):
    """A one-time OAuth `state`, issued by /slack/install and consumed by the redirect.

    The one table without team_id: the state exists before Slack says which workspace installs.
    """

    __tablename__ = "oauth_states"

    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
