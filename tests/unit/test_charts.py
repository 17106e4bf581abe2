"""The digest trend chart: a PNG of the configured size, for any weeks, from any thread."""

from __future__ import annotations

import struct
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.domain.digests import WeekPoint
from handlers.charts import DPI, HEIGHT_INCHES, WIDTH_INCHES, build_trend_chart_png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def weeks(count: int) -> list[WeekPoint]:
    return [
        WeekPoint(f"2026-W{n:02d}", expected=10, answered=n % 11, goal_progress=(n * 7) % 101)
        for n in range(1, count + 1)
    ]


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, the first after the signature."""
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def assert_is_chart(png: bytes) -> None:
    assert png.startswith(PNG_SIGNATURE)
    assert png_size(png) == (WIDTH_INCHES * DPI, HEIGHT_INCHES * DPI)


def test_the_chart_is_a_png_of_the_configured_size() -> None:
    png = build_trend_chart_png(weeks(4))

    assert png.startswith(PNG_SIGNATURE)
    assert png_size(png) == (800, 400)


@pytest.mark.parametrize("count", [1, 4, 52])
def test_any_number_of_weeks_draws_a_chart(count: int) -> None:
    assert_is_chart(build_trend_chart_png(weeks(count)))


def test_weeks_without_data_draw_as_gaps() -> None:
    points = [
        WeekPoint("2026-W45", expected=4, answered=3, goal_progress=None),
        WeekPoint("2026-W46", expected=0, answered=0, goal_progress=40),
        WeekPoint("2026-W47", expected=0, answered=0, goal_progress=None),
        WeekPoint("2026-W48", expected=5, answered=5, goal_progress=100),
    ]

    assert_is_chart(build_trend_chart_png(points))


def test_a_single_week_with_nothing_to_show_still_draws() -> None:
    assert_is_chart(build_trend_chart_png([WeekPoint("2026-W48", 0, 0, None)]))


def test_no_weeks_at_all_still_draws_an_empty_chart() -> None:
    assert_is_chart(build_trend_chart_png([]))


def test_the_same_data_gives_the_same_size_image() -> None:
    first = build_trend_chart_png(weeks(8))
    second = build_trend_chart_png(weeks(8))

    assert len(first) == len(second)
    assert png_size(first) == png_size(second)


def test_charts_can_be_built_from_many_threads_at_once() -> None:
    data = [weeks(n) for n in range(1, 17)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        pngs = list(pool.map(build_trend_chart_png, data))

    for png in pngs:
        assert_is_chart(png)
    # Nothing shared between the threads: each image is the one a lone call draws.
    assert pngs == [build_trend_chart_png(points) for points in data]
