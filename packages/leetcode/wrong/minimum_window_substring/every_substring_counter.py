"""Tries every substring, shortest first, against ``Counter(t)``: O(m^3)."""

from __future__ import annotations

from collections import Counter


def min_window(s: str, t: str) -> str:
    need = Counter(t)
    for length in range(len(t), len(s) + 1):
        for start in range(len(s) - length + 1):
            window = s[start : start + length]
            if Counter(window) >= need:
                return window
    return ""
