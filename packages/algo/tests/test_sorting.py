"""Tests for algo.sorting: ``sorted`` as the oracle, comparisons counted, stability shown.

Oracle tests use Hypothesis under the ``handbook-algo`` profile (conftest:
derandomized, 60 examples) on short lists of small ints, so ties are common;
stability is checked on whole records, since keys alone cannot show it.
Counting tests use a seeded ``random.Random`` at growing sizes, never times.
Exact counts and worst-case bounds are derived from each claim; limits on the
mean of seeded random runs are margins measured for the fixed seed, and each
such test says so.
"""

from __future__ import annotations

import functools
import heapq
import math
import random
import sys
from collections.abc import Callable, Iterable
from itertools import permutations
from operator import itemgetter
from types import FrameType
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbook.algo.sorting import (
    Comparisons,
    SupportsLessThan,
    counting_sort,
    heap_sort,
    kth_largest,
    kth_largest_three_way,
    largest_number,
    largest_number_by_string_key,
    merge_sort,
    quicksort_hoare,
    quicksort_lomuto,
    sort_by_two_keys,
    timsort_comparisons,
)

ints = st.lists(st.integers(-10, 10), max_size=40)
# (key, key, position) records: equal keys are told apart by their input position.
records = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=40).map(
    lambda ks: [(a, b, i) for i, (a, b) in enumerate(ks)]
)
key0 = itemgetter(0)
T = TypeVar("T")
ROWS = [("ops", "cy"), ("eng", "bo"), ("eng", "al"), ("ops", "ax"), ("eng", "di")]


def by_name(xs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The reference order: department, then name."""
    return sorted(xs)


def lomuto_random(xs: list[int]) -> list[int]:
    """Lomuto quicksort with a seeded random pivot."""
    return quicksort_lomuto(xs, rng=random.Random(len(xs)))


def frames() -> int:
    """How many Python frames are on the stack right now."""
    frame: FrameType | None = sys._getframe()
    n = 0
    while frame is not None:
        frame, n = frame.f_back, n + 1
    return n


@given(ints)
def test_comparison_sorts_match_sorted(xs: list[int]) -> None:
    # One property for all of them: Hypothesis's cost is per example, not per sort.
    expected = sorted(xs)
    assert merge_sort(xs) == expected
    assert quicksort_lomuto(xs) == expected
    assert lomuto_random(xs) == expected
    assert quicksort_hoare(xs) == expected
    assert heap_sort(xs) == expected


def test_sorts_on_fixed_examples() -> None:
    for sort in (merge_sort, quicksort_lomuto, quicksort_hoare, heap_sort):
        assert sort([]) == []
        assert sort([1]) == [1]
        assert sort([1, 2]) == sort([2, 1]) == [1, 2]
        assert sort([5, 2, 4, 6, 1, 3]) == [1, 2, 3, 4, 5, 6]  # CLRS's example


def test_quicksort_hoare_on_fixed_examples() -> None:
    assert quicksort_hoare([1, 2]) == [1, 2]
    assert quicksort_hoare([3, 1, 2]) == [1, 2, 3]
    assert quicksort_hoare([2, 2, 1, 1]) == [1, 1, 2, 2]
    assert quicksort_hoare([0, 0, -1, 0]) == [-1, 0, 0, 0]  # splits at j = 1


@given(records)
def test_stable_sorts_keep_equal_keys_in_input_order(rs: list[tuple[int, int, int]]) -> None:
    # sorted is documented as stable, so it is the oracle for whole records.
    assert merge_sort(rs, key=key0) == sorted(rs, key=key0)
    assert counting_sort(rs, key=key0, max_key=3) == sorted(rs, key=key0)
    two_keys = itemgetter(0, 1)
    assert sort_by_two_keys(rs, primary=key0, secondary=itemgetter(1)) == sorted(rs, key=two_keys)


def test_unstable_sorts_reorder_equal_keys() -> None:
    assert heap_sort([(1, "a"), (1, "b")], key=key0) == [(1, "b"), (1, "a")]
    # Lomuto's final swap moves the pivot (0, "d") in front of the equal (0, "b").
    lomuto = quicksort_lomuto([(1, "a"), (0, "b"), (1, "c"), (0, "d")], key=key0)
    assert lomuto == [(0, "d"), (0, "b"), (1, "a"), (1, "c")]
    assert quicksort_hoare([(1, "a"), (1, "b"), (0, "c")], key=key0) == [
        (0, "c"),
        (1, "b"),
        (1, "a"),
    ]


def test_two_pass_sort_needs_a_stable_sort() -> None:
    primary, secondary = itemgetter(0), itemgetter(1)
    assert sort_by_two_keys(ROWS, primary, secondary) == by_name(ROWS)

    def builtin(items: Iterable[T], *, key: Callable[[T], SupportsLessThan]) -> list[T]:
        return sorted(items, key=key)

    assert sort_by_two_keys(ROWS, primary, secondary, sort=builtin) == by_name(ROWS)
    for unstable in (heap_sort, quicksort_lomuto, quicksort_hoare):
        result = sort_by_two_keys(ROWS, primary, secondary, sort=unstable)
        assert [r[0] for r in result] == ["eng"] * 3 + ["ops"] * 2  # the primary key holds
        assert result != by_name(ROWS)  # the secondary order does not
    assert sort_by_two_keys(ROWS, primary, secondary, sort=heap_sort)[:3] == [
        ("eng", "di"),
        ("eng", "bo"),
        ("eng", "al"),
    ]


def test_counting_sort_never_compares_items() -> None:
    # object() instances have no order at all; only their int keys are used.
    items = [object() for _ in range(6)]
    keys = {id(x): k for x, k in zip(items, [2, 0, 1, 0, 2, 1], strict=True)}
    out = counting_sort(items, key=lambda x: keys[id(x)], max_key=2)
    assert out == [items[1], items[3], items[2], items[5], items[0], items[4]]


def test_counting_sort_rejects_bad_keys() -> None:
    with pytest.raises(TypeError, match="int keys"):
        counting_sort([1.5], key=lambda x: x, max_key=3)  # type: ignore[arg-type,return-value]
    with pytest.raises(ValueError, match=r"outside 0\.\.3"):
        counting_sort([4], key=lambda x: x, max_key=3)
    with pytest.raises(ValueError, match=r"outside 0\.\.3"):
        counting_sort([-1], key=lambda x: x, max_key=3)
    with pytest.raises(ValueError, match="max_key"):
        counting_sort([], key=lambda x: x, max_key=-1)
    for bad in ("3", 2.5):
        with pytest.raises(TypeError, match="max_key"):
            counting_sort([1], key=lambda x: x, max_key=bad)  # type: ignore[arg-type]


def test_lomuto_last_pivot_is_quadratic_on_sorted_and_all_equal_input() -> None:
    # A partition of m items makes m - 1 comparisons and leaves m - 1 on one
    # side, so the total is (n - 1) + (n - 2) + ... + 1 = n(n - 1) / 2.
    for n in (0, 1, 2, 3, 10, 50, 150):
        for xs in (list(range(n)), [7] * n):
            c = Comparisons()
            assert quicksort_lomuto(xs, counter=c) == xs
            assert c.count == n * (n - 1) // 2


def test_sorted_input_makes_lomuto_recurse_n_deep() -> None:
    # Lower the limit to 200 frames above this one, so 400 levels cannot fit;
    # a random pivot's recursion is as deep as a random BST is tall (about
    # 4.3 ln n, some 26 levels at n = 400) and fits, as does Hoare's (log2 n).
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(frames() + 200)
    try:
        with pytest.raises(RecursionError):
            quicksort_lomuto(range(400))
        assert quicksort_lomuto(range(400), rng=random.Random(3)) == list(range(400))
        assert quicksort_hoare(range(400)) == list(range(400))
    finally:
        sys.setrecursionlimit(old)


def test_random_pivot_fixes_the_expected_case() -> None:
    # Expected 2(n + 1)H(n) - 4n, about 1.39 n log2 n. 2 n log2 n is a chosen
    # margin for one seeded run's spread, not a derived bound; the fixed pivot
    # needs n(n - 1) / 2.
    rng = random.Random(2024)
    for n in (64, 128, 256, 512):
        c = Comparisons()
        quicksort_lomuto(range(n), counter=c, rng=rng)
        assert n - 1 < c.count <= 2 * n * math.log2(n) < n * (n - 1) // 2


def test_random_pivot_mean_matches_the_textbook_expectation() -> None:
    # 20 runs at n = 200: the mean's spread is about 30 comparisons, the
    # tolerance (10 %) about 150.
    n, rng = 200, random.Random(7)
    expected = 2 * (n + 1) * sum(1 / i for i in range(1, n + 1)) - 4 * n
    counts = []
    for _ in range(20):
        c = Comparisons()
        xs = list(range(n))
        rng.shuffle(xs)
        quicksort_lomuto(xs, counter=c, rng=rng)
        counts.append(c.count)
    assert abs(sum(counts) / len(counts) - expected) < 0.1 * expected


def test_random_pivot_does_not_help_lomuto_with_all_equal_keys() -> None:
    # No item is < the pivot, whichever is chosen: every partition is 0 | m - 1.
    for n in (10, 100):
        c = Comparisons()
        quicksort_lomuto([7] * n, counter=c, rng=random.Random(n))
        assert c.count == n * (n - 1) // 2


def test_hoare_middle_pivot_is_n_log_n_on_sorted_and_all_equal_input() -> None:
    # Sorted: the middle item is the median. All equal: i and j stop at every
    # item and swap, so they meet in the middle and the halves are even.
    for n in (16, 64, 256):
        for xs in (list(range(n)), [7] * n):
            c = Comparisons()
            assert quicksort_hoare(xs, counter=c) == xs
            assert c.count <= 2 * n * math.log2(n)


def test_merge_and_heap_sort_stay_within_their_worst_case_bounds() -> None:
    rng = random.Random(11)
    for n in (1, 2, 3, 10, 100, 500):
        lg = math.ceil(math.log2(n))
        for xs in (list(range(n)), list(range(n, 0, -1)), rng.sample(range(n), n)):
            merge, heap = Comparisons(), Comparisons()
            merge_sort(xs, counter=merge)
            heap_sort(xs, counter=heap)
            assert merge.count <= n * lg - 2**lg + 1
            assert heap.count <= 2 * n + 2 * (n - 1) * int(math.log2(n))


def test_key_is_called_once_per_item_and_cmp_once_per_comparison() -> None:
    calls = {"key": 0, "cmp": 0}

    def key(x: int) -> int:
        calls["key"] += 1
        return x

    def cmp(a: int, b: int) -> int:
        calls["cmp"] += 1
        return (a > b) - (a < b)

    xs = random.Random(5).sample(range(1000), 200)
    assert sorted(xs, key=key) == sorted(xs, key=functools.cmp_to_key(cmp))
    assert calls["key"] == 200
    assert calls["cmp"] == timsort_comparisons(xs) > 200 * 5


def test_largest_number_on_fixed_examples() -> None:
    assert largest_number([10, 2]) == "210"  # LeetCode 179's examples
    assert largest_number([3, 30, 34, 5, 9]) == "9534330"
    assert largest_number([0, 0, 0]) == "0"
    assert largest_number([3, 30]) == "330"


def test_largest_number_matches_every_order() -> None:
    rng = random.Random(179)
    for _ in range(150):
        nums = [rng.choice([0, 1, 3, 9, 30, 34, 5, 12, 121, 10]) for _ in range(rng.randint(1, 5))]
        best = max(int("".join(map(str, p))) for p in permutations(nums))
        assert largest_number(nums) == str(best)


def test_sorting_digit_strings_descending_is_wrong() -> None:
    assert largest_number_by_string_key([3, 30]) == "303" < largest_number([3, 30])
    assert largest_number_by_string_key([9, 5]) == largest_number([9, 5]) == "95"


def test_largest_number_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        largest_number([1, -2])
    with pytest.raises(ValueError, match="no numbers"):
        largest_number([])
    with pytest.raises(TypeError, match="expected ints"):
        largest_number(["7"])  # type: ignore[list-item]


def test_kth_largest_matches_sorted() -> None:
    # A seeded loop, not Hypothesis: as deterministic and cheaper per case.
    rng = random.Random(5)
    for _ in range(300):
        xs = [rng.randint(-10, 10) for _ in range(rng.randint(1, 30))]
        k = rng.randint(1, len(xs))
        assert kth_largest(xs, k, rng=rng) == sorted(xs, reverse=True)[k - 1]


def test_kth_largest_on_fixed_examples() -> None:
    rng = random.Random(215)
    assert kth_largest([3, 2, 1, 5, 6, 4], 2, rng=rng) == 5  # LeetCode 215's examples
    assert kth_largest([3, 2, 3, 1, 2, 4, 5, 5, 6], 4, rng=rng) == 4
    assert kth_largest([7], 1, rng=rng) == 7


def quickselect_expectation(n: int) -> list[list[float]]:
    """``e[m][t]``: expected comparisons to select index ``t`` of ``m`` distinct items.

    The recurrence of the code: a partition of m items costs m - 1, the pivot
    lands at each index p with probability 1 / m, and the search continues in
    ``e[m - p - 1][t - p - 1]`` (p < t) or ``e[p][t]`` (p > t). ``d`` and ``c``
    hold the two sums so the table costs O(n^2).
    """
    e = [[0.0] * m for m in range(n + 1)]
    d = [[0.0] * m for m in range(n + 1)]  # d[m][t] = sum over p < t
    c = [0.0] * n  # c[t] = sum of e[p][t] for t < p < m, for the current m
    for m in range(1, n + 1):
        for t in range(m):
            if t > 0:
                d[m][t] = e[m - 1][t - 1] + d[m - 1][t - 1]
            e[m][t] = (m - 1) + (d[m][t] + c[t]) / m
        for t in range(m):
            c[t] += e[m][t]
    return e


def test_quickselect_expectation_peaks_at_the_median_below_3_39_n() -> None:
    e = quickselect_expectation(100)
    assert e[1] == [0.0]
    assert e[2] == [1.0, 1.0]  # one partition of two items, whichever is wanted
    for n in (10, 50, 100):
        worst = max(range(n), key=lambda t: e[n][t])
        assert worst in (n // 2, (n - 1) // 2)  # the middle, up to symmetry
        assert e[n][worst] < (2 + 2 * math.log(2)) * n
    assert 3.0 * 100 < e[100][50] < 3.1 * 100
    # And the code behaves like its recurrence: 30 seeded runs at n = 100.
    rng = random.Random(9)
    xs = list(range(100))
    counts = []
    for _ in range(30):
        c = Comparisons()
        kth_largest(xs, 50, counter=c, rng=rng)  # index 100 - 50 = 50
        counts.append(c.count)
    # The 15 % tolerance is measured, not derived: one run's spread is about
    # 0.3 of its mean here, so 30 runs give a mean within about 5.5 %; 15 %
    # holds for seed 9, and a rare other seed could exceed it.
    assert abs(sum(counts) / len(counts) - e[100][50]) < 0.15 * e[100][50]


def test_quickselect_makes_expected_linear_comparisons() -> None:
    # The exact expectation for the median (the worst k) rises towards
    # 2n + 2n ln 2 = 3.39n from below (3.07n at n = 100, 3.25n at n = 300):
    # derived. The limits are not: they are margins measured for seed 42. One
    # run's sd is about n (measured: 600 runs at n = 1600 gave mean 3.43n, sd
    # 1.0n), so a 10-run mean has sd about 0.32n and 4n is only about 2 sd
    # above 3.39n; 8n per run is a similar margin on the long tail. Seed 42
    # passes; 19 of seeds 0..299 fail one of the limits. What the test does
    # show: a mean that stays flat per n at every size, not n log n growth.
    rng = random.Random(42)
    for n in (100, 200, 400, 800, 1600):
        xs = list(range(n))
        rng.shuffle(xs)
        counts = []
        for _ in range(10):
            c = Comparisons()
            assert kth_largest(xs, n // 2, counter=c, rng=rng) == n - n // 2
            counts.append(c.count)
        assert sum(counts) / len(counts) <= 4 * n
        assert all(n - 1 <= count <= 8 * n for count in counts)


def test_kth_largest_rejects_bad_k() -> None:
    for select in (kth_largest, kth_largest_three_way):
        for k in (0, 4, -1):
            with pytest.raises(ValueError, match="k must be"):
                select([1, 2, 3], k)
        with pytest.raises(ValueError, match="k must be"):
            select([], 1)
        for bad in (2.0, True):
            with pytest.raises(TypeError, match="k must be an int"):
                select([1, 2], bad)  # type: ignore[arg-type]


def test_lomuto_quickselect_is_quadratic_on_equal_keys() -> None:
    # No key is smaller than the pivot, so each partition of m items (m - 1
    # comparisons) puts the pivot at lo and the search for the last index
    # moves one slot: (n - 1) + ... + 1 = n(n - 1) / 2, whatever the seed.
    for n in (1, 2, 10, 100, 400):
        c = Comparisons()
        assert kth_largest([7] * n, 1, counter=c, rng=random.Random(1)) == 7
        assert c.count == n * (n - 1) // 2


def test_three_way_quickselect_matches_sorted() -> None:
    rng = random.Random(75)
    for _ in range(300):
        xs = [rng.randint(0, rng.choice((1, 3, 30))) for _ in range(rng.randint(1, 30))]
        k = rng.randint(1, len(xs))
        assert kth_largest_three_way(xs, k, rng=rng) == sorted(xs, reverse=True)[k - 1]


def test_three_way_quickselect_is_linear_on_equal_keys() -> None:
    # All equal: one partition compares each item twice (neither < nor >) and
    # the target lands in the == block: exactly 2n. Two values: the first
    # partition costs at most 2n and leaves one value only, the second at most
    # 2n more and ends there: at most 4n, for any seed and k.
    rng = random.Random(2)
    for n in (1, 10, 100, 1600):
        c = Comparisons()
        assert kth_largest_three_way([7] * n, 1, counter=c, rng=rng) == 7
        assert c.count == 2 * n
        bits = [rng.randint(0, 1) for _ in range(n)]
        for k in (1, n // 2 + 1, n):
            c = Comparisons()
            assert kth_largest_three_way(bits, k, counter=c, rng=rng) == sorted(bits)[n - k]
            assert c.count <= 4 * n


def test_reverse_sort_keeps_equal_keys_in_input_order() -> None:
    rows = [(1, "a"), (2, "b"), (1, "c"), (2, "d")]
    assert sorted(rows, key=key0, reverse=True) == [(2, "b"), (2, "d"), (1, "a"), (1, "c")]


def test_external_sort_merges_sorted_chunks() -> None:
    rng = random.Random(8)
    data = [rng.randint(0, 50) for _ in range(200)]
    chunks = [sorted(data[i : i + 32]) for i in range(0, len(data), 32)]  # "fits in memory"
    assert list(heapq.merge(*chunks)) == sorted(data)


def test_timsort_makes_n_minus_1_comparisons_on_sorted_and_strictly_descending_input() -> None:
    # One run covers the input; finding it compares each neighbouring pair once.
    for n in (1, 2, 10, 63, 64, 65, 1000, 5000):
        assert timsort_comparisons(range(n)) == n - 1
        assert timsort_comparisons(range(n, 0, -1)) == n - 1
    assert timsort_comparisons([]) == 0


def test_timsort_is_near_linear_on_nearly_sorted_input() -> None:
    # Random order needs at least log2(n!) - 10 comparisons except for at most
    # 2**-10 of inputs: a binary decision tree has at most 2**m leaves at depth
    # <= m (Kraft), and each of the n! orders needs its own leaf. One adjacent
    # swap per 100 items keeps the count under 2n: a measured margin (1.42n is
    # about the worst over many seeds), not a derived bound.
    rng = random.Random(3)
    for n in (1000, 4096):
        nearly = list(range(n))
        for _ in range(n // 100):
            i = rng.randrange(n - 1)
            nearly[i], nearly[i + 1] = nearly[i + 1], nearly[i]
        lower = math.lgamma(n + 1) / math.log(2) - 10
        assert timsort_comparisons(nearly) < 2 * n < lower
        assert timsort_comparisons(rng.sample(range(n), n)) >= lower


def test_descending_with_ties_is_one_run_from_python_3_13() -> None:
    xs = [v for v in range(500, 0, -1) for _ in range(2)]  # 500, 500, 499, 499, ...
    n = len(xs)
    if sys.version_info >= (3, 13):
        assert timsort_comparisons(xs) < 2 * n  # gh-116554: one run, reversed
    else:
        # A tie ends each descending run after two items; Timsort extends every
        # short run to minrun by binary insertion, and that insertion work plus
        # the merges costs over 3n (about 5.3n measured).
        assert timsort_comparisons(xs) > 3 * n
    stable = sorted(zip(xs, range(n), strict=True), key=key0)
    assert stable[:2] == [(1, n - 2), (1, n - 1)]  # ties keep their input order
