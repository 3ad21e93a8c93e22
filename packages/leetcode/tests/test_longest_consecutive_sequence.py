"""Longest Consecutive Sequence: the examples, empty input and duplicates, an oracle on seeded
inputs, and linear budgets on one long run and on a run whose first value repeats."""

from __future__ import annotations

import random

from handbook.leetcode.testing import Solution, assert_time_budget, check, counted_ints

longest_consecutive = Solution("longest_consecutive_sequence", "longest_consecutive")


def oracle(nums: list[int]) -> int:
    """Try every value as a start and count up: obviously right, O(n^2).

    >>> oracle([5, 3, 4, 4, 9])
    3
    """
    values = set(nums)
    best = 0
    for x in values:
        length = 0
        while x + length in values:
            length += 1
        best = max(best, length)
    return best


def test_the_statement_examples() -> None:
    check(longest_consecutive, [100, 4, 200, 1, 3, 2], expected=4)
    check(longest_consecutive, [0, 3, 7, 2, 5, 8, 4, 6, 0, 1], expected=9)
    check(longest_consecutive, [1, 0, 1, 2], expected=3)


def test_the_empty_list() -> None:
    check(longest_consecutive, [], expected=0)


def test_one_element() -> None:
    check(longest_consecutive, [5], expected=1)
    check(longest_consecutive, [7, 7, 7], expected=1)


def test_duplicates_do_not_break_a_run() -> None:
    check(longest_consecutive, [1, 2, 2, 3], expected=3)
    check(longest_consecutive, [0, 0, 1, 1, 2, 2], expected=3)


def test_the_longest_run_is_not_the_first() -> None:
    check(longest_consecutive, [10, 11, 1, 2, 3, 12, 13, 14], expected=5)


def test_negative_values_and_the_limits() -> None:
    check(longest_consecutive, [-1, -3, -2, 0], expected=4)
    check(longest_consecutive, [10**9, -(10**9)], expected=1)
    check(longest_consecutive, [10**9, 10**9 - 1, -(10**9)], expected=2)


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261205)
    for _ in range(300):
        nums = [rng.randint(-15, 15) for _ in range(rng.randint(0, 25))]
        check(longest_consecutive, nums, expected=oracle(nums))


def _one_long_run(n: int) -> tuple[list[int]]:
    # 0..n-1 shuffled: walking up from every value costs n + (n - 1) + ... + 1 lookups.
    nums = list(range(n))
    random.Random(n).shuffle(nums)
    return (counted_ints(nums),)


def _a_run_whose_start_repeats(n: int) -> tuple[list[int]]:
    # 0..n/2-1 and n/2 more copies of 0: a loop over nums (not the set) walks the whole
    # run once per copy of 0, about n*n/4 lookups.
    nums = list(range(n // 2)) + [0] * (n // 2)
    random.Random(n).shuffle(nums)
    return (counted_ints(nums),)


def test_time_is_linear_on_one_long_run() -> None:
    assert_time_budget(longest_consecutive, _one_long_run, "O(n)")


def test_time_is_linear_when_the_start_repeats() -> None:
    assert_time_budget(longest_consecutive, _a_run_whose_start_repeats, "O(n)")
