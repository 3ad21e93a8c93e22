"""Grows a fresh set from every start until a repeat: correct, and quadratic."""

from __future__ import annotations


def length_of_longest_substring(s: str) -> int:
    best = 0
    for start in range(len(s)):
        seen: set[str] = set()
        for ch in s[start:]:
            if ch in seen:
                break
            seen.add(ch)
        best = max(best, len(seen))
    return best
