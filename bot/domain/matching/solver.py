"""The best assignment of mentees to mentors: exact, with mentor capacities, fast at scale.

The problem
    A mentee gets at most one mentor, mentor j at most capacities[j] mentees, and only pairs with
    a score >= 0 may be matched. Among those assignments we want the largest total score - or,
    with `maximize_matches_first`, the largest number of matched mentees and, among those, the
    largest total score. The second is the first with a bonus B added to every pair's score,
    where B is bigger than any total score can be: one more match then always outweighs any
    difference in score.

How it is solved
    As a min cost flow (OR-Tools): the source sends one unit to each mentee, a mentee passes it
    to a mentor (cost -(score + B)), a mentor passes at most its capacity on to the sink, and an
    arc from the source straight to the sink (cost 0) lets mentees stay unmatched. The cheapest
    flow is the best assignment, and such flows are integral, so it is exact.

    With 10,000 mentees and 2,000 mentors that network would have 20 million arcs, yet almost
    every mentee ends up with one of its few best mentors. So we solve a small network first and
    prove afterwards that the rest could not have helped (column generation):

    1. candidates: each mentee's K best allowed mentors by score;
    2. solve the min cost flow on the candidate arcs only;
    3. price it: compute a potential d for every node, the shortest-path distance in the
       residual network of that flow (from a virtual root with a 0-cost arc to each node). The
       flow is optimal for its network, so the residual network has no negative cycle and a
       Bellman-Ford pass (vectorized in numpy) converges. These potentials make every residual
       arc's reduced cost, cost + d[tail] - d[head], non-negative;
    4. look at every allowed pair that is not a candidate: an unused arc mentee i -> mentor j
       would be a residual arc with reduced cost cost_ij + d[i] - d[j]. If none is negative, the
       potentials are a certificate (LP duality: the flow and the potentials satisfy
       complementary slackness for the full network), so the flow is optimal for all pairs. If
       some are negative, add those pairs to the candidates and go back to 2.

    Each round adds at least one arc, so it ends; in practice after one or two rounds.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

DEFAULT_CANDIDATES_PER_MENTEE = 20
PRICING_BLOCK_PAIRS = 1 << 21
"""Pairs priced at once: bounds the temporaries of the pricing step."""


@dataclass(frozen=True)
class AssignmentResult:
    assignment: np.ndarray
    """For each mentee the mentor's index, or -1."""
    rounds: int
    """How many min cost flows were solved (1 when the first candidates were enough)."""
    arcs: int
    """Mentee-mentor arcs in the last network."""


def optimal_assignment(
    scores: np.ndarray,
    capacities: np.ndarray,
    *,
    maximize_matches_first: bool,
    candidates_per_mentee: int | None = DEFAULT_CANDIDATES_PER_MENTEE,
) -> np.ndarray:
    """For each mentee the mentor index or -1, maximising the total score (see module doc)."""
    return solve_assignment(
        scores,
        capacities,
        maximize_matches_first=maximize_matches_first,
        candidates_per_mentee=candidates_per_mentee,
    ).assignment


def solve_assignment(
    scores: np.ndarray,
    capacities: np.ndarray,
    *,
    maximize_matches_first: bool,
    candidates_per_mentee: int | None = DEFAULT_CANDIDATES_PER_MENTEE,
) -> AssignmentResult:
    """`optimal_assignment` with statistics. `candidates_per_mentee=None` puts every pair in."""
    scores, capacities = _validated(scores, capacities)
    mentees = scores.shape[0]
    usable = capacities > 0
    if mentees == 0 or not usable.any() or not (scores[:, usable] >= 0).any():
        return AssignmentResult(np.full(mentees, -1, dtype=np.int64), rounds=0, arcs=0)

    bonus = 0
    if maximize_matches_first:
        most_pairs = min(mentees, int(np.minimum(capacities, mentees).sum()))
        bonus = most_pairs * int(scores.max()) + 1
    network = _Network(mentees, capacities, bonus)
    in_network = np.zeros(scores.shape, dtype=bool)
    rows, cols = _first_candidates(scores, usable, candidates_per_mentee)
    rounds = 0
    while True:
        in_network[rows, cols] = True
        network.add_pairs(rows, cols, scores[rows, cols])
        rounds += 1
        network.solve()
        if candidates_per_mentee is None:
            break
        rows, cols = _negative_reduced_costs(scores, usable, in_network, network)
        if rows.size == 0:
            break
    return AssignmentResult(network.assignment(), rounds=rounds, arcs=network.pair_count)


def greedy_assignment(scores: np.ndarray, capacities: np.ndarray) -> np.ndarray:
    """The baseline: take allowed pairs by descending score (then mentee, then mentor index)
    whenever the mentee is still free and the mentor has room."""
    scores, capacities = _validated(scores, capacities)
    mentees, _ = scores.shape
    assignment = np.full(mentees, -1, dtype=np.int64)
    room = capacities.copy()

    def best(i: int) -> int:
        """Mentee i's best mentor with room (lowest index among equals), or -1."""
        row = np.where(room > 0, scores[i], -1)
        j = int(np.argmax(row)) if row.size else -1
        return j if j >= 0 and row[j] >= 0 else -1

    heap = []
    for i in range(mentees):
        if (j := best(i)) >= 0:
            heap.append((-int(scores[i, j]), i, j))
    heapq.heapify(heap)
    while heap and room.any():
        _, i, j = heapq.heappop(heap)
        if room[j] > 0:
            assignment[i] = j
            room[j] -= 1
        elif (j := best(i)) >= 0:  # stale: that mentor filled up since; try the next best
            heapq.heappush(heap, (-int(scores[i, j]), i, j))
    return assignment


def total_score(scores: np.ndarray, assignment: np.ndarray) -> int:
    """The sum of the matched pairs' scores."""
    matched = np.flatnonzero(assignment >= 0)
    return int(scores[matched, assignment[matched]].sum(dtype=np.int64))


class _Network:
    """The flow network, grown by adding mentee-mentor arcs and solved anew after each growth.

    Nodes: 0 the source, 1..n the mentees, n+1..n+m the mentors, n+m+1 the sink.
    """

    def __init__(self, mentees: int, capacities: np.ndarray, bonus: int) -> None:
        self.mentees = mentees
        self.capacities = capacities
        self.bonus = bonus
        self.sink = mentees + capacities.size + 1
        self.rows = np.empty(0, dtype=np.int64)
        self.cols = np.empty(0, dtype=np.int64)
        self.costs = np.empty(0, dtype=np.int64)
        self.flow = np.empty(0, dtype=np.int64)

    @property
    def pair_count(self) -> int:
        return int(self.rows.size)

    def add_pairs(self, rows: np.ndarray, cols: np.ndarray, scores: np.ndarray) -> None:
        self.rows = np.concatenate([self.rows, rows])
        self.cols = np.concatenate([self.cols, cols])
        self.costs = np.concatenate([self.costs, -(scores.astype(np.int64) + self.bonus)])

    def arcs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Tails, heads, capacities, costs: source->mentee, mentor->sink, the bypass
        source->sink, then the mentee->mentor pairs (in `rows`/`cols` order)."""
        n, m = self.mentees, self.capacities.size
        mentor_nodes = np.arange(n + 1, n + 1 + m)
        tails = np.concatenate([np.zeros(n), mentor_nodes, [0], 1 + self.rows])
        heads = np.concatenate([np.arange(1, n + 1), np.full(m, self.sink), [self.sink]])
        heads = np.concatenate([heads, n + 1 + self.cols])
        caps = np.concatenate([np.ones(n), self.capacities, [n], np.ones(self.rows.size)])
        costs = np.concatenate([np.zeros(n + m + 1), self.costs])
        return (
            tails.astype(np.int32),
            heads.astype(np.int32),
            caps.astype(np.int64),
            costs.astype(np.int64),
        )

    def solve(self) -> None:
        tails, heads, caps, costs = self.arcs()
        solver = min_cost_flow.SimpleMinCostFlow()
        arcs = solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        supplies = np.zeros(self.sink + 1, dtype=np.int64)
        supplies[0], supplies[self.sink] = self.mentees, -self.mentees
        solver.set_nodes_supplies(np.arange(self.sink + 1, dtype=np.int32), supplies)
        status = solver.solve()
        if status != solver.OPTIMAL:
            raise RuntimeError(f"min cost flow failed: status {status}")
        self.flow = np.asarray(solver.flows(arcs), dtype=np.int64)

    def potentials(self) -> np.ndarray:
        """Shortest-path distances in the residual network from a virtual root joined to every
        node by a 0-cost arc (Bellman-Ford, one vectorized relaxation of all arcs per pass)."""
        tails, heads, caps, costs = self.arcs()
        forward = self.flow < caps
        backward = self.flow > 0
        r_tails = np.concatenate([tails[forward], heads[backward]])
        r_heads = np.concatenate([heads[forward], tails[backward]])
        r_costs = np.concatenate([costs[forward], -costs[backward]])
        order = np.argsort(r_heads, kind="stable")
        r_tails, r_heads, r_costs = r_tails[order], r_heads[order], r_costs[order]
        targets, starts = np.unique(r_heads, return_index=True)
        distance = np.zeros(self.sink + 1, dtype=np.int64)
        for _ in range(distance.size + 1):
            relaxed = np.minimum.reduceat(distance[r_tails] + r_costs, starts)
            better = relaxed < distance[targets]
            if not better.any():
                return distance
            distance[targets[better]] = relaxed[better]
        raise RuntimeError("negative cycle in the residual network: the flow is not optimal")

    def assignment(self) -> np.ndarray:
        assignment = np.full(self.mentees, -1, dtype=np.int64)
        pair_flow = self.flow[self.mentees + self.capacities.size + 1 :]
        used = pair_flow > 0
        assignment[self.rows[used]] = self.cols[used]
        return assignment


def _first_candidates(
    scores: np.ndarray, usable: np.ndarray, per_mentee: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, cols) of each mentee's `per_mentee` best allowed pairs (all of them for None)."""
    mentees, mentors = scores.shape
    allowed_cols = np.flatnonzero(usable)
    if per_mentee is None or per_mentee >= allowed_cols.size:
        rows, cols = np.nonzero((scores >= 0) & usable)
        return rows.astype(np.int64), cols.astype(np.int64)
    k = max(1, per_mentee)
    found_rows, found_cols = [], []
    step = max(1, PRICING_BLOCK_PAIRS // max(mentors, 1))
    for start in range(0, mentees, step):
        block = scores[start : start + step][:, allowed_cols]
        best = np.argpartition(-block, k - 1, axis=1)[:, :k]
        ok = np.take_along_axis(block, best, axis=1) >= 0
        found_rows.append(start + np.nonzero(ok)[0])
        found_cols.append(allowed_cols[best[ok]])
    return np.concatenate(found_rows), np.concatenate(found_cols)


def _negative_reduced_costs(
    scores: np.ndarray, usable: np.ndarray, in_network: np.ndarray, network: _Network
) -> tuple[np.ndarray, np.ndarray]:
    """Allowed pairs outside the network whose arc would have a negative reduced cost."""
    mentees, mentors = scores.shape
    distance = network.potentials()
    n = network.mentees
    mentee_d = distance[1 : n + 1]
    mentor_d = distance[n + 1 : n + 1 + mentors]
    found_rows, found_cols = [], []
    step = max(1, PRICING_BLOCK_PAIRS // max(mentors, 1))
    for start in range(0, mentees, step):
        block = scores[start : start + step].astype(np.int64)
        reduced = -(block + network.bonus) + mentee_d[start : start + step, None] - mentor_d
        negative = (reduced < 0) & (block >= 0) & usable & ~in_network[start : start + step]
        rows, cols = np.nonzero(negative)
        found_rows.append(start + rows)
        found_cols.append(cols)
    return np.concatenate(found_rows).astype(np.int64), np.concatenate(found_cols).astype(np.int64)


def _validated(scores: np.ndarray, capacities: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scores = np.asarray(scores)
    capacities = np.asarray(capacities, dtype=np.int64)
    if scores.ndim != 2 or capacities.shape != (scores.shape[1],):
        raise ValueError("scores must be mentees x mentors and capacities one per mentor")
    if (capacities < 0).any():
        raise ValueError("capacities must not be negative")
    return scores, capacities
