"""Subtracts Counters with no length check: counts below zero vanish, so extra letters pass."""

from __future__ import annotations

from collections import Counter


def is_anagram(s: str, t: str) -> bool:
    return not Counter(s) - Counter(t)
