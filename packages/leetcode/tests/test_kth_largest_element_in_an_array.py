"""Kth Largest Element in an Array: the examples, duplicates and 1-based k, an oracle on
seeded inputs, and an O(n log n) budget on ascending, descending and all-equal values."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from handbook.leetcode.testing import Solution, assert_time_budget, check, counted_ints

solve = Solution("kth_largest_element_in_an_array", "find_kth_largest")


@dataclass(frozen=True)
class Batched(Solution):
    """The solution called once per case of a batch, for :func:`assert_time_budget`.

    Quickselect with a random pivot is a right answer, and its count varies from run
    to run: the count divided by n does not settle as n grows. Measured while writing
    these tests (CPython 3.11, two correct quickselects, one call per size, sizes 64 to
    1024): the count grew more than x8 per x4 in 28 and 32 of 300 seeded runs. Summed
    over a batch of 16 calls, at the sizes below, none of 1000 seeded runs did (3.11;
    largest step x6.6 for a three-way partition); a Monte Carlo over measured per-call
    counts puts the chance that a correct three-way quickselect fails at about one in
    a million runs. The budget message's ``n=16: ...`` counts all 16 calls of that size.
    """

    def function(self) -> Callable[..., Any]:
        one = super().function()

        def batch(cases: list[tuple[list[int], int]]) -> list[Any]:
            return [one(*case) for case in cases]

        return batch


BATCH = 16
SIZES = (16, 64, 256)  # x BATCH calls each: a quadratic count already fails at 64
batched = Batched(solve.slug, solve.name)


def oracle(nums: list[int], k: int) -> int:
    """Index k - 1 of the descending order: the definition itself.

    >>> oracle([3, 2, 3, 1, 2, 4, 5, 5, 6], 4)
    4
    """
    return sorted(nums, reverse=True)[k - 1]


def test_the_statement_examples() -> None:
    check(solve, [3, 2, 1, 5, 6, 4], 2, expected=5)
    check(solve, [3, 2, 3, 1, 2, 4, 5, 5, 6], 4, expected=4)


def test_duplicates_count_separately() -> None:
    # Descending: 6, 5, 5, 4, 3, 3, ...: the two 5s are the 2nd and 3rd largest.
    check(solve, [3, 2, 3, 1, 2, 4, 5, 5, 6], 4, expected=4)
    check(solve, [3, 2, 3, 1, 2, 4, 5, 5, 6], 3, expected=5)
    check(solve, [7, 7, 7, 7], 3, expected=7)


def test_k_counts_from_one() -> None:
    check(solve, [3, 2, 1, 5, 6, 4], 1, expected=6)  # k = 1: the maximum
    check(solve, [3, 2, 1, 5, 6, 4], 6, expected=1)  # k = len(nums): the minimum


def test_one_element() -> None:
    check(solve, [1], 1, expected=1)
    check(solve, [-5], 1, expected=-5)


def test_negatives_and_the_limits_of_the_constraints() -> None:
    check(solve, [-1, -2, -3, -4], 2, expected=-2)
    check(solve, [10_000, -10_000, 0, 10_000], 2, expected=10_000)
    check(solve, [10_000, -10_000, 0, 10_000], 4, expected=-10_000)


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261206)
    for _ in range(300):
        nums = [rng.randint(-20, 20) for _ in range(rng.randint(1, 30))]
        k = rng.randint(1, len(nums))
        check(solve, nums, k, expected=oracle(nums, k))


def _ascending_k_half(n: int) -> tuple[list[tuple[list[int], int]]]:
    # Ascending: every value beats the heap's root and enters the heap; the maximum is
    # last, so removing it scans the whole list each time. k = n/2 makes O(n * k) O(n^2).
    # A fresh list per call: an in-place quickselect reorders its input.
    return ([(counted_ints(range(n)), n // 2) for _ in range(BATCH)],)


def test_time_is_n_log_n_at_most() -> None:
    assert_time_budget(batched, _ascending_k_half, "O(n log n)", SIZES)


def _descending_k_half(n: int) -> tuple[list[tuple[list[int], int]]]:
    # Descending: each new value belongs at the far end of whatever the solution keeps
    # sorted, the worst case of insertion sort, of bubble sort with an early exit and of a
    # sorted top-k list scanned from its end. Ascending and all-equal values are their
    # best case (O(n)), so the other two budgets cannot see them.
    return ([(counted_ints(range(n - 1, -1, -1)), n // 2) for _ in range(BATCH)],)


def test_time_on_descending_values() -> None:
    assert_time_budget(batched, _descending_k_half, "O(n log n)", SIZES)


def _all_equal_k_half(n: int) -> tuple[list[tuple[list[int], int]]]:
    # No value is less than any pivot: Lomuto's partition strips one element per pass.
    return ([(counted_ints([7] * n), n // 2) for _ in range(BATCH)],)


def test_time_with_all_values_equal() -> None:
    assert_time_budget(batched, _all_equal_k_half, "O(n log n)", SIZES)
