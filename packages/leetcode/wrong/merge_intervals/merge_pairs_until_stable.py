"""Merges any overlapping pair and starts over until no pair overlaps: right, but every
pass compares all pairs, O(n^2) even when nothing overlaps."""

from __future__ import annotations


def merge(intervals: list[list[int]]) -> list[list[int]]:
    result = [list(interval) for interval in intervals]
    changed = True
    while changed:
        changed = False
        for i in range(len(result)):
            for j in range(i + 1, len(result)):
                a, b = result[i], result[j]
                if a[0] <= b[1] and b[0] <= a[1]:
                    result[i] = [min(a[0], b[0]), max(a[1], b[1])]
                    del result[j]
                    changed = True
                    break
            if changed:
                break
    return result
