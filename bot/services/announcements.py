"""Admins' announcements: scheduled once, queued as one delivery per member when due."""

from __future__ import annotations

from datetime import datetime

from bot.clock import Clock
from bot.domain.announcements import Announcement, new_announcement
from bot.services.deliveries import DeliveryService
from bot.services.ports import UnitOfWorkFactory


class AnnouncementService:
    def __init__(self, uow: UnitOfWorkFactory, deliveries: DeliveryService, clock: Clock) -> None:
        self._uow = uow
        self._deliveries = deliveries
        self._clock = clock

    def schedule(
        self,
        *,
        team_id: str,
        text: str,
        send_at: datetime | None = None,
        expires_at: datetime | None = None,
        audience: tuple[str, ...] | None = None,
        created_by: str | None = None,
    ) -> Announcement:
        now = self._clock.now()
        announcement = new_announcement(
            team_id=team_id,
            text=text,
            send_at=send_at or now,
            expires_at=expires_at,
            audience=audience,
            created_by=created_by,
            now=now,
        )
        with self._uow() as uow:
            saved = uow.announcements.add(announcement)
            uow.commit()
        return saved

    def queue_due(self, at: datetime) -> int:
        """Tick job: one delivery per recipient for every announcement whose time has come.

        Safe to run twice or from two schedulers: the ledger's keys make the second a no-op.
        Announcements already past their end are still queued; the dispatcher records each
        delivery as skipped (stale) with the reason, so an admin can see why nothing went out.
        """
        with self._uow() as uow:
            due = uow.announcements.due_unqueued(at)
        queued = 0
        for announcement in due:
            recipients = list(announcement.audience or self._everyone(announcement.team_id))
            queued += self._deliveries.enqueue(announcement.deliveries_for(recipients))
            with self._uow() as uow:
                uow.announcements.mark_queued(announcement.id, at)  # type: ignore[arg-type]
                uow.commit()
        return queued

    def _everyone(self, team_id: str) -> list[str]:
        with self._uow() as uow:
            return [member.user_id for member in uow.members.active_humans(team_id)]
