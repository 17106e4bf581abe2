"""Signed inbound Slack requests (slash commands, interactivity, Events API) for tests.

The builders reproduce the wire shapes of the bodies in ``bolt-python/extracted-payloads``
(see ``tests.support.spec``): the same keys in the same order, with ids and values filled in
from keyword arguments. Those fixtures come from an Enterprise Grid org, so by default the
bodies carry ``enterprise_id``/``enterprise_name`` ("E111"); pass ``enterprise_id=None`` for a
plain workspace and the enterprise fields are left out.

Interactive payloads travel as ``payload=<url-quoted JSON>`` form bodies, events as JSON.
``signed_headers`` signs a body with ``slack_sdk.signature.SignatureVerifier`` and
``post_signed`` sends it with urllib, returning the status even for 4xx/5xx answers.
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from slack_sdk.signature import SignatureVerifier

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
JSON_CONTENT_TYPE = "application/json"
DEFAULT_ENTERPRISE_ID = "E111"
DEFAULT_ENTERPRISE_NAME = "Org Name"

_event_ids = itertools.count(1)


def slash_command_body(
    *,
    text: str,
    user_id: str = "U111",
    team_id: str = "T111",
    command: str = "/mentor",
    channel_id: str = "C111",
    user_name: str = "minji",
    trigger_id: str = "111.222.xxx",
    response_url: str = "https://hooks.slack.com/commands/T111/111/xxx",
    channel_name: str = "directmessage",
    team_domain: str = "test-domain",
    token: str = "verification_token",
    enterprise_id: str | None = DEFAULT_ENTERPRISE_ID,
    enterprise_name: str = DEFAULT_ENTERPRISE_NAME,
) -> str:
    """Form body of a slash command, fields in the order of ``slash_command.form.txt``."""
    fields = {
        "token": token,
        "team_id": team_id,
        "team_domain": team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        **_enterprise_fields(enterprise_id, enterprise_name),
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
    return urllib.parse.urlencode(fields)


def block_actions_body(
    *,
    action_id: str,
    value: str | None = None,
    user_id: str = "U111",
    team_id: str = "T111",
    block_id: str = "b",
    container: dict[str, Any] | None = None,
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
    trigger_id: str = "111.222.valid",
    channel_id: str = "C111",
    user_name: str = "minji",
    action_type: str = "button",
    response_url: str = "https://hooks.slack.com/actions/T111/111/random-value",
    enterprise_id: str | None = DEFAULT_ENTERPRISE_ID,
    action_state: Mapping[str, Any] | None = None,
) -> str:
    """``block_actions`` payload for one clicked element, shaped like ``block_actions.json``.

    With ``message`` the action comes from that message (its ``ts`` fills the container);
    with ``view`` it comes from a modal or Home tab, which has no channel or response_url.
    ``action_state`` adds what a non-button element sends, e.g. ``selected_options`` of
    checkboxes or ``selected_option`` of a select.
    """
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id, user_name, team_id),
        "api_app_id": "A111",
        "token": "verification_token",
        "container": container or _container(channel_id, message, view),
        "trigger_id": trigger_id,
        "team": _team(team_id, enterprise_id),
    }
    if view is None:
        payload["channel"] = {"id": channel_id, "name": "directmessage"}
        payload["response_url"] = response_url
    else:
        payload["view"] = view
    if message is not None:
        payload["message"] = message
    payload["actions"] = [
        _action(action_id, block_id, value, action_type) | dict(action_state or {})
    ]
    return _payload_form(payload)


def view_submission_body(
    *,
    callback_id: str,
    values: Mapping[str, Mapping[str, Any]],
    user_id: str = "U111",
    team_id: str = "T111",
    private_metadata: str = "",
    view_id: str = "V111",
    blocks: list[dict[str, Any]] | None = None,
    title: str = "Mentor Bot",
    user_name: str = "minji",
    trigger_id: str = "111.222.valid",
    enterprise_id: str | None = DEFAULT_ENTERPRISE_ID,
) -> str:
    """``view_submission`` payload shaped like ``view_submission.json``.

    ``values`` is ``view.state.values``: ``{block_id: {action_id: state}}``; a plain string
    state is shorthand for ``{"type": "plain_text_input", "value": <string>}``.
    """
    view = {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "blocks": blocks or [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": _state_values(values)},
        "hash": f"{int(time.time())}.fakehash",
        "title": _plain_text(title),
        "clear_on_close": False,
        "notify_on_close": False,
        "close": _plain_text("Cancel"),
        "submit": _plain_text("Submit"),
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": "A111",
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": "B111",
    }
    payload = {
        "type": "view_submission",
        "team": _team(team_id, enterprise_id),
        "user": _user(user_id, user_name, team_id),
        "api_app_id": "A111",
        "token": "verification_token",
        "trigger_id": trigger_id,
        "view": view,
        "response_urls": [],
    }
    return _payload_form(payload)


def event_callback_body(
    event: dict[str, Any],
    *,
    team_id: str = "T111",
    event_id: str | None = None,
    api_app_id: str = "A111",
    event_time: int | None = None,
    authorized_user_id: str = "UBOT",
    enterprise_id: str | None = DEFAULT_ENTERPRISE_ID,
) -> str:
    """Events API envelope around ``event``, shaped like ``event_message_im.json``.

    ``authorized_user_id`` is the bot user the event is delivered to (FakeSlack's default).
    """
    envelope: dict[str, Any] = {
        "token": "verification_token",
        "team_id": team_id,
        **({"enterprise_id": enterprise_id} if enterprise_id is not None else {}),
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_event_ids):08d}",
        "event_time": int(time.time()) if event_time is None else event_time,
        "authorizations": [
            {
                "enterprise_id": enterprise_id,
                "team_id": team_id,
                "user_id": authorized_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
    }
    return json.dumps(envelope)


def signed_headers(
    body: str, *, secret: str, timestamp: int | None = None, content_type: str | None = None
) -> dict[str, str]:
    """Headers Slack sends with ``body``; content type guessed from the body when not given."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = SignatureVerifier(secret).generate_signature(timestamp=str(timestamp), body=body)
    return {
        "Content-Type": content_type or _guess_content_type(body),
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature,
    }


def post_signed(
    base_url: str,
    body: str,
    *,
    secret: str,
    timestamp: int | None = None,
    content_type: str | None = None,
    headers_override: Mapping[str, str | None] | None = None,
    timeout: float = 5.0,
) -> tuple[int, dict[str, str], bytes]:
    """POST a signed ``body`` to ``base_url`` (the app's full endpoint URL).

    ``headers_override`` replaces signed headers; a ``None`` value removes that header.
    Environment proxies are ignored. Returns ``(status, headers, body)``, also for 4xx/5xx.
    """
    headers: dict[str, str | None] = dict(
        signed_headers(body, secret=secret, timestamp=timestamp, content_type=content_type)
    )
    headers.update(headers_override or {})
    request = urllib.request.Request(
        base_url,
        data=body.encode("utf-8"),
        headers={k: v for k, v in headers.items() if v is not None},
        method="POST",
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers.items()), error.read()


def _enterprise_fields(enterprise_id: str | None, enterprise_name: str) -> dict[str, str]:
    if enterprise_id is None:
        return {}
    return {"enterprise_id": enterprise_id, "enterprise_name": enterprise_name}


def _user(user_id: str, user_name: str, team_id: str) -> dict[str, str]:
    return {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id}


def _team(team_id: str, enterprise_id: str | None) -> dict[str, str]:
    team = {"id": team_id, "domain": "test-domain"}
    if enterprise_id is not None:
        team.update(enterprise_id=enterprise_id, enterprise_name=DEFAULT_ENTERPRISE_NAME)
    return team


def _container(
    channel_id: str, message: dict[str, Any] | None, view: dict[str, Any] | None
) -> dict[str, Any]:
    if view is not None:
        return {"type": "view", "view_id": view.get("id", "V111")}
    return {
        "type": "message",
        "message_ts": (message or {}).get("ts", "111.222"),
        "channel_id": channel_id,
        "is_ephemeral": False,
    }


def _action(action_id: str, block_id: str, value: str | None, action_type: str) -> dict[str, Any]:
    action: dict[str, Any] = {"action_id": action_id, "block_id": block_id}
    if action_type == "button":
        action["text"] = _plain_text("Button", emoji=True)
    if value is not None:
        action["value"] = value
    action["type"] = action_type
    action["action_ts"] = f"{time.time():.6f}"
    return action


def _state_values(values: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        block_id: {
            action_id: (
                {"type": "plain_text_input", "value": state} if isinstance(state, str) else state
            )
            for action_id, state in actions.items()
        }
        for block_id, actions in values.items()
    }


def _plain_text(text: str, *, emoji: bool | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text", "text": text}
    if emoji is not None:
        element["emoji"] = emoji
    return element


def _payload_form(payload: Mapping[str, Any]) -> str:
    return "payload=" + urllib.parse.quote(json.dumps(payload))


def _guess_content_type(body: str) -> str:
    return JSON_CONTENT_TYPE if body.lstrip().startswith("{") else FORM_CONTENT_TYPE
