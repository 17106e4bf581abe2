"""Matches, matching rounds and match history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.matches import (
    OPEN_STATES,
    RECENCY_STATES,
    Match,
    MatchEvent,
    MatchRound,
    MatchSource,
    MatchState,
    NewMatch,
    RoundState,
    Unmatched,
)
from storage.models import MatchEventRow, MatchRoundRow, MatchRow

OPEN = [state.value for state in OPEN_STATES]
UPDATE_BATCH = 900
"""Ids per UPDATE ... IN (...): below SQLite's limit on bound parameters."""


class SqlMatchRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # Rounds

    def add_round(
        self,
        *,
        team_id: str,
        created_by: str,
        at: datetime,
        total_score: int,
        unmatched: Sequence[Unmatched],
    ) -> MatchRound:
        row = MatchRoundRow(
            team_id=team_id,
            state=RoundState.PREVIEW.value,
            created_by=created_by,
            created_at=at,
            total_score=total_score,
            unmatched=[{"mentee_id": u.mentee_id, "reason": u.reason} for u in unmatched],
        )
        self._session.add(row)
        self._session.flush()
        return _to_round(row)

    def get_round(self, team_id: str, round_id: int) -> MatchRound | None:
        row = self._session.get(MatchRoundRow, round_id)
        return _to_round(row) if row is not None and row.team_id == team_id else None

    def previewed_rounds(self, team_id: str) -> list[MatchRound]:
        query = select(MatchRoundRow).where(
            MatchRoundRow.team_id == team_id, MatchRoundRow.state == RoundState.PREVIEW.value
        )
        return [_to_round(row) for row in self._session.scalars(query)]

    def decide_round(
        self, team_id: str, round_id: int, state: RoundState, *, by: str, at: datetime
    ) -> bool:
        """Preview -> approved or discarded, once: False when someone else decided first."""
        result = self._session.execute(
            update(MatchRoundRow)
            .where(
                MatchRoundRow.id == round_id,
                MatchRoundRow.team_id == team_id,
                MatchRoundRow.state == RoundState.PREVIEW.value,
            )
            .values(state=state.value, decided_by=by, decided_at=at)
        )
        return result.rowcount == 1

    # Matches

    def add(self, new: NewMatch, *, at: datetime, actor: str | None) -> Match | None:
        """Store a match and its first event; None if the mentee already has an open match."""
        row = MatchRow(**_new_values(new, at))
        try:
            with self._session.begin_nested():
                self._session.add(row)
                self._session.flush()
        except IntegrityError:
            return None
        self._add_event(row, actor=actor, note=None, at=at)
        return _to_match(row)

    def add_proposed(self, news: Iterable[NewMatch], *, at: datetime, actor: str) -> int:
        """A round's proposals and their first events: bulk inserts, not one row at a time."""
        values = [_new_values(replace(new, state=MatchState.PROPOSED), at) for new in news]
        if not values:
            return 0
        ids = self._session.scalars(
            insert(MatchRow).returning(MatchRow.id, sort_by_parameter_order=True), values
        ).all()
        self._session.execute(
            insert(MatchEventRow),
            [
                {
                    "team_id": row["team_id"],
                    "match_id": match_id,
                    "state": MatchState.PROPOSED.value,
                    "actor": actor,
                    "note": None,
                    "at": at,
                }
                for match_id, row in zip(ids, values, strict=True)
            ],
        )
        return len(ids)

    def request_round(
        self,
        team_id: str,
        round_id: int,
        *,
        at: datetime,
        actor: str,
        expires_at: datetime,
        discard: Mapping[int, str],
    ) -> list[Match] | None:
        """Turn a round's proposals into requests in a few statements (a round can hold
        thousands). Proposals in `discard` (id -> why), and those whose mentee has an open match
        by now, are discarded. None when a mentee's open match appeared while this ran (the
        unique index refused): nothing changed.
        """
        proposed = [m for m in self.in_round(team_id, round_id) if m.state is MatchState.PROPOSED]
        taken = self.mentees_with_open_match(team_id)
        why = {m.id: discard[m.id] for m in proposed if m.id in discard} | {
            m.id: "the mentee already had an open match" for m in proposed if m.mentee_id in taken
        }
        asked = [m for m in proposed if m.id not in why]
        try:
            with self._session.begin_nested():
                self._set_states(asked, MatchState.REQUESTED, at=at, expires_at=expires_at)
        except IntegrityError:
            return None
        for note in set(why.values()):
            dropped = [m for m in proposed if why.get(m.id) == note]
            self._set_states(dropped, MatchState.DISCARDED, at=at, note=note)
        events = [
            {"team_id": team_id, "match_id": m.id, "actor": actor, "at": at}
            | (
                {"state": MatchState.DISCARDED.value, "note": why[m.id]}
                if m.id in why
                else {"state": MatchState.REQUESTED.value, "note": None}
            )
            for m in proposed
        ]
        if events:
            self._session.execute(insert(MatchEventRow), events)
        return [
            replace(m, state=MatchState.REQUESTED, expires_at=expires_at, updated_at=at)
            for m in asked
        ]

    def _set_states(
        self,
        matches: Sequence[Match],
        state: MatchState,
        *,
        at: datetime,
        expires_at: datetime | None = None,
        note: str | None = None,
    ) -> None:
        ids = [m.id for m in matches]
        for start in range(0, len(ids), UPDATE_BATCH):
            self._session.execute(
                update(MatchRow)
                .where(
                    MatchRow.id.in_(ids[start : start + UPDATE_BATCH]),
                    MatchRow.state == MatchState.PROPOSED.value,
                )
                .values(state=state.value, updated_at=at, expires_at=expires_at, note=note)
                .execution_options(synchronize_session=False)
            )

    def get(self, team_id: str, match_id: int) -> Match | None:
        row = self._session.get(MatchRow, match_id)
        return _to_match(row) if row is not None and row.team_id == team_id else None

    def change(
        self,
        match: Match,
        to: MatchState,
        *,
        at: datetime,
        actor: str | None,
        note: str | None = None,
        expires_at: datetime | None = None,
    ) -> Match | None:
        """Move a match on from the state it was read in; None if it moved on meanwhile (an
        accept racing the expiry, two clicks at once) or the mentee's slot is taken."""
        values: dict[str, object] = {"state": to.value, "updated_at": at, "expires_at": expires_at}
        if note is not None:
            values["note"] = note
        try:
            with self._session.begin_nested():
                result = self._session.execute(
                    update(MatchRow)
                    .where(
                        MatchRow.id == match.id,
                        MatchRow.team_id == match.team_id,
                        MatchRow.state == match.state.value,
                    )
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
        except IntegrityError:
            return None
        if result.rowcount != 1:
            return None
        row = self._session.get(MatchRow, match.id, populate_existing=True)
        assert row is not None
        self._add_event(row, actor=actor, note=note, at=at)
        return _to_match(row)

    def in_round(self, team_id: str, round_id: int) -> list[Match]:
        query = (
            select(MatchRow)
            .where(MatchRow.team_id == team_id, MatchRow.round_id == round_id)
            .order_by(MatchRow.score.desc(), MatchRow.id)
        )
        return [_to_match(row) for row in self._session.scalars(query)]

    def open_for(self, team_id: str, user_id: str) -> list[Match]:
        """Open matches where the person is the mentor or the mentee."""
        query = (
            select(MatchRow)
            .where(
                MatchRow.team_id == team_id,
                MatchRow.state.in_(OPEN),
                (MatchRow.mentor_id == user_id) | (MatchRow.mentee_id == user_id),
            )
            .order_by(MatchRow.created_at, MatchRow.id)
        )
        return [_to_match(row) for row in self._session.scalars(query)]

    def open_counts(self, team_id: str) -> dict[str, int]:
        """How many open matches each mentor has (their used capacity)."""
        query = (
            select(MatchRow.mentor_id, func.count())
            .where(MatchRow.team_id == team_id, MatchRow.state.in_(OPEN))
            .group_by(MatchRow.mentor_id)
        )
        return {mentor: count for mentor, count in self._session.execute(query)}

    def accepted_pairs(self, team_id: str) -> list[tuple[str, str]]:
        """(mentor, mentee) of every active match."""
        query = select(MatchRow.mentor_id, MatchRow.mentee_id).where(
            MatchRow.team_id == team_id, MatchRow.state == MatchState.ACCEPTED.value
        )
        return [(mentor, mentee) for mentor, mentee in self._session.execute(query)]

    def mentees_with_open_match(self, team_id: str) -> set[str]:
        query = select(MatchRow.mentee_id).where(
            MatchRow.team_id == team_id, MatchRow.state.in_(OPEN)
        )
        return set(self._session.scalars(query))

    def recent_pairs(self, team_id: str, since: datetime) -> frozenset[tuple[str, str]]:
        """(mentor, mentee) pairs that ended, were declined or expired since then."""
        query = select(MatchRow.mentor_id, MatchRow.mentee_id).where(
            MatchRow.team_id == team_id,
            MatchRow.state.in_([state.value for state in RECENCY_STATES]),
            MatchRow.updated_at >= since,
        )
        return frozenset((mentor, mentee) for mentor, mentee in self._session.execute(query))

    def requests_due(self, now: datetime, team_id: str | None = None) -> list[Match]:
        """Requests whose mentor did not answer in time: in one workspace, or (for the scheduler)
        in every workspace."""
        query = (
            select(MatchRow)
            .where(MatchRow.state == MatchState.REQUESTED.value, MatchRow.expires_at <= now)
            .order_by(MatchRow.expires_at, MatchRow.id)
        )
        if team_id is not None:
            query = query.where(MatchRow.team_id == team_id)
        return [_to_match(row) for row in self._session.scalars(query)]

    def events(self, team_id: str, match_id: int) -> list[MatchEvent]:
        query = (
            select(MatchEventRow)
            .where(MatchEventRow.team_id == team_id, MatchEventRow.match_id == match_id)
            .order_by(MatchEventRow.id)
        )
        return [_to_event(row) for row in self._session.scalars(query)]

    def history(self, team_id: str, *, limit: int) -> list[tuple[Match, MatchEvent]]:
        """The program's latest match events, newest first."""
        query = (
            select(MatchEventRow, MatchRow)
            .join(MatchRow, MatchRow.id == MatchEventRow.match_id)
            .where(MatchEventRow.team_id == team_id)
            .order_by(MatchEventRow.id.desc())
            .limit(limit)
        )
        return [
            (_to_match(match), _to_event(event)) for event, match in self._session.execute(query)
        ]

    def _add_event(
        self, row: MatchRow, *, actor: str | None, note: str | None, at: datetime
    ) -> None:
        self._session.add(
            MatchEventRow(
                team_id=row.team_id, match_id=row.id, state=row.state, actor=actor, note=note, at=at
            )
        )


def _new_values(new: NewMatch, at: datetime) -> dict[str, object]:
    return {
        "team_id": new.team_id,
        "mentor_id": new.mentor_id,
        "mentee_id": new.mentee_id,
        "state": new.state.value,
        "source": new.source.value,
        "score": new.score,
        "reasons": list(new.reasons),
        "round_id": new.round_id,
        "expires_at": new.expires_at,
        "created_at": at,
        "updated_at": at,
    }


def _to_match(row: MatchRow) -> Match:
    return Match(
        id=row.id,
        team_id=row.team_id,
        mentor_id=row.mentor_id,
        mentee_id=row.mentee_id,
        state=MatchState(row.state),
        source=MatchSource(row.source),
        score=row.score,
        reasons=tuple(row.reasons),
        created_at=row.created_at,
        updated_at=row.updated_at,
        round_id=row.round_id,
        expires_at=row.expires_at,
        note=row.note,
    )


def _to_round(row: MatchRoundRow) -> MatchRound:
    return MatchRound(
        id=row.id,
        team_id=row.team_id,
        state=RoundState(row.state),
        created_by=row.created_by,
        created_at=row.created_at,
        total_score=row.total_score,
        unmatched=tuple(Unmatched(u["mentee_id"], u["reason"]) for u in row.unmatched),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


def _to_event(row: MatchEventRow) -> MatchEvent:
    return MatchEvent(
        match_id=row.match_id,
        state=MatchState(row.state),
        at=row.at,
        actor=row.actor,
        note=row.note,
    )
