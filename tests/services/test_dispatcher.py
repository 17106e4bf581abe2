"""The delivery engine against a real database (both backends) and the fake Slack over HTTP."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from slack_sdk import WebClient

from bot.clock import SystemClock
from bot.domain.announcements import KIND as ANNOUNCEMENT
from bot.domain.deliveries import (
    IN_DOUBT_GRACE,
    MAX_SEND_ATTEMPTS,
    DeliveryKey,
    DeliveryState,
    NewDelivery,
)
from bot.domain.members import SlackUser
from tests.support.fake_slack import FakeSlack
from tests.support.ledger import build_engine

USERS = ["U111", "U222", "U333"]


@pytest.fixture
def ledger(fake_slack, engine, clock):
    for user in USERS[2:]:
        fake_slack.add_user(user, locale="en-US", tz="Europe/Berlin", tz_offset=3600)
    return build_engine(fake_slack, engine, clock)


def test_the_same_delivery_queued_twice_is_stored_once(ledger):
    first = ledger.enqueue_dm("U111")
    second = ledger.enqueue_dm("U111")

    assert first.id == second.id
    assert ledger.services.deliveries.counts() == {DeliveryState.PENDING: 1}


def test_many_deliveries_queue_in_batches_each_key_once(ledger, clock):
    keys = [DeliveryKey("T111", f"U{n:04d}", ANNOUNCEMENT, "p1") for n in range(1_200)]
    news = [NewDelivery(key=key, due_at=clock.now()) for key in keys]

    # More than two batches, with the same key twice in one call and again in a second call.
    assert ledger.services.deliveries.enqueue([*news, news[0]]) == 1_200
    assert ledger.services.deliveries.enqueue(news[:10]) == 0
    assert ledger.services.deliveries.counts() == {DeliveryState.PENDING: 1_200}


def test_a_due_dm_is_posted_once_to_the_user_with_its_id_in_metadata(ledger, fake_slack):
    delivery = ledger.enqueue_dm("U111", text="Matching round opens Monday")

    report = ledger.services.dispatcher.dispatch_due()
    again = ledger.services.dispatcher.dispatch_due()

    assert report.outcomes == {DeliveryState.SENT: 1} and again.attempted == 0
    [post] = fake_slack.calls_to("chat.postMessage")
    assert post.args["channel"] == "U111"
    assert post.args["text"] == "Matching round opens Monday"
    assert post.args["metadata"]["event_payload"]["delivery_id"] == str(delivery.id)
    assert "멘토링 프로그램에서 보내는 공지예요" in str(post.args["blocks"])  # Minji reads Korean
    sent = ledger.delivery(delivery.id)
    assert sent.state is DeliveryState.SENT
    assert (sent.channel, sent.ts) == (fake_slack.dm_channel("U111"), post.response["ts"])
    assert not fake_slack.calls_to("conversations.open")


def test_nothing_is_sent_before_it_is_due(ledger, clock, fake_slack):
    ledger.enqueue_dm("U111", due_at=clock.now() + timedelta(minutes=5))

    assert ledger.services.dispatcher.dispatch_due().attempted == 0
    clock.advance(timedelta(minutes=5))
    assert ledger.services.dispatcher.dispatch_due().outcomes == {DeliveryState.SENT: 1}


def test_429_holds_the_whole_workspace_until_retry_after_then_sends(fake_slack, engine):
    clock = SystemClock()
    ledger = build_engine(fake_slack, engine, clock)
    for user in USERS[2:]:
        fake_slack.add_user(user)
    deliveries = [ledger.enqueue_dm(user) for user in USERS]
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=1)

    report = ledger.services.dispatcher.dispatch_due()

    assert report.outcomes == {DeliveryState.PENDING: 1, DeliveryState.SENT: 3}
    assert report.released == 2  # the rest of the batch went back untouched, then waited
    posts = fake_slack.calls_to("chat.postMessage")
    limited, *after = posts
    assert limited.status == 429
    assert [call.status for call in after] == [200, 200, 200]
    assert all(call.at - limited.at >= 1.0 for call in after), "called before Retry-After"
    assert all(len(ledger.posts_of(d)) == 1 for d in deliveries)


@pytest.mark.parametrize(
    ("fault", "stored"),
    [
        ({"status": 500}, True),
        ({"status": 500}, False),
        ({"status": 503, "error": "service_unavailable"}, False),
        ({"error": "fatal_error"}, True),
        ({"error": "fatal_error"}, False),
        ({"error": "internal_error"}, True),
        ({"delay": 1.5}, True),  # the client gives up after 1 s: a read timeout
    ],
    ids=[
        "500-posted",
        "500-lost",
        "503-lost",
        "fatal-posted",
        "fatal-lost",
        "internal-posted",
        "timeout-posted",
    ],
)
def test_an_uncertain_post_is_verified_in_slack_before_any_resend(
    fake_slack, engine, clock, fault, stored
):
    ledger = build_engine(fake_slack, engine, clock, send_timeout=1.0)
    delivery = ledger.enqueue_dm("U111")
    fake_slack.fail_next("chat.postMessage", record_side_effect=stored, **fault)

    ledger.services.dispatcher.dispatch_due()
    in_doubt = ledger.delivery(delivery.id)
    assert in_doubt.state is DeliveryState.IN_DOUBT
    assert in_doubt.reason.startswith("may have been posted")

    assert ledger.services.dispatcher.dispatch_due().attempted == 0  # left to land first
    clock.advance(IN_DOUBT_GRACE)
    ledger.services.dispatcher.dispatch_due()

    assert ledger.delivery(delivery.id).state is DeliveryState.SENT
    assert len(ledger.posts_of(delivery)) == 1
    calls = fake_slack.wait_for(
        "chat.postMessage", count=1 if stored else 2
    )  # timeouts record late
    assert len(calls) == (1 if stored else 2)
    assert fake_slack.calls_to("conversations.history")[0].args["include_all_metadata"] in (
        "1",
        "true",
        True,
    )


@pytest.mark.parametrize(
    "error",
    [
        "user_not_found",
        "account_inactive",
        "channel_not_found",
        "invalid_auth",
        "token_revoked",
        "not_in_channel",
    ],
)
def test_a_permanent_slack_error_fails_the_delivery_with_the_reason_and_no_retry(
    ledger, fake_slack, clock, error
):
    delivery = ledger.enqueue_dm("U111")
    fake_slack.fail_next("chat.postMessage", error=error)

    ledger.services.dispatcher.dispatch_due()
    clock.advance(timedelta(hours=1))
    ledger.services.dispatcher.dispatch_due()

    failed = ledger.delivery(delivery.id)
    assert (failed.state, failed.reason, failed.attempts) == (
        DeliveryState.FAILED,
        f"refused: {error}",
        1,
    )
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_a_deactivated_person_is_skipped_with_the_reason_and_never_posted_to(ledger, fake_slack):
    fake_slack.add_user("U222", deleted=True)
    ledger.services.members.sync_directory("T111")
    delivery = ledger.enqueue_dm("U222")

    ledger.services.dispatcher.dispatch_due()

    skipped = ledger.delivery(delivery.id)
    assert (skipped.state, skipped.reason) == (
        DeliveryState.SKIPPED,
        "skipped: the recipient is deactivated in Slack",
    )
    assert not fake_slack.calls_to("chat.postMessage")


def test_a_person_deactivated_after_queueing_is_caught_by_the_user_change_news(ledger, fake_slack):
    ledger.services.members.sync_directory("T111")
    delivery = ledger.enqueue_dm("U333")
    ledger.services.members.apply_slack_user(
        "T111", SlackUser("U333", tz=None, locale=None, is_deleted=True, is_bot=False)
    )

    ledger.services.dispatcher.dispatch_due()

    assert ledger.delivery(delivery.id).state is DeliveryState.SKIPPED
    assert not fake_slack.calls_to("chat.postMessage")


def test_a_message_past_its_time_is_skipped_as_stale_not_sent_late(ledger, clock, fake_slack):
    delivery = ledger.enqueue_dm("U111", expires_at=clock.now() + timedelta(hours=1))
    clock.advance(timedelta(hours=2))

    ledger.services.dispatcher.dispatch_due()

    stale = ledger.delivery(delivery.id)
    assert stale.state is DeliveryState.SKIPPED and stale.reason.startswith("stale")
    assert not fake_slack.calls_to("chat.postMessage")


def test_when_slack_cannot_be_reached_it_backs_off_then_gives_up_with_the_reason(
    fake_slack, engine, clock
):
    ledger = build_engine(fake_slack, engine, clock, sender_url="http://127.0.0.1:9/api/")
    delivery = ledger.enqueue_dm("U111")

    waits = []
    for _ in range(MAX_SEND_ATTEMPTS):
        ledger.services.dispatcher.dispatch_due()
        current = ledger.delivery(delivery.id)
        waits.append(current.next_attempt_at - clock.now())
        clock.set(current.next_attempt_at)

    failed = ledger.delivery(delivery.id)
    assert failed.state is DeliveryState.FAILED
    assert failed.reason.startswith(
        f"gave up after {MAX_SEND_ATTEMPTS} attempts: could not connect"
    )
    for attempt, wait in enumerate(waits[:-1], start=1):  # doubles from 15 s, jittered down to half
        ceiling = timedelta(seconds=15 * 2 ** (attempt - 1))
        assert ceiling / 2 <= wait <= ceiling, (attempt, wait)


def test_claims_left_by_a_dead_dispatcher_are_verified_then_sent_once(ledger, fake_slack, clock):
    posted, lost = ledger.enqueue_dm("U111"), ledger.enqueue_dm("U222")
    with ledger.services.deliveries._uow() as uow:
        uow.deliveries.claim_due(
            now=clock.now(), worker="dead-host:1", limit=10, states=[DeliveryState.PENDING]
        )
        uow.commit()
    # the dead process got U111's message out before it died, and not U222's
    dead_client_post = {
        "channel": "U111",
        "text": "Hello",
        "metadata": {
            "event_type": "mentor_bot_delivery",
            "event_payload": {"delivery_id": str(posted.id)},
        },
    }
    from slack_sdk import WebClient

    WebClient(token="xoxb-x", base_url=fake_slack.url).chat_postMessage(**dead_client_post)

    assert ledger.services.dispatcher.adopt_orphans() == 2
    ledger.services.dispatcher.dispatch_due()

    assert ledger.delivery(posted.id).state is DeliveryState.SENT
    assert ledger.delivery(lost.id).state is DeliveryState.SENT
    assert len(ledger.posts_of(posted)) == 1 and len(ledger.posts_of(lost)) == 1


def test_stopping_mid_batch_gives_unsent_claims_back(ledger, fake_slack):
    deliveries = [ledger.enqueue_dm(user) for user in USERS]
    stop = threading.Event()
    fake_slack.fail_next("chat.postMessage", delay=0.3)
    timer = threading.Timer(0.1, stop.set)
    timer.start()

    report = ledger.services.dispatcher.dispatch_due(stop)

    timer.join()
    states = [ledger.delivery(d.id).state for d in deliveries]
    assert states == [DeliveryState.SENT, DeliveryState.PENDING, DeliveryState.PENDING]
    assert report.released == 2


def test_a_dead_dispatchers_post_is_found_even_if_the_scheduler_was_down_six_minutes(engine, clock):
    # the fake stamps messages with the same clock the dispatcher reads
    with FakeSlack(wall_clock=lambda: clock.now().timestamp()) as fake:
        fake.add_user("U111", locale="en-US")
        ledger = build_engine(fake, engine, clock)
        delivery = ledger.enqueue_dm("U111")
        with ledger.services.deliveries._uow() as uow:  # a dispatcher claims it ...
            uow.deliveries.claim_due(
                now=clock.now(), worker="dead-host:1", limit=10, states=[DeliveryState.PENDING]
            )
            uow.commit()
        WebClient(token="xoxb-x", base_url=fake.url).chat_postMessage(  # ... posts it, dies
            channel="U111",
            text="Hello",
            metadata={
                "event_type": "mentor_bot_delivery",
                "event_payload": {"delivery_id": str(delivery.id)},
            },
        )
        clock.advance(timedelta(minutes=6))  # the host comes back six minutes later

        assert ledger.services.dispatcher.adopt_orphans() == 1
        ledger.services.dispatcher.dispatch_due()

        assert ledger.delivery(delivery.id).state is DeliveryState.SENT
        assert len(ledger.posts_of(delivery)) == 1, "posted twice"
