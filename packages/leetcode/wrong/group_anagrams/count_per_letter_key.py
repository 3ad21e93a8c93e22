"""Keys each word by its letter counts, each found with ``str.count``: O(k^2) per word."""

from __future__ import annotations


def group_anagrams(strs: list[str]) -> list[list[str]]:
    groups: dict[frozenset[tuple[str, int]], list[str]] = {}
    for word in strs:
        key = frozenset((char, word.count(char)) for char in word)
        groups.setdefault(key, []).append(word)
    return list(groups.values())
