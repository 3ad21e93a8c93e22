"""Contains Duplicate.

Given an integer array ``nums``, return ``True`` if some value appears at
least twice in it, and ``False`` if every value is distinct.

Example 1: nums = [1, 2, 3, 1]                  ->  True
Example 2: nums = [1, 2, 3, 4]                  ->  False
Example 3: nums = [1, 1, 1, 3, 3, 4, 3, 2, 4, 2]  ->  True

Constraints: 1 <= len(nums) <= 10**5; -10**9 <= nums[i] <= 10**9. Aim for
O(n) time (O(n log n) passes too): the tests count the operations your
solution makes, inside builtins too. Do not change the list you are given:
LeetCode accepts sorting it in place, but here, as in most interviews unless
you ask, the caller's list is theirs.
"""

from __future__ import annotations


def contains_duplicate(nums: list[int]) -> bool:
    """Whether some value appears at least twice in ``nums``."""
    # TODO: write your solution here, then run: uv run handbook practice contains_duplicate
    raise NotImplementedError("contains_duplicate is not written yet")
