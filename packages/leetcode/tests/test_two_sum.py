"""Two Sum: the examples, the edge cases, an oracle on seeded inputs, and a linear budget."""

from __future__ import annotations

import itertools
import random

from handbook.leetcode.testing import Solution, assert_time_budget, check, counted_ints

two_sum = Solution("two_sum", "two_sum")


def oracle(nums: list[int], target: int) -> list[list[int]]:
    """Every pair of indices that adds up to ``target``: obviously right, O(n^2)."""
    return [
        [i, j]
        for i, j in itertools.combinations(range(len(nums)), 2)
        if nums[i] + nums[j] == target
    ]


def test_the_statement_examples() -> None:
    check(two_sum, [2, 7, 11, 15], 9, expected=[0, 1], key=sorted, note="in any order")
    check(two_sum, [3, 2, 4], 6, expected=[1, 2], key=sorted, note="in any order")
    check(two_sum, [3, 3], 6, expected=[0, 1], key=sorted, note="in any order")


def test_an_element_does_not_pair_with_itself() -> None:
    # 3 + 3 == 6, but there is one 3: the only answer is 2 + 4.
    check(two_sum, [3, 2, 4], 6, expected=[1, 2], key=sorted, note="in any order")
    check(two_sum, [5, 1, 9], 10, expected=[1, 2], key=sorted, note="in any order")


def test_negative_numbers_and_zero() -> None:
    check(two_sum, [-3, 4, 3, 90], 0, expected=[0, 2], key=sorted, note="in any order")
    check(two_sum, [0, 4, 3, 0], 0, expected=[0, 3], key=sorted, note="in any order")
    check(two_sum, [-1, -2, -3, -4, -5], -8, expected=[2, 4], key=sorted, note="in any order")


def test_the_limits_of_the_constraints() -> None:
    big = 10**9
    check(two_sum, [big, -big], 0, expected=[0, 1], key=sorted, note="in any order")
    check(two_sum, [big, 1, big], 2 * big, expected=[0, 2], key=sorted, note="in any order")


def test_the_pair_at_the_far_ends() -> None:
    nums = [1] + [10] * 50 + [2]
    check(two_sum, nums, 3, expected=[0, 51], key=sorted, note="in any order")


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261202)
    checked = 0
    while checked < 300:
        nums = [rng.randint(-50, 50) for _ in range(rng.randint(2, 30))]
        target = rng.choice(nums) + rng.choice(nums)
        pairs = oracle(nums, target)
        if len(pairs) != 1:  # the problem promises exactly one answer
            continue
        check(two_sum, nums, target, expected=pairs[0], key=sorted, note="in any order")
        checked += 1


def _pair_at_the_end(n: int) -> tuple[list[int], int]:
    # Distinct even values, and the two odd ones that add up to the target come last:
    # a solution that scans for the complement scans almost everything, every time.
    nums = counted_ints([*range(0, 2 * (n - 2), 2), 1_000_001, 2_000_001])
    return nums, 3_000_002


def test_time_is_linear() -> None:
    assert_time_budget(two_sum, _pair_at_the_end, "O(n)")
