"""The scheduler lease: at most one process at a time runs the scheduler and the dispatcher.

PostgreSQL: a session-level advisory lock, held on one dedicated connection. If the holder dies,
its connection closes and PostgreSQL frees the lock at once. SQLite: an OS file lock beside the
database file, freed by the kernel when the holder dies.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from pathlib import Path
from typing import Protocol

from filelock import FileLock, Timeout
from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)

ADVISORY_LOCK_KEY = 7_236_285_530_115_120_243  # fixed: every mentor-bot process asks for this one


class Lease(Protocol):
    def try_acquire(self) -> bool:
        """True while this process holds the lease (acquiring it if free)."""
        ...

    def release(self) -> None: ...


class PostgresAdvisoryLease:
    def __init__(self, engine: Engine, key: int = ADVISORY_LOCK_KEY) -> None:
        self._engine = engine
        self._key = key
        self._connection: Connection | None = None
        self._lock = threading.Lock()

    def try_acquire(self) -> bool:
        with self._lock:
            if self._connection is not None and self._still_connected(self._connection):
                return True
            connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            acquired = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key}
            ).scalar_one()
            if acquired:
                self._connection = connection
                return True
            connection.close()
            return False

    def release(self) -> None:
        with self._lock:
            if self._connection is None:
                return
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": self._key}
                )
            finally:
                self._connection.close()
                self._connection = None

    def _still_connected(self, connection: Connection) -> bool:
        try:
            connection.execute(text("SELECT 1"))
            return True
        except Exception:  # the server or the network dropped us: the lock is gone with it
            log.warning("lost the scheduler lease: its database connection broke", exc_info=True)
            connection.invalidate()
            self._connection = None
            return False


class FileLease:
    def __init__(self, path: Path) -> None:
        self._lock = FileLock(str(path), thread_local=False)

    def try_acquire(self) -> bool:
        if self._lock.is_locked:
            return True
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        return True

    def release(self) -> None:
        self._lock.release(force=True)


def lease_for(engine: Engine) -> Lease:
    if engine.dialect.name == "postgresql":
        return PostgresAdvisoryLease(engine)
    database = engine.url.database
    if not database or database == ":memory:":
        return FileLease(Path(tempfile.gettempdir()) / f"mentor-bot-{id(engine)}.lease")
    return FileLease(Path(database).with_name(Path(database).name + ".scheduler.lock"))
