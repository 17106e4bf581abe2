"""How well a mentor fits a mentee, and which pairs must never be matched.

A pair's score is a sum of parts (same track, career move, skills, overlapping working hours,
shared language, engineering/AI background complement), each an integer weight from
`MatchWeights`. A pair is excluded (score -1 in the matrix) when a hard constraint says no.

One implementation serves both the single pair and the whole pool: `MatchPool` encodes the
profiles as numpy arrays (integer codes for categorical keys, bit masks for skills, languages and
working hours) and evaluates the rules on a rectangle of pairs at a time. `score_pair` is a 1x1
pool, so a pair's explanation can never disagree with the matrix the solver used.

Working hours are compared on a reference day (the caller's "today", so daylight saving is right
for the season): each person's local hours are placed on a 24-hour UTC clock of 15-minute slots
(15 rather than 30 so quarter-hour zones such as Asia/Kathmandu and hours like 09:15 stay exact up
to the slot), wrapping past midnight, and the overlap is a popcount of the two masks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

from bot.domain.i18n_markers import N_
from bot.domain.local_time import resolve_local
from bot.domain.profiles import (
    AI_BACKGROUNDS,
    ENGINEERING_BACKGROUNDS,
    PROGRAM_LANGUAGES,
    SKILLS,
    Profile,
)

MINUTES_PER_DAY = 24 * 60
SLOT_MINUTES = 15
SLOTS_PER_DAY = MINUTES_PER_DAY // SLOT_MINUTES
HOUR_WORDS = -(-SLOTS_PER_DAY // 64)
BLOCK_PAIRS = 1 << 20
"""Pairs evaluated at once: bounds the temporaries of `score_matrix` to tens of MiB."""


@dataclass(frozen=True)
class MatchWeights:
    """Points per score part, and the settings of the hard constraints (all integers)."""

    same_track: int = 40
    career_move: int = 20
    """Full weight for the same move (from and to); half for the same destination only."""
    skill: int = 6
    """Per skill the mentee wants and the mentor offers..."""
    max_skills_counted: int = 4
    """...counting at most this many."""
    hours_overlap: int = 2
    """Per whole hour both are at work..."""
    max_overlap_hours_counted: int = 6
    """...counting at most this many."""
    shared_language: int = 5
    background_complement: int = 15
    """An engineer with an AI mentor, or the reverse: the pairing the program values."""
    min_overlap_minutes: int = 120
    """Pairs with less common working time are excluded."""
    recency_weeks: int = 12
    """How far back the caller looks for recent pairs (the domain only sees the result)."""
    maximize_matches_first: bool = True
    """Match as many mentees as possible, then maximise the score among those matchings."""

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if name != "maximize_matches_first" and value < 0:
                raise ValueError(f"{name} must not be negative: {value}")


class Reason(StrEnum):
    """A part of a pair's score: why they fit."""

    SAME_TRACK = "same-track"
    CAREER_MOVE = "career-move"
    SKILLS = "skills"
    HOURS_OVERLAP = "hours-overlap"
    SHARED_LANGUAGE = "shared-language"
    BACKGROUND_COMPLEMENT = "background-complement"


class Exclusion(StrEnum):
    """Why a pair may not be matched. When several apply, the first in this order is named."""

    SAME_PERSON = "same-person"
    NO_SHARED_LANGUAGE = "no-shared-language"
    TOO_LITTLE_OVERLAP = "too-little-overlap"
    SAME_TEAM = "same-team"
    SAME_REPORTING_LINE = "same-reporting-line"
    RECENT_PAIR = "recent-pair"


REASON_LABELS = {
    Reason.SAME_TRACK: N_("Same track"),
    Reason.CAREER_MOVE: N_("Made the same career move"),
    Reason.SKILLS: N_("Offers skills you want"),
    Reason.HOURS_OVERLAP: N_("Overlapping working hours"),
    Reason.SHARED_LANGUAGE: N_("Shared language"),
    Reason.BACKGROUND_COMPLEMENT: N_("Complementary background"),
}

EXCLUSION_LABELS = {
    Exclusion.SAME_PERSON: N_("Same person"),
    Exclusion.NO_SHARED_LANGUAGE: N_("No shared language"),
    Exclusion.TOO_LITTLE_OVERLAP: N_("Too little overlap in working hours"),
    Exclusion.SAME_TEAM: N_("Same team"),
    Exclusion.SAME_REPORTING_LINE: N_("Same reporting line"),
    Exclusion.RECENT_PAIR: N_("Matched recently"),
}

_EXCLUSIONS = tuple(Exclusion)
_REASONS = tuple(Reason)


@dataclass(frozen=True)
class PairScore:
    total: int
    parts: dict[Reason, int]
    """Only the parts that contributed (non-zero)."""
    shared_skills: tuple[str, ...]
    overlap_minutes: int
    shared_languages: tuple[str, ...]

    def top_reasons(self, n: int = 3) -> tuple[Reason, ...]:
        """The biggest contributions first; equal ones in `Reason` order."""
        ranked = sorted(
            self.parts, key=lambda reason: (-self.parts[reason], _REASONS.index(reason))
        )
        return tuple(ranked[:n])


def score_pair(mentor: Profile, mentee: Profile, weights: MatchWeights, on: date) -> PairScore:
    """The score of one pair, whether or not it is allowed (see `pair_exclusion`)."""
    return MatchPool([mentor], [mentee], [1], weights, on).pair_score(0, 0)


def pair_exclusion(
    mentor: Profile,
    mentee: Profile,
    weights: MatchWeights,
    on: date,
    recent_pairs: frozenset[tuple[str, str]] = frozenset(),
) -> Exclusion | None:
    """Why the pair may not be matched, or None. `recent_pairs` holds (mentor, mentee) user ids."""
    return MatchPool([mentor], [mentee], [1], weights, on, recent_pairs).pair_exclusion(0, 0)


@dataclass(frozen=True)
class _Side:
    """One side of the pool (mentees or mentors) as arrays, one entry per person."""

    track: np.ndarray
    move_from: np.ndarray
    move_to: np.ndarray
    engineer: np.ndarray
    ai: np.ndarray
    skills: np.ndarray
    """(people, words) uint64: skills wanted (mentees) or offered (mentors)."""
    languages: np.ndarray
    hours: np.ndarray
    user: np.ndarray
    manager: np.ndarray
    org_unit: np.ndarray


@dataclass
class _Block:
    """The rules evaluated on a rectangle of pairs: rows are mentees, columns mentors."""

    parts: dict[Reason, np.ndarray]
    overlap_minutes: np.ndarray
    exclusion: np.ndarray
    """0 when allowed, else 1 + the index of the first applicable `Exclusion`."""

    def scores(self) -> np.ndarray:
        """int32 totals, -1 where excluded."""
        total = np.zeros(self.exclusion.shape, dtype=np.int32)
        for part in self.parts.values():
            total += part
        total[self.exclusion > 0] = -1
        return total


class MatchPool:
    """The mentees and mentors of one matching run, encoded for vectorized scoring.

    The caller passes only people who take part (available, opted in); `capacities` are the
    mentors' remaining places. Row i of every matrix is mentees[i], column j is mentors[j].
    """

    def __init__(
        self,
        mentors: Sequence[Profile],
        mentees: Sequence[Profile],
        capacities: Sequence[int],
        weights: MatchWeights,
        on: date,
        recent_pairs: Collection[tuple[str, str]] = frozenset(),
    ) -> None:
        if len(capacities) != len(mentors):
            raise ValueError("one capacity per mentor")
        self.mentors = tuple(mentors)
        self.mentees = tuple(mentees)
        self.capacities = np.asarray(capacities, dtype=np.int64).reshape(len(mentors))
        if (self.capacities < 0).any():
            raise ValueError("capacities must not be negative")
        self.weights = weights
        self.on = on
        people = (*self.mentees, *self.mentors)
        self.skill_names = _vocabulary(
            SKILLS, (s for p in people for s in p.skills_offered | p.skills_wanted)
        )
        self.language_names = _vocabulary(
            PROGRAM_LANGUAGES, (x for p in people for x in p.languages)
        )
        labels: dict[str, int] = {}
        ids: dict[str, int] = {}
        org_units: dict[str, int] = {}
        skill_bits = {name: bit for bit, name in enumerate(self.skill_names)}
        language_bits = {name: bit for bit, name in enumerate(self.language_names)}

        def side(group: Sequence[Profile], *, wanted: bool) -> _Side:
            return _Side(
                track=_codes((p.track for p in group), labels),
                move_from=_codes((p.move_from for p in group), labels),
                move_to=_codes((p.move_to for p in group), labels),
                engineer=np.array([p.background in ENGINEERING_BACKGROUNDS for p in group], bool),
                ai=np.array([p.background in AI_BACKGROUNDS for p in group], bool),
                skills=_masks(
                    [p.skills_wanted if wanted else p.skills_offered for p in group], skill_bits
                ),
                languages=_masks([p.languages for p in group], language_bits),
                hours=np.array([_working_hours(p, on) for p in group], dtype=np.uint64).reshape(
                    len(group), HOUR_WORDS
                ),
                user=_codes((p.user_id for p in group), ids),
                manager=_codes((p.manager_id for p in group), ids),
                org_unit=_codes((p.org_unit for p in group), org_units),
            )

        self._rows = side(self.mentees, wanted=True)
        self._cols = side(self.mentors, wanted=False)
        self._recent = self._recent_pair_indices(recent_pairs)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.mentees), len(self.mentors)

    def score_matrix(self) -> np.ndarray:
        """int32 (mentees x mentors): the pair's score, or -1 where a hard constraint excludes."""
        rows, cols = self.shape
        out = np.empty((rows, cols), dtype=np.int32)
        step = max(1, BLOCK_PAIRS // max(cols, 1))
        for start in range(0, rows, step):
            stop = min(rows, start + step)
            out[start:stop] = self._evaluate(start, stop, 0, cols).scores()
        return out

    def pair_score(self, mentee_index: int, mentor_index: int) -> PairScore:
        block = self._evaluate(mentee_index, mentee_index + 1, mentor_index, mentor_index + 1)
        return self._pair_score(block, 0, mentee_index, mentor_index)

    def pair_exclusion(self, mentee_index: int, mentor_index: int) -> Exclusion | None:
        block = self._evaluate(mentee_index, mentee_index + 1, mentor_index, mentor_index + 1)
        code = int(block.exclusion[0, 0])
        return _EXCLUSIONS[code - 1] if code else None

    def exclusion_summary(self, mentee_index: int) -> Exclusion | None:
        """The most common reason this mentee's pairs are excluded (None if none is).

        Explains who stays unmatched: "no mentor shares your working hours". A mentee with
        allowed pairs who is still unmatched lacked mentor capacity, not a fit.
        """
        codes = self._evaluate(mentee_index, mentee_index + 1, 0, self.shape[1]).exclusion[0]
        counts = np.bincount(codes, minlength=len(_EXCLUSIONS) + 1)[1:]
        if not counts.any():
            return None
        return _EXCLUSIONS[int(np.argmax(counts))]  # ties: the earlier Exclusion

    def suggestions(self, mentee_index: int, n: int = 3) -> list[tuple[int, PairScore]]:
        """The best allowed mentors with places left: highest score first, then lowest index."""
        block = self._evaluate(mentee_index, mentee_index + 1, 0, self.shape[1])
        scores = block.scores()[0]
        candidates = np.flatnonzero((scores >= 0) & (self.capacities > 0))
        ranked = candidates[np.lexsort((candidates, -scores[candidates]))][:n]
        return [(int(j), self._pair_score(block, int(j), mentee_index, int(j))) for j in ranked]

    def _pair_score(self, block: _Block, column: int, mentee: int, mentor: int) -> PairScore:
        parts = {reason: int(values[0, column]) for reason, values in block.parts.items()}
        return PairScore(
            total=sum(parts.values()),
            parts={reason: value for reason, value in parts.items() if value},
            shared_skills=_names(
                self._rows.skills[mentee] & self._cols.skills[mentor], self.skill_names
            ),
            overlap_minutes=int(block.overlap_minutes[0, column]),
            shared_languages=_names(
                self._rows.languages[mentee] & self._cols.languages[mentor], self.language_names
            ),
        )

    def _evaluate(self, row_start: int, row_stop: int, col_start: int, col_stop: int) -> _Block:
        """Every rule on mentees[row_start:row_stop] x mentors[col_start:col_stop]."""
        w = self.weights
        e = _slice(self._rows, row_start, row_stop)
        r = _slice(self._cols, col_start, col_stop)

        def pairwise(mentee_values: np.ndarray, mentor_values: np.ndarray) -> np.ndarray:
            return mentee_values[:, None] == mentor_values[None, :]

        same_track = pairwise(e.track, r.track)
        same_to = pairwise(e.move_to, r.move_to) & (e.move_to >= 0)[:, None]
        same_move = same_to & pairwise(e.move_from, r.move_from) & (e.move_from >= 0)[:, None]
        to_mentor_track = (r.move_to < 0)[None, :] & pairwise(e.move_to, r.track)
        career = np.where(
            same_move, w.career_move, np.where(same_to | to_mentor_track, w.career_move // 2, 0)
        )
        skills = np.minimum(_common_bits(e.skills, r.skills), w.max_skills_counted)
        overlap_minutes = _common_bits(e.hours, r.hours) * SLOT_MINUTES
        overlap_hours = np.minimum(overlap_minutes // 60, w.max_overlap_hours_counted)
        shared_language = _common_bits(e.languages, r.languages) > 0
        complement = (e.engineer[:, None] & r.ai[None, :]) | (e.ai[:, None] & r.engineer[None, :])
        parts = {
            Reason.SAME_TRACK: same_track * np.int32(w.same_track),
            Reason.CAREER_MOVE: career.astype(np.int32),
            Reason.SKILLS: skills * np.int32(w.skill),
            Reason.HOURS_OVERLAP: overlap_hours * np.int32(w.hours_overlap),
            Reason.SHARED_LANGUAGE: shared_language * np.int32(w.shared_language),
            Reason.BACKGROUND_COMPLEMENT: complement * np.int32(w.background_complement),
        }

        reporting_line = (
            (pairwise(e.manager, r.user) & (e.manager >= 0)[:, None])
            | (pairwise(e.user, r.manager) & (r.manager >= 0)[None, :])
            | (pairwise(e.manager, r.manager) & (e.manager >= 0)[:, None])
        )
        recent = np.zeros(same_track.shape, dtype=bool)
        rows, cols = self._recent
        inside = (rows >= row_start) & (rows < row_stop) & (cols >= col_start) & (cols < col_stop)
        recent[rows[inside] - row_start, cols[inside] - col_start] = True
        rules = {
            Exclusion.SAME_PERSON: pairwise(e.user, r.user) & (e.user >= 0)[:, None],
            Exclusion.NO_SHARED_LANGUAGE: ~shared_language,
            Exclusion.TOO_LITTLE_OVERLAP: overlap_minutes < w.min_overlap_minutes,
            Exclusion.SAME_TEAM: pairwise(e.org_unit, r.org_unit) & (e.org_unit >= 0)[:, None],
            Exclusion.SAME_REPORTING_LINE: reporting_line,
            Exclusion.RECENT_PAIR: recent,
        }
        exclusion = np.zeros(same_track.shape, dtype=np.int8)
        for code in range(len(_EXCLUSIONS), 0, -1):  # the first rule that applies wins
            exclusion[rules[_EXCLUSIONS[code - 1]]] = code
        return _Block(parts=parts, overlap_minutes=overlap_minutes, exclusion=exclusion)

    def _recent_pair_indices(
        self, recent_pairs: Collection[tuple[str, str]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """(mentee rows, mentor columns) of the recent pairs that are in this pool."""
        mentee_rows = _positions(p.user_id for p in self.mentees)
        mentor_cols = _positions(p.user_id for p in self.mentors)
        rows: list[int] = []
        cols: list[int] = []
        for mentor_id, mentee_id in recent_pairs:
            for j in mentor_cols.get(mentor_id, ()):
                for i in mentee_rows.get(mentee_id, ()):
                    rows.append(i)
                    cols.append(j)
        return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)


def hour_mask(hours_start: int, hours_end: int, timezone: str, on: date) -> np.ndarray:
    """Local working hours on day `on` as a bit mask of the UTC day's 15-minute slots.

    Slot k is [k*15, (k+1)*15) minutes after UTC midnight; a slot counts only when it is wholly
    inside the hours. Hours that cross UTC midnight (or local midnight) wrap around.
    """
    return np.array(_hour_mask(hours_start, hours_end, timezone, on), dtype=np.uint64)


def _working_hours(person: Profile, on: date) -> tuple[int, ...]:
    hours = person.working_hours
    return _hour_mask(hours.start_minute, hours.end_minute, person.timezone, on)


@lru_cache(maxsize=4096)
def _hour_mask(hours_start: int, hours_end: int, timezone: str, on: date) -> tuple[int, ...]:
    zone = ZoneInfo(timezone)
    start = resolve_local(on, _clock(hours_start), zone)
    end_day = on if hours_end > hours_start else on + timedelta(days=1)
    end = resolve_local(end_day, _clock(hours_end), zone)
    minutes = max(0, int((end - start).total_seconds()) // 60)
    first_minute = start.hour * 60 + start.minute
    first = -(-first_minute // SLOT_MINUTES)
    last = (first_minute + minutes) // SLOT_MINUTES
    slots = range(SLOTS_PER_DAY) if last - first >= SLOTS_PER_DAY else range(first, last)
    words = [0] * HOUR_WORDS
    for slot in slots:
        slot %= SLOTS_PER_DAY
        words[slot // 64] |= 1 << (slot % 64)
    return tuple(words)


def _clock(minute: int) -> time:
    return time(minute // 60, minute % 60)


def _vocabulary(known: Mapping[str, object], values: Iterable[str]) -> tuple[str, ...]:
    """The known keys in their fixed order, then any free entries, sorted."""
    return (*known, *sorted(set(values) - set(known)))


def _codes(values: Iterable[str | None], vocabulary: dict[str, int]) -> np.ndarray:
    """Integer codes shared through `vocabulary` (grown as needed); None and "" give -1."""
    return np.array(
        [vocabulary.setdefault(v, len(vocabulary)) if v else -1 for v in values], dtype=np.int64
    )


def _masks(sets: Sequence[Collection[str]], bits: Mapping[str, int]) -> np.ndarray:
    """(len(sets), words) uint64 bit masks: as many 64-bit words as the vocabulary needs."""
    words = max(1, -(-len(bits) // 64))
    out = np.zeros((len(sets), words * 64), dtype=bool)
    for row, names in enumerate(sets):
        out[row, [bits[name] for name in names]] = True
    weights = np.uint64(1) << np.arange(64, dtype=np.uint64)
    return (out.reshape(len(sets), words, 64).astype(np.uint64) * weights).sum(
        axis=2, dtype=np.uint64
    )


def _common_bits(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """(len(rows), len(cols)) int32: how many bits each pair of masks has in common."""
    common = np.zeros((rows.shape[0], cols.shape[0]), dtype=np.int32)
    for word in range(rows.shape[1]):
        common += np.bitwise_count(rows[:, word, None] & cols[None, :, word])
    return common


def _names(mask: np.ndarray, names: Sequence[str]) -> tuple[str, ...]:
    return tuple(name for bit, name in enumerate(names) if int(mask[bit // 64]) >> (bit % 64) & 1)


def _positions(ids: Iterable[str]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = {}
    for index, user_id in enumerate(ids):
        positions.setdefault(user_id, []).append(index)
    return positions


def _slice(side: _Side, start: int, stop: int) -> _Side:
    return _Side(**{name: getattr(side, name)[start:stop] for name in side.__dataclass_fields__})
