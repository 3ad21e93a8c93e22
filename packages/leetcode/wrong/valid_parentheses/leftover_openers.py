"""Answers True once no closer mismatches, forgetting the openers still on the stack."""

from __future__ import annotations


def is_valid(s: str) -> bool:
    opener = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for char in s:
        if char in opener:
            if not stack or stack.pop() != opener[char]:
                return False
        else:
            stack.append(char)
    return True
