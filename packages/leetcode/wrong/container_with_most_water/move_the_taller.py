"""Two pointers that move the taller line inwards: the shorter one keeps capping the level."""

from __future__ import annotations


def max_area(height: list[int]) -> int:
    i, j = 0, len(height) - 1
    best = 0
    while i < j:
        best = max(best, min(height[i], height[j]) * (j - i))
        if height[i] < height[j]:
            j -= 1
        else:
            i += 1
    return best
