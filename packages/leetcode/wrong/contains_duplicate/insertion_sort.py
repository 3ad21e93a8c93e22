"""Sorts a copy by hand with insertion sort, then compares neighbours: O(n^2) comparisons."""

from __future__ import annotations


def contains_duplicate(nums: list[int]) -> bool:
    ordered = list(nums)
    for i in range(1, len(ordered)):
        value = ordered[i]
        j = i - 1
        while j >= 0 and ordered[j] > value:
            ordered[j + 1] = ordered[j]
            j -= 1
        ordered[j + 1] = value
    return any(ordered[i] == ordered[i + 1] for i in range(len(ordered) - 1))
