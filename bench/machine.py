"""The header line every benchmark prints: which machine the figures came from."""

from __future__ import annotations

import contextlib
import os
import platform
from datetime import datetime
from pathlib import Path


def machine_line(database: str) -> str:
    return (
        f"machine: nproc={len(os.sched_getaffinity(0))}, cpu={_cpu_model()}, "
        f"python {platform.python_version()}, database={database}, "
        f"date={datetime.now().astimezone().isoformat(timespec='seconds')}"
    )


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"
