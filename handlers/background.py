"""Follow-up work that runs after the ack, on its own threads so it never delays an ack."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from handlers.errors import new_reference

log = logging.getLogger(__name__)


class FollowUps:
    def __init__(self, max_workers: int = 4) -> None:
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="follow-up")
        self._pending: set[Future[Any]] = set()
        self._lock = threading.Lock()

    def submit(self, work: Callable[..., Any], *args: Any) -> Future[Any]:
        future = self._executor.submit(self._run, work, *args)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)
        return future

    def drain(self, timeout: float = 10.0) -> None:
        """Wait until every follow-up submitted so far has finished (tests, shutdown)."""
        with self._lock:
            pending = list(self._pending)
        wait(pending, timeout=timeout)

    def _forget(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(future)

    def shutdown(self, wait: bool = True) -> None:
        self._executor.shutdown(wait=wait, cancel_futures=not wait)

    @staticmethod
    def _run(work: Callable[..., Any], *args: Any) -> Any:
        try:
            return work(*args)
        except Exception:
            log.exception("follow-up %s failed (ref %s)", work.__qualname__, new_reference())
            return None
