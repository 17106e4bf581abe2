"""The outbound side of the Slack edge: implements the services' ports with a WebClient."""

from __future__ import annotations

import socket
import urllib.error
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain import digest_messages
from bot.domain.deliveries import (
    METADATA_EVENT_TYPE,
    Delivery,
    NotSent,
    Posted,
    RateLimited,
    Rejected,
    SendOutcome,
    Uncertain,
    outcome_of_slack_error,
)
from bot.domain.match_messages import is_group_recipient
from bot.domain.members import SlackUser
from bot.i18n import translator
from handlers.blocks.deliveries import render_delivery
from handlers.digest_files import upload_chart
from handlers.workspace_clients import NotInstalled, WorkspaceClients, clients_of

HISTORY_PAGE = 200
HISTORY_MARGIN = timedelta(minutes=5)
"""Look this far before the doubtful attempt, for clock skew between us and Slack."""
DEFAULT_RETRY_AFTER = timedelta(seconds=30)


class SlackDirectoryGateway:
    """users.info and users.list, with each person's locale (Slack only sends it when asked)."""

    def __init__(self, clients: WebClient | WorkspaceClients) -> None:
        self._clients = clients_of(clients)

    def fetch_user(self, team_id: str, user_id: str) -> SlackUser:
        client = self._clients.client_for(team_id)
        return slack_user(client.users_info(user=user_id, include_locale=True)["user"])

    def list_users(self, team_id: str) -> Iterator[SlackUser]:
        client = self._clients.client_for(team_id)
        cursor = None
        while True:
            page = client.users_list(include_locale=True, limit=200, cursor=cursor)
            yield from (slack_user(member) for member in page["members"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return


def slack_user(user: dict[str, Any]) -> SlackUser:
    profile = user.get("profile") or {}
    return SlackUser(
        user_id=user["id"],
        tz=user.get("tz"),
        locale=user.get("locale"),
        is_deleted=bool(user.get("deleted")),
        is_bot=bool(user.get("is_bot")) or user.get("id") == "USLACKBOT",
        display_name=profile.get("display_name") or user.get("real_name") or user.get("name"),
    )


class SlackMessenger:
    """Posts deliveries with chat.postMessage, each tagged with its delivery id in metadata.

    Its WebClient has no retry handlers on purpose: a library retry after a read timeout would
    resend blind. The dispatcher decides every retry from the ledger.
    """

    def __init__(self, clients: WebClient | WorkspaceClients) -> None:
        self._clients = clients_of(clients)

    def post(self, delivery: Delivery, language: str) -> SendOutcome:
        try:
            message = render_delivery(delivery, language)
        except KeyError:
            return Rejected(f"no renderer for kind {delivery.key.kind!r}")
        try:
            client = self._clients.client_for(delivery.key.team_id)
        except NotInstalled:
            return Rejected("not_installed: the app has no token for this workspace")
        try:
            response = client.chat_postMessage(
                channel=self._channel_for(client, delivery.key.recipient),
                text=message.text,
                blocks=message.blocks,
                metadata={
                    "event_type": METADATA_EVENT_TYPE,
                    "event_payload": {"delivery_id": str(delivery.id), "kind": delivery.key.kind},
                },
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as error:
            return _outcome_of_api_error(error)
        except TimeoutError as error:
            return Uncertain(f"timeout: {error}")
        except urllib.error.URLError as error:
            return _outcome_of_connection_error(error)
        except ConnectionError as error:  # reset mid-request: it may have arrived
            return Uncertain(f"connection lost: {error}")
        posted = Posted(channel=response["channel"], ts=response["ts"])
        if delivery.key.kind == digest_messages.TEAM_DIGEST:
            digest = digest_messages.digest_from_payload(delivery.payload)
            upload_chart(client, posted.channel, digest, translator(language), posted.ts)
        return posted

    def find_posted(self, delivery: Delivery) -> Posted | None:
        client = self._clients.client_for(delivery.key.team_id)
        channel = self._conversation_of(client, delivery.key.recipient)
        # From the doubtful attempt, not the latest claim: a re-claim can come hours later.
        since = delivery.in_doubt_since or delivery.claimed_at or delivery.created_at
        oldest = since - HISTORY_MARGIN
        cursor = None
        while True:
            page = client.conversations_history(
                channel=channel,
                oldest=f"{oldest.timestamp():.6f}",
                limit=HISTORY_PAGE,
                include_all_metadata=True,
                cursor=cursor,
            )
            for message in page["messages"]:
                if _carries(message, delivery.id):
                    return Posted(channel=channel, ts=message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                return None

    @staticmethod
    def _conversation_of(client: WebClient, recipient: str) -> str:
        if recipient.startswith(("U", "W")):
            return client.conversations_open(users=recipient)["channel"]["id"]
        return recipient

    @staticmethod
    def _channel_for(client: WebClient, recipient: str) -> str:
        """A user id posts straight to their DM; a group DM has to be opened first."""
        if is_group_recipient(recipient):
            return client.conversations_open(users=recipient)["channel"]["id"]
        return recipient


def _carries(message: dict[str, Any], delivery_id: int) -> bool:
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return metadata.get("event_type") == METADATA_EVENT_TYPE and str(
        payload.get("delivery_id")
    ) == str(delivery_id)


def _outcome_of_api_error(error: SlackApiError) -> SendOutcome:
    response = error.response
    if response.status_code == 429:
        retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
        wait = timedelta(seconds=int(retry_after)) if retry_after else DEFAULT_RETRY_AFTER
        return RateLimited(wait)
    if response.status_code >= 500:
        return Uncertain(f"HTTP {response.status_code}")
    return outcome_of_slack_error(str(response.get("error") or "unknown_error"))


def _outcome_of_connection_error(error: urllib.error.URLError) -> SendOutcome:
    reason = error.reason
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return Uncertain(f"timeout: {reason}")
    if isinstance(reason, (ConnectionRefusedError, socket.gaierror)):
        return NotSent(f"could not connect: {reason}")
    return Uncertain(f"connection error: {reason}")
