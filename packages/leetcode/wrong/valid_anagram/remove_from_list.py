"""Removes each letter of ``s`` from a list of ``t``'s letters: a scan of that list per letter."""

from __future__ import annotations


def is_anagram(s: str, t: str) -> bool:
    if len(s) != len(t):
        return False
    rest = list(t)
    for char in s:
        if char not in rest:
            return False
        rest.remove(char)
    return True
