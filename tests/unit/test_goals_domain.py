"""Goal rules: progress, overdue, status changes, reading what people type, the week-ahead
reminder and the history of changes. Dates are read against an explicit today."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain import goals
from bot.domain.dates import IN_THE_PAST
from bot.domain.errors import InvalidInput
from bot.domain.goals import (
    ACTIVE,
    MAX_MILESTONES,
    MAX_TITLE,
    Goal,
    GoalChange,
    GoalDraft,
    GoalEventKind,
    GoalStatus,
    Milestone,
    ReminderDecision,
    Visibility,
    check_editable,
    check_transition,
    clean_title,
    diff_goal,
    merge_milestones,
    milestone_line,
    parse_due,
    parse_goal_edit,
    parse_goal_form,
    parse_milestone_lines,
    parse_number,
    parse_progress,
    parse_status,
    reminder_decision,
    reminder_time,
    split_due,
)

TODAY = date(2026, 11, 28)
CREATED = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)
SEOUL = ZoneInfo("Asia/Seoul")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")

GOAL = Goal(
    id=7,
    team_id="T1",
    user_id="UE1",
    number=3,
    title="Ship a RAG demo",
    why="To show what I can build",
    due=date(2026, 12, 31),
    status=GoalStatus.ON_TRACK,
    visibility=Visibility.MENTOR,
    manual_progress=None,
    milestones=(),
    created_at=CREATED,
    updated_at=CREATED,
)


def goal(**changes) -> Goal:
    return replace(GOAL, **changes)


def milestones(*done: bool) -> tuple[Milestone, ...]:
    return tuple(Milestone(f"Step {i}", done=d, id=i) for i, d in enumerate(done, start=1))


def english(error: InvalidInput) -> str:
    return error.message.format(**error.values)


def refused(call, *args, **kwargs) -> InvalidInput:
    with pytest.raises(InvalidInput) as raised:
        call(*args, **kwargs)
    return raised.value


# Progress


def test_a_goal_without_milestones_starts_at_zero():
    assert goal().progress == 0
    assert not goal().progress_is_manual


@pytest.mark.parametrize(
    ("done", "progress"),
    [
        ((False,), 0),
        ((True,), 100),
        ((True, False), 50),
        ((True, False, False), 33),
        ((True, True, False), 67),
        ((True, True, True), 100),
        ((True, False, False, False), 25),
    ],
)
def test_progress_follows_the_share_of_milestones_done_rounded(done, progress):
    assert goal(milestones=milestones(*done)).progress == progress


def test_a_hand_set_progress_wins_over_the_milestones():
    hand_set = goal(milestones=milestones(True, True, False), manual_progress=20)
    assert hand_set.progress == 20
    assert hand_set.progress_is_manual


def test_a_hand_set_zero_is_still_hand_set():
    hand_set = goal(milestones=milestones(True), manual_progress=0)
    assert hand_set.progress == 0
    assert hand_set.progress_is_manual


def test_a_done_goal_is_always_at_100_and_not_hand_set():
    done = goal(status=GoalStatus.DONE, manual_progress=40, milestones=milestones(False, False))
    assert done.progress == 100
    assert not done.progress_is_manual


def test_an_archived_goal_keeps_its_progress():
    archived = goal(status=GoalStatus.ARCHIVED, milestones=milestones(True, False))
    assert archived.progress == 50


def test_a_milestone_is_found_by_its_id():
    with_steps = goal(milestones=milestones(True, False))
    assert with_steps.milestone(2) == Milestone("Step 2", id=2)
    assert with_steps.milestone(99) is None


# Overdue


@pytest.mark.parametrize(
    ("due", "status", "overdue"),
    [
        (date(2026, 11, 27), GoalStatus.ON_TRACK, True),
        (date(2026, 11, 27), GoalStatus.AT_RISK, True),
        (date(2026, 11, 27), GoalStatus.BLOCKED, True),
        (date(2026, 11, 28), GoalStatus.ON_TRACK, False),
        (date(2026, 11, 29), GoalStatus.ON_TRACK, False),
        (None, GoalStatus.ON_TRACK, False),
        (date(2026, 11, 27), GoalStatus.DONE, False),
        (date(2026, 11, 27), GoalStatus.ARCHIVED, False),
    ],
)
def test_only_an_active_goal_with_a_due_date_before_today_is_overdue(due, status, overdue):
    assert goal(due=due, status=status).is_overdue(TODAY) is overdue


# Status changes

ALL_PAIRS = [(old, new) for old in GoalStatus for new in GoalStatus]
SAME = [(old, new) for old, new in ALL_PAIRS if old is new]
ALLOWED = [
    (old, new)
    for old, new in ALL_PAIRS
    if old is not new and (old, new) != (GoalStatus.ARCHIVED, GoalStatus.DONE)
]


def test_the_transition_table_covers_every_pair():
    assert len(SAME) + len(ALLOWED) + 1 == len(GoalStatus) ** 2


@pytest.mark.parametrize(("old", "new"), SAME, ids=lambda s: s.value)
def test_setting_the_status_a_goal_already_has_is_refused_naming_the_goal(old, new):
    error = refused(check_transition, goal(status=old), new)
    assert error.values["number"] == 3
    assert english(error).startswith("Goal 3 is already")


@pytest.mark.parametrize(("old", "new"), ALLOWED, ids=lambda s: s.value)
def test_every_other_status_change_is_allowed(old, new):
    check_transition(goal(status=old), new)


def test_an_archived_goal_cannot_be_done_before_it_is_restored():
    error = refused(check_transition, goal(status=GoalStatus.ARCHIVED), GoalStatus.DONE)
    assert "Goal 3 is archived" in english(error)
    assert "`/mentor goal status 3 on-track`" in english(error)


def test_a_done_goal_can_be_reopened_and_an_archived_one_restored():
    check_transition(goal(status=GoalStatus.DONE), GoalStatus.ON_TRACK)
    check_transition(goal(status=GoalStatus.ARCHIVED), GoalStatus.ON_TRACK)


@pytest.mark.parametrize("status", ACTIVE, ids=lambda s: s.value)
def test_a_goal_in_progress_is_editable(status):
    check_editable(goal(status=status))


@pytest.mark.parametrize(
    ("status", "says"),
    [(GoalStatus.DONE, "Goal 3 is done"), (GoalStatus.ARCHIVED, "Goal 3 is archived")],
)
def test_a_done_or_archived_goal_is_not_editable_and_says_how_to_reopen_it(status, says):
    error = refused(check_editable, goal(status=status))
    assert says in english(error)
    assert "`/mentor goal status 3 on-track`" in english(error)


# Reading a status, a progress, a number, a title


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("on-track", GoalStatus.ON_TRACK),
        ("On Track", GoalStatus.ON_TRACK),
        ("  on   track ", GoalStatus.ON_TRACK),
        ("ontrack", GoalStatus.ON_TRACK),
        ("on_track", GoalStatus.ON_TRACK),
        ("on", GoalStatus.ON_TRACK),
        ("순조", GoalStatus.ON_TRACK),
        ("at-risk", GoalStatus.AT_RISK),
        ("AT RISK", GoalStatus.AT_RISK),
        ("atrisk", GoalStatus.AT_RISK),
        ("at_risk", GoalStatus.AT_RISK),
        ("risk", GoalStatus.AT_RISK),
        ("위험", GoalStatus.AT_RISK),
        ("blocked", GoalStatus.BLOCKED),
        ("Blocked", GoalStatus.BLOCKED),
        ("막힘", GoalStatus.BLOCKED),
    ],
)
def test_a_status_is_read_from_its_words(text, status):
    assert parse_status(text) is status


@pytest.mark.parametrize("text", ["sideways", "done", "archived", "", "on track now"])
def test_a_word_that_is_not_a_status_is_refused_with_the_choices(text):
    error = refused(parse_status, text)
    assert "use on-track, at-risk or blocked" in english(error)
    assert error.values["text"] == text.strip()


def test_a_long_bad_status_is_quoted_back_clipped():
    assert refused(parse_status, "x" * 100).values["text"] == "x" * 40


@pytest.mark.parametrize(
    ("text", "progress"),
    [
        ("0", 0),
        ("60", 60),
        ("100", 100),
        ("60%", 60),
        (" 60 % ", 60),
        ("007", 7),
        ("auto", None),
        ("AUTO", None),
        ("자동", None),
    ],
)
def test_a_progress_is_a_whole_percentage_or_auto(text, progress):
    assert parse_progress(text) == progress


@pytest.mark.parametrize("text", ["101", "-5", "60.5", "sixty", "", "%", "1e2"])
def test_a_bad_progress_is_refused_on_the_progress_field(text):
    error = refused(parse_progress, text)
    assert error.values["field"] == "progress"
    assert "whole number from 0 to 100" in english(error)


@pytest.mark.parametrize("text", ["²", "5²"])
@pytest.mark.parametrize("parse", [parse_progress, parse_number], ids=lambda f: f.__name__)
def test_a_superscript_digit_is_refused_not_a_crash(parse, text):
    # str.isdigit() is True for "²", but int() cannot read it: a ValueError would escape.
    refused(parse, text)


@pytest.mark.parametrize(("text", "number"), [("1", 1), (" 12 ", 12), ("#2", 2), ("03", 3)])
def test_a_goal_number_is_a_positive_whole_number(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["0", "-1", "two", "", "1.5"])
def test_a_bad_goal_number_points_at_the_list(text):
    assert "`/mentor goal list`" in english(refused(parse_number, text))


def test_goal_numbers_go_up_to_the_most_and_no_further():
    assert parse_number(str(goals.MAX_GOAL_NUMBER)) == goals.MAX_GOAL_NUMBER
    assert "`/mentor goal list`" in english(refused(parse_number, str(goals.MAX_GOAL_NUMBER + 1)))


@pytest.mark.parametrize(
    "text", ["2147483648", "9223372036854775808", "9" * 5000], ids=["2**31", "2**63", "5000-digits"]
)
def test_a_goal_number_too_large_for_the_database_is_refused_before_any_lookup(text):
    error = refused(parse_number, text)
    assert error.values == {"text": text[:20]}


@pytest.mark.parametrize("text", ["9" * 5000, "1" + "0" * 4400])
def test_a_progress_of_thousands_of_digits_is_refused_not_a_crash(text):
    assert refused(parse_progress, text).values["field"] == "progress"


def test_a_title_has_its_whitespace_collapsed():
    assert clean_title("  Ship   a\nRAG\tdemo ") == "Ship a RAG demo"


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_title_is_refused_with_an_example(text):
    error = refused(clean_title, text)
    assert error.values["field"] == "title"
    assert "Ship a RAG demo" in english(error)


def test_a_title_of_the_maximum_length_is_kept():
    assert clean_title("x" * MAX_TITLE) == "x" * MAX_TITLE


def test_a_title_that_is_too_long_is_refused_with_the_limit_and_length():
    error = refused(clean_title, "x" * (MAX_TITLE + 1), field_name="milestones")
    assert english(error) == "Please keep this under 150 characters (it has 151)."
    assert error.values["field"] == "milestones"


# Splitting a due date off a title


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ship a RAG demo due 2026-12-31", ("Ship a RAG demo", "2026-12-31")),
        ("Ship a RAG demo", ("Ship a RAG demo", None)),
        ("  Ship a RAG demo  ", ("Ship a RAG demo", None)),
        ("Ship a RAG demo DUE in 6 weeks", ("Ship a RAG demo", "in 6 weeks")),
        ("Read up on due diligence due 12/31", ("Read up on due diligence", "12/31")),
        ("RAG 데모 만들기 마감 12/31", ("RAG 데모 만들기", "12/31")),
        ("Overdue report", ("Overdue report", None)),
        ("Pay the dues", ("Pay the dues", None)),
        ('"Read up on due diligence" due 12/31', ("Read up on due diligence", "12/31")),
        ("“Read up on due diligence” due 12/31", ("Read up on due diligence", "12/31")),
        ("“Read up on due diligence” 마감 12/31", ("Read up on due diligence", "12/31")),
        ('"Read up on due diligence"', ("Read up on due diligence", None)),
        ('  "Due diligence"  ', ("Due diligence", None)),
        ("", ("", None)),
    ],
)
def test_the_last_due_starts_the_date(text, expected):
    assert split_due(text) == expected


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ('"Read up on due diligence" by Friday', "by Friday"),
        ('"Read up on due diligence" due', "due"),
        ("“Due diligence” tomorrow", "tomorrow"),
    ],
)
def test_anything_but_a_due_date_after_a_quoted_title_is_refused(text, rest):
    error = refused(split_due, text)
    assert error.values["text"] == rest
    assert '`/mentor goal add "Read up on due diligence" due 12/31`' in english(error)


# Reading a due date


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_no_due_date_typed_is_none(typed):
    assert parse_due(typed, today=TODAY) is None


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-12-31", date(2026, 12, 31)),
        ("12/31", date(2026, 12, 31)),
        ("today", TODAY),
        ("in 6 weeks", date(2027, 1, 9)),
        ("2026년 12월 31일", date(2026, 12, 31)),
    ],
)
def test_a_due_date_is_read_relative_to_today(typed, day):
    assert parse_due(typed, today=TODAY) == day


def test_a_past_due_date_is_refused_with_the_dates_message_and_the_field():
    error = refused(parse_due, "2026-11-27", today=TODAY)
    assert error.message == IN_THE_PAST
    assert english(error) == "2026-11-27 is in the past; pick today (2026-11-28) or later."
    assert error.values["field"] == "due"


def test_an_unreadable_date_keeps_the_dates_message_and_names_the_field():
    error = refused(parse_due, "someday", today=TODAY, field_name="milestones")
    assert "I can't read “someday” as a date" in english(error)
    assert error.values["field"] == "milestones"


def test_a_past_date_already_stored_may_be_kept():
    kept = date(2026, 11, 1)
    assert parse_due("2026-11-01", today=TODAY, allowed_past={kept}) == kept
    error = refused(parse_due, "2026-11-02", today=TODAY, allowed_past={kept})
    assert error.message == IN_THE_PAST


def test_any_past_date_is_accepted_with_any_past():
    assert parse_due("2026-01-05", today=TODAY, any_past=True) == date(2026, 1, 5)


def test_a_date_too_far_ahead_is_refused_even_with_any_past():
    error = refused(parse_due, "2040-01-01", today=TODAY, any_past=True)
    assert "more than 5 years ahead" in english(error)
    assert error.values["field"] == "due"


# Milestone lines


def test_milestones_are_one_per_line_with_bullets_and_blank_lines_ignored():
    typed = "- Read the paper\n\n• Build a prototype\n  * Write it up  \n"
    assert parse_milestone_lines(typed, today=TODAY) == (
        Milestone("Read the paper"),
        Milestone("Build a prototype"),
        Milestone("Write it up"),
    )


def test_a_milestone_line_may_end_with_a_due_date():
    assert parse_milestone_lines("Read the paper due 12/31", today=TODAY) == (
        Milestone("Read the paper", date(2026, 12, 31)),
    )


@pytest.mark.parametrize("mark", ["✓", "✔", "[x]", "[X]", "- ✓"])
def test_a_ticked_line_is_done_and_may_keep_a_past_date(mark):
    assert parse_milestone_lines(f"{mark} Read the paper due 2026-10-01", today=TODAY) == (
        Milestone("Read the paper", date(2026, 10, 1), done=True),
    )


def test_an_open_box_prefix_is_dropped_and_the_line_is_not_done():
    assert parse_milestone_lines("[ ] Read the paper", today=TODAY) == (
        Milestone("Read the paper"),
    )


def test_an_open_milestone_with_a_past_date_is_refused_on_the_milestones_field():
    error = refused(parse_milestone_lines, "Read the paper due 2026-10-01", today=TODAY)
    assert error.message == IN_THE_PAST
    assert error.values["field"] == "milestones"


def test_an_open_milestone_may_keep_a_past_date_already_stored():
    kept = date(2026, 10, 1)
    assert parse_milestone_lines(
        "Read the paper due 2026-10-01", today=TODAY, allowed_past={kept}
    ) == (Milestone("Read the paper", kept),)


def test_a_milestone_line_with_only_a_mark_has_no_title():
    error = refused(parse_milestone_lines, "✓ ", today=TODAY)
    assert error.values["field"] == "milestones"


def test_up_to_ten_milestones_are_accepted():
    typed = "\n".join(f"Step {i}" for i in range(MAX_MILESTONES))
    assert len(parse_milestone_lines(typed, today=TODAY)) == MAX_MILESTONES


def test_more_than_ten_milestones_are_refused_with_the_count():
    typed = "\n".join(f"Step {i}" for i in range(MAX_MILESTONES + 1))
    error = refused(parse_milestone_lines, typed, today=TODAY)
    assert error.values["field"] == "milestones"
    assert english(error) == (
        "A goal can have up to 10 milestones (you wrote 11); split it into two goals."
    )


@pytest.mark.parametrize(
    "milestone",
    [
        Milestone("Read the paper"),
        Milestone("Read the paper", date(2026, 12, 31)),
        Milestone("Read the paper", date(2026, 10, 1), done=True),
        Milestone("Read the paper", done=True),
        Milestone("RAG 데모 만들기", date(2027, 1, 15)),
    ],
)
def test_a_milestone_line_reads_back_the_same(milestone):
    assert parse_milestone_lines(milestone_line(milestone), today=TODAY) == (milestone,)


def test_milestone_lines_are_written_the_way_the_form_shows_them():
    assert milestone_line(Milestone("Read", date(2026, 12, 31), done=True)) == (
        "✓ Read due 2026-12-31"
    )
    assert milestone_line(Milestone("Read")) == "Read"


@pytest.mark.parametrize("title", ["Review the due diligence notes", "Pay what is due next week"])
def test_a_milestone_whose_title_says_due_reads_back_the_same(title):
    # Such a title can be stored (typed quoted), and the update form shows it back.
    stored = parse_milestone_lines(f'"{title}"', today=TODAY)
    assert stored == (Milestone(title),)
    assert parse_milestone_lines(milestone_line(stored[0]), today=TODAY) == stored


# Keeping milestone ids across an edit


def test_merged_milestones_keep_the_stored_id_of_an_unchanged_title():
    current = (Milestone("Read the paper", id=10), Milestone("Build it", id=11))
    typed = (
        Milestone("build IT", date(2026, 12, 31), done=True),
        Milestone("Write it up"),
    )
    assert merge_milestones(current, typed) == (
        Milestone("build IT", date(2026, 12, 31), done=True, id=11),
        Milestone("Write it up", id=None),
    )


def test_merged_duplicates_take_the_stored_ids_in_order_and_once_each():
    current = (Milestone("Practice", id=1), Milestone("Practice", id=2))
    typed = (Milestone("Practice"), Milestone("practice"), Milestone("Practice"))
    assert [m.id for m in merge_milestones(current, typed)] == [1, 2, None]


def test_merging_into_nothing_keeps_no_ids():
    assert merge_milestones((), (Milestone("New"),)) == (Milestone("New"),)


# The goal form


def form(**typed):
    fields = {"title": "Ship a RAG demo", "why": "", "due": "", "milestones": ""}
    fields |= {"visibility": "mentor", "today": TODAY} | typed
    return parse_goal_form(**fields)


def test_a_new_goal_form_is_read_into_a_draft():
    draft = form(
        title="  Ship  a RAG demo ",
        why=" To show what I can build ",
        due="12/31",
        milestones="Read the paper\n✓ Pick the data",
        visibility="private",
        template="portfolio-project",
    )
    assert draft == GoalDraft(
        title="Ship a RAG demo",
        why="To show what I can build",
        due=date(2026, 12, 31),
        visibility=Visibility.PRIVATE,
        milestones=(Milestone("Read the paper"), Milestone("Pick the data", done=True)),
        template="portfolio-project",
    )


def test_an_unknown_visibility_falls_back_to_the_mentor():
    assert form(visibility="everyone").visibility is Visibility.MENTOR


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ({"title": ""}, "title"),
        ({"why": "x" * 1001}, "why"),
        ({"due": "2026-11-27"}, "due"),
        ({"due": "whenever"}, "due"),
        ({"milestones": "Read due 2026-11-27"}, "milestones"),
    ],
)
def test_a_bad_form_field_is_named_in_the_error(typed, field):
    assert refused(form, **typed).values["field"] == field


EDITED = goal(
    due=date(2026, 11, 20),
    template="portfolio-project",
    milestones=(
        Milestone("Read the paper", date(2026, 11, 10), done=True, id=21),
        Milestone("Build it", date(2026, 11, 25), id=22),
    ),
)


def test_an_edit_may_keep_its_own_past_dates_and_keeps_milestone_ids():
    draft = form(
        due="2026-11-20",
        milestones="✓ Read the paper due 2026-11-10\nBuild it due 2026-11-25\nShip it",
        current=EDITED,
        template="ai-interview",
    )
    assert draft.due == date(2026, 11, 20)
    assert draft.milestones == (
        Milestone("Read the paper", date(2026, 11, 10), done=True, id=21),
        Milestone("Build it", date(2026, 11, 25), id=22),
        Milestone("Ship it"),
    )
    assert draft.template == "portfolio-project"


def test_an_edit_may_not_move_a_due_date_to_another_past_day():
    error = refused(form, due="2026-11-21", current=EDITED)
    assert error.message == IN_THE_PAST
    assert error.values["field"] == "due"


def test_the_update_form_keeps_the_chosen_status_and_reads_the_progress():
    draft = form(current=EDITED)
    edit = parse_goal_edit(draft=draft, status="at-risk", progress="60%", current=EDITED)
    assert (edit.draft, edit.status, edit.manual_progress) == (draft, GoalStatus.AT_RISK, 60)


@pytest.mark.parametrize("progress", ["", "   ", "auto"])
def test_an_empty_or_auto_progress_follows_the_milestones(progress):
    edit = parse_goal_edit(draft=form(), status="blocked", progress=progress, current=EDITED)
    assert edit.manual_progress is None
    assert edit.status is GoalStatus.BLOCKED


def test_an_unknown_status_keeps_the_goals_own():
    edit = parse_goal_edit(draft=form(), status="", progress="", current=EDITED)
    assert edit.status is GoalStatus.ON_TRACK


def test_a_bad_progress_in_the_update_form_names_the_progress_field():
    error = refused(parse_goal_edit, draft=form(), status="", progress="lots", current=EDITED)
    assert error.values["field"] == "progress"


# The week-ahead reminder


def test_the_reminder_is_a_week_before_at_nine_in_the_owners_zone():
    assert reminder_time(date(2026, 12, 31), SEOUL) == datetime(2026, 12, 24, 0, tzinfo=UTC)
    assert reminder_time(date(2026, 12, 31), LOS_ANGELES) == datetime(2026, 12, 24, 17, tzinfo=UTC)


def test_the_reminder_follows_daylight_saving_time():
    # Los Angeles is UTC-7 in summer: 09:00 there is 16:00 UTC.
    assert reminder_time(date(2026, 7, 8), LOS_ANGELES) == datetime(2026, 7, 1, 16, tzinfo=UTC)


REMINDER_AT = datetime(2026, 12, 24, 0, tzinfo=UTC)  # goal due 2026-12-31, owner in Seoul


@pytest.mark.parametrize(
    ("at", "decision"),
    [
        (datetime(2026, 12, 1, 0, tzinfo=UTC), ReminderDecision.WAIT),
        (datetime(2026, 12, 23, 23, 59, tzinfo=UTC), ReminderDecision.WAIT),
        (REMINDER_AT, ReminderDecision.SEND),
        (datetime(2026, 12, 28, 12, tzinfo=UTC), ReminderDecision.SEND),
        (datetime(2026, 12, 30, 14, 59, tzinfo=UTC), ReminderDecision.SEND),  # 23:59 in Seoul
        (datetime(2026, 12, 30, 15, 0, tzinfo=UTC), ReminderDecision.NEVER),  # due day in Seoul
        (datetime(2027, 1, 5, tzinfo=UTC), ReminderDecision.NEVER),
    ],
)
def test_the_reminder_is_sent_once_its_time_has_come_until_the_due_date(at, decision):
    assert reminder_decision(goal(), at, SEOUL) is decision


def test_the_due_date_is_read_in_the_owners_own_zone():
    # 2026-12-30 20:00 UTC is still the 30th in Los Angeles but the 31st in Seoul.
    at = datetime(2026, 12, 30, 20, tzinfo=UTC)
    assert reminder_decision(goal(), at, LOS_ANGELES) is ReminderDecision.SEND
    assert reminder_decision(goal(), at, SEOUL) is ReminderDecision.NEVER


def test_a_goal_set_after_its_reminder_time_gets_no_reminder():
    late = goal(created_at=REMINDER_AT.replace(minute=1))
    assert reminder_decision(late, datetime(2026, 12, 25, tzinfo=UTC), SEOUL) is (
        ReminderDecision.NEVER
    )


def test_a_goal_set_exactly_at_its_reminder_time_is_still_reminded():
    on_time = goal(created_at=REMINDER_AT)
    assert reminder_decision(on_time, REMINDER_AT, SEOUL) is ReminderDecision.SEND


@pytest.mark.parametrize("status", [GoalStatus.DONE, GoalStatus.ARCHIVED])
def test_a_done_or_archived_goal_is_never_reminded(status):
    assert reminder_decision(goal(status=status), REMINDER_AT, SEOUL) is ReminderDecision.NEVER


@pytest.mark.parametrize("status", ACTIVE)
def test_every_active_status_is_reminded(status):
    assert reminder_decision(goal(status=status), REMINDER_AT, SEOUL) is ReminderDecision.SEND


def test_a_goal_without_a_due_date_is_never_reminded():
    assert reminder_decision(goal(due=None), REMINDER_AT, SEOUL) is ReminderDecision.NEVER


def test_a_due_date_is_reminded_once_but_a_new_due_date_is_reminded_again():
    reminded = goal(reminded_due=date(2026, 12, 31))
    assert reminder_decision(reminded, REMINDER_AT, SEOUL) is ReminderDecision.NEVER
    moved = replace(reminded, due=date(2027, 1, 31))
    assert reminder_decision(moved, REMINDER_AT, SEOUL) is ReminderDecision.WAIT
    assert reminder_decision(moved, datetime(2027, 1, 24, tzinfo=UTC), SEOUL) is (
        ReminderDecision.SEND
    )


# History


def test_an_unchanged_goal_has_no_history():
    assert diff_goal(GOAL, replace(GOAL, updated_at=datetime(2026, 12, 1, tzinfo=UTC))) == []


@pytest.mark.parametrize(
    ("changes", "old", "new", "name"),
    [
        ({"title": "Ship a RAG app"}, "Ship a RAG demo", "Ship a RAG app", "title"),
        ({"why": ""}, "To show what I can build", None, "why"),
        ({"due": date(2027, 1, 31)}, "2026-12-31", "2027-01-31", "due"),
        ({"due": None}, "2026-12-31", None, "due"),
        ({"visibility": Visibility.PRIVATE}, "mentor", "private", "visibility"),
    ],
)
def test_an_edited_field_is_recorded_with_its_name(changes, old, new, name):
    assert diff_goal(GOAL, replace(GOAL, **changes)) == [
        GoalChange(GoalEventKind.EDITED, old, new, name)
    ]


def test_a_status_change_is_recorded():
    assert diff_goal(GOAL, goal(status=GoalStatus.BLOCKED)) == [
        GoalChange(GoalEventKind.STATUS, "on-track", "blocked")
    ]


@pytest.mark.parametrize(
    ("before", "after", "old", "new"),
    [(None, 60, None, "60"), (60, 80, "60", "80"), (60, None, "60", None), (None, 0, None, "0")],
)
def test_a_hand_set_progress_change_is_recorded(before, after, old, new):
    assert diff_goal(goal(manual_progress=before), goal(manual_progress=after)) == [
        GoalChange(GoalEventKind.PROGRESS, old, new)
    ]


def test_milestone_changes_are_recorded_one_by_one():
    before = goal(
        milestones=(
            Milestone("Read", id=1),
            Milestone("Build", done=True, id=2),
            Milestone("Drop me", id=3),
            Milestone("Keep", id=4),
        )
    )
    after = goal(
        milestones=(
            Milestone("Read", done=True, id=1),
            Milestone("Build", id=2),
            Milestone("Keep", date(2027, 1, 1), id=4),
            Milestone("New"),
            Milestone("Already done", done=True),
        )
    )
    assert diff_goal(before, after) == [
        GoalChange(GoalEventKind.MILESTONE_DONE, new="Read"),
        GoalChange(GoalEventKind.MILESTONE_UNDONE, new="Build"),
        GoalChange(GoalEventKind.MILESTONE_REMOVED, old="Drop me"),
        GoalChange(GoalEventKind.MILESTONE_ADDED, new="New"),
        GoalChange(GoalEventKind.MILESTONE_ADDED, new="Already done"),
        GoalChange(GoalEventKind.MILESTONE_DONE, new="Already done"),
    ]


def test_several_changes_at_once_are_all_recorded_in_order():
    after = goal(
        title="Ship a RAG app",
        status=GoalStatus.AT_RISK,
        manual_progress=30,
        milestones=(Milestone("New"),),
    )
    assert [c.kind for c in diff_goal(GOAL, after)] == [
        GoalEventKind.EDITED,
        GoalEventKind.STATUS,
        GoalEventKind.PROGRESS,
        GoalEventKind.MILESTONE_ADDED,
    ]


def test_a_form_edit_diffs_into_the_expected_history():
    """End to end in the domain: the update form read against the stored goal."""
    draft = form(
        title="Ship a RAG app",
        due="2026-11-20",
        milestones="Read the paper due 2026-11-10\nBuild it due 2026-11-25\nShip it",
        current=EDITED,
    )
    after = replace(
        EDITED,
        title=draft.title,
        due=draft.due,
        milestones=draft.milestones,
        status=GoalStatus.AT_RISK,
    )
    assert diff_goal(EDITED, after) == [
        GoalChange(GoalEventKind.EDITED, "Ship a RAG demo", "Ship a RAG app", "title"),
        GoalChange(GoalEventKind.STATUS, "on-track", "at-risk"),
        GoalChange(GoalEventKind.MILESTONE_UNDONE, new="Read the paper"),
        GoalChange(GoalEventKind.MILESTONE_ADDED, new="Ship it"),
    ]


def test_the_limits_are_what_slack_allows():
    assert goals.MAX_MILESTONES == 10  # one checkboxes element holds 10 options
    assert goals.MAX_ACTIVE_GOALS == 10
