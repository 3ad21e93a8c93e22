"""Tests for algo.binary_search: ``bisect`` and brute force as oracles, probes counted.

The bounds' oracle test uses Hypothesis under the ``handbook-algo`` profile
(conftest: derandomized, 60 examples). The other oracle tests draw from a
seeded ``random.Random``: as deterministic, and cheaper per case, which keeps
this file well under a second. Counting tests sweep every small size.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterator, Sequence
from itertools import combinations, pairwise
from typing import overload

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbook.algo.binary_search import (
    NotShrinking,
    Probes,
    first_true,
    index_of,
    isqrt_by_search,
    lower_bound,
    midpoint_int32_naive,
    midpoint_int32_safe,
    midpoint_int32_unsigned_shift,
    search_rotated,
    search_rotated_with_duplicates,
    ship_capacity,
    ships_in_days,
    upper_bound,
)

sorted_lists = st.lists(st.integers(-20, 20), max_size=30).map(sorted)


def random_sorted(rng: random.Random) -> list[int]:
    """A sorted list of 0-25 small ints, duplicates likely."""
    return sorted(rng.randint(-20, 20) for _ in range(rng.randint(0, 25)))


def random_rotated(rng: random.Random, unique: bool) -> list[int]:
    """A sorted list (distinct values if ``unique``) rotated by a random offset."""
    if unique:
        values = sorted(rng.sample(range(31), rng.randint(0, 25)))
    else:
        values = sorted(rng.randint(0, 6) for _ in range(rng.randint(0, 25)))
    k = rng.randint(0, max(len(values) - 1, 0))
    return values[k:] + values[:k]


class Counted:
    """An int wrapper that counts ``<`` calls, to see how many comparisons bisect makes."""

    calls = 0

    def __init__(self, value: int) -> None:
        self.value = value

    def __lt__(self, other: Counted) -> bool:
        Counted.calls += 1
        return self.value < other.value


class Logged(Sequence[int]):
    """A read-only sequence that records every index read: probe orders and reads counted."""

    def __init__(self, items: list[int]) -> None:
        self.items = items
        self.reads: list[int] = []

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> list[int]: ...
    def __getitem__(self, i: int | slice) -> int | list[int]:
        if isinstance(i, slice):
            raise TypeError("Logged counts single reads only")
        value = self.items[i]
        self.reads.append(i)
        return value

    def __iter__(self) -> Iterator[int]:
        for i in range(len(self.items)):
            yield self[i]


@given(sorted_lists, st.integers(-25, 25))
def test_lower_and_upper_bound_match_bisect(a: list[int], x: int) -> None:
    assert lower_bound(a, x) == bisect.bisect_left(a, x)
    assert upper_bound(a, x) == bisect.bisect_right(a, x)
    assert upper_bound(a, x) - lower_bound(a, x) == a.count(x)


def test_bounds_on_textbook_examples() -> None:
    a = [1, 2, 2, 2, 3, 5]
    assert [lower_bound(a, x) for x in (2, 0, 4, 5, 6)] == [1, 0, 5, 5, 6]
    assert [upper_bound(a, x) for x in (2, 0, 4, 5, 6)] == [4, 0, 5, 6, 6]
    assert lower_bound([], 1) == upper_bound([], 1) == 0


def test_probes_never_exceed_bit_length_and_the_bound_is_tight() -> None:
    for n in [*range(66), 127, 128, 1000]:
        a = list(range(0, 2 * n, 2))
        worst = 0
        for x in [*range(-1, min(2 * n, 130) + 1), 2 * n - 2, 2 * n - 1, 2 * n]:
            for search in (lower_bound, upper_bound, index_of):
                p = Probes()
                search(a, x, p)
                assert p.count <= n.bit_length()
                worst = max(worst, p.count)
        assert worst == n.bit_length()  # floor(log2 n) + 1 probes are sometimes needed


def test_bisect_makes_as_many_comparisons_as_the_hand_written_bounds() -> None:
    for n in (0, 1, 2, 7, 8, 100):
        a = list(range(n))
        wrapped = [Counted(v) for v in a]
        for x in range(-1, n + 1):
            for ours, theirs in (
                (lower_bound, bisect.bisect_left),
                (upper_bound, bisect.bisect_right),
            ):
                p = Probes()
                ours(a, x, p)
                Counted.calls = 0
                theirs(wrapped, Counted(x))
                assert Counted.calls == p.count


def test_bisect_probes_the_same_midpoints_in_the_same_order() -> None:
    rng = random.Random(7)
    for _ in range(200):
        a, x = random_sorted(rng), rng.randint(-25, 25)
        for ours, theirs in (
            (lower_bound, bisect.bisect_left),
            (upper_bound, bisect.bisect_right),
        ):
            mine, cpython = Logged(a), Logged(a)
            assert ours(mine, x) == theirs(cpython, x)
            assert mine.reads == cpython.reads


def test_index_of_finds_a_copy_or_reports_absence() -> None:
    rng = random.Random(1)
    for _ in range(300):
        a, x = random_sorted(rng), rng.randint(-25, 25)
        i = index_of(a, x)
        if x in a:
            assert a[i] == x
        else:
            assert i == -1


def test_a_probe_budget_turns_a_stuck_loop_into_an_error() -> None:
    p = Probes()
    p.start(2)
    p.probe()
    p.probe()
    with pytest.raises(NotShrinking, match="more than 2 probes"):
        p.probe()


def test_unsorted_input_is_not_checked_and_gives_a_non_bound() -> None:
    a = [5, 1, 4]
    i = lower_bound(a, 4)
    assert i == bisect.bisect_left(a, 4)  # both quietly answer
    assert not all(v < 4 for v in a[:i]) or not all(v >= 4 for v in a[i:])


def test_isqrt_by_search_matches_math_isqrt() -> None:
    rng = random.Random(2)
    cases = [*range(200), *(k * k + d for k in (10**3, 10**20) for d in (-1, 0, 1))]
    cases += [rng.randrange(10 ** rng.randint(1, 40)) for _ in range(200)]
    for n in cases:
        p = Probes()
        assert isqrt_by_search(n, p) == math.isqrt(n)
        assert p.count <= (n + 1).bit_length()


def test_isqrt_rejects_negative_and_non_integer_input() -> None:
    assert [isqrt_by_search(n) for n in range(10)] == [0, 1, 1, 1, 2, 2, 2, 2, 2, 3]
    with pytest.raises(ValueError, match="n >= 0"):
        isqrt_by_search(-4)
    with pytest.raises(TypeError):
        isqrt_by_search(2.0)  # type: ignore[arg-type]


def best_split(weights: list[int], days: int) -> int:
    """Oracle: try every way to cut the row into at most ``days`` contiguous loads."""
    n = len(weights)
    best = sum(weights)
    for cuts in range(min(days, n)):
        for where in combinations(range(1, n), cuts):
            bounds = [0, *where, n]
            best = min(best, max(sum(weights[i:j]) for i, j in pairwise(bounds)))
    return best


def random_shipment(rng: random.Random) -> tuple[list[int], int]:
    """1-8 packages of weight 1-12 and 1-9 days."""
    return [rng.randint(1, 12) for _ in range(rng.randint(1, 8))], rng.randint(1, 9)


def test_ship_capacity_matches_every_split_and_every_capacity() -> None:
    rng = random.Random(3)
    for _ in range(150):
        weights, days = random_shipment(rng)
        p = Probes()
        answer = ship_capacity(weights, days, p)
        assert answer == best_split(weights, days)
        assert p.count <= (sum(weights) - max(weights)).bit_length()
        scan = next(c for c in range(1, sum(weights) + 1) if ships_in_days(weights, c, days))
        assert answer == scan


def test_ship_capacity_reads_each_package_once_per_probe() -> None:
    # O(n log(sum)): three O(n) passes to validate and bound the range, then one
    # greedy pass of n reads per probe, with at most bit_length(sum - max) probes.
    rng = random.Random(8)
    for n in (10, 100, 1_000):
        weights = [rng.randint(1, 1_000) for _ in range(n)]
        counted, p = Logged(weights), Probes()
        ship_capacity(counted, rng.randint(1, n), p)
        assert p.count <= (sum(weights) - max(weights)).bit_length()
        assert len(counted.reads) <= (3 + p.count) * n


def test_feasibility_is_monotone_in_capacity() -> None:
    rng = random.Random(4)
    for _ in range(150):
        weights, days = random_shipment(rng)
        verdicts = [ships_in_days(weights, c, days) for c in range(1, sum(weights) + 2)]
        assert verdicts == sorted(verdicts)  # False ... False True ... True


def test_ship_capacity_on_the_problem_examples_and_bad_input() -> None:
    assert ship_capacity(list(range(1, 11)), 5) == 15
    assert ship_capacity([3, 2, 2, 4, 1, 4], 3) == 6
    assert ship_capacity([1, 2, 3, 1, 1], 4) == 3
    p = Probes()
    ship_capacity(list(range(1, 11)), 5, p)
    assert p.count <= (55 - 10).bit_length()
    with pytest.raises(ValueError, match="days >= 1"):
        ship_capacity([1, 2], 0)
    with pytest.raises(ValueError, match="positive"):
        ship_capacity([1, 0, 2], 2)
    with pytest.raises(ValueError, match="empty range"):
        first_true(3, 2, bool)


def test_search_rotated_matches_linear_search_on_distinct_values() -> None:
    rng = random.Random(5)
    for _ in range(300):
        a, t = random_rotated(rng, unique=True), rng.randint(-2, 32)
        p = Probes()
        assert search_rotated(a, t, p) == (a.index(t) if t in a else -1)
        assert p.count <= len(a).bit_length()


def test_search_rotated_on_textbook_examples() -> None:
    a = [4, 5, 6, 7, 0, 1, 2]
    assert [search_rotated(a, t) for t in a] == list(range(7))
    assert search_rotated(a, 3) == -1
    assert search_rotated([3, 1], 1) == 1
    assert search_rotated([], 1) == -1


def test_duplicates_break_the_distinct_values_search() -> None:
    a = [1, 3, 1, 1, 1]  # a[lo] == a[mid] == a[hi]: the sorted half is unknown
    assert search_rotated(a, 3) == -1
    assert search_rotated_with_duplicates(a, 3) == 1


def test_search_with_duplicates_matches_linear_search() -> None:
    rng = random.Random(6)
    for _ in range(300):
        a, t = random_rotated(rng, unique=False), rng.randint(-1, 7)
        p = Probes()
        i = search_rotated_with_duplicates(a, t, p)
        if t in a:
            assert a[i] == t
        else:
            assert i == -1
        assert p.count <= len(a)


def test_duplicates_force_linear_probes_in_the_worst_case() -> None:
    for n in (16, 64, 256):
        worst = 0
        for where in range(n):  # every rotation of [1, ..., 1, 2]
            a = [1] * n
            a[where] = 2
            p = Probes()
            assert search_rotated_with_duplicates(a, 2, p) == where
            worst = max(worst, p.count)
        assert worst >= n // 2 > n.bit_length()  # linear, not logarithmic


def rotation_point(a: list[int], p: Probes) -> int:
    """The rubric's LeetCode 153 answer: first index whose item is not above the last."""
    return first_true(0, len(a), lambda k: a[k] <= a[-1], p)


def test_rotation_point_is_a_first_true_search() -> None:
    # The rubric's answer to LeetCode 153: before the rotation point every item
    # is larger than the last one, from it on none is.
    rng = random.Random(9)
    for _ in range(300):
        a = random_rotated(rng, unique=True)
        if not a:
            continue
        p = Probes()
        i = rotation_point(a, p)
        assert a[i] == min(a)
        assert p.count <= len(a).bit_length()


def test_naive_int32_midpoint_overflows_and_the_fixes_do_not() -> None:
    lo, hi = 1_500_000_000, 2_000_000_000
    assert lo + hi > 2**31 - 1
    assert midpoint_int32_naive(lo, hi) < 0  # Java: ArrayIndexOutOfBoundsException
    assert midpoint_int32_safe(lo, hi) == midpoint_int32_unsigned_shift(lo, hi) == (lo + hi) // 2
    for lo, hi in [(0, 0), (0, 1), (5, 9), (2**31 - 2, 2**31 - 1), (0, 2**31 - 1)]:
        assert midpoint_int32_safe(lo, hi) == (lo + hi) // 2
        assert midpoint_int32_unsigned_shift(lo, hi) == (lo + hi) // 2
    assert midpoint_int32_naive(10, 20) == 15  # small sums fit: the bug hides in tests


def test_java_division_truncates_an_odd_negative_wrapped_sum() -> None:
    lo, hi = 1_500_000_001, 2_000_000_000
    assert lo + hi - 2**32 == -794_967_295  # the wrapped sum, odd and negative
    assert midpoint_int32_naive(lo, hi) == -397_483_647  # Java: towards zero
    assert (lo + hi - 2**32) // 2 == -397_483_648  # Python's // floors instead


def test_int32_midpoints_reject_values_outside_int32() -> None:
    for fn in (midpoint_int32_naive, midpoint_int32_safe, midpoint_int32_unsigned_shift):
        assert fn(0, 2**31 - 1) == 2**30 - 1  # the largest int32 is accepted
        with pytest.raises(ValueError, match="hi=2147483648 is not a 32-bit"):
            fn(0, 2**31)
        with pytest.raises(ValueError, match="lo=-2147483649 is not a 32-bit"):
            fn(-(2**31) - 1, 0)
    assert midpoint_int32_naive(-(2**31), 0) == -(2**30)  # and the smallest


def test_python_midpoint_is_exact_for_any_size() -> None:
    lo, hi = 10**30, 10**30 + 10
    assert (lo + hi) // 2 == lo + (hi - lo) // 2 == 10**30 + 5
