"""Is the bot able to serve? Used by GET /healthz."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.services.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HealthReport:
    database_ok: bool

    @property
    def ok(self) -> bool:
        return self.database_ok


class HealthService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    def check(self) -> HealthReport:
        try:
            with self._uow() as uow:
                uow.ping()
        except Exception:  # any failure to reach the database means "not healthy"
            log.warning("health check: database did not answer", exc_info=True)
            return HealthReport(database_ok=False)
        return HealthReport(database_ok=True)
