"""Tests for algo.two_pointers: all-pairs and all-triplets oracles, pointer moves counted.

The oracle tests draw hundreds of small inputs from a seeded ``random.Random``:
deterministic like the package's Hypothesis profile, and cheap enough per case
to keep this file well under a second.
"""

from __future__ import annotations

import random
import sys
import tracemalloc
from collections.abc import Sequence
from itertools import combinations
from typing import overload

import pytest

from handbook.algo.two_pointers import (
    Moves,
    dedupe_sorted,
    dedupe_while_iterating,
    max_area,
    max_area_moving_taller,
    three_sum,
    two_sum_sorted,
)


def area(h: list[int], i: int, j: int) -> int:
    """Water held by lines ``i`` and ``j``."""
    return min(h[i], h[j]) * (j - i)


class Reads(Sequence[int]):
    """A read-only sequence that counts item reads: work measured from outside the code."""

    def __init__(self, items: list[int]) -> None:
        self.items = items
        self.reads = 0

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> list[int]: ...
    def __getitem__(self, i: int | slice) -> int | list[int]:
        if isinstance(i, slice):
            raise TypeError("Reads counts single reads only")
        value = self.items[i]
        self.reads += 1
        return value


def test_two_sum_sorted_agrees_with_all_pairs() -> None:
    rng = random.Random(10)
    for _ in range(400):
        a = sorted(rng.randint(-10, 10) for _ in range(rng.randint(0, 15)))
        target = rng.randint(-22, 22)
        moves = Moves()
        found = two_sum_sorted(a, target, moves)
        if found is None:
            assert not any(x + y == target for x, y in combinations(a, 2))
            assert moves.count == max(len(a) - 1, 0)  # each move shrank the gap by one
        else:
            i, j = found
            assert i < j
            assert a[i] + a[j] == target
            assert moves.count <= len(a) - 2


def test_two_sum_uses_two_distinct_elements() -> None:
    assert two_sum_sorted([3], 6) is None
    assert two_sum_sorted([1, 3, 8], 6) is None
    assert two_sum_sorted([1, 3, 3, 8], 6) == (1, 2)
    assert two_sum_sorted([2, 7, 11, 15], 9) == (0, 1)


def test_scans_read_a_constant_number_of_items_per_move() -> None:
    # Linear work, counted outside the code: the O(n) sortedness check reads
    # 2(n - 1) items, then two-sum reads 2 per step; max_area reads n to check
    # the heights, then 4 per step. An all-pairs scan would read ~n^2.
    rng = random.Random(16)
    for n in (10, 100, 1_000):
        a = Reads(sorted(rng.sample(range(10 * n), n)))
        assert two_sum_sorted(a, -1) is None  # no pair: every move happens
        assert a.reads <= 2 * (n - 1) + 2 * n
        h = Reads([rng.randint(0, 100) for _ in range(n)])
        max_area(h)
        assert h.reads <= n + 4 * (n - 1)


def test_two_pointer_scans_reject_unsorted_input() -> None:
    with pytest.raises(ValueError, match="sorted input"):
        two_sum_sorted([1, 5, 2], 7)
    a = [2, 2, 1]
    with pytest.raises(ValueError, match=r"a\[1\] > a\[2\]"):
        dedupe_sorted(a)
    assert a == [2, 2, 1]  # rejected before anything was written


def triplets_oracle(nums: list[int], target: int) -> list[tuple[int, int, int]]:
    """Every combination of three positions, as sorted value triplets, deduplicated."""
    found = {tuple(sorted(c)) for c in combinations(nums, 3) if sum(c) == target}
    return sorted((x, y, z) for x, y, z in found)


def test_three_sum_matches_the_set_of_sorted_combinations() -> None:
    rng = random.Random(11)
    for _ in range(300):
        nums = [rng.randint(-6, 6) for _ in range(rng.randint(0, 12))]
        target = rng.choice([0, 0, rng.randint(-5, 5)])
        assert three_sum(nums, target) == triplets_oracle(nums, target)  # no duplicates either


def test_three_sum_on_the_problem_examples() -> None:
    assert three_sum([-1, 0, 1, 2, -1, -4]) == [(-1, -1, 2), (-1, 0, 1)]
    assert three_sum([0, 0, 0, 0]) == [(0, 0, 0)]
    assert three_sum([-1, -1, 2]) == [(-1, -1, 2)]  # two copies of the first value
    assert three_sum([0, 1, 1]) == []


def test_three_sum_makes_quadratic_moves_at_most_n_minus_1_choose_2() -> None:
    rng = random.Random(12)
    for n in (10, 20, 40, 80):
        distinct = rng.sample(range(-1000, 1000), n)
        moves = Moves()
        three_sum(distinct, 0, moves)
        # Each inner scan closes a gap of n - i - 2 one move at a time, down to zero.
        assert moves.count == (n - 1) * (n - 2) // 2
        repeated = Moves()
        three_sum([rng.randint(-5, 5) for _ in range(n)], 0, repeated)
        assert repeated.count <= (n - 1) * (n - 2) // 2


def test_dedupe_sorted_keeps_each_value_once_in_place() -> None:
    rng = random.Random(13)
    for _ in range(300):
        original = sorted(rng.randint(0, 8) for _ in range(rng.randint(0, 20)))
        a = list(original)
        moves = Moves()
        k = dedupe_sorted(a, moves)
        assert k == len(set(original))
        assert a[:k] == sorted(set(original))
        assert len(a) == len(original)  # same list, nothing allocated or dropped
        assert moves.count == max(len(a) - 1, 0)


def test_dedupe_sorted_allocates_no_second_list() -> None:
    a = sorted(i // 3 for i in range(6_000))
    copy_size = sys.getsizeof(list(a))  # what a second list of the input would cost
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    k = dedupe_sorted(a)
    _, peak = tracemalloc.get_traced_memory()
    if not was_tracing:
        tracemalloc.stop()
    assert k == 2_000
    assert peak - before < copy_size // 20  # O(1) extra: a few ints, no list


def test_deleting_while_iterating_skips_items_and_the_write_index_does_not() -> None:
    assert dedupe_while_iterating([1, 1, 1]) == [1, 1]
    assert dedupe_while_iterating([0, 0, 0, 1, 1, 1]) == [0, 0, 1, 1]
    a = [0, 0, 0, 1, 1, 1]
    k = dedupe_sorted(a)
    assert a[:k] == [0, 1]


def test_max_area_matches_all_pairs_with_exactly_n_minus_1_moves() -> None:
    rng = random.Random(14)
    for _ in range(300):
        h = [rng.randint(0, 12) for _ in range(rng.randint(0, 14))]
        moves = Moves()
        best = max((area(h, i, j) for i, j in combinations(range(len(h)), 2)), default=0)
        assert max_area(h, moves) == best
        assert moves.count == max(len(h) - 1, 0)


def test_max_area_on_the_problem_examples_and_bad_input() -> None:
    assert max_area([1, 8, 6, 2, 5, 4, 8, 3, 7]) == 49
    assert max_area([1, 1]) == 1
    assert max_area([4]) == max_area([]) == 0
    with pytest.raises(ValueError, match=">= 0"):
        max_area([1, -1])


def test_moving_the_shorter_side_discards_no_better_pair() -> None:
    # The rubric's proof, checked: when the shorter line i goes, every pair (i, k)
    # still in the window is no better than (i, j), just measured; same for j.
    rng = random.Random(15)
    for _ in range(200):
        h = [rng.randint(0, 9) for _ in range(rng.randint(2, 12))]
        visited: list[tuple[int, int]] = []
        max_area(h, visited=visited)
        for i, j in visited:
            if h[i] <= h[j]:
                assert all(area(h, i, k) <= area(h, i, j) for k in range(i + 1, j))
            else:
                assert all(area(h, k, j) <= area(h, i, j) for k in range(i + 1, j))


def test_on_equal_heights_either_side_may_move() -> None:
    # The tie follow-up, checked: with h[i] == h[j], dropping i and dropping j
    # are both safe, so moving j on ties would be as correct as moving i.
    rng = random.Random(17)
    ties = 0
    for _ in range(200):
        h = [rng.randint(0, 4) for _ in range(rng.randint(2, 12))]
        visited: list[tuple[int, int]] = []
        max_area(h, visited=visited)
        for i, j in visited:
            if h[i] == h[j]:
                ties += 1
                assert all(area(h, i, k) <= area(h, i, j) for k in range(i + 1, j))
                assert all(area(h, k, j) <= area(h, i, j) for k in range(i + 1, j))
    assert ties > 100  # the check ran on many ties, not on none


def test_moving_the_taller_side_discards_the_best_pair() -> None:
    h = [1, 8, 6, 2, 5, 4, 8, 3, 7]
    visited: list[tuple[int, int]] = []
    assert max_area(h, visited=visited) == area(h, 1, 8) == 49
    assert (1, 8) in visited
    # From (0, 8) the pitfall drops line 8 (height 7, the taller), and with it
    # every pair (k, 8), the optimum (1, 8) among them.
    assert max_area_moving_taller(h) == 8 < 49
