"""Search in Rotated Sorted Array.

An array of distinct integers, sorted in ascending order, may have been
rotated before you get it: for some k with 1 <= k < len(nums), the part from
index k on was moved to the front (nums[k:] + nums[:k]), so [0, 1, 2, 4, 5, 6, 7]
rotated at k = 3 reads [4, 5, 6, 7, 0, 1, 2]. Given nums after the possible rotation and an integer
target, return the index of target in nums, or -1 if it is absent.

Example 1: nums = [4, 5, 6, 7, 0, 1, 2], target = 0  ->  4
Example 2: nums = [4, 5, 6, 7, 0, 1, 2], target = 3  ->  -1
Example 3: nums = [1], target = 0                    ->  -1

Constraints: 1 <= len(nums) <= 5000; -10**4 <= nums[i], target <= 10**4; the
values of nums are distinct; nums is an ascending array, possibly rotated.
Your algorithm must run in O(log n) time: the tests count the operations your
solution makes, inside builtins too.
"""

from __future__ import annotations


def search(nums: list[int], target: int) -> int:
    """The index of ``target`` in the rotated sorted list ``nums``, or ``-1``."""
    # TODO: write your solution here, then run:
    # uv run handbook practice search_in_rotated_sorted_array
    raise NotImplementedError("search is not written yet")
