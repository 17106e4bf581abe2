"""The profile modal (`/mentor profile`), reading it back, its field errors, and the receipt DM."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.profile_input import (
    MAX_SKILLS_PER_FIELD,
    FieldValue,
    ProfileInvalid,
    split_list,
)
from bot.domain.profiles import (
    BACKGROUNDS,
    MAX_CAPACITY,
    MAX_FREE_SKILL_LENGTH,
    MAX_INTRO_LENGTH,
    PROGRAM_LANGUAGES,
    ROLE_LABELS,
    SKILLS,
    TRACKS,
    Profile,
)
from bot.i18n import Translate
from bot.services.profiles import ProfileDraft
from handlers.blocks.mrkdwn import escape
from handlers.errors import user_error_text
from handlers.ids import ProfileAction, ProfileBlock, ProfileView

SKILL_FIELDS = {
    ProfileBlock.SKILLS_OFFERED: ProfileBlock.SKILLS_OFFERED_OTHER,
    ProfileBlock.SKILLS_WANTED: ProfileBlock.SKILLS_WANTED_OTHER,
}
"""Each skills field is a select of the shared list plus a text input for free entries."""

FIELD_BLOCKS = (
    ProfileBlock.ROLE,
    ProfileBlock.BACKGROUND,
    ProfileBlock.TRACK,
    ProfileBlock.SKILLS_OFFERED,
    ProfileBlock.SKILLS_WANTED,
    ProfileBlock.MOVE_FROM,
    ProfileBlock.MOVE_TO,
    ProfileBlock.WORKING_HOURS,
    ProfileBlock.TIMEZONE,
    ProfileBlock.LANGUAGES,
    ProfileBlock.CAPACITY,
    ProfileBlock.INTRO,
)
"""The profile fields the modal edits (org unit and manager come from an admin's import)."""

ERROR_BLOCKS = {field.value: SKILL_FIELDS.get(field, field) for field in FIELD_BLOCKS}
"""Where a field's error shows. A skills problem is about the free entries (the select is
capped at the limit), so it shows under their input."""


def build_profile_modal(draft: ProfileDraft, _: Translate) -> View:
    fields = draft.fields
    roles = {role.value: label for role, label in ROLE_LABELS.items()}
    blocks: list[Block] = [
        SectionBlock(
            block_id=ProfileBlock.INTRO_TEXT,
            text=MarkdownTextObject(
                text=_(
                    "Tell the program who you are and where you are heading: "
                    "matching uses this to find you the right people."
                )
            ),
        ),
        _select(ProfileBlock.ROLE, ProfileAction.ROLE, _("I take part as"), roles, fields, _),
        _select(
            ProfileBlock.BACKGROUND,
            ProfileAction.BACKGROUND,
            _("My current role or background"),
            BACKGROUNDS,
            fields,
            _,
        ),
        _select(
            ProfileBlock.TRACK,
            ProfileAction.TRACK,
            _("Target track (the AI area I am heading for, or work in)"),
            TRACKS,
            fields,
            _,
        ),
        *_skills(
            ProfileBlock.SKILLS_OFFERED,
            ProfileAction.SKILLS_OFFERED,
            ProfileAction.SKILLS_OFFERED_OTHER,
            _("Skills I can offer"),
            _("Other skills I can offer"),
            fields,
            _,
        ),
        *_skills(
            ProfileBlock.SKILLS_WANTED,
            ProfileAction.SKILLS_WANTED,
            ProfileAction.SKILLS_WANTED_OTHER,
            _("Skills I want to learn"),
            _("Other skills I want to learn"),
            fields,
            _,
        ),
        _select(
            ProfileBlock.MOVE_FROM,
            ProfileAction.MOVE_FROM,
            _("Career move: from"),
            BACKGROUNDS,
            fields,
            _,
            optional=True,
        ),
        _select(
            ProfileBlock.MOVE_TO,
            ProfileAction.MOVE_TO,
            _("Career move: to"),
            TRACKS,
            fields,
            _,
            optional=True,
        ),
        _text_input(
            ProfileBlock.WORKING_HOURS,
            ProfileAction.WORKING_HOURS,
            _("Working hours (local time)"),
            fields,
            hint=_("Like 09:00-18:00. Check-ins and introductions arrive within these hours."),
            max_length=20,
        ),
        _text_input(
            ProfileBlock.TIMEZONE,
            ProfileAction.TIMEZONE,
            _("Time zone"),
            fields,
            hint=_("An IANA name such as Asia/Seoul or America/New_York; filled in from Slack."),
            max_length=64,
        ),
        _multi_select(
            ProfileBlock.LANGUAGES,
            ProfileAction.LANGUAGES,
            _("Languages I can mentor or be mentored in"),
            PROGRAM_LANGUAGES,
            list(_values(fields.get(ProfileBlock.LANGUAGES))),
            _,
        ),
        InputBlock(
            block_id=ProfileBlock.CAPACITY,
            label=_("Mentees I can take at once (mentors)"),
            hint=_(
                "From 1 to {limit} if you mentor; leave it empty or 0 if you are a mentee."
            ).format(limit=MAX_CAPACITY),
            optional=True,
            element=NumberInputElement(
                action_id=ProfileAction.CAPACITY,
                is_decimal_allowed=False,
                min_value=0,
                max_value=MAX_CAPACITY,
                initial_value=_text(fields.get(ProfileBlock.CAPACITY)) or None,
            ),
        ),
        _text_input(
            ProfileBlock.INTRO,
            ProfileAction.INTRO,
            _("A short intro for your match"),
            fields,
            hint=_("At most {limit} characters.").format(limit=MAX_INTRO_LENGTH),
            max_length=MAX_INTRO_LENGTH,
            multiline=True,
            optional=True,
        ),
    ]
    return View(
        type="modal",
        callback_id=ProfileView.MODAL,
        title=PlainTextObject(text=_("Mentoring profile")),
        submit=PlainTextObject(text=_("Save")),
        close=PlainTextObject(text=_("Cancel")),
        blocks=blocks,
    )


def profile_fields_from_state(values: Mapping[str, Mapping[str, Any]]) -> dict[str, FieldValue]:
    """The submitted view's `state.values` as raw profile fields (free skills merged in)."""
    fields: dict[str, FieldValue] = {}
    for block in FIELD_BLOCKS:
        if block.value in values:
            fields[block.value] = _state_value(values[block.value])
    for block, other in SKILL_FIELDS.items():
        if other.value in values:
            free = split_list(_text(_state_value(values[other.value])))
            fields[block.value] = (*_values(fields.get(block.value)), *free)
    return fields


def build_profile_errors(invalid: ProfileInvalid, _: Translate) -> dict[str, str]:
    """`response_action="errors"`: each message under the block of the field it is about."""
    errors: dict[str, str] = {}
    for field, error in invalid.errors.items():
        block = ERROR_BLOCKS.get(field, ProfileBlock.ROLE)
        errors.setdefault(str(block), user_error_text(error, _))
    return errors


def build_profile_saved_text(_: Translate) -> str:
    return _("Your mentoring profile is saved. Change it any time with `/mentor profile`.")


def build_profile_saved_blocks(profile: Profile, _: Translate) -> list[Block]:
    def entry(title: str, value: str) -> MarkdownTextObject:
        return MarkdownTextObject(text=f"*{title}*\n{value}")

    summary = [
        entry(_("Role"), _(ROLE_LABELS[profile.role])),
        entry(_("Background"), _(BACKGROUNDS[profile.background])),
        entry(_("Target track"), _(TRACKS[profile.track])),
        entry(_("Working hours"), f"{profile.working_hours} ({escape(profile.timezone)})"),
        entry(
            _("Languages"),
            ", ".join(
                _(label) for key, label in PROGRAM_LANGUAGES.items() if key in profile.languages
            ),
        ),
    ]
    if profile.is_mentor:
        summary.append(entry(_("Mentees at once"), str(profile.capacity)))
    if profile.move_from and profile.move_to:
        move = f"{_(BACKGROUNDS[profile.move_from])} → {_(TRACKS[profile.move_to])}"
        summary.append(entry(_("Career move"), move))
    if profile.skills_offered:
        summary.append(entry(_("Skills you offer"), _skill_names(profile.skills_offered, _)))
    if profile.skills_wanted:
        summary.append(entry(_("Skills you want"), _skill_names(profile.skills_wanted, _)))
    return [
        SectionBlock(text=MarkdownTextObject(text=build_profile_saved_text(_))),
        SectionBlock(block_id=ProfileBlock.SAVED_SUMMARY, fields=summary),
    ]


def _select(
    block_id: ProfileBlock,
    action_id: ProfileAction,
    label: str,
    vocabulary: Mapping[str, str],
    fields: Mapping[str, FieldValue],
    _: Translate,
    *,
    optional: bool = False,
) -> InputBlock:
    options = [Option(value=key, text=_(text)) for key, text in vocabulary.items()]
    chosen = _text(fields.get(block_id))
    initial = next((option for option in options if option.value == chosen), None)
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=optional,
        element=StaticSelectElement(
            action_id=action_id,
            placeholder=_("Choose one"),
            options=options,
            initial_option=initial,
        ),
    )


def _multi_select(
    block_id: ProfileBlock,
    action_id: ProfileAction,
    label: str,
    vocabulary: Mapping[str, str],
    chosen: list[str],
    _: Translate,
    *,
    optional: bool = False,
) -> InputBlock:
    options = [Option(value=key, text=_(text)) for key, text in vocabulary.items()]
    initial = [option for option in options if option.value in chosen]
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=optional,
        element=StaticMultiSelectElement(
            action_id=action_id,
            placeholder=_("Choose any"),
            options=options,
            initial_options=initial or None,
            max_selected_items=MAX_SKILLS_PER_FIELD,
        ),
    )


def _skills(
    block_id: ProfileBlock,
    action_id: ProfileAction,
    other_action_id: ProfileAction,
    label: str,
    other_label: str,
    fields: Mapping[str, FieldValue],
    _: Translate,
) -> list[Block]:
    chosen = list(_values(fields.get(block_id)))
    free = [skill for skill in chosen if skill not in SKILLS]
    return [
        _multi_select(block_id, action_id, label, SKILLS, chosen, _, optional=True),
        InputBlock(
            block_id=SKILL_FIELDS[block_id],
            label=other_label,
            hint=_("Separate them with commas; at most {limit} characters each.").format(
                limit=MAX_FREE_SKILL_LENGTH
            ),
            optional=True,
            element=PlainTextInputElement(
                action_id=other_action_id,
                initial_value=", ".join(free) or None,
                placeholder=_("e.g. vector databases, Korean NLP"),
                max_length=(MAX_FREE_SKILL_LENGTH + 2) * MAX_SKILLS_PER_FIELD,
            ),
        ),
    ]


def _text_input(
    block_id: ProfileBlock,
    action_id: ProfileAction,
    label: str,
    fields: Mapping[str, FieldValue],
    *,
    hint: str,
    max_length: int,
    multiline: bool = False,
    optional: bool = False,
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        hint=hint,
        optional=optional,
        element=PlainTextInputElement(
            action_id=action_id,
            initial_value=_text(fields.get(block_id)) or None,
            multiline=multiline,
            max_length=max_length,
        ),
    )


def _state_value(actions: Mapping[str, Any]) -> FieldValue:
    """One input's state, whatever its action id: a select's value(s) or the typed text."""
    state = next(iter(actions.values()), {}) if actions else {}
    kind = state.get("type")
    if kind in ("static_select", "external_select"):
        return str((state.get("selected_option") or {}).get("value") or "")
    if kind in ("multi_static_select", "multi_external_select"):
        return tuple(str(option["value"]) for option in state.get("selected_options") or [])
    return str(state.get("value") or "")


def _text(value: FieldValue | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else ", ".join(value)


def _values(value: FieldValue | None) -> tuple[str, ...]:
    if not value:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _skill_names(skills: frozenset[str], _: Translate) -> str:
    known = [_(label) for key, label in SKILLS.items() if key in skills]
    return escape(", ".join([*known, *sorted(skills - set(SKILLS))]))
