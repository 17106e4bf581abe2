from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.clock import FakeClock
from tests.support.fake_slack import FakeSlack
from tests.support.manifest import bot_scopes, uncovered_methods
from tests.support.running_bot import RunningBot, start_bot


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """Slack's Web API on loopback; after each test, every method called must be in the manifest."""
    with FakeSlack() as fake:
        fake.add_user("U111", name="minji", tz="Asia/Seoul", tz_offset=32400, locale="ko-KR")
        fake.add_user("U222", name="alex", tz="America/New_York", tz_offset=-18000, locale="en-US")
        yield fake
        called = {call.method for call in fake.calls}
    missing = uncovered_methods(called, bot_scopes())
    assert not missing, f"manifest.yml lacks a scope for: {missing}"


@pytest.fixture
def running_bot(fake_slack: FakeSlack, database_url: str, clock: FakeClock) -> Iterator[RunningBot]:
    bot = start_bot(fake_slack, database_url=database_url, clock=clock, admins=("UADMIN",))
    yield bot
    bot.close()
