"""3Sum.

Given an integer array ``nums``, return every triplet [nums[i], nums[j],
nums[k]] with i, j and k distinct indices and nums[i] + nums[j] + nums[k] == 0.
The answer must not contain the same triplet twice (two triplets are the same
when they hold the same values); the triplets and the values inside them may
come in any order.

Example 1: nums = [-1, 0, 1, 2, -1, -4]  ->  [[-1, -1, 2], [-1, 0, 1]]
Example 2: nums = [0, 1, 1]              ->  []
Example 3: nums = [0, 0, 0]              ->  [[0, 0, 0]]

Constraints: 3 <= len(nums) <= 3000; -10**5 <= nums[i] <= 10**5. The tests
count the operations your solution makes, inside builtins too: aim for O(n^2).
"""

from __future__ import annotations


def three_sum(nums: list[int]) -> list[list[int]]:
    """Every distinct triplet of values of ``nums`` at distinct indices that adds up to 0."""
    # TODO: write your solution here, then run: uv run handbook practice three_sum
    raise NotImplementedError("three_sum is not written yet")
