from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.deliveries import DeliveryState
from bot.domain.errors import InvalidInput
from tests.support.ledger import build_engine


@pytest.fixture
def ledger(fake_slack, engine, clock):
    fake_slack.add_user("UGONE", deleted=True)
    fake_slack.add_user("UROBOT", is_bot=True)
    ledger = build_engine(fake_slack, engine, clock)
    ledger.services.members.sync_directory("T111")
    return ledger


def test_a_due_announcement_becomes_one_delivery_per_active_person(ledger):
    ledger.services.announcements.schedule(team_id="T111", text="Round 2 opens Monday")

    assert ledger.services.announcements.queue_due(ledger.clock.now()) == 2
    assert ledger.services.announcements.queue_due(ledger.clock.now()) == 0
    recipients = sorted(d.key.recipient for d in ledger.services.deliveries.list())
    assert recipients == ["U111", "U222"]  # not the deactivated person, the bot or slackbot


def test_an_announcement_waits_for_its_time(ledger, clock):
    ledger.services.announcements.schedule(
        team_id="T111", text="Later", send_at=clock.now() + timedelta(hours=3), audience=("U111",)
    )

    assert ledger.services.announcements.queue_due(clock.now()) == 0
    assert ledger.services.announcements.queue_due(clock.now() + timedelta(hours=3)) == 1


def test_two_schedulers_queueing_the_same_announcement_create_each_delivery_once(
    ledger, fake_slack, engine, clock
):
    other = build_engine(fake_slack, engine, clock)
    ledger.services.announcements.schedule(team_id="T111", text="Hi", audience=("U111", "U222"))

    created = ledger.services.announcements.queue_due(clock.now())
    created += other.services.announcements.queue_due(clock.now())

    assert created == 2
    assert ledger.services.deliveries.counts() == {DeliveryState.PENDING: 2}


def test_an_announcement_found_after_its_end_is_recorded_as_skipped_not_sent(
    ledger, clock, fake_slack
):
    ledger.services.announcements.schedule(
        team_id="T111", text="Today only", expires_at=clock.now() + timedelta(hours=1)
    )
    clock.advance(timedelta(hours=2))  # the bot was down all that time

    ledger.services.announcements.queue_due(clock.now())
    ledger.services.dispatcher.dispatch_due()

    assert ledger.services.deliveries.counts() == {DeliveryState.SKIPPED: 2}
    assert all(d.reason.startswith("stale") for d in ledger.services.deliveries.list())
    assert not fake_slack.calls_to("chat.postMessage")


@pytest.mark.parametrize(
    ("text", "until_hours", "message"),
    [
        ("  ", None, "The announcement has no text."),
        ("x" * 3001, None, "The announcement is {length} characters; the limit is {limit}."),
        ("ok", -1, "The end ({until}) must come after the send time ({at})."),
    ],
)
def test_a_bad_announcement_is_refused_with_the_reason_and_nothing_is_stored(
    ledger, clock, text, until_hours, message
):
    until = clock.now() + timedelta(hours=until_hours) if until_hours else None
    with pytest.raises(InvalidInput) as refused:
        ledger.services.announcements.schedule(team_id="T111", text=text, expires_at=until)

    assert refused.value.message == message
    assert ledger.services.announcements.queue_due(clock.now() + timedelta(days=1)) == 0
