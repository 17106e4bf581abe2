"""Pair scores, hard constraints and the vectorized pool that must agree with them."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from bot.domain.matching import scoring
from bot.domain.matching.scoring import (
    Exclusion,
    MatchPool,
    MatchWeights,
    PairScore,
    Reason,
    hour_mask,
    pair_exclusion,
    score_pair,
)
from bot.domain.profiles import SKILLS, Profile, ProgramRole, WorkingHours

SUMMER = date(2026, 7, 1)  # daylight saving in San Francisco and London
WINTER = date(2026, 1, 14)
WEIGHTS = MatchWeights()


def hours(start: str, end: str) -> WorkingHours:
    def minute(text: str) -> int:
        hh, mm = text.split(":")
        return int(hh) * 60 + int(mm)

    return WorkingHours(minute(start), minute(end))


def mentor(**changes) -> Profile:
    base = Profile(
        team_id="T1",
        user_id="UMENTOR",
        role=ProgramRole.MENTOR,
        background="other",
        track="nlp",
        timezone="UTC",
        languages=frozenset({"en"}),
        capacity=2,
    )
    return replace(base, **changes)


def mentee(**changes) -> Profile:
    base = Profile(
        team_id="T1",
        user_id="UMENTEE",
        role=ProgramRole.MENTEE,
        background="student",
        track="recsys",
        timezone="UTC",
        languages=frozenset({"en"}),
    )
    return replace(base, **changes)


def parts(a: Profile, b: Profile, on: date = SUMMER) -> dict[Reason, int]:
    return score_pair(a, b, WEIGHTS, on).parts


# --- score parts ----------------------------------------------------------------------------


def test_a_plain_pair_scores_only_language_and_hours():
    score = score_pair(mentor(), mentee(), WEIGHTS, SUMMER)
    assert score.parts == {Reason.SHARED_LANGUAGE: 5, Reason.HOURS_OVERLAP: 12}
    assert score.total == 17
    assert score.overlap_minutes == 9 * 60
    assert score.shared_languages == ("en",)
    assert score.shared_skills == ()


def test_same_track():
    assert parts(mentor(track="nlp"), mentee(track="nlp"))[Reason.SAME_TRACK] == 40
    assert Reason.SAME_TRACK not in parts(mentor(track="nlp"), mentee(track="mlops"))


def test_career_move_full_for_the_same_move_half_for_the_same_destination():
    made = mentor(move_from="backend", move_to="llm-apps")
    assert parts(made, mentee(move_from="backend", move_to="llm-apps"))[Reason.CAREER_MOVE] == 20
    assert parts(made, mentee(move_from="frontend", move_to="llm-apps"))[Reason.CAREER_MOVE] == 10
    assert parts(made, mentee(move_to="llm-apps"))[Reason.CAREER_MOVE] == 10
    assert Reason.CAREER_MOVE not in parts(made, mentee(move_from="backend", move_to="nlp"))
    assert Reason.CAREER_MOVE not in parts(made, mentee())


def test_career_move_half_when_the_mentee_heads_for_the_mentors_track():
    no_move = mentor(track="llm-apps")
    assert parts(no_move, mentee(move_from="backend", move_to="llm-apps"))[Reason.CAREER_MOVE] == 10
    # a mentor who made a different move is judged by that move, not by their track
    moved = mentor(track="llm-apps", move_from="frontend", move_to="mlops")
    assert Reason.CAREER_MOVE not in parts(moved, mentee(move_to="llm-apps"))


def test_skills_count_each_wanted_skill_offered_up_to_the_cap():
    offered = frozenset({"python", "rag", "sql", "statistics", "kubernetes", "vector dbs"})
    one = score_pair(
        mentor(skills_offered=offered), mentee(skills_wanted=frozenset({"rag"})), WEIGHTS, SUMMER
    )
    assert one.parts[Reason.SKILLS] == 6
    assert one.shared_skills == ("rag",)
    many = score_pair(
        mentor(skills_offered=offered), mentee(skills_wanted=offered), WEIGHTS, SUMMER
    )
    assert many.parts[Reason.SKILLS] == 4 * 6
    assert set(many.shared_skills) == offered  # all named, though only four counted
    assert many.shared_skills[-1] == "vector dbs"  # free skills after the vocabulary's


def test_offered_skills_of_the_mentee_and_wanted_skills_of_the_mentor_do_not_count():
    a = mentor(skills_wanted=frozenset({"rag"}))
    b = mentee(skills_offered=frozenset({"rag"}))
    assert Reason.SKILLS not in parts(a, b)


def test_hours_overlap_counts_whole_hours_up_to_the_cap():
    assert parts(mentor(), mentee())[Reason.HOURS_OVERLAP] == 6 * 2
    three = score_pair(
        mentor(working_hours=hours("09:00", "12:30")),
        mentee(working_hours=hours("08:00", "18:00")),
        WEIGHTS,
        SUMMER,
    )
    assert three.overlap_minutes == 210
    assert three.parts[Reason.HOURS_OVERLAP] == 3 * 2


def test_shared_language():
    score = score_pair(
        mentor(languages=frozenset({"ko", "en"})),
        mentee(languages=frozenset({"ko", "ja"})),
        WEIGHTS,
        SUMMER,
    )
    assert score.parts[Reason.SHARED_LANGUAGE] == 5
    assert score.shared_languages == ("ko",)


@pytest.mark.parametrize(
    ("mentor_background", "mentee_background", "expected"),
    [
        ("ml-engineer", "backend", 15),
        ("backend", "data-scientist", 15),
        ("ml-researcher", "ml-engineer", 0),
        ("devops", "frontend", 0),
        ("ml-engineer", "student", 0),
    ],
)
def test_background_complement(mentor_background, mentee_background, expected):
    got = parts(mentor(background=mentor_background), mentee(background=mentee_background))
    assert got.get(Reason.BACKGROUND_COMPLEMENT, 0) == expected


def test_weights_come_from_match_weights():
    weights = MatchWeights(same_track=7, shared_language=0, hours_overlap=1)
    score = score_pair(mentor(track="nlp"), mentee(track="nlp"), weights, SUMMER)
    assert score.parts == {Reason.SAME_TRACK: 7, Reason.HOURS_OVERLAP: 6}


def test_negative_weights_are_refused():
    with pytest.raises(ValueError, match="skill"):
        MatchWeights(skill=-1)


def test_top_reasons_biggest_first_ties_in_reason_order():
    score = PairScore(
        total=75,
        parts={
            Reason.SHARED_LANGUAGE: 5,
            Reason.SKILLS: 15,
            Reason.BACKGROUND_COMPLEMENT: 15,
            Reason.SAME_TRACK: 40,
        },
        shared_skills=(),
        overlap_minutes=0,
        shared_languages=(),
    )
    assert score.top_reasons() == (Reason.SAME_TRACK, Reason.SKILLS, Reason.BACKGROUND_COMPLEMENT)
    assert score.top_reasons(1) == (Reason.SAME_TRACK,)
    assert score.top_reasons(10)[-1] == Reason.SHARED_LANGUAGE


# --- working hours across time zones ----------------------------------------------------------


def minutes_in(mask: np.ndarray) -> int:
    return int(np.bitwise_count(mask).sum()) * scoring.SLOT_MINUTES


def test_hour_mask_places_local_hours_on_the_utc_clock():
    seoul = hour_mask(9 * 60, 18 * 60, "Asia/Seoul", SUMMER)  # 00:00-09:00 UTC
    assert minutes_in(seoul) == 9 * 60
    utc_morning = hour_mask(0, 9 * 60, "UTC", SUMMER)
    assert np.array_equal(seoul, utc_morning)


def test_overnight_hours_wrap_past_midnight():
    night = hour_mask(22 * 60, 6 * 60, "UTC", SUMMER)
    assert minutes_in(night) == 8 * 60
    early = hour_mask(60, 5 * 60, "UTC", SUMMER)
    assert minutes_in(night & early) == 4 * 60
    # an overnight worker in Seoul (13:00-21:00 UTC) and a San Francisco day (13:00-21:00 UTC)
    score = score_pair(
        mentor(working_hours=hours("22:00", "06:00"), timezone="Asia/Seoul"),
        mentee(working_hours=hours("06:00", "14:00"), timezone="America/Los_Angeles"),
        WEIGHTS,
        SUMMER,
    )
    assert score.overlap_minutes == 8 * 60


def test_quarter_hour_zones_are_exact_to_the_slot():
    kathmandu = hour_mask(9 * 60, 18 * 60, "Asia/Kathmandu", WINTER)  # UTC+5:45
    assert minutes_in(kathmandu) == 9 * 60
    assert minutes_in(kathmandu & hour_mask(3 * 60 + 15, 4 * 60, "UTC", WINTER)) == 45


SEOUL_MENTEE = mentee(timezone="Asia/Seoul", working_hours=hours("09:00", "18:00"))


@pytest.mark.parametrize(
    ("timezone", "working", "on", "overlap", "excluded"),
    [
        # San Francisco 09-18 is 16-01 UTC in summer, 17-02 UTC in winter; Seoul is 00-09 UTC
        ("America/Los_Angeles", ("09:00", "18:00"), SUMMER, 60, True),
        ("America/Los_Angeles", ("09:00", "18:00"), WINTER, 120, False),
        # London 09-18 is 08-17 UTC in summer, 09-18 UTC in winter
        ("Europe/London", ("09:00", "18:00"), SUMMER, 60, True),
        ("Europe/London", ("09:00", "18:00"), WINTER, 0, True),
        ("Europe/London", ("07:00", "16:00"), SUMMER, 180, False),
        ("Europe/London", ("07:00", "16:00"), WINTER, 120, False),
        ("Asia/Tokyo", ("09:00", "18:00"), WINTER, 9 * 60, False),
    ],
)
def test_seoul_mentee_against_mentors_abroad(timezone, working, on, overlap, excluded):
    abroad = mentor(timezone=timezone, working_hours=hours(*working))
    assert score_pair(abroad, SEOUL_MENTEE, WEIGHTS, on).overlap_minutes == overlap
    expected = Exclusion.TOO_LITTLE_OVERLAP if excluded else None
    assert pair_exclusion(abroad, SEOUL_MENTEE, WEIGHTS, on) is expected


def test_the_minimum_overlap_is_a_setting():
    abroad = mentor(timezone="America/Los_Angeles")
    relaxed = MatchWeights(min_overlap_minutes=60)
    assert pair_exclusion(abroad, SEOUL_MENTEE, relaxed, SUMMER) is None


# --- exclusions -------------------------------------------------------------------------------


def test_an_ordinary_pair_is_allowed():
    assert pair_exclusion(mentor(), mentee(), WEIGHTS, SUMMER) is None


def test_same_person():
    both = mentor(role=ProgramRole.BOTH)
    assert pair_exclusion(both, both, WEIGHTS, SUMMER) is Exclusion.SAME_PERSON


def test_no_shared_language():
    korean = mentor(languages=frozenset({"ko"}))
    assert pair_exclusion(korean, mentee(), WEIGHTS, SUMMER) is Exclusion.NO_SHARED_LANGUAGE
    silent = mentee(languages=frozenset())
    assert pair_exclusion(mentor(), silent, WEIGHTS, SUMMER) is Exclusion.NO_SHARED_LANGUAGE


def test_same_team_only_for_a_known_org_unit():
    assert (
        pair_exclusion(mentor(org_unit="search"), mentee(org_unit="search"), WEIGHTS, SUMMER)
        is Exclusion.SAME_TEAM
    )
    assert (
        pair_exclusion(mentor(org_unit="ads"), mentee(org_unit="search"), WEIGHTS, SUMMER) is None
    )
    assert pair_exclusion(mentor(), mentee(), WEIGHTS, SUMMER) is None  # both unknown


@pytest.mark.parametrize(
    ("mentor_changes", "mentee_changes"),
    [
        ({}, {"manager_id": "UMENTOR"}),  # the mentor manages the mentee
        ({"manager_id": "UMENTEE"}, {}),  # the mentee manages the mentor
        ({"manager_id": "UBOSS"}, {"manager_id": "UBOSS"}),  # same manager
    ],
)
def test_same_reporting_line(mentor_changes, mentee_changes):
    got = pair_exclusion(mentor(**mentor_changes), mentee(**mentee_changes), WEIGHTS, SUMMER)
    assert got is Exclusion.SAME_REPORTING_LINE


def test_different_managers_are_fine():
    a, b = mentor(manager_id="UBOSS1"), mentee(manager_id="UBOSS2")
    assert pair_exclusion(a, b, WEIGHTS, SUMMER) is None


def test_recent_pair_in_the_mentor_mentee_direction():
    recent = frozenset({("UMENTOR", "UMENTEE")})
    assert pair_exclusion(mentor(), mentee(), WEIGHTS, SUMMER, recent) is Exclusion.RECENT_PAIR
    reversed_roles = frozenset({("UMENTEE", "UMENTOR")})
    assert pair_exclusion(mentor(), mentee(), WEIGHTS, SUMMER, reversed_roles) is None


def test_the_first_exclusion_in_enum_order_is_named():
    a = mentor(org_unit="x", languages=frozenset({"ko"}))
    b = mentee(org_unit="x")
    assert pair_exclusion(a, b, WEIGHTS, SUMMER) is Exclusion.NO_SHARED_LANGUAGE


def test_an_excluded_pair_still_has_a_score_to_explain():
    a, b = mentor(track="nlp", org_unit="x"), mentee(track="nlp", org_unit="x")
    assert score_pair(a, b, WEIGHTS, SUMMER).parts[Reason.SAME_TRACK] == 40


# --- the pool ---------------------------------------------------------------------------------

ZONES = ["Asia/Seoul", "America/Los_Angeles", "Europe/London", "Asia/Tokyo", "UTC"]
FREE_SKILLS = [f"free skill {k}" for k in range(60)]  # with SKILLS: more than 64 bits


def random_profile(rng: random.Random, role: ProgramRole) -> Profile:
    skill_pool = [*SKILLS, *FREE_SKILLS]
    start = rng.randrange(0, 24 * 4) * 15
    length = rng.choice([60, 120, 240, 480, 540, 600])
    return Profile(
        team_id="T1",
        user_id=f"U{rng.randrange(12)}",
        role=role,
        background=rng.choice(["backend", "frontend", "ml-engineer", "data-scientist", "student"]),
        track=rng.choice(["nlp", "mlops", "llm-apps"]),
        skills_offered=frozenset(rng.sample(skill_pool, rng.randrange(0, 8))),
        skills_wanted=frozenset(rng.sample(skill_pool, rng.randrange(0, 8))),
        move_from=rng.choice([None, "backend", "frontend"]),
        move_to=rng.choice([None, "nlp", "llm-apps"]),
        working_hours=WorkingHours(start, (start + length) % (24 * 60)),
        timezone=rng.choice(ZONES),
        languages=frozenset(rng.sample(["ko", "en", "ja"], rng.randrange(0, 3))),
        org_unit=rng.choice([None, "a", "b", "c"]),
        manager_id=rng.choice([None, "U1", "U2", "U3", "UX"]),
    )


def random_pool(seed: int, mentees: int, mentors: int) -> tuple[list, list, list, frozenset]:
    rng = random.Random(seed)
    rows = [random_profile(rng, ProgramRole.MENTEE) for _ in range(mentees)]
    cols = [random_profile(rng, ProgramRole.MENTOR) for _ in range(mentors)]
    capacities = [rng.randrange(0, 3) for _ in cols]
    recent = frozenset((f"U{rng.randrange(12)}", f"U{rng.randrange(12)}") for _ in range(10))
    return rows, cols, capacities, recent


@pytest.mark.parametrize("seed", range(8))
def test_the_matrix_agrees_with_score_pair_and_pair_exclusion(seed, monkeypatch):
    monkeypatch.setattr(scoring, "BLOCK_PAIRS", 50)  # several row blocks
    rows, cols, capacities, recent = random_pool(seed, mentees=23, mentors=11)
    on = SUMMER if seed % 2 else WINTER
    weights = MatchWeights(min_overlap_minutes=60 * (seed % 3))
    pool = MatchPool(cols, rows, capacities, weights, on, recent)
    matrix = pool.score_matrix()
    assert matrix.dtype == np.int32 and matrix.shape == (23, 11)
    for i, b in enumerate(rows):
        for j, a in enumerate(cols):
            score = score_pair(a, b, weights, on)
            exclusion = pair_exclusion(a, b, weights, on, recent)
            assert score.total == sum(score.parts.values())
            assert matrix[i, j] == (-1 if exclusion else score.total), (i, j, exclusion)
            assert pool.pair_score(i, j) == score
            assert pool.pair_exclusion(i, j) is exclusion
    assert (matrix == -1).any() and (matrix > 0).any()


def test_exclusion_summary_names_the_most_common_reason():
    seoul_mentors = [
        mentor(user_id=f"UK{k}", timezone="Asia/Seoul", languages=frozenset({"ko"}))
        for k in range(3)
    ]
    far_mentors = [
        mentor(user_id=f"US{k}", timezone="America/New_York", languages=frozenset({"en"}))
        for k in range(2)
    ]
    english_in_seoul = replace(SEOUL_MENTEE, languages=frozenset({"en"}))
    pool = MatchPool(
        [*seoul_mentors, *far_mentors],
        [english_in_seoul, replace(SEOUL_MENTEE, languages=frozenset({"ko"}))],
        [1] * 5,
        WEIGHTS,
        WINTER,
    )
    assert pool.exclusion_summary(0) is Exclusion.NO_SHARED_LANGUAGE  # 3 of 5, 2 overlap
    assert pool.exclusion_summary(1) is Exclusion.NO_SHARED_LANGUAGE  # 2 of 5 (ties: enum order)
    allowed = MatchPool(
        seoul_mentors,
        [replace(SEOUL_MENTEE, languages=frozenset({"ko"}))],
        [1] * 3,
        WEIGHTS,
        WINTER,
    )
    assert allowed.exclusion_summary(0) is None


def test_suggestions_best_first_with_room_and_stable_ties():
    mentors = [
        mentor(user_id="U0", track="nlp"),
        mentor(user_id="U1", track="recsys"),  # best, but full
        mentor(user_id="U2", track="recsys", org_unit="x"),  # best, but same team
        mentor(user_id="U3"),
        mentor(user_id="U4", skills_offered=frozenset({"rag"})),
    ]
    pool = MatchPool(
        mentors,
        [mentee(track="recsys", org_unit="x", skills_wanted=frozenset({"rag"}))],
        [1, 0, 1, 1, 1],
        WEIGHTS,
        SUMMER,
    )
    got = pool.suggestions(0, n=3)
    assert [j for j, _ in got] == [4, 0, 3]
    assert got[0][1] == pool.pair_score(0, 4)
    assert got[0][1].shared_skills == ("rag",)
    assert got[1][1].total == got[2][1].total
    assert pool.suggestions(0, n=10)[-1][0] == 3


def test_an_empty_pool():
    pool = MatchPool([], [mentee()], [], WEIGHTS, SUMMER)
    assert pool.score_matrix().shape == (1, 0)
    assert pool.suggestions(0) == []
    assert pool.exclusion_summary(0) is None
    assert MatchPool([mentor()], [], [1], WEIGHTS, SUMMER).score_matrix().shape == (0, 1)


def test_one_capacity_per_mentor():
    with pytest.raises(ValueError, match="capacity"):
        MatchPool([mentor()], [mentee()], [], WEIGHTS, SUMMER)
