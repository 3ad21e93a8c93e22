"""Calls ``str.count`` for every character of ``s``: a scan of both strings per character."""

from __future__ import annotations


def is_anagram(s: str, t: str) -> bool:
    return len(s) == len(t) and all(s.count(c) == t.count(c) for c in s)
