"""The outbound side of the Slack edge: implements the services' ports with the one WebClient."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.domain.members import SlackUser


class SlackDirectoryGateway:
    """users.info, with the person's locale (Slack only sends it when asked)."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def fetch_user(self, team_id: str, user_id: str) -> SlackUser:
        user = self._client.users_info(user=user_id, include_locale=True)["user"]
        profile = user.get("profile") or {}
        return SlackUser(
            user_id=user["id"],
            tz=user.get("tz"),
            locale=user.get("locale"),
            is_deleted=bool(user.get("deleted")),
            is_bot=bool(user.get("is_bot")),
            display_name=profile.get("display_name") or user.get("real_name") or user.get("name"),
        )
