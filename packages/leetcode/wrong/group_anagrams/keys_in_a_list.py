"""Keeps the keys in a list beside the groups, not in a dict: ``key in keys`` scans that list."""

from __future__ import annotations


def group_anagrams(strs: list[str]) -> list[list[str]]:
    keys: list[tuple[str, ...]] = []
    groups: list[list[str]] = []
    for word in strs:
        key = tuple(sorted(word))
        if key in keys:
            groups[keys.index(key)].append(word)
        else:
            keys.append(key)
            groups.append([word])
    return groups
