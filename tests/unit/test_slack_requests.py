"""Signed inbound requests: wire shapes against the extracted fixtures, signatures against
Slack's test vector, and a Bolt app served over HTTP that talks to FakeSlack."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from tests.support.fake_slack import FakeSlack
from tests.support.slack_requests import (
    block_actions_body,
    event_callback_body,
    post_signed,
    signed_headers,
    slash_command_body,
    view_submission_body,
)
from tests.support.spec import SPEC_DIR, payload_path, read_json

SECRET = "test-signing-secret"


def fixture_payload(name: str) -> dict[str, Any]:
    return read_json(payload_path(name))


def decoded_payload(body: str) -> dict[str, Any]:
    [payload] = parse_qs(body, strict_parsing=True)["payload"]
    return json.loads(payload)


# -- signing ---------------------------------------------------------------------------------


def test_signature_reproduces_slack_test_vector() -> None:
    vector = read_json(SPEC_DIR / "python-slack-sdk/derived/request_signature_test_vector.json")

    headers = signed_headers(
        vector["body"],
        secret=vector["signing_secret"],
        timestamp=int(vector["x_slack_request_timestamp"]),
    )

    assert headers["X-Slack-Signature"] == vector["x_slack_signature"]
    assert headers["X-Slack-Request-Timestamp"] == vector["x_slack_request_timestamp"]
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_signed_headers_pass_the_sdk_verifier_and_tampering_fails() -> None:
    body = slash_command_body(text="match me")
    headers = signed_headers(body, secret=SECRET)
    verifier = SignatureVerifier(SECRET)

    assert verifier.is_valid_request(body, headers)
    assert not verifier.is_valid_request(body + "x", headers)
    assert not SignatureVerifier("other-secret").is_valid_request(body, headers)


def test_json_bodies_get_a_json_content_type() -> None:
    headers = signed_headers(event_callback_body({"type": "app_home_opened"}), secret=SECRET)

    assert headers["Content-Type"] == "application/json"


# -- wire shapes -----------------------------------------------------------------------------


def test_slash_command_body_has_the_fixture_fields() -> None:
    fixture = (payload_path("slash_command.form.txt")).read_text(encoding="utf-8").strip()

    body = slash_command_body(text="match me")

    assert list(parse_qs(body)) == list(parse_qs(fixture))


def test_slash_command_body_reproduces_the_fixture_byte_for_byte() -> None:
    fixture = (payload_path("slash_command.form.txt")).read_text(encoding="utf-8").strip()
    fields = {name: values[0] for name, values in parse_qs(fixture).items()}

    body = slash_command_body(
        text=fields["text"],
        user_id=fields["user_id"],
        team_id=fields["team_id"],
        command=fields["command"],
        channel_id=fields["channel_id"],
        user_name=fields["user_name"],
        trigger_id=fields["trigger_id"],
        response_url=fields["response_url"],
        channel_name=fields["channel_name"],
        team_domain=fields["team_domain"],
        token=fields["token"],
        enterprise_id=fields["enterprise_id"],
        enterprise_name=fields["enterprise_name"],
    )

    assert body == fixture


def test_slash_command_keeps_empty_text_and_can_drop_enterprise_fields() -> None:
    fields = parse_qs(slash_command_body(text="", enterprise_id=None), keep_blank_values=True)

    assert fields["text"] == [""]
    assert "enterprise_id" not in fields


def test_block_actions_payload_matches_the_fixture_keys() -> None:
    fixture = fixture_payload("block_actions.json")

    payload = decoded_payload(block_actions_body(action_id="join", value="a&b=1+2 %"))

    assert list(payload) == list(fixture)
    assert set(payload["actions"][0]) == set(fixture["actions"][0])
    assert set(payload["container"]) == set(fixture["container"])
    assert (payload["actions"][0]["action_id"], payload["actions"][0]["value"]) == (
        "join",
        "a&b=1+2 %",
    )


def test_block_actions_from_a_view_carries_the_view_not_a_channel() -> None:
    view = {"id": "V9", "type": "home", "blocks": []}

    payload = decoded_payload(block_actions_body(action_id="refresh", view=view))

    assert payload["view"] == view
    assert payload["container"] == {"type": "view", "view_id": "V9"}
    assert "channel" not in payload
    assert "response_url" not in payload


def test_view_submission_payload_matches_the_fixture_keys() -> None:
    fixture = fixture_payload("view_submission.json")

    payload = decoded_payload(
        view_submission_body(
            callback_id="goal",
            values={"goal": {"goal_text": "Ship the bot"}},
            private_metadata="program-7",
        )
    )

    assert list(payload) == list(fixture)
    assert set(payload["view"]) == set(fixture["view"])
    assert payload["view"]["state"]["values"] == {
        "goal": {"goal_text": {"type": "plain_text_input", "value": "Ship the bot"}}
    }
    assert payload["view"]["private_metadata"] == "program-7"


def test_event_callback_matches_the_fixture_envelope() -> None:
    fixture = fixture_payload("event_message_im.json")

    envelope = json.loads(event_callback_body(fixture["event"]))

    assert list(envelope) == list(fixture)
    assert set(envelope["authorizations"][0]) == set(fixture["authorizations"][0])
    assert envelope["event"] == fixture["event"]


def test_event_ids_are_unique_by_default() -> None:
    first, second = (json.loads(event_callback_body({"type": "x"})) for _ in range(2))

    assert first["event_id"] != second["event_id"]


# -- end to end: Bolt over HTTP, answering through FakeSlack ---------------------------------


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture
def bolt_url(fake: FakeSlack) -> Iterator[str]:
    app = App(client=WebClient(token="xoxb-test", base_url=fake.url), signing_secret=SECRET)

    @app.command("/mentor")
    def mentor(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.chat_postMessage(channel=body["user_id"], text=f"you said {body['text']}")

    @app.action("join")
    def join(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.chat_postMessage(channel=body["user"]["id"], text=body["actions"][0]["value"])

    @app.view("goal")
    def goal(ack: Any, view: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        ack()
        text = view["state"]["values"]["goal"]["goal_text"]["value"]
        client.chat_postMessage(channel=body["user"]["id"], text=text)

    @app.event("message")
    def on_dm(event: dict[str, Any], say: Any) -> None:
        say(f"echo {event['text']}")

    server = make_server("127.0.0.1", 0, SlackRequestHandler(app), handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/slack/events"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("body", "expected_text"),
    [
        (slash_command_body(text="hello"), "you said hello"),
        (block_actions_body(action_id="join", value="program-7"), "program-7"),
        (view_submission_body(callback_id="goal", values={"goal": {"goal_text": "Ship"}}), "Ship"),
    ],
    ids=["slash-command", "block-actions", "view-submission"],
)
def test_bolt_accepts_signed_requests(
    fake: FakeSlack, bolt_url: str, body: str, expected_text: str
) -> None:
    status, _, _ = post_signed(bolt_url, body, secret=SECRET)

    assert status == 200
    fake.wait_for("chat.postMessage", where=lambda call: call.args.get("text") == expected_text)
    assert [m["text"] for m in fake.messages_to("U111")] == [expected_text]


def test_bolt_accepts_a_signed_event(fake: FakeSlack, bolt_url: str) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D111",
        "user": "U111",
        "text": "hi",
        "ts": "1700000000.000001",
        "event_ts": "1700000000.000001",
    }

    status, _, _ = post_signed(bolt_url, event_callback_body(event), secret=SECRET)

    assert status == 200
    [call] = fake.wait_for("chat.postMessage")
    assert (call.args["channel"], call.args["text"]) == ("D111", "echo hi")


@pytest.mark.parametrize(
    "tamper",
    [
        {"X-Slack-Signature": "v0=" + "0" * 64},
        {"X-Slack-Signature": None},
        {"X-Slack-Request-Timestamp": str(int(time.time()) - 600)},
    ],
    ids=["wrong-signature", "no-signature", "stale-timestamp"],
)
def test_bolt_rejects_tampered_requests(
    fake: FakeSlack, bolt_url: str, tamper: dict[str, str | None]
) -> None:
    body = slash_command_body(text="hello")

    status, _, _ = post_signed(bolt_url, body, secret=SECRET, headers_override=tamper)

    assert status == 401
    assert fake.calls_to("chat.postMessage") == []
