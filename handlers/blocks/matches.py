"""How matching looks in Slack: round previews, requests, notices, introductions, suggestions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.domain.i18n_markers import N_
from bot.domain.matches import Match, MatchEvent, MatchState
from bot.domain.matching.scoring import EXCLUSION_LABELS, REASON_LABELS, Exclusion, Reason
from bot.domain.profiles import BACKGROUNDS, PROGRAM_LANGUAGES, SKILLS, TRACKS
from bot.i18n import Translate
from bot.services.matching import (
    CAPACITY,
    NO_MENTORS,
    MatchOverview,
    RoundPreview,
    Suggestion,
)
from handlers.blocks.message import Message
from handlers.blocks.mrkdwn import escape, local_datetime, mention
from handlers.ids import MatchAction, MatchBlock

PREVIEW_PAIRS = 30
PREVIEW_UNMATCHED = 20
LINES_PER_SECTION = 10
"""A section holds 3,000 characters: ten lines of a preview stay well inside it."""


# Labels


def label(table: Mapping[str, str], key: str | None, _: Translate) -> str:
    if not key:
        return "-"
    return _(table[key]) if key in table else escape(key)


def skills_text(keys: Sequence[str], _: Translate) -> str:
    return ", ".join(label(SKILLS, key, _) for key in keys) or "-"


def languages_text(keys: Sequence[str], _: Translate) -> str:
    return ", ".join(label(PROGRAM_LANGUAGES, key, _) for key in keys) or "-"


def reasons_text(reasons: Sequence[str], _: Translate) -> str:
    return ", ".join(_(REASON_LABELS[Reason(r)]) for r in reasons if r in set(Reason)) or "-"


def unmatched_reason(reason: str, _: Translate) -> str:
    if reason in set(Exclusion):
        return _(EXCLUSION_LABELS[Exclusion(reason)])
    if reason == CAPACITY:
        return _("All suitable mentors were full")
    if reason == NO_MENTORS:
        return _("No mentor has a free place")
    return escape(reason)


def _section(text: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(block_id=block_id, text=MarkdownTextObject(text=text))


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def _chunks(lines: Sequence[str], block_id: str) -> list[Block]:
    return [
        _section(
            "\n".join(lines[i : i + LINES_PER_SECTION]), f"{block_id}-{i // LINES_PER_SECTION}"
        )
        for i in range(0, len(lines), LINES_PER_SECTION)
    ]


# A round's preview, DM'd to the admin who ran it


def build_round_preview(preview: RoundPreview, _: Translate) -> Message:
    match_round = preview.round
    summary = _(
        "{pairs} pairs proposed from {mentees} mentees waiting and {mentors} mentors with free "
        "places (total score {total}). {unmatched} mentees stay unmatched."
    ).format(
        pairs=len(preview.pairs),
        mentees=preview.mentees_in_pool,
        mentors=preview.mentors_in_pool,
        total=match_round.total_score,
        unmatched=len(match_round.unmatched),
    )
    blocks: list[Block] = [
        HeaderBlock(
            text=PlainTextObject(text=_("Matching round {id}: preview").format(id=match_round.id))
        ),
        _section(summary, MatchBlock.ROUND_SUMMARY),
    ]
    pair_lines = [
        "• {mentor} ← {mentee} · {score} · {reasons}".format(
            mentor=mention(pair.mentor_id),
            mentee=mention(pair.mentee_id),
            score=_("score {score}").format(score=pair.score.total),
            reasons=reasons_text([r.value for r in pair.score.top_reasons()], _),
        )
        for pair in preview.pairs[:PREVIEW_PAIRS]
    ]
    if pair_lines:
        blocks.append(_section(_("*Proposed pairs* (mentor ← mentee)")))
        blocks += _chunks(pair_lines, MatchBlock.ROUND_PAIRS)
    if len(preview.pairs) > PREVIEW_PAIRS:
        blocks.append(
            _context(_("…and {count} more pairs.").format(count=len(preview.pairs) - PREVIEW_PAIRS))
        )
    unmatched = match_round.unmatched
    if unmatched:
        lines = [
            f"• {mention(u.mentee_id)} – {unmatched_reason(u.reason, _)}"
            for u in unmatched[:PREVIEW_UNMATCHED]
        ]
        blocks.append(_section(_("*Staying unmatched, and why*")))
        blocks += _chunks(lines, MatchBlock.ROUND_UNMATCHED)
        if len(unmatched) > PREVIEW_UNMATCHED:
            blocks.append(
                _context(_("…and {count} more.").format(count=len(unmatched) - PREVIEW_UNMATCHED))
            )
    if preview.pairs:
        blocks.append(
            ActionsBlock(
                block_id=MatchBlock.ROUND_ACTIONS,
                elements=[
                    ButtonElement(
                        text=_("Approve and ask the mentors"),
                        action_id=MatchAction.APPROVE_ROUND,
                        value=str(match_round.id),
                        style="primary",
                        confirm=ConfirmObject(
                            title=_("Approve this round?"),
                            text=_(
                                "Each mentor gets a request and has {hours} hours to accept it."
                            ).format(hours=preview.request_hours),
                            confirm=_("Approve"),
                            deny=_("Cancel"),
                        ),
                    ),
                    ButtonElement(
                        text=_("Discard"),
                        action_id=MatchAction.DISCARD_ROUND,
                        value=str(match_round.id),
                        style="danger",
                    ),
                ],
            )
        )
    return Message(summary, blocks)


# `/mentor match`


def build_overview(overview: MatchOverview, user_id: str, _: Translate) -> Message:
    if not overview.has_profile:
        text = _("First tell me about yourself with `/mentor profile`; then I can find a match.")
        return Message(text, [_section(text)])
    blocks: list[Block] = []
    lines = [_current_line(m, user_id, _) for m in overview.open_matches]
    if lines:
        blocks.append(_section("\n".join(lines), MatchBlock.CURRENT))
    if overview.suggestions:
        blocks.append(_section(_("*Mentors who fit you best* – pick one and I will ask them:")))
        for index, suggestion in enumerate(overview.suggestions):
            blocks.append(_suggestion_block(suggestion, index, _))
    elif overview.is_mentee and not any(m.mentee_id == user_id for m in overview.open_matches):
        blocks.append(
            _section(
                _(
                    "No mentor with a free place fits you right now. You are on the list for the "
                    "next matching round, and the program admins can see you are waiting."
                )
            )
        )
    if not blocks:
        blocks.append(
            _section(
                _(
                    "No mentees yet. When an admin runs a matching round or a mentee picks you, "
                    "I will send you a request to accept."
                )
            )
        )
    blocks.append(
        _context(_("`/mentor match end` ends a match; `/mentor profile` changes what I match on."))
    )
    first = blocks[0]
    text = first.text.text if isinstance(first, SectionBlock) and first.text else ""
    return Message(text, blocks)


def _current_line(match: Match, user_id: str, _: Translate) -> str:
    as_mentee = match.mentee_id == user_id
    other = mention(match.mentor_id if as_mentee else match.mentee_id)
    if match.state is MatchState.ACCEPTED:
        line = _("Your mentor: {other}") if as_mentee else _("Your mentee: {other}")
        return "• " + line.format(other=other)
    until = local_datetime(match.expires_at) if match.expires_at else "-"
    if as_mentee:
        line = _("Waiting for {other} to accept you, until {until}")
    else:
        line = _("{other} is waiting for your answer, until {until} (see my DM)")
    return "• " + line.format(other=other, until=until)


def _suggestion_block(suggestion: Suggestion, index: int, _: Translate) -> SectionBlock:
    mentor = suggestion.mentor
    text = "*{who}* · {background} → {track}\n{why}: {reasons}".format(
        who=mention(mentor.user_id),
        background=label(BACKGROUNDS, mentor.background, _),
        track=label(TRACKS, mentor.track, _),
        why=_("Why"),
        reasons=reasons_text([r.value for r in suggestion.score.top_reasons()], _),
    )
    if mentor.intro:
        text += f"\n> {escape(mentor.intro[:200])}"
    return SectionBlock(
        block_id=f"{MatchBlock.SUGGESTION}-{index}",
        text=MarkdownTextObject(text=text),
        accessory=ButtonElement(
            text=_("Ask this mentor"),
            action_id=MatchAction.ASK_MENTOR,
            value=mentor.user_id,
            style="primary",
        ),
    )


def build_history(history: Sequence[tuple[Match, MatchEvent]], _: Translate) -> Message:
    if not history:
        text = _("No match has been proposed or requested yet.")
        return Message(text, [_section(text)])
    lines = [
        "• {at} · {mentor} ← {mentee} · *{state}*{by}{note}".format(
            at=local_datetime(event.at),
            mentor=mention(match.mentor_id),
            mentee=mention(match.mentee_id),
            state=_(STATE_LABELS[event.state]),
            by=f" · {mention(event.actor)}" if event.actor else "",
            note=f" · _{escape(event.note[:100])}_" if event.note else "",
        )
        for match, event in history
    ]
    text = _("*Latest match history* (newest first)")
    return Message(text, [_section(text), *_chunks(lines, "match-history")])


STATE_LABELS = {
    MatchState.PROPOSED: N_("proposed"),
    MatchState.REQUESTED: N_("requested"),
    MatchState.ACCEPTED: N_("accepted"),
    MatchState.DECLINED: N_("declined"),
    MatchState.EXPIRED: N_("expired"),
    MatchState.ENDED: N_("ended"),
    MatchState.DISCARDED: N_("discarded"),
}


# Deliveries: rendered from their stored payload in the recipient's language


def build_mentor_request(payload: dict[str, Any], _: Translate) -> Message:
    mentee = payload.get("mentee") or {}
    who = mention(payload["mentee_id"])
    text = _("{mentee} would like you as their mentor.").format(mentee=who)
    profile = [
        "*{k}:* {v}".format(k=_("Now"), v=label(BACKGROUNDS, mentee.get("background"), _)),
        "*{k}:* {v}".format(k=_("Target track"), v=label(TRACKS, mentee.get("track"), _)),
    ]
    if mentee.get("move_from") or mentee.get("move_to"):
        profile.append(
            "*{k}:* {a} → {b}".format(
                k=_("Career move"),
                a=label(BACKGROUNDS, mentee.get("move_from"), _),
                b=label(TRACKS, mentee.get("move_to"), _),
            )
        )
    profile += [
        "*{k}:* {v}".format(
            k=_("Wants to learn"), v=skills_text(mentee.get("skills_wanted", []), _)
        ),
        "*{k}:* {v}".format(k=_("Languages"), v=languages_text(mentee.get("languages", []), _)),
        "*{k}:* {v} ({tz})".format(
            k=_("Working hours"),
            v=escape(mentee.get("working_hours", "-")),
            tz=escape(mentee.get("timezone", "-")),
        ),
    ]
    blocks: list[Block] = [
        _section(f"*{text}*", MatchBlock.REQUEST),
        _section(
            _("*Why you two fit:* {reasons}").format(
                reasons=reasons_text(payload.get("reasons", []), _)
            ),
            MatchBlock.REQUEST_REASONS,
        ),
        _section("\n".join(profile), MatchBlock.REQUEST_PROFILE),
    ]
    if mentee.get("intro"):
        blocks.append(_section(f"> {escape(mentee['intro'])}"))
    if payload.get("expires_at"):
        expires = datetime.fromisoformat(payload["expires_at"])
        blocks.append(
            _context(
                _("Please answer by {until}. After that I will ask their next best match.").format(
                    until=local_datetime(expires)
                )
            )
        )
    blocks.append(
        ActionsBlock(
            block_id=MatchBlock.REQUEST_ACTIONS,
            elements=[
                ButtonElement(
                    text=_("Accept"),
                    action_id=MatchAction.ACCEPT,
                    value=str(payload["match_id"]),
                    style="primary",
                ),
                ButtonElement(
                    text=_("Decline"),
                    action_id=MatchAction.DECLINE,
                    value=str(payload["match_id"]),
                ),
            ],
        )
    )
    return Message(text, blocks)


def build_request_sent(payload: dict[str, Any], _: Translate) -> Message:
    text = _(
        "I have asked {mentor} to be your mentor. They have until {until} to answer; I will tell "
        "you either way."
    ).format(mentor=mention(payload["mentor_id"]), until=_until(payload))
    return Message(text, [_section(text)])


def _why_not(payload: dict[str, Any], _: Translate) -> str:
    """Why the mentor is not her mentor, said neutrally (a decline's reason stays private)."""
    if payload["state"] == MatchState.EXPIRED:
        why = _("{mentor} did not answer in time.")
    else:
        why = _("{mentor} cannot take on a new mentee right now.")
    return why.format(mentor=mention(payload["mentor_id"]))


def build_moved_on(payload: dict[str, Any], _: Translate) -> Message:
    text = (
        _why_not(payload, _)
        + " "
        + _(
            "So I have asked {next}, your next best match, who has until {until} to answer. I "
            "will let you know."
        ).format(next=mention(payload["next_mentor"]), until=_until(payload, "next_expires_at"))
    )
    return Message(text, [_section(text)])


def build_no_other_mentor(payload: dict[str, Any], _: Translate) -> Message:
    text = (
        _why_not(payload, _)
        + " "
        + _(
            "No other suitable mentor has a free place at the moment. You stay on the list for "
            "the next matching round, and the program admins can see you are waiting. "
            "`/mentor match` shows fresh suggestions any time."
        )
    )
    return Message(text, [_section(text)])


def build_request_expired(payload: dict[str, Any], _: Translate) -> Message:
    text = _(
        "The mentoring request from {mentee} expired without an answer, so I have asked another "
        "mentor for them. Nothing to do."
    ).format(mentee=mention(payload["mentee_id"]))
    return Message(text, [_section(text)])


def build_match_ended(payload: dict[str, Any], _: Translate) -> Message:
    text = _(
        "{who} has ended your mentoring match. Thank you both for the time you gave it."
    ).format(who=mention(payload["ended_by"]))
    if payload["ended_by"] == payload["mentor_id"]:
        text += " " + _("Type `/mentor match` whenever you would like a new mentor.")
    return Message(text, [_section(text)])


def build_introduction(payload: dict[str, Any], _: Translate) -> Message:
    mentor_id, mentee_id = payload["mentor_id"], payload["mentee_id"]
    mentor, mentee = payload.get("mentor") or {}, payload.get("mentee") or {}
    text = _("Meet your mentoring match: {mentor} (mentor) and {mentee} (mentee)!").format(
        mentor=mention(mentor_id), mentee=mention(mentee_id)
    )
    who = [
        _person_line(mentor_id, mentor, _("mentor"), _),
        _person_line(mentee_id, mentee, _("mentee"), _),
    ]
    reasons = [
        "• " + line for line in _reason_sentences(payload.get("reasons", []), mentor, mentee, _)
    ]
    if payload.get("overlap"):
        overlap = (
            _("*When you can both talk* (a working day):")
            + "\n"
            + "\n".join(
                "• {a}: {sa} = {b}: {sb}".format(
                    a=mention(mentor_id), sa=w["mentor"], b=mention(mentee_id), sb=w["mentee"]
                )
                for w in payload["overlap"]
            )
        )
    else:
        overlap = _(
            "Your working hours do not overlap on a working day: agree on a time that suits you "
            "both."
        )
    first_step = _(
        "*A first step:* book a 30-minute call this week. {mentee}, bring the AI domain you are "
        "aiming for and the one strength you want to build; {mentor}, share how you got there."
    ).format(mentor=mention(mentor_id), mentee=mention(mentee_id))
    blocks: list[Block] = [
        _section(f"*{text}*"),
        _section("\n".join(who)),
        _section(
            _("*Why you were matched:*") + "\n" + "\n".join(reasons), MatchBlock.INTRO_REASONS
        ),
        _section(overlap, MatchBlock.INTRO_OVERLAP),
        _section(first_step, MatchBlock.INTRO_FIRST_STEP),
    ]
    return Message(text, blocks)


def _person_line(user_id: str, profile: dict[str, Any], role: str, _: Translate) -> str:
    line = "• {who} ({role}): {background} → {track}".format(
        who=mention(user_id),
        role=role,
        background=label(BACKGROUNDS, profile.get("background"), _),
        track=label(TRACKS, profile.get("track"), _),
    )
    if profile.get("intro"):
        line += f" – _{escape(profile['intro'][:200])}_"
    return line


def _reason_sentences(
    reasons: Sequence[str], mentor: dict[str, Any], mentee: dict[str, Any], _: Translate
) -> list[str]:
    sentences = []
    for reason in reasons:
        if reason == Reason.SAME_TRACK:
            sentences.append(
                _("You both work towards {track}.").format(
                    track=label(TRACKS, mentee.get("track"), _)
                )
            )
        elif reason == Reason.CAREER_MOVE:
            sentences.append(
                _("The mentor made the move the mentee is making: {a} → {b}.").format(
                    a=label(BACKGROUNDS, mentee.get("move_from"), _),
                    b=label(TRACKS, mentee.get("move_to"), _),
                )
            )
        elif reason == Reason.SKILLS:
            shared = sorted(
                set(mentee.get("skills_wanted", [])) & set(mentor.get("skills_offered", []))
            )
            sentences.append(
                _("The mentor offers skills the mentee wants: {skills}.").format(
                    skills=skills_text(shared, _)
                )
            )
        elif reason == Reason.HOURS_OVERLAP:
            sentences.append(_("Your working hours overlap."))
        elif reason == Reason.SHARED_LANGUAGE:
            shared = sorted(set(mentee.get("languages", [])) & set(mentor.get("languages", [])))
            sentences.append(
                _("You share a language: {languages}.").format(languages=languages_text(shared, _))
            )
        elif reason == Reason.BACKGROUND_COMPLEMENT:
            sentences.append(
                _("Your backgrounds complement each other: {a} and {b}.").format(
                    a=label(BACKGROUNDS, mentor.get("background"), _),
                    b=label(BACKGROUNDS, mentee.get("background"), _),
                )
            )
    return sentences


def _until(payload: dict[str, Any], key: str = "expires_at") -> str:
    value = payload.get(key)
    return local_datetime(datetime.fromisoformat(value)) if value else "-"
