"""Sorts the caller's list in place before comparing neighbours: right answer, changed input."""

from __future__ import annotations


def contains_duplicate(nums: list[int]) -> bool:
    nums.sort()
    return any(nums[i] == nums[i + 1] for i in range(len(nums) - 1))
