"""Sorting: stability, key vs cmp, merge, quick, heap and counting sort, quickselect, Timsort runs.

Why interviewers ask this:
    Nobody hand-writes a sort at work, so the questions are about properties:
    is it stable, what does it cost on sorted input, what is the worst case and
    how is it avoided, when can n log n be beaten. Partitioning comes back as
    quickselect ("k-th largest element" is a top-ten question), custom orders
    as ``cmp_to_key`` ("largest number"), and Python's own sort is adaptive:
    knowing that ``sorted`` is near-linear on almost-sorted data separates
    people who use it from people who memorised a table.

Common pitfalls:
    - Merging with ``<`` instead of ``<=``: on a tie the right half's item goes
      first and merge sort is no longer stable (break it: ``merge-strict``).
      The keys still come out sorted, so only a test that compares whole
      records with ``sorted`` sees it.
    - Sorting by two keys in two passes with an unstable sort: heap sort and
      both quicksorts scramble the first pass's order among equal primary
      keys (``sort_by_two_keys`` with ``sort=heap_sort``).
    - Lomuto with the last item as pivot on sorted or all-equal input: each
      partition splits off one item, exactly ``n(n - 1) / 2`` comparisons, and
      the recursion is ``n`` deep: near CPython's recursion limit (1000 by
      default) it raises RecursionError. A random pivot fixes sorted input
      (expected O(n log n)) but not equal keys: none is smaller than the
      pivot, whichever is picked, so all-equal input stays at exactly
      ``n(n - 1) / 2``, and any value repeated Θ(n) times keeps it
      quadratic. Hoare's partition around the middle item handles both in
      O(n log n) (so does a three-way partition), though crafted inputs
      still make it O(n^2). Recursing on ``(lo, p)`` instead of ``(lo, p -
      1)`` never shrinks when the pivot is the maximum (break it:
      ``lomuto-keeps-pivot``).
    - Quickselect on Lomuto's partition inherits the equal-keys problem:
      ``kth_largest([7] * n, 1)`` makes exactly ``n(n - 1) / 2``
      comparisons. The cure is a three-way (Dutch national flag, "sort
      colors") partition, ``kth_largest_three_way``: the pivot's equal keys
      are settled in one pass, so all-equal input costs exactly 2n.
      Advancing the scan after swapping in an item from the right leaves
      that item unexamined (break it: ``three-way-skips-swapped``).
    - Hoare's partition returns a split, not the pivot's index: recursing on
      ``(lo, j - 1)`` drops ``a[j]`` from the sort (break it:
      ``hoare-skips-split``). With the *last* item as Hoare's pivot the split
      can be ``j == hi`` and the recursion never shrinks (break it:
      ``hoare-last-pivot``).
    - Heapify that stops before the root (``range(n // 2 - 1, 0, -1)``): the
      maximum may never reach the top (break it: ``heapify-skips-root``).
    - Counting sort that fills each key's slots from the end while scanning the
      input from the front: equal keys come out reversed (break it:
      ``counting-forwards``).
    - A ``cmp_to_key`` comparator that returns a bool: ``False`` means "equal"
      and ``True`` means "greater", so "less" is never said (break it:
      ``cmp-returns-bool``). Return a negative, zero or positive int.
    - "Largest number" by sorting the digit strings descending: ``"30" >
      "3"``, so ``[3, 30]`` gives ``"303"``, not ``"330"``.
    - k-th largest is index ``n - k`` in ascending order; ``k - 1`` answers the
      k-th smallest (break it: ``kth-smallest-index``).

Key takeaways:
    - Stable: equal keys keep their input order. ``sorted`` and
      ``list.sort`` are documented as stable, so a multi-key order can be
      built in passes, least significant key first (the radix-sort idea), or
      in one pass with a tuple key. Merge and counting sort are stable here;
      heap sort and quicksort are not. ``reverse=True`` is stable too: equal
      keys keep their input order, they are not reversed.
    - Data larger than memory: sort chunks that fit, write each out, then
      k-way merge them with ``heapq.merge`` (lazy, O(N log k) for k chunks).
    - ``key=`` is called once per item (decorate, sort, undecorate); a
      ``cmp_to_key`` comparator once per comparison. Prefer ``key``; use a
      comparator when the order is pairwise by nature: ``a`` before ``b`` when
      ``a + b > b + a`` for "largest number".
    - Counted here: merge sort at most ``n*ceil(log2 n) - 2**ceil(log2 n) + 1``
      comparisons; heap sort at most ``2n + 2(n - 1)*floor(log2 n)``; quicksort
      with a random pivot, expected ``2(n + 1)H(n) - 4n`` (about 1.39 n log2 n).
      A comparison sort needs about ``log2(n!)`` (~ n log2 n - 1.44n) on
      average; counting sort beats it with O(n + k) and no comparisons.
    - Quickselect partitions like quicksort but keeps one side: for distinct
      keys, expected below ``2n + 2n ln 2`` (about 3.39n) comparisons, the
      median being the worst k (3.07n at n = 100, from the recurrence);
      O(n^2) with unlucky pivots. ``heapq.nlargest`` keeps a size-k heap,
      O(n log k) (a reference, not counted here).
    - Timsort (CPython's ``list.sort``) finds runs, ascending or strictly
      descending (reversed in place), and merges them with galloping. Sorted
      or strictly descending input: exactly ``n - 1`` comparisons; nearly
      sorted input stays under 2n in the tests, where random order needs at
      least ``log2(n!)``. Before 3.13 a tie ends a descending run (reversing
      it would break stability); 3.13 (gh-116554) keeps ties inside the run,
      so ``[m, m, ..., 1, 1]`` is one run there: under 2n comparisons, against
      over 3n on 3.11 and 3.12.
    - Go: ``sort.Slice`` is not stable (pdqsort since Go 1.19); use
      ``sort.SliceStable`` or ``slices.SortStableFunc``. Java:
      ``Arrays.sort(int[])`` is dual-pivot quicksort, ``Arrays.sort(Object[])``
      and ``Collections.sort`` are a stable TimSort.

What to look for in an answer:
    A strong candidate asks what the data looks like (size, key range, nearly
    sorted, stability needed) before choosing, names quicksort's worst case
    and its cure, and for "k-th largest" weighs a size-k heap (O(n log k),
    streaming) against quickselect (expected O(n), in place). Follow-ups:
    - Why is Python's sort stable and Go's ``sort.Slice`` not? (Stability
      usually costs an O(n) merge buffer; an in-place quicksort is faster and
      smaller, so Go offers stability as a separate call.)
    - Can you sort faster than n log n? (Not by comparisons: a decision tree
      with n! leaves is about log2(n!) deep. With small integer keys, yes:
      counting sort O(n + k), radix sort O(d(n + b)).)
    - How do you make quicksort's worst case impossible, not just unlikely?
      (Introsort: fall back to heap sort past about 2 log2 n levels, as C++
      ``std::sort`` does; recurse into the smaller side and loop on the larger
      to keep the stack O(log n); median of medians for a linear-time select.)

Complexity:
    Merge sort O(n log n) time, O(n) extra space. Heap sort O(n log n), O(1)
    extra. Quicksort expected O(n log n), worst O(n^2), stack O(log n) expected
    and O(n) worst. Counting sort O(n + max_key) (by inspection: passes over
    the items and over the max_key + 1 counters; not counted). Quickselect
    (Lomuto) expected O(n) for distinct keys, Θ(n^2) when one value fills a
    constant fraction of the input; three-way quickselect expected O(n) for
    any keys; both worst O(n^2).
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Any, Protocol, TypeVar

__all__ = [
    "Comparisons",
    "CountingKey",
    "Sorter",
    "SupportsLessThan",
    "counting_sort",
    "heap_sort",
    "kth_largest",
    "kth_largest_three_way",
    "largest_number",
    "largest_number_by_string_key",
    "merge_sort",
    "quicksort_hoare",
    "quicksort_lomuto",
    "sort_by_two_keys",
    "timsort_comparisons",
]

T = TypeVar("T")


class SupportsLessThan(Protocol):
    """Anything ``<`` works on: the only operation the comparison sorts use."""

    def __lt__(self, other: Any, /) -> bool: ...


Key = Callable[[T], SupportsLessThan]


def _identity(x: Any) -> Any:
    """The default key: the item itself."""
    return x


class Comparisons:
    """Counts key comparisons; every comparison sort here compares only through it.

    >>> c = Comparisons()
    >>> c.lt(1, 2), c.le(2, 2), c.count
    (True, True, 2)
    """

    def __init__(self) -> None:
        self.count = 0

    def lt(self, a: SupportsLessThan, b: SupportsLessThan) -> bool:
        """``a < b``, counted as one comparison."""
        self.count += 1
        return a < b

    def le(self, a: SupportsLessThan, b: SupportsLessThan) -> bool:
        """``a <= b`` as ``not b < a``: one comparison, and only ``<`` is needed."""
        self.count += 1
        return not b < a


class Sorter(Protocol):
    """A sort that takes a ``key`` and returns a new list."""

    def __call__(self, items: Iterable[T], *, key: Key[T]) -> list[T]: ...


def merge_sort(
    items: Iterable[T], *, key: Key[T] = _identity, counter: Comparisons | None = None
) -> list[T]:
    """Top-down merge sort, stable: on equal keys the merge takes from the left half.

    >>> merge_sort([5, 2, 4, 2, 1])
    [1, 2, 2, 4, 5]
    """
    c = counter if counter is not None else Comparisons()
    a = list(items)
    if len(a) <= 1:
        return a
    mid = len(a) // 2
    left = merge_sort(a[:mid], key=key, counter=c)
    right = merge_sort(a[mid:], key=key, counter=c)
    out: list[T] = []
    i = j = 0
    while i < len(left) and j < len(right):
        if c.le(key(left[i]), key(right[j])):  # break[merge-strict]
            out.append(left[i])
            i += 1
        else:
            out.append(right[j])
            j += 1
    out.extend(left[i:])
    out.extend(right[j:])
    return out


def _lomuto_partition(
    a: list[T], lo: int, hi: int, key: Key[T], c: Comparisons, rng: random.Random | None
) -> int:
    """Partition ``a[lo:hi + 1]`` around its last item (a random one first, with ``rng``).

    Afterwards ``a[lo:p]`` < pivot <= ``a[p + 1:hi + 1]``; returns ``p``, the
    pivot's final index. Exactly ``hi - lo`` comparisons.
    """
    if rng is not None:
        r = rng.randint(lo, hi)
        a[r], a[hi] = a[hi], a[r]
    pivot = key(a[hi])
    i = lo
    for j in range(lo, hi):
        if c.lt(key(a[j]), pivot):
            a[i], a[j] = a[j], a[i]
            i += 1
    a[i], a[hi] = a[hi], a[i]
    return i


def quicksort_lomuto(
    items: Iterable[T],
    *,
    key: Key[T] = _identity,
    counter: Comparisons | None = None,
    rng: random.Random | None = None,
) -> list[T]:
    """Quicksort with Lomuto's partition; pivot: the last item, or a random one with ``rng``.

    >>> quicksort_lomuto([3, 1, 2, 3, 0])
    [0, 1, 2, 3, 3]
    """
    c = counter if counter is not None else Comparisons()
    a = list(items)

    def sort(lo: int, hi: int) -> None:
        if lo >= hi:
            return
        p = _lomuto_partition(a, lo, hi, key, c, rng)
        # The pivot is in its final place: leave it out.
        sort(lo, p - 1)  # break[lomuto-keeps-pivot]
        sort(p + 1, hi)

    sort(0, len(a) - 1)
    return a


def quicksort_hoare(
    items: Iterable[T], *, key: Key[T] = _identity, counter: Comparisons | None = None
) -> list[T]:
    """Quicksort with Hoare's partition around the middle item.

    >>> quicksort_hoare([3, 1, 2, 3, 0])
    [0, 1, 2, 3, 3]
    """
    c = counter if counter is not None else Comparisons()
    a = list(items)

    def partition(lo: int, hi: int) -> int:
        # Afterwards a[lo:j + 1] <= pivot <= a[j + 1:hi + 1], lo <= j < hi; the
        # pivot itself may be on either side, so j is a split, not its index.
        pivot = key(a[(lo + hi) // 2])  # break[hoare-last-pivot]
        i, j = lo - 1, hi + 1
        while True:
            i += 1
            while c.lt(key(a[i]), pivot):
                i += 1
            j -= 1
            while c.lt(pivot, key(a[j])):
                j -= 1
            if i >= j:
                return j
            a[i], a[j] = a[j], a[i]

    def sort(lo: int, hi: int) -> None:
        if lo >= hi:
            return
        j = partition(lo, hi)
        sort(lo, j)  # break[hoare-skips-split]
        sort(j + 1, hi)

    sort(0, len(a) - 1)
    return a


def heap_sort(
    items: Iterable[T], *, key: Key[T] = _identity, counter: Comparisons | None = None
) -> list[T]:
    """Max-heap sort of a copy, in place: O(n log n) worst case, O(1) extra space, not stable.

    Two equal keys come out swapped: the root goes to the end first.

    >>> heap_sort([(1, "a"), (1, "b")], key=lambda r: r[0])
    [(1, 'b'), (1, 'a')]
    """
    c = counter if counter is not None else Comparisons()
    a = list(items)
    n = len(a)

    def sift_down(root: int, end: int) -> None:
        while (child := 2 * root + 1) < end:
            if child + 1 < end and c.lt(key(a[child]), key(a[child + 1])):
                child += 1
            if not c.lt(key(a[root]), key(a[child])):
                return
            a[root], a[child] = a[child], a[root]
            root = child

    for start in range(n // 2 - 1, -1, -1):  # break[heapify-skips-root]
        sift_down(start, n)
    for end in range(n - 1, 0, -1):
        a[0], a[end] = a[end], a[0]  # the maximum joins the sorted tail
        sift_down(0, end)
    return a


def counting_sort(items: Iterable[T], *, key: Callable[[T], int], max_key: int) -> list[T]:
    """Stable sort by small integer keys in ``range(max_key + 1)``; O(n + max_key), no comparisons.

    >>> counting_sort(["bb", "a", "cc", "d"], key=len, max_key=2)
    ['a', 'd', 'bb', 'cc']

    Raises TypeError for a key or ``max_key`` that is not an int, ValueError
    for a key out of range or a negative ``max_key``.
    """
    if isinstance(max_key, bool) or not isinstance(max_key, int):
        raise TypeError(f"max_key must be an int, got {max_key!r}")
    if max_key < 0:
        raise ValueError(f"max_key must be >= 0, got {max_key}")
    a = list(items)
    keys = [key(x) for x in a]
    for k in keys:
        if isinstance(k, bool) or not isinstance(k, int):
            raise TypeError(f"counting sort needs int keys, got {k!r}")
        if not 0 <= k <= max_key:
            raise ValueError(f"key {k} is outside 0..{max_key}")
    counts = [0] * (max_key + 1)
    for k in keys:
        counts[k] += 1
    ends = list(accumulate(counts))  # ends[k]: one past the last slot of key k
    out = a[:]  # every slot is overwritten below
    for i in reversed(range(len(a))):  # break[counting-forwards]
        ends[keys[i]] -= 1
        out[ends[keys[i]]] = a[i]
    return out


def sort_by_two_keys(
    records: Iterable[T], primary: Key[T], secondary: Key[T], sort: Sorter = merge_sort
) -> list[T]:
    """Order by ``(primary, secondary)`` in two passes: secondary first, then primary.

    Correct only if ``sort`` is stable: the second pass must keep the first
    pass's order among records with equal primary keys.

    >>> rows = [("ops", "cy"), ("eng", "bo"), ("eng", "al")]
    >>> sort_by_two_keys(rows, primary=lambda r: r[0], secondary=lambda r: r[1])
    [('eng', 'al'), ('eng', 'bo'), ('ops', 'cy')]
    """
    return sort(sort(records, key=secondary), key=primary)


def _concat_order(a: str, b: str) -> int:
    """A comparator: negative if ``a`` goes first, that is if ``a + b`` is the larger number.

    ``a + b`` and ``b + a`` have the same length, so comparing them as strings
    compares them as numbers.
    """
    ab, ba = a + b, b + a
    return (ab < ba) - (ab > ba)  # break[cmp-returns-bool]


def _digits(nums: Iterable[int]) -> list[str]:
    """The decimal strings of non-negative ints; ValueError/TypeError otherwise."""
    out = []
    for n in nums:
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"expected ints, got {n!r}")
        if n < 0:
            raise ValueError(f"expected non-negative ints, got {n}")
        out.append(str(n))
    if not out:
        raise ValueError("no numbers to arrange")
    return out


def largest_number(nums: Iterable[int]) -> str:
    """The largest number formed by concatenating ``nums`` (LeetCode 179), via ``cmp_to_key``.

    >>> largest_number([3, 30, 34, 5, 9]), largest_number([0, 0])
    ('9534330', '0')
    """
    strs = sorted(_digits(nums), key=functools.cmp_to_key(_concat_order))
    return "".join(strs).lstrip("0") or "0"


def largest_number_by_string_key(nums: Iterable[int]) -> str:
    """The pitfall: sort the strings descending. ``"3"`` < ``"30"``, so 30 goes first.

    >>> largest_number_by_string_key([3, 30])
    '303'
    """
    return "".join(sorted(_digits(nums), reverse=True)).lstrip("0") or "0"


def kth_largest(
    items: Iterable[T],
    k: int,
    *,
    key: Key[T] = _identity,
    counter: Comparisons | None = None,
    rng: random.Random | None = None,
) -> T:
    """The ``k``-th largest item (``k = 1`` is the maximum) by quickselect with random pivots.

    Partitions like quicksort but keeps only the side that holds the answer.
    Expected O(n) comparisons for distinct keys; Θ(n^2) when one value fills
    a constant fraction of the input (Lomuto's partition moves no equal key);
    worst case O(n^2) with unlucky pivots.

    >>> kth_largest([3, 2, 1, 5, 6, 4], 2, rng=random.Random(1))
    5

    Raises TypeError unless ``k`` is an int, ValueError unless ``1 <= k <= len(items)``.
    """
    c = counter if counter is not None else Comparisons()
    r = rng if rng is not None else random.Random()
    a = list(items)
    _check_k(k, len(a))
    target = len(a) - k  # break[kth-smallest-index]
    lo, hi = 0, len(a) - 1
    while True:
        p = _lomuto_partition(a, lo, hi, key, c, r)
        if p == target:
            return a[p]
        if p < target:
            lo = p + 1
        else:
            hi = p - 1


def _check_k(k: int, n: int) -> None:
    """TypeError unless ``k`` is an int, ValueError unless ``1 <= k <= n``."""
    if isinstance(k, bool) or not isinstance(k, int):
        raise TypeError(f"k must be an int, got {k!r}")
    if not 1 <= k <= n:
        raise ValueError(f"k must be in 1..{n}, got {k}")


def kth_largest_three_way(
    items: Iterable[T],
    k: int,
    *,
    key: Key[T] = _identity,
    counter: Comparisons | None = None,
    rng: random.Random | None = None,
) -> T:
    """Quickselect with a three-way partition: ``<``, ``==`` and ``>`` the pivot.

    At most two comparisons per item per partition, and the search goes on
    only among the keys strictly smaller or strictly greater than the pivot,
    so equal keys cost one pass: exactly 2n comparisons on all-equal input.

    >>> kth_largest_three_way([3, 2, 3, 1, 2, 4, 5, 5, 6], 4, rng=random.Random(1))
    4
    """
    c = counter if counter is not None else Comparisons()
    r = rng if rng is not None else random.Random()
    a = list(items)
    _check_k(k, len(a))
    target = len(a) - k
    lo, hi = 0, len(a) - 1
    while True:
        pivot = key(a[r.randint(lo, hi)])
        # a[lo:lt] < pivot, a[lt:i] == pivot, a[i:gt + 1] unseen, a[gt + 1:hi + 1] > pivot
        lt, i, gt = lo, lo, hi
        while i <= gt:
            x = key(a[i])
            if c.lt(x, pivot):
                a[lt], a[i] = a[i], a[lt]
                lt += 1
                i += 1
            elif c.lt(pivot, x):
                a[i], a[gt] = a[gt], a[i]
                gt -= 1  # break[three-way-skips-swapped]
            else:
                i += 1
        if target < lt:
            hi = lt - 1
        elif target > gt:
            lo = gt + 1
        else:
            return a[target]


class CountingKey:
    """A ``key=`` wrapper whose ``<`` is counted: how many comparisons ``sorted`` makes.

    >>> c = Comparisons()
    >>> sorted([3, 1, 2], key=lambda v: CountingKey(v, c)) and c.count > 0
    True
    """

    __slots__ = ("counter", "value")

    def __init__(self, value: SupportsLessThan, counter: Comparisons) -> None:
        self.value = value
        self.counter = counter

    def __lt__(self, other: CountingKey) -> bool:
        return self.counter.lt(self.value, other.value)


def timsort_comparisons(items: Iterable[SupportsLessThan]) -> int:
    """How many ``<`` calls CPython's ``sorted`` makes on ``items``.

    >>> timsort_comparisons(range(10)), timsort_comparisons(range(10, 0, -1))
    (9, 9)
    """
    c = Comparisons()
    sorted(items, key=lambda v: CountingKey(v, c))
    return c.count
