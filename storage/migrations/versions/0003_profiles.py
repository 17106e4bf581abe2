"""Mentoring profiles: one per workspace member.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("background", sa.String(length=40), nullable=False),
        sa.Column("track", sa.String(length=40), nullable=False),
        sa.Column("skills_offered", sa.JSON(), nullable=False),
        sa.Column("skills_wanted", sa.JSON(), nullable=False),
        sa.Column("move_from", sa.String(length=40), nullable=True),
        sa.Column("move_to", sa.String(length=40), nullable=True),
        sa.Column("work_start_minute", sa.Integer(), nullable=False),
        sa.Column("work_end_minute", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("org_unit", sa.String(length=100), nullable=True),
        sa.Column("manager_id", sa.String(length=32), nullable=True),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_profiles")),
    )


def downgrade() -> None:
    op.drop_table("profiles")
