"""Kth Largest Element in an Array.

Given an integer array ``nums`` and an integer ``k``, return the k-th largest
element: the element at index k - 1 of nums sorted in descending order.
Duplicates count separately, so it is the k-th largest element, not the k-th
largest distinct value. Can you solve it without sorting?

Example 1: nums = [3, 2, 1, 5, 6, 4], k = 2           ->  5
Example 2: nums = [3, 2, 3, 1, 2, 4, 5, 5, 6], k = 4  ->  4   (6, 5, 5, 4, ...)

Constraints: 1 <= k <= len(nums) <= 10**5; -10**4 <= nums[i] <= 10**4.
Aim for O(n log n) time or better: the tests count the operations your
solution makes, inside builtins too.
"""

from __future__ import annotations


def find_kth_largest(nums: list[int], k: int) -> int:
    """The ``k``-th largest element of ``nums``, duplicates counted, ``k`` from 1."""
    # TODO: write your solution here, then run:
    # uv run handbook practice kth_largest_element_in_an_array
    raise NotImplementedError("find_kth_largest is not written yet")
