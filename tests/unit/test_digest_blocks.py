"""How a progress digest looks in Slack: the headline numbers, who needs attention and why, one
line per person, the program's teams, the shared words (escaped, and only when there are some),
the chart's caption - and Slack's limits kept for a team of 500. Every block is rendered with
`to_dict()` (slack_sdk validates it) and checked for what a lead would read."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from bot.domain.checkins import CheckinState
from bot.domain.digests import (
    Attention,
    AttentionReason,
    Digest,
    GroupLine,
    Highlight,
    PersonLine,
    WeekPoint,
)
from bot.domain.goals import GoalStatus
from bot.i18n import translator
from handlers.blocks import digests as blocks
from handlers.ids import DigestBlock

EN = translator("en")
SLACK_MAX_BLOCKS = 50
SLACK_MAX_SECTION_TEXT = 3000
EVIL = "<!channel> & `code`"
EVIL_ESCAPED = "&lt;!channel&gt; &amp; 'code'"

WEEKS = (
    WeekPoint("2026-W45", expected=8, answered=6, goal_progress=40),
    WeekPoint("2026-W46", expected=8, answered=4, goal_progress=45),
    WeekPoint("2026-W47", expected=8, answered=6, goal_progress=50),
)
A, M, P, S = (
    CheckinState.ANSWERED,
    CheckinState.MISSED,
    CheckinState.PENDING,
    CheckinState.SKIPPED,
)
PEOPLE = (
    PersonLine("UA1", 3, A, 2, 60, GoalStatus.AT_RISK, 4, (A, A, A)),
    PersonLine("UB2", 0, M, 1, 0, GoalStatus.BLOCKED, None, (None, M, M)),
    PersonLine("UC3", 1, P, 0, None, None, 2, (A, A, P)),
    PersonLine("UD4", 1, S, 1, 100, GoalStatus.ON_TRACK, None, (None, A, S)),
    PersonLine("UE5", 0, None, 0, None, None, None, (None, None, None)),
)
ATTENTION = (
    Attention("UB2", AttentionReason.MISSED_CHECKINS, "2"),
    Attention("UB2", AttentionReason.BLOCKED_GOAL, "3"),
    Attention("UC3", AttentionReason.CONFIDENCE_DROPPING, "4 → 2"),
    Attention("UE5", AttentionReason.WAITING_FOR_MATCH, "9"),
    Attention("UF6", AttentionReason.WAITING_FOR_MENTOR, "5"),
)
DIGEST = Digest(
    title="Data Science",
    weeks=WEEKS,
    people=6,
    active_matches=4,
    goal_counts={
        GoalStatus.ON_TRACK: 5,
        GoalStatus.AT_RISK: 2,
        GoalStatus.BLOCKED: 1,
        GoalStatus.DONE: 3,
    },
    attention=ATTENTION,
    per_person=PEOPLE,
    highlights=(),
    average_confidence=3.6,
)
EMPTY = Digest(
    title="New team",
    weeks=(WeekPoint("2026-W47", 0, 0, None),),
    people=0,
    active_matches=0,
    goal_counts={},
    attention=(),
    per_person=(),
    highlights=(),
)


def digest(**changes: Any) -> Digest:
    return replace(DIGEST, **changes)


def rendered(message) -> list[dict[str, Any]]:
    """Every block as Slack gets it (slack_sdk validates each one on the way)."""
    return [item.to_dict() for item in message.blocks]


def shown(message) -> str:
    return (
        message.text
        + "\n"
        + "\n".join(json.dumps(b, ensure_ascii=False) for b in rendered(message))
    )


def block(message, block_id: str) -> dict[str, Any]:
    found = [b for b in rendered(message) if b.get("block_id") == block_id]
    assert len(found) == 1, f"{block_id}: {len(found)} blocks"
    return found[0]


def text_of(message, block_id: str) -> str:
    found = block(message, block_id)
    if found["type"] == "context":
        return found["elements"][0]["text"]
    return found["text"]["text"]


def has_block(message, block_id: str) -> bool:
    return any(b.get("block_id") == block_id for b in rendered(message))


def texts(message) -> list[str]:
    out = []
    for b in rendered(message):
        if b["type"] == "section":
            out.append(b["text"]["text"])
        elif b["type"] == "context":
            out += [e["text"] for e in b["elements"]]
    return out


def assert_within_slack_limits(message) -> None:
    items = rendered(message)
    assert len(items) < SLACK_MAX_BLOCKS
    ids = [b["block_id"] for b in items if "block_id" in b]
    assert len(ids) == len(set(ids)), "block ids must be unique in a message"
    for b in items:
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= SLACK_MAX_SECTION_TEXT


# The header and the headline


def test_the_header_names_the_team_and_the_weeks_covered():
    message = blocks.build_digest(DIGEST, EN)
    assert text_of(message, DigestBlock.HEADER) == (
        "*📊 Progress digest: Data Science*\nWeeks 2026-W45 – 2026-W47"
    )


def test_the_whole_program_digest_says_so_and_a_single_week_is_named_alone():
    message = blocks.build_digest(digest(title="", weeks=WEEKS[-1:]), EN)
    assert text_of(message, DigestBlock.HEADER) == (
        "*📊 Progress digest: Whole program*\nWeek 2026-W47"
    )


def test_the_headline_gives_this_weeks_response_rate_its_change_matches_goals_and_confidence():
    assert text_of(blocks.build_digest(DIGEST, EN), DigestBlock.HEADLINE) == (
        "*Check-ins this week:* 75% answered (6 of 8) · ▲ 25 points from last week\n"
        "*People:* 6 · *Active matches:* 4\n"
        "*Shared goals:* 🟢 On track: 5 · 🟡 At risk: 2 · 🔴 Blocked: 1 · ✅ Done: 3\n"
        "*Average confidence:* 3.6/5"
    )


@pytest.mark.parametrize(
    ("last_week_answered", "change"),
    [
        (7, "▼ 13 points from last week"),  # 88% -> 75%
        (6, "no change from last week"),
    ],
)
def test_a_drop_or_no_change_from_last_week_is_said(last_week_answered, change):
    weeks = (WeekPoint("2026-W46", 8, last_week_answered, None), WEEKS[-1])
    headline = text_of(blocks.build_digest(digest(weeks=weeks), EN), DigestBlock.HEADLINE)
    assert headline.splitlines()[0] == f"*Check-ins this week:* 75% answered (6 of 8) · {change}"


def test_a_change_of_one_point_is_singular():
    weeks = (WeekPoint("2026-W46", 100, 74, None), WeekPoint("2026-W47", 100, 75, None))
    headline = text_of(blocks.build_digest(digest(weeks=weeks), EN), DigestBlock.HEADLINE)
    assert "▲ 1 point from last week" in headline


def test_without_last_weeks_rate_there_is_no_change_and_without_answers_no_average():
    weeks = (WeekPoint("2026-W46", 0, 0, None), WEEKS[-1])
    headline = text_of(
        blocks.build_digest(digest(weeks=weeks, average_confidence=None), EN),
        DigestBlock.HEADLINE,
    )
    assert headline.splitlines()[0] == "*Check-ins this week:* 75% answered (6 of 8)"
    assert "▲" not in headline and "▼" not in headline and "last week" not in headline
    assert "confidence" not in headline


def test_a_week_with_no_check_ins_due_says_so_rather_than_zero_percent():
    weeks = (WEEKS[0], WeekPoint("2026-W47", 0, 0, None))
    message = blocks.build_digest(digest(weeks=weeks), EN)
    assert text_of(message, DigestBlock.HEADLINE).startswith(
        "*Check-ins this week:* none were due\n"
    )
    assert "no check-ins were due this week" in message.text


# Needs attention


def test_every_reason_for_attention_reads_as_words_with_its_detail():
    assert text_of(blocks.build_digest(DIGEST, EN), DigestBlock.ATTENTION) == (
        "*Needs attention*\n"
        "• ❌ <@UB2> missed 2 check-ins in a row\n"
        "• 🔴 <@UB2>: goal 3 is blocked\n"
        "• 📉 <@UC3>: confidence dropped from 4 to 2\n"
        "• ⏳ <@UE5> has been waiting for a match for 9 days\n"
        "• ⏳ <@UF6> has been waiting 5 days for a mentor's answer"
    )


def test_an_unexpected_confidence_detail_is_still_shown_escaped():
    odd = Attention("UC3", AttentionReason.CONFIDENCE_DROPPING, "<falling>")
    text = text_of(blocks.build_digest(digest(attention=(odd,)), EN), DigestBlock.ATTENTION)
    assert text.endswith("• 📉 <@UC3>: confidence is dropping (&lt;falling&gt;)")


def test_nobody_needing_attention_is_said():
    message = blocks.build_digest(digest(attention=()), EN)
    assert text_of(message, DigestBlock.ATTENTION) == (
        "*Needs attention*\nNobody needs attention this week."
    )
    assert "nobody needs attention" in message.text


# People


def test_each_person_has_a_line_with_streak_this_weeks_check_in_goals_and_confidence():
    lines = text_of(blocks.build_digest(DIGEST, EN), DigestBlock.PEOPLE).splitlines()
    assert lines == [
        "*People*",
        "• <@UA1> · 🔥 3 weeks · ✅ answered · ▰▰▰▰▰▰▱▱▱▱ 60% · 🟡 At risk · confidence 4/5",
        "• <@UB2> · ❌ missed · ▱▱▱▱▱▱▱▱▱▱ 0% · 🔴 Blocked",
        "• <@UC3> · 🔥 1 week · ⏳ open · no shared goals · confidence 2/5",
        "• <@UD4> · 🔥 1 week · ⏭ skipped · ▰▰▰▰▰▰▰▰▰▰ 100% · 🟢 On track",
        "• <@UE5> · – no check-in · no shared goals",
    ]


def test_the_people_lines_come_with_a_legend():
    legend = text_of(blocks.build_digest(DIGEST, EN), DigestBlock.PEOPLE_LEGEND)
    assert legend.startswith("🔥 weeks answered in a row")


def test_a_big_team_shows_forty_people_and_counts_the_rest():
    people = tuple(
        PersonLine(f"U{n:04d}", n % 5, A, 1, 50, GoalStatus.ON_TRACK, 3) for n in range(45)
    )
    message = blocks.build_digest(digest(per_person=people), EN)
    text = "\n".join(t for t in texts(message) if "<@U0" in t or "more" in t)
    assert text.count("<@U0") == blocks.PEOPLE_SHOWN == 40
    assert "<@U0039>" in text and "<@U0040>" not in text
    assert "…and 5 more; add `csv` to `/mentor digest` for everyone." in text


# Teams of the whole program


def test_the_whole_program_lists_its_teams_and_notes_the_small_ones():
    groups = (
        GroupLine("Data Science", 6, 75, 1),
        GroupLine(f"Ops {EVIL}", 4, None, 0),
    )
    message = blocks.build_digest(digest(title="", groups=groups, small_groups=2), EN)
    assert text_of(message, DigestBlock.GROUPS) == (
        "*Teams*\n"
        "• *Data Science* · people: 6 · check-ins answered: 75% · blocked goals: 🔴 1\n"
        f"• *Ops {EVIL_ESCAPED}* · people: 4 · check-ins answered: none due · blocked goals: 0"
    )
    assert text_of(message, DigestBlock.SMALL_GROUPS) == (
        "2 teams with fewer than 3 people are not shown separately."
    )


def test_one_small_team_is_singular_and_a_team_digest_has_no_teams_section():
    message = blocks.build_digest(digest(small_groups=1), EN)
    assert text_of(message, DigestBlock.SMALL_GROUPS) == (
        "1 team with fewer than 3 people is not shown separately."
    )
    assert not has_block(message, DigestBlock.GROUPS)
    team = blocks.build_digest(DIGEST, EN)
    assert not has_block(team, DigestBlock.GROUPS)
    assert not has_block(team, DigestBlock.SMALL_GROUPS)


# Shared with you


def test_shared_words_are_shown_quoted_and_escaped_with_who_and_when():
    highlights = (
        Highlight("UA1", "2026-W47", f"Shipped the demo {EVIL}"),
        Highlight("UC3", "2026-W46", "Reading\nthe paper"),
    )
    message = blocks.build_digest(digest(highlights=highlights), EN)
    assert text_of(message, DigestBlock.HIGHLIGHTS) == (
        "*Shared with you*\n"
        f"<@UA1> · 2026-W47\n> Shipped the demo {EVIL_ESCAPED}\n"
        "<@UC3> · 2026-W46\n> Reading the paper"
    )
    assert "chose to share" in text_of(message, DigestBlock.HIGHLIGHTS_NOTE)
    assert "<!channel>" not in shown(message)


def test_without_shared_words_there_is_no_shared_section():
    message = blocks.build_digest(DIGEST, EN)
    assert not has_block(message, DigestBlock.HIGHLIGHTS)
    assert not has_block(message, DigestBlock.HIGHLIGHTS_NOTE)
    assert "Shared with you" not in shown(message)


# The chart, the notification text, escaping


def test_the_chart_lines_are_explained_by_colour_and_style_in_the_message_and_the_caption():
    legend = (
        "Chart: blue solid line = check-in response rate, orange dashed line = average goal "
        "progress (per week)."
    )
    assert text_of(blocks.build_digest(DIGEST, EN), DigestBlock.CHART) == legend
    assert blocks.build_trend_caption(DIGEST, EN) == (
        f"📈 Trend: Data Science · Weeks 2026-W45 – 2026-W47\n{legend}"
    )
    assert blocks.build_trend_caption(digest(title=""), EN).startswith("📈 Trend: Whole program")


def test_the_notification_text_is_one_sentence_with_team_rate_and_attention():
    assert blocks.build_digest(DIGEST, EN).text == (
        "Progress digest for Data Science: 75% of check-ins answered this week; "
        "4 people need attention."
    )
    one = digest(title="", attention=ATTENTION[:2])
    assert blocks.build_digest(one, EN).text == (
        "Progress digest for the whole program: 75% of check-ins answered this week; "
        "1 person needs attention."
    )


def test_a_team_name_cannot_mention_the_channel():
    message = blocks.build_digest(digest(title=EVIL), EN)
    assert text_of(message, DigestBlock.HEADER).startswith(f"*📊 Progress digest: {EVIL_ESCAPED}*")
    assert EVIL_ESCAPED in message.text
    assert EVIL_ESCAPED in blocks.build_trend_caption(digest(title=EVIL), EN)
    assert "<!channel>" not in shown(message)
    assert "<!channel>" not in blocks.build_trend_caption(digest(title=EVIL), EN)


# Slack's limits


def test_a_500_person_digest_with_500_attention_entries_stays_within_slack_limits():
    reasons = list(AttentionReason)
    details = {
        AttentionReason.MISSED_CHECKINS: "3",
        AttentionReason.BLOCKED_GOAL: "2",
        AttentionReason.CONFIDENCE_DROPPING: "5 → 1",
        AttentionReason.WAITING_FOR_MATCH: "12",
        AttentionReason.WAITING_FOR_MENTOR: "7",
    }
    people = tuple(
        PersonLine(f"U{n:010d}", 12, A, 3, 55, GoalStatus.BLOCKED, 5, (A, A, A)) for n in range(500)
    )
    attention = tuple(
        Attention(f"U{n:010d}", reasons[n % 5], details[reasons[n % 5]]) for n in range(500)
    )
    big = digest(
        people=500,
        per_person=people,
        attention=attention,
        highlights=tuple(Highlight(f"U{n:010d}", "2026-W47", "x" * 280) for n in range(300)),
        groups=tuple(GroupLine(f"Team {n}", 10, 50, 1) for n in range(60)),
        small_groups=4,
    )
    message = blocks.build_digest(big, EN)
    assert_within_slack_limits(message)
    all_text = "\n".join(texts(message))
    attention_lines = [
        line for line in all_text.splitlines() if line[:3] in ("• ❌", "• 🔴", "• 📉", "• ⏳")
    ]
    assert len(attention_lines) == blocks.ATTENTION_SHOWN
    assert "…and 460 more." in all_text
    assert "…and 460 more; add `csv`" in all_text
    assert "…and 290 more." in all_text
    assert "…and 20 more." in all_text
    # A list that does not fit one section continues under the same id, numbered.
    assert has_block(message, DigestBlock.ATTENTION)
    assert has_block(message, f"{DigestBlock.HIGHLIGHTS}-2")


def test_text_that_grows_when_escaped_still_fits_slacks_limits():
    ampersands = "&" * 500
    worst = digest(
        title=ampersands,
        groups=tuple(GroupLine(ampersands, 10, 50, 1) for _ in range(60)),
        highlights=tuple(Highlight("UA1", "2026-W47", ampersands) for _ in range(30)),
    )
    message = blocks.build_digest(worst, EN)
    assert_within_slack_limits(message)
    assert len(blocks.build_trend_caption(worst, EN)) < 1000


def test_an_empty_digest_renders():
    message = blocks.build_digest(EMPTY, EN)
    assert_within_slack_limits(message)
    assert text_of(message, DigestBlock.HEADLINE) == (
        "*Check-ins this week:* none were due\n"
        "*People:* 0 · *Active matches:* 0\n"
        "*Shared goals:* none yet"
    )
    assert text_of(message, DigestBlock.PEOPLE) == "*People*\nNobody is in this digest yet."
    assert "Nobody needs attention this week." in text_of(message, DigestBlock.ATTENTION)
    assert message.text == (
        "Progress digest for New team: no check-ins were due this week; nobody needs attention."
    )


def test_a_digest_without_any_week_renders():
    message = blocks.build_digest(replace(EMPTY, weeks=()), EN)
    assert_within_slack_limits(message)
    assert text_of(message, DigestBlock.HEADER) == "*📊 Progress digest: New team*"
    assert blocks.build_trend_caption(replace(EMPTY, weeks=()), EN).startswith(
        "📈 Trend: New team\n"
    )
