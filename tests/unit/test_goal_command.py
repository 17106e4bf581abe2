"""`/mentor goal ...` arguments: every verb, and a refusal that shows a command that works."""

from __future__ import annotations

import pytest

from bot.domain.errors import InvalidInput
from bot.domain.goal_command import GoalCommand, GoalVerb, parse_goal_command
from bot.domain.goals import GoalStatus


def english(error: InvalidInput) -> str:
    return error.message.format(**error.values)


def refusal(text: str) -> str:
    with pytest.raises(InvalidInput) as raised:
        parse_goal_command(text)
    return english(raised.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", GoalCommand(GoalVerb.LIST)),
        ("   ", GoalCommand(GoalVerb.LIST)),
        ("list", GoalCommand(GoalVerb.LIST)),
        ("LIST", GoalCommand(GoalVerb.LIST)),
        ("list all", GoalCommand(GoalVerb.LIST, include_archived=True)),
        ("list ALL", GoalCommand(GoalVerb.LIST, include_archived=True)),
        ("list <@U123|minji>", GoalCommand(GoalVerb.LIST, owner_id="U123")),
        ("list <@U123>", GoalCommand(GoalVerb.LIST, owner_id="U123")),
        (
            "list <@U123|minji> all",
            GoalCommand(GoalVerb.LIST, owner_id="U123", include_archived=True),
        ),
        (
            "list all <@W123>",
            GoalCommand(GoalVerb.LIST, owner_id="W123", include_archived=True),
        ),
    ],
)
def test_list_shows_ones_own_or_one_persons_goals(text, expected):
    assert parse_goal_command(text) == expected


def test_list_refuses_two_people_at_once():
    message = refusal("list <@U1|minji> <@U2|joon>")
    assert "one person's goals at a time" in message
    assert "`/mentor goal list @name`" in message


@pytest.mark.parametrize("text", ["list mine", "list all archived", "list @minji"])
def test_list_refuses_other_words_and_shows_the_forms_it_takes(text):
    message = refusal(text)
    for example in ("`/mentor goal list`", "`/mentor goal list all`", "`/mentor goal list @name`"):
        assert example in message


def test_add_without_a_title_opens_the_form():
    command = parse_goal_command("add")
    assert command == GoalCommand(GoalVerb.ADD)
    assert command.opens_form


@pytest.mark.parametrize(
    ("text", "title", "typed_due"),
    [
        ("add Ship a RAG demo", "Ship a RAG demo", None),
        ("ADD   Ship a RAG demo  ", "Ship a RAG demo", None),
        ("add Ship a RAG demo due 2026-12-31", "Ship a RAG demo", "2026-12-31"),
        ("add Ship a RAG demo due in 6 weeks", "Ship a RAG demo", "in 6 weeks"),
        ("add RAG 데모 만들기 마감 12/31", "RAG 데모 만들기", "12/31"),
        ('add "Read up on due diligence" due 12/31', "Read up on due diligence", "12/31"),
    ],
)
def test_add_with_a_title_adds_at_once_and_keeps_the_date_as_typed(text, title, typed_due):
    command = parse_goal_command(text)
    assert command == GoalCommand(GoalVerb.ADD, title=title, typed_due=typed_due)
    assert not command.opens_form


def test_add_with_only_a_date_asks_for_the_title_first():
    message = refusal("add due 12/31")
    assert "`/mentor goal add Ship a RAG demo due 2026-12-31`" in message


def test_add_with_words_after_a_quoted_title_shows_how_to_quote():
    assert '`/mentor goal add "Read up on due diligence" due 12/31`' in refusal(
        'add "Due diligence" by Friday'
    )


@pytest.mark.parametrize(
    ("text", "verb", "number"),
    [
        ("done 2", GoalVerb.DONE, 2),
        ("Done #2", GoalVerb.DONE, 2),
        ("archive 3", GoalVerb.ARCHIVE, 3),
        ("history 1", GoalVerb.HISTORY, 1),
        ("edit 1", GoalVerb.EDIT, 1),
    ],
)
def test_verbs_that_take_one_goal_number(text, verb, number):
    assert parse_goal_command(text) == GoalCommand(verb, number=number)


def test_edit_opens_the_form_and_done_does_not():
    assert parse_goal_command("edit 1").opens_form
    assert not parse_goal_command("done 1").opens_form


@pytest.mark.parametrize("verb", ["done", "archive", "history", "edit"])
@pytest.mark.parametrize("tail", ["", " 1 2"])
def test_a_verb_without_exactly_one_number_shows_an_example(verb, tail):
    assert f"`/mentor goal {verb} 1`" in refusal(verb + tail)


def test_a_goal_number_that_is_not_a_number_points_at_the_list():
    message = refusal("done two")
    assert "“two” is not a goal number" in message
    assert "`/mentor goal list`" in message


@pytest.mark.parametrize(
    ("text", "progress"),
    [("progress 1 60", 60), ("progress 1 60%", 60), ("progress 1 0", 0), ("progress 1 auto", None)],
)
def test_progress_sets_a_percentage_or_auto(text, progress):
    assert parse_goal_command(text) == GoalCommand(GoalVerb.PROGRESS, number=1, progress=progress)


@pytest.mark.parametrize("text", ["progress", "progress 1", "progress 1 60 70"])
def test_progress_without_a_number_and_a_percentage_shows_an_example(text):
    assert "`/mentor goal progress 1 60`" in refusal(text)


def test_a_progress_out_of_range_says_what_is_accepted():
    message = refusal("progress 1 150")
    assert "whole number from 0 to 100" in message and "`auto`" in message


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("status 1 at-risk", GoalStatus.AT_RISK),
        ("status 1 at risk", GoalStatus.AT_RISK),
        ("status 1 on-track", GoalStatus.ON_TRACK),
        ("status 1 BLOCKED", GoalStatus.BLOCKED),
        ("status 1 막힘", GoalStatus.BLOCKED),
    ],
)
def test_status_sets_one_of_the_active_statuses(text, status):
    assert parse_goal_command(text) == GoalCommand(GoalVerb.STATUS, number=1, status=status)


@pytest.mark.parametrize("text", ["status 1 sideways", "status 1 done"])
def test_a_status_that_does_not_exist_is_refused_with_the_choices(text):
    message = refusal(text)
    assert "is not a status" in message
    assert "on-track, at-risk or blocked" in message


@pytest.mark.parametrize("text", ["status", "status 1", "status 1   "])
def test_status_without_a_status_shows_an_example(text):
    assert "`/mentor goal status 1 at-risk`" in refusal(text)


@pytest.mark.parametrize(
    ("text", "title", "typed_due"),
    [
        ("milestone 1 Read the paper due 12/31", "Read the paper", "12/31"),
        ("milestone 1 Read the paper", "Read the paper", None),
        ("milestone 2 논문 읽기 마감 12월 31일", "논문 읽기", "12월 31일"),
    ],
)
def test_milestone_adds_a_step_to_a_goal(text, title, typed_due):
    number = int(text.split()[1])
    assert parse_goal_command(text) == GoalCommand(
        GoalVerb.MILESTONE, number=number, title=title, typed_due=typed_due
    )


@pytest.mark.parametrize("text", ["milestone", "milestone 1", "milestone 1 due 12/31"])
def test_milestone_without_a_step_shows_an_example(text):
    assert "`/mentor goal milestone 1 Finish the course due 12/31`" in refusal(text)


def test_comment_names_the_person_the_goal_and_the_words():
    assert parse_goal_command("comment <@U2> 1 Nice work") == GoalCommand(
        GoalVerb.COMMENT, number=1, owner_id="U2", text="Nice work"
    )


def test_comment_keeps_the_words_after_the_number_whatever_the_order():
    assert parse_goal_command("comment 3 <@U2|minji>  Keep going!  ") == GoalCommand(
        GoalVerb.COMMENT, number=3, owner_id="U2", text="Keep going!"
    )


@pytest.mark.parametrize(
    "text",
    [
        "comment",
        "comment 1 Nice work",
        "comment <@U2>",
        "comment <@U2> 1",
    ],
)
def test_comment_without_a_person_a_number_and_words_shows_an_example(text):
    assert "`/mentor goal comment @minji 1 Nice progress!`" in refusal(text)


def test_an_unknown_verb_is_refused_with_the_verbs_that_exist():
    message = refusal("frobnicate 1")
    assert message.startswith("`/mentor goal frobnicate` is not something I know.")
    for example in ("`/mentor goal list`", "`/mentor goal done <n>`", "`/mentor goal add <title>"):
        assert example in message


def test_every_verb_is_understood():
    examples = {
        GoalVerb.LIST: "list",
        GoalVerb.ADD: "add",
        GoalVerb.EDIT: "edit 1",
        GoalVerb.DONE: "done 1",
        GoalVerb.PROGRESS: "progress 1 10",
        GoalVerb.STATUS: "status 1 blocked",
        GoalVerb.ARCHIVE: "archive 1",
        GoalVerb.MILESTONE: "milestone 1 Read",
        GoalVerb.HISTORY: "history 1",
        GoalVerb.COMMENT: "comment <@U2> 1 Hi",
    }
    assert set(examples) == set(GoalVerb)
    for verb, text in examples.items():
        assert parse_goal_command(text).verb is verb


def test_a_comment_may_mention_someone_else_after_the_goal_number():
    parsed = parse_goal_command("comment <@U2> 1 ask <@U3|jun> about evals")

    assert (parsed.owner_id, parsed.number) == ("U2", 1)
    assert parsed.text == "ask <@U3|jun> about evals"
