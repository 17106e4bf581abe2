"""Unit of work: one session, one transaction, per service call."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from storage.checkins import SqlCheckinRepository
from storage.deliveries import SqlDeliveryRepository
from storage.digests import SqlDigestRepository
from storage.goals import SqlGoalRepository
from storage.matches import SqlMatchRepository
from storage.privacy import SqlPrivacyRepository
from storage.profiles import SqlProfileRepository
from storage.repositories import SqlAnnouncementRepository, SqlMemberRepository
from storage.teams import SqlTeamRepository


class SqlUnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session], clock: Clock) -> None:
        self._session_factory = session_factory
        self._clock = clock

    def __enter__(self) -> SqlUnitOfWork:
        self._session = self._session_factory()
        self.members = SqlMemberRepository(self._session, self._clock)
        self.deliveries = SqlDeliveryRepository(self._session)
        self.announcements = SqlAnnouncementRepository(self._session)
        self.matches = SqlMatchRepository(self._session)
        self.checkins = SqlCheckinRepository(self._session)
        self.profiles = SqlProfileRepository(self._session)
        self.goals = SqlGoalRepository(self._session)
        self.teams = SqlTeamRepository(self._session)
        self.digests = SqlDigestRepository(self._session)
        self.privacy = SqlPrivacyRepository(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._session.rollback()
        self._session.close()

    def commit(self) -> None:
        self._session.commit()

    def ping(self) -> None:
        self._session.execute(text("SELECT 1"))


class SqlUnitOfWorkFactory:
    """Builds a fresh unit of work for each service call (sessions never cross threads)."""

    def __init__(self, session_factory: sessionmaker[Session], clock: Clock) -> None:
        self._session_factory = session_factory
        self._clock = clock

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._session_factory, self._clock)
