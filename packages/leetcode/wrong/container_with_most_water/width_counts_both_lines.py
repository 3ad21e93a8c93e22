"""Takes the width as j - i + 1, counting the lines instead of the gap between them."""

from __future__ import annotations


def max_area(height: list[int]) -> int:
    i, j = 0, len(height) - 1
    best = 0
    while i < j:
        best = max(best, min(height[i], height[j]) * (j - i + 1))
        if height[i] < height[j]:
            i += 1
        else:
            j -= 1
    return best
