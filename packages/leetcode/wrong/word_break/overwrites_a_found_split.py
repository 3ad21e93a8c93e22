"""Assigns each start's result to the cell instead of stopping at the first that works:
a later start that fails overwrites an earlier one that succeeded."""

from __future__ import annotations


def word_break(s: str, word_dict: list[str]) -> bool:
    words = set(word_dict)
    fits = [True] + [False] * len(s)
    for end in range(1, len(s) + 1):
        for start in range(end):
            fits[end] = fits[start] and s[start:end] in words
    return fits[len(s)]
