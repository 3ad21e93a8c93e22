"""Finds the target with ``in`` and ``index``: correct, and O(n)."""

from __future__ import annotations


def search(nums: list[int], target: int) -> int:
    return nums.index(target) if target in nums else -1
