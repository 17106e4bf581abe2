"""Engines: SQLite tuned for a small embedded deployment, PostgreSQL for scale."""

from __future__ import annotations

import threading

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 5000
POOL_SIZE = 24
"""Kept open: 16 listener threads, 4 follow-ups and the scheduler's jobs can all hold one at
once. A smaller pool opened and closed a connection on many requests (bench/ack.py)."""


def create_db_engine(url: str) -> Engine:
    """`hide_parameters`: a database error's message (logged with its ref) never carries the
    values of the statement - a check-in answer, a goal's words."""
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            pool_size=POOL_SIZE,
            max_overflow=10,
            hide_parameters=True,
        )
        event.listen(engine, "connect", _tune_sqlite_connection)
        SqliteWriterGate().install(engine)
        return engine
    engine = create_engine(
        url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=10, hide_parameters=True
    )
    event.listen(engine, "before_cursor_execute", _drop_nul_characters, retval=True)
    return engine


def _drop_nul_characters(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
    """PostgreSQL text cannot hold NUL (U+0000): psycopg refuses the whole statement. Typed
    text keeps every other character; a NUL - which no keyboard types - is dropped from each
    value written or looked up, so a title typed `a<NUL>b` is stored, and found, as `ab`.
    SQLite stores NUL like any character, so its engine passes values through untouched."""
    return statement, _without_nul(parameters)


def _without_nul(value):  # type: ignore[no-untyped-def]
    """Parameters (a dict, a sequence, a list of either for executemany) with NUL removed from
    every string in them."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_without_nul(item) for item in value)
    return value


def _tune_sqlite_connection(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class SqliteWriterGate:
    """One writing transaction at a time in this process.

    SQLite has a single writer anyway; without the gate, threads that collide wait in SQLite's
    busy handler, which sleeps in steps of up to 100 ms and made contended writes take seconds
    (bench/ack.py). Readers are not gated: WAL lets them run beside the writer.
    """

    _READS = ("SELECT", "PRAGMA", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")

    def __init__(self) -> None:
        self._lock = threading.RLock()

    def install(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before_execute)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)
        event.listen(engine.pool, "reset", self._on_reset)

    def _before_execute(self, conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if conn.info.get("writing") or statement.lstrip()[:9].upper().startswith(self._READS):
            return
        self._lock.acquire()
        conn.info["writing"] = True

    def _end(self, conn) -> None:  # type: ignore[no-untyped-def]
        self._release(conn.info)

    def _on_reset(self, _dbapi_connection, record, _reset_state) -> None:  # type: ignore[no-untyped-def]
        self._release(record.info)

    def _release(self, info: dict) -> None:  # type: ignore[type-arg]
        if info.pop("writing", False):
            self._lock.release()


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
