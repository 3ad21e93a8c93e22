"""Contains Duplicate: one pass with a set of the values seen so far.

Given an integer array ``nums``, return ``True`` if some value appears at
least twice in it, and ``False`` if every value is distinct.

Example 1: ``nums = [1, 2, 3, 1]`` gives ``True`` (1 appears at indices 0 and 3).
Example 2: ``nums = [1, 2, 3, 4]`` gives ``False``.
Example 3: ``nums = [1, 1, 1, 3, 3, 4, 3, 2, 4, 2]`` gives ``True``.

Constraints: ``1 <= len(nums) <= 10**5``; ``-10**9 <= nums[i] <= 10**9``.
Here the tests also check that ``nums`` is left as it was.

Why interviewers ask this:
    It is a two-minute check of the most basic trade in the toolbox: O(n)
    extra space for a hash set turns an O(n^2) search into O(n). A strong
    candidate names the three options (all pairs, sort then compare
    neighbours, a set) with their time and space, picks one, and knows which
    of them changes the caller's list.

Common pitfalls:
    - ``nums.count(x) > 1`` for each ``x``, or ``x in nums[i + 1:]``: each
      call scans the list, so the loop is O(n^2) although it reads as one
      line.
    - Comparing neighbours without sorting first: in ``[1, 2, 3, 1]`` the two
      1s are not adjacent, so ``False`` is answered for a duplicate.
    - ``nums.sort()`` then comparing neighbours: right, O(n log n), but it
      reorders the caller's list, a side effect nobody asked for; use
      ``sorted(nums)`` (O(n) extra space), or ask whether you may mutate it.
      LeetCode accepts the in-place sort; these tests do not (the statement
      says the list must be left as it was).

Key takeaways:
    - A ``set`` answers "seen before?" in O(1) on average; adding while
      scanning stops at the first repeat. ``len(set(nums)) < len(nums)`` is
      the same idea in one line, without the early exit.
    - Sorting brings equal values next to each other: O(n log n) time, and
      O(1) extra space only if mutating the input is allowed (``list.sort``
      itself may use up to n/2 extra pointers for its merges).
    - A ``set`` treats two values as the same when their hashes are equal
      and they compare ``==``, so equal values of different types are
      duplicates: ``{1, 1.0, True}`` has one element.

What to look for in an answer:
    - The set solution with O(n) time and O(n) space stated, and the sort
      alternative with its trade-off (less memory, slower, mutates or copies).
    - Follow-up: "a duplicate within k indices" (LeetCode 219): keep only the
      last k values in the set (or a dict from value to its last index).
    - Follow-up: "values within t of each other, within k indices" (LeetCode
      220): bucket the values by ``x // (t + 1)``, so that only the same and
      the two neighbouring buckets can hold a match.
    - Follow-up: "the list does not fit in memory": sort externally (or hash
      partition to disk), then compare neighbours; or a Bloom filter when a
      rare false "duplicate" is acceptable.
    - Follow-up: "values are 1..n in a list of n + 1": the pigeonhole
      principle guarantees a duplicate; Floyd's cycle detection finds it in
      O(1) space without changing the list (LeetCode 287).

Complexity:
    O(n) time on average and O(n) extra space for the set. Sorting: O(n log n)
    time. All pairs: O(n^2) time, O(1) space. The test counts operations on
    the counted ints it passes in, and a log factor is inside its budget, so
    sorting passes; a list of seen values searched with ``in`` is rejected,
    unless the values were first copied into plain ints (``map(int, nums)``),
    whose comparisons inside ``in`` are not counted (the package README,
    "What the counting cannot see"). That is O(n^2) all the same.
"""

from __future__ import annotations

DIFFICULTY = "Easy"
TAGS = ("array", "hash table", "sorting")
HINTS = (
    "Walking through the list once, what would you need to remember to know, "
    "at each number, whether you have met it before?",
    "A set answers 'have I seen x?' in O(1) on average. Add each number after "
    "checking it, and stop at the first one already there.",
)


def contains_duplicate(nums: list[int]) -> bool:
    """Whether some value appears at least twice in ``nums``.

    >>> contains_duplicate([1, 2, 3, 1])
    True
    >>> contains_duplicate([1, 2, 3, 4])
    False
    """
    seen: set[int] = set()
    for x in nums:
        if x in seen:
            return True
        seen.add(x)
    return False
