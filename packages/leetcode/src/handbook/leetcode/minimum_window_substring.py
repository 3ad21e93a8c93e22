"""Minimum Window Substring: grow a window until it covers t, then shrink it from the left.

Given strings ``s`` (length ``m``) and ``t`` (length ``n``), return the shortest
substring of ``s`` that contains every character of ``t``, duplicates included
(``t = "aa"`` needs two ``a``). Return ``""`` when there is none. The tests are
built so that the answer, when there is one, is unique.

Example 1: ``s = "ADOBECODEBANC", t = "ABC"`` gives ``"BANC"``.
Example 2: ``s = "a", t = "a"`` gives ``"a"``.
Example 3: ``s = "a", t = "aa"`` gives ``""`` (``s`` has one ``a``; ``t`` needs two).

Constraints: ``1 <= m, n <= 10**5``; ``s`` and ``t`` hold upper- and lower-case
English letters. Follow-up: O(m + n) time.

Why interviewers ask this:
    It is the classic hard sliding-window problem: the window must be grown and
    shrunk, and "does the window cover ``t``?" must be answered in O(1) per
    step, not by comparing two counters. Interviewers watch for the count of
    missing characters (or of satisfied letters), for multiplicity (``t``
    is a multiset, not a set), and for the bookkeeping of the best window:
    its start, its length, and the "no answer" case.

Common pitfalls:
    - Checking every substring against ``Counter(t)``: O(m^2) substrings,
      each checked in O(m), so O(m^3); growing one counter per start is still
      O(m^2).
    - Treating ``t`` as a set: ``set(t)`` or "each letter seen at least once"
      answers ``"a"`` for ``s = "aa", t = "aa"``.
    - Computing the window's length as ``right - left`` when both ends are
      inclusive: the best window loses its last character (``"BAN"`` for
      Example 1).
    - Using ``len(s)`` as the "not found yet" length and updating only on a
      strictly shorter window: when the answer is all of ``s`` (Example 2) it
      is never recorded and the function returns ``""``. Use ``len(s) + 1``
      or ``math.inf``.
    - Comparing ``window >= need`` (two Counters, Python 3.10+) after every
      step: correct, but each comparison walks the keys of both counters, so
      the scan costs O(k) per step for k distinct letters. With at most 52
      letters that is a constant factor; with an open alphabet it is not.

Key takeaways:
    - Keep ``need[c]``, the count of ``c`` still owed to the window (negative
      when the window has spare copies), and ``missing``, the sum of the
      positive parts. Adding ``s[right]`` decrements ``missing`` only when
      ``need[s[right]] > 0`` before the decrement; the window covers ``t``
      exactly when ``missing == 0``.
    - When it covers, drop characters from the left while they are spare
      (``need[s[left]] < 0``): the window is then the shortest one ending at
      ``right``. Record it, then give up its first character to look for the
      next one.
    - Each index enters and leaves the window at most once: O(m + n) time.
      Keep the best window as a start and a length, and slice once at the end.

What to look for in an answer:
    - The two-pointer invariant stated (``s[left:right + 1]`` and
      ``missing``), the O(m + n) bound argued from "each pointer only moves
      right", and the empty-answer case handled.
    - A test of the candidate's own: ``t`` with a repeated letter, the answer
      being all of ``s``, ``t`` longer than ``s``.
    - Follow-up: "``s`` is huge and ``t`` has few distinct letters": filter
      ``s`` to the positions whose letter is in ``t`` first and slide over that
      list; the same bound, but the window skips irrelevant letters.
    - Follow-up: "find all anagrams of ``t`` in ``s``" (LeetCode 438): the same
      counts with a window of fixed length ``n``.
    - Follow-up: "the characters of ``t`` must appear in order" (minimum window
      subsequence, LeetCode 727): a different problem; a forward scan to
      match ``t`` then a backward scan to tighten, or a DP, O(m * n).

Complexity:
    O(m + n) time; O(k) extra space for the counts, where k is the number of
    distinct characters in ``s`` and ``t`` (at most 52 here).
"""

from __future__ import annotations

from collections import Counter

DIFFICULTY = "Hard"
TAGS = ("hash table", "string", "sliding window")
HINTS = (
    "Grow a window to the right until it contains all of t, then shrink it from "
    "the left for as long as it still does. Each pointer only moves right.",
    "To know in O(1) whether the window covers t, keep how many of each letter "
    "t still needs and one number: how many characters of t are still missing. "
    "Remember t can repeat a letter.",
)


def min_window(s: str, t: str) -> str:
    """The shortest substring of ``s`` holding every character of ``t``, or ``""``.

    >>> min_window("ADOBECODEBANC", "ABC")
    'BANC'
    >>> min_window("a", "a")
    'a'
    >>> min_window("a", "aa")
    ''
    """
    need = Counter(t)  # copies of each letter the window still owes; < 0: spare copies
    missing = len(t)
    best_start, best_len = 0, len(s) + 1  # len(s) + 1: longer than any window
    left = 0
    for right, ch in enumerate(s):
        if need[ch] > 0:
            missing -= 1
        need[ch] -= 1
        if missing:
            continue
        while need[s[left]] < 0:  # a spare copy: the window covers t without it
            need[s[left]] += 1
            left += 1
        if right - left + 1 < best_len:
            best_start, best_len = left, right - left + 1
        need[s[left]] += 1  # give up s[left], which the window needs, to find the next one
        missing += 1
        left += 1
    return s[best_start : best_start + best_len] if best_len <= len(s) else ""
