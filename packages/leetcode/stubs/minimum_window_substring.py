"""Minimum Window Substring.

Given strings ``s`` (length m) and ``t`` (length n), return the shortest
substring of ``s`` that contains every character of ``t``, duplicates included
(t = "aa" needs two "a"). Return "" when there is none. The tests are built so
that the answer, when there is one, is unique.

Example 1: s = "ADOBECODEBANC", t = "ABC"  ->  "BANC"
Example 2: s = "a", t = "a"                ->  "a"
Example 3: s = "a", t = "aa"               ->  ""   (s has one "a"; t needs two)

Constraints: 1 <= m, n <= 10**5; s and t hold upper- and lower-case English
letters. Aim for O(m + n) time: the tests count the operations your solution
makes, inside builtins too.
"""

from __future__ import annotations


def min_window(s: str, t: str) -> str:
    """The shortest substring of ``s`` holding every character of ``t``, or ``""``."""
    # TODO: write your solution here, then run: uv run handbook practice minimum_window_substring
    raise NotImplementedError("min_window is not written yet")
