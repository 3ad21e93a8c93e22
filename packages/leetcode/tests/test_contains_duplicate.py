"""Contains Duplicate: the examples, twins far apart, an untouched input, an oracle on seeded
inputs, and a linear budget."""

from __future__ import annotations

import itertools
import random

from handbook.leetcode.testing import Solution, assert_time_budget, check, counted_ints

solve = Solution("contains_duplicate", "contains_duplicate")


def oracle(nums: list[int]) -> bool:
    """Whether any two positions hold equal values, by trying every pair: O(n^2).

    >>> oracle([1, 2, 3, 1]), oracle([1, 2, 3])
    (True, False)
    """
    return any(a == b for a, b in itertools.combinations(nums, 2))


def test_the_statement_examples() -> None:
    check(solve, [1, 2, 3, 1], expected=True)
    check(solve, [1, 2, 3, 4], expected=False)
    check(solve, [1, 1, 1, 3, 3, 4, 3, 2, 4, 2], expected=True)


def test_duplicates_need_not_be_adjacent() -> None:
    check(solve, [1, 2, 3, 1], expected=True)
    check(solve, [5, 0, 5], expected=True)
    check(solve, [7, 1, 2, 3, 4, 5, 6, 7], expected=True)


def test_the_input_is_not_modified() -> None:
    nums = [3, 1, 2, 1]
    check(solve, nums, expected=True)
    assert nums == [3, 1, 2, 1], f"contains_duplicate changed its input to {nums}"
    nums = [9, -4, 0, 7]
    check(solve, nums, expected=False)
    assert nums == [9, -4, 0, 7], f"contains_duplicate changed its input to {nums}"


def test_one_element_and_two() -> None:
    check(solve, [1], expected=False)
    check(solve, [0, 0], expected=True)
    check(solve, [0, 1], expected=False)


def test_negative_numbers_and_zero() -> None:
    check(solve, [-1, 0, 1], expected=False)
    check(solve, [-3, 3, -3], expected=True)
    # hash(-1) == hash(-2) in CPython (-1 is reserved as an error code); a set still
    # tells them apart with ==.
    check(solve, [-1, -2], expected=False)


def test_the_limits_of_the_constraints() -> None:
    big = 10**9
    check(solve, [big, -big], expected=False)
    check(solve, [-big, 0, big, -big], expected=True)
    check(solve, list(range(-big, -big + 2_000)), expected=False)
    check(solve, [*range(big - 1_999, big + 1), big - 1_999], expected=True)


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261212)
    for _ in range(300):
        n = rng.randint(1, 20)
        nums = [rng.randint(-2 * n, 2 * n) for _ in range(n)]  # about half have a repeat
        check(solve, nums, expected=oracle(nums))


def _twin_at_the_end(n: int) -> tuple[list[int]]:
    # n - 1 distinct values in a seeded random order, then the last of them again: a
    # solution that stops at the first repeat still reads everything, and one that scans
    # the list per element scans it n - 1 times first. Shuffled, because on sorted values
    # a sort meets its best case: Timsort sees one run (about n comparisons) and a
    # hand-written insertion sort is linear too.
    values = list(range(n - 1))
    random.Random(20261212 + n).shuffle(values)
    return (counted_ints([*values, values[-1]]),)


def test_time_is_linear() -> None:
    assert_time_budget(solve, _twin_at_the_end, "O(n)")
