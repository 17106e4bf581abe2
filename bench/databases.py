"""Throw-away databases for benchmarks: a SQLite file, or a new PostgreSQL database."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.support.process import mentor_bot


@contextlib.contextmanager
def sqlite_database(workdir: Path, filename: str = "bench.db") -> Iterator[str]:
    yield f"sqlite:///{workdir / filename}"  # mentor-bot migrates SQLite itself


@contextlib.contextmanager
def postgres_database(admin_url: str, env: dict[str, str], workdir: Path) -> Iterator[str]:
    """A new database on the server, migrated with `mentor-bot db upgrade`, dropped at the end."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"bench_{secrets.token_hex(5)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        upgrade = mentor_bot("db", "upgrade", env={**env, "DATABASE_URL": url}, cwd=workdir)
        if upgrade.returncode != 0:
            raise RuntimeError(f"mentor-bot db upgrade failed:\n{upgrade.stderr}")
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
