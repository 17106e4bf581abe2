"""The baseline for bench/ack.py: a Bolt app whose `/mentor` listener only acks.

It is served exactly like `mentor-bot run` serves the bot - `bot.server.create_http_server`
(waitress, same thread count and backlog) around Bolt's WSGI adapter, a Bolt listener pool of the
bot's size (`handlers.app.LISTENER_THREADS`), `process_before_response=False` - so that the
latency difference between the two processes is the bot's own code: services, database, i18n
and Block Kit.

Configured from the same environment variables as the bot: SLACK_SIGNING_SECRET,
SLACK_BOT_TOKEN, SLACK_API_URL (where auth.test goes at start-up). It logs the same
`listening on http://HOST:PORT` line and exits with 0 on SIGTERM or SIGINT.

    python bench/bare_app.py
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from concurrent.futures import ThreadPoolExecutor
from types import FrameType
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.server import create_http_server
from handlers.app import LISTENER_THREADS

log = logging.getLogger("bare_app")

ANSWER_PREFIX = "bare ack:"


def create_bare_app(*, signing_secret: str, token: str, slack_api_url: str) -> App:
    # Only `client` is passed (it carries the token), like the bot: passing both makes Bolt warn.
    app = App(
        signing_secret=signing_secret,
        client=WebClient(base_url=slack_api_url, token=token),
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener"),
    )

    @app.command("/mentor")
    def only_ack(ack: Ack, command: dict[str, Any]) -> None:
        ack(text=f"{ANSWER_PREFIX} {command.get('text', '')}")

    return app


def main() -> int:
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    app = create_bare_app(
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        token=os.environ["SLACK_BOT_TOKEN"],
        slack_api_url=os.environ["SLACK_API_URL"],
    )
    server = create_http_server(SlackRequestHandler(app), host="127.0.0.1", port=0)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    log.info("listening on http://%s:%s", server.effective_host, server.effective_port)
    server.run()  # returns after SIGTERM/SIGINT
    log.info("stopped")
    return 0


def _exit_on_signal(signum: int, _frame: FrameType | None) -> None:
    log.info("received %s, shutting down", signal.Signals(signum).name)
    raise SystemExit(0)


if __name__ == "__main__":
    sys.exit(main())
