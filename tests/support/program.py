"""A small mentoring program for tests: profiles, people and matches, made the way people make
them (through the services)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.domain.members import Member
from bot.domain.profiles import Profile, ProgramRole
from bot.services import Services

TEAM = "T111"


def profile(user_id: str, role: ProgramRole = ProgramRole.MENTEE, **changes: Any) -> Profile:
    """A backend engineer heading for LLM apps in Seoul (a mentor offers RAG, capacity 2)."""
    base = Profile(
        team_id=TEAM,
        user_id=user_id,
        role=role,
        background="backend",
        track="llm-apps",
        skills_offered=frozenset({"rag"}) if role is ProgramRole.MENTOR else frozenset(),
        skills_wanted=frozenset({"rag"}),
        move_from="backend",
        move_to="llm-apps",
        timezone="Asia/Seoul",
        languages=frozenset({"ko", "en"}),
        capacity=2 if role is ProgramRole.MENTOR else 0,
    )
    return replace(base, **changes)


def person(user_id: str, *, admin: bool = False) -> Member:
    return Member(team_id=TEAM, user_id=user_id, is_admin=admin)


def store(services: Services, *profiles: Profile) -> None:
    with services.deliveries._uow() as uow:
        for one in profiles:
            uow.profiles.upsert(one, services.deliveries._clock.now())
        uow.commit()


def pair(services: Services, mentor_id: str, mentee_id: str) -> None:
    """An accepted match: requested by the mentee, accepted by the mentor."""
    match = services.matching.request(person(mentee_id), mentor_id)
    services.matching.accept(person(mentor_id), match.id)
