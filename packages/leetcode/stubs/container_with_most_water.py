"""Container With Most Water.

Given an array ``height`` of n non-negative integers, line i runs from (i, 0)
up to (i, height[i]). Two lines and the x-axis make a container; return the
most water one can hold. The water's level is the shorter line, so lines
i < j hold min(height[i], height[j]) * (j - i). The container may not be
slanted.

Example 1: height = [1, 8, 6, 2, 5, 4, 8, 3, 7]  ->  49   (lines 1 and 8: min(8, 7) * 7)
Example 2: height = [1, 1]                       ->  1

Constraints: 2 <= len(height) <= 10**5; 0 <= height[i] <= 10**4. The tests
count the operations your solution makes: aim for O(n).
"""

from __future__ import annotations


def max_area(height: list[int]) -> int:
    """The most water any two lines of ``height`` can hold with the x-axis."""
    # TODO: write your solution here, then run: uv run handbook practice container_with_most_water
    raise NotImplementedError("max_area is not written yet")
