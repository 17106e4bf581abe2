"""The composition root: every dependency is built here, and each can be swapped in tests."""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, SystemClock
from bot.config import Settings, checkin_schedule, match_weights
from bot.domain.pacing import Pacer
from bot.scheduling import SchedulerRunner
from bot.services import Services
from bot.services.announcements import AnnouncementService
from bot.services.checkins import CheckinService
from bot.services.deliveries import DeliveryService, Dispatcher
from bot.services.digests import DigestService
from bot.services.goals import GoalService
from bot.services.health import HealthService
from bot.services.home import HomeService
from bot.services.matching import MatchingService
from bot.services.members import MemberService
from bot.services.privacy import PrivacyService
from bot.services.profiles import ProfileService
from bot.services.teams import TeamService
from bot.services.ticks import TickService
from bot.services.workspaces import WorkspaceService
from handlers.app import create_bolt_app
from handlers.background import FollowUps
from handlers.gateway import SlackDirectoryGateway, SlackMessenger
from handlers.oauth import STATE_SECONDS, oauth_settings
from handlers.web import WebApp
from handlers.workspace_clients import InstalledWorkspaces, WorkspaceClients
from storage.db import create_db_engine, create_session_factory
from storage.installations import SqlInstallations, SqlOAuthStates
from storage.lease import lease_for
from storage.token_cipher import TokenCipher
from storage.uow import SqlUnitOfWorkFactory

SLACK_TIMEOUT_SECONDS = 10


@dataclass
class Container:
    settings: Settings
    clock: Clock
    engine: Engine
    slack_client: WebClient
    services: Services
    follow_ups: FollowUps
    bolt_app: App
    web_app: WebApp

    def close(self) -> None:
        self.follow_ups.shutdown(wait=True)
        self.engine.dispose()


def build_slack_client(settings: Settings, *, retries: bool = True) -> WebClient:
    """The bot's WebClient. Without `retries` for the dispatcher: a library retry after a read
    timeout would resend a message blind; the delivery ledger decides every retry instead.
    In multi-workspace mode it has no token: it is the template each workspace's client copies."""
    handlers = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
    token = settings.slack_bot_token
    return WebClient(
        token=token.get_secret_value() if token else None,
        base_url=settings.slack_api_url,
        timeout=SLACK_TIMEOUT_SECONDS,
        retry_handlers=handlers if retries else [],
    )


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def build_services(
    settings: Settings,
    *,
    engine: Engine,
    clock: Clock,
    slack_client: WebClient,
    sender_client: WebClient | None = None,
) -> Services:
    sessions = create_session_factory(engine)
    uow = SqlUnitOfWorkFactory(sessions, clock)
    workspaces = build_workspaces(settings, uow, sessions, clock)
    directory: WebClient | WorkspaceClients = slack_client
    sender: WebClient | WorkspaceClients = sender_client or build_slack_client(
        settings, retries=False
    )
    if workspaces.multi_workspace:
        directory = InstalledWorkspaces(workspaces.bot_token, slack_client)
        sender = InstalledWorkspaces(workspaces.bot_token, sender)  # type: ignore[arg-type]
    members = MemberService(
        uow, SlackDirectoryGateway(directory), clock, admins=settings.mentor_bot_admins
    )
    deliveries = DeliveryService(uow, clock)
    announcements = AnnouncementService(uow, deliveries, clock)
    matching = MatchingService(
        uow,
        deliveries,
        clock,
        match_weights(settings),
        timedelta(hours=settings.mentor_bot_match_request_hours),
    )
    dispatcher = Dispatcher(
        uow,
        SlackMessenger(sender),
        members,
        clock,
        Pacer(per_workspace_per_minute=settings.mentor_bot_send_rate_per_minute),
        worker_name(),
    )
    checkins = CheckinService(
        uow,
        deliveries,
        clock,
        checkin_schedule(settings),
        admins=settings.mentor_bot_admins,
        retention=timedelta(days=settings.mentor_bot_answer_retention_days) or None,
    )
    goals = GoalService(uow, deliveries, clock, admins=settings.mentor_bot_admins)
    digests = DigestService(uow, deliveries, clock)
    return Services(
        members=members,
        health=HealthService(uow),
        ticks=TickService(
            {
                "announcements": announcements.queue_due,
                "match-requests": matching.expire_due,
                "checkins": checkins.queue_due,
                "checkin-reminders": checkins.remind_due,
                "missed-checkins": checkins.close_weeks,
                "goal-reminders": goals.remind_due,
                "digests": digests.queue_weekly,
                "answer-retention": checkins.erase_old_words,
            }
        ),
        deliveries=deliveries,
        dispatcher=dispatcher,
        announcements=announcements,
        profiles=ProfileService(uow, clock),
        matching=matching,
        checkins=checkins,
        goals=goals,
        teams=TeamService(uow, clock),
        digests=digests,
        privacy=PrivacyService(uow, matching, members, clock),
        workspaces=workspaces,
        home=HomeService(uow, checkins, clock),
    )


def build_workspaces(
    settings: Settings, uow: SqlUnitOfWorkFactory, sessions: sessionmaker[Session], clock: Clock
) -> WorkspaceService:
    if not settings.oauth_enabled or settings.mentor_bot_encryption_key is None:
        return WorkspaceService(uow, clock)
    cipher = TokenCipher(settings.mentor_bot_encryption_key.get_secret_value())
    return WorkspaceService(
        uow,
        clock,
        registry=SqlInstallations(sessions, cipher),
        states=SqlOAuthStates(sessions, timedelta(seconds=STATE_SECONDS)),
    )


def build_scheduler_runner(
    settings: Settings, services: Services, engine: Engine, clock: Clock, slack_client: WebClient
) -> SchedulerRunner:
    @cache
    def token_team() -> list[str]:  # single-workspace mode: the token's own workspace
        return [slack_client.auth_test()["team_id"]]

    workspaces = services.workspaces
    team_ids = workspaces.team_ids if workspaces.multi_workspace else token_team

    return SchedulerRunner(
        services,
        lease_for(engine),
        clock,
        tick_seconds=settings.mentor_bot_tick_seconds,
        dispatch_seconds=settings.mentor_bot_dispatch_seconds,
        team_ids=team_ids,
    )


def build_container(
    settings: Settings,
    *,
    clock: Clock | None = None,
    slack_client: WebClient | None = None,
    engine: Engine | None = None,
) -> Container:
    clock = clock or SystemClock()
    engine = engine or create_db_engine(settings.database_url)
    slack_client = slack_client or build_slack_client(settings)
    services = build_services(settings, engine=engine, clock=clock, slack_client=slack_client)
    follow_ups = FollowUps()
    oauth = None
    if services.workspaces.multi_workspace and settings.slack_client_secret is not None:
        oauth = oauth_settings(
            client_id=str(settings.slack_client_id),
            client_secret=settings.slack_client_secret.get_secret_value(),
            redirect_uri=settings.slack_redirect_uri,
            workspaces=services.workspaces,
        )
    bolt_app = create_bolt_app(
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        services=services,
        client=slack_client,
        follow_ups=follow_ups,
        clock=clock,
        oauth_settings=oauth,
    )
    return Container(
        settings=settings,
        clock=clock,
        engine=engine,
        slack_client=slack_client,
        services=services,
        follow_ups=follow_ups,
        bolt_app=bolt_app,
        web_app=WebApp(bolt_app, services.health),
    )
