"""Lists over-allocate: capacity grows in steps, so ``append`` is amortised O(1), with spare slots.

Why interviewers ask this:
    "How can ``append`` be O(1) if the array has to grow?" is the classic
    dynamic-array question, asked in Python as ``list``, in Go as a slice
    and in Java as ``ArrayList``. A strong answer separates length from
    capacity, explains geometric growth and the amortised argument, and knows
    the memory price: spare slots that nobody uses.

Common pitfalls:
    - Reading ``sys.getsizeof(lst)`` as the list's memory. It counts the list
      header and its array of *pointers* (``capacity`` slots), not the objects
      they point to: a list holding one 1 MB string reports the same size as
      one holding ``"a"``. Measure the whole graph with ``tracemalloc``.
    - Assuming ``len(lst)`` slots are allocated. A list built by ``append`` or
      by a comprehension keeps spare capacity: up to ``len // 8 + 6`` slots
      on CPython 3.11-3.13 (from the growth formula below).
    - Expecting ``pop`` or ``del lst[k:]`` to give memory back at once. The
      array shrinks only when the length falls below half the capacity, and
      even then it keeps some spare room. ``lst.clear()`` (or a new list)
      frees the array.
    - Pre-filling ``[None] * n`` "for speed" and then assigning by index: the
      comprehension or ``append`` is already amortised O(1); preallocation
      saves only the spare slots and a few reallocations. This is advice, not
      something the tests time.

Key takeaways:
    - Capacity is not length. ``capacity()`` here reads it from
      ``sys.getsizeof``: on CPython, a list's size is its header plus one
      pointer per allocated slot.
    - Appending keeps the capacity flat for several appends, then jumps; each
      large jump multiplies it by about 1.125, so the number of distinct
      capacities grows with log n: under 200 for 20,000 appends.
    - CPython's growth rule, in ``list_resize`` (Objects/listobject.c;
      measured the same on 3.9 through 3.13, while 3.8 used different
      padding and grew 0, 4, 8, 16, 25, 35 ..., measured on 3.8.18): when a
      list needs room (or has shrunk below half its allocation),
      ``new_allocated = (newsize + (newsize >> 3) + 6) & ~3``, about 12.5 %
      extra plus 6, rounded down to a multiple of 4: 0, 4, 8, 16, 24, 32, 40,
      52, 64, 76 ... It is an implementation detail, not a language rule.
    - Worst case every growth copies the whole array, yet the copies add up
      to at most 9 per appended element (a geometric series with ratio
      1/1.125): amortised O(1).
    - ``[None] * n``, ``lst.copy()`` and slices allocate exactly ``len``
      slots. ``list()`` of a sized iterable such as ``range(n)`` or a tuple
      allocates exactly too, rounded up to an even number of slots, so at
      most one spare (``list_preallocate_exact``; measured on 3.11-3.13).
      So does ``extend`` with a list or tuple on a list that has never
      allocated (``[].extend(ten)`` gets 10, not the 12 of ``list_resize``);
      an ``extend`` onto an allocated list uses ``list_resize`` above.
    - Go: ``append`` on a full slice doubles the capacity while the *old*
      capacity is below 256, then adds ``(cap + 768) / 4``, tending to 1.25x
      (Go 1.18+, ``runtime/slice.go``; before 1.18 the switch was at 1024);
      if the needed length is more than double the old capacity it takes
      that length directly (Go's own "big jump" rule), then it rounds up
      to a malloc size class; ``make([]T, 0, n)`` reserves n up
      front. Java's ``ArrayList`` grows to 1.5x (``old + (old >> 1)``);
      ``new ArrayList<>(n)`` and ``ensureCapacity`` reserve, and
      ``trimToSize`` does what Python's ``copy()`` gets you.

What to look for in an answer:
    Length vs capacity, growth by a constant *factor* (not a constant
    amount), the amortised argument, and the space/time trade-off of the
    factor. Follow-ups:
    - Why not grow by a fixed 100 slots? (Then n appends copy about
      n**2 / 200 elements: O(n) per append. Only a factor gives O(1)
      amortised.)
    - Why does CPython grow by 1.125 and Go by 2x for small slices? (A
      smaller factor wastes less memory, at most about 12.5 % spare, but
      reallocates more often; a realloc can sometimes extend in place, and
      Python pays its interpreter overhead per append anyway. Go's 2x can
      leave up to half the capacity unused.)
    - When is one ``append`` slow? (When it triggers a resize: O(n) for that
      call. Latency-sensitive code preallocates, or uses a structure with
      no large copies, such as a deque of blocks.)
    - Does ``pop()`` from a huge list return memory? (Only once the length
      falls below half the capacity; and freed memory may stay in the
      process's allocator, not return to the OS.)
    - Why not 2x everywhere; is there a best factor? (With a factor below
      the golden ratio, about 1.618, the blocks freed by earlier growths
      can eventually add up to the next request and be reused; folly's
      ``fbvector`` and MSVC use 1.5. CPython's 1.125 leans on ``realloc``
      growing in place.)
    - What do ``pop(0)`` and ``insert(0, x)`` cost? (O(n): the pointer array
      is shifted with a memmove. Use ``collections.deque``, blocks of 64
      slots, O(1) at both ends.)
    - How much memory does a list of 10 million ints take? (8 bytes per
      slot on a 64-bit build plus an ``int`` object, about 28-32 bytes, for
      each value outside the small-int cache; ``array('q')`` or NumPy store
      8 bytes per value, unboxed. ``getsizeof`` shows only the slots.)

Complexity:
    ``append``: amortised O(1), O(n) on the call that resizes. ``pop()``:
    amortised O(1). Spare slots after appends: at most ``len // 8 + 6``.
"""

from __future__ import annotations

import struct
import sys
from typing import Any

__all__ = [
    "append_capacities",
    "capacity",
    "growth_points",
    "next_capacity",
    "worst_case_copies",
]

_POINTER = struct.calcsize("P")
_EMPTY = sys.getsizeof([])


def capacity(lst: list[Any]) -> int:
    """Allocated slots of ``lst``, read from ``sys.getsizeof`` (a CPython detail).

    >>> capacity([None] * 10)
    10
    >>> capacity([]) == 0
    True
    """
    return (sys.getsizeof(lst) - _EMPTY) // _POINTER  # break[forget-the-header]


def next_capacity(newsize: int, oldsize: int) -> int:
    """CPython 3.9-3.13 ``list_resize``: the allocation for growing ``oldsize`` to ``newsize``.

    Used when ``newsize`` does not fit, or falls below half the allocation
    (a shrinking ``pop``). A big jump (``extend`` with many items) allocates
    just enough, rounded up to 4.

    >>> [next_capacity(n, n - 1) for n in (1, 5, 9, 17, 25, 33, 41)]
    [4, 8, 16, 24, 32, 40, 52]
    >>> next_capacity(-1, 0)
    Traceback (most recent call last):
    ...
    ValueError: sizes must be >= 0, got newsize=-1, oldsize=0
    """
    if newsize < 0 or oldsize < 0:
        raise ValueError(f"sizes must be >= 0, got newsize={newsize}, oldsize={oldsize}")
    if newsize == 0:
        return 0
    grown = (newsize + (newsize >> 3) + 6) & ~3  # break[double-growth]
    if newsize - oldsize > grown - newsize:
        grown = (newsize + 3) & ~3  # break[no-exact-fit-on-big-jumps]
    return grown


def append_capacities(n: int) -> list[int]:
    """The capacity after each of ``n`` appends to an empty list, measured.

    >>> append_capacities(5)
    [4, 4, 4, 4, 8]
    >>> append_capacities(-1)
    Traceback (most recent call last):
    ...
    ValueError: n must be >= 0, got -1
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    lst: list[object] = []
    seen = []
    for i in range(n):
        lst.append(i)
        seen.append(capacity(lst))
    return seen


def growth_points(capacities: list[int]) -> list[int]:
    """The lengths (1-based) at which the capacity changed.

    >>> growth_points([4, 4, 4, 4, 8, 8, 8, 8, 16])
    [1, 5, 9]
    """
    points, last = [], 0
    for length, cap in enumerate(capacities, start=1):
        if cap != last:
            points.append(length)
            last = cap
    return points


def worst_case_copies(capacities: list[int]) -> int:
    """Element moves if every growth copied the old contents (realloc may not need to).

    >>> worst_case_copies([4, 4, 4, 4, 8, 8, 8, 8, 16])
    12
    """
    return sum(length - 1 for length in growth_points(capacities))
