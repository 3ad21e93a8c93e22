"""Sorts, then looks for each pair's third value with ``in`` on the rest: O(n^3)."""

from __future__ import annotations


def three_sum(nums: list[int]) -> list[list[int]]:
    ordered = sorted(nums)
    n = len(ordered)
    found: set[tuple[int, int, int]] = set()
    for i in range(n):
        for j in range(i + 1, n):
            need = -(ordered[i] + ordered[j])
            if need in ordered[j + 1 :]:
                found.add((ordered[i], ordered[j], need))
    return [list(t) for t in found]
