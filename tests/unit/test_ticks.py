from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.services.ticks import TickService


def test_a_tick_runs_every_job_at_the_given_instant_and_reports_what_it_did():
    seen: list[datetime] = []
    ticks = TickService({"check-ins": lambda at: seen.append(at) or 3})
    at = datetime(2026, 11, 27, 7, tzinfo=UTC)

    report = ticks.run_tick(at)

    assert seen == [at]
    assert report.done == {"check-ins": 3}


def test_a_tick_refuses_a_naive_instant():
    with pytest.raises(ValueError, match="timezone-aware"):
        TickService().run_tick(datetime(2026, 11, 27, 7))
