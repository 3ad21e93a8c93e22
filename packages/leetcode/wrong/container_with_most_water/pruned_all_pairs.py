"""Tries every pair but skips those that cannot beat the best so far: fast on random
heights, still O(n^2) when tall lines face a run of zeros."""

from __future__ import annotations


def max_area(height: list[int]) -> int:
    n = len(height)
    best = 0
    for i in range(n):
        if height[i] * (n - 1 - i) <= best:
            continue  # even the widest container from i cannot beat best
        for j in range(n - 1, i, -1):
            if height[i] * (j - i) <= best:
                break  # narrower from here on, and never higher than height[i]
            best = max(best, min(height[i], height[j]) * (j - i))
    return best
