"""Prefix sums and Kadane: O(1) range sums, subarrays summing to k, the maximum subarray.

Why interviewers ask this:
    "Sum of a range, many times", "how many subarrays sum to k" and "the
    largest sum of a contiguous subarray" all have an O(n^2) brute force over
    every ``(i, j)`` pair and a one-pass answer. Interviewers want the prefix
    identity ``sum(a[i:j]) == P[j] - P[i]``, the hash map of prefix counts
    that turns "pairs with a difference of k" into one pass, and Kadane's
    recurrence (extend the best run ending here, or start afresh), including
    what it does on an all-negative array.

Common pitfalls:
    - Subarray sum equals k without the seed ``{0: 1}``: a subarray that
      starts at index 0 has ``P[j] - k == P[0] == 0``, and an empty map never
      matches it. ``[1, 1]`` with ``k = 2`` then counts 0 instead of 1 (break
      it: ``no-zero-seed``).
    - Kadane with ``best = 0``: on an all-negative array it answers 0, the sum
      of the *empty* subarray, which the problem (LeetCode 53) does not
      allow; ``[-3, -1, -2]`` has maximum -1 (break it: ``best-starts-at-zero``).
      Start from the first element, and reject an empty array.
    - A prefix array of length ``n`` without the leading 0: ``P[j] - P[i]``
      then drops ``a[i]`` and ranges that start at 0 need a special case
      (break it: ``no-leading-zero``).
    - Counting "sum equals k" with a sliding window (``count_by_window``):
      shrinking while the sum is too big is only right when every value is
      strictly *positive*. A zero lets several windows end at the same index
      (``[0, 0, 0]`` with ``k = 0`` has 6 subarrays, the window counts 3), and
      a negative value lets a sum fall as the window grows (``[1, -1, 1]`` with
      ``k = 1`` has 3, the window counts 2). The prefix map has no such
      condition.

Key takeaways:
    - Build ``P`` with ``P[0] = 0`` and ``P[j + 1] = P[j] + a[j]``: ``n``
      additions once, then every ``sum(a[i:j])`` is one subtraction.
      ``list(itertools.accumulate(a, initial=0))`` builds the same list
      (``accumulate`` returns an iterator).
    - Subarrays summing to k are pairs ``i < j`` with ``P[i] == P[j] - k``:
      walk ``j``, look up how many earlier prefixes equal ``P[j] - k``, then
      record ``P[j]``. Three dict operations per element (look up ``P[j] -
      k``, read and store the count of ``P[j]``): O(n) expected time.
    - Kadane: ``current = max(x, current + x)`` is the best sum of a subarray
      *ending* at this index (a non-positive running sum is dropped); the
      answer is the best ``current`` seen. Tracking where ``current`` was last
      restarted gives the indices for free.
    - Go and Java: the same code, but both wrap around silently on overflow
      (two's complement). The difference is width: Go's ``int`` is 64 bits on
      64-bit platforms, Java's ``int`` is 32 bits, so Java sums want ``long``.
      Python ints do not overflow.

What to look for in an answer:
    A strong candidate writes the prefix identity, seeds the map with
    ``{0: 1}`` and says why, looks up before recording (so the empty subarray
    is not counted), and for Kadane handles all-negative input and returns
    the indices when asked. Follow-ups:
    - Why look up ``P[j] - k`` before storing ``P[j]``? (Storing first lets
      ``i == j`` match when ``k == 0``: every position would count the empty
      subarray.)
    - 2-D range sums? (``P[r][c]`` over the top-left rectangle; a query is
      four lookups by inclusion-exclusion, ``P[r2][c2] - P[r1][c2] -
      P[r2][c1] + P[r1][c1]``.)
    - Maximum *product* subarray? (Track both the largest and the smallest
      product ending here: a negative number swaps them.)
    - Range sums when values change? (A prefix array costs O(n) per update; a
      Fenwick or segment tree gives O(log n) for both update and query.)
    - Maximum *circular* subarray? (Either the best run does not wrap, which
      is Kadane, or it wraps, and then it is the total minus the minimum
      subarray: ``max(kadane, total - min_subarray)``. If every value is
      negative the second term is the empty array, so answer Kadane alone.)
    - Count subarrays whose sum is divisible by k? (Key the map on ``P mod
      k``: two equal residues bound a multiple of k. Python's ``%`` is already
      non-negative for a positive k; Java's and Go's ``%`` keep the sign of
      the dividend, so add k and take ``%`` again.)
    - *Longest* subarray with sum k? (Store the *first* index of each prefix
      value instead of a count and never overwrite it; at ``j`` the candidate
      length is ``j - first[P[j] - k]``.)

Complexity:
    ``PrefixSums``: O(n) build (``n`` additions), O(1) per ``range_sum`` (one
    subtraction), O(n) space. ``count_subarrays_with_sum``: O(n) expected
    time (two arithmetic operations and three dict operations per element),
    O(n) space. ``max_subarray``: O(n) time (at most one addition and two
    comparisons per element), O(1) space. The tests count these through the
    values themselves (an ``int`` subclass that records each ``+``, ``-``,
    comparison and hash), so a slower body cannot hide behind its own counter.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "PrefixSums",
    "count_by_window",
    "count_subarrays_with_sum",
    "max_subarray",
]


class PrefixSums:
    """Range sums of a fixed sequence in O(1) each, after an O(n) build.

    >>> p = PrefixSums([3, -1, 4, 1, 5])
    >>> p.range_sum(0, 5), p.range_sum(1, 3), p.range_sum(2, 2)
    (12, 3, 0)
    >>> p.range_sum(3, 1)
    Traceback (most recent call last):
    ...
    ValueError: need 0 <= lo <= hi <= 5, got lo=3, hi=1
    """

    def __init__(self, values: Sequence[int]) -> None:
        self._prefix = [0]  # break[no-leading-zero]
        running = 0
        for x in values:
            running += x
            self._prefix.append(running)
        self._n = len(values)

    def prefixes(self) -> list[int]:
        """A copy of ``P``: ``P[0] == 0`` and ``P[j]`` is the sum of the first ``j`` values.

        >>> PrefixSums([3, -1, 4]).prefixes()
        [0, 3, 2, 6]
        """
        return list(self._prefix)

    def range_sum(self, lo: int, hi: int) -> int:
        """``sum(values[lo:hi])``, half-open, with one subtraction.

        Raises ``ValueError`` for bounds outside ``0 <= lo <= hi <= n``; a slice
        would clamp them silently.
        """
        if not 0 <= lo <= hi <= self._n:
            raise ValueError(f"need 0 <= lo <= hi <= {self._n}, got lo={lo}, hi={hi}")
        return self._prefix[hi] - self._prefix[lo]


def count_subarrays_with_sum(values: Sequence[int], k: int) -> int:
    """How many non-empty contiguous subarrays sum to ``k`` (LeetCode 560).

    Negative values are fine: no window is involved.

    >>> count_subarrays_with_sum([1, 1, 1], 2), count_subarrays_with_sum([1, -1, 0], 0)
    (2, 3)
    """
    seen: dict[int, int] = {0: 1}  # break[no-zero-seed]
    prefix = count = 0
    for x in values:
        prefix += x
        count += seen.get(prefix - k, 0)  # look up first: i < j, never the empty subarray
        seen[prefix] = seen.get(prefix, 0) + 1
    return count


def count_by_window(values: Sequence[int], k: int) -> int:
    """The pitfall: count subarrays summing to ``k`` with a shrink-while-too-big window.

    Right only when every value is strictly positive; zeros and negatives
    make it miss subarrays.

    >>> count_by_window([1, 2, 1, 3], 3), count_subarrays_with_sum([1, 2, 1, 3], 3)
    (3, 3)
    >>> count_by_window([0, 0, 0], 0), count_subarrays_with_sum([0, 0, 0], 0)
    (3, 6)
    >>> count_by_window([1, -1, 1], 1), count_subarrays_with_sum([1, -1, 1], 1)
    (2, 3)
    """
    count = window = left = 0
    for right, x in enumerate(values):
        window += x
        while window > k and left <= right:
            window -= values[left]
            left += 1
        if window == k and left <= right:  # one window per right end, at most
            count += 1
    return count


def max_subarray(values: Sequence[int]) -> tuple[int, int, int]:
    """Kadane: ``(best, start, stop)`` with ``sum(values[start:stop]) == best`` the maximum.

    The subarray is non-empty; it is the first maximum found (smallest
    ``stop``) and, for that ``stop``, the shortest: a running sum of exactly 0
    is dropped too, so ``[0, 3]`` gives ``(3, 1, 2)``, not ``(3, 0, 2)``.
    Raises ``ValueError`` on an empty sequence, which has no non-empty
    subarray.

    >>> max_subarray([-2, 1, -3, 4, -1, 2, 1, -5, 4])
    (6, 3, 7)
    >>> max_subarray([-3, -1, -2])
    (-1, 1, 2)
    """
    if not values:
        raise ValueError("max_subarray needs at least one value")
    best = values[0]  # break[best-starts-at-zero]
    best_start, best_stop = 0, 1
    current, start = 0, 0
    for i, x in enumerate(values):
        if current <= 0:  # a non-positive run only drags x down: restart at i
            current, start = x, i
        else:
            current += x
        if current > best:
            best, best_start, best_stop = current, start, i + 1
    return best, best_start, best_stop
