"""Valid Anagram: two strings are anagrams when they hold the same letters the same number of times.

Given two strings ``s`` and ``t``, return ``True`` if ``t`` is an anagram of
``s``: it uses exactly the same letters, each exactly as many times, possibly
in another order. Otherwise return ``False``.

Example 1: ``s = "anagram", t = "nagaram"`` gives ``True``.
Example 2: ``s = "rat", t = "car"`` gives ``False``.

Constraints: ``1 <= len(s), len(t) <= 5 * 10**4``; ``s`` and ``t`` hold only
lower-case English letters. Follow-up: what if they could hold any Unicode
characters?

Why interviewers ask this:
    It checks that the candidate turns "same letters, any order" into a
    precise invariant, equal letter counts, and picks a structure for it: a
    ``Counter`` (a dict), an array of 26 counts, or sorting. The follow-up
    on Unicode separates those who know what their 26-slot array assumes.

Common pitfalls:
    - ``set(s) == set(t)``: compares which letters occur, not how often;
      ``"aab"`` and ``"abb"`` have the same set and are not anagrams.
    - ``s.count(c) == t.count(c)`` for every ``c`` in ``s``: each ``count``
      reads a whole string, so that is O(n^2) (over the 26 distinct letters
      instead it is O(26 n), which is fine).
    - Comparing the sums of the letter codes (``sum(map(ord, s))``), even
      with the lengths: moving one letter up the alphabet and another down
      as far keeps the sum, so ``"ad"`` and ``"bc"`` (197 each) pass. A sum
      can only rule anagrams out; equal counts are what proves them.
    - Removing each letter of ``s`` from ``list(t)`` (``c in rest``, then
      ``rest.remove(c)``): every call scans the list from the front, so
      O(n^2), however natural "cross each letter off" sounds.
    - Subtracting ``Counter`` objects: ``Counter(s) - Counter(t)`` drops
      counts that fall to zero or below, so letters that only ``t`` has
      vanish, and ``not (Counter(s) - Counter(t))`` accepts ``"ab"`` against
      ``"abc"``. Compare the two counters with ``==``, or check the lengths
      first.

Key takeaways:
    - Anagrams means equal multisets of characters: ``Counter(s) ==
      Counter(t)``, O(n) time. Checking ``len(s) == len(t)`` first is a free
      early exit.
    - For a fixed small alphabet, a list of 26 counts (``ord(c) - ord("a")``)
      does the same in O(1) extra space; one pass can add for ``s`` and
      subtract for ``t``, and every count must end at 0.
    - ``sorted(s) == sorted(t)`` is correct and short, O(n log n) time and
      O(n) space: fine to mention, not the answer to "can you do better?".

What to look for in an answer:
    - Equal counts named as the invariant, the length check, O(n) time
      stated, and the extra space: O(1) for a fixed alphabet (at most 26
      keys), O(k) for k distinct characters.
    - Follow-up: "Unicode characters?": the 26-slot array breaks; a
      ``Counter`` keyed by character still works. Ask whether "é" written as
      one code point (U+00E9) should equal "e" plus a combining accent
      (U+0301): if so, normalise both with ``unicodedata.normalize("NFC",
      ...)`` first; and whether case should be folded (``str.casefold``).
    - Follow-up: "group all the anagrams in a list of words" (LeetCode 49):
      use the counts (or the sorted letters) as a dict key.
    - Follow-up: "find every anagram of p inside s" (LeetCode 438): a sliding
      window of length ``len(p)`` whose counts are updated per step, O(n).

Complexity:
    O(n) time; O(1) extra space for the 26 lower-case letters (O(k) for k
    distinct characters in general). Sorting: O(n log n) time.
"""

from __future__ import annotations

from collections import Counter

DIFFICULTY = "Easy"
TAGS = ("hash table", "string", "sorting")
HINTS = (
    "Two strings are anagrams exactly when some number describing each letter "
    "is the same in both. Which number?",
    "Count the letters of each string (a dict, a Counter, or a list of 26) and "
    "compare the counts. What can you check about the lengths first?",
)


def is_anagram(s: str, t: str) -> bool:
    """Whether ``t`` holds exactly the letters of ``s``, each as many times.

    >>> is_anagram("anagram", "nagaram")
    True
    >>> is_anagram("rat", "car")
    False
    """
    return len(s) == len(t) and Counter(s) == Counter(t)
