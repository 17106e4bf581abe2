"""Multi-workspace install over real HTTP: Bolt's OAuth flow against the fake Slack
(`oauth.v2.access`), the token encrypted at rest, each workspace spoken to with its own token,
and `app_uninstalled` / `tokens_revoked` ending every send to that workspace."""

from __future__ import annotations

import base64
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from bot.bootstrap import build_container
from bot.config import Settings
from bot.domain.deliveries import DeliveryState
from bot.domain.installs import UNINSTALLED_REASON
from bot.server import BackgroundHttpServer
from storage.db import create_db_engine
from tests.support.clock import FakeClock
from tests.support.fake_slack import FakeSlack
from tests.support.running_bot import SIGNING_SECRET, RunningBot
from tests.support.slack_requests import event_callback_body, post_signed, slash_command_body

KEY = "uVnmL2mHqJ4x1d8wYp4tJ0bX7v3c6eZr9sQk5aNf2Ho="
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "client-secret-value"
SEOUL_TOKEN = "xoxb-seoul-workspace-secret-token"
SEOUL = "T222"


def oauth_access_answer(team_id: str = SEOUL, token: str = SEOUL_TOKEN) -> dict:
    return {
        "app_id": "A111",
        "authed_user": {"id": "U222"},
        "scope": "chat:write,commands,files:write,im:history,im:write,mpim:write,users:read",
        "token_type": "bot",
        "access_token": token,
        "bot_user_id": "UBOT",
        "team": {"id": team_id, "name": "Seoul AI Guild"},
        "enterprise": None,
        "is_enterprise_install": False,
    }


@dataclass
class Browser:
    """GETs with a cookie jar, as the installer's browser."""

    base: str

    def __post_init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def get(self, path: str) -> tuple[int, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(self.base + path, headers={"Cookie": cookie})
        try:
            with self._opener.open(request, timeout=10) as response:
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            with error:
                status, headers, body = error.code, error.headers, error.read()
        for header in headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return status, body.decode()


@pytest.fixture
def oauth_bot(fake_slack: FakeSlack, database_url: str, clock: FakeClock) -> Iterator[RunningBot]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=None,
        slack_signing_secret=SIGNING_SECRET,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        mentor_bot_encryption_key=KEY,
        slack_api_url=fake_slack.url,
        database_url=database_url,
        port=0,
    )
    container = build_container(settings, clock=clock)
    server = BackgroundHttpServer(container.web_app).start()
    bot = RunningBot(container=container, server=server, fake_slack=fake_slack, clock=clock)
    yield bot
    bot.close()


@pytest.fixture
def raw(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


def install(bot: RunningBot, team_id: str = SEOUL, token: str = SEOUL_TOKEN) -> Browser:
    bot.fake_slack.stub("oauth.v2.access", oauth_access_answer(team_id, token))
    browser = Browser(bot.url)
    status, page = browser.get("/slack/install")
    assert status == 200
    state = re.search(r"state=([A-Za-z0-9_\-]+)", page).group(1)
    assert browser.cookies["slack-app-oauth-state"] == state
    status, page = browser.get(f"/slack/oauth_redirect?code=the-code&state={state}")
    assert status == 200, page
    browser.last_state = state  # type: ignore[attr-defined]
    return browser


def dump(engine: Engine) -> str:
    """Every value in every table, as text: what a raw database dump would show."""
    lines = []
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                lines.append(f"{table}: {tuple(row)}")
    return "\n".join(lines)


def test_the_install_page_links_to_slack_with_our_client_id_scopes_and_a_state_cookie(oauth_bot):
    browser = Browser(oauth_bot.url)
    status, page = browser.get("/slack/install")

    assert status == 200
    link = re.search(r'href="(https://slack.com/oauth/v2/authorize\?[^"]+)"', page).group(1)
    assert f"client_id={CLIENT_ID}" in link
    assert "scope=chat:write,commands,files:write" in link.replace("%3A", ":").replace("%2C", ",")
    assert "slack-app-oauth-state" in browser.cookies


def test_an_install_stores_the_workspace_with_its_token_encrypted(oauth_bot, raw, database_url):
    install(oauth_bot)

    [exchange] = oauth_bot.fake_slack.calls_to("oauth.v2.access")
    assert exchange.args["code"] == "the-code"
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert exchange.headers["Authorization"] == f"Basic {basic}"
    stored = oauth_bot.container.services.workspaces.find(SEOUL)
    assert stored is not None and stored.bot_token == SEOUL_TOKEN
    assert stored.installer_user_id == "U222" and stored.team_name == "Seoul AI Guild"
    assert "chat:write" in stored.bot_scopes
    dumped = dump(raw)
    assert "slack_installations: ('T222'" in dumped
    assert SEOUL_TOKEN not in dumped and "seoul-workspace" not in dumped
    if database_url.startswith("sqlite"):  # the file itself, byte for byte
        path = Path(database_url.removeprefix("sqlite:///"))
        assert SEOUL_TOKEN.encode() not in path.read_bytes()


def test_a_state_works_once_and_a_forged_one_not_at_all(oauth_bot):
    browser = install(oauth_bot)

    status, _ = browser.get(f"/slack/oauth_redirect?code=again&state={browser.last_state}")
    assert status == 400
    status, _ = browser.get("/slack/oauth_redirect?code=forged&state=made-up-state")
    assert status == 400
    assert len(oauth_bot.fake_slack.calls_to("oauth.v2.access")) == 1


def test_a_redirect_without_the_browser_cookie_is_refused(oauth_bot):
    oauth_bot.fake_slack.stub("oauth.v2.access", oauth_access_answer())
    status, page = Browser(oauth_bot.url).get("/slack/install")
    state = re.search(r"state=([A-Za-z0-9_\-]+)", page).group(1)

    status, _ = Browser(oauth_bot.url).get(f"/slack/oauth_redirect?code=c&state={state}")

    assert status == 400
    assert oauth_bot.fake_slack.calls_to("oauth.v2.access") == []
    assert oauth_bot.container.services.workspaces.find(SEOUL) is None


def test_requests_from_an_installed_workspace_are_answered_with_its_own_token(oauth_bot):
    install(oauth_bot)

    answer = oauth_bot.post(slash_command_body(text="lang en", user_id="U111", team_id=SEOUL))
    oauth_bot.wait_for_follow_ups()

    assert answer.status == 200
    users_info = oauth_bot.fake_slack.calls_to("users.info")
    assert users_info and all(
        call.headers.get("Authorization") == f"Bearer {SEOUL_TOKEN}" for call in users_info
    )
    member = oauth_bot.container.services.members.get_member(SEOUL, "U111")
    assert member is not None and member.language_override == "en"
    checks = len(oauth_bot.fake_slack.calls_to("auth.test"))
    oauth_bot.post(slash_command_body(text="lang ko", user_id="U111", team_id=SEOUL))
    assert len(oauth_bot.fake_slack.calls_to("auth.test")) == checks  # cached per token


def test_a_workspace_that_never_installed_is_told_and_nothing_is_stored(oauth_bot, raw):
    install(oauth_bot)
    url = oauth_bot.fake_slack.response_url_for(user="U111", channel="C1")

    answer = oauth_bot.post(
        slash_command_body(text="lang en", user_id="U111", team_id="T999", response_url=url)
    )
    oauth_bot.wait_for_follow_ups()

    assert answer.status == 200
    [told] = oauth_bot.fake_slack.responses
    assert "install" in told["payload"]["text"].lower()
    with raw.connect() as connection:
        count = "SELECT count(*) FROM members WHERE team_id = 'T999'"
        assert connection.execute(text(count)).scalar_one() == 0


def queue_announcement(bot: RunningBot, team_id: str, words: str) -> None:
    services = bot.container.services
    services.announcements.schedule(team_id=team_id, text=words, audience=("U111",))
    services.ticks.run_tick(bot.clock.now())


def posts_with(bot: RunningBot, token: str) -> list:
    return [
        call
        for call in bot.fake_slack.calls_to("chat.postMessage")
        if call.headers.get("Authorization") == f"Bearer {token}"
    ]


def test_deliveries_go_out_with_each_workspaces_own_token(oauth_bot):
    install(oauth_bot)
    install(oauth_bot, "T333", "xoxb-busan-workspace-token")
    queue_announcement(oauth_bot, SEOUL, "Seoul round opens")
    queue_announcement(oauth_bot, "T333", "Busan round opens")

    oauth_bot.container.services.dispatcher.dispatch_due()

    assert [c.args["text"] for c in posts_with(oauth_bot, SEOUL_TOKEN)] == ["Seoul round opens"]
    assert [c.args["text"] for c in posts_with(oauth_bot, "xoxb-busan-workspace-token")] == [
        "Busan round opens"
    ]
    assert oauth_bot.container.services.workspaces.team_ids() == ["T222", "T333"]


def test_uninstall_removes_the_token_and_stops_every_send_to_that_workspace(oauth_bot, raw):
    install(oauth_bot)
    install(oauth_bot, "T333", "xoxb-busan-workspace-token")
    queue_announcement(oauth_bot, SEOUL, "queued before the uninstall")
    queue_announcement(oauth_bot, "T333", "Busan keeps working")

    event = {"type": "app_uninstalled", "event_ts": "1700000000.000100"}
    answer = oauth_bot.post(event_callback_body(event, team_id=SEOUL))
    assert answer.status == 200
    oauth_bot.wait_for_follow_ups()

    services = oauth_bot.container.services
    assert services.workspaces.find(SEOUL) is None and services.workspaces.team_ids() == ["T333"]
    [skipped] = [d for d in services.deliveries.list() if d.key.team_id == SEOUL]
    assert skipped.state is DeliveryState.SKIPPED and skipped.reason == UNINSTALLED_REASON
    queue_announcement(oauth_bot, SEOUL, "queued after the uninstall")
    services.dispatcher.dispatch_due()

    assert posts_with(oauth_bot, SEOUL_TOKEN) == []
    assert [c.args["text"] for c in posts_with(oauth_bot, "xoxb-busan-workspace-token")] == [
        "Busan keeps working"
    ]
    late = [d for d in services.deliveries.list() if d.key.team_id == SEOUL and d != skipped]
    assert [d.state for d in late] == [DeliveryState.FAILED]
    assert "slack_installations: ('T222'" not in dump(raw)


def test_a_revoked_bot_token_is_forgotten_but_a_revoked_user_token_alone_is_not(oauth_bot):
    install(oauth_bot)
    workspaces = oauth_bot.container.services.workspaces

    only_users = {"type": "tokens_revoked", "tokens": {"oauth": ["U222"], "bot": []}}
    assert oauth_bot.post(event_callback_body(only_users, team_id=SEOUL)).status == 200
    oauth_bot.wait_for_follow_ups()
    assert workspaces.find(SEOUL) is not None

    bot = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}}
    assert oauth_bot.post(event_callback_body(bot, team_id=SEOUL)).status == 200
    oauth_bot.wait_for_follow_ups()
    assert workspaces.find(SEOUL) is None


def test_a_reinstall_replaces_the_token(oauth_bot):
    install(oauth_bot)
    install(oauth_bot, SEOUL, "xoxb-seoul-second-token")

    assert oauth_bot.container.services.workspaces.find(SEOUL).bot_token == (
        "xoxb-seoul-second-token"
    )
    assert oauth_bot.container.services.workspaces.team_ids() == [SEOUL]


def test_the_signed_events_endpoint_still_refuses_a_bad_signature(oauth_bot):
    install(oauth_bot)
    status, _, _ = post_signed(
        f"{oauth_bot.url}/slack/events",
        slash_command_body(text="help", team_id=SEOUL),
        secret="not-the-signing-secret",
    )
    assert status == 401
