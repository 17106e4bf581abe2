"""Who may do what, enforced in the services: every role against every guarded action, generated
from one table (README "Roles and permissions"). A refusal is NotAllowed and reveals nothing;
admins come from MENTOR_BOT_ADMINS or `/mentor admin add`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.domain.checkins import CheckinAnswer, CheckinSchedule, CheckinState
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.goals import GoalStatus, ViewerRole
from bot.domain.members import Member
from bot.domain.profiles import ProgramRole
from bot.services import Services
from bot.services.checkins import CheckinService
from tests.support.ledger import build_engine
from tests.support.program import TEAM, pair, person, profile, store

ADMIN, LEAD, MENTOR, MENTEE, OTHER = "UADMIN", "ULEAD", "UMENTOR", "UMENTEE", "UOTHER"
ROLES = {"admin": ADMIN, "lead": LEAD, "mentor": MENTOR, "mentee": MENTEE, "anyone else": OTHER}


@pytest.fixture
def services(fake_slack, engine, clock) -> Services:
    clock.set(datetime(2026, 11, 27, 7, 0, tzinfo=UTC))
    harness = build_engine(fake_slack, engine, clock)
    services = harness.services
    store(
        services,
        profile(MENTEE),
        profile(MENTOR, ProgramRole.MENTOR),
        profile(OTHER),
        profile(LEAD, ProgramRole.MENTOR),
    )
    pair(services, MENTOR, MENTEE)
    admin = services.members.set_admin(_configured_admin(services), ADMIN, True)
    services.teams.create(admin, "Search", [LEAD])
    services.teams.add(admin, "Search", [MENTEE])
    services.goals.add(person(MENTEE), "Ship a RAG demo", None)
    return services


def _configured_admin(services: Services) -> Member:
    """The first admin, as MENTOR_BOT_ADMINS would make them."""
    return Member(team_id=TEAM, user_id="UROOT", is_admin=True)


def who(services: Services, role: str) -> Member:
    """The person as the Slack edge sees them: through the member service (admin flag included)."""
    return services.members.get_member(TEAM, ROLES[role])


def _goal_id(services: Services) -> int:
    return services.goals.own_goal(person(MENTEE), number=1).id


Action = Callable[[Services, Member], Any]
ACTIONS: dict[str, tuple[Action, set[str]]] = {
    "run a matching round": (lambda s, m: s.matching.run_round(m), {"admin"}),
    "see the match history": (lambda s, m: s.matching.history(m), {"admin"}),
    "list teams": (lambda s, m: s.teams.list(m), {"admin"}),
    "create a team": (lambda s, m: s.teams.create(m, f"Team {m.user_id}", [LEAD]), {"admin"}),
    "add people to a team": (lambda s, m: s.teams.add(m, "Search", [OTHER]), {"admin"}),
    "add an admin": (lambda s, m: s.members.set_admin(m, OTHER, True), {"admin"}),
    "see the team's digest": (
        lambda s, m: s.digests.for_viewer(m, "Search"),
        {"admin", "lead"},
    ),
    "ask for a digest": (lambda s, m: s.digests.for_viewer(m, None), {"admin", "lead"}),
    "see the mentee's goals": (
        lambda s, m: s.goals.listing(m, MENTEE),
        {"admin", "lead", "mentor", "mentee"},
    ),
    "read a goal's history": (
        lambda s, m: s.goals.history(m, goal_id=_goal_id(s)),
        {"mentor", "mentee"},
    ),
    "comment on the mentee's goal": (
        lambda s, m: s.goals.comment(m, "Nice", goal_id=_goal_id(s)),
        {"mentor", "mentee"},
    ),
    "change the mentee's goal": (
        lambda s, m: s.goals.set_status(m, GoalStatus.AT_RISK, goal_id=_goal_id(s)),
        {"mentee"},
    ),
    "tap the mentee's goal in a check-in": (
        lambda s, m: s.goals.tap_from_checkin(
            m, s.checkins.current(person(MENTEE)).id, _goal_id(s), GoalStatus.BLOCKED
        ),
        {"mentee"},
    ),
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_role_against_every_action(services, role, action):
    do, allowed = ACTIONS[action]
    member = who(services, role)

    if role in allowed:
        do(services, member)
    else:
        with pytest.raises(NotAllowed) as refused:
            do(services, member)
        assert refused.value.values == {} or set(refused.value.values) <= {"user"}


def test_leads_and_admins_see_goals_without_their_words(services):
    for role in ("lead", "admin"):
        listing = services.goals.listing(who(services, role), MENTEE)
        assert listing.viewer is ViewerRole.LEAD and listing.goals == ()


# Admins


def test_an_admin_added_in_slack_is_one_at_once_and_can_be_removed(services):
    root = _configured_admin(services)
    assert who(services, "anyone else").is_admin is False

    services.members.set_admin(root, OTHER, True)
    assert who(services, "anyone else").is_admin is True
    configured, added = services.members.admins(root)
    assert (configured, added) == ([], [ADMIN, OTHER])

    services.members.set_admin(root, OTHER, False)
    assert who(services, "anyone else").is_admin is False


def test_the_last_admin_stays(services):
    admin = who(services, "admin")
    with pytest.raises(InvalidInput):
        services.members.set_admin(admin, ADMIN, False)  # the only stored admin, none configured
    assert who(services, "admin").is_admin is True


# Retention


def test_answer_words_are_erased_after_the_retention_period_but_the_answer_stays(services, clock):
    mentee = person(MENTEE)
    checkin = services.checkins.current(mentee)
    services.checkins.answer(mentee, checkin.id, CheckinAnswer(progress="doubts", confidence=2))
    keeping = CheckinService(
        services.checkins._uow,
        services.deliveries,
        clock,
        CheckinSchedule(),
        retention=timedelta(days=30),
    )

    assert keeping.erase_old_words(checkin.week_ends_at + timedelta(days=29)) == 0
    assert keeping.erase_old_words(checkin.week_ends_at + timedelta(days=31)) == 1
    assert keeping.erase_old_words(checkin.week_ends_at + timedelta(days=32)) == 0

    [kept] = services.checkins.history(mentee)
    assert (kept.state, kept.answer.confidence, kept.answer.progress) == (
        CheckinState.ANSWERED,
        2,
        "",
    )
    assert services.checkins.erase_old_words(checkin.week_ends_at + timedelta(days=400)) == 0
