"""Top K Frequent Elements.

Given an integer array ``nums`` and an integer ``k``, return the ``k`` values
that occur most often in ``nums``. The answer may be in any order, and the
input is such that it is unique: the ``k``-th and ``(k+1)``-th most frequent
values never tie.

Example 1: nums = [1, 1, 1, 2, 2, 3], k = 2  ->  [1, 2]
Example 2: nums = [1], k = 1                 ->  [1]

Constraints: 1 <= len(nums) <= 10**5; -10**4 <= nums[i] <= 10**4; k is
between 1 and the number of distinct values; the answer is unique. Aim for
better than O(n log n) time; the tests count the operations your solution
makes, inside builtins too, and reject anything slower than about n log n.
"""

from __future__ import annotations


def top_k_frequent(nums: list[int], k: int) -> list[int]:
    """The ``k`` most frequent values of ``nums``, in any order."""
    # TODO: write your solution here, then run: uv run handbook practice top_k_frequent_elements
    raise NotImplementedError("top_k_frequent is not written yet")
