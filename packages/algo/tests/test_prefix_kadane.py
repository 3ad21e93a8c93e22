"""Tests for algo.prefix_kadane: every-subarray oracles, operations counted at growing sizes.

The oracles enumerate all O(n^2) subarrays of small seeded random arrays
(``random.Random``, deterministic like the package's Hypothesis profile) with
negative values and zeros, which are where these algorithms go wrong.

Operations are counted from outside: the inputs are ``Counted`` ints, which
record every ``+``, ``-``, comparison and hash on a shared ``Tally``. Results
of arithmetic on them are ``Counted`` too, so the prefix entries and running
sums keep counting, and an implementation that sums a slice per query or
tries every subarray shows up in the tally, whatever it reports itself.
"""

from __future__ import annotations

import random
from itertools import accumulate

import pytest

from handbook.algo.prefix_kadane import (
    PrefixSums,
    count_by_window,
    count_subarrays_with_sum,
    max_subarray,
)


class Tally:
    """Operation counts shared by a family of ``Counted`` values."""

    def __init__(self) -> None:
        self.arithmetic = 0
        self.comparisons = 0
        self.hashes = 0


class Counted(int):
    """An int that records its ``+``, ``-``, ``<``-style comparisons and hashes on a ``Tally``.

    ``int`` on the other side of an operator defers to these methods, because
    Python tries a subclass's reflected method first.
    """

    tally: Tally

    def __new__(cls, value: int, tally: Tally) -> Counted:
        self = super().__new__(cls, value)
        self.tally = tally
        return self

    def __add__(self, other: int) -> Counted:
        self.tally.arithmetic += 1
        return Counted(int(self) + int(other), self.tally)

    def __radd__(self, other: int) -> Counted:
        return self.__add__(other)

    def __sub__(self, other: int) -> Counted:
        self.tally.arithmetic += 1
        return Counted(int(self) - int(other), self.tally)

    def __rsub__(self, other: int) -> Counted:
        self.tally.arithmetic += 1
        return Counted(int(other) - int(self), self.tally)

    def __lt__(self, other: int) -> bool:
        self.tally.comparisons += 1
        return int(self) < int(other)

    def __le__(self, other: int) -> bool:
        self.tally.comparisons += 1
        return int(self) <= int(other)

    def __gt__(self, other: int) -> bool:
        self.tally.comparisons += 1
        return int(self) > int(other)

    def __ge__(self, other: int) -> bool:
        self.tally.comparisons += 1
        return int(self) >= int(other)

    def __hash__(self) -> int:
        self.tally.hashes += 1
        return hash(int(self))


def counted(values: list[int], tally: Tally) -> list[int]:
    """The same values as ``Counted`` ints sharing ``tally``."""
    return [Counted(x, tally) for x in values]


def random_values(rng: random.Random, longest: int, low: int = -5, high: int = 5) -> list[int]:
    """0..``longest`` small ints, negatives and zeros included."""
    return [rng.randint(low, high) for _ in range(rng.randint(0, longest))]


def all_subarrays(n: int) -> list[tuple[int, int]]:
    """Every non-empty half-open ``(i, j)``, ``0 <= i < j <= n``."""
    return [(i, j) for i in range(n) for j in range(i + 1, n + 1)]


def test_range_sums_match_slicing() -> None:
    rng = random.Random(41)
    for _ in range(200):
        values = random_values(rng, 12)
        p = PrefixSums(values)
        assert p.prefixes() == list(accumulate(values, initial=0))
        n = len(values)
        for i in range(n + 1):
            for j in range(i, n + 1):
                assert p.range_sum(i, j) == sum(values[i:j])


def test_range_sum_of_a_prefix_includes_the_first_element() -> None:
    p = PrefixSums([5, 1, 2])
    assert p.range_sum(0, 1) == 5
    assert p.range_sum(0, 2) == 6
    assert p.range_sum(1, 3) == 3
    assert p.range_sum(0, 3) == 8
    assert PrefixSums([]).range_sum(0, 0) == 0


def test_range_sum_rejects_bounds_a_slice_would_clamp() -> None:
    p = PrefixSums([1, 2, 3])
    for lo, hi in [(-1, 2), (0, 4), (2, 1)]:
        with pytest.raises(ValueError, match="need 0 <= lo <= hi <= 3"):
            p.range_sum(lo, hi)


def test_build_is_n_additions_and_each_query_one_subtraction() -> None:
    rng = random.Random(42)
    for n in (10, 100, 1_000, 5_000):
        tally = Tally()
        p = PrefixSums(counted([rng.randint(-100, 100) for _ in range(n)], tally))
        assert tally.arithmetic == n
        queries = [sorted((rng.randint(1, n), rng.randint(1, n))) for _ in range(100)]
        for lo, hi in queries:
            p.range_sum(lo, hi)
        # Exactly one subtraction per query, whatever its length: summing each
        # slice would add sum(hi - lo) more, about n / 3 per query.
        assert tally.arithmetic == n + 100


def test_subarray_sum_count_matches_every_subarray() -> None:
    rng = random.Random(43)
    for _ in range(300):
        values = random_values(rng, 12, -3, 3)
        k = rng.randint(-4, 4)
        expected = sum(1 for i, j in all_subarrays(len(values)) if sum(values[i:j]) == k)
        assert count_subarrays_with_sum(values, k) == expected


def test_subarray_sum_counts_subarrays_that_start_at_index_zero() -> None:
    # Each of these needs P[0] = 0 in the map: the subarray starts at the front.
    assert count_subarrays_with_sum([1, 1], 2) == 1
    assert count_subarrays_with_sum([3], 3) == 1
    assert count_subarrays_with_sum([1, 1, 1], 2) == 2  # LeetCode 560 example
    assert count_subarrays_with_sum([1, 2, 3], 3) == 2


def test_subarray_sum_with_k_zero_does_not_count_the_empty_subarray() -> None:
    assert count_subarrays_with_sum([1, 2, 3], 0) == 0
    assert count_subarrays_with_sum([0, 0, 0], 0) == 6  # every one of the 3 * 4 / 2 subarrays
    assert count_subarrays_with_sum([], 0) == 0


def test_subarray_sum_is_a_constant_number_of_operations_per_element() -> None:
    rng = random.Random(44)
    for n in (10, 100, 1_000, 5_000):
        tally = Tally()
        values = counted([rng.randint(-3, 3) for _ in range(n)], tally)
        assert count_subarrays_with_sum(values, 2) == count_subarrays_with_sum(
            [int(x) for x in values], 2
        )
        assert tally.arithmetic <= 2 * n  # P[j] = P[j - 1] + a[j], then P[j] - k
        assert tally.hashes <= 3 * n  # dict operations: one per hash of a prefix


def test_a_window_counts_right_only_for_strictly_positive_values() -> None:
    rng = random.Random(47)
    for _ in range(300):
        values = random_values(rng, 12, 1, 5)
        k = rng.randint(-1, 12)
        assert count_by_window(values, k) == count_subarrays_with_sum(values, k)
    # A zero: [0], [0], [0], [0, 0], [0, 0], [0, 0, 0]; the window sees one per end.
    assert count_subarrays_with_sum([0, 0, 0], 0) == 6
    assert count_by_window([0, 0, 0], 0) == 3
    # A negative: [1, -1, 1] itself is missed.
    assert count_subarrays_with_sum([1, -1, 1], 1) == 3
    assert count_by_window([1, -1, 1], 1) == 2


def test_max_subarray_matches_every_subarray() -> None:
    rng = random.Random(45)
    for _ in range(300):
        values = random_values(rng, 12) or [rng.randint(-5, 5)]
        expected = max(sum(values[i:j]) for i, j in all_subarrays(len(values)))
        best, start, stop = max_subarray(values)
        assert best == expected
        assert 0 <= start < stop <= len(values)
        assert sum(values[start:stop]) == best
        # The first maximum: no subarray ending earlier reaches it.
        assert all(sum(values[i:j]) < best for i, j in all_subarrays(stop - 1))
        # And the shortest with that stop: no later start reaches it either.
        assert all(sum(values[i:stop]) < best for i in range(start + 1, stop))


def test_max_subarray_of_all_negative_values_is_the_largest_single_value() -> None:
    assert max_subarray([-3, -1, -2]) == (-1, 1, 2)
    assert max_subarray([-7]) == (-7, 0, 1)
    assert max_subarray([-2, -2]) == (-2, 0, 1)


def test_max_subarray_on_the_textbook_example() -> None:
    assert max_subarray([-2, 1, -3, 4, -1, 2, 1, -5, 4]) == (6, 3, 7)  # [4, -1, 2, 1]
    assert max_subarray([5, 4, -1, 7, 8]) == (23, 0, 5)
    assert max_subarray([0, 0]) == (0, 0, 1)


def test_max_subarray_ties_go_to_the_smallest_stop_then_the_shortest() -> None:
    assert max_subarray([0, 3]) == (3, 1, 2)  # a running 0 is dropped: [3], not [0, 3]
    assert max_subarray([2, -2, 2]) == (2, 0, 1)  # the later [2] and [2, -2, 2] tie
    assert max_subarray([1, -1, 0, 1]) == (1, 0, 1)


def test_max_subarray_rejects_an_empty_sequence() -> None:
    with pytest.raises(ValueError, match="at least one value"):
        max_subarray([])


def test_max_subarray_is_at_most_three_operations_per_element() -> None:
    rng = random.Random(46)
    for n in (10, 100, 1_000, 5_000):
        tally = Tally()
        plain = [rng.randint(-9, 9) for _ in range(n)]
        assert max_subarray(counted(plain, tally)) == max_subarray(plain)
        assert tally.arithmetic <= n  # current + x, when the run is extended
        assert tally.comparisons <= 2 * n  # current <= 0 and current > best
