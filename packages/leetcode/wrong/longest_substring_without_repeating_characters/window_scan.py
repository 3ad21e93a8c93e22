"""Looks for the repeat with ``ch in s[start:i]``: each step scans the whole window."""

from __future__ import annotations


def length_of_longest_substring(s: str) -> int:
    start = best = 0
    for i, ch in enumerate(s):
        window = s[start:i]
        if ch in window:
            start += window.index(ch) + 1
        best = max(best, i - start + 1)
    return best
