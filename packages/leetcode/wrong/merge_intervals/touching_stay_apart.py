"""Compares with ``<`` instead of ``<=``: intervals that touch, [1, 4] and [4, 5], stay apart."""

from __future__ import annotations


def merge(intervals: list[list[int]]) -> list[list[int]]:
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
