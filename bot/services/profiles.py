"""Use cases about mentoring profiles: fill one in, import many, export them all."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from bot.clock import Clock
from bot.domain.members import Member, language_from_locale
from bot.domain.profile_input import (
    FieldValue,
    ProfileInvalid,
    RawFields,
    default_fields,
    parse_profile,
    profile_fields,
)
from bot.domain.profiles import PROGRAM_LANGUAGES, Profile
from bot.services.ports import UnitOfWork, UnitOfWorkFactory

USER_ID_COLUMN = "user_id"


@dataclass(frozen=True)
class ProfileDraft:
    """What the profile form starts from: the stored profile's fields, or defaults from Slack."""

    fields: Mapping[str, FieldValue]
    exists: bool


class ImportProblem(NamedTuple):
    line: int
    field: str
    message: str
    """In English: the import is an operator's command-line tool."""


@dataclass
class ImportReport:
    imported: int = 0
    """New profiles."""
    updated: int = 0
    """Profiles that existed and were replaced by the row."""
    errors: list[ImportProblem] = field(default_factory=list)

    @property
    def bad_lines(self) -> list[int]:
        return sorted({problem.line for problem in self.errors})


class ProfileService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def get(self, team_id: str, user_id: str) -> Profile | None:
        with self._uow() as uow:
            return uow.profiles.get(team_id, user_id)

    def draft_for(self, member: Member) -> ProfileDraft:
        """The stored profile as form fields, or a new one's defaults: the person's Slack time
        zone and language, office hours 09:00-18:00."""
        stored = self.get(member.team_id, member.user_id)
        if stored is not None:
            return ProfileDraft(profile_fields(stored), exists=True)
        return ProfileDraft(default_fields(member.timezone, _languages_of(member)), exists=False)

    def save(self, member: Member, raw: RawFields) -> Profile:
        """Validate and store the person's profile; `ProfileInvalid` (nothing stored) names
        every field that is wrong. Fields not given keep their stored values."""
        with self._uow() as uow:
            profile = self._store(uow, member, raw)
            uow.commit()
        return profile

    def import_rows(
        self, team_id: str, rows: Iterable[tuple[int, Mapping[str, str]]]
    ) -> ImportReport:
        """Store every good row (new or replacing the stored profile) and report each bad one
        by line, field and reason; a bad row changes nothing. Columns a file lacks keep their
        stored values."""
        report = ImportReport()
        seen: dict[str, int] = {}
        with self._uow() as uow:
            for line, row in rows:
                user_id = (row.get(USER_ID_COLUMN) or "").strip().upper()
                problem = _user_id_problem(user_id, seen)
                if problem:
                    report.errors.append(ImportProblem(line, USER_ID_COLUMN, problem))
                    continue
                seen[user_id] = line
                member = uow.members.get(team_id, user_id) or Member(team_id, user_id)
                existed = uow.profiles.get(team_id, user_id) is not None
                try:
                    self._store(uow, member, {k: v for k, v in row.items() if k})
                except ProfileInvalid as invalid:
                    report.errors.extend(
                        ImportProblem(line, name, error.message.format(**error.values))
                        for name, error in invalid.errors.items()
                    )
                    continue
                if existed:
                    report.updated += 1
                else:
                    report.imported += 1
            uow.commit()
        return report

    def export(self, team_id: str) -> list[Profile]:
        with self._uow() as uow:
            return uow.profiles.list_for_team(team_id)

    def _store(self, uow: UnitOfWork, member: Member, raw: RawFields) -> Profile:
        stored = uow.profiles.get(member.team_id, member.user_id)
        merged = {**(profile_fields(stored) if stored else {}), **raw}
        profile = parse_profile(
            member.team_id,
            member.user_id,
            merged,
            default_timezone=member.timezone,
            default_languages=_languages_of(member),
        )
        return uow.profiles.upsert(profile, self._clock.now())


def _languages_of(member: Member) -> tuple[str, ...]:
    """The person's Slack language as a program language ("ja-JP" -> ja), else the bot's."""
    primary = (member.slack_locale or "").replace("_", "-").split("-", 1)[0].lower()
    if member.language_override:
        return (member.language_override,)
    if primary in PROGRAM_LANGUAGES:
        return (primary,)
    return (language_from_locale(member.slack_locale),)


def _user_id_problem(user_id: str, seen: Mapping[str, int]) -> str | None:
    if not user_id:
        return "user_id is empty: every row needs the person's Slack user id (e.g. U012ABCDEF)."
    if not (user_id[:1] in ("U", "W") and user_id.isalnum() and len(user_id) >= 3):
        return f"“{user_id[:40]}” is not a Slack user id (it looks like U012ABCDEF)."
    if user_id in seen:
        return f"{user_id} already appears on line {seen[user_id]}; give each person one row."
    return None
