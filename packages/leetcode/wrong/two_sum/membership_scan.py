"""Looks the complement up with ``in`` and ``index`` on the list: short, and quadratic."""

from __future__ import annotations


def two_sum(nums: list[int], target: int) -> list[int]:
    for i, x in enumerate(nums):
        rest = nums[i + 1 :]
        if target - x in rest:
            return [i, i + 1 + rest.index(target - x)]
    return []
