"""The trend chart of a progress digest: check-in response rate and average goal progress, week
by week, as PNG bytes to upload beside the digest message.

The image holds no words - no title, no legend, no axis labels - only numbers and week labels.
The Slack message around it names the two lines in the reader's language (the image cannot be
translated), and the machine drawing it may have no Korean fonts, which would turn words into
empty boxes. Colour and line style tell the lines apart, so the message can say "blue, solid".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from io import BytesIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from bot.domain.digests import WeekPoint

CHART_FILENAME = "trend.png"
WIDTH_INCHES = 8
HEIGHT_INCHES = 4
DPI = 100
"""800 x 400 pixels."""
RESPONSE_COLOUR = "#0072B2"
PROGRESS_COLOUR = "#E69F00"
"""Blue and orange from the Okabe-Ito palette: told apart with any kind of colour blindness."""
MAX_WEEK_LABELS = 13


def build_trend_chart_png(weeks: Sequence[WeekPoint]) -> bytes:
    """Response rate (solid, circles) and goal progress (dashed, squares), oldest week first.

    Uses a bare Figure, not pyplot: no global state, so it is safe from any thread.
    """
    positions = list(range(len(weeks)))
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    figure.subplots_adjust(left=0.08, right=0.98, top=0.95, bottom=0.1)

    # clip_on=False: a marker at exactly 0 or 100 would otherwise be cut in half by the frame.
    axes.plot(
        positions,
        [_or_gap(w.response_rate) for w in weeks],
        color=RESPONSE_COLOUR,
        linestyle="-",
        marker="o",
        linewidth=2,
        clip_on=False,
    )
    axes.plot(
        positions,
        [_or_gap(w.goal_progress) for w in weeks],
        color=PROGRESS_COLOUR,
        linestyle="--",
        marker="s",
        linewidth=2,
        clip_on=False,
    )

    axes.set_ylim(0, 100)
    axes.yaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
    axes.set_xlim(-0.5, max(len(weeks), 1) - 0.5)
    # Label every week while they fit; beyond that every n-th, always including the latest.
    step = math.ceil(len(weeks) / MAX_WEEK_LABELS) or 1
    labelled = positions[::-1][::step][::-1]
    axes.set_xticks(labelled, [_short_week(weeks[i].week) for i in labelled])
    axes.grid(color="#e0e0e0", linewidth=0.8)
    axes.set_axisbelow(True)
    axes.set_facecolor("white")

    buffer = BytesIO()
    canvas.print_png(buffer)
    return buffer.getvalue()


def _or_gap(value: int | None) -> float:
    """NaN breaks the line: a week without data is a gap, not a drop to zero."""
    return float("nan") if value is None else float(value)


def _short_week(week: str) -> str:
    """The week without its year: "2026-W48" -> "W48"."""
    return week.rpartition("-")[2]
