"""Walks up from every value, not only from the start of a run: quadratic on one long run."""

from __future__ import annotations


def longest_consecutive(nums: list[int]) -> int:
    values = set(nums)
    best = 0
    for x in values:
        end = x + 1
        while end in values:
            end += 1
        best = max(best, end - x)
    return best
