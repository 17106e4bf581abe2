"""Fixtures shared by every layer: real databases on both backends, a controllable clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from storage.db import create_db_engine
from storage.migrate import upgrade_to_head
from tests.support.clock import FakeClock
from tests.support.databases import (
    PostgresServer,
    postgres_admin_url,
    postgres_unavailable,
    truncate_all,
)
from tests.support.fake_slack import FakeSlack
from tests.support.manifest import bot_scopes, uncovered_methods

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer(postgres_admin_url())
    try:
        server.check()
    except Exception as error:  # any connection failure: skip off CI, fail on CI
        postgres_unavailable(str(error).splitlines()[0])
    yield server
    server.drop_all()


@pytest.fixture(scope="session")
def migrated_postgres_url(postgres_server: PostgresServer) -> str:
    """One fresh database per test run (per xdist worker), migrated to head once."""
    url = postgres_server.create_database()
    engine = create_db_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    return url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A migrated, empty database: a new SQLite file, or the run's PostgreSQL database emptied."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'mentor_bot.db'}"
        engine = create_db_engine(url)
        upgrade_to_head(engine)
    else:
        url = request.getfixturevalue("migrated_postgres_url")
        engine = create_db_engine(url)
        truncate_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """Slack's Web API on loopback; after each test, every method called must be in the manifest."""
    with FakeSlack() as fake:
        fake.add_user("U111", name="minji", tz="Asia/Seoul", tz_offset=32400, locale="ko-KR")
        fake.add_user("U222", name="alex", tz="America/New_York", tz_offset=-18000, locale="en-US")
        yield fake
        called = {call.method for call in fake.calls}
    missing = uncovered_methods(called, bot_scopes())
    assert not missing, f"manifest.yml lacks a scope for: {missing}"
