"""`mentor-bot demo`: start everything, seed the program, hand over to the console."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from bot.demo.console import run_console
from bot.demo.runtime import DemoRuntime


def run_demo(*, verbose: bool = False, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    if not verbose:  # the console is the show; the bot's own log only when asked for
        logging.getLogger().setLevel(logging.WARNING)
    out.write("Starting the bot and a stand-in for Slack...\n")
    out.flush()
    runtime = DemoRuntime().start()
    try:
        run_console(runtime, stdin, out)
    except KeyboardInterrupt:
        out.write("\n")
    finally:
        runtime.stop()
    out.write("Bye. (Everything the demo stored was in a temporary directory, now removed.)\n")
    return 0
