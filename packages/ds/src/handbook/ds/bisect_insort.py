"""Binary search with ``bisect``: lower and upper bounds, ``insort``, and ``key=``.

Why interviewers ask this:
    Binary search is ten lines that most people get wrong under pressure: an
    off-by-one in the bounds, a loop that never ends, the wrong one of two
    equal keys. Jon Bentley reported in *Programming Pearls* that about 90%
    of the professional programmers he gave it to had bugs in their version.
    Many "sorted data" questions reduce to two primitives: the first position
    whose item is >= x (lower bound) and the first whose item is > x (upper
    bound). Python ships both as ``bisect.bisect_left`` and ``bisect_right``;
    the interviewer wants you to know exactly what they return and to write
    them by hand.

Common pitfalls:
    - Swapping ``<`` and ``<=`` in the loop turns a lower bound into an upper
      bound: with duplicates you find the last copy instead of the first
      (break it: ``lower-bound-le``).
    - A loop that does not shrink: with ``mid = (lo + hi) // 2``, setting
      ``lo = mid`` never moves when ``hi == lo + 1``, and the search spins
      forever (break it: ``lo-equals-mid``).
    - Closed intervals where half-open ones are meant: "how many items in
      [lo, hi)" is ``bisect_left(hi) - bisect_left(lo)``; one ``bisect_right``
      in the wrong place counts ``hi`` too (break it: ``count-includes-hi``).
    - ``key=`` (Python 3.10+) is applied to the list's items but *not* to the
      value searched for: pass the key you want, not a record. ``insort``
      does apply ``key`` to the item it inserts. Mixing them up raises
      TypeError or, worse, compares the wrong things.
    - ``insort`` in a loop: the search is O(log n), but inserting into a list
      shifts every later item, so n inserts cost O(n^2) moves in the worst
      case (descending input). Sort once, or use a heap or a balanced tree.
    - Searching a list that is not sorted by the same key: ``bisect`` does not
      check, it just answers wrongly.

Key takeaways:
    - Keep the interval half-open, ``[lo, hi)``, with the invariant "everything
      before ``lo`` fails the test, everything from ``hi`` on passes it". Loop
      while ``lo < hi``; the answer is ``lo``. Every binary search is
      ``first_true``: the first index where a monotone predicate turns true.
    - ``bisect_left``/``bisect_right`` are C++'s ``lower_bound``/``upper_bound``;
      the count of ``x`` is their difference. Go's ``sort.Search(n, f)`` is
      ``first_true``; Java's ``Arrays.binarySearch`` returns
      ``-(insertion point) - 1`` when the key is absent, and any one of equal
      keys when it is present.
    - Binary search works on answers too: the smallest capacity, speed or
      size for which a check passes, when the check is monotone.
    - ``(lo + hi) // 2`` cannot overflow in Python; in Java or Go with 32-bit
      ints, write ``lo + (hi - lo) / 2``.

What to look for in an answer:
    A strong answer states the invariant before writing the loop, handles
    duplicates deliberately (first or last occurrence), uses half-open bounds,
    knows that ``insort`` is O(n) per insert, and reaches for ``bisect`` in
    Python rather than rewriting it in production. Follow-ups:
    - Search a sorted array that was rotated. (Compare ``a[mid]`` with
      ``a[hi - 1]`` to tell which half is sorted.)
    - Find the first bad version with the fewest calls to ``is_bad``.
      (``first_true`` over version numbers.)
    - Integer square root without floats. (``first_true`` on ``r * r > n``.)

Complexity:
    ``lower_bound``, ``upper_bound``, ``floor``, ``ceiling``, ``index_of``,
    ``count_between``: O(log n) comparisons. ``first_true``: O(log(hi - lo))
    predicate calls. ``records_with_key``: O(log n + m) for m matching rows.
    ``insort``: O(log n) comparisons plus O(n) moves.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from handbook.ds._inputs import Comparable

__all__ = [
    "ceiling",
    "count_between",
    "first_true",
    "floor",
    "index_of",
    "insort_moves",
    "lower_bound",
    "records_with_key",
    "upper_bound",
]


C = TypeVar("C", bound=Comparable)
R = TypeVar("R")


def first_true(lo: int, hi: int, pred: Callable[[int], bool]) -> int:
    """The smallest ``i`` in ``[lo, hi)`` with ``pred(i)`` true, or ``hi`` if none is.

    ``pred`` must be monotone: false, false, ..., true, true. O(log(hi - lo))
    calls of ``pred``. Raises ValueError if ``lo > hi``.

    >>> first_true(0, 10, lambda i: i * i > 30)  # the first square above 30 is 6 * 6
    6
    >>> first_true(0, 10, lambda i: False)
    10
    """
    if lo > hi:
        raise ValueError(f"empty range: lo={lo} > hi={hi}")
    # Invariant: pred is false before lo and true from hi on.
    while lo < hi:
        mid = (lo + hi) // 2
        if pred(mid):
            hi = mid
        else:
            lo = mid + 1  # break[lo-equals-mid]
    return lo


def lower_bound(a: Sequence[C], x: C) -> int:
    """The first index whose item is >= ``x``: ``bisect.bisect_left`` by hand. O(log n).

    >>> lower_bound([1, 2, 2, 2, 3], 2), lower_bound([1, 3], 2), lower_bound([1, 3], 9)
    (1, 1, 2)
    """
    lo, hi = 0, len(a)
    while lo < hi:  # items before lo are < x; items from hi on are >= x
        mid = (lo + hi) // 2
        if a[mid] < x:  # break[lower-bound-le]
            lo = mid + 1
        else:
            hi = mid
    return lo


def upper_bound(a: Sequence[C], x: C) -> int:
    """The first index whose item is > ``x``: ``bisect.bisect_right`` by hand. O(log n).

    >>> upper_bound([1, 2, 2, 2, 3], 2), upper_bound([1, 3], 0)
    (4, 0)
    """
    lo, hi = 0, len(a)
    while lo < hi:  # items before lo are <= x; items from hi on are > x
        mid = (lo + hi) // 2
        if x < a[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def count_between(a: Sequence[C], lo: C, hi: C) -> int:
    """How many items of the sorted ``a`` lie in ``[lo, hi)``. O(log n).

    >>> count_between([1, 2, 2, 3, 5], 2, 5)
    3
    """
    return max(0, bisect_left(a, hi) - bisect_left(a, lo))  # break[count-includes-hi]


def index_of(a: Sequence[C], x: C) -> int:
    """The index of the first ``x`` in the sorted ``a``: ``list.index`` in O(log n).

    Raises ValueError if ``x`` is absent.

    >>> index_of([1, 2, 2, 3], 2)
    1
    >>> index_of([1, 3], 2)
    Traceback (most recent call last):
    ...
    ValueError: 2 is not in the sorted sequence
    """
    i = bisect_left(a, x)
    if i == len(a) or x < a[i]:
        raise ValueError(f"{x!r} is not in the sorted sequence")
    return i


def records_with_key(rows: Sequence[R], k: C, key: Callable[[R], C]) -> Sequence[R]:
    """The rows whose ``key(row) == k``, from rows sorted by ``key``. O(log n + m).

    ``bisect``'s ``key=`` is applied to the rows, not to the value searched
    for, so the search value is the key ``k`` itself, never a row.

    >>> rows = [("ann", 1), ("bob", 3), ("cy", 3), ("di", 5)]
    >>> records_with_key(rows, 3, key=lambda row: row[1])
    [('bob', 3), ('cy', 3)]
    """
    return rows[bisect_left(rows, k, key=key) : bisect_right(rows, k, key=key)]


def floor(a: Sequence[C], x: C) -> C | None:
    """The largest item <= ``x``, or None if every item is larger. O(log n).

    >>> floor([10, 20, 30], 25), floor([10, 20, 30], 20), floor([10, 20, 30], 5)
    (20, 20, None)
    """
    i = bisect_right(a, x)
    return a[i - 1] if i else None


def ceiling(a: Sequence[C], x: C) -> C | None:
    """The smallest item >= ``x``, or None if every item is smaller. O(log n).

    >>> ceiling([10, 20, 30], 25), ceiling([10, 20, 30], 20), ceiling([10, 20, 30], 35)
    (30, 20, None)
    """
    i = bisect_left(a, x)
    return a[i] if i < len(a) else None


def insort_moves(items: Iterable[C]) -> tuple[list[C], int]:
    """Build a sorted list with ``insort``; return it and how many items were shifted.

    Inserting at index ``i`` of a list of ``m`` items moves the ``m - i``
    items after it. Ascending input always appends (0 moves); descending input
    always inserts at the front, n(n - 1)/2 moves in all: O(n^2). O(n log n)
    comparisons plus the moves counted.

    >>> insort_moves([1, 2, 3, 4])
    ([1, 2, 3, 4], 0)
    >>> insort_moves([4, 3, 2, 1])
    ([1, 2, 3, 4], 6)
    """
    out: list[C] = []
    moves = 0
    for item in items:
        moves += len(out) - bisect_right(out, item)
        insort(out, item)
    return out, moves
