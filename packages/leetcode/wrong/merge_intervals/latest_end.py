"""Takes the new interval's end instead of the larger end: an interval inside the group
shrinks it ([1, 10] then [2, 3] gives [1, 3])."""

from __future__ import annotations


def merge(intervals: list[list[int]]) -> list[list[int]]:
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return merged
