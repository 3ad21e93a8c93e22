"""Buckets the values in a dict from count to value: values with the same count
overwrite each other."""

from __future__ import annotations

from collections import Counter


def top_k_frequent(nums: list[int], k: int) -> list[int]:
    by_count = {count: value for value, count in Counter(nums).items()}
    answer: list[int] = []
    for count in range(len(nums), 0, -1):
        if count in by_count:
            answer.append(by_count[count])
            if len(answer) == k:
                break
    return answer
