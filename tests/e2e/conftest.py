from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.clock import FakeClock
from tests.support.fake_slack import FakeSlack
from tests.support.running_bot import RunningBot, start_bot


@pytest.fixture
def running_bot(fake_slack: FakeSlack, database_url: str, clock: FakeClock) -> Iterator[RunningBot]:
    bot = start_bot(fake_slack, database_url=database_url, clock=clock, admins=("UADMIN",))
    yield bot
    bot.close()
