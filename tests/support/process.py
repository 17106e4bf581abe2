"""`mentor-bot` as a real process: the CLI exactly as an operator runs it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path

OWN_VARIABLES = ("SLACK_", "DATABASE_URL", "MENTOR_BOT_", "PORT")
LISTENING = re.compile(r"listening on (http://\S+?:\d+)")


def clean_env(**values: str) -> dict[str, str]:
    """The current environment without any of the bot's settings, plus `values`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(OWN_VARIABLES)}
    env.update(values)
    return env


def mentor_bot(
    *args: str, env: Mapping[str, str], cwd: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class BotProcess:
    """`mentor-bot run` in the background; its log is collected as it arrives."""

    def __init__(self, *args: str, env: Mapping[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", *args],
            env=dict(env),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    def wait_until_listening(self, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if found := LISTENING.search(line):
                    return found.group(1).replace("0.0.0.0", "127.0.0.1")
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"mentor-bot run did not start listening:\n{self.log}")

    def stop(self, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code
