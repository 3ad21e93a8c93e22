"""Keys each word by its set of letters, so words with the same letters in other counts merge."""

from __future__ import annotations


def group_anagrams(strs: list[str]) -> list[list[str]]:
    groups: dict[frozenset[str], list[str]] = {}
    for word in strs:
        groups.setdefault(frozenset(word), []).append(word)
    return list(groups.values())
