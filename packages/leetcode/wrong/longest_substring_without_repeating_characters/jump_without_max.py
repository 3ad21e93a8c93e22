"""Jumps ``start = last[ch] + 1`` even when ``ch`` was last seen before the window."""

from __future__ import annotations


def length_of_longest_substring(s: str) -> int:
    last: dict[str, int] = {}
    start = best = 0
    for i, ch in enumerate(s):
        if ch in last:
            start = last[ch] + 1
        last[ch] = i
        best = max(best, i - start + 1)
    return best
