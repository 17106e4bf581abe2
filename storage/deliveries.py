"""The delivery ledger in SQL: idempotent creation, claiming due rows, recording outcomes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.orm import Session

from bot.domain.deliveries import Delivery, DeliveryKey, DeliveryState, NewDelivery, Transition
from storage.models import DeliveryRow, WorkspaceThrottleRow
from storage.upsert import dialect_insert

REASON_CHARS = 500
INSERT_BATCH = 500
"""Rows per INSERT: 12 values each stays far below SQLite's limit on bound parameters."""


def _values(new: NewDelivery, now: datetime) -> dict[str, object]:
    return {
        "team_id": new.key.team_id,
        "recipient": new.key.recipient,
        "kind": new.key.kind,
        "period": new.key.period,
        "state": DeliveryState.PENDING.value,
        "payload": new.payload,
        "attempts": 0,
        "due_at": new.due_at,
        "next_attempt_at": new.due_at,
        "expires_at": new.expires_at,
        "created_at": now,
        "updated_at": now,
    }


class SqlDeliveryRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # creating

    def add_if_absent(self, new: NewDelivery, now: datetime) -> bool:
        """Insert unless a delivery with the same key exists; True when this call created it."""
        return self.add_all_if_absent([new], now) == 1

    def add_all_if_absent(self, news: Sequence[NewDelivery], now: datetime) -> int:
        """The same for many, a few statements in all; returns how many were created."""
        insert = dialect_insert(self._session)
        created = 0
        for start in range(0, len(news), INSERT_BATCH):
            statement = (
                insert(DeliveryRow)
                .values([_values(new, now) for new in news[start : start + INSERT_BATCH]])
                .on_conflict_do_nothing(index_elements=["team_id", "recipient", "kind", "period"])
                .returning(DeliveryRow.id)
            )
            created += len(self._session.execute(statement).all())
        return created

    # reading

    def get(self, delivery_id: int) -> Delivery | None:
        row = self._session.get(DeliveryRow, delivery_id)
        return _to_delivery(row) if row else None

    def find(self, key: DeliveryKey) -> Delivery | None:
        row = self._session.scalars(_by_key(key)).one_or_none()
        return _to_delivery(row) if row else None

    def list(
        self,
        *,
        state: DeliveryState | None = None,
        since: datetime | None = None,
        team_id: str | None = None,
        limit: int = 100,
    ) -> list[Delivery]:
        query = select(DeliveryRow).order_by(DeliveryRow.due_at.desc(), DeliveryRow.id.desc())
        if state is not None:
            query = query.where(DeliveryRow.state == state.value)
        if since is not None:
            query = query.where(DeliveryRow.due_at >= since)
        if team_id is not None:
            query = query.where(DeliveryRow.team_id == team_id)
        return [_to_delivery(row) for row in self._session.scalars(query.limit(limit))]

    def count_by_state(self) -> dict[DeliveryState, int]:
        rows = self._session.execute(
            select(DeliveryRow.state, func.count()).group_by(DeliveryRow.state)
        )
        return {DeliveryState(state): count for state, count in rows}

    # claiming

    def claim_due(
        self,
        *,
        now: datetime,
        worker: str,
        limit: int,
        states: Sequence[DeliveryState],
        skip_teams: Iterable[str] = (),
    ) -> list[Delivery]:
        """Claim up to `limit` due rows in `states` for `worker`.

        PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, so concurrent claimers never get the same
        row. SQLite has a single writer; the conditional UPDATE still refuses a row someone else
        claimed first.
        """
        query = (
            select(DeliveryRow.id)
            .where(
                DeliveryRow.state.in_([state.value for state in states]),
                DeliveryRow.next_attempt_at <= now,
            )
            .order_by(DeliveryRow.next_attempt_at, DeliveryRow.id)
            .limit(limit)
        )
        skip = list(skip_teams)
        if skip:
            query = query.where(DeliveryRow.team_id.not_in(skip))
        if self._session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        ids = list(self._session.scalars(query))
        if not ids:
            return []
        claimed = self._session.scalars(
            update(DeliveryRow)
            .where(DeliveryRow.id.in_(ids), DeliveryRow.state.in_([s.value for s in states]))
            .values(
                state=DeliveryState.CLAIMED.value, claimed_by=worker, claimed_at=now, updated_at=now
            )
            .returning(DeliveryRow.id)
        ).all()
        rows = self._session.scalars(select(DeliveryRow).where(DeliveryRow.id.in_(claimed)))
        return sorted((_to_delivery(row) for row in rows), key=lambda d: (d.next_attempt_at, d.id))

    def orphaned_claims(self, *, worker: str) -> list[int]:
        """Rows claimed by anyone but `worker` (the lease holder): their claimer has died."""
        query = select(DeliveryRow.id).where(
            DeliveryRow.state == DeliveryState.CLAIMED.value, DeliveryRow.claimed_by != worker
        )
        return list(self._session.scalars(query))

    # recording outcomes (each only while the row is still claimed by this worker)

    def finish(self, delivery_id: int, *, worker: str, change: Transition) -> bool:
        """Apply the outcome of one attempt, only if this worker still holds the claim."""
        values: dict[str, object] = {
            "state": change.state.value,
            "claimed_by": None,
            "updated_at": change.at,
        }
        if change.reason is not None:
            values["reason"] = change.reason[:REASON_CHARS]
        if change.error is not None:
            values["last_error"] = change.error[:REASON_CHARS]
        if change.next_attempt_at is not None:
            values["next_attempt_at"] = change.next_attempt_at
        if change.count_attempt:
            values["attempts"] = DeliveryRow.attempts + 1
        if change.posted is not None:
            values["channel"], values["ts"] = change.posted.channel, change.posted.ts
            values["sent_at"] = change.at
        if change.in_doubt:
            values["in_doubt_since"] = change.at
        elif change.state is not DeliveryState.IN_DOUBT:
            values["in_doubt_since"] = None
        result = self._session.execute(
            update(DeliveryRow)
            .where(
                DeliveryRow.id == delivery_id,
                DeliveryRow.state == DeliveryState.CLAIMED.value,
                DeliveryRow.claimed_by == worker,
            )
            .values(**values)
        )
        return result.rowcount == 1

    def mark_in_doubt(self, ids: Sequence[int], *, now: datetime, reason: str) -> int:
        """Claims whose claimer died: the post may have gone out, so verify before resending."""
        if not ids:
            return 0
        result = self._session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id.in_(ids), DeliveryRow.state == DeliveryState.CLAIMED.value)
            .values(
                state=DeliveryState.IN_DOUBT.value,
                claimed_by=None,
                reason=reason,
                in_doubt_since=DeliveryRow.claimed_at,
                next_attempt_at=now,
                updated_at=now,
            )
        )
        return result.rowcount

    def release(self, *, worker: str, now: datetime, ids: Sequence[int]) -> int:
        """Give claimed rows that were never attempted back to the queue."""
        if not ids:
            return 0
        result = self._session.execute(
            update(DeliveryRow)
            .where(
                DeliveryRow.id.in_(ids),
                DeliveryRow.state == DeliveryState.CLAIMED.value,
                DeliveryRow.claimed_by == worker,
            )
            .values(state=DeliveryState.PENDING.value, claimed_by=None, updated_at=now)
        )
        return result.rowcount

    def skip_stale(self, *, now: datetime, reason: str) -> int:
        """Pending or in-doubt-and-never-posted rows past their expiry become skipped."""
        result = self._session.execute(
            update(DeliveryRow)
            .where(
                DeliveryRow.state == DeliveryState.PENDING.value,
                DeliveryRow.expires_at.is_not(None),
                DeliveryRow.expires_at <= now,
            )
            .values(state=DeliveryState.SKIPPED.value, reason=reason, updated_at=now)
        )
        return result.rowcount

    def skip_pending_for_team(self, team_id: str, *, now: datetime, reason: str) -> int:
        result = self._session.execute(
            update(DeliveryRow)
            .where(
                DeliveryRow.team_id == team_id,
                DeliveryRow.state.in_([DeliveryState.PENDING.value, DeliveryState.IN_DOUBT.value]),
            )
            .values(state=DeliveryState.SKIPPED.value, reason=reason, updated_at=now)
        )
        return result.rowcount

    # per-workspace rate limits

    def throttled_teams(self, now: datetime) -> dict[str, datetime]:
        rows = self._session.scalars(
            select(WorkspaceThrottleRow).where(WorkspaceThrottleRow.blocked_until > now)
        )
        return {row.team_id: row.blocked_until for row in rows}

    def throttle_team(self, team_id: str, until: datetime) -> None:
        row = self._session.get(WorkspaceThrottleRow, team_id)
        if row is None:
            self._session.add(WorkspaceThrottleRow(team_id=team_id, blocked_until=until))
        elif row.blocked_until < until:
            row.blocked_until = until

    def forget_throttles(self, now: datetime) -> None:
        self._session.execute(
            delete(WorkspaceThrottleRow).where(WorkspaceThrottleRow.blocked_until <= now)
        )


def _by_key(key: DeliveryKey) -> Select[tuple[DeliveryRow]]:
    return select(DeliveryRow).where(
        DeliveryRow.team_id == key.team_id,
        DeliveryRow.recipient == key.recipient,
        DeliveryRow.kind == key.kind,
        DeliveryRow.period == key.period,
    )


def _to_delivery(row: DeliveryRow) -> Delivery:
    return Delivery(
        id=row.id,
        key=DeliveryKey(row.team_id, row.recipient, row.kind, row.period),
        state=DeliveryState(row.state),
        due_at=row.due_at,
        next_attempt_at=row.next_attempt_at,
        attempts=row.attempts,
        payload=dict(row.payload or {}),
        created_at=row.created_at,
        expires_at=row.expires_at,
        reason=row.reason,
        last_error=row.last_error,
        channel=row.channel,
        ts=row.ts,
        claimed_by=row.claimed_by,
        claimed_at=row.claimed_at,
        in_doubt_since=row.in_doubt_since,
        sent_at=row.sent_at,
    )
