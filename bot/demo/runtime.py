"""The demo's moving parts: the stand-in for Slack, the real bot behind its real HTTP server
(built by bot.bootstrap, on SQLite in a temporary directory), the demo clock, and the seeded
program; plus signed requests to the bot, as Slack would send them."""

from __future__ import annotations

import itertools
import json
import secrets
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic_settings import BaseSettings, PydanticBaseSettingsSource
from slack_sdk.signature import SignatureVerifier

from bot.bootstrap import Container, build_container
from bot.config import Settings
from bot.demo import people
from bot.demo.clock import DemoClock
from bot.demo.slack_standin import Message, SlackStandin
from bot.server import BackgroundHttpServer
from bot.services.teams import TeamRow

TICK_STEP = timedelta(hours=1)
"""Moving the clock runs the scheduler's work at least this often on the way."""
QUIET_SECONDS = 0.15
"""The bot is done with an action once no Web API call came for this long."""
SETTLE_SECONDS = 20.0


class _DemoSettings(Settings):
    """Only what the demo passes in: no environment variable, no .env file."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


@dataclass
class BotAnswer:
    status: int
    body: bytes

    @property
    def json(self) -> dict[str, Any]:
        try:
            parsed = json.loads(self.body or b"{}")
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}


class DemoRuntime:
    def __init__(self, clock: DemoClock | None = None) -> None:
        self.clock = clock or DemoClock()
        self._workdir = tempfile.TemporaryDirectory(prefix="mentor-bot-demo-")
        self._secret = secrets.token_hex(16)
        self._events = itertools.count(1)
        self.standin = SlackStandin(
            team_id=people.TEAM_ID,
            bot_user_id=people.BOT_USER_ID,
            bot_name=people.BOT_NAME,
            people=people.PEOPLE,
            now=self.clock.now,
        )
        self.container: Container | None = None
        self.server: BackgroundHttpServer | None = None

    # -- start and stop -------------------------------------------------------------------

    def start(self) -> DemoRuntime:
        from storage.db import create_db_engine
        from storage.migrate import upgrade_to_head

        self.standin.start()
        settings = _DemoSettings(
            slack_bot_token="xoxb-demo",
            slack_signing_secret=self._secret,
            slack_api_url=self.standin.api_url,
            database_url=f"sqlite:///{self._workdir.name}/demo.db",
            mentor_bot_admins=people.ADMINS,
            mentor_bot_send_rate_per_minute=60000,
            port=0,
        )
        engine = create_db_engine(settings.database_url)
        upgrade_to_head(engine)
        self.container = build_container(settings, clock=self.clock, engine=engine)
        self.server = BackgroundHttpServer(self.container.web_app).start()
        self._seed()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.container is not None:
            self.container.close()
            self.container = None
        self.standin.stop()
        self._workdir.cleanup()

    def _seed(self) -> None:
        services = self.services
        services.members.sync_directory(people.TEAM_ID)
        rows = [
            (line, {"user_id": p.user_id, **p.profile})
            for line, p in enumerate((p for p in people.PEOPLE if p.profile), start=2)
        ]
        report = services.profiles.import_rows(people.TEAM_ID, rows)
        if report.errors:
            raise RuntimeError(f"the demo's profiles do not import: {report.errors}")
        team_rows = [
            TeamRow(line, people.TEAM_NAME, user_id, role)
            for line, (user_id, role) in enumerate(
                [
                    *((u, "lead") for u in people.TEAM_LEADS),
                    *((u, "member") for u in people.TEAM_MEMBERS),
                ],
                start=2,
            )
        ]
        teams = services.teams.import_rows(people.TEAM_ID, team_rows)
        if teams.errors:
            raise RuntimeError(f"the demo's team does not import: {teams.errors}")

    @property
    def services(self):  # type: ignore[no-untyped-def]
        assert self.container is not None, "the demo is not started"
        return self.container.services

    # -- what people do -------------------------------------------------------------------

    def slash(self, user_id: str, text: str) -> tuple[BotAnswer, Message | None]:
        """`/mentor <text>` typed in the person's DM with the bot; the answer Slack would show
        (only to them) is kept as an ephemeral message so its buttons work."""
        channel = self.standin.dm_of(user_id)
        response_url = self.standin.response_url_for(user_id, channel)
        fields = {
            "token": "demo",
            "team_id": people.TEAM_ID,
            "team_domain": "demo",
            "channel_id": channel,
            "channel_name": "directmessage",
            "user_id": user_id,
            "user_name": self.standin.name_of(user_id),
            "command": "/mentor",
            "text": text,
            "api_app_id": "ADEMO",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": self.standin.new_trigger(user_id),
        }
        answer = self._post(urllib.parse.urlencode(fields))
        shown = None
        payload = answer.json
        if answer.status == 200 and (payload.get("text") or payload.get("blocks")):
            shown = self.standin.record_answer(user_id, channel, payload)
            self.standin.bind_response_url(response_url, shown.ts)
        return answer, shown

    def press_in_message(self, user_id: str, message: Message, button: Any) -> BotAnswer:
        container: dict[str, Any] = {
            "type": "message",
            "message_ts": message.ts,
            "channel_id": message.channel,
            "is_ephemeral": message.ephemeral_to is not None,
        }
        payload = self._action_payload(user_id, button, container)
        payload["channel"] = {"id": message.channel, "name": "directmessage"}
        if message.ephemeral_to is None:
            payload["message"] = {
                "type": "message",
                "user": people.BOT_USER_ID,
                "ts": message.ts,
                "text": message.text,
                "blocks": message.blocks or [],
            }
        payload["response_url"] = self.standin.response_url_for(
            user_id, message.channel, message.ts
        )
        return self._post_payload(payload)

    def press_in_view(self, user_id: str, view: dict[str, Any], button: Any) -> BotAnswer:
        container = {"type": "view", "view_id": view["id"]}
        payload = self._action_payload(user_id, button, container)
        payload["view"] = view
        return self._post_payload(payload)

    def submit(self, user_id: str, view: dict[str, Any]) -> BotAnswer:
        payload = {
            "type": "view_submission",
            "team": {"id": people.TEAM_ID, "domain": "demo"},
            "user": self._user(user_id),
            "api_app_id": "ADEMO",
            "token": "demo",
            "trigger_id": self.standin.new_trigger(user_id),
            "view": view,
            "response_urls": [],
            "is_enterprise_install": False,
        }
        return self._post_payload(payload)

    def reply(self, user_id: str, text: str) -> BotAnswer:
        """The person writes in their DM with the bot: Slack sends a message event."""
        message = self.standin.post_as_person(user_id, text)
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": message.channel,
            "user": user_id,
            "text": text,
            "ts": message.ts,
            "event_ts": message.ts,
            "team": people.TEAM_ID,
        }
        return self._event(event)

    def open_home(self, user_id: str) -> BotAnswer:
        """The person opens the bot's Home tab: Slack sends app_home_opened."""
        event = {
            "type": "app_home_opened",
            "user": user_id,
            "channel": self.standin.dm_of(user_id),
            "tab": "home",
            "event_ts": f"{time.time():.6f}",
        }
        return self._event(event)

    def _event(self, event: dict[str, Any]) -> BotAnswer:
        envelope = {
            "token": "demo",
            "team_id": people.TEAM_ID,
            "api_app_id": "ADEMO",
            "event": event,
            "type": "event_callback",
            "event_id": f"EvDEMO{next(self._events):06d}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": people.TEAM_ID,
                    "user_id": people.BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
        }
        return self._post(json.dumps(envelope), content_type="application/json")

    # -- time -----------------------------------------------------------------------------

    def advance_to(self, target: datetime) -> None:
        """Move the clock, running the scheduler's work (queue what is due, send it) on the way
        at least every TICK_STEP, as the scheduler does every minute."""
        while self.clock.now() < target:
            self.clock.set(min(target, self.clock.now() + TICK_STEP))
            self.services.ticks.run_tick(self.clock.now())
            self.services.dispatcher.dispatch_due()
        self.settle()

    def settle(self) -> None:
        """Wait for the bot's follow-up work and send what it queued, until it is quiet."""
        assert self.container is not None
        deadline = time.monotonic() + SETTLE_SECONDS
        seen = -1
        while time.monotonic() < deadline:
            self.container.follow_ups.drain()
            self.services.dispatcher.dispatch_due()
            self.container.follow_ups.drain()
            if self.standin.calls == seen:
                return
            seen = self.standin.calls
            time.sleep(QUIET_SECONDS)

    # -- HTTP -----------------------------------------------------------------------------

    def _action_payload(
        self, user_id: str, button: Any, container: dict[str, Any]
    ) -> dict[str, Any]:
        action: dict[str, Any] = {
            "action_id": button.action_id,
            "block_id": button.block_id,
            "text": {"type": "plain_text", "text": button.label},
            "type": "button",
            "action_ts": f"{time.time():.6f}",
        }
        if button.value is not None:
            action["value"] = button.value
        return {
            "type": "block_actions",
            "user": self._user(user_id),
            "api_app_id": "ADEMO",
            "token": "demo",
            "container": container,
            "trigger_id": self.standin.new_trigger(user_id),
            "team": {"id": people.TEAM_ID, "domain": "demo"},
            "is_enterprise_install": False,
            "actions": [action],
        }

    def _user(self, user_id: str) -> dict[str, str]:
        name = self.standin.name_of(user_id)
        return {"id": user_id, "username": name, "name": name, "team_id": people.TEAM_ID}

    def _post_payload(self, payload: dict[str, Any]) -> BotAnswer:
        return self._post("payload=" + urllib.parse.quote(json.dumps(payload)))

    def _post(
        self, body: str, content_type: str = "application/x-www-form-urlencoded"
    ) -> BotAnswer:
        """A request signed as Slack signs it: HMAC-SHA256 of `v0:{timestamp}:{body}`."""
        assert self.server is not None
        timestamp = str(int(time.time()))
        signature = SignatureVerifier(self._secret).generate_signature(
            timestamp=timestamp, body=body
        )
        request = urllib.request.Request(
            f"{self.server.url}/slack/events",
            data=body.encode("utf-8"),
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": timestamp,
                "X-Slack-Signature": signature,
            },
            method="POST",
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=30) as response:
                return BotAnswer(response.status, response.read())
        except urllib.error.HTTPError as error:
            with error:
                return BotAnswer(error.code, error.read())
