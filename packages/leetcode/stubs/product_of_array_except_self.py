"""Product of Array Except Self.

Given an integer array ``nums``, return an array ``answer`` where
``answer[i]`` is the product of every element of ``nums`` except ``nums[i]``.
The algorithm must run in O(n) time and must not use the division operation.

Example 1: nums = [1, 2, 3, 4]        ->  [24, 12, 8, 6]
Example 2: nums = [-1, 1, 0, -3, 3]   ->  [0, 0, 9, 0, 0]

Constraints: 2 <= len(nums) <= 10**5; -30 <= nums[i] <= 30; the product of
any prefix or suffix of nums fits in a 32-bit integer. The tests count the
multiplications your solution makes, and the numbers they pass refuse to be
divided. Follow-up: O(1) extra space besides the output.
"""

from __future__ import annotations


def product_except_self(nums: list[int]) -> list[int]:
    """For each index, the product of every other element of ``nums``."""
    # TODO: write your solution here, then run:
    #     uv run handbook practice product_of_array_except_self
    raise NotImplementedError("product_except_self is not written yet")
