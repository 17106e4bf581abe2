"""The production HTTP server (waitress: pure Python, threaded, no fork)."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from waitress import create_server
from waitress.server import BaseWSGIServer

HTTP_THREADS = 16


def create_http_server(wsgi_app: Any, *, host: str, port: int) -> BaseWSGIServer:
    # The listen backlog is raised so bursts of Slack requests queue instead of being refused.
    return create_server(
        wsgi_app, host=host, port=port, threads=HTTP_THREADS, backlog=1024, ident="mentor-bot"
    )  # type: ignore[return-value]


class BackgroundHttpServer:
    """Serves in a thread; for tests and benchmarks that need the real server in-process."""

    def __init__(self, wsgi_app: Any, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = create_http_server(wsgi_app, host=host, port=port)
        self._thread = threading.Thread(target=self._server.run, name="http", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self._server.effective_host}:{self._server.effective_port}"

    def start(self) -> BackgroundHttpServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        # Sockets are closed on the server's own loop thread: closing them from here while it sits
        # in select() fails with EBADF. The loop ends once nothing is left to watch.
        try:
            self._server.trigger.pull_trigger(self._close_all_sockets)
        except OSError:  # the wake-up pipe is already gone: close from this thread instead
            self._close_all_sockets()
        self._thread.join(timeout=5)
        self._server.task_dispatcher.shutdown()

    def _close_all_sockets(self) -> None:
        for dispatcher in list(self._server._map.values()):
            with contextlib.suppress(OSError):
                dispatcher.close()
