"""The real bot, in-process, behind the real HTTP server, talking to a fake Slack."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot.bootstrap import Container, build_container
from bot.config import Settings
from bot.server import BackgroundHttpServer
from tests.support.clock import FakeClock
from tests.support.fake_slack import FakeSlack
from tests.support.slack_requests import post_signed, slash_command_body

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"


def test_settings(
    *, database_url: str, slack_api_url: str, admins: tuple[str, ...] = ()
) -> Settings:
    """Every field given explicitly: nothing leaks in from the environment or a .env file."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token=None,
        slack_api_url=slack_api_url,
        database_url=database_url,
        mentor_bot_admins=admins,
        port=0,
    )


@dataclass
class HttpAnswer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)

    @property
    def shown_text(self) -> str:
        """Everything a person would read in the answer: text plus every text in the blocks."""
        answer = self.json
        return "\n".join([answer.get("text", ""), *_texts(answer.get("blocks", []))])


@dataclass
class RunningBot:
    container: Container
    server: BackgroundHttpServer
    fake_slack: FakeSlack
    clock: FakeClock
    team_id: str = "T111"
    _closed: bool = field(default=False, repr=False)

    @property
    def url(self) -> str:
        return self.server.url

    def post(self, body: str, **kwargs: Any) -> HttpAnswer:
        kwargs.setdefault("secret", SIGNING_SECRET)
        status, headers, raw = post_signed(f"{self.url}/slack/events", body, **kwargs)
        return HttpAnswer(status, headers, raw)

    def command(self, text: str, *, user_id: str = "U111", **kwargs: Any) -> HttpAnswer:
        return self.post(
            slash_command_body(text=text, user_id=user_id, team_id=self.team_id), **kwargs
        )

    def wait_for_follow_ups(self) -> None:
        """Follow-up work runs after the ack; wait until it has all finished."""
        self.container.follow_ups.drain()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.server.stop()
            self.container.close()


def start_bot(
    fake_slack: FakeSlack, *, database_url: str, clock: FakeClock, admins: tuple[str, ...] = ()
) -> RunningBot:
    settings = test_settings(database_url=database_url, slack_api_url=fake_slack.url, admins=admins)
    container = build_container(settings, clock=clock)
    server = BackgroundHttpServer(container.web_app).start()
    return RunningBot(container=container, server=server, fake_slack=fake_slack, clock=clock)


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["text"]] if isinstance(node.get("text"), str) else []
        return found + [text for value in node.values() for text in _texts(value)]
    if isinstance(node, list):
        return [text for item in node for text in _texts(item)]
    return []
