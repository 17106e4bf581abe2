"""Raw profile fields (from the modal or a CSV row) in, a valid `Profile` or every problem out.

Field keys are shared by the modal's block ids, the CSV columns and the error map, so a problem
lands on the field the person typed it into. Values are strings or lists of strings; a string
given for a list field is split on `;` or `,`. Every problem is collected before raising, so the
person fixes everything in one go; nothing is half-valid.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.domain.errors import InvalidInput, UserFacingError
from bot.domain.i18n_markers import N_
from bot.domain.numbers import parse_whole_number
from bot.domain.profiles import (
    BACKGROUNDS,
    DEFAULT_WORKING_HOURS,
    MAX_CAPACITY,
    MAX_FREE_SKILL_LENGTH,
    MAX_INTRO_LENGTH,
    PROGRAM_LANGUAGES,
    SKILLS,
    TRACKS,
    Profile,
    ProgramRole,
    WorkingHours,
    normalise_skill,
)
from bot.domain.text import clip

FIELDS = (
    "role",
    "background",
    "track",
    "skills_offered",
    "skills_wanted",
    "move_from",
    "move_to",
    "working_hours",
    "timezone",
    "languages",
    "capacity",
    "intro",
    "org_unit",
    "manager_id",
)
"""Every field a person (or an admin's CSV) can set, in form and column order."""

LIST_FIELDS = frozenset({"skills_offered", "skills_wanted", "languages"})
MAX_SKILLS_PER_FIELD = 10
MAX_ORG_UNIT_LENGTH = 100
LIST_SEPARATORS = re.compile(r"[;,]")

RawValue = str | Sequence[str] | None
RawFields = Mapping[str, RawValue]
FieldValue = str | tuple[str, ...]

_HOURS = re.compile(r"^(\d{1,2})(?::?(\d{2}))?\s*[-–~]\s*(\d{1,2})(?::?(\d{2}))?$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


class ProfileInvalid(UserFacingError):
    """One or more fields are wrong; `errors` maps each field key to what is wrong with it."""

    def __init__(self, errors: Mapping[str, InvalidInput]) -> None:
        super().__init__(N_("Some profile fields need fixing: {fields}."), fields=", ".join(errors))
        self.errors = dict(errors)


def parse_profile(
    team_id: str,
    user_id: str,
    raw: RawFields,
    *,
    default_timezone: str = "UTC",
    default_languages: Iterable[str] = ("en",),
) -> Profile:
    """A valid profile from raw fields, or `ProfileInvalid` naming every field that is wrong.

    An empty time zone or language list takes the given defaults (what Slack says about the
    person); an empty working-hours value takes 09:00-18:00.
    """
    parser = _Parser(raw)
    role = parser.choice("role", {r.value: r.value for r in ProgramRole}, _ROLE_PROBLEM)
    background = parser.choice("background", BACKGROUNDS, _BACKGROUND_PROBLEM)
    track = parser.choice("track", TRACKS, _TRACK_PROBLEM)
    move_from = parser.choice("move_from", BACKGROUNDS, _BACKGROUND_PROBLEM, required=False)
    move_to = parser.choice("move_to", TRACKS, _TRACK_PROBLEM, required=False)
    if (move_from is None) != (move_to is None) and not parser.failed("move_from", "move_to"):
        missing = "move_to" if move_to is None else "move_from"
        parser.problem(missing, N_("Give both ends of the career move, or neither."))
    profile_role = ProgramRole(role) if role else None
    values = {
        "skills_offered": parser.skills("skills_offered"),
        "skills_wanted": parser.skills("skills_wanted"),
        "working_hours": parser.working_hours(),
        "timezone": parser.timezone(default_timezone),
        "languages": parser.languages(default_languages),
        "capacity": parser.capacity(profile_role),
        "intro": parser.intro(),
        "org_unit": parser.org_unit(),
        "manager_id": parser.manager_id(user_id),
    }
    if parser.errors:
        raise ProfileInvalid(parser.errors)
    assert profile_role is not None and background is not None and track is not None
    return Profile(
        team_id=team_id,
        user_id=user_id,
        role=profile_role,
        background=background,
        track=track,
        move_from=move_from,
        move_to=move_to,
        **values,  # type: ignore[arg-type]
    )


def profile_fields(profile: Profile) -> dict[str, FieldValue]:
    """The raw fields that parse back into this profile (CSV export, modal pre-fill)."""
    return {
        "role": profile.role.value,
        "background": profile.background,
        "track": profile.track,
        "skills_offered": _skill_order(profile.skills_offered),
        "skills_wanted": _skill_order(profile.skills_wanted),
        "move_from": profile.move_from or "",
        "move_to": profile.move_to or "",
        "working_hours": str(profile.working_hours),
        "timezone": profile.timezone,
        "languages": tuple(key for key in PROGRAM_LANGUAGES if key in profile.languages),
        "capacity": str(profile.capacity),
        "intro": profile.intro,
        "org_unit": profile.org_unit or "",
        "manager_id": profile.manager_id or "",
    }


def default_fields(timezone: str, languages: Iterable[str]) -> dict[str, FieldValue]:
    """What a new profile starts from: the person's zone and language, usual office hours."""
    known = [lang for lang in languages if lang in PROGRAM_LANGUAGES]
    return {
        "working_hours": str(DEFAULT_WORKING_HOURS),
        "timezone": canonical_timezone(timezone) or "UTC",
        "languages": tuple(known) or ("en",),
    }


def split_list(value: RawValue) -> list[str]:
    """`"python; rag"` or `["python", "rag"]` -> `["python", "rag"]` (blanks dropped)."""
    items = LIST_SEPARATORS.split(value) if isinstance(value, str) else list(value or ())
    return [item.strip() for item in items if item and item.strip()]


def skill_key(entry: str) -> str:
    """A vocabulary key when the entry names one (by key or English label), else the entry
    normalised as a free skill: "Prompt Engineering" -> "prompt-engineering"."""
    normalised = normalise_skill(entry)
    return _SKILL_ALIASES.get(normalised, normalised)


@cache
def _timezones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def canonical_timezone(name: str) -> str | None:
    """The IANA name as spelt in the tz database ("asia/seoul" -> "Asia/Seoul"), or None."""
    name = name.strip()
    canonical = _timezones().get(name.lower())
    if canonical is None:
        return None
    try:
        ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return canonical


_SKILL_ALIASES = {
    alias: key
    for key, label in SKILLS.items()
    for alias in (key, key.replace("-", " "), normalise_skill(label))
}

_ROLE_PROBLEM = N_("“{value}” is not a role. Use one of: {choices}.")
_BACKGROUND_PROBLEM = N_("“{value}” is not a background on the list. Use one of: {choices}.")
_TRACK_PROBLEM = N_("“{value}” is not a track on the list. Use one of: {choices}.")
_REQUIRED = N_("This field is required.")


class _Parser:
    def __init__(self, raw: RawFields) -> None:
        self._raw = raw
        self.errors: dict[str, InvalidInput] = {}

    def problem(self, field: str, message: str, **values: object) -> None:
        self.errors.setdefault(field, InvalidInput(message, **values))

    def failed(self, *fields: str) -> bool:
        return any(field in self.errors for field in fields)

    def text(self, field: str) -> str:
        value = self._raw.get(field)
        if value is None:
            return ""
        if isinstance(value, str):
            return value.strip()
        return " ".join(item.strip() for item in value if item).strip()

    def choice(
        self, field: str, vocabulary: Mapping[str, str], problem: str, *, required: bool = True
    ) -> str | None:
        value = self.text(field)
        if not value:
            if required:
                self.problem(field, _REQUIRED)
            return None
        key = value.lower().replace(" ", "-").replace("_", "-")
        if key in vocabulary:
            return key
        self.problem(field, problem, value=_clip(value), choices=", ".join(vocabulary))
        return None

    def skills(self, field: str) -> frozenset[str]:
        chosen: list[str] = []
        for entry in split_list(self._raw.get(field)):
            key = skill_key(entry)
            if key not in SKILLS and len(key) > MAX_FREE_SKILL_LENGTH:
                self.problem(
                    field,
                    N_("“{value}” is too long for a skill: at most {limit} characters each."),
                    value=_clip(entry),
                    limit=MAX_FREE_SKILL_LENGTH,
                )
            elif key not in chosen:
                chosen.append(key)
        if len(chosen) > MAX_SKILLS_PER_FIELD:
            self.problem(
                field,
                N_("That is {count} skills; pick at most {limit}."),
                count=len(chosen),
                limit=MAX_SKILLS_PER_FIELD,
            )
        return frozenset(chosen)

    def working_hours(self) -> WorkingHours:
        value = self.text("working_hours")
        if not value:
            return DEFAULT_WORKING_HOURS
        match = _HOURS.match(value)
        minutes = _start_end(match) if match else None
        if minutes is None:
            self.problem(
                "working_hours",
                N_("Working hours look like 09:00-18:00; “{value}” is not that."),
                value=_clip(value),
            )
            return DEFAULT_WORKING_HOURS
        if minutes[0] == minutes[1]:
            self.problem(
                "working_hours", N_("Working hours cannot start and end at the same time.")
            )
            return DEFAULT_WORKING_HOURS
        return WorkingHours(*minutes)

    def timezone(self, default: str) -> str:
        value = self.text("timezone")
        if not value:
            return canonical_timezone(default) or "UTC"
        canonical = canonical_timezone(value)
        if canonical is None:
            self.problem(
                "timezone",
                N_("“{value}” is not a time zone I know. Use an IANA name such as Asia/Seoul."),
                value=_clip(value),
            )
            return "UTC"
        return canonical

    def languages(self, default: Iterable[str]) -> frozenset[str]:
        entries = [entry.lower() for entry in split_list(self._raw.get("languages"))]
        if not entries:
            known = frozenset(lang for lang in default if lang in PROGRAM_LANGUAGES)
            return known or frozenset({"en"})
        unknown = [entry for entry in entries if entry not in PROGRAM_LANGUAGES]
        if unknown:
            self.problem(
                "languages",
                N_("“{value}” is not a language on the list. Use one or more of: {choices}."),
                value=_clip(unknown[0]),
                choices=", ".join(PROGRAM_LANGUAGES),
            )
        return frozenset(entries) & frozenset(PROGRAM_LANGUAGES)

    def capacity(self, role: ProgramRole | None) -> int:
        value = self.text("capacity")
        number = parse_whole_number(value, most=MAX_CAPACITY)
        if value and number is None:
            self.problem(
                "capacity",
                N_("Capacity is a whole number from 0 to {limit}; “{value}” is not."),
                value=_clip(value),
                limit=MAX_CAPACITY,
            )
            return 0
        if role in (ProgramRole.MENTOR, ProgramRole.BOTH) and not number:
            self.problem(
                "capacity",
                N_("As a mentor, say how many mentees you can take at once (1 to {limit})."),
                limit=MAX_CAPACITY,
            )
            return 0
        if role is ProgramRole.MENTEE and number:
            self.problem(
                "capacity",
                N_("Mentees take no mentees: leave capacity at 0, or choose “Mentor and mentee”."),
            )
            return 0
        return number or 0

    def intro(self) -> str:
        value = self.text("intro")
        if len(value) > MAX_INTRO_LENGTH:
            self.problem(
                "intro",
                N_("Keep the intro to {limit} characters; this one has {count}."),
                limit=MAX_INTRO_LENGTH,
                count=len(value),
            )
        return value

    def org_unit(self) -> str | None:
        value = " ".join(self.text("org_unit").split())
        if len(value) > MAX_ORG_UNIT_LENGTH:
            self.problem(
                "org_unit",
                N_("Keep the team or department name to {limit} characters."),
                limit=MAX_ORG_UNIT_LENGTH,
            )
        return value or None

    def manager_id(self, user_id: str) -> str | None:
        value = self.text("manager_id")
        if not value:
            return None
        mention = _MENTION.match(value)
        manager = mention.group(1) if mention else value.upper()
        if not _USER_ID.match(manager):
            self.problem(
                "manager_id",
                N_("“{value}” is not a Slack user id (it looks like U012ABCDEF)."),
                value=_clip(value),
            )
            return None
        if manager == user_id:
            self.problem("manager_id", N_("A person cannot be their own manager."))
            return None
        return manager


def _start_end(match: re.Match[str]) -> tuple[int, int] | None:
    start_h, start_m, end_h, end_m = match.groups()
    start = _minute(start_h, start_m)
    end = _minute(end_h, end_m)
    return None if start is None or end is None else (start, end)


def _minute(hours: str, minutes: str | None) -> int | None:
    h, m = int(hours), int(minutes or 0)
    if h == 24 and m == 0:
        return 0
    if not (0 <= h < 24 and 0 <= m < 60):
        return None
    return h * 60 + m


def _skill_order(skills: frozenset[str]) -> tuple[str, ...]:
    """Vocabulary skills in list order, then free ones alphabetically: stable output."""
    known = [key for key in SKILLS if key in skills]
    return (*known, *sorted(skills - set(SKILLS)))


def _clip(value: str, limit: int = 40) -> str:
    return clip(value, limit)
