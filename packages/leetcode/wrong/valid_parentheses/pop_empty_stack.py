"""Pops the stack at every closer without checking that anything is open."""

from __future__ import annotations


def is_valid(s: str) -> bool:
    opener = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for char in s:
        if char in opener:
            if stack.pop() != opener[char]:
                return False
        else:
            stack.append(char)
    return not stack
