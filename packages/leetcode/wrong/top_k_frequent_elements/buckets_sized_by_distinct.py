"""Sizes the buckets by the number of distinct values, though a count can reach len(nums)."""

from __future__ import annotations

from collections import Counter


def top_k_frequent(nums: list[int], k: int) -> list[int]:
    counts = Counter(nums)
    buckets: list[list[int]] = [[] for _ in range(len(counts) + 1)]
    for value, count in counts.items():
        buckets[count].append(value)
    answer: list[int] = []
    for bucket in reversed(buckets):
        answer.extend(bucket)
        if len(answer) >= k:
            return answer[:k]
    return answer
