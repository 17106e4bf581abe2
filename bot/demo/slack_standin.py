"""A local stand-in for Slack's Web API, for `mentor-bot demo`.

A stdlib ThreadingHTTPServer on 127.0.0.1 (a free port) answers `/api/<method>` for the methods
the bot calls, `response_url` posts on `/response/<token>` and file bytes on `/upload/<id>`.
It keeps a tiny workspace (people, DMs, group DMs, messages, modals, the Home tab) and a feed per
person of what they would newly see, which the console prints. A method it does not model answers
`{"ok": false, "error": "not_in_demo"}`, so nothing passes for a success by accident.

It is not a test double: it checks no limits and injects no faults (the tests' fake does that).
"""

from __future__ import annotations

import copy
import itertools
import json
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from bot.demo.people import Person

JSON_ARGS = ("blocks", "view", "attachments", "metadata", "files")


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] | None
    author: str
    """The bot's user id, or the person who wrote it."""
    thread_ts: str | None = None
    metadata: dict[str, Any] | None = None
    files: list[dict[str, Any]] = field(default_factory=list)
    ephemeral_to: str | None = None
    posted_at: datetime | None = None


@dataclass
class FeedItem:
    """Something a person newly sees: a message (new or changed) or a modal."""

    kind: str
    """"message", "updated", "deleted", "modal" or "home"."""
    key: str
    """The message ts or the view id."""


@dataclass
class _ResponseUrl:
    user: str
    channel: str
    original_ts: str | None
    last_ts: str | None = None


class SlackStandin:
    def __init__(
        self,
        *,
        team_id: str,
        bot_user_id: str,
        bot_name: str,
        people: Sequence[Person],
        now: Callable[[], datetime],
    ) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = "B" + bot_user_id[1:]
        self._bot_name = bot_name
        self.people = {p.user_id: p for p in people}
        self._now = now
        self._lock = threading.RLock()
        self._ids = itertools.count(1)
        self._last_ts_units = 0
        self.calls = 0
        """Web API calls answered so far (the console waits for this to settle)."""
        self.messages: dict[str, Message] = {}
        self._dms: dict[str, str] = {}
        self._dm_users: dict[str, str] = {}
        self._groups: dict[frozenset[str], str] = {}
        self.group_members: dict[str, frozenset[str]] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.view_owner: dict[str, str] = {}
        self.modal_stack: dict[str, list[str]] = {}
        self.home: dict[str, str] = {}
        self._triggers: dict[str, str] = {}
        self._response_urls: dict[str, _ResponseUrl] = {}
        self.uploads: dict[str, dict[str, Any]] = {}
        self._feeds: dict[str, list[FeedItem]] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "conversations.open": self._conversations_open,
            "conversations.history": self._conversations_history,
            "users.info": self._users_info,
            "users.list": self._users_list,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "reactions.add": lambda _args: {},
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
        }

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> SlackStandin:
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def origin(self) -> str:
        assert self._server is not None, "the stand-in is not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.origin + "/api/"

    # -- what the console uses ------------------------------------------------------------

    def name_of(self, user_id: str) -> str:
        if user_id == self.bot_user_id:
            return self._bot_name
        person = self.people.get(user_id)
        return person.name if person else user_id

    def zone_of(self, user_id: str) -> ZoneInfo:
        person = self.people.get(user_id)
        return ZoneInfo(person.tz if person else "UTC")

    def new_trigger(self, user_id: str) -> str:
        trigger = f"{next(self._ids)}.{secrets.token_hex(4)}"
        with self._lock:
            self._triggers[trigger] = user_id
        return trigger

    def response_url_for(self, user_id: str, channel: str, original_ts: str | None = None) -> str:
        token = secrets.token_urlsafe(12)
        with self._lock:
            self._response_urls[token] = _ResponseUrl(user_id, channel, original_ts)
        return f"{self.origin}/response/{token}"

    def bind_response_url(self, url: str, ts: str) -> None:
        """The message a response_url's replace_original replaces: a slash command's answer."""
        with self._lock:
            target = self._response_urls.get(url.rsplit("/", 1)[-1])
            if target is not None and target.last_ts is None:
                target.last_ts = ts

    def dm_of(self, user_id: str) -> str:
        with self._lock:
            return self._dm_for(user_id)

    def post_as_person(self, user_id: str, text: str) -> Message:
        """A message the person writes in their DM with the bot (not put in their own feed)."""
        with self._lock:
            return self._store(self._dm_for(user_id), {"text": text}, author=user_id)

    def record_answer(self, user_id: str, channel: str, payload: dict[str, Any]) -> Message:
        """A slash command's answer, shown only to the person (the console prints it at once,
        so it does not go to their feed); kept so a response_url can replace it."""
        with self._lock:
            message = self._store(channel, _decode(dict(payload)), author=self.bot_user_id)
            message.ephemeral_to = user_id
            return message

    def take_feed(self, user_id: str) -> list[FeedItem]:
        """What the person has not seen yet, oldest first, each message or modal once."""
        with self._lock:
            items = self._feeds.pop(user_id, [])
        seen: dict[str, FeedItem] = {}
        for item in items:
            earlier = seen.get(item.key)
            if earlier is not None and earlier.kind in ("message", "modal"):
                if item.kind == "deleted":
                    earlier.kind = "deleted"
                continue
            seen.pop(item.key, None)
            seen[item.key] = item
        return list(seen.values())

    def pending_counts(self) -> dict[str, int]:
        with self._lock:
            return {user: len(items) for user, items in self._feeds.items() if items}

    def conversation(self, user_id: str, limit: int = 8) -> list[Message]:
        """The latest messages the person can see in their DM and group DMs."""
        with self._lock:
            visible = [m for m in self.messages.values() if user_id in self._audience(m)]
        return sorted(visible, key=lambda m: _units(m.ts))[-limit:]

    def top_modal(self, user_id: str) -> dict[str, Any] | None:
        with self._lock:
            stack = self.modal_stack.get(user_id) or []
            return copy.deepcopy(self.views[stack[-1]]) if stack else None

    def close_modal(self, user_id: str, *, all_of_them: bool = False) -> None:
        with self._lock:
            stack = self.modal_stack.get(user_id) or []
            if all_of_them:
                stack.clear()
            elif stack:
                stack.pop()

    def replace_modal(self, user_id: str, view: dict[str, Any], *, push: bool) -> None:
        """A view_submission answered with response_action update or push."""
        with self._lock:
            stack = self.modal_stack.setdefault(user_id, [])
            replaces = self.views.get(stack[-1]) if stack and not push else None
            stored = self._store_view(view, user_id, replaces=replaces)
            if replaces is None:
                stack.append(stored["id"])

    # -- HTTP -----------------------------------------------------------------------------

    def route(self, path: str, query: str, content_type: str, body: bytes) -> tuple[int, Any]:
        if path.startswith("/api/"):
            args = _parse(query, content_type, body)
            return 200, self._call(path[len("/api/") :], args)
        if path.startswith("/upload/"):
            with self._lock:
                upload = self.uploads.get(path[len("/upload/") :])
                if upload is None:
                    return 404, "Not Found"
                upload["data"] = body
            return 200, f"OK - {len(body)}"
        if path.startswith("/response/"):
            return self._respond(path[len("/response/") :], body)
        return 404, "Not Found"

    def _call(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        handler = self._handlers.get(method)
        if handler is None:
            return {"ok": False, "error": "not_in_demo"}
        try:
            with self._lock:
                self.calls += 1
                return {"ok": True, **handler(args)}
        except _Refusal as refusal:
            return {"ok": False, "error": str(refusal)}

    def _respond(self, token: str, body: bytes) -> tuple[int, str]:
        try:
            payload = _decode(json.loads(body))
        except ValueError:
            return 400, "invalid_payload"
        with self._lock:
            self.calls += 1
            target = self._response_urls.get(token)
            if target is None:
                return 404, "no_service"
            original = self.messages.get(target.original_ts or target.last_ts or "")
            if payload.get("delete_original") and original is not None:
                self._remove(original)
            elif payload.get("replace_original") and original is not None:
                original.text = payload.get("text") or ""
                original.blocks = payload.get("blocks")
                self._tell(self._audience(original), FeedItem("updated", original.ts))
            else:
                in_channel = payload.get("response_type") == "in_channel"
                message = self._store(
                    target.channel,
                    payload,
                    ephemeral_to=None if in_channel else target.user,
                )
                target.last_ts = message.ts
        return 200, "ok"

    # -- workspace (lock held) ------------------------------------------------------------

    def _dm_for(self, user_id: str) -> str:
        if user_id not in self._dms:
            channel = f"D{next(self._ids):08d}"
            self._dms[user_id] = channel
            self._dm_users[channel] = user_id
        return self._dms[user_id]

    def _channel(self, channel: str) -> str:
        if channel[:1] in ("U", "W"):
            if channel not in self.people:
                raise _Refusal("channel_not_found")
            return self._dm_for(channel)
        if channel in self._dm_users or channel in self.group_members:
            return channel
        raise _Refusal("channel_not_found")

    def _audience(self, message: Message) -> set[str]:
        if message.ephemeral_to is not None:
            return {message.ephemeral_to}
        if message.channel in self._dm_users:
            return {self._dm_users[message.channel]}
        return set(self.group_members.get(message.channel, ()))

    def _tell(self, users: set[str], item: FeedItem) -> None:
        for user in users:
            self._feeds.setdefault(user, []).append(FeedItem(item.kind, item.key))

    def _next_ts(self) -> str:
        """Slack-like timestamps from the demo's clock, strictly increasing."""
        units = max(round(self._now().timestamp() * 1_000_000), self._last_ts_units + 1)
        self._last_ts_units = units
        return f"{units // 1_000_000}.{units % 1_000_000:06d}"

    def _store(
        self,
        channel: str,
        args: dict[str, Any],
        *,
        author: str | None = None,
        ephemeral_to: str | None = None,
    ) -> Message:
        message = Message(
            channel=channel,
            ts=self._next_ts(),
            text=str(args.get("text") or ""),
            blocks=args.get("blocks"),
            author=author or self.bot_user_id,
            thread_ts=args.get("thread_ts") or None,
            metadata=args.get("metadata") or None,
            files=list(args.get("files") or []),
            ephemeral_to=ephemeral_to,
            posted_at=self._now(),
        )
        self.messages[message.ts] = message
        if author is None:
            self._tell(self._audience(message), FeedItem("message", message.ts))
        return message

    def _find(self, channel: str, ts: Any) -> Message:
        message = self.messages.get(str(ts))
        if message is None or message.channel != channel:
            raise _Refusal("message_not_found")
        return message

    def _remove(self, message: Message) -> None:
        self._tell(self._audience(message), FeedItem("deleted", message.ts))
        del self.messages[message.ts]

    def _store_view(
        self, raw: dict[str, Any], user_id: str, *, replaces: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        view_id = replaces["id"] if replaces else f"V{next(self._ids):08d}"
        view = {
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            **copy.deepcopy(raw),
            "id": view_id,
            "team_id": self.team_id,
            "state": {"values": {}},
            "hash": secrets.token_hex(6),
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": "A" + self.bot_user_id[1:],
            "bot_id": self.bot_id,
        }
        self.views[view_id] = view
        self.view_owner[view_id] = user_id
        kind = "home" if raw.get("type") == "home" else "modal"
        self._tell({user_id}, FeedItem(kind, view_id))
        return view

    def _user_json(self, person: Person) -> dict[str, Any]:
        offset = self._now().astimezone(ZoneInfo(person.tz)).utcoffset()
        assert offset is not None
        return {
            "id": person.user_id,
            "team_id": self.team_id,
            "name": person.name,
            "real_name": person.real_name,
            "deleted": False,
            "is_bot": False,
            "tz": person.tz,
            "tz_label": person.tz,
            "tz_offset": int(offset.total_seconds()),
            "locale": person.locale,
            "profile": {"real_name": person.real_name, "display_name": person.name},
        }

    # -- methods (lock held) --------------------------------------------------------------

    def _auth_test(self, _args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://demo.slack.invalid/",
            "team": "Demo Workspace",
            "user": "mentor-bot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        message = self._store(self._channel(str(args.get("channel") or "")), args)
        return {"channel": message.channel, "ts": message.ts, "message": {"ts": message.ts}}

    def _chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(str(args.get("channel") or ""))
        message = self._store(channel, args, ephemeral_to=str(args["user"]))
        return {"message_ts": message.ts}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        message = self._find(self._channel(str(args.get("channel") or "")), args.get("ts"))
        if "text" in args:
            message.text = str(args["text"] or "")
        if "blocks" in args:
            message.blocks = args["blocks"]
        if "metadata" in args:
            message.metadata = args["metadata"]
        self._tell(self._audience(message), FeedItem("updated", message.ts))
        return {"channel": message.channel, "ts": message.ts, "text": message.text}

    def _chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        message = self._find(self._channel(str(args.get("channel") or "")), args.get("ts"))
        self._remove(message)
        return {"channel": message.channel, "ts": message.ts}

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = [u.strip() for u in str(args.get("users") or "").split(",") if u.strip()]
        others = sorted(set(users) - {self.bot_user_id})
        if not others:
            raise _Refusal("users_list_not_supplied")
        if any(u not in self.people for u in others):
            raise _Refusal("user_not_found")
        if len(others) == 1:
            return {"channel": {"id": self._dm_for(others[0])}}
        members = frozenset(others)
        if members not in self._groups:
            channel = f"G{next(self._ids):08d}"
            self._groups[members] = channel
            self.group_members[channel] = members
        return {"channel": {"id": self._groups[members]}}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(str(args.get("channel") or ""))
        oldest = _units(str(args.get("oldest") or "0"))
        found = [
            m
            for m in self.messages.values()
            if m.channel == channel and m.ephemeral_to is None and _units(m.ts) > oldest
        ]
        found.sort(key=lambda m: _units(m.ts), reverse=True)
        return {
            "messages": [
                {"type": "message", "ts": m.ts, "text": m.text, "metadata": m.metadata or {}}
                for m in found
            ],
            "has_more": False,
            "response_metadata": {"next_cursor": ""},
        }

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        person = self.people.get(str(args.get("user") or ""))
        if person is None:
            raise _Refusal("user_not_found")
        return {"user": self._user_json(person)}

    def _users_list(self, _args: dict[str, Any]) -> dict[str, Any]:
        bot = {"id": self.bot_user_id, "name": "mentor-bot", "is_bot": True, "deleted": False}
        members = [self._user_json(p) for p in self.people.values()]
        return {"members": [bot, *members], "response_metadata": {"next_cursor": ""}}

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self._triggers.get(str(args.get("trigger_id") or ""))
        if user is None:
            raise _Refusal("invalid_trigger_id")
        view = self._store_view(args["view"], user)
        self.modal_stack[user] = [view["id"]]
        return {"view": view}

    def _views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self._triggers.get(str(args.get("trigger_id") or ""))
        if user is None:
            raise _Refusal("invalid_trigger_id")
        view = self._store_view(args["view"], user)
        self.modal_stack.setdefault(user, []).append(view["id"])
        return {"view": view}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        current = self.views.get(str(args.get("view_id") or "")) or next(
            (
                v
                for v in self.views.values()
                if args.get("external_id") and v["external_id"] == args.get("external_id")
            ),
            None,
        )
        if current is None:
            raise _Refusal("not_found")
        owner = self.view_owner[current["id"]]
        return {"view": self._store_view(args["view"], owner, replaces=current)}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args["user_id"])
        current = self.views.get(self.home.get(user, ""))
        view = self._store_view(args["view"], user, replaces=current)
        self.home[user] = view["id"]
        return {"view": view}

    def _files_get_upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ids):08d}"
        self.uploads[file_id] = {"id": file_id, "name": args.get("filename"), "data": None}
        return {"upload_url": f"{self.origin}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        shared = []
        for entry in args.get("files") or []:
            upload = self.uploads.get(entry.get("id")) if isinstance(entry, dict) else None
            if upload is None or upload["data"] is None:
                raise _Refusal("file_not_found")
            upload["title"] = entry.get("title") or upload["name"]
            shared.append(
                {
                    "id": upload["id"],
                    "name": upload["name"],
                    "title": upload["title"],
                    "size": len(upload["data"]),
                }
            )
        channel = args.get("channel_id") or args.get("channels")
        if channel:
            self._store(
                self._channel(str(channel).split(",")[0]),
                {
                    "text": args.get("initial_comment") or "",
                    "thread_ts": args.get("thread_ts"),
                    "files": shared,
                },
            )
        return {"files": shared}


class _Refusal(Exception):
    pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, standin: SlackStandin) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.standin = standin


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        target = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        status, answer = self.server.standin.route(target.path, target.query, content_type, body)
        if isinstance(answer, str):
            payload, kind = answer.encode(), "text/plain; charset=utf-8"
        else:
            payload, kind = json.dumps(answer).encode(), "application/json; charset=utf-8"
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _parse(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if body and content_type == "application/json":
        parsed = json.loads(body)
        if isinstance(parsed, dict):
            args.update(parsed)
    elif body and content_type == "application/x-www-form-urlencoded":
        args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return _decode(args)


def _decode(args: dict[str, Any]) -> dict[str, Any]:
    for key in JSON_ARGS:
        value = args.get(key)
        if isinstance(value, str):
            try:
                args[key] = json.loads(value)
            except ValueError:
                continue
    return args


def _units(ts: str) -> int:
    seconds, _, fraction = ts.partition(".")
    try:
        return int(seconds) * 1_000_000 + int(fraction.ljust(6, "0")[:6] or 0)
    except ValueError:
        return 0
