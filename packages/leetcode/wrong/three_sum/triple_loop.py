"""Tries every triplet of indices, keeping sorted tuples in a set: right answers, O(n^3)."""

from __future__ import annotations


def three_sum(nums: list[int]) -> list[list[int]]:
    n = len(nums)
    found: set[tuple[int, ...]] = set()
    for i in range(n):
        for j in range(i + 1, n):
            for k in range(j + 1, n):
                if nums[i] + nums[j] + nums[k] == 0:
                    found.add(tuple(sorted((nums[i], nums[j], nums[k]))))
    return [list(t) for t in found]
