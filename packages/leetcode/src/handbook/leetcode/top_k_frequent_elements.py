"""Top K Frequent Elements: count with a dict, then read the counts back from buckets.

Given an integer array ``nums`` and an integer ``k``, return the ``k`` values
that occur most often in ``nums``. The answer may be in any order, and the
input is such that it is unique: the ``k``-th and ``(k+1)``-th most frequent
values never tie.

Example 1: ``nums = [1, 1, 1, 2, 2, 3], k = 2`` gives ``[1, 2]``.
Example 2: ``nums = [1], k = 1`` gives ``[1]``.

Constraints: ``1 <= len(nums) <= 10**5``; ``-10**4 <= nums[i] <= 10**4``;
``k`` is between 1 and the number of distinct values; the answer is unique.
Follow-up: better than O(n log n) time, where n is ``len(nums)``.

Why interviewers ask this:
    It checks two things at once: that the candidate counts with a hash map
    instead of rescanning the list, and that they know a way to pick the top
    ``k`` cheaper than sorting everything. The follow-up ("better than
    O(n log n)") separates those who know a heap of size ``k`` (O(n log k))
    from those who see that a count is at most ``n``, so counts can index
    buckets (O(n)).

Common pitfalls:
    - ``{x: nums.count(x) for x in set(nums)}``: each ``count`` scans the whole
      list, so with d distinct values this is O(n * d), quadratic when most
      values are distinct.
    - Sorting by count ascending and taking ``[:k]``: the least frequent values.
      ``sorted(..., key=counts.get, reverse=True)[:k]`` or ``[-k:]`` without
      ``reverse`` is the fix.
    - Inverting the counts into a dict ``{count: value}``: two values with the
      same count overwrite each other, so ``[1, 1, 2, 2, 3]`` with ``k = 2``
      loses 1 or 2. A bucket must hold a list of values.
    - Sizing the buckets by the number of distinct values,
      ``len(counts) + 1``, instead of ``len(nums) + 1``: a count can be as
      large as ``n`` (``[7, 7, 7]`` has one distinct value with count 3, so
      two buckets), and ``buckets[count]`` raises IndexError.

Key takeaways:
    - ``collections.Counter(nums)`` counts in one pass, O(n) on average.
    - A count lies between 1 and n, so ``buckets[c]`` (a list per count) sorts
      the values by count in O(n); reading the buckets from the top gives the
      ``k`` most frequent.
    - ``Counter.most_common(k)`` is also fine to say out loud: it calls
      ``heapq.nlargest`` over the d distinct values (O(d log k)) when given
      ``k``, and sorts all counts when not.
    - The tests count operations inside builtins (hashing and comparing the
      counted ints), so the per-value ``count`` scan fails them, unless the
      values were first converted to plain ints (``[int(x) for x in
      nums]``), whose comparisons inside ``count`` are not counted (the
      package README, "What the counting cannot see"): that scan is just as
      quadratic. The tests cannot tell O(n) from O(n log n) either: sorting
      the distinct values by count passes too, and only the interview
      follow-up asks for better.

What to look for in an answer:
    - Count first (dict or Counter), say O(n); then choose: sort (O(d log d)),
      heap of size k (O(d log k)), or buckets (O(n)), and say why each.
    - The promise that the answer is unique, noticed: without it, ties at the
      ``k``-th place need a rule (any of them, or all of them).
    - Follow-up: "why a min-heap of size k and not a max-heap of everything?":
      the min-heap keeps only ``k`` entries and evicts the smallest count in
      O(log k), so memory is O(k) beyond the counts and time O(d log k);
      heapifying all d counts and popping k is O(d + k log d), also fine.
    - Follow-up: "the stream is too large to hold": exact top-k needs every
      count; approximate with a Count-Min sketch plus a small heap, or the
      Misra-Gries / Space-Saving algorithms, which keep k counters.
    - Follow-up: "the k most frequent words, ties alphabetical" (LeetCode
      692): sort by ``(-count, word)`` or push that tuple into the heap.
    - Follow-up: "quickselect?": partition the d distinct values by count
      around a random pivot until the top k are split off: O(d) on average,
      O(d^2) in the worst case; the output is unordered, which is allowed.
    - Follow-up: "with ties, which values does ``most_common`` return?":
      values with equal counts come in the order they were first met (a
      Counter is a dict, and ``most_common`` keeps that order among equal
      counts, as documented since Python 3.7). Deterministic, but arbitrary
      for the problem: without the uniqueness promise, state a tie rule
      yourself (smallest value first, or all values tied at the k-th count).

Complexity:
    O(n) time and O(n) extra space: one pass to count, one over the distinct
    values to fill the buckets, one over the buckets to read ``k`` values.
"""

from __future__ import annotations

from collections import Counter

DIFFICULTY = "Medium"
TAGS = ("array", "hash table", "bucket sort", "heap", "counting")
HINTS = (
    "First find out how often each value occurs, in one pass over nums. "
    "Scanning the list once per distinct value is too slow.",
    "A count is a whole number between 1 and len(nums). Could the counts be "
    "used as positions, so that no comparison sort is needed?",
    "Put each value in bucket[count] (a list, since counts can tie), then walk "
    "the buckets from the largest count down until you have k values.",
)


def top_k_frequent(nums: list[int], k: int) -> list[int]:
    """The ``k`` most frequent values of ``nums``, most frequent first.

    >>> top_k_frequent([1, 1, 1, 2, 2, 3], 2)
    [1, 2]
    >>> top_k_frequent([1], 1)
    [1]
    """
    counts = Counter(nums)
    # A count is at most len(nums), so bucket i holds the values seen exactly i times.
    buckets: list[list[int]] = [[] for _ in range(len(nums) + 1)]
    for value, count in counts.items():
        buckets[count].append(value)
    answer: list[int] = []
    for bucket in reversed(buckets):
        for value in bucket:
            answer.append(value)
            if len(answer) == k:
                return answer
    return answer
