"""The schema comes only from Alembic, on both backends, and matches the models."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Engine, MetaData, String, inspect, select

from storage.db import create_db_engine, create_session_factory
from storage.migrate import alembic_config, schema_status, upgrade_to_head
from storage.models import Base, MemberRow
from tests.conftest import BACKENDS


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        url = request.getfixturevalue("postgres_server").create_database("mentor_bot_migration")
    engine = create_db_engine(url)
    yield engine
    engine.dispose()


def drift(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_upgrade_from_empty_reaches_head_with_no_drift_from_the_models(empty_engine):
    assert not schema_status(empty_engine).up_to_date

    upgrade_to_head(empty_engine)

    assert schema_status(empty_engine).up_to_date
    assert drift(empty_engine) == []
    assert set(inspect(empty_engine).get_table_names()) >= set(Base.metadata.tables)


def test_drift_is_detected_when_a_model_column_has_no_migration(empty_engine):
    upgrade_to_head(empty_engine)
    extra = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(extra)
    extra.tables["members"].append_column(Column("nickname", String(20)))
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, extra) != []


def test_downgrade_to_base_and_back_up_again(empty_engine):
    upgrade_to_head(empty_engine)
    command.downgrade(alembic_config(empty_engine), "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}

    upgrade_to_head(empty_engine)
    assert drift(empty_engine) == []


# Issued before Slack says which workspace installs; holds no workspace data.
BEFORE_ANY_WORKSPACE = {"oauth_states"}


def test_every_table_carries_a_workspace_column():
    for table in Base.metadata.tables.values():
        if table.name not in BEFORE_ANY_WORKSPACE:
            assert "team_id" in table.columns, f"{table.name} has no team_id"


def test_datetimes_come_back_aware_in_utc(empty_engine):
    upgrade_to_head(empty_engine)
    seoul_evening = datetime.fromisoformat("2026-11-27T21:30:00+09:00")
    row = MemberRow(
        team_id="T1",
        user_id="U1",
        is_admin=False,
        is_deleted=False,
        is_bot=False,
        created_at=seoul_evening,
        updated_at=seoul_evening,
    )

    sessions = create_session_factory(empty_engine)
    with sessions() as session:
        session.add(row)
        session.commit()
    with sessions() as session:
        stored = session.scalars(select(MemberRow)).one()

    assert stored.created_at == datetime(2026, 11, 27, 12, 30, tzinfo=UTC)
    assert stored.created_at.tzinfo is UTC


def test_a_naive_datetime_is_refused_rather_than_guessed(empty_engine):
    upgrade_to_head(empty_engine)
    naive = datetime(2026, 11, 27, 12, 30)

    with create_session_factory(empty_engine)() as session:
        session.add(
            MemberRow(
                team_id="T1",
                user_id="U1",
                is_admin=False,
                is_deleted=False,
                is_bot=False,
                created_at=naive,
                updated_at=naive,
            )
        )
        with pytest.raises(Exception, match="naive datetime"):
            session.commit()
