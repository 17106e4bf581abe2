"""Reading a benchmarked process's log."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception)\b")


def most_common_exceptions(lines: Sequence[str], top: int = 3) -> str:
    """The most frequent exception lines, one "N x line" per line (empty if none)."""
    exceptions = Counter(line[:140] for line in lines if EXCEPTION_LINE.match(line))
    return "".join(f"\n  {count} x {line}" for line, count in exceptions.most_common(top))
