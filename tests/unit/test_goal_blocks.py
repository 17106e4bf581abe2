"""How goals look in Slack: the owner's, the mentor's and the lead's lists, the goal form and
its templates, the check-in's one-tap rows and the goal DMs. Every block is rendered with
`to_dict()` (slack_sdk validates it) and checked for what a person would read."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.domain import goal_messages as kinds
from bot.domain.goal_templates import TEMPLATES_BY_KEY
from bot.domain.goals import (
    MAX_ACTIVE_GOALS,
    MAX_MILESTONES,
    MAX_TITLE,
    Goal,
    GoalEvent,
    GoalEventKind,
    GoalListing,
    GoalStatus,
    GoalStatusLine,
    GoalView,
    Milestone,
    ViewerRole,
    Visibility,
    status_line,
)
from bot.i18n import translator
from handlers.blocks import goals as blocks
from handlers.blocks.deliveries import RENDERERS
from handlers.blocks.goals import GoalForm
from handlers.ids import GoalAction, GoalBlock, GoalModal

EN, KO = translator("en"), translator("ko")
TODAY = date(2026, 11, 28)
AT = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)
SLACK_MAX_BLOCKS = 50

GOAL = Goal(
    id=7,
    team_id="T1",
    user_id="UE1",
    number=1,
    title="Ship a RAG demo",
    why="To show what I can build",
    due=date(2026, 12, 31),
    status=GoalStatus.ON_TRACK,
    visibility=Visibility.MENTOR,
    manual_progress=None,
    milestones=(
        Milestone("Read the paper", date(2026, 11, 20), done=True, id=21),
        Milestone("Build a prototype", date(2026, 12, 15), id=22),
        Milestone("Write it up", id=23),
    ),
    created_at=AT,
    updated_at=AT,
)
COMMENT = GoalEvent(
    goal_id=7,
    kind=GoalEventKind.COMMENT,
    actor="UM1",
    at=datetime(2026, 11, 27, 9, tzinfo=UTC),
    note="Nice work <!here>",
    id=99,
)


def goal(**changes: Any) -> Goal:
    return replace(GOAL, **changes)


def listing(viewer: ViewerRole, *views: GoalView, **more: Any) -> GoalListing:
    return GoalListing("UE1", viewer, TODAY, goals=views, **more)


def rendered(items) -> list[dict[str, Any]]:
    """Every block as Slack gets it (slack_sdk validates each one on the way)."""
    return [item.to_dict() for item in items]


def shown(message) -> str:
    return (
        message.text
        + "\n"
        + "\n".join(json.dumps(b, ensure_ascii=False) for b in rendered(message.blocks))
    )


def block(message_or_blocks, block_id: str) -> dict[str, Any]:
    items = getattr(message_or_blocks, "blocks", message_or_blocks)
    found = [b for b in rendered(items) if b.get("block_id") == block_id]
    assert len(found) == 1, f"{block_id}: {len(found)} blocks"
    return found[0]


def buttons(actions: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in actions["elements"] if e["type"] == "button"]


def as_stored(payload: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(payload))


# The progress bar


@pytest.mark.parametrize(
    ("percent", "bar"),
    [
        (0, "▱▱▱▱▱▱▱▱▱▱ 0%"),
        (33, "▰▰▰▱▱▱▱▱▱▱ 33%"),
        (60, "▰▰▰▰▰▰▱▱▱▱ 60%"),
        (67, "▰▰▰▰▰▰▱▱▱▱ 67%"),
        (100, "▰▰▰▰▰▰▰▰▰▰ 100%"),
    ],
)
def test_the_progress_bar_has_ten_cells_and_the_figure(percent, bar):
    assert blocks.progress_bar(percent) == bar


def test_every_ten_points_fill_exactly_one_more_cell():
    # round() rounds halves to even: 5% → 0 cells, 15% and 25% → 2, 95% → a full bar.
    def filled(percent: int) -> int:
        return blocks.progress_bar(percent).count("▰")

    jumps = {p: filled(p + 10) - filled(p) for p in range(0, 91)}
    assert {p: jump for p, jump in jumps.items() if jump != 1} == {}


# The owner's list


def test_the_owners_list_shows_each_goal_with_its_status_progress_and_due_date():
    message = blocks.build_goal_list(listing(ViewerRole.OWNER, GoalView(GOAL)), EN)
    assert message.text == "Your goals: 1 in progress, 0 done."
    assert block(message, GoalBlock.LIST_HEADER)["text"]["text"] == "*Your goals*"
    assert block(message, "goal-7")["text"]["text"] == (
        "*1. Ship a RAG demo*\n"
        "🟢 On track · ▰▰▰▱▱▱▱▱▱▱ 33% · due 2026-12-31\n"
        "_To show what I can build_"
    )
    assert "/mentor goal progress <n> <0-100>" in shown(message)


def test_the_owner_ticks_milestones_off_in_a_checklist_with_done_ones_ticked():
    actions = block(
        blocks.build_goal_list(listing(ViewerRole.OWNER, GoalView(GOAL)), EN), "goal-actions-7"
    )
    [checklist] = [e for e in actions["elements"] if e["type"] == "checkboxes"]
    assert checklist["action_id"] == GoalAction.MILESTONES
    assert [(o["value"], o["text"]["text"]) for o in checklist["options"]] == [
        ("21", "Read the paper"),
        ("22", "Build a prototype"),
        ("23", "Write it up"),
    ]
    assert checklist["options"][1]["description"]["text"] == "due 2026-12-15"
    assert "description" not in checklist["options"][2]
    assert [o["value"] for o in checklist["initial_options"]] == ["21"]


def test_a_checklist_with_nothing_done_has_no_initial_options():
    milestones = tuple(replace(m, done=False) for m in GOAL.milestones)
    actions = block(
        blocks.build_goal_list(
            listing(ViewerRole.OWNER, GoalView(goal(milestones=milestones))), EN
        ),
        "goal-actions-7",
    )
    [checklist] = [e for e in actions["elements"] if e["type"] == "checkboxes"]
    assert "initial_options" not in checklist


def test_the_owners_buttons_carry_the_goal_id():
    actions = block(
        blocks.build_goal_list(listing(ViewerRole.OWNER, GoalView(GOAL)), EN), "goal-actions-7"
    )
    assert [(b["text"]["text"], b["action_id"], b["value"]) for b in buttons(actions)] == [
        ("Update", GoalAction.UPDATE, "7"),
        ("Add milestone", GoalAction.ADD_MILESTONE, "7"),
        ("Done", GoalAction.DONE, "7"),
        ("Archive", GoalAction.ARCHIVE, "7"),
    ]
    assert [b.get("style") for b in buttons(actions)] == [None, None, "primary", None]


def test_a_goal_without_milestones_has_buttons_but_no_checklist():
    actions = block(
        blocks.build_goal_list(listing(ViewerRole.OWNER, GoalView(goal(milestones=()))), EN),
        "goal-actions-7",
    )
    assert [e["type"] for e in actions["elements"]] == ["button"] * 4


def test_an_overdue_goal_is_flagged_and_a_hand_set_progress_says_so():
    overdue = goal(due=date(2026, 11, 27), status=GoalStatus.AT_RISK, manual_progress=60)
    text = block(blocks.build_goal_list(listing(ViewerRole.OWNER, GoalView(overdue)), EN), "goal-7")
    assert (
        "🟡 At risk · ▰▰▰▰▰▰▱▱▱▱ 60% (set by hand) · due 2026-11-27 · ⚠️ overdue"
        in (text["text"]["text"])
    )


def test_a_goal_due_today_is_not_overdue_and_one_without_a_date_shows_none():
    due_today = goal(due=TODAY)
    assert "overdue" not in shown(
        blocks.build_goal_list(listing(ViewerRole.OWNER, GoalView(due_today)), EN)
    )
    no_date = block(
        blocks.build_goal_list(listing(ViewerRole.OWNER, GoalView(goal(due=None))), EN), "goal-7"
    )
    assert "due" not in no_date["text"]["text"].split("\n")[1]


def test_a_private_goal_tells_the_owner_only_they_see_it():
    private = goal(visibility=Visibility.PRIVATE)
    text = shown(blocks.build_goal_list(listing(ViewerRole.OWNER, GoalView(private)), EN))
    assert "🔒 Only you can see this goal." in text


def test_the_owner_sees_the_latest_comments_under_the_goal():
    message = blocks.build_goal_list(listing(ViewerRole.OWNER, GoalView(GOAL, (COMMENT,))), EN)
    dicts = rendered(message.blocks)
    position = next(i for i, b in enumerate(dicts) if b.get("block_id") == "goal-7")
    assert dicts[position + 1]["type"] == "context"
    assert dicts[position + 1]["elements"][0]["text"] == "💬 <@UM1>: Nice work &lt;!here&gt;"
    assert dicts[position + 2]["block_id"] == "goal-actions-7"


def test_the_owners_list_does_not_repeat_milestones_as_text():
    text = block(blocks.build_goal_list(listing(ViewerRole.OWNER, GoalView(GOAL)), EN), "goal-7")[
        "text"
    ]["text"]
    assert "☑" not in text and "☐" not in text


def test_done_and_archived_goals_are_listed_on_one_line():
    done = goal(id=8, number=2, title="Finish the course", status=GoalStatus.DONE)
    message = blocks.build_goal_list(listing(ViewerRole.OWNER, GoalView(GOAL), GoalView(done)), EN)
    assert message.text == "Your goals: 1 in progress, 1 done."
    assert block(message, GoalBlock.DONE_GOALS)["text"]["text"] == "*Done:* ✅ 2. Finish the course"
    assert "goal-actions-8" not in shown(message)


def test_several_done_goals_share_the_line():
    done = [goal(id=10 + n, number=n, title=f"Goal {n}", status=GoalStatus.DONE) for n in (2, 3)]
    message = blocks.build_goal_list(listing(ViewerRole.OWNER, *map(GoalView, done)), EN)
    assert block(message, GoalBlock.DONE_GOALS)["text"]["text"] == (
        "*Done:* ✅ 2. Goal 2 · ✅ 3. Goal 3"
    )


def test_an_archived_goal_is_listed_on_its_own_line():
    archived = goal(id=9, number=3, title="Learn Rust", status=GoalStatus.ARCHIVED)
    message = blocks.build_goal_list(listing(ViewerRole.OWNER, GoalView(archived)), EN)
    assert "*Archived:* 🗄️ 3. Learn Rust" in shown(message)
    assert message.text == "Your goals: 0 in progress, 0 done."


def test_list_all_with_done_and_archived_goals_has_unique_block_ids():
    # Slack refuses a message in which two blocks share a block_id.
    done = goal(id=8, number=2, title="Finish the course", status=GoalStatus.DONE)
    archived = goal(id=9, number=3, title="Learn Rust", status=GoalStatus.ARCHIVED)
    message = blocks.build_goal_list(
        listing(ViewerRole.OWNER, GoalView(GOAL), GoalView(done), GoalView(archived)), EN
    )
    text = shown(message)
    assert "*Done:* ✅ 2. Finish the course" in text
    assert "*Archived:* 🗄️ 3. Learn Rust" in text
    ids = [b["block_id"] for b in rendered(message.blocks) if "block_id" in b]
    assert len(ids) == len(set(ids)), ids


def test_many_done_goals_still_fit_a_section():
    # Done goals are listed without `all` and pile up over a program; a section holds 3000.
    done = [
        goal(id=100 + n, number=n, title=f"{n} " + "x" * (MAX_TITLE - 4), status=GoalStatus.DONE)
        for n in range(1, 21)
    ]
    message = blocks.build_goal_list(listing(ViewerRole.OWNER, *map(GoalView, done)), EN)
    rendered(message.blocks)


def test_the_empty_list_explains_how_to_add_a_goal():
    message = blocks.build_goal_list(listing(ViewerRole.OWNER), EN)
    assert "No goals yet." in message.text
    assert "`/mentor goal add Ship a RAG demo due 2026-12-31`" in message.text
    assert block(message, GoalBlock.NOTICE)["text"]["text"] == message.text
    assert len(message.blocks) == 2


def test_ten_active_goals_with_everything_stay_under_slacks_block_limit():
    views = [
        GoalView(
            goal(
                id=100 + n,
                number=n,
                title="t" * MAX_TITLE,
                why="w" * 400,
                milestones=tuple(
                    Milestone("m" * MAX_TITLE, TODAY, done=i % 2 == 0, id=1000 * n + i)
                    for i in range(MAX_MILESTONES)
                ),
            ),
            (COMMENT, COMMENT, COMMENT),
        )
        for n in range(1, MAX_ACTIVE_GOALS + 1)
    ]
    done = [GoalView(goal(id=300 + n, number=20 + n, status=GoalStatus.DONE)) for n in range(5)]
    assert sum(v.goal.is_active for v in views) == MAX_ACTIVE_GOALS
    for viewer in (ViewerRole.OWNER, ViewerRole.MENTOR):
        message = blocks.build_goal_list(listing(viewer, *views, *done), EN)
        assert len(rendered(message.blocks)) < SLACK_MAX_BLOCKS


def test_long_milestone_titles_are_clipped_to_slacks_option_length():
    long = goal(milestones=(Milestone("m" * MAX_TITLE, id=1),))
    actions = block(
        blocks.build_goal_list(listing(ViewerRole.OWNER, GoalView(long)), EN), "goal-actions-7"
    )
    text = actions["elements"][0]["options"][0]["text"]["text"]
    assert len(text) == 75 and text.endswith("…")


def test_a_long_reason_is_clipped_in_the_list():
    reason = block(
        blocks.build_goal_list(listing(ViewerRole.OWNER, GoalView(goal(why="w" * 900))), EN),
        "goal-7",
    )["text"]["text"].split("\n")[2]
    assert reason == "_" + "w" * 299 + "…_"


# User text is escaped everywhere it is mrkdwn

NASTY = "<!channel> & <@U999> `code`"
ESCAPED = "&lt;!channel&gt; &amp; &lt;@U999&gt; 'code'"


def test_typed_text_cannot_ping_or_link_in_any_list():
    nasty = goal(
        title=NASTY,
        why=NASTY,
        milestones=(Milestone(NASTY, id=1),),
    )
    done = goal(id=8, number=2, title=NASTY, status=GoalStatus.DONE)
    comment = replace(COMMENT, note=NASTY)
    for viewer in (ViewerRole.OWNER, ViewerRole.MENTOR):
        message = blocks.build_goal_list(
            listing(viewer, GoalView(nasty, (comment,)), GoalView(done)), EN
        )
        mrkdwn = [b["text"]["text"] for b in rendered(message.blocks) if b["type"] == "section"] + [
            e["text"]
            for b in rendered(message.blocks)
            if b["type"] == "context"
            for e in b["elements"]
        ]
        joined = "\n".join(mrkdwn)
        assert "<!channel>" not in joined and "<@U999>" not in joined
        assert f"*1. {ESCAPED}*" in joined
        assert f"_{ESCAPED}_" in joined
        assert f"💬 <@UM1>: {ESCAPED}" in joined
        assert f"✅ 2. {ESCAPED}" in joined
    mentor = shown(blocks.build_goal_list(listing(ViewerRole.MENTOR, GoalView(nasty)), EN))
    assert f"☐ {ESCAPED}" in mentor


# The mentor's list


def test_the_mentor_sees_the_goal_with_its_milestones_as_lines():
    message = blocks.build_goal_list(listing(ViewerRole.MENTOR, GoalView(GOAL, (COMMENT,))), EN)
    assert message.text == "<@UE1>'s goals: 1 in progress, 0 done."
    assert block(message, GoalBlock.LIST_HEADER)["text"]["text"] == (
        "*Goals <@UE1> shares with you*"
    )
    assert block(message, "goal-7")["text"]["text"] == (
        "*1. Ship a RAG demo*\n"
        "🟢 On track · ▰▰▰▱▱▱▱▱▱▱ 33% · due 2026-12-31\n"
        "_To show what I can build_\n"
        "☑ Read the paper (2026-11-20)\n"
        "☐ Build a prototype (2026-12-15)\n"
        "☐ Write it up"
    )
    assert "Nice work" in shown(message)


def test_the_mentor_can_only_comment():
    message = blocks.build_goal_list(listing(ViewerRole.MENTOR, GoalView(GOAL)), EN)
    actions = block(message, "goal-actions-7")
    assert [(e["type"], e["action_id"], e["value"]) for e in actions["elements"]] == [
        ("button", GoalAction.COMMENT, "7")
    ]
    assert actions["elements"][0]["text"]["text"] == "Comment"
    text = shown(message)
    for owner_only in (
        GoalAction.UPDATE,
        GoalAction.DONE,
        GoalAction.ARCHIVE,
        GoalAction.ADD_MILESTONE,
        GoalAction.MILESTONES,
    ):
        assert f'"{owner_only}"' not in text
    assert "/mentor goal progress" not in text


def test_the_mentors_empty_list_names_the_mentee():
    message = blocks.build_goal_list(listing(ViewerRole.MENTOR), EN)
    assert message.text == "<@UE1> has no goals shared with you yet."
    assert "/mentor goal add" not in shown(message)


# The lead's view


def test_the_lead_sees_status_and_progress_but_never_the_words():
    secret = goal(title="Leave for a competitor", why="My manager is the problem")
    overdue = goal(
        id=8, number=2, title="Secret plan", due=date(2026, 11, 1), status=GoalStatus.BLOCKED
    )
    message = blocks.build_goal_list(
        listing(
            ViewerRole.LEAD,
            GoalView(secret, (COMMENT,)),
            GoalView(overdue),
            status_lines=(status_line(secret, TODAY), status_line(overdue, TODAY)),
        ),
        EN,
    )
    text = shown(message)
    for private in ("Leave for a competitor", "My manager", "Secret plan", "Read the paper"):
        assert private not in text
    assert "Nice work" not in text
    assert message.text == "<@UE1>'s goals: status and progress only."
    lines = [b["text"]["text"] for b in rendered(message.blocks) if b["type"] == "section"][1]
    assert lines.split("\n") == [
        "• Goal 1 · 🟢 On track · ▰▰▰▱▱▱▱▱▱▱ 33% · due 2026-12-31",
        "• Goal 2 · 🔴 Blocked · ▰▰▰▱▱▱▱▱▱▱ 33% · due 2026-11-01 · ⚠️ overdue",
    ]
    assert not [b for b in rendered(message.blocks) if b["type"] == "actions"]
    assert "stays between its owner and their mentor" in text


def test_the_lead_line_of_a_goal_without_a_date_has_no_date():
    line = GoalStatusLine("UE1", 4, GoalStatus.DONE, 100, None, False)
    text = shown(blocks.build_goal_list(listing(ViewerRole.LEAD, status_lines=(line,)), EN))
    assert "• Goal 4 · ✅ Done · ▰▰▰▰▰▰▰▰▰▰ 100%" in text
    assert "due" not in text


def test_the_leads_empty_view_says_nothing_is_shared():
    message = blocks.build_goal_list(listing(ViewerRole.LEAD), EN)
    assert message.text == "<@UE1> has no shared goals."
    assert len(message.blocks) == 1


# The goal form


def form_blocks(view) -> list[dict[str, Any]]:
    return view.to_dict()["blocks"]


def form_block(view, block_id: str) -> dict[str, Any]:
    [found] = [b for b in form_blocks(view) if b.get("block_id") == block_id]
    return found


def test_a_new_goal_form_offers_the_templates_and_no_status():
    view = blocks.build_goal_form(GoalForm(metadata={"response_url": "https://x"}), EN)
    as_dict = view.to_dict()
    assert as_dict["callback_id"] == GoalModal.FORM
    assert as_dict["title"]["text"] == "New goal"
    assert as_dict["submit"]["text"] == "Save"
    [select] = form_block(view, GoalBlock.TEMPLATE)["elements"]
    assert select["action_id"] == GoalAction.TEMPLATE
    assert [o["value"] for o in select["options"]] == list(TEMPLATES_BY_KEY)
    assert "initial_option" not in select
    ids = [b.get("block_id") for b in form_blocks(view)]
    assert ids == [GoalBlock.TEMPLATE, "title", "why", "due", "milestones", "visibility"]
    assert GoalBlock.STATUS not in ids and GoalBlock.PROGRESS not in ids
    visibility = form_block(view, "visibility")["element"]
    assert visibility["initial_option"]["value"] == "mentor"
    assert json.loads(as_dict["private_metadata"]) == {
        "response_url": "https://x",
        "variant": 0,
        "template": None,
    }


def test_an_empty_new_goal_form_has_no_initial_values():
    for item in form_blocks(blocks.build_goal_form(GoalForm(), EN)):
        if item["type"] == "input" and item["element"]["type"] == "plain_text_input":
            assert "initial_value" not in item["element"]


def test_the_update_form_shows_the_goal_with_its_status_and_progress():
    done_steps = goal(status=GoalStatus.AT_RISK, manual_progress=60)
    view = blocks.build_goal_form(blocks.form_for_goal(done_steps, {"channel": "C1"}), EN)
    as_dict = view.to_dict()
    assert as_dict["title"]["text"] == "Update goal"
    ids = [b.get("block_id") for b in form_blocks(view)]
    assert GoalBlock.TEMPLATE not in ids
    assert ids == ["title", "why", "due", "milestones", "status", "progress", "visibility"]
    assert form_block(view, "title")["element"]["initial_value"] == "Ship a RAG demo"
    assert form_block(view, "due")["element"]["initial_value"] == "2026-12-31"
    assert form_block(view, "milestones")["element"]["initial_value"] == (
        "✓ Read the paper due 2026-11-20\nBuild a prototype due 2026-12-15\nWrite it up"
    )
    status = form_block(view, "status")["element"]
    assert status["initial_option"]["value"] == "at-risk"
    assert status["initial_option"]["text"]["text"] == "🟡 At risk"
    assert [o["value"] for o in status["options"]] == [s.value for s in GoalStatus]
    assert form_block(view, "progress")["element"]["initial_value"] == "60"
    assert json.loads(as_dict["private_metadata"]) == {
        "channel": "C1",
        "variant": 0,
        "template": None,
        "goal_id": 7,
    }


def test_the_update_form_leaves_progress_empty_when_it_follows_the_milestones():
    view = blocks.build_goal_form(blocks.form_for_goal(GOAL, {}), EN)
    progress = form_block(view, "progress")["element"]
    assert "initial_value" not in progress
    assert progress["placeholder"]["text"] == "auto"


def test_the_update_form_of_a_private_goal_preselects_only_me():
    view = blocks.build_goal_form(blocks.form_for_goal(goal(visibility=Visibility.PRIVATE), {}), EN)
    assert form_block(view, "visibility")["element"]["initial_option"]["value"] == "private"


def test_picking_a_template_fills_what_is_empty_and_appends_its_milestones():
    typed = {"title": "", "why": "", "due": "in 6 weeks", "milestones": "Talk to Minji\n\n"}
    picked = blocks.form_with_template(
        typed, "portfolio-project", {"variant": 2, "template": "x", "response_url": "u"}, EN
    )
    template = TEMPLATES_BY_KEY["portfolio-project"]
    assert picked.title == template.title
    assert picked.why == template.why
    assert picked.due == "in 6 weeks"
    assert picked.milestones.split("\n") == ["Talk to Minji", *template.milestones]
    assert (picked.template, picked.variant, dict(picked.metadata)) == (
        "portfolio-project",
        3,
        {"response_url": "u"},
    )
    view = blocks.build_goal_form(picked, EN)
    ids = [b.get("block_id") for b in form_blocks(view)]
    assert ids == [GoalBlock.TEMPLATE, "title~3", "why~3", "due~3", "milestones~3", "visibility~3"]
    [select] = form_block(view, GoalBlock.TEMPLATE)["elements"]
    assert select["initial_option"]["value"] == "portfolio-project"
    assert json.loads(view.to_dict()["private_metadata"]) == {
        "response_url": "u",
        "variant": 3,
        "template": "portfolio-project",
    }


def test_picking_a_template_keeps_what_was_typed_and_does_not_repeat_milestones():
    template = TEMPLATES_BY_KEY["ai-interview"]
    typed = {
        "title": "Get an ML job",
        "why": "I want to",
        "milestones": template.milestones[0],
        "visibility": "private",
    }
    picked = blocks.form_with_template(typed, "ai-interview", {}, EN)
    assert (picked.title, picked.why, picked.visibility) == (
        "Get an ML job",
        "I want to",
        Visibility.PRIVATE,
    )
    assert picked.milestones.split("\n") == list(template.milestones)
    assert picked.variant == 1


@pytest.mark.parametrize("variant", [0, 1, 7])
def test_the_form_fields_are_read_whatever_the_variant(variant):
    suffix = f"~{variant}" if variant else ""
    values = {
        GoalBlock.TEMPLATE: {GoalAction.TEMPLATE: {"selected_option": {"value": "ai-interview"}}},
        f"title{suffix}": {GoalAction.TITLE: {"type": "plain_text_input", "value": "Ship it"}},
        f"why{suffix}": {GoalAction.WHY: {"type": "plain_text_input", "value": None}},
        f"due{suffix}": {GoalAction.DUE: {"type": "plain_text_input", "value": "12/31"}},
        f"milestones{suffix}": {GoalAction.MILESTONE_LINES: {"value": "A\nB"}},
        f"visibility{suffix}": {GoalAction.VISIBILITY: {"selected_option": {"value": "private"}}},
        "status": {GoalAction.STATUS: {"selected_option": {"value": "blocked"}}},
        "progress": {GoalAction.PROGRESS: {"value": "40"}},
    }
    assert blocks.goal_fields_from_state(values) == {
        "title": "Ship it",
        "why": "",
        "due": "12/31",
        "milestones": "A\nB",
        "visibility": "private",
        "status": "blocked",
        "progress": "40",
    }


def test_form_fields_missing_or_empty_read_as_empty():
    values = {"title": {}, "due": None, "status": {GoalAction.STATUS: {"selected_option": None}}}
    assert blocks.goal_fields_from_state(values) == {"title": "", "due": "", "status": ""}


def test_the_milestone_and_comment_forms_render():
    milestone = blocks.build_milestone_form(GOAL, {"a": 1}, EN).to_dict()
    assert milestone["callback_id"] == GoalModal.MILESTONE
    assert json.loads(milestone["private_metadata"]) == {"a": 1, "goal_id": 7}
    comment = blocks.build_comment_form(goal(title=NASTY), {}, EN).to_dict()
    assert comment["callback_id"] == GoalModal.COMMENT
    assert comment["blocks"][0]["text"]["text"] == f"<@UE1>: *1. {ESCAPED}*"


# The weekly check-in


def checkin_entries(*goals: Goal) -> list[dict[str, Any]]:
    return [as_stored(kinds.checkin_entry(g)) for g in goals]


def test_the_checkin_has_a_title_and_one_row_per_goal():
    second = goal(id=8, number=2, title="Finish the course", status=GoalStatus.BLOCKED)
    built = rendered(blocks.build_checkin_goals(checkin_entries(GOAL, second), 42, EN))
    assert [b.get("block_id") for b in built] == [
        GoalBlock.CHECKIN_GOALS,
        "goal-7",
        "goal-actions-7",
        "goal-8",
        "goal-actions-8",
    ]
    assert built[0]["text"]["text"] == "*Your goals*: one tap tells me where each stands."


def test_no_goals_add_nothing_to_the_checkin():
    assert blocks.build_checkin_goals([], 42, EN) == []


def test_a_checkin_row_has_four_status_buttons_with_the_current_one_highlighted():
    at_risk = goal(status=GoalStatus.AT_RISK, manual_progress=60)
    line, actions = rendered(blocks.build_checkin_goal(checkin_entries(at_risk)[0], 42, EN))
    assert line["text"]["text"] == "*1. Ship a RAG demo*\n🟡 At risk · ▰▰▰▰▰▰▱▱▱▱ 60%"
    assert [
        (b["text"]["text"], b["action_id"], b["value"], b.get("style")) for b in buttons(actions)
    ] == [
        ("On track", "goal-tap-on-track", "42:7", None),
        ("At risk", "goal-tap-at-risk", "42:7", "primary"),
        ("Blocked", "goal-tap-blocked", "42:7", None),
        ("Done", "goal-tap-done", "42:7", None),
    ]


def test_a_tapped_row_says_saved_and_escapes_the_title():
    entry = checkin_entries(goal(title=NASTY))[0]
    line, _ = rendered(blocks.build_checkin_goal(entry, 42, EN, tapped=True))
    assert line["text"]["text"] == (f"*1. {ESCAPED}*\n🟢 On track · ▰▰▰▱▱▱▱▱▱▱ 33% · saved")


def test_a_goal_row_is_swapped_in_place_and_the_rest_kept():
    second = goal(id=8, number=2, title="Finish the course")
    message = [
        {"type": "section", "block_id": "checkin-intro", "text": {"type": "mrkdwn", "text": "Hi"}},
        *rendered(blocks.build_checkin_goals(checkin_entries(GOAL, second), 42, EN)),
        {"type": "actions", "block_id": "checkin-actions", "elements": []},
    ]
    tapped = goal(status=GoalStatus.BLOCKED)
    new = blocks.build_checkin_goal(checkin_entries(tapped)[0], 42, EN, tapped=True)
    out = blocks.replace_goal_blocks(message, 7, new)
    assert [b.get("block_id") for b in out] == [
        "checkin-intro",
        GoalBlock.CHECKIN_GOALS,
        "goal-7",
        "goal-actions-7",
        "goal-8",
        "goal-actions-8",
        "checkin-actions",
    ]
    assert out[2]["text"]["text"].endswith("🔴 Blocked · ▰▰▰▱▱▱▱▱▱▱ 33% · saved")
    assert out[4:] == message[4:]
    assert out[0] == message[0] and out[0] is not message[0]


def test_replacing_a_goal_that_is_not_there_changes_nothing():
    message = rendered(blocks.build_checkin_goals(checkin_entries(GOAL), 42, EN))
    assert blocks.replace_goal_blocks(message, 99, []) == message


# Goal DMs


def test_the_due_soon_reminder_shows_the_goal_and_what_is_still_open():
    payload = as_stored(kinds.goal_payload(goal(title="Ship <it>")))
    message = RENDERERS[kinds.DUE_SOON](payload, EN)
    assert message.text == "Goal 1, “Ship &lt;it&gt;”, is due in a week (2026-12-31)."
    assert block(message, "goal-7")["text"]["text"] == (
        "*Goal 1, “Ship &lt;it&gt;”, is due in a week (2026-12-31).*\n"
        "▰▰▰▱▱▱▱▱▱▱ 33%\n"
        "Still open:\n"
        "☐ Build a prototype\n"
        "☐ Write it up"
    )
    text = shown(message)
    assert "`/mentor goal done 1`" in text and "`/mentor goal edit 1`" in text


def test_the_due_soon_reminder_of_a_goal_with_nothing_open_has_no_list():
    everything_done = goal(milestones=(Milestone("Read", done=True, id=1),))
    message = blocks.build_due_soon(as_stored(kinds.goal_payload(everything_done)), EN)
    text = block(message, "goal-7")["text"]["text"]
    assert "Still open" not in text
    assert text.endswith("▰▰▰▰▰▰▰▰▰▰ 100%")


def test_the_comment_notice_quotes_the_comment_escaped():
    payload = as_stored(kinds.comment_payload(GOAL, COMMENT))
    message = RENDERERS[kinds.COMMENT](payload, EN)
    assert message.text == "<@UM1> commented on goal 1, “Ship a RAG demo”."
    sections = [b["text"]["text"] for b in rendered(message.blocks) if b["type"] == "section"]
    assert sections == [message.text, "> Nice work &lt;!here&gt;"]
    assert "`/mentor goal list`" in shown(message)


# Korean (the catalog is being written: only check that everything still renders)


def test_every_goal_view_renders_in_korean():
    done = goal(id=8, number=2, status=GoalStatus.DONE)
    views = (GoalView(GOAL, (COMMENT,)), GoalView(done))
    for viewer in (ViewerRole.OWNER, ViewerRole.MENTOR):
        assert rendered(blocks.build_goal_list(listing(viewer, *views), KO).blocks)
    lead = listing(ViewerRole.LEAD, status_lines=(status_line(GOAL, TODAY),))
    assert rendered(blocks.build_goal_list(lead, KO).blocks)
    blocks.build_goal_form(GoalForm(), KO).to_dict()
    blocks.build_goal_form(blocks.form_for_goal(GOAL, {}), KO).to_dict()
    blocks.build_goal_form(blocks.form_with_template({}, "target-domain", {}, KO), KO).to_dict()
    assert rendered(blocks.build_checkin_goals(checkin_entries(GOAL), 42, KO))
    for kind in kinds.ALL:
        payload = as_stored(kinds.comment_payload(GOAL, COMMENT))
        assert RENDERERS[kind](payload, KO).text


def test_the_korean_list_is_not_the_english_one():
    views = listing(ViewerRole.OWNER, GoalView(GOAL))
    assert shown(blocks.build_goal_list(views, KO)) != shown(blocks.build_goal_list(views, EN))


# Slack's limits hold however much typed text grows when escaped (`&` is `&amp;`)

SECTION_MAX = 3000
WHOLE_MARKUP = re.compile(r"&(?!(?:amp|lt|gt);)|<(?![^<>]*>)")
"""An `&` that starts no whole entity, or a `<` whose `>` never comes: text cut inside markup."""


def section_texts(message) -> list[str]:
    return [b["text"]["text"] for b in rendered(message.blocks) if b["type"] == "section"]


def assert_fits_whole(texts: list[str]) -> None:
    for text in texts:
        assert len(text) <= SECTION_MAX
        assert WHOLE_MARKUP.search(text) is None, text


def test_a_comment_of_1000_less_thans_reaches_the_owner_escaped_and_clipped():
    walled = replace(COMMENT, note="<" * 1000)
    message = RENDERERS[kinds.COMMENT](as_stored(kinds.comment_payload(GOAL, walled)), EN)
    texts = section_texts(message)
    assert_fits_whole(texts)
    assert texts[1].startswith("> &lt;&lt;") and texts[1].endswith("&lt;…")


def test_the_mentor_sees_the_longest_goal_escaped_within_one_section():
    walled = goal(
        title="&" * MAX_TITLE,
        why="&" * 1000,
        visibility=Visibility.PRIVATE,
        milestones=tuple(Milestone("&" * MAX_TITLE, TODAY, id=i) for i in range(MAX_MILESTONES)),
    )
    views = GoalView(walled, (replace(COMMENT, note="<" * 1000),) * 2)
    message = blocks.build_goal_list(listing(ViewerRole.MENTOR, views), EN)
    text = block(message, "goal-7")["text"]["text"]
    assert_fits_whole([text])
    assert text.count("☐ &amp;") == MAX_MILESTONES
    comments = next(b for b in rendered(message.blocks) if b["type"] == "context")
    assert_fits_whole([e["text"] for e in comments["elements"]])


def test_the_due_soon_reminder_lists_escaped_milestones_within_one_section():
    walled = goal(
        title="<" * MAX_TITLE,
        milestones=tuple(Milestone("&" * MAX_TITLE, id=i) for i in range(MAX_MILESTONES)),
    )
    message = blocks.build_due_soon(as_stored(kinds.goal_payload(walled)), EN)
    assert_fits_whole(section_texts(message))


def history_of(count: int, note: str = "c") -> list[GoalEvent]:
    created = GoalEvent(7, GoalEventKind.CREATED, "UE1", AT, new="Ship a RAG demo", id=1)
    return [created] + [
        replace(COMMENT, at=datetime(2026, 11, 2 + n % 25, tzinfo=UTC), note=f"{note} {n}", id=n)
        for n in range(2, count + 1)
    ]


def test_a_short_history_shows_every_event_oldest_first():
    lines = section_texts(blocks.build_goal_history(GOAL, history_of(3), EN))[1].split("\n")
    assert len(lines) == 3
    assert "created the goal" in lines[0] and lines[2].endswith("“c 3”")


def test_a_long_history_keeps_the_newest_whole_lines_and_counts_the_rest():
    events = history_of(40)
    text = section_texts(blocks.build_goal_history(GOAL, events, EN))[1]
    assert_fits_whole([text])
    first, *lines = text.split("\n")
    assert first == f"_{len(events) - len(lines)} earlier events are not shown._"
    assert 0 < len(lines) < len(events)
    assert lines[-1].endswith("“c 40”") and lines[0].endswith(f"“c {41 - len(lines)}”")
    assert all(line.startswith("• <!date^") and line.endswith("”") for line in lines)


def test_a_history_one_event_too_long_says_so_in_the_singular():
    events = history_of(40)
    full = len(section_texts(blocks.build_goal_history(GOAL, events, EN))[1].split("\n")) - 1
    kept = history_of(full + 1)
    text = section_texts(blocks.build_goal_history(GOAL, kept, EN))[1]
    assert text.split("\n")[0] == "_1 earlier event is not shown._"


def test_events_past_the_latest_40_are_counted_too():
    text = section_texts(blocks.build_goal_history(GOAL, history_of(100), EN))[1]
    first, *lines = text.split("\n")
    assert first == f"_{100 - len(lines)} earlier events are not shown._"
    assert lines[-1].endswith("“c 100”")


def test_a_history_of_walled_comments_and_titles_stays_within_a_section_in_korean():
    edited = GoalEvent(
        7, GoalEventKind.EDITED, "UE1", AT, note="title", old="&" * 150, new="<" * 150, id=2
    )
    events = [edited, *history_of(40, note="&" * 1000)]
    for _ in (EN, KO):
        message = blocks.build_goal_history(GOAL, events, _)
        assert_fits_whole(section_texts(message))
    assert "표시하지 않았어요" in section_texts(blocks.build_goal_history(GOAL, events, KO))[1]
