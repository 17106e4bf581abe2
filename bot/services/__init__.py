"""Use cases. They reach the world only through the ports in `bot.services.ports`."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Services:
    """Everything the Slack edge and the scheduler may call."""

    members: MemberService
    health: HealthService
    ticks: TickService
    deliveries: DeliveryService
    dispatcher: Dispatcher
    announcements: AnnouncementService
    profiles: ProfileService
    matching: MatchingService
    checkins: CheckinService
    goals: GoalService
    teams: TeamService
    digests: DigestService
    privacy: PrivacyService
    workspaces: WorkspaceService
    home: HomeService
