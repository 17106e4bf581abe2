"""Data rights on SQLite and PostgreSQL: `/mentor export` holds everything stored about the
person and nothing about anyone else; `/mentor delete-my-data` erases all of it, ends their
matches with a notice to the other side, and leaves everyone else's data alone."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.domain import match_messages
from bot.domain.checkins import CheckinAnswer
from bot.domain.goals import GoalFormInput
from bot.domain.profiles import ProgramRole
from storage.models import Base
from storage.privacy import COVERED
from tests.support.ledger import build_engine
from tests.support.program import TEAM, pair, person, profile, store

USER_COLUMNS = {
    "user_id",
    "recipient",
    "mentor_id",
    "mentee_id",
    "actor",
    "checkin_id",
    "goal_id",
    "match_id",
}
EXEMPT = {
    "announcements": "an admin's broadcast text and its audience list, not about the person",
    "match_rounds": "a round's metadata (who ran it); its matches are covered",
    "teams": "a team's name and channel; memberships are in team_people",
}


@pytest.fixture
def services(fake_slack, engine, clock):
    clock.set(datetime(2026, 11, 27, 7, 0, tzinfo=UTC))
    services = build_engine(fake_slack, engine, clock).services
    store(services, profile("UMINJI"), profile("UJUN"), profile("UMENTOR", ProgramRole.MENTOR))
    pair(services, "UMENTOR", "UMINJI")
    pair(services, "UMENTOR", "UJUN")
    admin = person("UROOT", admin=True)
    services.teams.create(admin, "Search", ["UMENTOR"])
    services.teams.add(admin, "Search", ["UMINJI", "UJUN"])
    for who, words in (("UMINJI", "Minji's doubts"), ("UJUN", "Jun's week")):
        member = person(who)
        services.members.set_language(TEAM, who, "ko")
        goal = services.goals.save_form(
            member, GoalFormInput(title=f"{who} goal", milestones="One\nTwo")
        )
        checkin = services.checkins.current(member)
        services.checkins.answer(member, checkin.id, CheckinAnswer(progress=words))
        services.goals.tap_from_checkin(member, checkin.id, goal.id, goal.status)
    minji_goal = services.goals.own_goal(person("UMINJI"), number=1)
    services.goals.comment(person("UMENTOR"), "Keep going", goal_id=minji_goal.id)
    services.goals.comment(person("UMINJI"), "Thanks!", goal_id=minji_goal.id)
    return services


def rows(engine, table: str, **where) -> int:
    model = Base.metadata.tables[table]
    query = select(func.count()).select_from(model)
    for column, value in where.items():
        query = query.where(model.c[column] == value)
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def test_every_table_that_can_hold_a_persons_data_is_covered():
    for table in Base.metadata.tables.values():
        if USER_COLUMNS & set(table.columns.keys()) and table.name not in EXEMPT:
            assert table.name in COVERED, f"{table.name}: add it to storage/privacy.py"


def test_the_export_holds_everything_about_her_and_nothing_about_others(services):
    data = services.privacy.export(person("UMINJI"))
    text = json.dumps(data, ensure_ascii=False)

    assert data["user"] == "UMINJI" and data["members"][0]["language_override"] == "ko"
    assert data["profiles"][0]["role"] == "mentee"
    assert [c["progress"] for c in data["checkins"]] == ["Minji's doubts"]
    assert [g["title"] for g in data["goals"]] == ["UMINJI goal"]
    assert len(data["goal_milestones"]) == 2 and len(data["checkin_goals"]) == 1
    assert {e["note"] for e in data["goal_events"] if e["kind"] == "comment"} == {
        "Keep going",
        "Thanks!",
    }
    assert [(m["mentor_id"], m["mentee_id"]) for m in data["matches"]] == [("UMENTOR", "UMINJI")]
    assert data["teams"] == [{"team": "Search", "role": "member"}]
    assert "Jun's week" not in text and "UJUN goal" not in text
    assert all("payload" not in d for d in data["deliveries"])


def test_deleting_erases_her_rows_ends_her_match_and_spares_everyone_else(services, engine):
    before_jun = {
        table: rows(engine, table, user_id="UJUN")
        for table in ("members", "profiles", "checkins", "goals", "team_people")
    }

    erased = services.privacy.delete_everything(person("UMINJI"))

    assert erased > 10
    for table in ("members", "profiles", "checkins", "goals", "team_people"):
        assert rows(engine, table, user_id="UMINJI") == 0, table
    assert rows(engine, "matches", mentee_id="UMINJI") == 0
    assert rows(engine, "goal_events", actor="UMINJI") == 0
    assert rows(engine, "deliveries", recipient="UMINJI") == 0
    for table, count in before_jun.items():
        assert rows(engine, table, user_id="UJUN") == count, table
    assert rows(engine, "matches", mentee_id="UJUN") == 1
    [ended] = [
        d for d in services.deliveries.list(limit=1000) if d.key.kind == match_messages.MATCH_ENDED
    ]
    assert ended.key.recipient == "UMENTOR"
    assert services.privacy.export(person("UMINJI"))["checkins"] == []
    assert services.members.get_member(TEAM, "UMINJI").language_override is None
