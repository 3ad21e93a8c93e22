"""Measures every pair of lines: right answers, O(n^2)."""

from __future__ import annotations


def max_area(height: list[int]) -> int:
    best = 0
    for i in range(len(height)):
        for j in range(i + 1, len(height)):
            best = max(best, min(height[i], height[j]) * (j - i))
    return best
