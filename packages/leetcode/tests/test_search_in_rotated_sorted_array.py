"""Search in Rotated Sorted Array: the examples, the boundaries of the halves, an oracle on
seeded rotations, a logarithmic budget and constant extra space."""

from __future__ import annotations

import random

from handbook.leetcode.testing import (
    Solution,
    assert_constant_space,
    assert_time_budget,
    check,
    counted_ints,
)

solve = Solution("search_in_rotated_sorted_array", "search")


def oracle(nums: list[int], target: int) -> int:
    """The index of ``target`` by a scan: obviously right, O(n).

    >>> oracle([4, 5, 6, 7, 0, 1, 2], 0), oracle([1], 0)
    (4, -1)
    """
    return nums.index(target) if target in nums else -1


def rotated(values: list[int], k: int) -> list[int]:
    """``values`` sorted, then rotated at ``k``: the part from index ``k`` on comes first.

    >>> rotated([0, 1, 2, 4, 5, 6, 7], 3)
    [4, 5, 6, 7, 0, 1, 2]
    """
    ordered = sorted(values)
    return ordered[k:] + ordered[:k]


def test_the_statement_examples() -> None:
    check(solve, [4, 5, 6, 7, 0, 1, 2], 0, expected=4)
    check(solve, [4, 5, 6, 7, 0, 1, 2], 3, expected=-1)
    check(solve, [1], 0, expected=-1)


def test_every_position_of_a_rotated_array() -> None:
    nums = [4, 5, 6, 7, 0, 1, 2]
    for i, x in enumerate(nums):
        check(solve, nums, x, expected=i)


def test_an_array_that_is_not_rotated() -> None:
    nums = [1, 3, 5, 7, 9]
    for i, x in enumerate(nums):
        check(solve, nums, x, expected=i)
    check(solve, nums, 4, expected=-1)


def test_two_items_left_the_left_half_is_one_item() -> None:
    # lo == mid: nums[lo..mid] is the single item 3, sorted; the target 1 is right of it.
    check(solve, [3, 1], 1, expected=1)
    # The same two-item step after the search has narrowed, on the left and on the right.
    check(solve, [2, 3, 4, 1], 1, expected=3)
    check(solve, [5, 1, 2, 3, 4], 1, expected=1)
    check(solve, [6, 1, 2, 3, 4, 5], 1, expected=1)


def test_the_last_candidate_is_checked() -> None:
    # The search narrows to one index; it must still compare it with the target.
    check(solve, [1], 1, expected=0)
    check(solve, [1, 3], 3, expected=1)
    check(solve, [6, 7, 1, 2, 3, 4, 5], 5, expected=6)


def test_absent_targets_below_above_and_between() -> None:
    nums = [40, 50, 60, 10, 20, 30]
    for target in (5, 15, 35, 45, 65):
        check(solve, nums, target, expected=-1)


def test_negatives_and_the_limits_of_the_constraints() -> None:
    nums = [9_999, 10_000, -10_000, -9_999, -1, 0]
    for i, x in enumerate(nums):
        check(solve, nums, x, expected=i)
    check(solve, nums, 1, expected=-1)


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261205)
    for _ in range(300):
        values = rng.sample(range(-50, 50), rng.randint(1, 30))
        nums = rotated(values, rng.randrange(len(values)))
        target = rng.choice(nums) if rng.random() < 0.7 else rng.randint(-51, 51)
        check(solve, nums, target, expected=oracle(nums, target))


def _target_at_the_end(n: int) -> tuple[list[int], int]:
    # Distinct evens rotated at a third; the target is the last item, so a scan compares
    # with every element before it finds it.
    nums = rotated(list(range(0, 2 * n, 2)), n // 3)
    return counted_ints(nums), nums[-1]


def test_time_is_logarithmic() -> None:
    assert_time_budget(solve, _target_at_the_end, "O(log n)")


def _absent_target(n: int) -> tuple[list[int], int]:
    # An odd target among even values: a scan from either end, or one that stops at the
    # rotation point, reads every element before it can answer -1. A target last in the
    # list is the best case of a scan from the end.
    nums = rotated(list(range(0, 2 * n, 2)), n // 3)
    return counted_ints(nums), n + 1


def test_time_is_logarithmic_for_an_absent_target() -> None:
    assert_time_budget(solve, _absent_target, "O(log n)")


def test_extra_space_is_constant() -> None:
    # Slices copy references, which the time budget does not count; tracemalloc sees them.
    # nums[mid + 1:] at each step holds n/2 references, 64 to 4096 items: about 32 KiB more.
    assert_constant_space(solve, _target_at_the_end)
