"""Compares the sets of letters (and the lengths): which letters occur, not how often."""

from __future__ import annotations


def is_anagram(s: str, t: str) -> bool:
    return len(s) == len(t) and set(s) == set(t)
