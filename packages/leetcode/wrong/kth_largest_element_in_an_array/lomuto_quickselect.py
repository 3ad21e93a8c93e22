"""Quickselect with a random pivot and Lomuto's partition: O(n) on average, but values
equal to the pivot all land on one side, so equal values make it O(n^2)."""

from __future__ import annotations

import random


def find_kth_largest(nums: list[int], k: int) -> int:
    a = list(nums)
    want = len(a) - k  # the index the answer has in ascending order
    lo, hi = 0, len(a) - 1
    while True:
        p = random.randint(lo, hi)
        a[p], a[hi] = a[hi], a[p]
        pivot, store = a[hi], lo
        for i in range(lo, hi):
            if a[i] < pivot:
                a[i], a[store] = a[store], a[i]
                store += 1
        a[store], a[hi] = a[hi], a[store]
        if store == want:
            return a[store]
        if store < want:
            lo = store + 1
        else:
            hi = store - 1
