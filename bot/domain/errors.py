"""Errors a user can act on. Each carries a message id (translated at the edge) and values."""

from __future__ import annotations

from typing import Any


class UserFacingError(Exception):
    """Something the user asked for cannot be done; `message` is a gettext msgid with {fields}."""

    def __init__(self, message: str, **values: Any) -> None:
        super().__init__(message)
        self.message = message
        self.values = values


class NotAllowed(UserFacingError):
    pass


class InvalidInput(UserFacingError):
    pass
