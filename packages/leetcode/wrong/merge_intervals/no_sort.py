"""The right sweep without the sort: an interval that starts earlier but comes later in
the input is folded into the wrong group."""

from __future__ import annotations


def merge(intervals: list[list[int]]) -> list[list[int]]:
    merged: list[list[int]] = []
    for start, end in intervals:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
