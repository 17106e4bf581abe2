"""The delivery engine's use cases: queue messages once, send them once, explain what happened."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain.deliveries import (
    MAX_SEND_ATTEMPTS,
    Delivery,
    DeliveryState,
    NewDelivery,
    Posted,
    RateLimited,
    Transition,
    backoff,
    transition_after,
)
from bot.domain.match_messages import is_group_recipient
from bot.domain.members import Member
from bot.domain.pacing import Pacer
from bot.services.members import MemberService
from bot.services.ports import MessageSender, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

CLAIM_BATCH = 20
MAX_HOLD_WAIT = 10.0
"""Seconds a dispatch run waits for a 429 hold to end before leaving the rest to a later run."""
STALE_REASON = "stale: its time had passed before it could be sent"
CLAIMABLE = (DeliveryState.PENDING, DeliveryState.IN_DOUBT)


class DeliveryService:
    """Queueing deliveries and listing them for admins."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def enqueue(self, deliveries: Iterable[NewDelivery]) -> int:
        """Create each delivery unless its key exists; returns how many were new."""
        with self._uow() as uow:
            created = self.enqueue_in(uow, deliveries)
            uow.commit()
        return created

    def enqueue_in(self, uow: UnitOfWork, deliveries: Iterable[NewDelivery]) -> int:
        """The same, inside the caller's unit of work: the messages are queued if and only if
        the change they announce is committed."""
        return uow.deliveries.add_all_if_absent(list(deliveries), self._clock.now())

    def list(
        self, *, state: DeliveryState | None = None, since: datetime | None = None, limit: int = 100
    ) -> list[Delivery]:
        with self._uow() as uow:
            return uow.deliveries.list(state=state, since=since, limit=limit)

    def counts(self) -> dict[DeliveryState, int]:
        with self._uow() as uow:
            return uow.deliveries.count_by_state()


@dataclass
class DispatchReport:
    outcomes: dict[DeliveryState, int] = field(default_factory=dict)
    released: int = 0

    def add(self, state: DeliveryState) -> None:
        self.outcomes[state] = self.outcomes.get(state, 0) + 1

    @property
    def attempted(self) -> int:
        return sum(self.outcomes.values())


class Dispatcher:
    """Claims due deliveries, sends them through the MessageSender, records each outcome.

    Only the scheduler-lease holder runs it, so one dispatcher is active at a time; the claim
    (SKIP LOCKED) and the per-worker conditional updates keep the ledger right even if two ran.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        sender: MessageSender,
        members: MemberService,
        clock: Clock,
        pacer: Pacer,
        worker: str,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self._uow = uow
        self._sender = sender
        self._members = members
        self._clock = clock
        self._pacer = pacer
        self.worker = worker
        self._monotonic = monotonic
        self._rng = rng or random.Random()
        # Claims an exception (a database outage) left behind: applied on the next run.
        self._stranded_in_doubt: set[int] = set()
        self._stranded_unsent: set[int] = set()

    def adopt_orphans(self) -> int:
        """Claims held by a dead dispatcher: it may have posted them, so they become in doubt."""
        now = self._clock.now()
        with self._uow() as uow:
            orphans = uow.deliveries.orphaned_claims(worker=self.worker)
            adopted = uow.deliveries.mark_in_doubt(
                orphans, now=now, reason="the process sending it stopped; checking Slack first"
            )
            uow.commit()
        if adopted:
            log.warning("%s deliveries were claimed by a stopped process; verifying them", adopted)
        return adopted

    def dispatch_due(
        self,
        stop: threading.Event | None = None,
        max_batches: int | None = None,
        still_leading: Callable[[], bool] = lambda: True,
    ) -> DispatchReport:
        """Send what is due, batch by batch, until nothing is due, `stop` is set, or this process
        no longer holds the scheduler lease (checked between batches)."""
        stop = stop or threading.Event()
        report = DispatchReport()
        self._return_stranded_claims()
        batches = 0
        waited_out_hold = False
        while not stop.is_set() and (max_batches is None or batches < max_batches):
            if batches and not still_leading():
                break
            batch, hold = self._claim_batch()
            if not batch:
                # A workspace under a 429 hold that ends soon: wait it out here rather than
                # until the next dispatch run, so a Retry-After of 1 s costs 1 s.
                if hold is None or waited_out_hold or hold > MAX_HOLD_WAIT or stop.wait(hold):
                    break
                waited_out_hold = True
                continue
            waited_out_hold = False
            batches += 1
            self._send_batch(batch, stop, report)
        return report

    def _return_stranded_claims(self) -> None:
        """After an error mid-batch (say, the database went away): the delivery being sent may
        have gone out, so it is verified; the ones after it were never tried, so they queue."""
        if not (self._stranded_in_doubt or self._stranded_unsent):
            return
        now = self._clock.now()
        with self._uow() as uow:
            uow.deliveries.mark_in_doubt(
                sorted(self._stranded_in_doubt),
                now=now,
                reason="an error interrupted its send; checking Slack first",
            )
            uow.deliveries.release(worker=self.worker, now=now, ids=sorted(self._stranded_unsent))
            uow.commit()
        self._stranded_in_doubt.clear()
        self._stranded_unsent.clear()

    def _claim_batch(self) -> tuple[list[Delivery], float | None]:
        """Due deliveries for this worker, and seconds until the soonest 429 hold ends."""
        now = self._clock.now()
        with self._uow() as uow:
            uow.deliveries.skip_stale(now=now, reason=STALE_REASON)
            throttled = uow.deliveries.throttled_teams(now)
            batch = uow.deliveries.claim_due(
                now=now,
                worker=self.worker,
                limit=CLAIM_BATCH,
                states=CLAIMABLE,
                skip_teams=throttled,
            )
            uow.commit()
        hold = min(throttled.values(), default=None)
        return batch, (hold - now).total_seconds() if hold else None

    def _send_batch(
        self, batch: list[Delivery], stop: threading.Event, report: DispatchReport
    ) -> None:
        throttled: set[str] = set()
        for index, delivery in enumerate(batch):
            try:
                if stop.is_set() or delivery.key.team_id in throttled:
                    report.released += self._release([delivery])
                    if stop.is_set():
                        report.released += self._release(batch[index + 1 :])
                        return
                    continue
                state = self._process(delivery, stop)
                if state is None:  # stopping while waiting for a send slot
                    report.released += self._release(batch[index:])
                    return
                report.add(state)
                if state is DeliveryState.PENDING and self._is_throttled(delivery.key.team_id):
                    throttled.add(delivery.key.team_id)
            except Exception:
                self._stranded_in_doubt.add(delivery.id)
                self._stranded_unsent.update(d.id for d in batch[index + 1 :])
                raise

    def _process(self, delivery: Delivery, stop: threading.Event) -> DeliveryState | None:
        now = self._clock.now()
        if delivery.in_doubt_since is not None:
            settled = self._settle_doubt(delivery, now)
            if settled is not None:
                return self._finish(delivery, settled)
        if delivery.is_stale(now):
            return self._finish(
                delivery,
                Transition(
                    DeliveryState.SKIPPED,
                    now,
                    reason=STALE_REASON,
                ),
            )
        recipient = self._recipient(delivery)
        if recipient is not None and (recipient.is_deleted or recipient.is_bot):
            why = "deactivated in Slack" if recipient.is_deleted else "a bot"
            return self._finish(
                delivery,
                Transition(DeliveryState.SKIPPED, now, reason=f"skipped: the recipient is {why}"),
            )
        wait = self._pacer.reserve(delivery.key.team_id, delivery.key.recipient, self._monotonic())
        if wait > 0 and stop.wait(wait):
            return None
        language = recipient.language if recipient else "en"
        outcome = self._sender.post(delivery, language)
        now = self._clock.now()
        if isinstance(outcome, RateLimited):
            self._throttle(delivery.key.team_id, now + outcome.retry_after, outcome.retry_after)
        return self._finish(delivery, transition_after(outcome, delivery, now, self._rng))

    def _settle_doubt(self, delivery: Delivery, now: datetime) -> Transition | None:
        """Look for the uncertain post in Slack; None means "not there: send it"."""
        try:
            found = self._sender.find_posted(delivery)
        except Exception as error:  # the check itself failed: stay in doubt, try again later
            log.warning("could not check delivery %s in Slack: %s", delivery.id, error)
            return Transition(
                DeliveryState.IN_DOUBT,
                now,
                error=f"check failed: {error}",
                next_attempt_at=now + backoff(delivery.attempts, self._rng),
            )
        if isinstance(found, Posted):
            return Transition(
                DeliveryState.SENT,
                now,
                posted=found,
                reason="found in Slack after an uncertain attempt",
            )
        if delivery.attempts >= MAX_SEND_ATTEMPTS:
            return Transition(
                DeliveryState.FAILED,
                now,
                reason=(
                    f"gave up after {delivery.attempts} uncertain attempts; none reached Slack"
                ),
            )
        return None

    def _recipient(self, delivery: Delivery) -> Member | None:
        recipient = delivery.key.recipient
        if not recipient.startswith(("U", "W")) or is_group_recipient(recipient):
            return None  # a channel or a group DM, not one person
        try:
            return self._members.sync_from_slack(delivery.key.team_id, delivery.key.recipient)
        except Exception as error:  # Slack could not describe them: send anyway, Slack decides
            log.warning("could not refresh recipient %s: %s", delivery.key.recipient, error)
            return self._members.get_member(delivery.key.team_id, delivery.key.recipient)

    def _finish(self, delivery: Delivery, change: Transition) -> DeliveryState:
        with self._uow() as uow:
            applied = uow.deliveries.finish(delivery.id, worker=self.worker, change=change)
            uow.commit()
        if not applied:
            log.warning("delivery %s was no longer claimed by %s", delivery.id, self.worker)
        elif change.state in (DeliveryState.FAILED, DeliveryState.SKIPPED):
            log.info("delivery %s %s: %s", delivery.id, change.state.value, change.reason)
        return change.state

    def _release(self, deliveries: list[Delivery]) -> int:
        if not deliveries:
            return 0
        with self._uow() as uow:
            released = uow.deliveries.release(
                worker=self.worker, now=self._clock.now(), ids=[d.id for d in deliveries]
            )
            uow.commit()
        return released

    def _throttle(self, team_id: str, until: datetime, wait: timedelta) -> None:
        self._pacer.hold_team(team_id, self._monotonic() + wait.total_seconds())
        with self._uow() as uow:
            uow.deliveries.throttle_team(team_id, until)
            uow.commit()
        log.warning("Slack rate-limited workspace %s for %.0f s", team_id, wait.total_seconds())

    def _is_throttled(self, team_id: str) -> bool:
        with self._uow() as uow:
            return team_id in uow.deliveries.throttled_teams(self._clock.now())
