"""The Bolt app: listeners registered per surface, services handed in through one middleware."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient

from bot.clock import Clock, SystemClock
from bot.services import Services
from handlers import actions, commands, events, views
from handlers.background import FollowUps
from handlers.errors import handle_unexpected_error

# Threads that run listeners up to their ack; follow-up work has its own pool (FollowUps).
LISTENER_THREADS = 16


def create_bolt_app(
    *,
    signing_secret: str,
    services: Services,
    client: WebClient,
    follow_ups: FollowUps,
    clock: Clock | None = None,
    oauth_settings: OAuthSettings | None = None,
) -> App:
    """With `oauth_settings`, each request is answered with its workspace's installed token and
    `client` only carries the shared options (base URL, timeout, retries)."""
    authorize = None
    if oauth_settings is not None and oauth_settings.installation_store is not None:
        # Bolt's default asks auth.test on every request; cached per token, an ack saves a
        # round trip. An uninstall deletes the token, so a removed workspace never hits the cache.
        authorize = InstallationStoreAuthorize(
            installation_store=oauth_settings.installation_store,
            client_id=oauth_settings.client_id,
            client_secret=oauth_settings.client_secret,
            bot_only=True,
            cache_enabled=True,
            client=client,
            logger=logging.getLogger("slack_bolt.InstallationStoreAuthorize"),
        )
    app = App(
        client=client,
        signing_secret=signing_secret,
        oauth_settings=oauth_settings,
        authorize=authorize,
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener"),
    )

    @app.middleware
    def provide_services(context: BoltContext, next: Any) -> None:
        context["services"] = services
        context["follow_ups"] = follow_ups
        context["clock"] = clock or SystemClock()
        next()

    app.error(handle_unexpected_error)
    commands.register(app)
    events.register(app)
    views.register(app)
    actions.register(app)
    return app
