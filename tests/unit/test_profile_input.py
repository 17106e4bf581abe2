"""Raw profile fields (modal or CSV) into a Profile, or every problem by field."""

from __future__ import annotations

import pytest

from bot.domain.profile_input import (
    FIELDS,
    MAX_SKILLS_PER_FIELD,
    ProfileInvalid,
    canonical_timezone,
    default_fields,
    parse_profile,
    profile_fields,
    skill_key,
    split_list,
)
from bot.domain.profiles import (
    DEFAULT_WORKING_HOURS,
    MAX_CAPACITY,
    MAX_FREE_SKILL_LENGTH,
    MAX_INTRO_LENGTH,
    ProgramRole,
    WorkingHours,
)

MENTEE = {"role": "mentee", "background": "backend", "track": "llm-apps"}
MENTOR = {"role": "mentor", "background": "ml-engineer", "track": "llm-apps", "capacity": "2"}


def parse(**fields: object):
    return parse_profile("T1", "U1", {**MENTEE, **fields})  # type: ignore[dict-item]


def problems(**fields: object) -> dict[str, str]:
    with pytest.raises(ProfileInvalid) as invalid:
        parse_profile("T1", "U1", fields)  # type: ignore[arg-type]
    return {
        name: error.message.format(**error.values) for name, error in invalid.value.errors.items()
    }


def test_a_minimal_mentee_gets_the_defaults():
    profile = parse()

    assert (profile.role, profile.background, profile.track) == (
        ProgramRole.MENTEE,
        "backend",
        "llm-apps",
    )
    assert profile.working_hours == DEFAULT_WORKING_HOURS
    assert (profile.timezone, profile.languages, profile.capacity) == ("UTC", {"en"}, 0)
    assert profile.skills_offered == profile.skills_wanted == frozenset()


def test_role_background_and_track_are_required_and_every_problem_is_reported_at_once():
    assert problems() == {
        "role": "This field is required.",
        "background": "This field is required.",
        "track": "This field is required.",
    }


def test_choices_accept_keys_in_any_case_and_reject_others_with_the_list():
    assert parse(role="Mentee", background="Data Engineer", track="LLM_Apps").background == (
        "data-engineer"
    )
    found = problems(**{**MENTEE, "role": "boss", "track": "quantum"})
    assert found["role"] == "“boss” is not a role. Use one of: mentor, mentee, both."
    assert found["track"].startswith("“quantum” is not a track on the list. Use one of: llm-apps")


@pytest.mark.parametrize(
    ("typed", "hours"),
    [
        ("09:00-18:00", WorkingHours(540, 1080)),
        ("9:30 - 17:45", WorkingHours(570, 1065)),
        ("9-18", WorkingHours(540, 1080)),
        ("0900-1800", WorkingHours(540, 1080)),
        ("22:00~06:00", WorkingHours(1320, 360)),
        ("10:00–19:00", WorkingHours(600, 1140)),
        ("", DEFAULT_WORKING_HOURS),
    ],
)
def test_working_hours_in_the_usual_spellings(typed, hours):
    assert parse(working_hours=typed).working_hours == hours


@pytest.mark.parametrize("typed", ["9-6pm", "nine to six", "25:00-18:00", "09:60-18:00", "9"])
def test_working_hours_that_are_not_a_range_are_explained(typed):
    assert problems(**MENTEE, working_hours=typed) == {
        "working_hours": f"Working hours look like 09:00-18:00; “{typed}” is not that."
    }


def test_working_hours_cannot_be_empty():
    assert problems(**MENTEE, working_hours="09:00-09:00") == {
        "working_hours": "Working hours cannot start and end at the same time."
    }


def test_time_zones_are_iana_names_spelt_the_canonical_way():
    assert parse(timezone="asia/seoul").timezone == "Asia/Seoul"
    assert parse(timezone="", languages="").timezone == "UTC"
    assert canonical_timezone("Europe/Berlin") == "Europe/Berlin"
    assert problems(**MENTEE, timezone="KST") == {
        "timezone": "“KST” is not a time zone I know. Use an IANA name such as Asia/Seoul."
    }
    assert "timezone" in problems(**MENTEE, timezone="../../etc/passwd")


def test_empty_zone_and_languages_take_the_given_defaults():
    profile = parse_profile(
        "T1", "U1", MENTEE, default_timezone="Asia/Seoul", default_languages=("ko", "xx")
    )
    assert (profile.timezone, profile.languages) == ("Asia/Seoul", {"ko"})


def test_languages_come_from_the_program_list():
    assert parse(languages="ko; EN").languages == {"ko", "en"}
    assert parse(languages=["ja", "zh"]).languages == {"ja", "zh"}
    assert problems(**MENTEE, languages="ko;klingon")["languages"].startswith(
        "“klingon” is not a language on the list. Use one or more of: ko, en, ja, zh."
    )


def test_skills_are_vocabulary_keys_or_normalised_free_entries():
    profile = parse(
        skills_offered="Python; prompt engineering;  Vector   DBs ; PyTorch",
        skills_wanted=["Retrieval-augmented generation", "rag", "Korean NLP"],
    )
    assert profile.skills_offered == {"python", "prompt-engineering", "vector dbs", "pytorch"}
    assert profile.skills_wanted == {"rag", "korean nlp"}
    assert skill_key("Fine-Tuning") == "fine-tuning"
    assert split_list("a, b;;c ,") == ["a", "b", "c"]


def test_a_free_skill_has_a_length_limit():
    long_skill = "x" * (MAX_FREE_SKILL_LENGTH + 1)
    assert problems(**MENTEE, skills_wanted=long_skill)["skills_wanted"].endswith(
        f"is too long for a skill: at most {MAX_FREE_SKILL_LENGTH} characters each."
    )
    assert parse(skills_wanted="y" * MAX_FREE_SKILL_LENGTH).skills_wanted == {
        "y" * MAX_FREE_SKILL_LENGTH
    }


def test_a_skills_field_has_a_count_limit():
    many = [f"skill {n}" for n in range(MAX_SKILLS_PER_FIELD + 1)]
    assert problems(**MENTEE, skills_offered=many) == {
        "skills_offered": f"That is 11 skills; pick at most {MAX_SKILLS_PER_FIELD}."
    }
    assert len(parse(skills_offered=many[:-1]).skills_offered) == MAX_SKILLS_PER_FIELD


def test_a_mentor_must_say_how_many_mentees_they_take():
    assert parse_profile("T1", "U1", MENTOR).capacity == 2
    assert parse_profile("T1", "U1", {**MENTOR, "role": "both", "capacity": "1"}).is_mentor
    for capacity in ("", "0"):
        assert problems(**{**MENTOR, "capacity": capacity}) == {
            "capacity": "As a mentor, say how many mentees you can take at once (1 to 10)."
        }


@pytest.mark.parametrize("typed", ["-1", str(MAX_CAPACITY + 1), "two", "1.5", "²", "٣", "+1"])
def test_capacity_is_a_whole_number_in_range(typed):
    assert problems(**{**MENTOR, "capacity": typed}) == {
        "capacity": f"Capacity is a whole number from 0 to {MAX_CAPACITY}; “{typed}” is not."
    }


def test_a_capacity_of_thousands_of_digits_is_refused_not_a_crash():
    assert problems(**{**MENTOR, "capacity": "9" * 5000}) == {
        "capacity": f"Capacity is a whole number from 0 to {MAX_CAPACITY}; “{'9' * 39}…” is not."
    }


def test_a_mentee_takes_no_mentees():
    assert parse(capacity="0").capacity == 0
    assert parse(capacity="").capacity == 0
    assert problems(**MENTEE, capacity="3") == {
        "capacity": "Mentees take no mentees: leave capacity at 0, or choose “Mentor and mentee”."
    }


def test_the_intro_has_a_length_limit():
    assert parse(intro="  Hi!  ").intro == "Hi!"
    assert problems(**MENTEE, intro="x" * (MAX_INTRO_LENGTH + 1)) == {
        "intro": f"Keep the intro to {MAX_INTRO_LENGTH} characters; this one has 501."
    }


def test_a_career_move_has_both_ends_or_none():
    profile = parse(move_from="backend", move_to="mlops")
    assert (profile.move_from, profile.move_to) == ("backend", "mlops")
    assert problems(**MENTEE, move_from="backend") == {
        "move_to": "Give both ends of the career move, or neither."
    }
    assert set(problems(**MENTEE, move_from="chef", move_to="mlops")) == {"move_from"}


def test_org_unit_and_manager():
    profile = parse(org_unit="  Search   Quality ", manager_id="<@U0MGR|boss>")
    assert (profile.org_unit, profile.manager_id) == ("Search Quality", "U0MGR")
    assert parse(manager_id="u0mgr").manager_id == "U0MGR"
    assert problems(**MENTEE, manager_id="bob") == {
        "manager_id": "“bob” is not a Slack user id (it looks like U012ABCDEF)."
    }
    assert problems(**MENTEE, manager_id="U1") == {
        "manager_id": "“U1” is not a Slack user id (it looks like U012ABCDEF)."
    }
    assert problems(**MENTEE, manager_id="<@U1>")["manager_id"] == (
        "“<@U1>” is not a Slack user id (it looks like U012ABCDEF)."
    )
    assert problems(**MENTEE, org_unit="x" * 101) == {
        "org_unit": "Keep the team or department name to 100 characters."
    }


def test_a_person_is_not_their_own_manager():
    with pytest.raises(ProfileInvalid) as invalid:
        parse_profile("T1", "U0SELF", {**MENTEE, "manager_id": "U0SELF"})
    assert invalid.value.errors["manager_id"].message == "A person cannot be their own manager."


def test_profile_fields_parse_back_into_the_same_profile():
    profile = parse_profile(
        "T1",
        "U1",
        {
            **MENTOR,
            "role": "both",
            "skills_offered": "rag;pytorch;vector dbs",
            "skills_wanted": "product-sense",
            "move_from": "ml-researcher",
            "move_to": "llm-apps",
            "working_hours": "22:00-06:00",
            "timezone": "America/New_York",
            "languages": "en;ko",
            "intro": "Hello, 안녕하세요",
            "org_unit": "Search",
            "manager_id": "U0MGR",
        },
    )

    fields = profile_fields(profile)

    assert tuple(fields) == FIELDS
    assert fields["skills_offered"] == ("pytorch", "rag", "vector dbs")
    assert parse_profile("T1", "U1", fields) == profile


def test_default_fields_use_the_persons_zone_and_languages():
    assert default_fields("asia/seoul", ["ko"]) == {
        "working_hours": "09:00-18:00",
        "timezone": "Asia/Seoul",
        "languages": ("ko",),
    }
    assert default_fields("Nowhere/Else", ["xx"])["timezone"] == "UTC"
    assert default_fields("UTC", ["xx"])["languages"] == ("en",)


def test_profile_invalid_is_a_user_facing_error_naming_the_fields():
    with pytest.raises(ProfileInvalid) as invalid:
        parse_profile("T1", "U1", {**MENTEE, "timezone": "x", "capacity": "9"})
    assert invalid.value.message.format(**invalid.value.values) == (
        "Some profile fields need fixing: timezone, capacity."
    )
