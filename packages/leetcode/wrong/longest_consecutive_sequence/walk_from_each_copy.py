"""Loops over nums instead of the set: every copy of a run's first value walks the run again."""

from __future__ import annotations


def longest_consecutive(nums: list[int]) -> int:
    values = set(nums)
    best = 0
    for x in nums:
        if x - 1 not in values:
            end = x + 1
            while end in values:
                end += 1
            best = max(best, end - x)
    return best
