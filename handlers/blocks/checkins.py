"""How weekly check-ins look in Slack: the prompt and reminder DMs, what mentors and admins are
told, the form, the answered prompt, and `/mentor checkin history`."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.checkins import (
    MAX_TEXT,
    Checkin,
    CheckinAnswer,
    CheckinRole,
    CheckinState,
    SkipReason,
)
from bot.domain.i18n_markers import N_
from bot.i18n import Translate
from handlers.blocks import goals
from handlers.blocks.message import Message
from handlers.blocks.mrkdwn import escape, local_datetime, mention
from handlers.ids import CheckinAction, CheckinBlock, CheckinShare, CheckinView

SNIPPET = 80
"""Characters of an answer shown in `/mentor checkin history` (on one line, escaped)."""
SHOWN_BACK = 700
"""Characters of each answer shown back in a message, escaped: escaping makes text longer
(`&` is `&amp;`), so the budget is counted after it and four answers fit one section."""
CONFIDENCE_LEVELS = (1, 2, 3, 4, 5)

STATE_LABELS = {
    CheckinState.PENDING: N_("open"),
    CheckinState.ANSWERED: N_("answered"),
    CheckinState.MISSED: N_("missed"),
    CheckinState.SKIPPED: N_("skipped"),
}
SKIP_REASON_LABELS = {
    SkipReason.PAUSED: N_("paused"),
    SkipReason.SKIPPED_BY_PERSON: N_("you skipped it"),
    SkipReason.DEACTIVATED: N_("account deactivated"),
    SkipReason.NOT_MATCHED: N_("no mentee yet"),
    SkipReason.OPTED_OUT: N_("opted out"),
}


def _section(text: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(block_id=block_id, text=MarkdownTextObject(text=text))


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def _is_mentor(payload: Mapping[str, Any]) -> bool:
    return payload.get("role") == CheckinRole.MENTOR.value


def _week_ends(payload: Mapping[str, Any]) -> str:
    value = payload.get("week_ends_at")
    return local_datetime(datetime.fromisoformat(value)) if value else "-"


def _form_button(payload: Mapping[str, Any], _: Translate) -> ActionsBlock:
    return ActionsBlock(
        block_id=CheckinBlock.ACTIONS,
        elements=[
            ButtonElement(
                text=_("Answer in a form"),
                action_id=CheckinAction.OPEN_FORM,
                value=str(payload["checkin_id"]),
                style="primary",
            )
        ],
    )


def questions(role: str, _: Translate) -> list[str]:
    if role == CheckinRole.MENTOR.value:
        return [_("How are your mentees doing?"), _("Anything you need from the program?")]
    return [
        _("How did this week go?"),
        _("What is blocking you?"),
        _("How confident do you feel about your plan, from 1 to 5?"),
        _("What's next?"),
    ]


# Deliveries: rendered from their stored payload in the recipient's language


def build_prompt(payload: dict[str, Any], _: Translate) -> Message:
    text = _("Your weekly check-in (week {week})").format(week=payload["week"])
    lines = [f"{i}. {q}" for i, q in enumerate(questions(payload.get("role", ""), _), start=1)]
    blocks: list[Block] = [
        HeaderBlock(block_id=CheckinBlock.PROMPT, text=PlainTextObject(text=text)),
        _section("\n".join(lines), CheckinBlock.QUESTIONS),
        _section(_("Just reply here in a message, or use the form.")),
        _form_button(payload, _),
        *goals.build_checkin_goals(payload.get("goals") or [], payload["checkin_id"], _),
        _context(
            _("You can answer or edit it until the week ends: {until}.").format(
                until=_week_ends(payload)
            )
        ),
    ]
    return Message(text, blocks)


def build_reminder(payload: dict[str, Any], _: Translate) -> Message:
    text = _(
        "A gentle reminder: your check-in for {week} is still open. A line or two is plenty."
    ).format(week=payload["week"])
    blocks: list[Block] = [
        _section(text, CheckinBlock.PROMPT),
        _section(_("Just reply here in a message, or use the form.")),
        _form_button(payload, _),
        _context(_("The week ends {until}.").format(until=_week_ends(payload))),
    ]
    return Message(text, blocks)


def build_summary_to_mentor(payload: dict[str, Any], _: Translate) -> Message:
    mentee = mention(payload["user_id"])
    if payload.get("confidence"):
        text = _("{mentee} answered their check-in for {week}: confidence {confidence}/5.").format(
            mentee=mentee, week=payload["week"], confidence=payload["confidence"]
        )
    else:
        text = _("{mentee} answered their check-in for {week}.").format(
            mentee=mentee, week=payload["week"]
        )
    blocks: list[Block] = [_section(text, CheckinBlock.SUMMARY)]
    if payload.get("shared"):
        lines = _answer_lines(
            payload.get("progress") or "",
            payload.get("blockers") or "",
            payload.get("next_steps") or "",
            _,
        )
        if lines:
            blocks.append(_section("\n".join(lines)))
    else:
        blocks.append(
            _section(
                _(
                    "They kept their words private this week; you see only that they answered "
                    "and how confident they feel."
                )
            )
        )
    blocks.append(
        _context(
            _("A short note back goes a long way: reply to {mentee} in a direct message.").format(
                mentee=mentee
            )
        )
    )
    if payload.get("team_id"):
        blocks.append(
            ActionsBlock(
                block_id=CheckinBlock.SUMMARY_ACTIONS,
                elements=[
                    ButtonElement(
                        text=_("Reply to them"),
                        action_id=CheckinAction.REPLY_TO_MENTEE,
                        # Slack's deep link to a direct message with that person.
                        url=f"slack://user?team={payload['team_id']}&id={payload['user_id']}",
                    )
                ],
            )
        )
    return Message(text, blocks)


def build_missed_to_mentor(payload: dict[str, Any], _: Translate) -> Message:
    text = _(
        "{mentee} has missed {streak} check-ins in a row. A short hello from you may help."
    ).format(mentee=mention(payload["user_id"]), streak=payload.get("streak", 0))
    return Message(text, [_section(text)])


def build_missed_to_admins(payload: dict[str, Any], _: Translate) -> Message:
    if payload.get("role") == "mentee":
        line = _(
            "{person} has missed {streak} check-ins in a row (latest: {week}). I have offered "
            "them a pause or a new mentor; a personal hello may help too."
        )
    else:
        line = _(
            "{person} (a mentor) has missed {streak} check-ins in a row (latest: {week}); a "
            "personal hello may help."
        )
    text = line.format(
        person=mention(payload["user_id"]),
        streak=payload.get("streak", 0),
        week=payload["week"],
    )
    return Message(text, [_section(text)])


def build_offer_pause(payload: dict[str, Any], _: Translate) -> Message:
    text = _(
        "No pressure: I noticed the last few check-ins went unanswered. Busy weeks happen. Would "
        "a break help, or a different mentor?"
    )
    blocks: list[Block] = [
        _section(text),
        ActionsBlock(
            block_id=CheckinBlock.OFFER_ACTIONS,
            elements=[
                ButtonElement(
                    text=_("Pause for 4 weeks"),
                    action_id=CheckinAction.PAUSE_FOUR_WEEKS,
                    value=str(payload["checkin_id"]),
                    style="primary",
                ),
                ButtonElement(
                    text=_("Ask for a new mentor"),
                    action_id=CheckinAction.NEW_MENTOR,
                    value=str(payload["checkin_id"]),
                ),
            ],
        ),
        _context(_("Or just answer next week's check-in; nothing else changes.")),
    ]
    return Message(text, blocks)


# The answer, shown back


def _answer_lines(progress: str, blockers: str, next_steps: str, _: Translate) -> list[str]:
    fields = (
        (_("Progress"), progress),
        (_("Blockers"), blockers),
        (_("Next steps"), next_steps),
    )
    return [f"*{label}:* {escape(value.strip(), SHOWN_BACK)}" for label, value in fields if value]


def build_answered(
    checkin: Checkin, _: Translate, goal_rows: Sequence[Mapping[str, Any]] = ()
) -> Message:
    """The prompt DM once answered: what was saved, no stale form button, and - while the
    week runs - the goals' one-tap status rows (`goal_rows`: goal_messages.checkin_entry)."""
    answer = checkin.answer
    text = _("Thank you! Your check-in for {week} is saved.").format(week=checkin.week)
    lines = _answer_lines(answer.progress, answer.blockers, answer.next_steps, _)
    if answer.confidence:
        lines.append("*{k}:* {n}/5".format(k=_("Confidence"), n=answer.confidence))
    blocks: list[Block] = [_section(f"*{text}*", CheckinBlock.ANSWERED)]
    if lines:
        blocks.append(_section("\n".join(lines)))
    blocks.append(_context(_sharing_line(answer, _)))
    blocks += goals.build_checkin_goals(goal_rows, checkin.id, _)
    blocks.append(
        _context(
            _("You can edit it with `/mentor checkin` until the week ends: {until}.").format(
                until=local_datetime(checkin.week_ends_at)
            )
        )
    )
    return Message(text, blocks)


def _sharing_line(answer: CheckinAnswer, _: Translate) -> str:
    if answer.share_with_mentor and answer.share_with_lead:
        return _("Your words are shared with your mentor and your team lead.")
    if answer.share_with_mentor:
        return _("Your words are shared with your mentor only.")
    if answer.share_with_lead:
        return _("Your words are shared with your team lead only.")
    return _("Your words stay private; your mentor sees only that you answered.")


def reply_stored_text(week: str, _: Translate) -> str:
    return _(
        "Saved as your check-in for {week}. You can add more here, or edit with `/mentor "
        "checkin` until the week ends."
    ).format(week=week)


def no_checkin_text(_: Translate) -> str:
    return _(
        "There is no check-in open for you right now, so I have not saved this. `/mentor help` "
        "shows what I can do."
    )


# `/mentor checkin history`


def build_history(checkins: Sequence[Checkin], _: Translate) -> Message:
    if not checkins:
        text = _("No check-ins yet. `/mentor checkin` answers this week's.")
        return Message(text, [_section(text)])
    lines = [_history_line(c, _) for c in checkins]
    text = _("*Your last check-ins* (newest first)")
    return Message(text, [_section(text), _section("\n".join(lines))])


def _history_line(checkin: Checkin, _: Translate) -> str:
    state = _(STATE_LABELS[checkin.state])
    if checkin.skip_reason is not None:
        state += f" ({_(SKIP_REASON_LABELS[checkin.skip_reason])})"
    parts = [f"*{checkin.week}*", state]
    if checkin.answer.confidence:
        parts.append(_("confidence {confidence}/5").format(confidence=checkin.answer.confidence))
    if checkin.answer.progress:
        parts.append(f"_{escape(' '.join(checkin.answer.progress.split()), SNIPPET)}_")
    return "• " + " · ".join(parts)


# The form


def build_form(checkin: Checkin, metadata: Mapping[str, Any], _: Translate) -> View:
    answer = checkin.answer
    is_mentor = checkin.role is CheckinRole.MENTOR
    asked = questions(checkin.role.value, _)
    confidence_options = [Option(value=str(n), text=str(n)) for n in CONFIDENCE_LEVELS]
    share_options = [
        Option(value=CheckinShare.MENTOR, text=_("Share my words with my mentor")),
        Option(value=CheckinShare.LEAD, text=_("Share my words with my team lead")),
    ]
    shared = [
        option
        for option, on in zip(
            share_options, (answer.share_with_mentor, answer.share_with_lead), strict=True
        )
        if on
    ]
    blocks: list[Block] = [
        _text_input(
            CheckinBlock.PROGRESS,
            CheckinAction.PROGRESS,
            asked[0] if is_mentor else _("How did this week go?"),
            answer.progress,
        ),
        _text_input(
            CheckinBlock.BLOCKERS,
            CheckinAction.BLOCKERS,
            asked[1] if is_mentor else _("What is blocking you?"),
            answer.blockers,
        ),
        InputBlock(
            block_id=CheckinBlock.CONFIDENCE,
            label=_("How confident do you feel about your plan? (1 = not at all, 5 = very)"),
            optional=True,
            element=StaticSelectElement(
                action_id=CheckinAction.CONFIDENCE,
                placeholder=_("Pick 1 to 5"),
                options=confidence_options,
                initial_option=(
                    confidence_options[answer.confidence - 1]
                    if answer.confidence in CONFIDENCE_LEVELS
                    else None
                ),
            ),
        ),
        _text_input(
            CheckinBlock.NEXT_STEPS, CheckinAction.NEXT_STEPS, _("What's next?"), answer.next_steps
        ),
        InputBlock(
            block_id=CheckinBlock.SHARING,
            label=_("Who may read your words"),
            optional=True,
            element=CheckboxesElement(
                action_id=CheckinAction.SHARING,
                options=share_options,
                initial_options=shared or None,
            ),
            hint=_("Your team lead always sees only whether you answered and your confidence."),
        ),
    ]
    return View(
        type="modal",
        callback_id=CheckinView.FORM,
        private_metadata=json.dumps(dict(metadata)),
        title=_("Weekly check-in"),
        submit=_("Save"),
        close=_("Cancel"),
        blocks=[_context(_("Week {week}").format(week=checkin.week)), *blocks],
    )


def _text_input(block_id: str, action_id: str, label: str, initial: str) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=True,
        element=PlainTextInputElement(
            action_id=action_id,
            multiline=True,
            max_length=MAX_TEXT,
            initial_value=initial[:MAX_TEXT] or None,
        ),
    )


def answer_fields_from_state(values: Mapping[str, Any]) -> dict[str, Any]:
    """The form's state as keyword arguments for bot.domain.checkins.parse_answer."""

    def text(block: str, action: str) -> str:
        return ((values.get(block) or {}).get(action) or {}).get("value") or ""

    selected = (
        (values.get(CheckinBlock.CONFIDENCE) or {}).get(CheckinAction.CONFIDENCE) or {}
    ).get("selected_option") or {}
    checked = {
        option.get("value")
        for option in (
            (values.get(CheckinBlock.SHARING) or {}).get(CheckinAction.SHARING) or {}
        ).get("selected_options")
        or []
    }
    return {
        "progress": text(CheckinBlock.PROGRESS, CheckinAction.PROGRESS),
        "blockers": text(CheckinBlock.BLOCKERS, CheckinAction.BLOCKERS),
        "confidence": selected.get("value"),
        "next_steps": text(CheckinBlock.NEXT_STEPS, CheckinAction.NEXT_STEPS),
        "share_with_mentor": CheckinShare.MENTOR.value in checked,
        "share_with_lead": CheckinShare.LEAD.value in checked,
    }


FIELD_BLOCKS = {
    "progress": CheckinBlock.PROGRESS,
    "blockers": CheckinBlock.BLOCKERS,
    "confidence": CheckinBlock.CONFIDENCE,
    "next_steps": CheckinBlock.NEXT_STEPS,
}
"""parse_answer's `field` -> the form block its error is shown on."""
