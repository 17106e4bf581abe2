"""Goals as people meet them in Slack: every `/mentor goal` command, the form with its
templates and a validation error on the field, the list's buttons and checklist, a mentor
reading and commenting, a stranger and a lead kept to what they may see, the one-tap status in
the weekly check-in, and the week-ahead reminder sent once by `mentor-bot tick --at`.

Everything goes over signed HTTP into the running bot; assertions are on what the fake Slack
received and on the rows stored.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.domain.goals import GoalStatus
from bot.domain.members import Member
from handlers.ids import GoalAction, GoalBlock, GoalModal
from tests.e2e.test_checkins import (
    SEOUL_FRIDAY,
    open_form,
    poll,
    prompts_to,
    submit_form,
    tick,
)
from tests.e2e.test_checkins import bot as checkin_bot  # noqa: F401 - the cohort fixture
from tests.e2e.test_matching import buttons, click, dms_to, shown
from tests.support.running_bot import HttpAnswer, RunningBot
from tests.support.slack_requests import block_actions_body, view_submission_body

TEAM = "T111"
MENTEE = "USEOUL"
MENTOR = "UM1"


@pytest.fixture
def bot(checkin_bot: RunningBot) -> RunningBot:  # noqa: F811
    """The check-in cohort (Seoul, Berlin, Los Angeles) with UM1 mentoring USEOUL, and
    USEOUL's manager UBOSS; the clock is Friday 27 November 16:00 in Seoul."""
    matching = checkin_bot.container.services.matching
    match = matching.request(person(MENTEE), MENTOR)
    matching.accept(person(MENTOR), match.id)
    checkin_bot.fake_slack.add_user("UBOSS", tz="Asia/Seoul", tz_offset=32400, locale="en-US")
    with checkin_bot.container.services.deliveries._uow() as uow:
        profile = uow.profiles.get(TEAM, MENTEE)
        uow.profiles.upsert(replace(profile, manager_id="UBOSS"), checkin_bot.clock.now())
        uow.commit()
    return checkin_bot


def person(user_id: str) -> Member:
    return Member(team_id=TEAM, user_id=user_id)


def goals_of(bot: RunningBot, user_id: str):
    with bot.container.services.deliveries._uow() as uow:
        return uow.goals.list_for(TEAM, user_id, include_archived=True)


def goal_command(bot: RunningBot, text: str, user_id: str = MENTEE) -> HttpAnswer:
    answer = bot.command(f"goal {text}", user_id=user_id)
    assert answer.status == 200
    if answer.body:  # empty: a silent ack before a form opens
        assert answer.json.get("response_type", "ephemeral") == "ephemeral"
    bot.wait_for_follow_ups()
    return answer


def as_message(answer: HttpAnswer, ts: str = "1700000000.000100") -> dict[str, Any]:
    """An ephemeral answer as the message a button press would come from."""
    return {
        "type": "message",
        "ts": ts,
        "text": answer.json["text"],
        "blocks": answer.json["blocks"],
    }


def press(
    bot: RunningBot,
    user_id: str,
    message: dict[str, Any],
    action: str,
    *,
    value: str | None = None,
    block_id: str = "b",
    state: dict[str, Any] | None = None,
    response_url: str | None = None,
) -> str:
    """A click on an ephemeral list (its response_url is returned, to read what replaced it)."""
    url = response_url or bot.fake_slack.response_url_for(user=user_id, channel=user_id)
    body = block_actions_body(
        action_id=action,
        value=value,
        user_id=user_id,
        channel_id=user_id,
        block_id=block_id,
        message={k: message[k] for k in ("ts", "text", "blocks", "type")},
        response_url=url,
        action_type="checkboxes" if state and "selected_options" in state else "button",
        action_state=state,
    )
    assert bot.post(body).status == 200
    bot.wait_for_follow_ups()
    return url


def responses_to(bot: RunningBot, url: str) -> list[dict[str, Any]]:
    return [r["payload"] for r in bot.fake_slack.responses if r["url"] == url and not r["error"]]


def new_view(bot: RunningBot, before: set[str]) -> dict[str, Any]:
    poll(lambda: set(bot.fake_slack.views) - before)
    [view_id] = set(bot.fake_slack.views) - before
    return bot.fake_slack.views[view_id]


def submit(
    bot: RunningBot, user_id: str, view: dict[str, Any], values: dict[str, dict[str, Any]]
) -> HttpAnswer:
    answer = bot.post(
        view_submission_body(
            callback_id=view["callback_id"],
            values=values,
            user_id=user_id,
            private_metadata=view.get("private_metadata", ""),
            view_id=view["id"],
        )
    )
    assert answer.status == 200
    bot.wait_for_follow_ups()
    return answer


def form_values(
    *,
    title: str = "",
    why: str = "",
    due: str = "",
    milestones: str = "",
    visibility: str = "mentor",
    variant: str = "",
    status: str | None = None,
    progress: str | None = None,
) -> dict[str, dict[str, Any]]:
    values: dict[str, dict[str, Any]] = {
        f"{GoalBlock.TITLE}{variant}": {GoalAction.TITLE: title},
        f"{GoalBlock.WHY}{variant}": {GoalAction.WHY: why},
        f"{GoalBlock.DUE}{variant}": {GoalAction.DUE: due},
        f"{GoalBlock.MILESTONES}{variant}": {GoalAction.MILESTONE_LINES: milestones},
        f"{GoalBlock.VISIBILITY}{variant}": {
            GoalAction.VISIBILITY: {
                "type": "radio_buttons",
                "selected_option": {"value": visibility},
            }
        },
    }
    if status is not None:
        values[GoalBlock.STATUS] = {
            GoalAction.STATUS: {"type": "static_select", "selected_option": {"value": status}}
        }
    if progress is not None:
        values[GoalBlock.PROGRESS] = {GoalAction.PROGRESS: progress}
    return values


def block(view_or_message: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view_or_message["blocks"] if b.get("block_id") == block_id)


def initial(view: dict[str, Any], block_id: str) -> str | None:
    return block(view, block_id)["element"].get("initial_value")


# Every command


def test_every_goal_command_from_the_command_line(bot):
    added = goal_command(bot, "add Ship a RAG demo due 2026-12-31")
    assert added.json["text"] == (
        "Added goal 1: Ship a RAG demo. Due 2026-12-31; I will remind you a week before. Add "
        "steps with `/mentor goal milestone 1 <step>`, or see it in `/mentor goal list`."
    )
    goal_command(bot, "add Choose my target AI domain due in 6 weeks")
    goal_command(bot, "milestone 1 Build the retriever due 12/10")
    goal_command(bot, "milestone 1 Write evals")

    progress = goal_command(bot, "progress 1 40")
    assert "▰▰▰▰▱▱▱▱▱▱ 40% (set by hand)" in progress.shown_text
    status = goal_command(bot, "status 2 at-risk")
    assert "*2. Choose my target AI domain*\n🟡 At risk" in status.shown_text
    done = goal_command(bot, "done 2")
    assert "✅ Done · ▰▰▰▰▰▰▰▰▰▰ 100%" in done.shown_text
    goal_command(bot, "add Old plan")
    goal_command(bot, "archive 3")

    listed = goal_command(bot, "list")
    assert listed.json["text"] == "Your goals: 1 in progress, 1 done."
    assert "*1. Ship a RAG demo*\n🟢 On track · ▰▰▰▰▱▱▱▱▱▱ 40% (set by hand) · due 2026-12-31" in (
        listed.shown_text
    )
    assert "*Done:* ✅ 2. Choose my target AI domain" in listed.shown_text
    assert "Old plan" not in listed.shown_text
    assert "🗄️ 3. Old plan" in goal_command(bot, "list all").shown_text

    history = goal_command(bot, "history 1")
    assert "History of goal 1: Ship a RAG demo" in history.shown_text
    assert "<@USEOUL> added a milestone: Build the retriever" in history.shown_text
    assert "<@USEOUL> set the progress: auto → 40%" in history.shown_text

    [first, second, third] = goals_of(bot, MENTEE)
    assert (first.due, first.manual_progress, [m.title for m in first.milestones]) == (
        date(2026, 12, 31),
        40,
        ["Build the retriever", "Write evals"],
    )
    assert first.milestones[0].due == date(2026, 12, 10)
    assert second.due == date(2027, 1, 8) and second.status is GoalStatus.DONE
    assert third.status is GoalStatus.ARCHIVED


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (
            "add Ship a RAG demo due 2026-02-30",
            "2026-02-30: February 2026 has 28 days. Try 2026-12-31.",
        ),
        (
            "add Ship a RAG demo due 2026-11-01",
            "2026-11-01 is in the past; pick today (2026-11-27) or later.",
        ),
        (
            "add Ship a RAG demo due whenever",
            "I can't read “whenever” as a date. Try 2026-12-31, 12/31 or “in 6 weeks”.",
        ),
        ("add due 12/31", "Say what the goal is before the date"),
        ("progress 1 150", "Progress is a whole number from 0 to 100"),
        ("status 1 sideways", "“sideways” is not a status: use on-track, at-risk or blocked."),
        ("done two", "“two” is not a goal number"),
        ("done 9", "You have no goal 9. `/mentor goal list` shows your goals and numbers."),
        ("fly", "`/mentor goal fly` is not something I know."),
    ],
)
def test_bad_input_is_told_what_is_wrong_and_nothing_changes(bot, typed, said):
    answer = goal_command(bot, typed)

    assert said in answer.json["text"]
    assert "Traceback" not in answer.body.decode()
    assert goals_of(bot, MENTEE) == []


def test_typed_text_is_escaped_so_it_cannot_ping_the_channel(bot):
    goal_command(bot, "add Tell <!channel> about <@UM1> due 12/31")

    listed = goal_command(bot, "list")

    assert "<!channel>" not in json.dumps(listed.json)
    assert "&lt;!channel&gt;" in listed.shown_text
    assert goals_of(bot, MENTEE)[0].title == "Tell <!channel> about <@UM1>"


# The form


def test_the_form_offers_templates_keeps_what_was_typed_and_shows_errors_on_the_field(bot):
    before = set(bot.fake_slack.views)
    answer = goal_command(bot, "add")
    assert answer.body == b""  # a silent ack; the form opens right after it
    form = new_view(bot, before)
    assert form["callback_id"] == GoalModal.FORM
    options = block(form, GoalBlock.TEMPLATE)["elements"][0]["options"]
    assert [o["text"]["text"] for o in options] == [
        "Choose my target AI domain",
        "Build one sharp strength",
        "Ship a portfolio project",
        "Prepare for an AI engineer interview",
    ]

    # She typed a first milestone, then picks "Build one sharp strength".
    typed = form_values(milestones="Read the RAGAS paper")
    state = {
        block_id: {
            action: {"type": "plain_text_input", "value": v} if isinstance(v, str) else v
            for action, v in actions.items()
        }
        for block_id, actions in typed.items()
    }
    view = {**form, "state": {"values": state}}
    pick = block_actions_body(
        action_id=GoalAction.TEMPLATE,
        user_id=MENTEE,
        block_id=GoalBlock.TEMPLATE,
        view=view,
        action_type="static_select",
        action_state={"selected_option": {"value": "sharp-strength"}},
    )
    assert bot.post(pick).status == 200
    bot.wait_for_follow_ups()
    [update] = bot.fake_slack.calls_to("views.update")
    redrawn = bot.fake_slack.views[form["id"]]
    assert update.args["view_id"] == form["id"]
    assert initial(redrawn, "title~1") == "Build one sharp strength"
    assert initial(redrawn, "milestones~1").splitlines() == [
        "Read the RAGAS paper",
        "Pick the strength and how I will show it",
        "Study the fundamentals (course, book or papers)",
        "Apply it at work or in a side project",
        "Share what I learned (a write-up or a talk)",
    ]

    milestones = "Read the RAGAS paper\nBuild an eval harness due 12/20"
    wrong = submit(
        bot,
        MENTEE,
        redrawn,
        form_values(
            title="Be the evals person",
            due="the day after forever",
            milestones=milestones,
            variant="~1",
        ),
    )
    assert wrong.json["response_action"] == "errors"
    assert list(wrong.json["errors"]) == ["due~1"]
    assert "can't read “the day after forever” as a date" in wrong.json["errors"]["due~1"]
    assert goals_of(bot, MENTEE) == []

    saved = submit(
        bot,
        MENTEE,
        redrawn,
        form_values(
            title="Be the evals person",
            why="Teams need someone who measures",
            due="in 6 weeks",
            milestones=milestones,
            visibility="private",
            variant="~1",
        ),
    )
    assert saved.body == b""
    [goal] = goals_of(bot, MENTEE)
    assert (goal.title, goal.due, goal.visibility.value, goal.template) == (
        "Be the evals person",
        date(2027, 1, 8),
        "private",
        "sharp-strength",
    )
    assert [(m.title, m.due) for m in goal.milestones] == [
        ("Read the RAGAS paper", None),
        ("Build an eval harness", date(2026, 12, 20)),
    ]
    [receipt] = dms_to(bot, MENTEE)
    assert receipt["text"].startswith("Added goal 1: Be the evals person.")


# The list's buttons


def test_the_lists_buttons_tick_milestones_update_add_finish_and_archive(bot):
    goal_command(bot, "add Ship a RAG demo due 2026-12-31")
    for step in ("Build the retriever", "Write evals", "Demo to the team"):
        goal_command(bot, f"milestone 1 {step}")
    goal_command(bot, "add Old plan")
    [goal, old] = goals_of(bot, MENTEE)
    listed = as_message(goal_command(bot, "list"))
    actions = block(listed, f"{GoalBlock.ACTIONS_PREFIX}{goal.id}")
    assert [e.get("action_id") for e in actions["elements"]] == [
        GoalAction.MILESTONES,
        GoalAction.UPDATE,
        GoalAction.ADD_MILESTONE,
        GoalAction.DONE,
        GoalAction.ARCHIVE,
    ]

    # Tick two of the three milestones: progress follows.
    first, second, _third = goal.milestones
    ticked = {"selected_options": [{"value": str(first.id)}, {"value": str(second.id)}]}
    url = press(
        bot,
        MENTEE,
        listed,
        GoalAction.MILESTONES,
        block_id=f"{GoalBlock.ACTIONS_PREFIX}{goal.id}",
        state=ticked,
    )
    [refreshed] = responses_to(bot, url)
    assert refreshed["replace_original"] is True
    assert "▰▰▰▰▰▰▱▱▱▱ 67%" in shown(refreshed)
    assert goals_of(bot, MENTEE)[0].progress == 67

    # "Add milestone" opens a small form; saving it refreshes the list it came from.
    before = set(bot.fake_slack.views)
    url = press(bot, MENTEE, listed, GoalAction.ADD_MILESTONE, value=str(goal.id))
    milestone_form = new_view(bot, before)
    bad = submit(
        bot,
        MENTEE,
        milestone_form,
        {
            GoalBlock.MILESTONE: {GoalAction.MILESTONE: "Write a blog post"},
            GoalBlock.MILESTONE_DUE: {GoalAction.MILESTONE_DUE: "yesterday"},
        },
    )
    assert list(bad.json["errors"]) == [GoalBlock.MILESTONE_DUE]
    submit(
        bot,
        MENTEE,
        milestone_form,
        {
            GoalBlock.MILESTONE: {GoalAction.MILESTONE: "Write a blog post"},
            GoalBlock.MILESTONE_DUE: {GoalAction.MILESTONE_DUE: "12/24"},
        },
    )
    assert "☐" not in shown(responses_to(bot, url)[-1])  # the owner ticks in checkboxes
    assert goals_of(bot, MENTEE)[0].milestones[-1].due == date(2026, 12, 24)

    # "Update" opens the whole goal with its status and progress.
    before = set(bot.fake_slack.views)
    url = press(bot, MENTEE, listed, GoalAction.UPDATE, value=str(goal.id))
    update_form = new_view(bot, before)
    assert initial(update_form, GoalBlock.MILESTONES).splitlines() == [
        "✓ Build the retriever",
        "✓ Write evals",
        "Demo to the team",
        "Write a blog post due 2026-12-24",
    ]
    assert block(update_form, GoalBlock.STATUS)["element"]["initial_option"]["value"] == (
        "on-track"
    )
    bad = submit(
        bot,
        MENTEE,
        update_form,
        form_values(title="Ship a RAG demo", status="blocked", progress="lots"),
    )
    assert list(bad.json["errors"]) == [GoalBlock.PROGRESS]
    submit(
        bot,
        MENTEE,
        update_form,
        form_values(
            title="Ship a RAG demo",
            due="2026-12-31",
            milestones=initial(update_form, GoalBlock.MILESTONES),
            status="blocked",
            progress="",
        ),
    )
    assert "🔴 Blocked" in shown(responses_to(bot, url)[-1])

    # Done and Archive.
    url = press(bot, MENTEE, listed, GoalAction.DONE, value=str(goal.id))
    assert "*Done:* ✅ 1. Ship a RAG demo" in shown(responses_to(bot, url)[-1])
    url = press(bot, MENTEE, listed, GoalAction.ARCHIVE, value=str(old.id))
    last = shown(responses_to(bot, url)[-1])
    assert "Old plan" not in last
    assert [g.status for g in goals_of(bot, MENTEE)] == [GoalStatus.DONE, GoalStatus.ARCHIVED]

    # A second press on the same Done button says so, and changes nothing.
    url = press(bot, MENTEE, listed, GoalAction.DONE, value=str(goal.id))
    [note] = responses_to(bot, url)
    assert note["text"] == "Goal 1 is already done."


def test_nobody_presses_someone_elses_goal_buttons(bot):
    goal_command(bot, "add Ship a RAG demo")
    [goal] = goals_of(bot, MENTEE)
    listed = as_message(goal_command(bot, "list"))

    url = press(bot, "UE2", listed, GoalAction.DONE, value=str(goal.id))

    [note] = responses_to(bot, url)
    assert note["text"] == "That goal is not yours, so you cannot change it."
    assert goals_of(bot, MENTEE)[0].status is GoalStatus.ON_TRACK


# Who sees what


def test_the_mentor_reads_shared_goals_and_comments_and_the_mentee_hears_of_it(bot):
    goal_command(bot, "add Ship a RAG demo due 2026-12-31")
    goal_command(bot, "milestone 1 Build the retriever")
    before = set(bot.fake_slack.views)
    goal_command(bot, "add")
    private_form = new_view(bot, before)
    submit(bot, MENTEE, private_form, form_values(title="Doubts about AI", visibility="private"))
    shared, _private = goals_of(bot, MENTEE)

    seen = goal_command(bot, "list <@USEOUL|minji>", user_id=MENTOR)
    assert "*Goals <@USEOUL> shares with you*" in seen.shown_text
    assert "Ship a RAG demo" in seen.shown_text and "☐ Build the retriever" in seen.shown_text
    assert "Doubts" not in seen.shown_text
    assert buttons(seen.json) == {GoalAction.COMMENT: str(shared.id)}

    before = set(bot.fake_slack.views)
    press(bot, MENTOR, as_message(seen), GoalAction.COMMENT, value=str(shared.id))
    comment_form = new_view(bot, before)
    submit(
        bot,
        MENTOR,
        comment_form,
        {GoalBlock.COMMENT: {GoalAction.COMMENT_TEXT: "Try RAGAS for the evals!"}},
    )
    bot.container.services.dispatcher.dispatch_due()

    [notice] = dms_to(bot, MENTEE)[-1:]
    assert notice["text"] == "<@UM1> commented on goal 1, “Ship a RAG demo”."
    assert "> Try RAGAS for the evals!" in shown(notice)
    assert "💬 <@UM1>: Try RAGAS for the evals!" in goal_command(bot, "list").shown_text

    by_command = goal_command(bot, "comment <@USEOUL> 1 Demo on Friday?", user_id=MENTOR)
    assert by_command.json["text"] == "Comment sent to <@USEOUL> on goal 1."


def test_a_stranger_is_refused_and_a_lead_sees_status_and_progress_only(bot):
    goal_command(bot, "add Ship a RAG demo due 2026-12-31")
    goal_command(bot, "progress 1 30")

    for owner in ("<@USEOUL>", "<@UNOBODY>"):
        refused = goal_command(bot, f"list {owner}", user_id="UE2")
        assert refused.json["text"] == "You can see only your own goals and those of your mentees."
    refused = goal_command(bot, "comment <@USEOUL> 1 hi", user_id="UE2")
    assert refused.json["text"] == "You can see only your own goals and those of your mentees."

    lead = goal_command(bot, "list <@USEOUL>", user_id="UBOSS")
    assert "Ship a RAG demo" not in json.dumps(lead.json)
    assert "• Goal 1 · 🟢 On track · ▰▰▰▱▱▱▱▱▱▱ 30% · due 2026-12-31" in lead.shown_text
    assert buttons(lead.json) == {}

    admin = goal_command(bot, "list <@USEOUL>", user_id="UADMIN")
    assert "Ship a RAG demo" not in json.dumps(admin.json)
    assert "Goal 1" in admin.shown_text


# The weekly check-in


def test_the_checkin_offers_one_tap_status_per_goal_and_records_the_tap(
    bot, database_url, tmp_path
):
    goal_command(bot, "add Ship a RAG demo")
    goal_command(bot, "add Choose my target AI domain")
    [rag, domain] = goals_of(bot, MENTEE)
    tick(bot, database_url, tmp_path, SEOUL_FRIDAY)
    [prompt] = prompts_to(bot, MENTEE)
    assert "*Your goals*: one tap tells me where each stands." in shown(prompt)
    row = block(prompt, f"{GoalBlock.ACTIONS_PREFIX}{rag.id}")
    assert [(e["action_id"], e.get("style")) for e in row["elements"]] == [
        ("goal-tap-on-track", "primary"),
        ("goal-tap-at-risk", None),
        ("goal-tap-blocked", None),
        ("goal-tap-done", None),
    ]

    click(bot, MENTEE, prompt, "goal-tap-blocked", row["elements"][2]["value"])

    [updated] = prompts_to(bot, MENTEE)
    assert updated["ts"] == prompt["ts"]
    assert "*1. Ship a RAG demo*\n🔴 Blocked · ▱▱▱▱▱▱▱▱▱▱ 0% · saved" in shown(updated)
    row = block(updated, f"{GoalBlock.ACTIONS_PREFIX}{rag.id}")
    assert row["elements"][2]["style"] == "primary"
    assert "*2. Choose my target AI domain*\n🟢 On track" in shown(updated)  # untouched
    assert "How did this week go?" in shown(updated)  # the questions stay
    assert goals_of(bot, MENTEE)[0].status is GoalStatus.BLOCKED
    [checkin] = bot.container.services.checkins.history(person(MENTEE))
    [record] = bot.container.services.goals.checkin_updates(person(MENTEE), checkin.id)
    assert (record.goal_id, record.status) == (rag.id, GoalStatus.BLOCKED)
    assert domain.status is GoalStatus.ON_TRACK


def test_the_answered_checkin_keeps_the_goal_buttons_for_the_rest_of_the_week(
    bot, database_url, tmp_path
):
    goal_command(bot, "add Ship a RAG demo")
    [rag] = goals_of(bot, MENTEE)
    tick(bot, database_url, tmp_path, SEOUL_FRIDAY)
    [prompt] = prompts_to(bot, MENTEE)

    submit_form(bot, MENTEE, open_form(bot, MENTEE, prompt), progress="Built the retriever")
    [answered] = prompts_to(bot, MENTEE)
    assert "Thank you! Your check-in for 2026-W48 is saved." in shown(answered)
    assert "checkin-open-form" not in buttons(answered)
    row = block(answered, f"{GoalBlock.ACTIONS_PREFIX}{rag.id}")

    click(bot, MENTEE, answered, "goal-tap-done", row["elements"][3]["value"])

    [updated] = prompts_to(bot, MENTEE)
    assert "Built the retriever" in shown(updated)
    assert "*1. Ship a RAG demo*\n✅ Done · ▰▰▰▰▰▰▰▰▰▰ 100% · saved" in shown(updated)
    assert goals_of(bot, MENTEE)[0].status is GoalStatus.DONE


# The due-date reminder


def test_the_due_date_reminder_is_sent_once_a_week_before(bot, database_url, tmp_path):
    goal_command(bot, "add Ship a RAG demo due 2026-12-31")
    goal_command(bot, "milestone 1 Write evals")
    week_before = datetime(2026, 12, 24, 0, 0, tzinfo=UTC)  # 09:00 on the 24th in Seoul

    tick(bot, database_url, tmp_path, datetime(2026, 12, 23, 23, 59, tzinfo=UTC))
    tick(bot, database_url, tmp_path, week_before)
    tick(bot, database_url, tmp_path, week_before)
    tick(bot, database_url, tmp_path, datetime(2026, 12, 25, 0, 0, tzinfo=UTC))

    reminders = [m for m in dms_to(bot, MENTEE) if "is due in a week" in m["text"]]
    assert len(reminders) == 1
    [reminder] = reminders
    assert reminder["text"] == "Goal 1, “Ship a RAG demo”, is due in a week (2026-12-31)."
    assert "☐ Write evals" in shown(reminder)
