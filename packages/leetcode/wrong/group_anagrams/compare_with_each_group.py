"""Compares each word with the first word of every group so far: right, and quadratic."""

from __future__ import annotations


def group_anagrams(strs: list[str]) -> list[list[str]]:
    groups: list[list[str]] = []
    for word in strs:
        letters = sorted(word)
        for group in groups:
            if sorted(group[0]) == letters:
                group.append(word)
                break
        else:
            groups.append([word])
    return groups
