"""For each line, scans from each end for the farthest line at least as tall: right
answers, O(n^2) when the tall lines are far from one another's partners."""

from __future__ import annotations


def max_area(height: list[int]) -> int:
    n = len(height)
    best = 0
    for i in range(n):
        # Line i as the shorter one: its best partner is the farthest line at least as tall.
        for j in range(n - 1, i, -1):
            if height[j] >= height[i]:
                best = max(best, height[i] * (j - i))
                break
        for j in range(i):
            if height[j] >= height[i]:
                best = max(best, height[i] * (i - j))
                break
    return best
