"""What the services need from the world. Storage and the Slack gateway implement these."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol

from bot.domain.members import Member, SlackUser


class MemberRepository(Protocol):
    def get(self, team_id: str, user_id: str) -> Member | None: ...

    def save(self, member: Member) -> None:
        """Insert or update by (team_id, user_id)."""
        ...


class UnitOfWork(Protocol):
    members: MemberRepository

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    def commit(self) -> None: ...

    def ping(self) -> None:
        """Raise if the database does not answer."""
        ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


class SlackDirectory(Protocol):
    """Who a Slack user is (users.info)."""

    def fetch_user(self, team_id: str, user_id: str) -> SlackUser: ...
