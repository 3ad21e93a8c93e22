"""Sorts ``set(nums)``: duplicates collapse into one value, so they no longer count."""

from __future__ import annotations


def find_kth_largest(nums: list[int], k: int) -> int:
    return sorted(set(nums))[-k]
