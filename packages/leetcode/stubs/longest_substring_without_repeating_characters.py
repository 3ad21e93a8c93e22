"""Longest Substring Without Repeating Characters.

Given a string ``s``, return the length of the longest substring of ``s`` (a
contiguous run of characters, not a subsequence) in which no character occurs
twice.

Example 1: s = "abcabcbb"  ->  3   ("abc")
Example 2: s = "bbbbb"     ->  1   ("b")
Example 3: s = "pwwkew"    ->  3   ("wke"; "pwke" is a subsequence, not a substring)

Constraints: 0 <= len(s) <= 5 * 10**4. On LeetCode s holds English letters,
digits, symbols and spaces; these tests widen that: s may hold any Unicode
characters (up to n/2 distinct), so do not assume 128 code points. Aim for O(n)
time: the tests count the operations your solution makes, inside builtins too,
on a string of n/2 distinct CJK characters written twice.
"""

from __future__ import annotations


def length_of_longest_substring(s: str) -> int:
    """The length of the longest substring of ``s`` with no repeated character."""
    # TODO: write your solution here, then run:
    # uv run handbook practice longest_substring_without_repeating_characters
    raise NotImplementedError("length_of_longest_substring is not written yet")
