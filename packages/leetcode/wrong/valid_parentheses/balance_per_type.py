"""Keeps a running balance per bracket type instead of a stack, so order across types is lost."""

from __future__ import annotations


def is_valid(s: str) -> bool:
    balance = {"(": 0, "[": 0, "{": 0}
    opener = {")": "(", "]": "[", "}": "{"}
    for char in s:
        if char in opener:
            balance[opener[char]] -= 1
            if balance[opener[char]] < 0:
                return False
        else:
            balance[char] += 1
    return all(count == 0 for count in balance.values())
