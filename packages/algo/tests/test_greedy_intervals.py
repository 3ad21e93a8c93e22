"""Tests for algo.greedy_intervals: point-by-point and every-subset oracles, operations counted.

Random intervals come from a seeded ``random.Random`` (deterministic like the
package's Hypothesis profile) on a small integer line, so touching ends,
duplicates and containment are common. The scheduling oracle tries every
subset, so those inputs stay at ten intervals or fewer.

The heap's comparisons are counted from outside: the meetings' end times are
``Compared`` ints that count every ordering comparison made on them, so a
list re-sorted per meeting or scanned for a free room shows in the count.
"""

from __future__ import annotations

import math
import random
from itertools import combinations, pairwise

import pytest

from handbook.algo.greedy_intervals import (
    Interval,
    OpCount,
    greedy_schedule,
    max_non_overlapping,
    merge_intervals,
    min_rooms_heap,
    min_rooms_sweep,
)
from handbook.algo.testing import Compared


def random_intervals(rng: random.Random, most: int, empty_ok: bool = False) -> list[Interval]:
    """0..``most`` intervals with ends in 0..12; ``start < end`` unless ``empty_ok``."""
    result = []
    for _ in range(rng.randint(0, most)):
        start = rng.randint(0, 11)
        end = rng.randint(start if empty_ok else start + 1, 12)
        result.append((start, end))
    return result


def covered_points(intervals: list[Interval]) -> set[float]:
    """The closed intervals' union, sampled at every half-integer from 0 to 12."""
    return {t / 2 for t in range(25) if any(s <= t / 2 <= e for s, e in intervals)}


def max_overlap(meetings: list[Interval]) -> int:
    """The oracle for rooms: most half-open meetings in progress at one instant.

    A maximum is reached at some start, so checking the starts suffices.
    """
    return max((sum(s <= t < e for s, e in meetings) for t, _ in meetings), default=0)


def compatible(chosen: list[Interval] | tuple[Interval, ...]) -> bool:
    """No two half-open intervals overlap (touching is fine)."""
    return all(e1 <= s2 or e2 <= s1 for (s1, e1), (s2, e2) in combinations(chosen, 2))


def best_schedule_size(intervals: list[Interval]) -> int:
    """The oracle for scheduling: the largest compatible subset, by trying them all."""
    for size in range(len(intervals), 0, -1):
        if any(compatible(subset) for subset in combinations(intervals, size)):
            return size
    return 0


def test_merge_matches_the_union_of_the_intervals() -> None:
    rng = random.Random(111)
    for _ in range(300):
        intervals = random_intervals(rng, 8, empty_ok=True)
        merged = merge_intervals(intervals)
        assert covered_points(merged) == covered_points(intervals)
        # Sorted, and separated by a real gap: nothing left to merge.
        assert all(e1 < s2 for (_, e1), (s2, _) in pairwise(merged))
        assert all(s <= e for s, e in merged)


def test_merge_keeps_the_end_of_a_containing_interval() -> None:
    assert merge_intervals([(1, 10), (2, 3), (4, 8)]) == [(1, 10)]
    assert merge_intervals([(1, 4), (2, 3)]) == [(1, 4)]
    assert merge_intervals([(1, 3), (2, 6), (8, 10), (15, 18)]) == [(1, 6), (8, 10), (15, 18)]


def test_merge_joins_touching_intervals_because_ends_are_closed() -> None:
    assert merge_intervals([(1, 2), (2, 3)]) == [(1, 3)]
    assert merge_intervals([(1, 4), (4, 5)]) == [(1, 5)]  # LeetCode 56
    assert merge_intervals([(1, 2), (3, 4)]) == [(1, 2), (3, 4)]  # a gap: kept apart
    assert merge_intervals([(3, 4), (1, 2)]) == [(1, 2), (3, 4)]  # unsorted input
    assert merge_intervals([]) == []


def test_rooms_by_heap_and_sweep_match_the_maximum_overlap() -> None:
    rng = random.Random(112)
    for _ in range(400):
        meetings = random_intervals(rng, 10)
        expected = max_overlap(meetings)
        assert min_rooms_heap(meetings) == expected
        assert min_rooms_sweep(meetings) == expected


def test_back_to_back_meetings_share_a_room() -> None:
    for rooms in (min_rooms_heap, min_rooms_sweep):
        assert rooms([(1, 5), (5, 9)]) == 1
        assert rooms([(0, 30), (5, 10), (15, 20)]) == 2  # LeetCode 253
        assert rooms([(7, 10), (2, 4)]) == 1
        assert rooms([(1, 3), (3, 5), (5, 7), (2, 6)]) == 2
        assert rooms([]) == 0


def test_heap_comparisons_are_logarithmic_per_meeting() -> None:
    rng = random.Random(113)
    for n in (10, 100, 1_000, 2_000):
        # Distinct starts, so sorting the tuples never compares two end times.
        starts = rng.sample(range(10 * n), n)
        overlapping = [(s, s + rng.randint(1, 5 * n)) for s in starts]  # many rooms at once
        nested = [(i, 2 * n - i) for i in range(n)]  # all n overlap: n rooms
        for meetings in (nested, overlapping):
            compared = OpCount()
            counted = [(s, Compared(e, compared)) for s, e in meetings]
            assert min_rooms_heap(counted) == min_rooms_sweep(meetings)
            # Per meeting: the start <= end check, ends[0] <= start, and one
            # heappush or heapreplace (down one path and back up: 2 per level).
            assert compared.count <= n * (2 + 2 * math.ceil(math.log2(n + 1)))
    assert min_rooms_heap(nested) == n


def test_sweep_makes_between_n_and_2n_pointer_moves() -> None:
    rng = random.Random(116)
    for n in (10, 100, 1_000, 10_000):
        meetings = []
        for _ in range(n):
            start = rng.randint(0, 10 * n)
            meetings.append((start, start + rng.randint(1, 50)))
        moves = OpCount()
        assert min_rooms_sweep(meetings, moves) == min_rooms_heap(meetings)
        assert n <= moves.count <= 2 * n


def test_earliest_end_schedule_is_as_large_as_the_best_subset() -> None:
    rng = random.Random(114)
    for _ in range(300):
        intervals = random_intervals(rng, 9)
        chosen = max_non_overlapping(intervals)
        assert compatible(chosen)
        assert all(iv in intervals for iv in chosen)
        assert len(chosen) == best_schedule_size(intervals)


def test_shortest_first_loses_to_earliest_end() -> None:
    intervals = [(0, 10), (9, 12), (11, 20)]
    shortest = greedy_schedule(intervals, key=lambda iv: iv[1] - iv[0])
    assert shortest == [(9, 12)]  # it overlaps both others
    assert max_non_overlapping(intervals) == [(0, 10), (11, 20)]
    assert best_schedule_size(intervals) == 2


def test_earliest_start_loses_to_earliest_end() -> None:
    intervals = [(0, 100), (1, 2), (3, 4)]
    assert greedy_schedule(intervals, key=lambda iv: iv[0]) == [(0, 100)]
    assert max_non_overlapping(intervals) == [(1, 2), (3, 4)]
    assert best_schedule_size(intervals) == 2


def test_earliest_end_through_greedy_schedule_agrees() -> None:
    rng = random.Random(115)
    for _ in range(200):
        intervals = random_intervals(rng, 10)
        by_end = greedy_schedule(intervals, key=lambda iv: iv[1])
        assert len(by_end) == len(max_non_overlapping(intervals))


def test_backwards_and_empty_intervals_are_rejected() -> None:
    with pytest.raises(ValueError, match=r"interval \(3, 1\): need start <= end"):
        merge_intervals([(3, 1)])
    with pytest.raises(ValueError, match=r"interval \(2, 2\): need start < end"):
        min_rooms_heap([(2, 2)])
    with pytest.raises(ValueError, match="need start < end"):
        min_rooms_sweep([(5, 4)])
    with pytest.raises(ValueError, match="need start < end"):
        max_non_overlapping([(1, 1)])
    assert merge_intervals([(2, 2), (2, 5)]) == [(2, 5)]  # a point is a closed interval
