"""Valid Anagram.

Given two strings ``s`` and ``t``, return ``True`` if ``t`` is an anagram of
``s``: it uses exactly the same letters, each exactly as many times, possibly
in another order. Otherwise return ``False``.

Example 1: s = "anagram", t = "nagaram"  ->  True
Example 2: s = "rat", t = "car"          ->  False

Constraints: 1 <= len(s), len(t) <= 5 * 10**4; s and t hold only lower-case
English letters. Aim for O(n) time: the tests count the operations your
solution makes, inside builtins too.

Follow-up: what if they could hold any Unicode characters?
"""

from __future__ import annotations


def is_anagram(s: str, t: str) -> bool:
    """Whether ``t`` holds exactly the letters of ``s``, each as many times."""
    # TODO: write your solution here, then run: uv run handbook practice valid_anagram
    raise NotImplementedError("is_anagram is not written yet")
