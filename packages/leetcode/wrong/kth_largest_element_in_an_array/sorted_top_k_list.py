"""Keeps the k largest in an ascending list, finding each slot by a scan from the end: O(n * k)."""

from __future__ import annotations


def find_kth_largest(nums: list[int], k: int) -> int:
    top: list[int] = []
    for x in nums:
        if len(top) == k:
            if x <= top[0]:  # not among the k largest so far
                continue
            top.pop(0)
        i = len(top)
        while i > 0 and top[i - 1] > x:
            i -= 1
        top.insert(i, x)
    return top[0]
