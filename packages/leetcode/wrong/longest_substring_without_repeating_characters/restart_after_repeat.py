"""On a repeat, clears the window and restarts at the repeated character, losing the
characters between its two copies."""

from __future__ import annotations


def length_of_longest_substring(s: str) -> int:
    window: set[str] = set()
    best = 0
    for ch in s:
        if ch in window:
            window.clear()
        window.add(ch)
        best = max(best, len(window))
    return best
