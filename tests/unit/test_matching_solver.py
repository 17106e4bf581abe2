"""The assignment is the exact optimum, respects capacities and exclusions, and beats greedy."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.matching import solver
from bot.domain.matching.solver import (
    greedy_assignment,
    optimal_assignment,
    solve_assignment,
    total_score,
)


@st.composite
def instances(draw) -> tuple[np.ndarray, np.ndarray]:
    mentees = draw(st.integers(1, 6))
    mentors = draw(st.integers(1, 4))
    cells = draw(
        st.lists(st.integers(-1, 20), min_size=mentees * mentors, max_size=mentees * mentors)
    )
    capacities = draw(st.lists(st.integers(0, 3), min_size=mentors, max_size=mentors))
    scores = np.array(cells, dtype=np.int32).reshape(mentees, mentors)
    return scores, np.array(capacities, dtype=np.int64)


def key(scores: np.ndarray, assignment: np.ndarray, matches_first: bool) -> tuple[int, ...]:
    total = total_score(scores, assignment)
    return (int((assignment >= 0).sum()), total) if matches_first else (total,)


def brute_force_best(scores: np.ndarray, capacities: np.ndarray, matches_first: bool) -> tuple:
    """The best key over every assignment (each mentee: no mentor or any mentor)."""
    mentees, mentors = scores.shape
    choices = np.array(list(product(range(-1, mentors), repeat=mentees)), dtype=np.int64)
    matched = choices >= 0
    picked = np.where(matched, scores[np.arange(mentees), np.maximum(choices, 0)], 0)
    allowed = np.all(~matched | (picked >= 0), axis=1)
    loads = (choices[:, :, None] == np.arange(mentors)).sum(axis=1)
    feasible = allowed & np.all(loads <= capacities, axis=1)
    totals = picked.sum(axis=1)[feasible]
    if matches_first:
        counts = matched.sum(axis=1)[feasible]
        best = np.lexsort((totals, counts))[-1]
        return (int(counts[best]), int(totals[best]))
    return (int(totals.max()),)


def assert_valid(scores: np.ndarray, capacities: np.ndarray, assignment: np.ndarray) -> None:
    assert assignment.shape == (scores.shape[0],)
    matched = np.flatnonzero(assignment >= 0)
    assert (scores[matched, assignment[matched]] >= 0).all(), "an excluded pair was matched"
    loads = np.bincount(assignment[matched], minlength=scores.shape[1])
    assert (loads <= capacities).all(), "a mentor got more mentees than their capacity"


@settings(max_examples=300, deadline=None)
@given(
    instance=instances(),
    matches_first=st.booleans(),
    candidates=st.sampled_from([1, 2, None, 20]),
)
def test_optimal_is_valid_exact_and_never_worse_than_greedy(instance, matches_first, candidates):
    scores, capacities = instance
    assignment = optimal_assignment(
        scores, capacities, maximize_matches_first=matches_first, candidates_per_mentee=candidates
    )
    assert_valid(scores, capacities, assignment)
    got = key(scores, assignment, matches_first)
    assert got == brute_force_best(scores, capacities, matches_first)
    greedy = greedy_assignment(scores, capacities)
    assert_valid(scores, capacities, greedy)
    assert got >= key(scores, greedy, matches_first)


def test_matches_first_trades_score_for_one_more_match():
    scores = np.array([[30, 9], [8, -1]], dtype=np.int32)  # one pair worth more than two
    capacities = np.array([1, 1])
    assert optimal_assignment(scores, capacities, maximize_matches_first=False).tolist() == [0, -1]
    assert optimal_assignment(scores, capacities, maximize_matches_first=True).tolist() == [1, 0]


def test_zero_score_pairs_are_matched_first_when_matches_come_first_excluded_ones_never():
    scores = np.array([[0, -1], [-1, -1]], dtype=np.int32)
    got = optimal_assignment(scores, np.array([1, 1]), maximize_matches_first=True)
    assert got.tolist() == [0, -1]
    alone = optimal_assignment(scores, np.array([1, 1]), maximize_matches_first=False)
    assert total_score(scores, alone) == 0 and alone[1] == -1


def test_greedy_takes_the_best_pair_first_and_can_be_beaten():
    scores = np.array([[10, 9], [9, 0]], dtype=np.int32)
    capacities = np.array([1, 1])
    assert greedy_assignment(scores, capacities).tolist() == [0, 1]  # 10 + 0
    best = optimal_assignment(scores, capacities, maximize_matches_first=False)
    assert best.tolist() == [1, 0]  # 9 + 9
    assert total_score(scores, best) == 18


def test_degenerate_inputs():
    empty = np.zeros((0, 3), dtype=np.int32)
    assert optimal_assignment(empty, np.ones(3), maximize_matches_first=True).shape == (0,)
    no_room = np.array([[5, 5]], dtype=np.int32)
    assert optimal_assignment(no_room, np.zeros(2), maximize_matches_first=True).tolist() == [-1]
    all_excluded = np.full((2, 2), -1, dtype=np.int32)
    assert greedy_assignment(all_excluded, np.ones(2)).tolist() == [-1, -1]
    with pytest.raises(ValueError, match="one per mentor"):
        optimal_assignment(no_room, np.ones(3), maximize_matches_first=True)


@pytest.mark.parametrize("matches_first", [True, False])
def test_column_generation_reaches_the_dense_optimum(matches_first, monkeypatch):
    """Two candidates per mentee are far too few: pricing must add arcs, over several rounds."""
    monkeypatch.setattr(solver, "PRICING_BLOCK_PAIRS", 1000)  # price in many row blocks
    rng = np.random.default_rng(4)
    mentees, mentors = 300, 60
    scores = rng.integers(0, 60, size=(mentees, mentors), dtype=np.int32)
    popular = rng.integers(0, 40, size=(mentees, 6), dtype=np.int32)
    scores[:, :6] += 60 + popular  # everybody's favourites are the same six mentors...
    scores[rng.random((mentees, mentors)) < 0.3] = -1
    capacities = rng.integers(0, 6, size=mentors)
    capacities[:6] = 2  # ...who have little room

    sparse = solve_assignment(
        scores, capacities, maximize_matches_first=matches_first, candidates_per_mentee=2
    )
    dense = solve_assignment(
        scores, capacities, maximize_matches_first=matches_first, candidates_per_mentee=None
    )
    assert sparse.rounds > 1
    assert dense.rounds == 1 and dense.arcs == int((scores[:, capacities > 0] >= 0).sum())
    assert sparse.arcs < dense.arcs
    assert_valid(scores, capacities, sparse.assignment)
    got = key(scores, sparse.assignment, matches_first)
    assert got == key(scores, dense.assignment, matches_first)
    assert got > key(scores, greedy_assignment(scores, capacities), matches_first)
