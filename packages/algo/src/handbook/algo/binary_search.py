"""Binary search by hand: bounds, the off-by-one family, searching the answer, rotated arrays.

Why interviewers ask this:
    Binary search is the shortest algorithm that most candidates get wrong: a
    loop condition that does not match the update rule, a ``mid`` that is
    skipped or never left, an interval that stops shrinking. Interviewers use it
    to see whether you reason from an invariant or poke at ``+ 1`` until the
    examples pass, and then stretch it: search the *answer* (the smallest
    capacity that works), search a rotated array, and say what overflows in
    Java or Go.

Common pitfalls:
    - ``lo = mid`` where ``lo = mid + 1`` is meant: with one item left
      (``hi == lo + 1`` in ``[lo, hi)``), ``mid == lo`` and the interval never
      shrinks: an infinite loop (break it: ``lo-equals-mid``). The probe
      guard here turns it into ``NotShrinking``.
    - Mixing the two interval styles. Half-open ``[lo, hi)`` pairs with
      ``while lo < hi`` and ``hi = mid``; closed ``[lo, hi]`` pairs with
      ``while lo <= hi`` and ``hi = mid - 1``. ``lo <= hi`` with ``hi = mid``
      spins once ``lo == hi`` (break it: ``le-with-half-open``); ``hi = mid -
      1`` in a half-open search skips the candidate at ``mid`` and answers
      too far left (break it: ``hi-mid-minus-one``).
    - Rotated array: testing ``a[lo] < a[mid]`` instead of ``<=``. When
      ``lo == mid`` (two items left) the left "half" is the single item
      ``a[lo]``, which *is* sorted; the strict test sends the search the wrong
      way and misses it (break it: ``rotated-strict``).
    - Rotated array with duplicates: ``a[lo] == a[mid] == a[hi]`` says nothing
      about which half is sorted; the distinct-values search then misses
      targets. Shrink both ends by one instead, and accept O(n) worst case.
    - Searching an unsorted list: neither ``bisect`` nor these functions check
      (checking costs O(n), the whole point is O(log n)); the index they return
      may not be a bound, and nothing tells you so.

Key takeaways:
    - State the invariant first. Lower bound over ``[lo, hi)``: everything
      before ``lo`` is ``< x``, everything from ``hi`` on is ``>= x``. Each
      probe keeps it and shrinks the interval to at most ``floor(size / 2)``,
      so a search over ``n`` items makes at most ``n.bit_length()`` probes
      (``floor(log2 n) + 1`` for ``n >= 1``), and some searches need all of them.
    - Lower bound (first ``>= x``) and upper bound (first ``> x``) are
      ``bisect_left`` and ``bisect_right``; ``upper - lower`` counts copies of
      ``x``. CPython's ``bisect`` probes the same midpoints in the same order
      (its C code computes ``((size_t)lo + hi) / 2``), so it makes exactly as
      many comparisons as the hand-written version.
    - Every binary search is ``first_true(lo, hi, pred)`` for a predicate that
      is false, then true. "Binary search on the answer" searches candidate
      answers with a monotone check: integer square root (``r * r > n``),
      the least ship capacity that fits in D days (a greedy check).
    - ``lo + (hi - lo) // 2`` never overflows. Python ints are unbounded, so
      ``(lo + hi) // 2`` is also exact here. In Java ``int`` (and Go
      ``int32``, or ``int`` on 32-bit platforms) ``lo + hi`` wraps past
      ``2**31 - 1``: the overflow Joshua Bloch described in 2006, in the
      ``binarySearch`` he had written for the JDK (the same overflow is in
      the binary search that Bentley's *Programming Pearls* proves correct).
      It lay unnoticed for about nine years, until arrays of about 2**30
      elements got a negative index. The JDK now writes
      ``(low + high) >>> 1``; Go's ``sort.Search`` writes
      ``int(uint(i+j) >> 1)``; CPython's C ``bisect`` casts to the unsigned
      ``size_t`` before adding, for the same reason (its comment cites issue
      13496).

What to look for in an answer:
    A strong candidate names the interval style and its invariant before
    coding, checks the smallest intervals by hand (one item in half-open
    ``[lo, hi)``, where ``hi == lo + 1``; one and two items in closed
    ``[lo, hi]``, where ``mid == lo`` in both), explains why the loop
    terminates (the interval strictly shrinks), and returns an insertion
    point rather than ``-1`` when asked for a bound. Follow-ups:
    - Why does ``mid = lo + (hi - lo) // 2`` never pick ``hi``? (It rounds
      down and ``hi - lo >= 1`` inside the loop, so ``lo <= mid < hi``; this is
      what makes ``hi = mid`` shrink the interval.)
    - How do you know "minimum capacity" is binary-searchable? (Feasibility is
      monotone: if capacity ``c`` ships in D days, so does ``c + 1``. The answer
      lies in ``[max(weights), sum(weights)]``.)
    - Can a rotated array with duplicates be searched in O(log n)? (No: in
      ``[1, 1, ..., 1]`` with one ``2`` hidden anywhere, reading a 1 rules out
      only the position read, so any algorithm reads Theta(n) items in the
      worst case; the version here needs at least ``n // 2`` probes for some
      position of the 2.)
    - Find the minimum of a rotated array of distinct values (LeetCode 153)?
      (It is ``first_true(0, n, lambda i: a[i] <= a[-1])``: items before the
      rotation point are larger than the last item, items from it on are not.
      By hand: if ``a[mid] > a[hi]`` the minimum is right of ``mid``.)

Complexity:
    ``lower_bound``, ``upper_bound``, ``index_of``, ``search_rotated``: at most
    ``n.bit_length()`` probes. ``isqrt_by_search``: at most
    ``(n + 1).bit_length()`` predicate calls. ``ship_capacity``: at most
    ``(sum(weights) - max(weights)).bit_length()`` probes, each one O(n)
    pass of ``ships_in_days``: O(n log(sum(weights))).
    ``search_rotated_with_duplicates``: O(n) worst case.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence

__all__ = [
    "NotShrinking",
    "Probes",
    "first_true",
    "index_of",
    "isqrt_by_search",
    "lower_bound",
    "midpoint_int32_naive",
    "midpoint_int32_safe",
    "midpoint_int32_unsigned_shift",
    "search_rotated",
    "search_rotated_with_duplicates",
    "ship_capacity",
    "ships_in_days",
    "upper_bound",
]


class NotShrinking(RuntimeError):
    """A search took more probes than its interval allows: the interval stopped shrinking."""


class Probes:
    """Counts probes and enforces a search's derived bound.

    Each search calls ``start(limit)`` with the most probes its interval can
    need, then ``probe()`` once per probe; one probe past the limit raises
    ``NotShrinking``, so a loop that never shrinks fails fast instead of hanging.

    >>> p = Probes()
    >>> lower_bound([1, 2, 3, 4, 5, 6, 7], 0, p), p.count
    (0, 3)
    """

    def __init__(self) -> None:
        self.count = 0
        self._limit = 0
        self._used = 0

    def start(self, limit: int) -> None:
        """Begin one search that may take at most ``limit`` probes."""
        self._limit, self._used = limit, 0

    def probe(self) -> None:
        """Count one probe; raise ``NotShrinking`` past the limit."""
        self.count += 1
        self._used += 1
        if self._used > self._limit:
            raise NotShrinking(f"more than {self._limit} probes: the interval does not shrink")


def lower_bound(a: Sequence[int], x: int, probes: Probes | None = None) -> int:
    """First index ``i`` with ``a[i] >= x`` (``len(a)`` if none); ``a`` sorted ascending.

    Half-open ``[lo, hi)``: ``a[:lo] < x <= a[hi:]`` throughout.

    >>> lower_bound([1, 2, 2, 2, 3], 2), lower_bound([1, 2, 2, 2, 3], 9)
    (1, 5)
    """
    p = probes if probes is not None else Probes()
    lo, hi = 0, len(a)
    p.start(len(a).bit_length())
    while lo < hi:  # break[le-with-half-open]
        mid = lo + (hi - lo) // 2
        p.probe()
        if a[mid] < x:
            lo = mid + 1  # break[lo-equals-mid]
        else:
            hi = mid  # break[hi-mid-minus-one]
    return lo


def upper_bound(a: Sequence[int], x: int, probes: Probes | None = None) -> int:
    """First index ``i`` with ``a[i] > x`` (``len(a)`` if none); ``a`` sorted ascending.

    >>> a = [1, 2, 2, 2, 3]
    >>> upper_bound(a, 2), upper_bound(a, 2) - lower_bound(a, 2)
    (4, 3)
    """
    p = probes if probes is not None else Probes()
    lo, hi = 0, len(a)
    p.start(len(a).bit_length())
    while lo < hi:
        mid = lo + (hi - lo) // 2
        p.probe()
        if x < a[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def index_of(a: Sequence[int], x: int, probes: Probes | None = None) -> int:
    """An index of ``x`` in sorted ``a``, or -1: the closed-interval ``[lo, hi]`` style.

    ``while lo <= hi`` pairs with ``hi = mid - 1``: ``mid`` was tested, so
    both ends step past it.

    >>> index_of([1, 3, 5, 7], 5), index_of([1, 3, 5, 7], 4)
    (2, -1)
    """
    p = probes if probes is not None else Probes()
    lo, hi = 0, len(a) - 1
    p.start(len(a).bit_length())
    while lo <= hi:
        mid = lo + (hi - lo) // 2
        p.probe()
        if a[mid] == x:
            return mid
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


def first_true(lo: int, hi: int, pred: Callable[[int], bool], probes: Probes | None = None) -> int:
    """Least ``i`` in ``[lo, hi)`` with ``pred(i)``, or ``hi``; ``pred`` false, then true.

    >>> first_true(0, 100, lambda i: i * i >= 50)
    8
    """
    if lo > hi:
        raise ValueError(f"empty range needs lo <= hi, got lo={lo}, hi={hi}")
    p = probes if probes is not None else Probes()
    p.start((hi - lo).bit_length())
    while lo < hi:
        mid = lo + (hi - lo) // 2
        p.probe()
        if pred(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def isqrt_by_search(n: int, probes: Probes | None = None) -> int:
    """Largest ``r`` with ``r * r <= n``, by searching answers; equals ``math.isqrt``.

    >>> isqrt_by_search(24), isqrt_by_search(25), isqrt_by_search(10**30)
    (4, 5, 1000000000000000)
    >>> isqrt_by_search(-1)
    Traceback (most recent call last):
    ...
    ValueError: isqrt_by_search needs n >= 0, got -1
    """
    n = operator.index(n)
    if n < 0:
        raise ValueError(f"isqrt_by_search needs n >= 0, got {n}")
    # r = n + 1 always has r * r > n, so the first such r exists in [0, n + 1].
    return first_true(0, n + 1, lambda r: r * r > n, probes) - 1


def ships_in_days(weights: Sequence[int], capacity: int, days: int) -> bool:
    """Greedy check: fill each day in order until the next package would overflow.

    >>> ships_in_days([3, 2, 2, 4, 1, 4], 6, 3), ships_in_days([3, 2, 2, 4, 1, 4], 5, 3)
    (True, False)
    """
    used, load = 1, 0
    for w in weights:
        if w > capacity:
            return False
        if load + w > capacity:
            used, load = used + 1, 0
        load += w
    return used <= days


def ship_capacity(weights: Sequence[int], days: int, probes: Probes | None = None) -> int:
    """Least capacity that ships ``weights`` in order within ``days`` (LeetCode 1011).

    >>> ship_capacity([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5)
    15
    >>> ship_capacity([], 1)
    Traceback (most recent call last):
    ...
    ValueError: ship_capacity needs at least one package
    """
    if days < 1:
        raise ValueError(f"ship_capacity needs days >= 1, got {days}")
    if not weights:
        raise ValueError("ship_capacity needs at least one package")
    if min(weights) < 1:
        raise ValueError(f"weights must be positive, got {min(weights)}")
    # Below max(weights) a package never fits; at sum(weights) one day is enough.
    lo, hi = max(weights), sum(weights)
    return first_true(lo, hi, lambda c: ships_in_days(weights, c, days), probes)


def search_rotated(a: Sequence[int], target: int, probes: Probes | None = None) -> int:
    """Index of ``target`` in a rotated ascending array of DISTINCT values, or -1.

    One half of ``[lo, hi]`` around ``mid`` is always sorted; look for the
    target there, else in the other half. Duplicates break the test that
    finds the sorted half: use ``search_rotated_with_duplicates``.

    >>> search_rotated([4, 5, 6, 7, 0, 1, 2], 0), search_rotated([4, 5, 6, 7, 0, 1, 2], 3)
    (4, -1)
    """
    p = probes if probes is not None else Probes()
    lo, hi = 0, len(a) - 1
    p.start(len(a).bit_length())
    while lo <= hi:
        mid = lo + (hi - lo) // 2
        p.probe()
        if a[mid] == target:
            return mid
        if a[lo] <= a[mid]:  # break[rotated-strict]
            if a[lo] <= target < a[mid]:
                hi = mid - 1
            else:
                lo = mid + 1
        elif a[mid] < target <= a[hi]:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


def search_rotated_with_duplicates(
    a: Sequence[int], target: int, probes: Probes | None = None
) -> int:
    """Index of ``target`` in a rotated non-decreasing array, or -1; O(n) worst case.

    When ``a[lo] == a[mid] == a[hi]`` neither half is known to be sorted, so
    drop both ends (neither is the target: it equals ``a[mid]``, already tested).

    >>> search_rotated([1, 3, 1, 1, 1], 3), search_rotated_with_duplicates([1, 3, 1, 1, 1], 3)
    (-1, 1)
    """
    p = probes if probes is not None else Probes()
    lo, hi = 0, len(a) - 1
    p.start(len(a))  # every probe removes at least one candidate
    while lo <= hi:
        mid = lo + (hi - lo) // 2
        p.probe()
        if a[mid] == target:
            return mid
        if a[lo] == a[mid] == a[hi]:
            lo, hi = lo + 1, hi - 1
        elif a[lo] <= a[mid]:
            if a[lo] <= target < a[mid]:
                hi = mid - 1
            else:
                lo = mid + 1
        elif a[mid] < target <= a[hi]:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


_INT32_MIN, _INT32_SPAN = -(2**31), 2**32


def _require_int32(lo: int, hi: int) -> None:
    """Raise ValueError unless both ends are values a Java/Go 32-bit ``int`` can hold."""
    for name, v in (("lo", lo), ("hi", hi)):
        if not _INT32_MIN <= v < _INT32_MIN + _INT32_SPAN:
            raise ValueError(f"{name}={v} is not a 32-bit signed int")


def _wrap32(value: int) -> int:
    """``value`` as a Java/Go 32-bit signed int: two's complement wrap-around."""
    return (value - _INT32_MIN) % _INT32_SPAN + _INT32_MIN


def _java_div(a: int, b: int) -> int:
    """Java's ``/`` on ints truncates towards zero (Python's ``//`` floors)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def midpoint_int32_naive(lo: int, hi: int) -> int:
    """Java's ``(lo + hi) / 2`` on ``int``: wraps negative once ``lo + hi > 2**31 - 1``.

    >>> midpoint_int32_naive(1_500_000_000, 2_000_000_000)
    -397483648
    >>> (1_500_000_000 + 2_000_000_000) // 2  # Python: exact, whatever the size
    1750000000
    >>> midpoint_int32_naive(0, 2**31)
    Traceback (most recent call last):
    ...
    ValueError: hi=2147483648 is not a 32-bit signed int
    """
    _require_int32(lo, hi)
    return _java_div(_wrap32(lo + hi), 2)  # break[floor-not-truncate]


def midpoint_int32_safe(lo: int, hi: int) -> int:
    """Java's ``lo + (hi - lo) / 2``: ``hi - lo`` fits when ``0 <= lo <= hi``.

    >>> midpoint_int32_safe(1_500_000_000, 2_000_000_000)
    1750000000
    """
    _require_int32(lo, hi)
    return _wrap32(lo + _java_div(_wrap32(hi - lo), 2))


def midpoint_int32_unsigned_shift(lo: int, hi: int) -> int:
    """Java's ``(lo + hi) >>> 1``: the wrapped sum read as unsigned is still exact.

    >>> midpoint_int32_unsigned_shift(1_500_000_000, 2_000_000_000)
    1750000000
    """
    _require_int32(lo, hi)
    return (_wrap32(lo + hi) % _INT32_SPAN) >> 1
