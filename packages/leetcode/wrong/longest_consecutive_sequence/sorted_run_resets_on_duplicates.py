"""Sorts and counts runs, but a repeated value resets the run instead of being skipped."""

from __future__ import annotations

from itertools import pairwise


def longest_consecutive(nums: list[int]) -> int:
    if not nums:
        return 0
    ordered = sorted(nums)
    best = run = 1
    for previous, current in pairwise(ordered):
        if current == previous + 1:
            run += 1
            best = max(best, run)
        else:
            run = 1
    return best
