"""Longest Consecutive Sequence.

Given an unsorted array of integers ``nums``, return the length of the longest
run of consecutive integers (x, x + 1, x + 2, ...) whose values all occur in
``nums``, in any positions. Repeated values count once. The algorithm must
run in O(n) time.

Example 1: nums = [100, 4, 200, 1, 3, 2]          ->  4   (1, 2, 3, 4)
Example 2: nums = [0, 3, 7, 2, 5, 8, 4, 6, 0, 1]  ->  9   (0 to 8)
Example 3: nums = [1, 0, 1, 2]                    ->  3

Constraints: 0 <= len(nums) <= 10**5; -10**9 <= nums[i] <= 10**9. The tests
count the operations your solution makes, inside builtins too.
"""

from __future__ import annotations


def longest_consecutive(nums: list[int]) -> int:
    """The length of the longest run of consecutive integers found in ``nums``."""
    # TODO: write your solution here, then run:
    #     uv run handbook practice longest_consecutive_sequence
    raise NotImplementedError("longest_consecutive is not written yet")
