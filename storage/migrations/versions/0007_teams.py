"""Teams with their leads and members (for progress digests).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 04:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("name_key", sa.String(length=80), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("team_id", "name_key", name="uq_teams_name"),
    )
    op.create_table(
        "team_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["teams.id"], name=op.f("fk_team_people_group_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_people")),
        sa.UniqueConstraint("group_id", "user_id", "role", name="uq_team_people_role"),
    )
    op.create_index("ix_team_people_user", "team_people", ["team_id", "user_id"])


def downgrade() -> None:
    op.drop_index("ix_team_people_user", table_name="team_people")
    op.drop_table("team_people")
    op.drop_table("teams")
