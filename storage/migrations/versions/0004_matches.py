"""Matching rounds, matches and the history of every match.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 00:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("state IN ('requested', 'accepted')")


def upgrade() -> None:
    op.create_table(
        "match_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("total_score", sa.Integer(), nullable=False),
        sa.Column("unmatched", sa.JSON(), nullable=False),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.Column("decided_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_rounds")),
    )
    op.create_table(
        "matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("mentor_id", sa.String(length=32), nullable=False),
        sa.Column("mentee_id", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["match_rounds.id"], name=op.f("fk_matches_round_id_match_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matches")),
    )
    op.create_index("ix_matches_due", "matches", ["state", "expires_at"])
    op.create_index("ix_matches_mentee", "matches", ["team_id", "mentee_id"])
    op.create_index("ix_matches_mentor", "matches", ["team_id", "mentor_id"])
    op.create_index(
        "uq_matches_open_mentee",
        "matches",
        ["team_id", "mentee_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_table(
        "match_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"], ["matches.id"], name=op.f("fk_match_events_match_id_matches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_events")),
    )
    op.create_index("ix_match_events_match", "match_events", ["match_id"])


def downgrade() -> None:
    op.drop_index("ix_match_events_match", table_name="match_events")
    op.drop_table("match_events")
    op.drop_index("uq_matches_open_mentee", table_name="matches")
    op.drop_index("ix_matches_mentor", table_name="matches")
    op.drop_index("ix_matches_mentee", table_name="matches")
    op.drop_index("ix_matches_due", table_name="matches")
    op.drop_table("matches")
    op.drop_table("match_rounds")
