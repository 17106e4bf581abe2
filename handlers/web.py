"""The WSGI application: Slack's requests go to Bolt, GET /healthz asks the health service."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, parse_qsl

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request.internals import build_context

from bot.services.health import HealthService

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

SLACK_EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


class WebApp:
    def __init__(self, bolt_app: App, health: HealthService) -> None:
        self._slack = _FormSafeRequestHandler(bolt_app, path=SLACK_EVENTS_PATH)
        self._health = health

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") == "GET":
            return self._healthz(start_response)
        if _malformed_timestamp(environ):
            return _json(start_response, "401 Unauthorized", {"error": "invalid request"})
        return self._slack(environ, start_response)

    def _healthz(self, start_response: StartResponse) -> Iterable[bytes]:
        report = self._health.check()
        body = {
            "status": "ok" if report.ok else "unavailable",
            "database": "ok" if report.database_ok else "unreachable",
        }
        status = "200 OK" if report.ok else "503 Service Unavailable"
        return _json(start_response, status, body)


class _FormSafeRequestHandler(SlackRequestHandler):
    """Bolt reads any form body that contains the word "payload" as an interaction and, finding no
    `payload` field, dispatches an empty request (404). A slash command whose text says "payload"
    is such a body; read it as the plain form it is. The raw body, and so the signature, is kept."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        bolt_request = BoltRequest(
            body=request.get_body(), query=request.query_string, headers=request.get_headers()
        )
        if not bolt_request.body and _form_without_payload(bolt_request):
            bolt_request.body = dict(parse_qsl(bolt_request.raw_body, keep_blank_values=True))
            bolt_request.context = build_context(BoltContext(), bolt_request.body)
        return self.app.dispatch(bolt_request)


def _form_without_payload(request: BoltRequest) -> bool:
    return (
        request.content_type == "application/x-www-form-urlencoded"
        and "payload" not in parse_qs(request.raw_body, keep_blank_values=True)
    )


def _malformed_timestamp(environ: WSGIEnvironment) -> bool:
    """slack_sdk's verifier calls int() on this header and raises on anything else; Bolt's error
    handler would then answer an unverified request. Refuse it as Bolt refuses a bad signature."""
    value = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
    return value is not None and not (value.isascii() and value.isdigit() and len(value) <= 12)


def _json(start_response: StartResponse, status: str, body: dict[str, str]) -> Iterable[bytes]:
    payload = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    )
    return [payload]
