"""Two Sum.

Given an array of integers ``nums`` and an integer ``target``, return the
indices of the two numbers such that they add up to ``target``. Each input
has exactly one solution, and you may not use the same element twice. Return
the answer in any order.

Example 1: nums = [2, 7, 11, 15], target = 9  ->  [0, 1]
Example 2: nums = [3, 2, 4], target = 6       ->  [1, 2]
Example 3: nums = [3, 3], target = 6          ->  [0, 1]

Constraints: 2 <= len(nums) <= 10**4; -10**9 <= nums[i], target <= 10**9;
exactly one valid answer exists. Aim for less than O(n^2) time: the tests
count the operations your solution makes, inside builtins too.
"""

from __future__ import annotations


def two_sum(nums: list[int], target: int) -> list[int]:
    """The indices of the two entries of ``nums`` that add up to ``target``."""
    # TODO: write your solution here, then run: uv run handbook practice two_sum
    raise NotImplementedError("two_sum is not written yet")
