"""Goals on SQLite and PostgreSQL: numbering, dates read in the owner's own today, status
changes and their history, milestones and progress, who sees what, comments, the one-tap
update from the weekly check-in, and the week-ahead due-date reminder."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain import goal_messages as kinds
from bot.domain.checkin_messages import PROMPT
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.goals import (
    MAX_ACTIVE_GOALS,
    MAX_GOAL_NUMBER,
    GoalEventKind,
    GoalFormInput,
    GoalStatus,
    ViewerRole,
    Visibility,
)
from bot.domain.members import Member
from bot.domain.profiles import ProgramRole
from bot.services.goals import GoalService
from tests.support.ledger import build_engine
from tests.support.program import TEAM, pair, person, profile, store

NOW = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
"""Friday 27 November 16:00 UTC: already Saturday 28 November 01:00 in Seoul."""
SEOUL_TODAY = date(2026, 11, 28)


@pytest.fixture
def harness(fake_slack, engine, clock):
    clock.set(NOW)
    harness = build_engine(fake_slack, engine, clock)
    store(
        harness.services,
        profile("UMENTEE", manager_id="ULEAD"),
        profile("UOTHER"),
        profile("UMENTOR", ProgramRole.MENTOR),
        profile("USTRANGER", ProgramRole.MENTOR),
        profile("ULA", timezone="America/Los_Angeles"),
    )
    pair(harness.services, "UMENTOR", "UMENTEE")
    return harness


@pytest.fixture
def goals(harness) -> GoalService:
    return harness.services.goals


MENTEE = person("UMENTEE")


def deliveries(harness, kind: str):
    found = harness.services.deliveries.list(limit=10_000)
    return sorted((d for d in found if d.key.kind == kind), key=lambda d: d.id)


def stored_goals(harness, user_id: str):
    with harness.services.deliveries._uow() as uow:
        return uow.goals.list_for(TEAM, user_id, include_archived=True)


def events(goals: GoalService, member: Member, number: int):
    _goal, found = goals.history(member, number=number)
    return [(e.kind, e.old, e.new) for e in found]


# Creating


def test_goals_are_numbered_per_person_and_the_numbers_never_shift(goals, harness):
    first = goals.add(MENTEE, "Ship a RAG demo", None)
    second = goals.add(MENTEE, "Choose my target AI domain", None)
    other = goals.add(person("UOTHER"), "Learn PyTorch", None)
    goals.archive(MENTEE, number=1)
    third = goals.add(MENTEE, "Prepare for interviews", None)

    assert (first.number, second.number, third.number, other.number) == (1, 2, 3, 1)
    assert goals.own_goal(MENTEE, number=2).title == "Choose my target AI domain"


def test_two_goals_added_at_the_same_moment_get_different_numbers(goals, harness):
    numbers: list[int] = []
    errors: list[BaseException] = []

    def add(title: str) -> None:
        try:
            numbers.append(goals.add(MENTEE, title, None).number)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=add, args=(f"Goal {i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(numbers) == [1, 2, 3, 4, 5, 6]


def test_a_due_date_is_read_against_the_owners_own_today(goals, harness):
    # 16:00 UTC Friday is already Saturday in Seoul: "tomorrow" is Sunday the 29th there...
    seoul = goals.add(MENTEE, "Read the RAG paper", "tomorrow")
    # ...and still Friday in Los Angeles, where "tomorrow" is Saturday the 28th.
    los_angeles = goals.add(person("ULA"), "Read the RAG paper", "tomorrow")

    assert seoul.due == date(2026, 11, 29)
    assert los_angeles.due == date(2026, 11, 28)
    assert goals.add(MENTEE, "Ship it", "in 6 weeks").due == SEOUL_TODAY + timedelta(weeks=6)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("2026-11-27", "in the past"),
        ("2026-02-30", "February 2026 has 28 days"),
        ("someday", "can't read “someday” as a date"),
        ("13/01", "13 is not a month"),
    ],
)
def test_a_bad_or_past_due_date_is_refused_and_nothing_is_created(goals, harness, typed, says):
    with pytest.raises(InvalidInput) as refused:
        goals.add(MENTEE, "Ship a RAG demo", typed)

    assert says in refused.value.message.format(**refused.value.values)
    assert stored_goals(harness, "UMENTEE") == []


def test_at_most_ten_goals_are_in_progress_at_once(goals, harness):
    for i in range(MAX_ACTIVE_GOALS):
        goals.add(MENTEE, f"Goal {i}", None)

    with pytest.raises(InvalidInput):
        goals.add(MENTEE, "One too many", None)
    goals.mark_done(MENTEE, number=1)
    assert goals.add(MENTEE, "Now there is room", None).number == MAX_ACTIVE_GOALS + 1
    with pytest.raises(InvalidInput):  # reopening the done one would make eleven
        goals.set_status(MENTEE, GoalStatus.ON_TRACK, number=1)


def test_the_form_creates_a_goal_from_a_template_with_milestones_and_visibility(goals, harness):
    goal = goals.save_form(
        MENTEE,
        GoalFormInput(
            title="Build one sharp strength",
            why="Evaluation is what teams lack",
            due="12/31",
            milestones="Pick the strength\nStudy the fundamentals due in 2 weeks\n",
            visibility="private",
            template="sharp-strength",
        ),
    )

    assert (goal.title, goal.due, goal.visibility) == (
        "Build one sharp strength",
        date(2026, 12, 31),
        Visibility.PRIVATE,
    )
    assert [(m.title, m.due) for m in goal.milestones] == [
        ("Pick the strength", None),
        ("Study the fundamentals", SEOUL_TODAY + timedelta(weeks=2)),
    ]
    assert goal.template == "sharp-strength"
    assert events(goals, MENTEE, 1) == [
        (GoalEventKind.CREATED, None, "Build one sharp strength"),
        (GoalEventKind.MILESTONE_ADDED, None, "Pick the strength"),
        (GoalEventKind.MILESTONE_ADDED, None, "Study the fundamentals"),
    ]


def test_a_form_with_a_bad_field_names_the_field_and_saves_nothing(goals, harness):
    with pytest.raises(InvalidInput) as refused:
        goals.save_form(MENTEE, GoalFormInput(title="Ship it", milestones="Step one due yesterday"))

    assert refused.value.values["field"] == "milestones"
    assert stored_goals(harness, "UMENTEE") == []


# Updating


def test_the_update_form_keeps_an_overdue_date_and_each_milestones_state(goals, harness, clock):
    goal = goals.save_form(
        MENTEE,
        GoalFormInput(
            title="Ship a RAG demo", due="2026-12-01", milestones="Build\nEvaluate\nPublish"
        ),
    )
    build, evaluate, _publish = goal.milestones
    goals.set_milestones_done(MENTEE, goal.id, {build.id})
    clock.set(NOW + timedelta(days=10))  # the due date has passed

    updated = goals.save_form(
        MENTEE,
        GoalFormInput(
            goal_id=goal.id,
            title="Ship a RAG demo to my team",
            due="2026-12-01",  # unchanged, though now in the past
            milestones="✓ Build\nEvaluate due 12/20\nWrite a blog post",
            visibility="mentor",
            status="at-risk",
            progress="",
        ),
    )

    assert updated.title == "Ship a RAG demo to my team"
    assert updated.status is GoalStatus.AT_RISK
    assert [(m.title, m.done) for m in updated.milestones] == [
        ("Build", True),
        ("Evaluate", False),
        ("Write a blog post", False),
    ]
    assert updated.milestones[0].id == build.id and updated.milestones[1].id == evaluate.id
    assert updated.progress == 33
    kinds_seen = [kind for kind, _old, _new in events(goals, MENTEE, 1)]
    assert GoalEventKind.MILESTONE_REMOVED in kinds_seen
    assert GoalEventKind.STATUS in kinds_seen and GoalEventKind.EDITED in kinds_seen


def test_a_new_past_date_in_the_update_form_is_refused(goals, harness):
    goal = goals.add(MENTEE, "Ship a RAG demo", "12/31")

    with pytest.raises(InvalidInput) as refused:
        goals.save_form(
            MENTEE,
            GoalFormInput(goal_id=goal.id, title=goal.title, due="2026-11-01", status="on-track"),
        )

    assert refused.value.values["field"] == "due"
    assert goals.own_goal(MENTEE, number=1).due == date(2026, 12, 31)


def test_progress_follows_milestones_unless_set_by_hand(goals, harness):
    goal = goals.add(MENTEE, "Ship a RAG demo", None)
    for step in ("Build", "Evaluate", "Publish", "Present"):
        goal = goals.add_milestone(MENTEE, step, None, number=1)
    assert goal.progress == 0

    goal = goals.set_milestones_done(MENTEE, goal.id, {goal.milestones[0].id})
    assert goal.progress == 25
    goal = goals.set_progress(MENTEE, 60, number=1)
    assert (goal.progress, goal.progress_is_manual) == (60, True)
    goal = goals.set_milestones_done(MENTEE, goal.id, {m.id for m in goal.milestones[:3]})
    assert goal.progress == 60  # the hand-set figure stays until `auto`
    goal = goals.set_progress(MENTEE, None, number=1)
    assert goal.progress == 75
    with pytest.raises(InvalidInput):
        goals.set_progress(MENTEE, None, number=1)


def test_status_changes_follow_the_rules_and_are_kept_in_the_history(goals, harness, clock):
    goals.add(MENTEE, "Ship a RAG demo", None)

    goals.set_status(MENTEE, GoalStatus.BLOCKED, number=1)
    done = goals.mark_done(MENTEE, number=1)
    assert (done.status, done.progress, done.done_at) == (GoalStatus.DONE, 100, NOW)
    with pytest.raises(InvalidInput):
        goals.mark_done(MENTEE, number=1)
    with pytest.raises(InvalidInput):  # a done goal's progress is 100 until it is reopened
        goals.set_progress(MENTEE, 50, number=1)
    goals.archive(MENTEE, number=1)
    with pytest.raises(InvalidInput):
        goals.mark_done(MENTEE, number=1)
    restored = goals.set_status(MENTEE, GoalStatus.ON_TRACK, number=1)

    assert restored.status is GoalStatus.ON_TRACK and restored.done_at is None
    statuses = [(old, new) for kind, old, new in events(goals, MENTEE, 1) if kind == "status"]
    assert statuses == [
        ("on-track", "blocked"),
        ("blocked", "done"),
        ("done", "archived"),
        ("archived", "on-track"),
    ]
    _goal, history = goals.history(MENTEE, number=1)
    assert {e.actor for e in history} == {"UMENTEE"}


def test_an_unknown_number_and_someone_elses_goal_are_refused(goals, harness):
    other = goals.add(person("UOTHER"), "Their goal", None)

    with pytest.raises(InvalidInput) as unknown:
        goals.mark_done(MENTEE, number=7)
    assert unknown.value.values == {"number": 7}
    with pytest.raises(NotAllowed):
        goals.mark_done(MENTEE, goal_id=other.id)
    assert goals.own_goal(person("UOTHER"), number=1).status is GoalStatus.ON_TRACK


@pytest.mark.parametrize("number", [0, MAX_GOAL_NUMBER + 1, 2**31, 2**63, 10**50])
def test_a_number_no_goal_can_have_is_unknown_without_asking_the_database(goals, harness, number):
    goals.add(MENTEE, "Ship a RAG demo", None)

    for act in (goals.mark_done, goals.history, goals.own_goal):
        with pytest.raises(InvalidInput) as unknown:
            act(MENTEE, number=number)
        assert unknown.value.values == {"number": number}


def test_a_nul_in_a_title_or_comment_is_kept_where_the_database_can_hold_it(goals, harness, engine):
    """PostgreSQL text cannot hold U+0000: its engine drops it, and keeps the rest as typed."""
    kept = (lambda typed: typed.replace("\x00", "")) if engine.dialect.name == "postgresql" else str
    goal = goals.add(MENTEE, "Ship\x00 it \x1b[31m", None)
    goals.comment(person("UMENTOR"), "Nice\x00!", owner_id="UMENTEE", number=goal.number)

    [view] = goals.listing(MENTEE).goals
    assert view.goal.title == kept("Ship\x00 it \x1b[31m")
    assert [c.note for c in view.comments] == [kept("Nice\x00!")]


# Who sees what


def test_the_owner_sees_every_goal_and_the_mentor_only_shared_ones(goals, harness):
    goals.add(MENTEE, "Shared goal", None)
    goals.save_form(MENTEE, GoalFormInput(title="My private doubts", visibility="private"))
    goals.add(MENTEE, "Old goal", None)
    goals.archive(MENTEE, number=3)

    mine = goals.listing(MENTEE)
    everything = goals.listing(MENTEE, include_archived=True)
    mentor = goals.listing(person("UMENTOR"), "UMENTEE")

    assert [v.goal.title for v in mine.goals] == ["Shared goal", "My private doubts"]
    assert len(everything.goals) == 3
    assert mentor.viewer is ViewerRole.MENTOR
    assert [v.goal.title for v in mentor.goals] == ["Shared goal"]


def test_the_manager_and_admins_see_status_and_progress_only(goals, harness):
    goals.add(MENTEE, "Shared goal", "12/31")
    goals.save_form(MENTEE, GoalFormInput(title="My private doubts", visibility="private"))
    admins = GoalService(goals._uow, harness.services.deliveries, harness.clock, admins=("UADMIN",))

    for viewer, service in (("ULEAD", goals), ("UADMIN", admins)):
        listing = service.listing(person(viewer), "UMENTEE")
        assert listing.viewer is ViewerRole.LEAD
        assert listing.goals == ()
        [line] = listing.status_lines
        assert (line.number, line.status, line.progress, line.due) == (
            1,
            GoalStatus.ON_TRACK,
            0,
            date(2026, 12, 31),
        )
        assert not hasattr(line, "title")


def test_a_lead_of_the_owners_team_sees_status_and_progress_only(goals, harness):
    goals.add(MENTEE, "Shared goal", None)
    admin = person("UADMIN", admin=True)
    harness.services.teams.create(admin, "Search", ["USTRANGER"])
    harness.services.teams.add(admin, "Search", ["UMENTEE"])

    listing = goals.listing(person("USTRANGER"), "UMENTEE")

    assert listing.viewer is ViewerRole.LEAD and listing.goals == ()
    assert [line.number for line in listing.status_lines] == [1]


def test_anyone_else_is_refused_without_learning_whether_goals_exist(goals, harness):
    goals.add(MENTEE, "Shared goal", None)

    for owner in ("UMENTEE", "UNOBODY"):
        with pytest.raises(NotAllowed) as refused:
            goals.listing(person("USTRANGER"), owner)
        assert refused.value.values == {}
    with pytest.raises(NotAllowed):
        goals.history(person("USTRANGER"), goal_id=goals.own_goal(MENTEE, number=1).id)


# Comments


def test_a_mentors_comment_reaches_the_mentee_and_shows_under_the_goal(goals, harness):
    goal = goals.add(MENTEE, "Ship a RAG demo", None)

    goals.comment(person("UMENTOR"), "Nice progress! Try RAGAS.", owner_id="UMENTEE", number=1)
    goals.comment(MENTEE, "Thanks, will do", goal_id=goal.id)

    to_mentee, to_mentor = deliveries(harness, kinds.COMMENT)
    assert (to_mentee.key.recipient, to_mentee.payload["comment"]) == (
        "UMENTEE",
        "Nice progress! Try RAGAS.",
    )
    assert (to_mentor.key.recipient, to_mentor.payload["author_id"]) == ("UMENTOR", "UMENTEE")
    [view] = goals.listing(MENTEE).goals
    assert [c.note for c in view.comments] == ["Nice progress! Try RAGAS.", "Thanks, will do"]


def test_nobody_comments_on_a_private_goal_or_a_strangers_goal(goals, harness):
    private = goals.save_form(MENTEE, GoalFormInput(title="Doubts", visibility="private"))
    goals.add(MENTEE, "Shared", None)

    with pytest.raises(NotAllowed):
        goals.comment(person("UMENTOR"), "Hi", goal_id=private.id)
    with pytest.raises(NotAllowed):
        goals.comment(person("USTRANGER"), "Hi", owner_id="UMENTEE", number=2)
    with pytest.raises(NotAllowed):
        goals.comment(person("ULEAD"), "Hi", owner_id="UMENTEE", number=2)
    with pytest.raises(InvalidInput):
        goals.comment(person("UMENTOR"), "   ", owner_id="UMENTEE", number=2)
    assert deliveries(harness, kinds.COMMENT) == []


# The weekly check-in


def test_the_checkin_prompt_carries_the_goals_in_progress(goals, harness, clock):
    goals.add(MENTEE, "Ship a RAG demo", None)
    goals.add(MENTEE, "Finished one", None)
    goals.mark_done(MENTEE, number=2)
    friday_16_seoul = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)

    harness.services.checkins.queue_due(friday_16_seoul)

    [prompt] = [d for d in deliveries(harness, PROMPT) if d.key.recipient == "UMENTEE"]
    assert [(g["number"], g["title"], g["status"]) for g in prompt.payload["goals"]] == [
        (1, "Ship a RAG demo", "on-track")
    ]


def test_a_tap_in_the_checkin_updates_the_goal_and_the_checkin_record(goals, harness, clock):
    goal = goals.add(MENTEE, "Ship a RAG demo", None)
    checkin = harness.services.checkins.current(MENTEE)

    updated, recorded = goals.tap_from_checkin(MENTEE, checkin.id, goal.id, GoalStatus.AT_RISK)
    assert (updated.status, recorded) == (GoalStatus.AT_RISK, True)
    # Tapping the status it already has confirms it for this week; no error, no new event.
    again, recorded = goals.tap_from_checkin(MENTEE, checkin.id, goal.id, GoalStatus.AT_RISK)

    assert recorded and again.status is GoalStatus.AT_RISK
    [update] = goals.checkin_updates(MENTEE, checkin.id)
    assert (update.goal_id, update.status, update.progress) == (goal.id, GoalStatus.AT_RISK, 0)
    statuses = [e for e in events(goals, MENTEE, 1) if e[0] == "status"]
    assert statuses == [(GoalEventKind.STATUS, "on-track", "at-risk")]


def test_a_tap_after_the_week_ended_updates_the_goal_but_not_the_old_checkin(goals, harness, clock):
    goal = goals.add(MENTEE, "Ship a RAG demo", None)
    checkin = harness.services.checkins.current(MENTEE)
    clock.set(checkin.week_ends_at + timedelta(hours=1))

    updated, recorded = goals.tap_from_checkin(MENTEE, checkin.id, goal.id, GoalStatus.DONE)

    assert (updated.status, recorded) == (GoalStatus.DONE, False)
    assert goals.checkin_updates(MENTEE, checkin.id) == []


def test_nobody_taps_someone_elses_goal(goals, harness):
    goal = goals.add(MENTEE, "Ship a RAG demo", None)
    checkin = harness.services.checkins.current(person("UOTHER"))

    with pytest.raises(NotAllowed):
        goals.tap_from_checkin(person("UOTHER"), checkin.id, goal.id, GoalStatus.BLOCKED)
    assert goals.own_goal(MENTEE, number=1).status is GoalStatus.ON_TRACK


# The week-ahead reminder


def test_the_reminder_comes_once_a_week_before_at_nine_in_the_owners_zone(goals, harness, clock):
    goals.add(MENTEE, "Ship a RAG demo", "2026-12-31")
    goals.add(person("ULA"), "Ship a RAG demo", "2026-12-31")
    seoul_nine = datetime(2026, 12, 24, 0, 0, tzinfo=UTC)  # 09:00 on the 24th in Seoul
    la_nine = datetime(2026, 12, 24, 17, 0, tzinfo=UTC)  # 09:00 on the 24th in Los Angeles

    assert goals.remind_due(seoul_nine - timedelta(minutes=1)) == 0
    assert goals.remind_due(seoul_nine) == 1
    assert goals.remind_due(seoul_nine + timedelta(minutes=1)) == 0
    assert goals.remind_due(la_nine) == 1
    assert goals.remind_due(la_nine) == 0

    sent = deliveries(harness, kinds.DUE_SOON)
    assert [(d.key.recipient, d.due_at) for d in sent] == [
        ("UMENTEE", seoul_nine),
        ("ULA", la_nine),
    ]
    assert sent[0].payload["due"] == "2026-12-31"
    assert sent[0].expires_at == datetime(2026, 12, 30, 15, 0, tzinfo=UTC)  # the day starts


def test_a_new_due_date_gets_its_own_reminder(goals, harness, clock):
    goal = goals.add(MENTEE, "Ship a RAG demo", "2026-12-31")
    goals.remind_due(datetime(2026, 12, 24, 0, 0, tzinfo=UTC))
    clock.set(datetime(2026, 12, 25, 0, 0, tzinfo=UTC))
    goals.save_form(
        MENTEE,
        GoalFormInput(goal_id=goal.id, title=goal.title, due="2027-01-31", status="on-track"),
    )

    assert goals.remind_due(datetime(2027, 1, 24, 0, 0, tzinfo=UTC)) == 1
    periods = [d.key.period for d in deliveries(harness, kinds.DUE_SOON)]
    assert periods == [f"goal-{goal.id}:2026-12-31", f"goal-{goal.id}:2027-01-31"]


def test_no_reminder_for_a_goal_set_inside_its_last_week_or_already_done(goals, harness, clock):
    goals.add(MENTEE, "Due in five days", "in 5 days")
    goals.add(MENTEE, "Done early", "2026-12-31")
    goals.mark_done(MENTEE, number=2)

    for day in range(40):
        goals.remind_due(NOW + timedelta(days=day))

    assert deliveries(harness, kinds.DUE_SOON) == []


def test_a_due_date_moved_into_the_coming_week_is_reminded_at_once_with_the_days_left(
    goals, harness, clock
):
    goal = goals.add(MENTEE, "Ship a RAG demo", "2027-01-31")
    clock.set(datetime(2026, 12, 28, 3, 0, tzinfo=UTC))  # Monday noon in Seoul
    goals.save_form(
        MENTEE, GoalFormInput(goal_id=goal.id, title=goal.title, due="12/31", status="on-track")
    )

    assert goals.remind_due(clock.now()) == 1

    [reminder] = deliveries(harness, kinds.DUE_SOON)
    assert (reminder.payload["due"], reminder.payload["days_left"]) == ("2026-12-31", 3)
