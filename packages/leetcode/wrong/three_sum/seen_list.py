"""The hash-set method with a list for the values seen: each ``in`` scans it, so O(n^3)."""

from __future__ import annotations


def three_sum(nums: list[int]) -> list[list[int]]:
    n = len(nums)
    found: set[tuple[int, ...]] = set()
    for i in range(n):
        seen: list[int] = []
        for j in range(i + 1, n):
            need = -nums[i] - nums[j]
            if need in seen:
                found.add(tuple(sorted((nums[i], nums[j], need))))
            seen.append(nums[j])
    return [list(t) for t in found]
