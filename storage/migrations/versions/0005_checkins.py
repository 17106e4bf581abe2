"""Weekly check-ins, the DM messages taken as answers, and each person's own check-in time.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 00:39:50.442868
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("profiles", sa.Column("checkin_weekday", sa.Integer(), nullable=True))
    op.add_column("profiles", sa.Column("checkin_minute", sa.Integer(), nullable=True))
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("week", sa.String(length=10), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("skip_reason", sa.String(length=24), nullable=True),
        sa.Column("due_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("week_ends_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("progress", sa.Text(), nullable=False),
        sa.Column("blockers", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Integer(), nullable=True),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("share_with_mentor", sa.Boolean(), nullable=False),
        sa.Column("share_with_lead", sa.Boolean(), nullable=False),
        sa.Column("answered_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
        sa.UniqueConstraint("team_id", "user_id", "week", name="uq_checkins_person_week"),
    )
    op.create_index("ix_checkins_open", "checkins", ["state", "week_ends_at"])

    op.create_table(
        "checkin_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["checkin_id"], ["checkins.id"], name=op.f("fk_checkin_replies_checkin_id_checkins")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_replies")),
        sa.UniqueConstraint("team_id", "channel", "ts", name="uq_checkin_replies_msg"),
    )


def downgrade() -> None:
    op.drop_table("checkin_replies")
    op.drop_index("ix_checkins_open", table_name="checkins")
    op.drop_table("checkins")
    with op.batch_alter_table("profiles") as batch_op:
        batch_op.drop_column("checkin_minute")
        batch_op.drop_column("checkin_weekday")
