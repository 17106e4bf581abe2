"""A fake Slack Web API, served over real HTTP, for tests.

Design
------
``FakeSlack`` runs a ``ThreadingHTTPServer`` on ``127.0.0.1`` (ephemeral port) in a background
thread. Point a real ``slack_sdk.WebClient(base_url=fake.url)`` - or a Bolt app - at it, so the
SDK's own HTTP, retry and timeout code is exercised rather than mocked.

Every ``/api/<method>`` request goes through the same pipeline:

1. parse: query string merged with a form or JSON body; JSON-string values of ``blocks``,
   ``view``, ``attachments`` and ``metadata`` are decoded;
2. rate limiting, only after ``enforce_rate_limits()``: a call over the limit is answered
   HTTP 429 with ``Retry-After`` and has no effect (queued faults stay queued);
3. fault injection (``fail_next``): delays, HTTP 429/5xx, ``ok: false`` answers;
4. validation driven by Slack's reference data (``tests.support.spec``): the method allow-list,
   the token, ``args.required``, ``arg_groups``, Block Kit checked with ``slack_sdk.models``,
   and the shape of message ``metadata``;
5. a handler that updates a small in-memory workspace (messages, DMs, users, views, uploads);
6. the call is recorded in ``calls`` (ordered by arrival, rejected calls included).

Methods that Slack documents but this fake does not model answer
``{"ok": false, "error": "fake_slack_not_implemented"}`` so that a test never mistakes an
unmodelled call for a success; ``stub()`` gives such a method a canned answer.

Messages get Slack-like timestamps: wall-clock seconds with six decimals (``wall_clock``,
``time.time`` unless given), strictly increasing, so ``oldest``/``latest`` in
``conversations.history`` mean what they mean in Slack. A message posted to a user id lands in
that user's DM channel (``D...``), the id ``conversations.open`` answers with. Opening a
conversation with 2-8 users gives a group DM (multi-person DM, ``G...``), one per set of users.
Messages are indexed by timestamp and per channel, so a run with tens of thousands of posts stays
fast.

Besides the Web API, the server answers ``response_url`` posts (what Bolt's ``respond()`` and
``slack_sdk.webhook.WebhookClient`` send) on ``/response/<token>``: ``response_url_for()`` hands
out such a URL for a user and channel, as a slash command or ``block_actions`` payload carries
one; posts to it are validated like ``chat.postMessage``, recorded in ``responses`` and become
ephemeral or channel messages, or replace or delete the original message.

State shared by server threads and the test thread sits behind one lock, never held while a
``delay`` fault sleeps; the public views of it (``calls``, ``messages``, ``views`` ...) are
copies.
"""

from __future__ import annotations

import base64
import bisect
import contextlib
import copy
import itertools
import json
import math
import mimetypes
import random
import secrets
import threading
import time
import traceback
from collections import defaultdict, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from tests.support.spec import SPEC_DIR, ArgGroup, MethodRules, method_rules

JSON_ARGS = ("blocks", "view", "attachments", "metadata")
MESSAGE_METHODS = frozenset(
    {"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage"}
)
VIEW_METHODS = frozenset({"views.open", "views.publish", "views.update", "views.push"})
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TEXT_CHARS = 40_000
MAX_VIEW_BYTES = 250_000
HISTORY_DEFAULT_LIMIT = 100
HISTORY_MAX_LIMIT = 999
RATE_WINDOW_SECONDS = 60.0
MAX_GROUP_DM_USERS = 8
RESPONSE_URL_MAX_USES = 5
RESPONSE_URL_LIFETIME_SECONDS = 30 * 60

_API_PREFIX = "/api/"
_UPLOAD_PREFIX = "/upload/"
_RESPONSE_PREFIX = "/response/"
_POLL_INTERVAL = 0.01
_TS_EPOCH = 1_700_000_000
_TS_UNITS = 1_000_000
_CURSOR_PREFIX = "next_ts:"

Handler = Callable[[dict[str, Any]], dict[str, Any]]

_RESPONSE_URL_ERROR_STATUS = {"no_service": 404, "used_url": 404, "expired_url": 404}
"""HTTP status of a ``response_url`` error; the others (bad payload or blocks) are 400."""


@dataclass
class RecordedCall:
    """One request to ``/api/<method>`` and what the fake answered."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    status: int
    response: dict[str, Any]
    at: float
    """``time.monotonic()`` when the request arrived."""

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        return self.response.get("error")


@dataclass(frozen=True)
class RateLimitReport:
    """What the rate limiter saw since ``enforce_rate_limits()`` (or ``reset()``), counting only
    calls to the enforced methods. Times are ``time.monotonic()`` values."""

    accepted: int
    """Calls let through (they were then answered normally, injected faults included)."""
    rejected_429: int
    """Calls answered HTTP 429 by the limiter, for any reason."""
    rejected_random: int
    """Of ``rejected_429``, those picked by ``random_429_rate``."""
    calls_during_retry_after: int
    """Calls that arrived while a Retry-After announced to the workspace (or, for a per-channel
    rejection, to that channel) was still running: the client ignored Retry-After. Each of them
    is also in ``rejected_429``."""
    first_call_at: float | None
    last_accepted_at: float | None


@dataclass(frozen=True)
class _Reply:
    status: int
    body: dict[str, Any] | str
    headers: Mapping[str, str] = field(default_factory=dict)

    def payload(self) -> tuple[bytes, str]:
        if isinstance(self.body, str):
            return self.body.encode("utf-8"), "text/plain; charset=utf-8"
        return json.dumps(self.body).encode("utf-8"), "application/json; charset=utf-8"


class _Refusal(Exception):
    """An ``ok: false`` answer raised from validation or a handler."""

    def __init__(self, error: str, messages: Sequence[str] = ()) -> None:
        super().__init__(error)
        self.error = error
        self.messages = list(messages)

    def reply(self) -> _Reply:
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return _Reply(200, body)


@dataclass(frozen=True)
class _Fault:
    status: int
    error: str | None
    retry_after: int | None
    delay: float
    record_side_effect: bool

    @property
    def fails(self) -> bool:
        return self.status != 200 or self.error is not None

    def reply(self) -> _Reply:
        headers = {}
        if self.status == 429 and self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return _Reply(
            self.status, {"ok": False, "error": self.error or self._default_error()}, headers
        )

    def _default_error(self) -> str:
        if self.status == 429:
            return "ratelimited"
        if self.status >= 500:
            return "fatal_error"
        return "invalid_request"


class _RateLimiter:
    """Sliding-window rate limits for ``enforce_rate_limits``; called with the fake's lock held.

    Budgets are kept per enforced method, as Slack does: a 60-second window of accepted calls
    for the workspace and the time of the last accepted call per channel. A rejection announces
    its Retry-After to the scope that was exceeded: the workspace (workspace limit, random
    throttling) or the channel (per-channel limit).
    """

    def __init__(
        self,
        *,
        team_id: str,
        per_channel_per_second: float | None,
        per_workspace_per_minute: int | None,
        methods: Sequence[str],
        random_429_rate: float,
        retry_after: int | None,
        seed: int | None,
    ) -> None:
        if per_channel_per_second is not None and per_channel_per_second <= 0:
            raise ValueError("per_channel_per_second must be positive or None")
        if per_workspace_per_minute is not None and per_workspace_per_minute < 1:
            raise ValueError("per_workspace_per_minute must be at least 1 or None")
        if not 0.0 <= random_429_rate <= 1.0:
            raise ValueError("random_429_rate must be between 0 and 1")
        if retry_after is not None and retry_after < 1:
            raise ValueError("retry_after must be at least 1 second or None")
        if isinstance(methods, str):
            raise TypeError("methods must be a sequence of method names, not a string")
        self.methods = frozenset(methods)
        self._team_id = team_id
        self._interval = None if per_channel_per_second is None else 1.0 / per_channel_per_second
        self._per_minute = per_workspace_per_minute
        self._random_rate = random_429_rate
        self._retry_after = retry_after
        self._seed = seed
        self.reset()

    def reset(self) -> None:
        self._rng = random.Random(self._seed)
        self._accepted_at: dict[str, deque[float]] = defaultdict(deque)
        self._last_at: dict[tuple[str, str], float] = {}
        self._retry_until: dict[tuple[str, str], float] = {}
        self._accepted = self._rejected = self._random = self._ignored = 0
        self._first_call_at: float | None = None
        self._last_accepted_at: float | None = None

    def report(self) -> RateLimitReport:
        return RateLimitReport(
            accepted=self._accepted,
            rejected_429=self._rejected,
            rejected_random=self._random,
            calls_during_retry_after=self._ignored,
            first_call_at=self._first_call_at,
            last_accepted_at=self._last_accepted_at,
        )

    def check(self, method: str, channel: str | None, now: float) -> _Reply | None:
        """None to let the call through (and count it), or the 429 to answer with."""
        if self._first_call_at is None:
            self._first_call_at = now
        workspace = (method, self._team_id)
        scopes = [workspace] if channel is None else [workspace, (method, channel)]
        running_until = max(self._retry_until.get(scope, -math.inf) for scope in scopes)
        if running_until > now:
            self._ignored += 1
            return self._reject(now, [], running_until - now)
        window = self._accepted_at[method]
        while window and window[0] <= now - RATE_WINDOW_SECONDS:
            window.popleft()
        waits: dict[tuple[str, str], float] = {}
        if self._per_minute is not None and len(window) >= self._per_minute:
            waits[workspace] = window[0] + RATE_WINDOW_SECONDS - now
        last = self._last_at.get((method, channel)) if channel is not None else None
        if self._interval is not None and last is not None and now - last < self._interval:
            waits[(method, channel or "")] = last + self._interval - now
        if waits:
            return self._reject(now, list(waits), max(waits.values()))
        if self._random_rate > 0 and self._rng.random() < self._random_rate:
            self._random += 1
            return self._reject(now, [workspace], 1.0)
        window.append(now)
        if channel is not None:
            self._last_at[(method, channel)] = now
        self._accepted += 1
        self._last_accepted_at = now
        return None

    def _reject(self, now: float, scopes: list[tuple[str, str]], wait: float) -> _Reply:
        """429 with ``Retry-After``: the configured value, else ``wait`` rounded up (>= 1 s).
        The answer is announced to ``scopes`` until ``now + Retry-After``."""
        self._rejected += 1
        seconds = self._retry_after or max(1, math.ceil(wait))
        for scope in scopes:
            self._retry_until[scope] = max(self._retry_until.get(scope, -math.inf), now + seconds)
        body = {"ok": False, "error": "ratelimited"}
        return _Reply(429, body, {"Retry-After": str(seconds)})


@dataclass
class _ResponseUrl:
    """One ``response_url`` handed out by ``response_url_for``; mutated with the lock held."""

    url: str
    user: str
    channel: str
    original_ts: str | None
    """The message the interaction came from (a ``block_actions`` button's message), if any."""
    created_at: float
    """``wall_clock()`` when handed out; the URL expires ``RESPONSE_URL_LIFETIME_SECONDS`` later."""
    uses: int = 0
    last_ts: str | None = None
    """The latest message posted through this URL: the original when ``original_ts`` is None."""


@dataclass
class _User:
    id: str
    name: str
    real_name: str
    tz: str
    tz_label: str
    tz_offset: int
    locale: str
    deleted: bool
    is_bot: bool
    email: str | None

    def as_api(self, team_id: str, bot_id: str, *, include_locale: bool) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "deleted": self.deleted,
            "color": "9f69e7",
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_label": self.tz_label,
            "tz_offset": self.tz_offset,
            "profile": self._profile(team_id, bot_id),
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": _TS_EPOCH,
            "has_2fa": False,
        }
        if include_locale:
            user["locale"] = self.locale
        return user

    def _profile(self, team_id: str, bot_id: str) -> dict[str, Any]:
        profile: dict[str, Any] = {
            "real_name": self.real_name,
            "real_name_normalized": self.real_name,
            "display_name": self.name,
            "display_name_normalized": self.name,
            "status_text": "",
            "status_emoji": "",
            "avatar_hash": "g000000000",
            "image_48": f"https://avatars.example.com/{self.id}_48.png",
            "image_72": f"https://avatars.example.com/{self.id}_72.png",
            "team": team_id,
        }
        if self.email is not None:
            profile["email"] = self.email
        if self.is_bot:
            profile.update(bot_id=bot_id, always_active=True)
        return profile


class FakeSlack:
    """In-process fake of the Slack Web API; see the module docstring."""

    def __init__(
        self,
        *,
        team_id: str = "T111",
        bot_user_id: str = "UBOT",
        spec_dir: Path = SPEC_DIR,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        """``wall_clock`` (seconds since the epoch) dates message timestamps; pass the clock the
        code under test reads if it computes ``oldest``/``latest`` from it."""
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = "B" + bot_user_id[1:]
        self.app_id = "A" + bot_user_id[1:]
        self._rules = method_rules(spec_dir)
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._ids = itertools.count(1)
        self._wall_clock = wall_clock
        self._last_ts_units = 0
        self._calls: list[RecordedCall] = []
        self._calls_by_method: dict[str, list[RecordedCall]] = defaultdict(list)
        self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
        self._limiter: _RateLimiter | None = None
        self._enforcing = False
        # Messages by timestamp (in microseconds; unique across channels), oldest first, plus
        # sorted timestamps per channel and per ephemeral recipient.
        self._messages: dict[int, dict[str, Any]] = {}
        self._channel_index: dict[str, list[int]] = defaultdict(list)
        self._ephemeral_index: dict[str, list[int]] = defaultdict(list)
        self._scheduled: list[dict[str, Any]] = []
        self._users: dict[str, _User] = {}
        self._dms: dict[str, str] = {}
        self._dm_users: dict[str, str] = {}
        self._group_dms: dict[frozenset[str], str] = {}
        self._group_dm_members: dict[str, frozenset[str]] = {}
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._responses: list[dict[str, Any]] = []
        self._views: dict[str, dict[str, Any]] = {}
        self._home_tabs: dict[str, str] = {}
        self._uploads: dict[str, dict[str, Any]] = {}
        self._stubs: dict[str, dict[str, Any]] = {}
        self._handlers: dict[str, Handler] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.scheduleMessage": self._chat_schedule_message,
            "conversations.open": self._conversations_open,
            "conversations.history": self._conversations_history,
            "users.info": self._users_info,
            "users.list": self._users_list,
            "views.open": self._views_open,
            "views.push": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "reactions.add": self._reactions_add,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
        }
        self.add_user(bot_user_id, name="mentor-bot", real_name="Mentor Bot", is_bot=True)

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-slack",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL for ``WebClient(base_url=...)``: ``http://127.0.0.1:<port>/api/``."""
        return self._origin + _API_PREFIX

    @property
    def _origin(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- inspection ------------------------------------------------------------------------

    @property
    def calls(self) -> list[RecordedCall]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[RecordedCall]:
        with self._lock:
            return list(self._calls_by_method.get(method, ()))

    def wait_for(
        self,
        method: str,
        *,
        count: int = 1,
        timeout: float = 5.0,
        where: Callable[[RecordedCall], bool] | None = None,
    ) -> list[RecordedCall]:
        """Block until ``count`` matching calls were answered; return all matching calls."""
        deadline = time.monotonic() + timeout
        while True:
            matching = [c for c in self.calls_to(method) if where is None or where(c)]
            if len(matching) >= count:
                return matching
            if time.monotonic() >= deadline:
                raise AssertionError(self._wait_failure(method, count, timeout, len(matching)))
            time.sleep(_POLL_INTERVAL)

    def _wait_failure(self, method: str, count: int, timeout: float, matched: int) -> str:
        seen = [f"  {c.method} -> {c.status} {c.error or 'ok'}" for c in self.calls] or ["  (none)"]
        header = f"expected {count} call(s) to {method} within {timeout}s, matched {matched}; seen:"
        return "\n".join([header, *seen])

    @property
    def messages(self) -> list[dict[str, Any]]:
        """Messages users can see now, oldest first: keys ``channel, ts, text, blocks,
        attachments, thread_ts, metadata, files, reactions, user, ephemeral`` (``user`` is the
        recipient of an ephemeral message, otherwise None)."""
        with self._lock:
            return copy.deepcopy(list(self._messages.values()))

    def messages_to(self, channel_or_user: str) -> list[dict[str, Any]]:
        """Messages in a channel, or - for a user id - in that user's DM plus the ephemeral
        messages shown to that user anywhere; oldest first."""
        with self._lock:
            if _is_user_id(channel_or_user):
                dm = self._dms.get(channel_or_user)
                keys = sorted(
                    [
                        *self._channel_index.get(dm or "", ()),
                        *self._ephemeral_index.get(channel_or_user, ()),
                    ]
                )
            else:
                keys = list(self._channel_index.get(channel_or_user, ()))
            return copy.deepcopy([self._messages[key] for key in keys])

    def posts_with_metadata(self, event_type: str) -> dict[str, list[dict[str, Any]]]:
        """Stored messages whose metadata has ``event_type``, grouped by
        ``str(event_payload.get("delivery_id"))``, each group oldest first. A group with more
        than one message is a duplicate post; a deleted message no longer counts."""
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        with self._lock:
            for message in self._messages.values():
                metadata = message["metadata"]
                if not isinstance(metadata, dict) or metadata.get("event_type") != event_type:
                    continue
                payload = metadata.get("event_payload")
                delivery_id = payload.get("delivery_id") if isinstance(payload, dict) else None
                groups[str(delivery_id)].append(copy.deepcopy(message))
        return dict(groups)

    def dm_channel(self, user_id: str) -> str | None:
        """The DM id conversations.open (or a post to ``user_id``) assigned, if any."""
        with self._lock:
            return self._dms.get(user_id)

    def group_dm_for(self, *user_ids: str) -> str | None:
        """The group DM id conversations.open assigned to exactly these users (in any order; the
        bot's own user id may be given or left out), if any."""
        with self._lock:
            return self._group_dms.get(frozenset(user_ids) - {self.bot_user_id})

    def group_dm_members(self, channel_id: str) -> frozenset[str]:
        """The users a group DM was opened with, without the bot (always a member); raises
        ``KeyError`` for an id that is not a group DM."""
        with self._lock:
            return self._group_dm_members[channel_id]

    @property
    def responses(self) -> list[dict[str, Any]]:
        """Every post to a ``/response/`` URL, in arrival order, rejected ones included: keys
        ``url, user, channel, payload, at`` (``time.monotonic()``; ``user``/``channel`` None for
        an unknown URL), ``status`` (HTTP), ``error`` (None when answered ``ok``), ``effect``
        (``"posted"``, ``"replaced"``, ``"deleted"`` or None when rejected) and ``ts`` (the
        message posted, replaced or deleted; None if there was nothing to delete)."""
        with self._lock:
            return copy.deepcopy(self._responses)

    @property
    def scheduled_messages(self) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(self._scheduled)

    @property
    def views(self) -> dict[str, dict[str, Any]]:
        """Every view opened, pushed, updated or published, by view id (latest version)."""
        with self._lock:
            return copy.deepcopy(self._views)

    def home_tab(self, user_id: str) -> dict[str, Any] | None:
        with self._lock:
            view_id = self._home_tabs.get(user_id)
            return copy.deepcopy(self._views[view_id]) if view_id else None

    @property
    def uploads(self) -> dict[str, dict[str, Any]]:
        """Files by id: ``name, title, length, alt_txt, data`` (bytes, None until uploaded)."""
        with self._lock:
            return copy.deepcopy(self._uploads)

    # -- set-up ----------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget calls, queued faults and what users can see (messages, views, uploads), response
        URLs and ``responses``, and restart the rate limiter's windows and report.

        The user directory, DM and group DM channel ids, stubs and the rate-limit settings are
        set-up and stay.
        """
        with self._lock:
            self._calls.clear()
            self._calls_by_method.clear()
            self._faults.clear()
            self._messages.clear()
            self._channel_index.clear()
            self._ephemeral_index.clear()
            if self._limiter is not None:
                self._limiter.reset()
            self._scheduled.clear()
            self._views.clear()
            self._home_tabs.clear()
            self._uploads.clear()
            self._response_urls.clear()
            self._responses.clear()

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        tz: str = "Asia/Seoul",
        tz_offset: int = 32400,
        locale: str = "ko-KR",
        deleted: bool = False,
        is_bot: bool = False,
        real_name: str | None = None,
        tz_label: str | None = None,
        email: str | None = None,
    ) -> None:
        """Add or replace a user that users.info / users.list answer with."""
        name = name or user_id.lower()
        user = _User(
            id=user_id,
            name=name,
            real_name=real_name or name,
            tz=tz,
            tz_label=tz_label or tz,
            tz_offset=tz_offset,
            locale=locale,
            deleted=deleted,
            is_bot=is_bot,
            email=email,
        )
        with self._lock:
            self._users[user_id] = user

    def fail_next(
        self,
        method: str,
        *,
        times: int = 1,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        delay: float = 0.0,
        record_side_effect: bool = False,
    ) -> None:
        """Make the next ``times`` calls of ``method`` misbehave (faults queue up per method).

        ``status=429`` answers ``ratelimited`` (with ``Retry-After`` if ``retry_after``);
        ``status>=500`` answers ``fatal_error`` unless ``error`` is given; ``error`` alone
        answers HTTP 200 ``ok: false``; ``delay`` sleeps before answering. With
        ``record_side_effect`` the call is carried out (e.g. the message is posted) before the
        delay or failure, as Slack sometimes does.
        """
        fault = _Fault(status, error, retry_after, delay, record_side_effect)
        if times < 1 or (not fault.fails and delay <= 0):
            raise ValueError("fail_next needs times >= 1 and a status, an error or a delay")
        with self._lock:
            self._faults[method].extend([fault] * times)

    def enforce_rate_limits(
        self,
        *,
        per_channel_per_second: float | None = 1.0,
        per_workspace_per_minute: int | None = 300,
        methods: Sequence[str] = ("chat.postMessage",),
        random_429_rate: float = 0.0,
        retry_after: int | None = None,
        seed: int | None = None,
    ) -> None:
        """Answer calls to ``methods`` over Slack-like limits with HTTP 429 (off by default).

        Each method has its own budget: at most ``per_workspace_per_minute`` accepted calls in
        any sliding 60 s for the workspace, and at most one call per ``1 / per_channel_per_second``
        seconds per channel (the resolved channel: a post to a user id counts against their DM).
        ``None`` switches a limit off. A call over a limit is answered
        ``429 {"ok": false, "error": "ratelimited"}`` with ``Retry-After``: ``retry_after`` if
        given, else the seconds until the limit frees a slot, rounded up, at least 1. It is
        recorded in ``calls`` but has no other effect (nothing stored, no fault consumed).

        ``random_429_rate`` answers that fraction of otherwise acceptable calls with 429 and
        Retry-After 1 (or ``retry_after``), drawn from ``random.Random(seed)``.

        Every 429 announces its Retry-After to the scope it protects: the workspace, or the
        channel for a per-channel rejection. A call that arrives while an announcement covering
        it is running is answered 429 again (Retry-After = the time left, rounded up, or
        ``retry_after``) and counted in ``rate_limit_report().calls_during_retry_after``.

        Calling this again replaces the settings and restarts windows and report.
        """
        limiter = _RateLimiter(
            team_id=self.team_id,
            per_channel_per_second=per_channel_per_second,
            per_workspace_per_minute=per_workspace_per_minute,
            methods=methods,
            random_429_rate=random_429_rate,
            retry_after=retry_after,
            seed=seed,
        )
        with self._lock:
            self._limiter = limiter
            self._enforcing = True

    def disable_rate_limits(self) -> None:
        """Stop enforcing rate limits; ``rate_limit_report()`` keeps the last report."""
        with self._lock:
            self._enforcing = False

    def rate_limit_report(self) -> RateLimitReport:
        """Counters since ``enforce_rate_limits()`` (all zero if it was never called)."""
        with self._lock:
            if self._limiter is None:
                return RateLimitReport(0, 0, 0, 0, None, None)
            return self._limiter.report()

    def response_url_for(self, *, user: str, channel: str, original_ts: str | None = None) -> str:
        """A fresh ``response_url`` on this server, as a slash command or ``block_actions``
        payload from ``user`` in ``channel`` (a user id means their DM) would carry.

        ``original_ts`` is the message the interaction came from (the message a button was on):
        ``replace_original``/``delete_original`` act on it. Without it (or once it is deleted)
        they act on the latest message posted through this URL; with no such message,
        ``replace_original`` posts a new one and ``delete_original`` does nothing. Up to
        ``RESPONSE_URL_MAX_USES`` posts are accepted, within ``RESPONSE_URL_LIFETIME_SECONDS``
        of ``wall_clock``; a rejected post does not count."""
        with self._lock:
            try:
                resolved = self._resolve_channel(channel)
            except _Refusal as refusal:
                problem = f"no response_url for channel {channel}: {refusal.error}"
                raise ValueError(problem) from None
            url = f"{self._origin}{_RESPONSE_PREFIX}{secrets.token_urlsafe(16)}"
            self._response_urls[url] = _ResponseUrl(
                url=url,
                user=user,
                channel=resolved,
                original_ts=original_ts,
                created_at=self._wall_clock(),
            )
            return url

    def stub(self, method: str, response: Mapping[str, Any]) -> None:
        """Answer a documented method with ``{"ok": True, **response}`` after validation."""
        if method not in self._rules:
            raise ValueError(f"{method} is not a Slack Web API method")
        with self._lock:
            self._stubs[method] = dict(response)

    # -- request pipeline ------------------------------------------------------------------

    def _route(self, path: str, query: str, headers: dict[str, str], body: bytes) -> _Reply:
        if path.startswith(_API_PREFIX):
            return self._serve_api(path[len(_API_PREFIX) :], query, headers, body)
        if path.startswith(_UPLOAD_PREFIX):
            return self._serve_upload(path[len(_UPLOAD_PREFIX) :], body)
        if path.startswith(_RESPONSE_PREFIX):
            return self._serve_response(self._origin + path, body)
        return _Reply(404, "Not Found")

    def _serve_api(self, method: str, query: str, headers: dict[str, str], body: bytes) -> _Reply:
        arrived = time.monotonic()
        args, body_error = _parse_request(query, headers, body)
        with self._lock:
            throttled = self._throttle(method, args)
            queued = self._faults.get(method) if throttled is None else None
            fault = queued.popleft() if queued else None
        reply = throttled or self._answer(method, args, headers, body_error, fault)
        assert isinstance(reply.body, dict)
        self._record(RecordedCall(method, args, headers, reply.status, reply.body, arrived))
        return reply

    def _answer(
        self,
        method: str,
        args: dict[str, Any],
        headers: Mapping[str, str],
        body_error: str | None,
        fault: _Fault | None,
    ) -> _Reply:
        if fault is None:
            return self._handle(method, args, headers, body_error)
        early = (
            self._handle(method, args, headers, body_error) if fault.record_side_effect else None
        )
        self._stopping.wait(fault.delay)
        if fault.fails:
            return fault.reply()
        return early or self._handle(method, args, headers, body_error)

    def _handle(
        self,
        method: str,
        args: dict[str, Any],
        headers: Mapping[str, str],
        body_error: str | None,
    ) -> _Reply:
        try:
            rules = self._rules.get(method)
            if rules is None:
                raise _Refusal("unknown_method")
            if body_error is not None:
                raise _Refusal(body_error)
            _check_auth(rules, args, headers)
            _check_required(rules, args)
            _check_content(method, args)
            with self._lock:
                return _Reply(200, {"ok": True, **self._dispatch(method, args)})
        except _Refusal as refusal:
            return refusal.reply()
        except Exception:
            crash = {"ok": False, "error": "fake_slack_crashed", "detail": traceback.format_exc()}
            return _Reply(500, crash)

    def _dispatch(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method in self._stubs:
            return copy.deepcopy(self._stubs[method])
        handler = self._handlers.get(method)
        if handler is None:
            raise _Refusal("fake_slack_not_implemented")
        return handler(args)

    def _throttle(self, method: str, args: Mapping[str, Any]) -> _Reply | None:
        if not self._enforcing or self._limiter is None or method not in self._limiter.methods:
            return None
        channel = args.get("channel")
        key = self._rate_limit_channel(str(channel)) if _present(channel) else None
        return self._limiter.check(method, key, time.monotonic())

    def _record(self, call: RecordedCall) -> None:
        with self._lock:
            bisect.insort(self._calls, call, key=_arrival)
            bisect.insort(self._calls_by_method[call.method], call, key=_arrival)

    def _serve_upload(self, file_id: str, body: bytes) -> _Reply:
        with self._lock:
            upload = self._uploads.get(file_id)
            if upload is None:
                return _Reply(404, "Not Found")
            upload["data"] = body
        return _Reply(200, f"OK - {len(body)}")

    def _serve_response(self, url: str, body: bytes) -> _Reply:
        """A post to a ``response_url``: Slack answers text, ``ok`` or the error's name."""
        arrived = time.monotonic()
        payload = _response_payload(body)
        with self._lock:
            target = self._response_urls.get(url)
            record: dict[str, Any] = {
                "url": url,
                "user": target.user if target else None,
                "channel": target.channel if target else None,
                "payload": copy.deepcopy(payload),
                "at": arrived,
                "status": 200,
                "error": None,
                "effect": None,
                "ts": None,
            }
            try:
                if target is None:
                    raise _Refusal("no_service")
                self._check_response(target, payload)
                record["effect"], record["ts"] = self._respond(target, payload)
                target.uses += 1
                reply = _Reply(200, "ok")
            except _Refusal as refusal:
                status = _RESPONSE_URL_ERROR_STATUS.get(refusal.error, 400)
                record.update(status=status, error=refusal.error)
                reply = _Reply(status, refusal.error)
            bisect.insort(self._responses, record, key=lambda r: r["at"])
        return reply

    def _check_response(self, target: _ResponseUrl, payload: dict[str, Any] | None) -> None:
        if self._wall_clock() - target.created_at > RESPONSE_URL_LIFETIME_SECONDS:
            raise _Refusal("expired_url")
        if target.uses >= RESPONSE_URL_MAX_USES:
            raise _Refusal("used_url")
        if payload is None:
            raise _Refusal("invalid_payload")
        if _truthy(payload.get("delete_original")):
            return
        if not any(_present(payload.get(key)) for key in ("text", "blocks", "attachments")):
            raise _Refusal("no_text")
        _check_message(payload)

    def _respond(self, target: _ResponseUrl, payload: dict[str, Any]) -> tuple[str, str | None]:
        """Carry out a valid response; answer the effect and the ts of the message it touched."""
        original = self._response_original(target)
        if _truthy(payload.get("delete_original")):
            if original is None:
                return "deleted", None
            self._remove_message(original)
            return "deleted", original["ts"]
        if _truthy(payload.get("replace_original")) and original is not None:
            for key in ("text", "blocks", "attachments"):
                original[key] = payload.get(key)
            if "metadata" in payload:
                original["metadata"] = payload["metadata"]
            return "replaced", original["ts"]
        in_channel = payload.get("response_type") == "in_channel"
        recipient = None if in_channel else target.user
        message = self._store_message(target.channel, payload, recipient=recipient)
        target.last_ts = message["ts"]
        effect = "replaced" if _truthy(payload.get("replace_original")) else "posted"
        return effect, message["ts"]

    def _response_original(self, target: _ResponseUrl) -> dict[str, Any] | None:
        """The interaction's message if it still exists, else the latest one posted through
        the URL if it still exists."""
        for ts in (target.original_ts, target.last_ts):
            units = _ts_units(ts) if ts is not None else None
            message = self._messages.get(units) if units is not None else None
            if message is not None and message["channel"] == target.channel:
                return message
        return None

    # -- workspace helpers (called with the lock held) -------------------------------------

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def _next_ts(self) -> str:
        """Wall-clock time in microseconds, bumped to stay unique and increasing."""
        units = max(round(self._wall_clock() * _TS_UNITS), self._last_ts_units + 1)
        self._last_ts_units = units
        return _format_ts(units)

    def _dm_for(self, user_id: str, *, disabled_error: str) -> str:
        user = self._users.get(user_id)
        if user is not None and user.deleted:
            raise _Refusal(disabled_error)
        if user_id not in self._dms:
            dm = self._new_id("D")
            self._dms[user_id] = dm
            self._dm_users[dm] = user_id
        return self._dms[user_id]

    def _group_dm_for(self, user_ids: list[str]) -> tuple[str, bool]:
        """The group DM of these users (the bot left out), opened if need be, and whether it
        already was open. Unknown users are accepted, as for a 1:1 DM."""
        for user_id in user_ids:
            user = self._users.get(user_id)
            if user is not None and user.deleted:
                raise _Refusal("user_disabled")
        members = frozenset(user_ids) - {self.bot_user_id}
        channel = self._group_dms.get(members)
        if channel is not None:
            return channel, True
        channel = self._new_id("G")
        self._group_dms[members] = channel
        self._group_dm_members[channel] = members
        return channel, False

    def _resolve_channel(self, channel: str) -> str:
        if _is_user_id(channel):
            return self._dm_for(channel, disabled_error="channel_not_found")
        return channel

    def _rate_limit_channel(self, channel: str) -> str:
        """The channel a call counts against: a user's DM for a user id (opened if need be, as
        the post itself would), the user id itself for a deactivated user."""
        try:
            return self._resolve_channel(channel)
        except _Refusal:
            return channel

    def _store_message(
        self, channel: str, args: Mapping[str, Any], *, recipient: str | None = None
    ) -> dict[str, Any]:
        message = {
            "channel": channel,
            "ts": self._next_ts(),
            "text": args.get("text"),
            "blocks": args.get("blocks"),
            "attachments": args.get("attachments"),
            "thread_ts": args.get("thread_ts"),
            "metadata": args.get("metadata"),
            "files": args.get("files"),
            "reactions": [],
            "user": recipient,
            "ephemeral": recipient is not None,
        }
        units = _ts_units(message["ts"])
        assert units is not None
        # Timestamps only grow, so appending keeps every index sorted.
        self._messages[units] = message
        self._channel_index[channel].append(units)
        if recipient is not None:
            self._ephemeral_index[recipient].append(units)
        return message

    def _find_message(self, channel: str, ts: Any) -> dict[str, Any]:
        units = _ts_units(str(ts))
        message = self._messages.get(units) if units is not None else None
        if message is None or message["channel"] != channel or message["ephemeral"]:
            raise _Refusal("message_not_found")
        return message

    def _remove_message(self, message: Mapping[str, Any]) -> None:
        units = _ts_units(message["ts"])
        assert units is not None
        del self._messages[units]
        _remove_sorted(self._channel_index[message["channel"]], units)
        if message["user"] is not None:
            _remove_sorted(self._ephemeral_index[message["user"]], units)

    def _message_json(
        self, message: Mapping[str, Any], *, include_metadata: bool = True
    ) -> dict[str, Any]:
        body = {
            "type": "message",
            "text": message["text"] or "",
            "user": self.bot_user_id,
            "ts": message["ts"],
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
        }
        for key in ("blocks", "attachments", "thread_ts"):
            if message[key] is not None:
                body[key] = message[key]
        if include_metadata and message["metadata"] is not None:
            body["metadata"] = message["metadata"]
        return body

    def _history_json(
        self, message: Mapping[str, Any], *, include_metadata: bool
    ) -> dict[str, Any]:
        body = self._message_json(message, include_metadata=include_metadata)
        if message["files"]:
            body["files"] = [{"id": file_id} for file_id in message["files"]]
        if message["reactions"]:
            body["reactions"] = [
                {"name": name, "users": [self.bot_user_id], "count": 1}
                for name in message["reactions"]
            ]
        return body

    def _store_view(
        self, raw: Mapping[str, Any], *, replaces: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        view_id = replaces["id"] if replaces else self._new_id("V")
        self._check_external_id(raw.get("external_id"), view_id)
        view = {
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "close": None,
            "submit": None,
            "clear_on_close": False,
            "notify_on_close": False,
            **copy.deepcopy(dict(raw)),
            "id": view_id,
            "team_id": self.team_id,
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "root_view_id": replaces["root_view_id"] if replaces else view_id,
            "previous_view_id": None,
            "app_id": self.app_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        self._views[view_id] = view
        return view

    def _check_external_id(self, external_id: str | None, view_id: str) -> None:
        for other in self._views.values():
            if external_id and other["external_id"] == external_id and other["id"] != view_id:
                raise _Refusal("duplicate_external_id")

    @staticmethod
    def _check_hash(args: Mapping[str, Any], current: Mapping[str, Any] | None) -> None:
        if current is not None and args.get("hash") and args["hash"] != current["hash"]:
            raise _Refusal("hash_conflict")

    # -- method handlers (called with the lock held) ---------------------------------------

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://fake-workspace.slack.com/",
            "team": "Fake Workspace",
            "user": self._users[self.bot_user_id].name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args["channel"])
        message = self._store_message(channel, args)
        return {"channel": channel, "ts": message["ts"], "message": self._message_json(message)}

    def _chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args["channel"])
        message = self._store_message(channel, args, recipient=args["user"])
        return {"message_ts": message["ts"]}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args["channel"])
        message = self._find_message(channel, args["ts"])
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in args:
                message[key] = args[key]
        return {
            "channel": channel,
            "ts": message["ts"],
            "text": message["text"] or "",
            "message": self._message_json(message),
        }

    def _chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args["channel"])
        self._remove_message(self._find_message(channel, args["ts"]))
        return {"channel": channel, "ts": args["ts"]}

    def _chat_schedule_message(self, args: dict[str, Any]) -> dict[str, Any]:
        try:
            post_at = int(args["post_at"])
        except (TypeError, ValueError):
            raise _Refusal("invalid_time") from None
        if post_at <= time.time():
            raise _Refusal("time_in_past")
        channel = self._resolve_channel(args["channel"])
        scheduled = {
            "id": self._new_id("Q"),
            "channel_id": channel,
            "post_at": post_at,
            "date_created": int(time.time()),
            "text": args.get("text") or "",
            "blocks": args.get("blocks"),
            "thread_ts": args.get("thread_ts"),
        }
        self._scheduled.append(scheduled)
        message = {"type": "delayed_message", "text": scheduled["text"], "bot_id": self.bot_id}
        return {
            "channel": channel,
            "scheduled_message_id": scheduled["id"],
            "post_at": post_at,
            "message": message,
        }

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if args.get("channel"):
            return {"channel": {"id": args["channel"]}}
        users = list(dict.fromkeys(u.strip() for u in str(args.get("users") or "").split(",")))
        users = [u for u in users if u]
        if not users:
            raise _Refusal("users_list_not_supplied")
        if len(users) > MAX_GROUP_DM_USERS:
            raise _Refusal("too_many_users")
        others = [u for u in users if u != self.bot_user_id]
        if len(others) > 1:
            return self._open_group_dm(users, args)
        if others:
            users = others
        already_open = users[0] in self._dms
        channel: dict[str, Any] = {"id": self._dm_for(users[0], disabled_error="user_disabled")}
        if _truthy(args.get("return_im")):
            channel.update(is_im=True, user=users[0], created=_TS_EPOCH)
        answer: dict[str, Any] = {"channel": channel}
        if already_open:
            answer.update(no_op=True, already_open=True)
        return answer

    def _open_group_dm(self, users: list[str], args: Mapping[str, Any]) -> dict[str, Any]:
        channel_id, already_open = self._group_dm_for(users)
        channel: dict[str, Any] = {"id": channel_id}
        if _truthy(args.get("return_im")):
            channel.update(is_im=False, is_mpim=True, is_private=True, created=_TS_EPOCH)
        answer: dict[str, Any] = {"channel": channel}
        if already_open:
            answer.update(no_op=True, already_open=True)
        return answer

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Top-level messages (no ephemeral ones, no thread replies) of one conversation, newest
        first, paged with a ``next_ts:`` cursor like Slack's. A user id is not a conversation:
        history of a DM needs its ``D`` id (from a post's ``channel`` or conversations.open), and
        a ``G`` id must be a group DM conversations.open assigned."""
        channel = str(args["channel"])
        unknown_dm = channel.startswith("D") and channel not in self._dm_users
        unknown_group_dm = channel.startswith("G") and channel not in self._group_dm_members
        if _is_user_id(channel) or unknown_dm or unknown_group_dm:
            raise _Refusal("channel_not_found")
        index = self._channel_index.get(channel, [])
        inclusive = _truthy(args.get("inclusive"))
        oldest = _ts_arg(args.get("oldest"), error="invalid_ts_oldest")
        latest = _ts_arg(args.get("latest"), error="invalid_ts_latest")
        low = 0 if oldest is None else _bisect_after(index, oldest, inclusive=inclusive)
        high = len(index) if latest is None else _bisect_before(index, latest, inclusive=inclusive)
        if _present(args.get("cursor")):
            high = min(high, bisect.bisect_right(index, _history_cursor_units(args["cursor"])))
        limit = _history_limit(args.get("limit"))
        page: list[dict[str, Any]] = []
        next_units: int | None = None
        for position in range(high - 1, low - 1, -1):
            message = self._messages[index[position]]
            if not _in_history(message):
                continue
            if len(page) == limit:
                next_units = index[position]
                break
            page.append(message)
        include_metadata = _truthy(args.get("include_all_metadata"))
        answer: dict[str, Any] = {
            "messages": [self._history_json(m, include_metadata=include_metadata) for m in page],
            "has_more": next_units is not None,
            "pin_count": 0,
            "channel_actions_ts": None,
            "channel_actions_count": 0,
            "response_metadata": {"next_cursor": _history_cursor(next_units)},
        }
        for bound in ("oldest", "latest"):
            if _present(args.get(bound)):
                answer[bound] = str(args[bound])
        return answer

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self._users.get(args["user"])
        if user is None:
            raise _Refusal("user_not_found")
        include_locale = _truthy(args.get("include_locale"))
        return {"user": user.as_api(self.team_id, self.bot_id, include_locale=include_locale)}

    def _users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        users = list(self._users.values())
        start = _cursor_index(args.get("cursor"), [u.id for u in users])
        limit = int(args.get("limit") or 0)
        end = start + limit if limit else len(users)
        include_locale = _truthy(args.get("include_locale"))
        members = [
            u.as_api(self.team_id, self.bot_id, include_locale=include_locale) for u in users
        ]
        next_cursor = _cursor_for(users[end].id) if end < len(users) else ""
        return {
            "members": members[start:end],
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"view": self._store_view(args["view"])}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        current = self._views.get(args.get("view_id") or "") or next(
            (v for v in self._views.values() if v["external_id"] == args.get("external_id")),
            None,
        )
        if current is None:
            raise _Refusal("not_found")
        self._check_hash(args, current)
        return {"view": self._store_view(args["view"], replaces=current)}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = args["user_id"]
        current = self._views.get(self._home_tabs.get(user_id, ""))
        self._check_hash(args, current)
        view = self._store_view(args["view"], replaces=current)
        self._home_tabs[user_id] = view["id"]
        return {"view": view}

    def _reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args["channel"])
        message = self._find_message(channel, args["timestamp"])
        if args["name"] in message["reactions"]:
            raise _Refusal("already_reacted")
        message["reactions"].append(args["name"])
        return {}

    def _files_get_upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        try:
            length = int(args["length"])
        except (TypeError, ValueError):
            raise _Refusal("invalid_arguments", ["[ERROR] length must be an integer"]) from None
        file_id = self._new_id("F")
        self._uploads[file_id] = {
            "id": file_id,
            "name": args["filename"],
            "title": None,
            "length": length,
            "alt_txt": args.get("alt_txt"),
            "data": None,
        }
        return {"upload_url": f"{self._origin}{_UPLOAD_PREFIX}{file_id}", "file_id": file_id}

    def _files_complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        entries = _json_list(args["files"], field_name="files")
        uploads = [self._uploaded(entry) for entry in entries]
        channels = _share_targets(args)
        for channel_id in channels:
            channel = self._resolve_channel(channel_id)
            shared = {
                "text": args.get("initial_comment"),
                "thread_ts": args.get("thread_ts"),
                "files": [u["id"] for u in uploads],
            }
            self._store_message(channel, shared)
        return {"files": [self._file_json(upload, channels) for upload in uploads]}

    def _uploaded(self, entry: Any) -> dict[str, Any]:
        upload = self._uploads.get(entry.get("id")) if isinstance(entry, dict) else None
        if upload is None or upload["data"] is None:
            raise _Refusal("file_not_found")
        upload["title"] = entry.get("title") or upload["name"]
        return upload

    def _file_json(self, upload: Mapping[str, Any], channels: list[str]) -> dict[str, Any]:
        name = upload["name"]
        now = int(time.time())
        return {
            "id": upload["id"],
            "name": name,
            "title": upload["title"],
            "mimetype": mimetypes.guess_type(name)[0] or "application/octet-stream",
            "filetype": Path(name).suffix.lstrip(".") or "binary",
            "size": len(upload["data"]),
            "user": self.bot_user_id,
            "user_team": self.team_id,
            "created": now,
            "timestamp": now,
            "channels": channels,
            "url_private": f"{self._origin}/files/{upload['id']}/{name}",
            "permalink": f"https://fake-workspace.slack.com/files/{upload['id']}",
        }


# -- HTTP glue ---------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    """Listen backlog; the default of 5 drops connections when a client posts concurrently."""

    def __init__(self, fake: FakeSlack) -> None:
        super().__init__(("127.0.0.1", 0), _RequestHandler)
        self.fake = fake


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        target = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = dict(self.headers.items())
        self._send(self.server.fake._route(target.path, target.query, headers, body))

    def _send(self, reply: _Reply) -> None:
        payload, content_type = reply.payload()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


# -- request parsing and validation ------------------------------------------------------------


def _parse_request(
    query: str, headers: Mapping[str, str], body: bytes
) -> tuple[dict[str, Any], str | None]:
    """Merge query and body into one dict; the second value is Slack's error for a bad body."""
    args: dict[str, Any] = _form_fields(query)
    if body:
        content_type = _header(headers, "Content-Type").split(";")[0].strip().lower()
        if content_type == "application/json":
            try:
                parsed = json.loads(body)
            except ValueError:
                return args, "invalid_json"
            if not isinstance(parsed, dict):
                return args, "invalid_json"
            args.update(parsed)
        elif content_type == "application/x-www-form-urlencoded":
            args.update(_form_fields(body.decode("utf-8")))
        else:
            return args, "invalid_form_data"
    return _decode_json_args(args), None


def _form_fields(encoded: str) -> dict[str, Any]:
    return dict(parse_qsl(encoded, keep_blank_values=True))


def _decode_json_args(args: dict[str, Any]) -> dict[str, Any]:
    for key in JSON_ARGS:
        value = args.get(key)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                args[key] = json.loads(value)
    return args


def _header(headers: Mapping[str, str], name: str) -> str:
    return next((v for k, v in headers.items() if k.lower() == name.lower()), "")


def _check_auth(rules: MethodRules, args: Mapping[str, Any], headers: Mapping[str, str]) -> None:
    if not rules.needs_token:
        return
    authorization = _header(headers, "Authorization")
    token = authorization[len("Bearer ") :].strip() if authorization.startswith("Bearer ") else ""
    token = token or str(args.get("token") or "")
    if not token:
        raise _Refusal("not_authed")
    if not token.startswith("xox"):
        raise _Refusal("invalid_auth")


def _check_required(rules: MethodRules, args: Mapping[str, Any]) -> None:
    missing = sorted(name for name in rules.required - {"token"} if not _present(args.get(name)))
    if missing:
        raise _Refusal(
            "invalid_arguments", [f"[ERROR] missing required field: {name}" for name in missing]
        )
    for group in rules.arg_groups:
        _check_arg_group(rules, group, args)


def _check_arg_group(rules: MethodRules, group: ArgGroup, args: Mapping[str, Any]) -> None:
    given = [name for name in group.args if _present(args.get(name))]
    if group.required and not given:
        if "text" in group.args and "no_text" in rules.errors:
            raise _Refusal("no_text")
        names = ", ".join(group.args)
        raise _Refusal("invalid_arguments", [f"[ERROR] missing required field: one of {names}"])
    if group.mutually_exclusive and len(given) > 1:
        if "markdown_text" in given and "markdown_text_conflict" in rules.errors:
            raise _Refusal("markdown_text_conflict")
        names = ", ".join(given)
        raise _Refusal("invalid_arguments", [f"[ERROR] only one of {names} is allowed"])


def _check_content(method: str, args: Mapping[str, Any]) -> None:
    if method in MESSAGE_METHODS:
        _check_message(args)
    elif method in VIEW_METHODS:
        _check_view(args["view"])


def _check_message(args: Mapping[str, Any]) -> None:
    text = args.get("text")
    if isinstance(text, str) and len(text) > MAX_TEXT_CHARS:
        raise _Refusal("msg_too_long")
    _check_metadata(args.get("metadata"))
    blocks = args.get("blocks")
    if blocks is None:
        return
    if not isinstance(blocks, list):
        raise _Refusal("invalid_blocks_format")
    problems = _block_problems(blocks, limit=MAX_MESSAGE_BLOCKS, pointer="/blocks")
    if problems:
        raise _Refusal("invalid_blocks", problems)


def _response_payload(body: bytes) -> dict[str, Any] | None:
    """A ``response_url`` post's JSON object (JSON-string ``blocks`` etc. decoded), or None."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    return _decode_json_args(parsed) if isinstance(parsed, dict) else None


def _check_metadata(metadata: Any) -> None:
    """Message metadata is ``{"event_type": str, "event_payload": {...}}`` (or Work Object
    ``entities``); a string that is not JSON stays a string and is ``invalid_metadata_format``."""
    if not _present(metadata):
        return
    if not isinstance(metadata, dict):
        raise _Refusal("invalid_metadata_format")
    if "entities" in metadata and "event_type" not in metadata:
        return
    event_type = metadata.get("event_type")
    if not isinstance(event_type, str) or not event_type:
        raise _Refusal("invalid_metadata_schema")
    if not isinstance(metadata.get("event_payload"), dict):
        raise _Refusal("invalid_metadata_schema")


def _check_view(view: Any) -> None:
    if not isinstance(view, dict):
        raise _Refusal("invalid_arguments", ["[ERROR] view must be a JSON object"])
    if len(json.dumps(view)) > MAX_VIEW_BYTES:
        raise _Refusal("view_too_large")
    blocks = view.get("blocks") or []
    if not isinstance(blocks, list):
        raise _Refusal("invalid_arguments", ["[ERROR] blocks must be an array"])
    problems = _block_problems(blocks, limit=MAX_VIEW_BLOCKS, pointer="/view/blocks")
    problems = problems or _view_problems(view)
    if problems:
        raise _Refusal("invalid_arguments", problems)


def _block_problems(blocks: list[Any], *, limit: int, pointer: str) -> list[str]:
    if len(blocks) > limit:
        return [f"[ERROR] no more than {limit} items allowed [json-pointer:{pointer}]"]
    problems = ((i, _block_problem(block)) for i, block in enumerate(blocks))
    return [f"[ERROR] {p} [json-pointer:{pointer}/{i}]" for i, p in problems if p]


def _block_problem(raw: Any) -> str | None:
    """Why slack_sdk rejects this block, or None. ``to_dict()`` runs ``validate_json()`` on the
    block and on every nested element, which ``validate_json()`` alone does not."""
    if not isinstance(raw, dict):
        return "block must be a JSON object"
    try:
        block = Block.parse(raw)
        if block is None:
            return f"unknown block type {raw.get('type')!r}"
        block.to_dict()
    except Exception as exc:
        return str(exc) or type(exc).__name__
    return None


def _view_problems(view: dict[str, Any]) -> list[str]:
    try:
        View(**view).to_dict()
    except Exception as exc:
        return [f"[ERROR] {exc} [json-pointer:/view]"]
    return []


# -- small value helpers -----------------------------------------------------------------------


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes"}


def _is_user_id(value: str) -> bool:
    return value[:1] in {"U", "W"}


def _arrival(call: RecordedCall) -> float:
    return call.at


def _format_ts(units: int) -> str:
    seconds, micros = divmod(units, _TS_UNITS)
    return f"{seconds}.{micros:06d}"


def _ts_units(value: str) -> int | None:
    """``"1700000000.000100"`` -> microseconds since the epoch; None unless a timestamp."""
    seconds, _, fraction = value.strip().partition(".")
    if not seconds.isdigit() or not (fraction == "" or fraction.isdigit()) or len(fraction) > 6:
        return None
    return int(seconds) * _TS_UNITS + int(fraction.ljust(6, "0"))


def _ts_arg(value: Any, *, error: str) -> int | None:
    if not _present(value):
        return None
    units = _ts_units(str(value))
    if units is None:
        raise _Refusal(error)
    return units


def _bisect_after(index: list[int], oldest: int, *, inclusive: bool) -> int:
    return (bisect.bisect_left if inclusive else bisect.bisect_right)(index, oldest)


def _bisect_before(index: list[int], latest: int, *, inclusive: bool) -> int:
    return (bisect.bisect_right if inclusive else bisect.bisect_left)(index, latest)


def _remove_sorted(index: list[int], units: int) -> None:
    position = bisect.bisect_left(index, units)
    if position < len(index) and index[position] == units:
        del index[position]


def _in_history(message: Mapping[str, Any]) -> bool:
    """conversations.history shows top-level messages: no ephemeral ones, no thread replies."""
    thread_ts = message["thread_ts"]
    return not message["ephemeral"] and (thread_ts is None or thread_ts == message["ts"])


def _history_limit(value: Any) -> int:
    if not _present(value):
        return HISTORY_DEFAULT_LIMIT
    try:
        limit = int(value)
    except (TypeError, ValueError):
        raise _Refusal("invalid_arguments", ["[ERROR] limit must be an integer"]) from None
    return HISTORY_DEFAULT_LIMIT if limit < 1 else min(limit, HISTORY_MAX_LIMIT)


def _history_cursor(units: int | None) -> str:
    """Slack's history cursor: base64 of ``next_ts:`` + the next message's ts without the dot."""
    if units is None:
        return ""
    return base64.b64encode(f"{_CURSOR_PREFIX}{units}".encode()).decode()


def _history_cursor_units(cursor: Any) -> int:
    try:
        decoded = base64.b64decode(str(cursor), validate=True).decode()
    except ValueError:
        raise _Refusal("invalid_cursor") from None
    digits = decoded.removeprefix(_CURSOR_PREFIX)
    if not decoded.startswith(_CURSOR_PREFIX) or not digits.isdigit():
        raise _Refusal("invalid_cursor")
    return int(digits)


def _cursor_for(user_id: str) -> str:
    return base64.b64encode(f"user:{user_id}".encode()).decode()


def _cursor_index(cursor: str | None, user_ids: list[str]) -> int:
    if not cursor:
        return 0
    for index, user_id in enumerate(user_ids):
        if _cursor_for(user_id) == cursor:
            return index
    raise _Refusal("invalid_cursor")


def _json_list(value: Any, *, field_name: str) -> list[Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if not isinstance(value, list):
        raise _Refusal("invalid_arguments", [f"[ERROR] {field_name} must be a JSON array"])
    return value


def _share_targets(args: Mapping[str, Any]) -> list[str]:
    if args.get("channel_id"):
        return [args["channel_id"]]
    return [c for c in str(args.get("channels") or "").split(",") if c]
