"""A person's data rights: everything stored about them as a file (`/mentor export`), and all
of it erased (`/mentor delete-my-data`, after a confirmation), their matches ended first with
the usual neutral notice to the other side."""

from __future__ import annotations

import logging
from typing import Any

from bot.clock import Clock
from bot.domain.matches import MatchState
from bot.domain.members import Member
from bot.services.matching import MatchingService
from bot.services.members import MemberService
from bot.services.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)

ENDED_NOTE = "deleted their data"
"""The note on a match ended by a deletion (the other side's notice stays neutral)."""


class PrivacyService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        matching: MatchingService,
        members: MemberService,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._matching = matching
        self._members = members
        self._clock = clock

    def export(self, member: Member) -> dict[str, Any]:
        with self._uow() as uow:
            tables = uow.privacy.export(member.team_id, member.user_id)
        return {
            "exported_at": self._clock.now().isoformat(),
            "workspace": member.team_id,
            "user": member.user_id,
            **tables,
        }

    def delete_everything(self, member: Member) -> int:
        """End their matches (the other side is told), then erase every row about them.
        Returns how many rows went."""
        with self._uow() as uow:
            active = [
                m
                for m in uow.matches.open_for(member.team_id, member.user_id)
                if m.state is MatchState.ACCEPTED
            ]
        for match in active:
            partner = match.mentee_id if match.mentor_id == member.user_id else match.mentor_id
            self._matching.end(member, partner, ENDED_NOTE)
        with self._uow() as uow:
            erased = uow.privacy.erase(member.team_id, member.user_id)
            uow.commit()
        self._members.forget(member.team_id, member.user_id)
        log.info(
            "erased %d rows about %s in %s at their request", erased, member.user_id, member.team_id
        )
        return erased
