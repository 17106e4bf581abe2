"""Real databases for tests: a SQLite file per test, a fresh PostgreSQL database per test run.

PostgreSQL comes from MENTOR_BOT_TEST_POSTGRES_URL (default: the local server at 127.0.0.1:5432,
database `test`, user `postgres`). Each run creates its own databases next to `test` and drops
them afterwards. Off CI an unreachable server skips the PostgreSQL variants; with CI=true it fails.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from storage.db import create_db_engine
from storage.models import Base

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_admin_url() -> str:
    return os.environ.get("MENTOR_BOT_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def postgres_unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required on CI but unreachable: {reason}")
    pytest.skip(f"PostgreSQL unreachable ({reason}); set MENTOR_BOT_TEST_POSTGRES_URL")


class PostgresServer:
    """Creates and drops whole databases on one server."""

    def __init__(self, admin_url: str) -> None:
        self._admin_url = make_url(admin_url)
        self._admin = create_engine(self._admin_url, isolation_level="AUTOCOMMIT")
        self._created: list[str] = []

    def check(self) -> None:
        with self._admin.connect() as connection:
            connection.execute(text("SELECT 1"))

    def create_database(self, prefix: str = "mentor_bot_test") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self._created.append(name)
        return self._admin_url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self._admin.connect() as connection:
            for name in self._created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._created.clear()
        self._admin.dispose()


def truncate_all(engine: Engine) -> None:
    """Empty every table between tests that share one PostgreSQL database."""
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    if not tables:
        return
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


def sqlite_engine(path: os.PathLike[str] | str) -> Engine:
    return create_db_engine(f"sqlite:///{path}")
