"""INSERT ... ON CONFLICT for whichever backend the session talks to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def dialect_insert(session: Session) -> Callable[..., Any]:
    """`postgresql.insert` or `sqlite.insert`: both offer on_conflict_do_nothing / _do_update."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
