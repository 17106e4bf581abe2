"""How goals look in Slack: `/mentor goal list` (the owner's, a mentor's and a lead's view), the
goal form with its templates, the milestone and comment forms, the history, the due-date
reminder and comment DMs, and each goal's one-tap status row in the weekly check-in."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.goal_templates import TEMPLATES, TEMPLATES_BY_KEY
from bot.domain.goals import (
    ACTIVE,
    MAX_COMMENT,
    MAX_TITLE,
    MAX_WHY,
    Goal,
    GoalEvent,
    GoalEventKind,
    GoalListing,
    GoalStatus,
    GoalStatusLine,
    GoalView,
    ViewerRole,
    Visibility,
    milestone_line,
)
from bot.domain.i18n_markers import N_
from bot.domain.text import clip
from bot.i18n import Translate
from handlers.blocks.message import Message
from handlers.blocks.mrkdwn import SECTION_TEXT, escape, local_datetime, mention
from handlers.ids import GoalAction, GoalBlock, GoalModal

STATUS_LABELS = {
    GoalStatus.ON_TRACK: N_("On track"),
    GoalStatus.AT_RISK: N_("At risk"),
    GoalStatus.BLOCKED: N_("Blocked"),
    GoalStatus.DONE: N_("Done"),
    GoalStatus.ARCHIVED: N_("Archived"),
}
STATUS_ICONS = {
    GoalStatus.ON_TRACK: "🟢",
    GoalStatus.AT_RISK: "🟡",
    GoalStatus.BLOCKED: "🔴",
    GoalStatus.DONE: "✅",
    GoalStatus.ARCHIVED: "🗄️",
}
VISIBILITY_LABELS = {
    Visibility.MENTOR: N_("Me and my mentor"),
    Visibility.PRIVATE: N_("Only me"),
}
CHECKIN_TAPS = (*ACTIVE, GoalStatus.DONE)
"""The statuses the weekly check-in offers for each goal."""
OPTION_TEXT = 75
"""Slack's limit for an option's text."""
WHY_SHOWN = 300
"""Characters (escaped, as in every `*_SHOWN` here) of a goal's reason shown in a list."""
FINISHED_SHOWN = 15
"""Done (or archived) goals named in a list; at 60 characters each they fit one section."""
FINISHED_TITLE_SHOWN = 60
COMMENT_SHOWN = 300
MILESTONE_SHOWN = 150
"""Of each milestone's title: the most milestones with a title, a reason and a summary still
fit one section, however much the text grows when escaped (`&` is `&amp;`)."""
EVENT_TEXT_SHOWN = 200
"""Of what a history line quotes (a comment, a milestone, an old and a new title)."""
HISTORY_SHOWN = 40
"""The latest events a history lists at most; fewer when their lines do not fit one section."""
MILESTONE_LINES_MAX = 3000


def _section(text: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(block_id=block_id, text=MarkdownTextObject(text=text))


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def progress_bar(percent: int) -> str:
    """Ten cells, one per full 10%: a bar is full only at 100%."""
    filled = max(0, min(100, percent)) // 10
    return "▰" * filled + "▱" * (10 - filled) + f" {percent}%"


def status_text(status: GoalStatus, _: Translate) -> str:
    return f"{STATUS_ICONS[status]} {_(STATUS_LABELS[status])}"


def _due_text(due: date | None, overdue: bool, _: Translate) -> list[str]:
    if due is None:
        return []
    parts = [_("due {date}").format(date=due.isoformat())]
    if overdue:
        parts.append("⚠️ " + _("overdue"))
    return parts


def goal_summary(goal: Goal, today: date, _: Translate) -> str:
    """`🟢 On track · ▰▰▰▱▱ 60% · due 2026-12-31`."""
    parts = [status_text(goal.status, _), progress_bar(goal.progress)]
    if goal.progress_is_manual:
        parts[-1] += " " + _("(set by hand)")
    parts += _due_text(goal.due, goal.is_overdue(today), _)
    return " · ".join(parts)


def goal_title(goal: Goal) -> str:
    return f"*{goal.number}. {escape(goal.title)}*"


# `/mentor goal list`


def build_goal_list(listing: GoalListing, _: Translate) -> Message:
    if listing.viewer is ViewerRole.LEAD:
        return _lead_list(listing, _)
    mine = listing.viewer is ViewerRole.OWNER
    views = listing.goals
    if mine:
        header = _("*Your goals*")
        text = _("Your goals: {active} in progress, {done} done.")
    else:
        header = _("*Goals {person} shares with you*").format(person=mention(listing.owner_id))
        text = _("{person}'s goals: {active} in progress, {done} done.")
    active = [v for v in views if v.goal.is_active]
    done = [v.goal for v in views if v.goal.status is GoalStatus.DONE]
    archived = [v.goal for v in views if v.goal.status is GoalStatus.ARCHIVED]
    text = text.format(person=mention(listing.owner_id), active=len(active), done=len(done))
    blocks: list[Block] = [_section(header, GoalBlock.LIST_HEADER)]
    if not views:
        empty = (
            _(
                "No goals yet. `/mentor goal add` opens a form with ready-made plans, or type "
                "`/mentor goal add Ship a RAG demo due 2026-12-31`."
            )
            if mine
            else _("{person} has no goals shared with you yet.").format(
                person=mention(listing.owner_id)
            )
        )
        return Message(empty, [*blocks, _section(empty, GoalBlock.NOTICE)])
    for view in active:
        blocks += _goal_blocks(view, listing.today, mine, _)
    finished = (
        (_("Done"), done, GoalBlock.DONE_GOALS),
        (_("Archived"), archived, GoalBlock.ARCHIVED_GOALS),
    )
    for label, goals, block in finished:
        if goals:
            blocks.append(_section(_finished_line(label, goals, _), block))
    if mine:
        blocks.append(
            _context(
                _(
                    "`/mentor goal progress <n> <0-100>` · `/mentor goal status <n> at-risk` · "
                    "`/mentor goal history <n>` · `/mentor goal list all` shows archived goals"
                )
            )
        )
    return Message(text, blocks)


def _finished_line(label: str, goals: Sequence[Goal], _: Translate) -> str:
    """The latest done (or archived) goals on one line; older ones are counted, not listed."""
    shown = goals[-FINISHED_SHOWN:]
    names = [
        f"{STATUS_ICONS[g.status]} {g.number}. {escape(g.title, FINISHED_TITLE_SHOWN)}"
        for g in shown
    ]
    line = f"*{label}:* " + " · ".join(names)
    if len(goals) > len(shown):
        line += " " + _("(and {count} earlier)").format(count=len(goals) - len(shown))
    return line


def _goal_blocks(view: GoalView, today: date, mine: bool, _: Translate) -> list[Block]:
    goal = view.goal
    lines = [goal_title(goal), goal_summary(goal, today, _)]
    if goal.why:
        lines.append("_" + escape(goal.why, WHY_SHOWN) + "_")
    if goal.visibility is Visibility.PRIVATE:
        lines.append("🔒 " + _("Only you can see this goal."))
    if not mine:
        lines += [_milestone_text(m.title, m.due, m.done) for m in goal.milestones]
    blocks: list[Block] = [_section("\n".join(lines), f"{GoalBlock.GOAL_PREFIX}{goal.id}")]
    if view.comments:
        blocks.append(_context("\n".join(_comment_line(c) for c in view.comments)))
    blocks.append(_owner_actions(goal, _) if mine else _mentor_actions(goal, _))
    return blocks


def _milestone_text(title: str, due: date | None, done: bool) -> str:
    line = ("☑ " if done else "☐ ") + escape(title, MILESTONE_SHOWN)
    return line + (f" ({due.isoformat()})" if due else "")


def _comment_line(comment: GoalEvent) -> str:
    return f"💬 {mention(comment.actor)}: {escape(comment.note or '', COMMENT_SHOWN)}"


def _owner_actions(goal: Goal, _: Translate) -> ActionsBlock:
    value = str(goal.id)
    elements: list[Any] = []
    if goal.milestones:
        options = [_milestone_option(m.title, m.due, str(m.id), _) for m in goal.milestones]
        done = [o for o, m in zip(options, goal.milestones, strict=True) if m.done]
        elements.append(
            CheckboxesElement(
                action_id=GoalAction.MILESTONES, options=options, initial_options=done or None
            )
        )
    elements += [
        ButtonElement(text=_("Update"), action_id=GoalAction.UPDATE, value=value),
        ButtonElement(text=_("Add milestone"), action_id=GoalAction.ADD_MILESTONE, value=value),
        ButtonElement(text=_("Done"), action_id=GoalAction.DONE, value=value, style="primary"),
        ButtonElement(text=_("Archive"), action_id=GoalAction.ARCHIVE, value=value),
    ]
    return ActionsBlock(block_id=f"{GoalBlock.ACTIONS_PREFIX}{goal.id}", elements=elements)


def _milestone_option(title: str, due: date | None, value: str, _: Translate) -> Option:
    description = _("due {date}").format(date=due.isoformat()) if due else None
    return Option(value=value, text=clip(title, OPTION_TEXT), description=description)


def _mentor_actions(goal: Goal, _: Translate) -> ActionsBlock:
    return ActionsBlock(
        block_id=f"{GoalBlock.ACTIONS_PREFIX}{goal.id}",
        elements=[
            ButtonElement(text=_("Comment"), action_id=GoalAction.COMMENT, value=str(goal.id))
        ],
    )


def _lead_list(listing: GoalListing, _: Translate) -> Message:
    person = mention(listing.owner_id)
    text = _("{person}'s goals: status and progress only.").format(person=person)
    if not listing.status_lines:
        empty = _("{person} has no shared goals.").format(person=person)
        return Message(empty, [_section(empty, GoalBlock.NOTICE)])
    lines = [_lead_line(line, _) for line in listing.status_lines]
    return Message(
        text,
        [
            _section(f"*{text}*", GoalBlock.LIST_HEADER),
            _section("\n".join(lines)),
            _context(_("What each goal says stays between its owner and their mentor.")),
        ],
    )


def _lead_line(line: GoalStatusLine, _: Translate) -> str:
    parts = [
        _("Goal {number}").format(number=line.number),
        status_text(line.status, _),
        progress_bar(line.progress),
        *_due_text(line.due, line.overdue, _),
    ]
    return "• " + " · ".join(parts)


# Answers to commands and buttons


def build_goal_added(goal: Goal, _: Translate) -> str:
    text = _("Added goal {number}: {title}.").format(number=goal.number, title=escape(goal.title))
    if goal.due:
        text += " " + _("Due {date}; I will remind you a week before.").format(
            date=goal.due.isoformat()
        )
    return (
        text
        + " "
        + _(
            "Add steps with `/mentor goal milestone {number} <step>`, or see it in "
            "`/mentor goal list`."
        ).format(number=goal.number)
    )


def build_goal_changed(goal: Goal, today: date, _: Translate) -> str:
    return f"{goal_title(goal)}\n{goal_summary(goal, today, _)}"


EVENT_LABELS = {
    GoalEventKind.CREATED: N_("created the goal"),
    GoalEventKind.EDITED: N_("changed the {field}"),
    GoalEventKind.STATUS: N_("set the status"),
    GoalEventKind.PROGRESS: N_("set the progress"),
    GoalEventKind.MILESTONE_ADDED: N_("added a milestone"),
    GoalEventKind.MILESTONE_REMOVED: N_("removed a milestone"),
    GoalEventKind.MILESTONE_DONE: N_("completed a milestone"),
    GoalEventKind.MILESTONE_UNDONE: N_("reopened a milestone"),
    GoalEventKind.COMMENT: N_("commented"),
}
FIELD_LABELS = {
    "title": N_("title"),
    "why": N_("reason"),
    "due": N_("due date"),
    "visibility": N_("visibility"),
}


def build_goal_history(goal: Goal, events: Sequence[GoalEvent], _: Translate) -> Message:
    text = _("History of goal {number}: {title}").format(
        number=goal.number, title=escape(goal.title)
    )
    lines = [_event_line(event, _) for event in events[-HISTORY_SHOWN:]]
    return Message(
        text, [_section(f"*{text}*", GoalBlock.HISTORY), _section(_latest(lines, len(events), _))]
    )


def _latest(lines: Sequence[str], total: int, _: Translate) -> str:
    """The newest of `lines` (oldest first, the last of `total` events) that fit one section,
    whole, after a line counting the older events left out."""
    kept: list[str] = []
    size = 0
    for line in reversed(lines):
        left_out = total - len(kept) - 1
        note = len(_left_out(left_out, _)) + 1 if left_out else 0
        if size + len(line) + note > SECTION_TEXT:
            break
        kept.append(line)
        size += len(line) + 1  # and its newline
    left_out = total - len(kept)
    kept.reverse()
    return "\n".join([_left_out(left_out, _), *kept] if left_out else kept)


def _left_out(count: int, _: Translate) -> str:
    if count == 1:
        return "_" + _("1 earlier event is not shown.") + "_"
    return "_" + _("{count} earlier events are not shown.").format(count=count) + "_"


def _event_line(event: GoalEvent, _: Translate) -> str:
    field = FIELD_LABELS.get(event.note or "") if event.kind is GoalEventKind.EDITED else None
    what = _(EVENT_LABELS[event.kind]).format(field=_(field) if field else "")
    line = f"• {local_datetime(event.at)} {mention(event.actor)} {what}"
    if event.kind is GoalEventKind.STATUS:
        old, new = (
            _(STATUS_LABELS[GoalStatus(v)]) if v in _STATUS_VALUES else "-"
            for v in (event.old, event.new)
        )
        return f"{line}: {old} → {new}"
    if event.kind is GoalEventKind.PROGRESS:
        old, new = (f"{v}%" if v else _("auto") for v in (event.old, event.new))
        return f"{line}: {old} → {new}"
    if event.kind is GoalEventKind.COMMENT:
        return f"{line}: “{escape(event.note or '', EVENT_TEXT_SHOWN)}”"
    if event.kind is GoalEventKind.EDITED and event.note in ("title", "due"):
        old, new = (escape(v or "-", EVENT_TEXT_SHOWN) for v in (event.old, event.new))
        return f"{line}: {old} → {new}"
    if event.kind is GoalEventKind.CREATED or event.kind.value.startswith("milestone"):
        return f"{line}: {escape(event.new or event.old or '', EVENT_TEXT_SHOWN)}"
    return line


_STATUS_VALUES = {status.value for status in GoalStatus}


# The goal form


@dataclass(frozen=True)
class GoalForm:
    """What the form shows: empty for a new goal, a goal's fields for an update, or what was
    typed so far merged with a template."""

    title: str = ""
    why: str = ""
    due: str = ""
    milestones: str = ""
    visibility: Visibility = Visibility.MENTOR
    goal: Goal | None = None
    """Set when updating: the form then also has status and progress."""
    template: str | None = None
    variant: int = 0
    """Changes when a template is picked, so Slack shows the new initial values."""
    metadata: Mapping[str, Any] = field(default_factory=dict)
    """Kept in the view: where to show the result (a list's response_url)."""


def form_for_goal(goal: Goal, metadata: Mapping[str, Any]) -> GoalForm:
    return GoalForm(
        title=goal.title,
        why=goal.why,
        due=goal.due.isoformat() if goal.due else "",
        milestones="\n".join(milestone_line(m) for m in goal.milestones),
        visibility=goal.visibility,
        goal=goal,
        metadata=metadata,
    )


def form_with_template(
    typed: Mapping[str, str], key: str, metadata: Mapping[str, Any], _: Translate
) -> GoalForm:
    """A template picked in the form: it fills what is still empty and adds its milestones
    after any already typed, so nothing typed is lost. The form's variant moves on, so Slack
    shows the new values rather than keeping the old inputs' state."""
    template = TEMPLATES_BY_KEY[key]
    kept = {k: v for k, v in metadata.items() if k not in ("variant", "template")}
    typed_lines = [line for line in (typed.get("milestones") or "").splitlines() if line.strip()]
    suggested = [_(m) for m in template.milestones if _(m) not in typed_lines]
    return GoalForm(
        title=typed.get("title") or _(template.title),
        why=typed.get("why") or _(template.why),
        due=typed.get("due") or "",
        milestones="\n".join([*typed_lines, *suggested]),
        visibility=Visibility(typed.get("visibility") or Visibility.MENTOR.value),
        template=key,
        variant=int(metadata.get("variant") or 0) + 1,
        metadata=kept,
    )


def block_id(name: GoalBlock, variant: int) -> str:
    return name.value if not variant else f"{name.value}~{variant}"


def build_goal_form(form: GoalForm, _: Translate) -> View:
    goal = form.goal
    blocks: list[Block] = []
    if goal is None:
        options = [Option(value=t.key, text=clip(_(t.title), OPTION_TEXT)) for t in TEMPLATES]
        blocks.append(
            ActionsBlock(
                block_id=GoalBlock.TEMPLATE,
                elements=[
                    StaticSelectElement(
                        action_id=GoalAction.TEMPLATE,
                        placeholder=_("Start from a ready-made plan"),
                        options=options,
                        initial_option=next((o for o in options if o.value == form.template), None),
                    )
                ],
            )
        )
    v = form.variant
    blocks += [
        InputBlock(
            block_id=block_id(GoalBlock.TITLE, v),
            label=_("Goal"),
            element=PlainTextInputElement(
                action_id=GoalAction.TITLE,
                max_length=MAX_TITLE,
                initial_value=form.title or None,
                placeholder=_("e.g. Ship a RAG demo"),
            ),
        ),
        InputBlock(
            block_id=block_id(GoalBlock.WHY, v),
            label=_("Why it matters"),
            optional=True,
            element=PlainTextInputElement(
                action_id=GoalAction.WHY,
                multiline=True,
                max_length=MAX_WHY,
                initial_value=form.why or None,
            ),
        ),
        InputBlock(
            block_id=block_id(GoalBlock.DUE, v),
            label=_("Due date"),
            optional=True,
            element=PlainTextInputElement(
                action_id=GoalAction.DUE,
                initial_value=form.due or None,
                placeholder=_("2026-12-31, 12/31 or in 6 weeks"),
            ),
        ),
        InputBlock(
            block_id=block_id(GoalBlock.MILESTONES, v),
            label=_("Milestones"),
            optional=True,
            element=PlainTextInputElement(
                action_id=GoalAction.MILESTONE_LINES,
                multiline=True,
                max_length=MILESTONE_LINES_MAX,
                initial_value=form.milestones or None,
            ),
            hint=_(
                "One per line, up to 10. End a line with “due 12/31” to give it a date; a line "
                "starting with ✓ is done."
            ),
        ),
    ]
    if goal is not None:
        blocks += _status_inputs(goal, _)
    visibility_options = [
        Option(value=value.value, text=_(label)) for value, label in VISIBILITY_LABELS.items()
    ]
    blocks.append(
        InputBlock(
            block_id=block_id(GoalBlock.VISIBILITY, v),
            label=_("Who can see it"),
            element=RadioButtonsElement(
                action_id=GoalAction.VISIBILITY,
                options=visibility_options,
                initial_option=next(
                    o for o in visibility_options if o.value == form.visibility.value
                ),
            ),
            hint=_("Team leads only ever see a goal's status and progress, never its words."),
        )
    )
    metadata = {**form.metadata, "variant": v, "template": form.template}
    if goal is not None:
        metadata["goal_id"] = goal.id
    return View(
        type="modal",
        callback_id=GoalModal.FORM,
        private_metadata=json.dumps(metadata),
        title=_("New goal") if goal is None else _("Update goal"),
        submit=_("Save"),
        close=_("Cancel"),
        blocks=blocks,
    )


def _status_inputs(goal: Goal, _: Translate) -> list[Block]:
    status_options = [
        Option(value=status.value, text=status_text(status, _)) for status in GoalStatus
    ]
    return [
        InputBlock(
            block_id=GoalBlock.STATUS,
            label=_("Status"),
            element=StaticSelectElement(
                action_id=GoalAction.STATUS,
                options=status_options,
                initial_option=next(o for o in status_options if o.value == goal.status.value),
            ),
        ),
        InputBlock(
            block_id=GoalBlock.PROGRESS,
            label=_("Progress (%)"),
            optional=True,
            element=PlainTextInputElement(
                action_id=GoalAction.PROGRESS,
                initial_value=str(goal.manual_progress)
                if goal.manual_progress is not None
                else None,
                placeholder=_("auto"),
            ),
            hint=_("Leave empty to follow the milestones."),
        ),
    ]


FORM_FIELDS = {
    GoalBlock.TITLE: GoalAction.TITLE,
    GoalBlock.WHY: GoalAction.WHY,
    GoalBlock.DUE: GoalAction.DUE,
    GoalBlock.MILESTONES: GoalAction.MILESTONE_LINES,
    GoalBlock.VISIBILITY: GoalAction.VISIBILITY,
    GoalBlock.STATUS: GoalAction.STATUS,
    GoalBlock.PROGRESS: GoalAction.PROGRESS,
}


def goal_fields_from_state(values: Mapping[str, Any]) -> dict[str, str]:
    """The form's fields by name (title, why, due, milestones, visibility, status, progress),
    whatever variant of the form was submitted."""
    found: dict[str, str] = {}
    for key, actions in values.items():
        name = key.split("~", 1)[0]
        if name not in FORM_FIELDS:
            continue
        state = (actions or {}).get(FORM_FIELDS[GoalBlock(name)]) or {}
        selected = state.get("selected_option") or {}
        found[name] = state.get("value") or selected.get("value") or ""
    return found


# Milestone and comment forms


def build_milestone_form(goal: Goal, metadata: Mapping[str, Any], _: Translate) -> View:
    return View(
        type="modal",
        callback_id=GoalModal.MILESTONE,
        private_metadata=json.dumps({**metadata, "goal_id": goal.id}),
        title=_("Add a milestone"),
        submit=_("Add"),
        close=_("Cancel"),
        blocks=[
            _context(goal_title(goal)),
            InputBlock(
                block_id=GoalBlock.MILESTONE,
                label=_("Milestone"),
                element=PlainTextInputElement(action_id=GoalAction.MILESTONE, max_length=MAX_TITLE),
            ),
            InputBlock(
                block_id=GoalBlock.MILESTONE_DUE,
                label=_("Due date"),
                optional=True,
                element=PlainTextInputElement(
                    action_id=GoalAction.MILESTONE_DUE,
                    placeholder=_("2026-12-31, 12/31 or in 6 weeks"),
                ),
            ),
        ],
    )


def build_comment_form(goal: Goal, metadata: Mapping[str, Any], _: Translate) -> View:
    return View(
        type="modal",
        callback_id=GoalModal.COMMENT,
        private_metadata=json.dumps({**metadata, "goal_id": goal.id}),
        title=_("Comment on a goal"),
        submit=_("Send"),
        close=_("Cancel"),
        blocks=[
            _section(f"{mention(goal.user_id)}: {goal_title(goal)}"),
            InputBlock(
                block_id=GoalBlock.COMMENT,
                label=_("Your comment"),
                element=PlainTextInputElement(
                    action_id=GoalAction.COMMENT_TEXT, multiline=True, max_length=MAX_COMMENT
                ),
                hint=_("They get it as a direct message."),
            ),
        ],
    )


def text_from_state(values: Mapping[str, Any], block: GoalBlock, action: GoalAction) -> str:
    return ((values.get(block) or {}).get(action) or {}).get("value") or ""


# Deliveries


def build_due_soon(payload: dict[str, Any], _: Translate) -> Message:
    days = int(payload.get("days_left") or 7)
    if days == 7:
        sentence = _("Goal {number}, “{title}”, is due in a week ({date}).")
    elif days == 1:
        sentence = _("Goal {number}, “{title}”, is due tomorrow ({date}).")
    else:
        sentence = _("Goal {number}, “{title}”, is due in {days} days ({date}).")
    text = sentence.format(
        number=payload["number"], title=escape(payload["title"]), date=payload["due"], days=days
    )
    lines = [f"*{text}*", progress_bar(int(payload.get("progress") or 0))]
    left = payload.get("milestones_open") or []
    if left:
        lines.append(_("Still open:"))
        lines += [f"☐ {escape(title, MILESTONE_SHOWN)}" for title in left]
    blocks: list[Block] = [
        _section("\n".join(lines), f"{GoalBlock.GOAL_PREFIX}{payload['goal_id']}"),
        _context(
            _(
                "Done already? `/mentor goal done {number}`. Need more time? Change the date "
                "with `/mentor goal edit {number}`."
            ).format(number=payload["number"])
        ),
    ]
    return Message(text, blocks)


def build_comment_notice(payload: dict[str, Any], _: Translate) -> Message:
    text = _("{author} commented on goal {number}, “{title}”.").format(
        author=mention(payload["author_id"]),
        number=payload["number"],
        title=escape(payload["title"]),
    )
    comment = escape(payload.get("comment") or "", SECTION_TEXT - len("> "))
    return Message(
        text,
        [
            _section(text, f"{GoalBlock.GOAL_PREFIX}{payload['goal_id']}"),
            _section(f"> {comment}"),
            _context(_("`/mentor goal list` shows your goals and comments.")),
        ],
    )


# In the weekly check-in


def build_checkin_goals(
    goals: Sequence[Mapping[str, Any]], checkin_id: int, _: Translate
) -> list[Block]:
    """A title, then one row of status buttons per active goal: one tap updates the goal."""
    if not goals:
        return []
    blocks: list[Block] = [
        _section(_("*Your goals*: one tap tells me where each stands."), GoalBlock.CHECKIN_GOALS)
    ]
    for goal in goals:
        blocks += build_checkin_goal(goal, checkin_id, _)
    return blocks


def build_checkin_goal(
    goal: Mapping[str, Any], checkin_id: int, _: Translate, *, tapped: bool = False
) -> list[Block]:
    status = GoalStatus(goal["status"])
    line = "{title}\n{status} · {bar}".format(
        title=f"*{goal['number']}. {escape(goal['title'])}*",
        status=status_text(status, _),
        bar=progress_bar(int(goal.get("progress") or 0)),
    )
    if tapped:
        line += " · " + _("saved")
    return [
        _section(line, f"{GoalBlock.GOAL_PREFIX}{goal['goal_id']}"),
        ActionsBlock(
            block_id=f"{GoalBlock.ACTIONS_PREFIX}{goal['goal_id']}",
            elements=[
                ButtonElement(
                    text=_(STATUS_LABELS[choice]),
                    action_id=f"{GoalAction.TAP_PREFIX}{choice.value}",
                    value=f"{checkin_id}:{goal['goal_id']}",
                    style="primary" if choice is status else None,
                )
                for choice in CHECKIN_TAPS
            ],
        ),
    ]


def replace_goal_blocks(
    blocks: Sequence[Mapping[str, Any]], goal_id: int, new: Sequence[Block]
) -> list[dict[str, Any]]:
    """A message's blocks with one goal's line and buttons swapped for `new`."""
    ours = {f"{GoalBlock.GOAL_PREFIX}{goal_id}", f"{GoalBlock.ACTIONS_PREFIX}{goal_id}"}
    out: list[dict[str, Any]] = []
    inserted = False
    for block in blocks:
        if block.get("block_id") in ours:
            if not inserted:
                out += [b.to_dict() for b in new]
                inserted = True
            continue
        out.append(dict(block))
    return out
