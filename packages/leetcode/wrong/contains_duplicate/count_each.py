"""Counts each value with ``list.count``: one line, and a scan of the list per element."""

from __future__ import annotations


def contains_duplicate(nums: list[int]) -> bool:
    return any(nums.count(x) > 1 for x in nums)
