"""3Sum: the examples, repeated values, an oracle on seeded inputs, and a quadratic budget on
two inputs."""

from __future__ import annotations

import itertools
import random
from typing import Any

from handbook.leetcode.testing import Solution, assert_time_budget, check, counted_ints

three_sum = Solution("three_sum", "three_sum")


def normalised(triplets: Any) -> list[list[int]]:
    """Each triplet sorted, then the list sorted: any order of either is accepted, but a
    repeated triplet still shows as a repeat.

    >>> normalised([[2, -1, -1], [1, 0, -1], [-1, 0, 1]])
    [[-1, -1, 2], [-1, 0, 1], [-1, 0, 1]]
    """
    return sorted(sorted(t) for t in triplets)


def oracle(nums: list[int]) -> list[list[int]]:
    """Every triplet of indices, values sorted, repeats dropped by a set: obviously right, O(n^3).

    >>> oracle([-1, 0, 1, 2, -1, -4])
    [[-1, -1, 2], [-1, 0, 1]]
    """
    found = {tuple(sorted(t)) for t in itertools.combinations(nums, 3) if sum(t) == 0}
    return sorted(list(t) for t in found)


def _check(nums: list[int], expected: list[list[int]]) -> None:
    check(three_sum, nums, expected=expected, key=normalised, note="in any order")


def test_the_statement_examples() -> None:
    _check([-1, 0, 1, 2, -1, -4], [[-1, -1, 2], [-1, 0, 1]])
    _check([0, 1, 1], [])
    _check([0, 0, 0], [[0, 0, 0]])


def test_each_triplet_appears_once() -> None:
    # Two -1s, four 0s, two 0s and two 2s: each can produce the same values more than once.
    _check([-1, -1, 0, 1], [[-1, 0, 1]])
    _check([0, 0, 0, 0], [[0, 0, 0]])
    _check([-2, 0, 0, 2, 2], [[-2, 0, 2]])


def test_a_triplet_may_repeat_a_value() -> None:
    # Two equal values at different indices are allowed in one triplet.
    _check([-2, 1, 1], [[-2, 1, 1]])
    _check([-1, -1, 2], [[-1, -1, 2]])
    _check([-4, 2, 2, 2], [[-4, 2, 2]])


def test_no_triplet_adds_up_to_zero() -> None:
    _check([1, 2, 3], [])
    _check([-1, -2, -3], [])
    _check([1, -1, 5], [])


def test_the_limits_of_the_constraints() -> None:
    big = 10**5
    _check([-big, big // 2, big // 2], [[-big, big // 2, big // 2]])
    _check([big, -big, 0, big, -big], [[-big, 0, big]])


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261206)
    for _ in range(300):
        nums = [rng.randint(-6, 6) for _ in range(rng.randint(3, 14))]
        _check(nums, oracle(nums))


def _symmetric_distinct(n: int) -> tuple[list[int]]:
    # Distinct values spread around 0, shuffled: about n*n/8 triplets add up to 0, so the
    # two-pointer scan finds many hits, and every triplet of indices is a candidate.
    nums = list(range(-n, n, 2))
    random.Random(n).shuffle(nums)
    return (counted_ints(nums),)


def test_time_is_quadratic() -> None:
    # Small sizes, so that tracing stays cheap: the reference's count grows about x15 per
    # step, the triple loop's about x60 from n = 8 to n = 32, where counting stops at x32.
    assert_time_budget(three_sum, _symmetric_distinct, "O(n^2)", sizes=(8, 32, 128))


def _odd_values(n: int) -> tuple[list[int]]:
    # n distinct odd values, shuffled. Three odd numbers add up to an odd number, never to 0,
    # so no third value is ever found and a scan for it (`need in seen` on a list,
    # `need in nums[j + 1:]`) runs to the end every time: about n**3/6 comparisons.
    nums = list(range(-2 * n + 1, 2 * n, 4))
    random.Random(n).shuffle(nums)
    return (counted_ints(nums),)


def test_time_is_quadratic_when_no_triplet_exists() -> None:
    # A third loop hidden in `in` costs C-level comparisons, which only outweigh the ~25
    # instructions per pair once n is about 50. Measured, from 48 to 192 (3.11 / 3.12 /
    # 3.13): the reference x16.0, `in` on a list of seen values x34.7 / x35.2 / x37.2 and
    # `in` on a slice x36.0 / x36.6 / x38.3, where x32 is allowed. Larger sizes give more
    # margin but cost seconds of tracing before a cubic solution is stopped.
    assert_time_budget(three_sum, _odd_values, "O(n^2)", sizes=(12, 48, 192))
