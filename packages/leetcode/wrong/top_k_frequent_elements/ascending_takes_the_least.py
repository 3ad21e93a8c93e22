"""Sorts the values by count ascending and takes the first k: the least frequent ones."""

from __future__ import annotations

from collections import Counter


def top_k_frequent(nums: list[int], k: int) -> list[int]:
    counts = Counter(nums)
    return sorted(counts, key=lambda x: counts[x])[:k]
