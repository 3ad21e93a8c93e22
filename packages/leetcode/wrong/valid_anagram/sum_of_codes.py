"""Compares the sums of the letter codes (and the lengths): different letters can share a sum."""

from __future__ import annotations


def is_anagram(s: str, t: str) -> bool:
    return len(s) == len(t) and sum(map(ord, s)) == sum(map(ord, t))
