"""Removes the maximum k - 1 times: each ``max`` and ``remove`` scans the list, O(n * k)."""

from __future__ import annotations


def find_kth_largest(nums: list[int], k: int) -> int:
    rest = list(nums)
    for _ in range(k - 1):
        rest.remove(max(rest))
    return max(rest)
