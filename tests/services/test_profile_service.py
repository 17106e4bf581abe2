"""ProfileService and the profiles table, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from bot.domain.members import Member
from bot.domain.profile_input import ProfileInvalid
from bot.domain.profiles import ProgramRole, WorkingHours
from bot.services.profiles import ProfileService
from storage.db import create_session_factory
from storage.models import ProfileRow
from storage.uow import SqlUnitOfWorkFactory
from tests.support.clock import FakeClock

MINJI = Member(team_id="T111", user_id="U111", tz="Asia/Seoul", slack_locale="ko-KR")
ALEX = Member(team_id="T111", user_id="U222", tz="America/New_York", slack_locale="en-US")

MENTOR_FIELDS = {
    "role": "mentor",
    "background": "ml-engineer",
    "track": "llm-apps",
    "skills_offered": ["rag", "model-serving", "Vector DBs"],
    "working_hours": "10:00-19:00",
    "timezone": "Asia/Seoul",
    "languages": ["ko", "en"],
    "capacity": "2",
    "intro": "RAG in production at a fintech.",
}


@pytest.fixture
def uow(engine: Engine, clock: FakeClock) -> SqlUnitOfWorkFactory:
    return SqlUnitOfWorkFactory(create_session_factory(engine), clock)


@pytest.fixture
def profiles(uow: SqlUnitOfWorkFactory, clock: FakeClock) -> ProfileService:
    return ProfileService(uow, clock)


def rows(engine: Engine) -> list[ProfileRow]:
    with create_session_factory(engine)() as session:
        return list(session.scalars(select(ProfileRow).order_by(ProfileRow.user_id)))


def test_a_saved_profile_is_stored_once_and_read_back_whole(profiles, engine, clock):
    saved = profiles.save(MINJI, MENTOR_FIELDS)

    assert profiles.get("T111", "U111") == saved
    assert saved.role is ProgramRole.MENTOR
    assert saved.skills_offered == frozenset({"rag", "model-serving", "vector dbs"})
    assert saved.working_hours == WorkingHours(600, 1140)
    assert saved.languages == frozenset({"ko", "en"})
    assert saved.capacity == 2
    assert saved.updated_at == clock.now()
    [row] = rows(engine)
    assert (row.team_id, row.user_id, row.timezone) == ("T111", "U111", "Asia/Seoul")


def test_saving_again_updates_the_same_row(profiles, engine, clock):
    profiles.save(MINJI, MENTOR_FIELDS)
    clock.advance(timedelta(minutes=5))

    updated = profiles.save(MINJI, {**MENTOR_FIELDS, "capacity": "3", "intro": ""})

    assert (updated.capacity, updated.intro, updated.updated_at) == (3, "", clock.now())
    [row] = rows(engine)
    assert row.capacity == 3
    assert row.created_at == clock.now() - timedelta(minutes=5)


def test_an_invalid_profile_names_each_bad_field_and_stores_nothing(profiles, engine):
    with pytest.raises(ProfileInvalid) as invalid:
        profiles.save(MINJI, {**MENTOR_FIELDS, "working_hours": "9-6pm", "capacity": "0"})

    assert set(invalid.value.errors) == {"working_hours", "capacity"}
    assert rows(engine) == []


def test_an_invalid_edit_leaves_the_stored_profile_as_it_was(profiles):
    before = profiles.save(MINJI, MENTOR_FIELDS)

    with pytest.raises(ProfileInvalid):
        profiles.save(MINJI, {**MENTOR_FIELDS, "timezone": "Mars/Olympus", "capacity": "4"})

    assert profiles.get("T111", "U111") == before


def test_fields_not_given_keep_their_stored_values(profiles):
    profiles.import_rows(
        "T111", [(2, {"user_id": "U111", **_csv(MENTOR_FIELDS), "org_unit": "Search"})]
    )

    edited = profiles.save(MINJI, {**MENTOR_FIELDS, "capacity": "1"})

    assert (edited.org_unit, edited.capacity) == ("Search", 1)


def test_a_new_persons_draft_starts_from_their_slack_zone_and_language(profiles):
    draft = profiles.draft_for(MINJI)

    assert not draft.exists
    assert draft.fields["timezone"] == "Asia/Seoul"
    assert draft.fields["languages"] == ("ko",)
    assert draft.fields["working_hours"] == "09:00-18:00"


def test_a_draft_of_a_stored_profile_is_that_profile(profiles):
    profiles.save(MINJI, MENTOR_FIELDS)

    draft = profiles.draft_for(MINJI)

    assert draft.exists
    assert draft.fields["skills_offered"] == ("rag", "model-serving", "vector dbs")
    assert draft.fields["working_hours"] == "10:00-19:00"
    assert draft.fields["capacity"] == "2"


def test_an_empty_zone_or_language_takes_what_slack_says(profiles):
    mentee = profiles.save(
        ALEX, {"role": "mentee", "background": "backend", "track": "mlops", "timezone": ""}
    )

    assert (mentee.timezone, mentee.languages, mentee.capacity) == (
        "America/New_York",
        frozenset({"en"}),
        0,
    )


def test_import_stores_good_rows_and_reports_bad_ones_by_line_and_field(profiles, engine):
    report = profiles.import_rows(
        "T111",
        [
            (2, {"user_id": "U111", **_csv(MENTOR_FIELDS)}),
            (3, {"user_id": "U222", "role": "mentee", "background": "chef", "track": "nlp"}),
            (4, {"user_id": "U333", "role": "mentee", "background": "backend", "track": "nlp"}),
            (5, {"user_id": "", "role": "mentee"}),
            (6, {"user_id": "U333", "role": "mentee", "background": "backend", "track": "nlp"}),
        ],
    )

    assert (report.imported, report.updated) == (2, 0)
    assert [(p.line, p.field) for p in report.errors] == [
        (3, "background"),
        (5, "user_id"),
        (6, "user_id"),
    ]
    assert report.errors[0].message.startswith("“chef” is not a background on the list.")
    assert "already appears on line 4" in report.errors[2].message
    assert [row.user_id for row in rows(engine)] == ["U111", "U333"]


def test_reimport_updates_instead_of_duplicating(profiles, engine):
    first = {"user_id": "U333", "role": "mentee", "background": "backend", "track": "nlp"}
    profiles.import_rows("T111", [(2, first)])

    report = profiles.import_rows("T111", [(2, {**first, "track": "mlops"})])

    assert (report.imported, report.updated, report.errors) == (0, 1, [])
    [row] = rows(engine)
    assert row.track == "mlops"


def test_import_uses_the_members_known_zone_when_the_cell_is_empty(profiles, uow, clock):
    from bot.domain.members import SlackUser

    with uow() as unit:
        unit.members.record_slack_user(
            "T111", SlackUser("U333", "Europe/Berlin", "en-GB", False, False), clock.now()
        )
        unit.commit()

    profiles.import_rows(
        "T111",
        [(2, {"user_id": "U333", "role": "mentee", "background": "backend", "track": "nlp"})],
    )

    assert profiles.get("T111", "U333").timezone == "Europe/Berlin"


def test_export_lists_the_workspaces_profiles_only(profiles):
    profiles.save(MINJI, MENTOR_FIELDS)
    profiles.save(ALEX, {"role": "mentee", "background": "backend", "track": "mlops"})
    profiles.save(Member("T999", "U111"), MENTOR_FIELDS)

    assert [p.user_id for p in profiles.export("T111")] == ["U111", "U222"]
    assert [p.team_id for p in profiles.export("T999")] == ["T999"]


def test_mentors_and_mentees_are_listed_by_role(profiles, uow):
    profiles.save(MINJI, MENTOR_FIELDS)
    profiles.save(ALEX, {"role": "mentee", "background": "backend", "track": "mlops"})
    profiles.save(Member("T111", "U333"), {**MENTOR_FIELDS, "role": "both", "capacity": "1"})

    with uow() as unit:
        assert [p.user_id for p in unit.profiles.mentors("T111")] == ["U111", "U333"]
        assert [p.user_id for p in unit.profiles.mentees("T111")] == ["U222", "U333"]


def test_an_edit_keeps_the_persons_opt_out_and_pause(profiles, uow, clock):
    from dataclasses import replace
    from datetime import date

    saved = profiles.save(MINJI, MENTOR_FIELDS)
    with uow() as unit:
        unit.profiles.upsert(replace(saved, capacity=5), clock.now())
        unit.commit()
    with uow() as unit:  # a direct write of the person's own state, as a pause command would
        unit._session.execute(  # type: ignore[attr-defined]
            ProfileRow.__table__.update().values(opted_out=True, paused_until=date(2026, 12, 31))
        )
        unit.commit()

    edited = profiles.save(MINJI, MENTOR_FIELDS)

    assert (edited.opted_out, edited.paused_until, edited.capacity) == (
        True,
        date(2026, 12, 31),
        2,
    )


def _csv(fields: dict[str, object]) -> dict[str, str]:
    return {k: v if isinstance(v, str) else ";".join(v) for k, v in fields.items()}  # type: ignore[arg-type]
