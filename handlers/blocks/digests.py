"""How a progress digest looks in Slack: the team (or whole program) at a glance for its lead -
this week's check-ins, goals, who needs attention and why, one line per person, the teams of
the program, and the words people chose to share - plus the caption of the trend chart.

Built to read on a phone and to stay inside Slack's limits whatever the team's size: long lists
are cut (the rest counted), and their lines are packed into sections of under 3000 characters.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.domain.checkins import CheckinState
from bot.domain.digests import (
    COUNTED,
    HIGHLIGHT_CHARS,
    MIN_GROUP,
    Attention,
    AttentionReason,
    Digest,
    GroupLine,
    Highlight,
    PersonLine,
)
from bot.domain.goals import GoalStatus
from bot.i18n import Translate
from handlers.blocks.checkins import STATE_LABELS
from handlers.blocks.goals import STATUS_ICONS, progress_bar, status_text
from handlers.blocks.message import Message
from handlers.blocks.mrkdwn import clip_mrkdwn, escape, mention
from handlers.ids import DigestBlock

SECTION_CHARS = 2800
"""Under Slack's 3000 per section text, with room for emoji Slack may count twice."""
ATTENTION_SHOWN = 40
PEOPLE_SHOWN = 40
GROUPS_SHOWN = 40
HIGHLIGHTS_SHOWN = 10
NAME_SHOWN = 80
"""Characters of a team's name shown, on one line and escaped (as is every `*_SHOWN` length of
typed text in Slack's blocks: escaping makes text longer, so budgets count what is sent)."""

STATE_ICONS = {
    CheckinState.ANSWERED: "✅",
    CheckinState.MISSED: "❌",
    CheckinState.PENDING: "⏳",
    CheckinState.SKIPPED: "⏭",
}
NO_CHECKIN_ICON = "–"
ATTENTION_ICONS = {
    AttentionReason.MISSED_CHECKINS: "❌",
    AttentionReason.BLOCKED_GOAL: STATUS_ICONS[GoalStatus.BLOCKED],
    AttentionReason.CONFIDENCE_DROPPING: "📉",
    AttentionReason.WAITING_FOR_MATCH: "⏳",
    AttentionReason.WAITING_FOR_MENTOR: "⏳",
}


def _section(text: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(block_id=block_id, text=MarkdownTextObject(text=text))


def _context(text: str, block_id: str | None = None) -> ContextBlock:
    return ContextBlock(block_id=block_id, elements=[MarkdownTextObject(text=text)])


def _shown(text: str, limit: int) -> str:
    """Typed text on one line, escaped, in at most `limit` characters."""
    return escape(" ".join(text.split()), limit)


def _sections(block_id: str, heading: str, lines: Sequence[str]) -> list[Block]:
    """The heading and lines in as few sections as fit: the first has `block_id`, the next
    `block_id-2`, `block_id-3`..."""
    texts: list[str] = []
    current = heading
    for line in lines:
        line = clip_mrkdwn(line, SECTION_CHARS)
        joined = f"{current}\n{line}" if current else line
        if len(joined) > SECTION_CHARS:
            texts.append(current)
            current = line
        else:
            current = joined
    if current:
        texts.append(current)
    return [
        _section(text, block_id if n == 1 else f"{block_id}-{n}")
        for n, text in enumerate(texts, start=1)
    ]


def _team(digest: Digest, _: Translate) -> str:
    return _shown(digest.title, NAME_SHOWN) if digest.title else _("Whole program")


def _weeks_text(digest: Digest, _: Translate) -> str:
    if not digest.weeks:
        return ""
    first, last = digest.weeks[0].week, digest.weeks[-1].week
    if first == last:
        return _("Week {week}").format(week=escape(last))
    return _("Weeks {first} – {last}").format(first=escape(first), last=escape(last))


def _chart_legend(_: Translate) -> str:
    return _(
        "Chart: blue solid line = check-in response rate, orange dashed line = average goal "
        "progress (per week)."
    )


# The digest


def build_digest(digest: Digest, _: Translate) -> Message:
    header = _("*📊 Progress digest: {team}*").format(team=_team(digest, _))
    weeks = _weeks_text(digest, _)
    blocks: list[Block] = [
        _section(f"{header}\n{weeks}" if weeks else header, DigestBlock.HEADER),
        _section(_headline(digest, _), DigestBlock.HEADLINE),
        DividerBlock(),
        *_sections(DigestBlock.ATTENTION, _("*Needs attention*"), _attention_lines(digest, _)),
        DividerBlock(),
        *_people_blocks(digest, _),
    ]
    if digest.groups or digest.small_groups:
        blocks += [DividerBlock(), *_group_blocks(digest, _)]
    if digest.highlights:
        blocks += [DividerBlock(), *_highlight_blocks(digest.highlights, _)]
    blocks.append(_context(_chart_legend(_), DigestBlock.CHART))
    return Message(_fallback_text(digest, _), blocks)


def _fallback_text(digest: Digest, _: Translate) -> str:
    team = _shown(digest.title, NAME_SHOWN) if digest.title else _("the whole program")
    needing = len({a.user_id for a in digest.attention})
    if needing == 0:
        attention = _("nobody needs attention")
    elif needing == 1:
        attention = _("1 person needs attention")
    else:
        attention = _("{count} people need attention").format(count=needing)
    now = digest.this_week
    rate = now.response_rate if now else None
    if rate is None:
        return _(
            "Progress digest for {team}: no check-ins were due this week; {attention}."
        ).format(team=team, attention=attention)
    return _(
        "Progress digest for {team}: {rate}% of check-ins answered this week; {attention}."
    ).format(team=team, rate=rate, attention=attention)


def _headline(digest: Digest, _: Translate) -> str:
    now = digest.this_week
    if now is None or now.response_rate is None:
        checkins = _("*Check-ins this week:* none were due")
    else:
        checkins = _("*Check-ins this week:* {rate}% answered ({answered} of {expected})").format(
            rate=now.response_rate, answered=now.answered, expected=now.expected
        )
        change = _change_text(digest.response_change, _)
        if change:
            checkins += f" · {change}"
    counts = [
        f"{status_text(status, _)}: {digest.goal_counts.get(status, 0)}" for status in COUNTED
    ]
    goals = (
        " · ".join(counts)
        if any(digest.goal_counts.get(status, 0) for status in COUNTED)
        else _("none yet")
    )
    lines = [
        checkins,
        _("*People:* {people} · *Active matches:* {matches}").format(
            people=digest.people, matches=digest.active_matches
        ),
        _("*Shared goals:* {counts}").format(counts=goals),
    ]
    if digest.average_confidence is not None:
        lines.append(
            _("*Average confidence:* {value}/5").format(value=f"{digest.average_confidence:.1f}")
        )
    return "\n".join(lines)


def _change_text(change: int | None, _: Translate) -> str:
    if change is None:
        return ""
    if change == 0:
        return _("no change from last week")
    points = abs(change)
    if change > 0:
        text = (
            _("▲ 1 point from last week") if points == 1 else _("▲ {points} points from last week")
        )
    else:
        text = (
            _("▼ 1 point from last week") if points == 1 else _("▼ {points} points from last week")
        )
    return text.format(points=points)


# Needs attention


def _attention_lines(digest: Digest, _: Translate) -> list[str]:
    if not digest.attention:
        return [_("Nobody needs attention this week.")]
    lines = [_attention_line(a, _) for a in digest.attention[:ATTENTION_SHOWN]]
    hidden = len(digest.attention) - ATTENTION_SHOWN
    if hidden > 0:
        lines.append(_("…and {count} more.").format(count=hidden))
    return lines


def _attention_line(attention: Attention, _: Translate) -> str:
    person = mention(attention.user_id)
    detail = escape(attention.detail)
    reason = attention.reason
    if reason is AttentionReason.MISSED_CHECKINS:
        text = _("{person} missed {count} check-ins in a row").format(person=person, count=detail)
    elif reason is AttentionReason.BLOCKED_GOAL:
        text = _("{person}: goal {number} is blocked").format(person=person, number=detail)
    elif reason is AttentionReason.CONFIDENCE_DROPPING:
        before, arrow, after = attention.detail.partition("→")
        if arrow and before.strip() and after.strip():
            text = _("{person}: confidence dropped from {before} to {after}").format(
                person=person, before=escape(before.strip()), after=escape(after.strip())
            )
        else:
            text = _("{person}: confidence is dropping ({detail})").format(
                person=person, detail=detail
            )
    elif reason is AttentionReason.WAITING_FOR_MATCH:
        text = _("{person} has been waiting for a match for {days} days").format(
            person=person, days=detail
        )
    else:
        text = _("{person} has been waiting {days} days for a mentor's answer").format(
            person=person, days=detail
        )
    return f"• {ATTENTION_ICONS[reason]} {text}"


# People


def _people_blocks(digest: Digest, _: Translate) -> list[Block]:
    heading = _("*People*")
    if not digest.per_person:
        nobody = _("Nobody is in this digest yet.")
        return [_section(f"{heading}\n{nobody}", DigestBlock.PEOPLE)]
    lines = [_person_line(p, _) for p in digest.per_person[:PEOPLE_SHOWN]]
    hidden = len(digest.per_person) - PEOPLE_SHOWN
    if hidden > 0:
        lines.append(
            _("…and {count} more; add `csv` to `/mentor digest` for everyone.").format(count=hidden)
        )
    return [
        *_sections(DigestBlock.PEOPLE, heading, lines),
        _context(
            _(
                "🔥 weeks answered in a row · this week's check-in · average progress of their "
                "shared goals · their most worrying goal"
            ),
            DigestBlock.PEOPLE_LEGEND,
        ),
    ]


def _person_line(person: PersonLine, _: Translate) -> str:
    parts = [mention(person.user_id)]
    streak = person.answered_streak
    if streak:
        parts.append(
            (_("🔥 1 week") if streak == 1 else _("🔥 {weeks} weeks")).format(weeks=streak)
        )
    if person.this_week is None:
        parts.append(NO_CHECKIN_ICON + " " + _("no check-in"))
    else:
        parts.append(f"{STATE_ICONS[person.this_week]} {_(STATE_LABELS[person.this_week])}")
    if person.goals:
        if person.goal_progress is not None:
            parts.append(progress_bar(person.goal_progress))
        if person.worst_status is not None:
            parts.append(status_text(person.worst_status, _))
    else:
        parts.append(_("no shared goals"))
    if person.confidence:
        parts.append(_("confidence {confidence}/5").format(confidence=person.confidence))
    return "• " + " · ".join(parts)


# Teams (the whole-program digest)


def _group_blocks(digest: Digest, _: Translate) -> list[Block]:
    blocks: list[Block] = []
    if digest.groups:
        lines = [_group_line(g, _) for g in digest.groups[:GROUPS_SHOWN]]
        hidden = len(digest.groups) - GROUPS_SHOWN
        if hidden > 0:
            lines.append(_("…and {count} more.").format(count=hidden))
        blocks += _sections(DigestBlock.GROUPS, _("*Teams*"), lines)
    small = digest.small_groups
    if small:
        note = (
            _("1 team with fewer than {min} people is not shown separately.")
            if small == 1
            else _("{count} teams with fewer than {min} people are not shown separately.")
        )
        blocks.append(_context(note.format(count=small, min=MIN_GROUP), DigestBlock.SMALL_GROUPS))
    return blocks


def _group_line(group: GroupLine, _: Translate) -> str:
    rate = f"{group.response_rate}%" if group.response_rate is not None else _("none due")
    blocked = f"{STATUS_ICONS[GoalStatus.BLOCKED]} {group.blocked}" if group.blocked else "0"
    return _(
        "• *{name}* · people: {people} · check-ins answered: {rate} · blocked goals: {blocked}"
    ).format(
        name=_shown(group.name, NAME_SHOWN),
        people=group.people,
        rate=rate,
        blocked=blocked,
    )


# Shared with you


def _highlight_blocks(highlights: Sequence[Highlight], _: Translate) -> list[Block]:
    lines = [
        f"{mention(h.user_id)} · {escape(h.week)}\n> {_shown(h.text, HIGHLIGHT_CHARS)}"
        for h in highlights[:HIGHLIGHTS_SHOWN]
    ]
    hidden = len(highlights) - HIGHLIGHTS_SHOWN
    if hidden > 0:
        lines.append(_("…and {count} more.").format(count=hidden))
    return [
        *_sections(DigestBlock.HIGHLIGHTS, _("*Shared with you*"), lines),
        _context(
            _(
                "Only the words their authors chose to share with their team lead; everything "
                "else in a check-in stays private."
            ),
            DigestBlock.HIGHLIGHTS_NOTE,
        ),
    ]


# The chart's caption


def build_trend_caption(digest: Digest, _: Translate) -> str:
    """The comment (and alt text) of the trend chart: what it covers and which line is which."""
    title = _("📈 Trend: {team}").format(team=_team(digest, _))
    weeks = _weeks_text(digest, _)
    if weeks:
        title += f" · {weeks}"
    return f"{title}\n{_chart_legend(_)}"
