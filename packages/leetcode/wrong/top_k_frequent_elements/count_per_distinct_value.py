"""Counts each distinct value with ``nums.count``: a full scan per value, quadratic when
most values are distinct."""

from __future__ import annotations


def top_k_frequent(nums: list[int], k: int) -> list[int]:
    counts = {x: nums.count(x) for x in set(nums)}
    return sorted(counts, key=lambda x: counts[x], reverse=True)[:k]
