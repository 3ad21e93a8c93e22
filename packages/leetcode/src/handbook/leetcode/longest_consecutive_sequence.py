"""Longest Consecutive Sequence: a set, and a walk up from each run's first value only.

Given an unsorted array of integers ``nums``, return the length of the longest
run of consecutive integers (``x, x + 1, x + 2, ...``) whose values all occur
in ``nums``, in any positions. Repeated values count once. The algorithm must
run in O(n) time.

Example 1: ``nums = [100, 4, 200, 1, 3, 2]`` gives ``4`` (the run 1, 2, 3, 4).
Example 2: ``nums = [0, 3, 7, 2, 5, 8, 4, 6, 0, 1]`` gives ``9`` (0 to 8).
Example 3: ``nums = [1, 0, 1, 2]`` gives ``3``.

Constraints: ``0 <= len(nums) <= 10**5``; ``-10**9 <= nums[i] <= 10**9``.

Why interviewers ask this:
    Sorting gives an easy O(n log n) answer, and the statement forbids it in
    spirit: the O(n) answer needs the one observation that makes a set walk
    linear. Walking ``x + 1, x + 2, ...`` from every value is quadratic on one
    long run; walking only from values whose ``x - 1`` is absent (the start of
    a run) visits each value a constant number of times. Interviewers ask the
    candidate to prove that bound, not just to write the check.

Common pitfalls:
    - Walking up from every value without the ``x - 1 not in values`` check:
      on ``0, 1, ..., n - 1`` the walks cost n + (n - 1) + ... + 1 lookups,
      O(n^2).
    - Looping over ``nums`` instead of over the set: each copy of a run's first
      value walks the whole run again, so ``[0] * m`` plus ``0..m-1`` costs
      O(m^2).
    - Sorting, then resetting the run whenever the next value is not
      ``previous + 1``: a repeated value resets it, so ``[1, 2, 2, 3]`` answers
      2 instead of 3. Equal neighbours must be skipped, not counted.
    - The empty list: ``max(...)`` of nothing raises ``ValueError`` (use
      ``default=0``), and a sorted scan that starts with ``best = 1`` answers
      1.

Key takeaways:
    - ``values = set(nums)`` removes duplicates and makes membership O(1) on
      average.
    - Only a value with no predecessor in the set starts a walk. Every value
      is walked over by exactly one start (its run's), and each walk ends with
      one failed lookup, so the walks take at most 2n lookups in all, and the
      start checks one per value.
    - Sorting first is O(n log n); the tests here count operations and allow a
      log factor, so a sorting answer that handles duplicates passes them, but
      an interviewer asking for O(n) wants the set.
    - Union-find over ``x`` and ``x + 1`` also works in near-linear time; it
      is more code for the same answer.

What to look for in an answer:
    - The sorting answer named with its cost, then the set, with the reason the
      walks add up to O(n) (each value belongs to one run, walked once).
    - Duplicates and the empty list handled without special cases.
    - Follow-up: "why is the set walk O(n) and not O(n^2)?": a walk starts
      only at a run's first value and stops at its last; runs are disjoint, so
      the walks visit n values in all.
    - Follow-up: "return the run itself": keep the best start and length; the
      run is ``range(start, start + length)``.
    - Follow-up: "the numbers arrive one at a time": a dict from each run's
      ends to the other end (or union-find) merges the neighbouring runs of a
      new value in O(1) on average, keeping the longest length so far; a value
      already seen is skipped.
    - Follow-up: "what about hash collisions?": CPython hashes an int to its
      value reduced modulo 2**61 - 1 on 64-bit builds (``sys.hash_info``),
      with no random seed. Within this problem's limits (``|v| <= 10**9``)
      every value hashes to itself, except -1, which hashes to -2 like -2
      itself: the only two values that share a hash. What chosen inputs can
      force is values that start at the same slot: the set's first probe
      uses the low bits of the hash, so multiples of a large power of two
      crowd together. CPython's probing then mixes in the higher bits, so
      this costs extra probes, not the quadratic blow-up of equal hashes;
      still, the O(n) is on average, not a worst-case bound.

Complexity:
    O(n) time on average and O(n) extra space for the set; the sorting answer
    is O(n log n) time.
"""

from __future__ import annotations

DIFFICULTY = "Medium"
TAGS = ("array", "hash table", "union find")
HINTS = (
    "Put the numbers in a set: then you can ask 'is x + 1 there?' in O(1). "
    "Walking up from every number is still too slow on one long run.",
    "Which numbers are worth walking up from? Only the first number of a run: "
    "one whose x - 1 is not in the set.",
)


def longest_consecutive(nums: list[int]) -> int:
    """The length of the longest run of consecutive integers found in ``nums``.

    >>> longest_consecutive([100, 4, 200, 1, 3, 2])
    4
    >>> longest_consecutive([0, 3, 7, 2, 5, 8, 4, 6, 0, 1])
    9
    >>> longest_consecutive([])
    0
    """
    values = set(nums)
    best = 0
    for x in values:
        if x - 1 in values:
            continue  # not the start of a run: the start's walk covers x
        end = x + 1
        while end in values:
            end += 1
        best = max(best, end - x)
    return best
