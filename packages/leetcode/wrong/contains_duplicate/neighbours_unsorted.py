"""Compares each value with its neighbour without sorting first, so far-apart twins are missed."""

from __future__ import annotations


def contains_duplicate(nums: list[int]) -> bool:
    return any(nums[i] == nums[i + 1] for i in range(len(nums) - 1))
