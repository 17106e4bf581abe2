"""`mentor-bot` as a real process: the CLI exactly as an operator runs it."""

from __future__ import annotations

import os
import re
import signal
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


class MentorBotProcess:
    """A long-running `mentor-bot <command>` in the background; its log is collected as it
    arrives."""

    def __init__(
        self, command: str, *args: str, env: Mapping[str, str], cwd: Path, name: str | None = None
    ) -> None:
        self.name = name or command
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", command, *args],
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

    def logged(self, text: str) -> bool:
        return any(text in line for line in list(self.lines))

    def count_logged(self, text: str) -> int:
        return sum(text in line for line in list(self.lines))

    def tail(self, lines: int = 40) -> str:
        return f"--- {self.name} log (last {lines} lines) ---\n" + "\n".join(self.lines[-lines:])

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is given back, as when the host dies."""
        if self.alive:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self._reader.join(timeout=5)

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, as a process manager would; returns the exit code."""
        if self.alive:
            self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code


class BotProcess(MentorBotProcess):
    """`mentor-bot run`, which serves HTTP."""

    def __init__(self, *args: str, env: Mapping[str, str], cwd: Path) -> None:
        super().__init__("run", *args, env=env, cwd=cwd)

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
