"""Scans from the end, "since the target tends to be in the rotated tail": still O(n)."""

from __future__ import annotations


def search(nums: list[int], target: int) -> int:
    for i in range(len(nums) - 1, -1, -1):
        if nums[i] == target:
            return i
    return -1
