"""Greedy: always cuts off the longest word that fits, and never reconsiders a cut."""

from __future__ import annotations


def word_break(s: str, word_dict: list[str]) -> bool:
    words = sorted(word_dict, key=len, reverse=True)
    start = 0
    while start < len(s):
        for word in words:
            if s.startswith(word, start):
                start += len(word)
                break
        else:
            return False
    return True
