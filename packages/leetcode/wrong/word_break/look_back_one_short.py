"""Limits the look-back to the longest word, one start short: a word as long as the
longest word in the dictionary is never tried."""

from __future__ import annotations


def word_break(s: str, word_dict: list[str]) -> bool:
    words = set(word_dict)
    longest = max(map(len, words))
    fits = [True] + [False] * len(s)
    for end in range(1, len(s) + 1):
        for start in range(max(0, end - longest + 1), end):
            if fits[start] and s[start:end] in words:
                fits[end] = True
                break
    return fits[len(s)]
