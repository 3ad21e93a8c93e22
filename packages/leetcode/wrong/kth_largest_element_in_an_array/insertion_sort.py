"""Sorts a copy by insertion sort "without calling sort": O(n^2), O(n) only on sorted input."""

from __future__ import annotations


def find_kth_largest(nums: list[int], k: int) -> int:
    values = list(nums)
    for i in range(1, len(values)):
        x = values[i]
        j = i - 1
        while j >= 0 and values[j] > x:  # shift the larger values right
            values[j + 1] = values[j]
            j -= 1
        values[j + 1] = x
    return values[len(values) - k]
