"""Building the delivery engine against a real database and the fake Slack, for tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.bootstrap import build_services
from bot.clock import Clock
from bot.domain.announcements import KIND as ANNOUNCEMENT
from bot.domain.deliveries import METADATA_EVENT_TYPE, Delivery, DeliveryKey, NewDelivery
from bot.services import Services
from tests.support.fake_slack import FakeSlack
from tests.support.running_bot import BOT_TOKEN, test_settings


@dataclass
class LedgerHarness:
    services: Services
    fake_slack: FakeSlack
    clock: Clock

    def enqueue_dm(
        self,
        user_id: str,
        *,
        period: str = "p1",
        text: str = "Hello",
        due_at: datetime | None = None,
        expires_at: datetime | None = None,
        team_id: str = "T111",
    ) -> Delivery:
        key = DeliveryKey(team_id, user_id, ANNOUNCEMENT, period)
        due = due_at or self.clock.now()
        self.services.deliveries.enqueue(
            [NewDelivery(key=key, due_at=due, payload={"text": text}, expires_at=expires_at)]
        )
        found = self.delivery(key)
        assert found is not None
        return found

    def delivery(self, key_or_id: DeliveryKey | int) -> Delivery | None:
        with self.services.deliveries._uow() as uow:
            if isinstance(key_or_id, int):
                return uow.deliveries.get(key_or_id)
            return uow.deliveries.find(key_or_id)

    def posts_of(self, delivery: Delivery) -> list[dict]:
        return self.fake_slack.posts_with_metadata(METADATA_EVENT_TYPE).get(str(delivery.id), [])


def build_engine(
    fake_slack: FakeSlack,
    engine: Engine,
    clock: Clock,
    *,
    send_timeout: float = 2.0,
    send_rate_per_minute: float = 60_000,
    sender_url: str | None = None,
) -> LedgerHarness:
    settings = test_settings(database_url=str(engine.url), slack_api_url=fake_slack.url)
    settings = settings.model_copy(update={"mentor_bot_send_rate_per_minute": send_rate_per_minute})
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.url, timeout=5)
    sender = WebClient(
        token=BOT_TOKEN,
        base_url=sender_url or fake_slack.url,
        timeout=send_timeout,
        retry_handlers=[],
    )
    services = build_services(
        settings, engine=engine, clock=clock, slack_client=client, sender_client=sender
    )
    return LedgerHarness(services=services, fake_slack=fake_slack, clock=clock)


def after(clock_now: datetime, seconds: float) -> datetime:
    return clock_now + timedelta(seconds=seconds)
