"""The natural recursion without a memo: each start position is solved again for every way
of reaching it, exponential on "aaa...ab"."""

from __future__ import annotations


def word_break(s: str, word_dict: list[str]) -> bool:
    words = set(word_dict)

    def breaks_from(start: int) -> bool:
        if start == len(s):
            return True
        for end in range(start + 1, len(s) + 1):
            if s[start:end] in words and breaks_from(end):
                return True
        return False

    return breaks_from(0)
