"""One database, two workspaces: every read is scoped by the workspace (`team_id`), so a person
of workspace A never sees workspace B's data - even with the same user id, as on an Enterprise
Grid where one person is a member of both."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.checkins import CheckinAnswer
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.members import Member
from bot.domain.profiles import ProgramRole
from tests.support.ledger import build_engine
from tests.support.program import profile, store

A, B = "TAAA", "TBBB"


def at(team_id: str, user_id: str, *, admin: bool = False) -> Member:
    return Member(team_id=team_id, user_id=user_id, is_admin=admin)


@pytest.fixture
def services(fake_slack, engine, clock):
    clock.set(datetime(2026, 11, 27, 7, 0, tzinfo=UTC))
    services = build_engine(fake_slack, engine, clock).services
    for team_id, words in ((A, "A's private doubts"), (B, "B's plans")):
        store(
            services,
            replace(profile("UMINJI"), team_id=team_id),
            replace(profile("UMENTOR", ProgramRole.MENTOR), team_id=team_id),
        )
        match = services.matching.request(at(team_id, "UMINJI"), "UMENTOR")
        services.matching.accept(at(team_id, "UMENTOR"), match.id)
        services.goals.add(at(team_id, "UMINJI"), f"{team_id} goal", None)
        checkin = services.checkins.current(at(team_id, "UMINJI"))
        services.checkins.answer(
            at(team_id, "UMINJI"), checkin.id, CheckinAnswer(progress=words, share_with_lead=True)
        )
        admin = at(team_id, "UROOT", admin=True)
        services.teams.create(admin, "Search", ["ULEAD"])
        services.teams.add(admin, "Search", ["UMINJI"])
    return services


def test_the_same_person_sees_only_the_workspace_she_asks_from(services):
    for team_id, other in ((A, B), (B, A)):
        me = at(team_id, "UMINJI")
        titles = [v.goal.title for v in services.goals.listing(me).goals]
        assert titles == [f"{team_id} goal"]
        [checkin] = services.checkins.history(me)
        assert checkin.team_id == team_id
        exported = json.dumps(services.privacy.export(me))
        assert f"{other} goal" not in exported and other not in exported


def test_a_goal_id_from_another_workspace_is_not_found(services):
    goal_in_b = services.goals.own_goal(at(B, "UMINJI"), number=1)

    with pytest.raises(NotAllowed):
        services.goals.mark_done(at(A, "UMINJI"), goal_id=goal_in_b.id)
    with pytest.raises(NotAllowed):
        services.goals.history(at(A, "UMENTOR"), goal_id=goal_in_b.id)
    with pytest.raises(NotAllowed):
        services.goals.comment(at(A, "UMENTOR"), "hi", goal_id=goal_in_b.id)
    assert services.goals.own_goal(at(B, "UMINJI"), number=1).status.value == "on-track"


def test_a_lead_and_an_admin_see_only_their_workspace(services):
    digest = services.digests.for_viewer(at(A, "ULEAD"), None)
    assert [h.text for h in digest.highlights] == ["A's private doubts"]
    program = services.digests.for_viewer(at(A, "UROOT", admin=True), None)
    assert program.people == 2 and [h.text for h in program.highlights] == ["A's private doubts"]
    assert [t.name for t in services.teams.list(at(B, "UROOT", admin=True))] == ["Search"]
    with pytest.raises(InvalidInput):
        services.teams.create(at(A, "UROOT", admin=True), "Search", ["ULEAD"])  # A's own


def test_deleting_her_data_in_one_workspace_leaves_the_other(services):
    services.privacy.delete_everything(at(A, "UMINJI"))

    assert services.goals.listing(at(A, "UMINJI")).goals == ()
    assert [v.goal.title for v in services.goals.listing(at(B, "UMINJI")).goals] == ["TBBB goal"]
    assert services.checkins.history(at(B, "UMINJI"))[0].answer.progress == "B's plans"


def test_the_home_tab_and_its_admin_panel_show_only_their_workspace(services, clock):
    store(services, replace(profile("UWAITS"), team_id=B), replace(profile("UASKS"), team_id=B))
    services.matching.request(at(B, "UASKS"), "UMENTOR")
    clock.advance(timedelta(hours=60))  # B's request now expires within a day: stalled in B

    mine = services.home.snapshot(at(A, "UMINJI"))
    assert [g.title for g in mine.goals] == [f"{A} goal"]
    assert {c.team_id for c in mine.recent_checkins} == {A}
    assert services.home.snapshot(at(A, "UMENTOR")).to_answer == ()
    panel = services.home.snapshot(at(A, "UROOT", admin=True)).admin
    assert panel is not None
    assert panel.waiting == () and panel.stalled == ()

    theirs = services.home.snapshot(at(B, "UROOT", admin=True)).admin
    assert theirs is not None
    assert "UWAITS" in theirs.waiting
    assert [(s.mentor_id, s.mentee_id) for s in theirs.stalled] == [("UMENTOR", "UASKS")]
