"""Indexes the descending order with ``k``, as if k counted from 0: the (k + 1)-th largest."""

from __future__ import annotations


def find_kth_largest(nums: list[int], k: int) -> int:
    return sorted(nums, reverse=True)[k]
