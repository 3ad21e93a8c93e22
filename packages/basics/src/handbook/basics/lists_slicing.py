"""List slicing: a slice is a copy (a Go slice is a view), slice assignment resizes, steps.

Why interviewers ask this:
    Slicing is in every Python answer (``items[:k]``, ``items[::-1]``), and it
    hides three different semantics: reading a slice copies, assigning to a
    slice rewrites the list in place (and may change its length), and
    assigning to an *extended* slice (one with a step) must keep the length.
    Readers coming from Go carry the opposite instinct: a Go slice is a view
    of a shared array, and ``append`` to a sub-slice can overwrite the
    parent's elements. Interviewers check that you know which language does
    what, and that ``[[]] * n`` is n references to one list.

Common pitfalls:
    - Expecting ``items[:k]`` to be a view (Go, numpy, ``memoryview``): writes
      to a Python list slice never reach the original list.
    - The opposite mistake, carried to Go: ``b := a[:1]; b = append(b, x)``
      writes ``x`` into ``a[1]`` when ``a`` has spare capacity (``GoSlice``
      below models it). The fix in Go is the full slice expression
      ``a[:1:1]``, which caps the capacity so ``append`` must copy.
    - Negative steps with off-by-one bounds: the last ``n`` items reversed are
      ``items[:-n - 1:-1]`` (or ``items[-n:][::-1]``, but only for n > 0:
      ``-0`` is ``0``, so ``items[-0:]`` is the whole list); ``items[-1:-n:-1]``
      stops one short, because the stop index is excluded.
    - Expecting an out-of-range slice to raise: slices clamp their bounds, so
      ``items[10:20]`` is ``[]`` while ``items[10]`` raises ``IndexError``.
    - Assigning a list of the wrong length to an extended slice raises
      ``ValueError`` ("attempt to assign sequence of size 2 to extended slice
      of size 3"); a plain slice (step absent or 1) accepts any length.
    - ``[[]] * n`` repeats one reference n times: appending to one bucket
      appends to all of them.

Key takeaways:
    - ``items[a:b]`` builds a new list holding the same element objects: a
      shallow copy. Rebinding or appending to it leaves ``items`` alone;
      mutating a shared element (a nested list) is visible through both.
    - ``items[a:b] = other`` replaces that range with ``other``'s contents, so
      the list grows or shrinks; ``items[k:k] = other`` inserts, and
      ``items[a:b] = []`` (or ``del items[a:b]``) removes.
    - With a step (``items[::2] = ...``) the right side must have exactly as
      many items as the slice selects; ``del items[::2]`` is allowed.
    - Negative steps walk backwards: start defaults to the last item, stop is
      still excluded. ``items[::-1]`` is a reversed copy; ``reversed(items)``
      is a lazy iterator that copies nothing (it sees later writes).
    - ``memoryview`` over a ``bytearray`` is a real view: its writes land in
      the buffer, and while a view is exported the buffer refuses to resize
      (``BufferError``). Slicing a ``bytes`` or ``bytearray`` copies, like a
      list. numpy slices are views in the same way.
    - Go and Java: a Go slice is (pointer, length, capacity) over a shared
      array; Java's ``List.subList`` is a view whose writes reach the parent
      list (but after a structural change to the parent, an ``ArrayList``
      sub-list throws ``ConcurrentModificationException``), while
      ``Arrays.copyOfRange`` copies like a Python slice.

What to look for in an answer:
    A strong candidate says that slicing a list copies references (shallow),
    tells slice *reading* from slice *assignment*, knows the step rule and the
    ``ValueError``, and can explain Go's append aliasing in terms of length and
    capacity. Follow-ups:
    - What does ``a[:] = b`` do that ``a = b`` does not? (It mutates the list
      object in place, so every other reference to ``a`` sees ``b``'s items;
      ``a = b`` only rebinds one name.)
    - How do you get a view of a large byte buffer without copying? (A
      ``memoryview``: slicing it is O(1) and shares memory; slicing the
      ``bytes`` or ``bytearray`` itself copies.)
    - How do you take the first ``k`` items of a generator? (``itertools.islice(gen,
      k)``: iterators have no ``__getitem__``, so ``gen[:k]`` raises
      ``TypeError``; ``islice`` consumes the items it skips.)
    - In Go, when does ``append`` not alias? (When the length equals the
      capacity: ``append`` allocates a bigger array and copies (since Go
      1.18 it doubles below 256 elements, then grows by about 1.25x, rounded
      up to an allocator size class); so the aliasing bug appears only
      sometimes, which makes it nasty.)

Complexity:
    Reading ``items[a:b]`` is O(b - a). Slice assignment and ``del items[a:b]``
    are O(n): the tail shifts. ``items * n`` is O(len(items) * n) references.
    ``items.pop(0)`` and ``del items[0]`` are O(n) for the same reason: use
    ``collections.deque`` (O(1) ``popleft``) for a queue.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "GoSlice",
    "last_n_reversed",
    "make_buckets",
    "make_buckets_shared",
    "overwrite_through_view",
    "prefix_with",
    "replace_range",
    "set_every_other",
]


class GoSlice:
    """A model of a Go slice: a window (offset, length, capacity) over a shared array.

    Only what the aliasing bug needs: reslicing and ``append``. A full
    ``append`` always doubles the capacity, a simplification of Go's real
    growth rule.

    >>> a = GoSlice.make([1, 2, 3], cap=4)
    >>> b = a.reslice(0, 1).append(99)  # Go: b := append(a[0:1], 99)
    >>> a.tolist(), b.tolist()
    ([1, 99, 3], [1, 99])
    >>> c = a.reslice(0, 1, 1).append(7)  # Go: c := append(a[0:1:1], 7)
    >>> a.tolist(), c.tolist()
    ([1, 99, 3], [1, 7])
    """

    def __init__(self, array: list[int], offset: int, length: int, cap: int) -> None:
        """Wrap ``array[offset:offset + cap]``, of which the first ``length`` are visible."""
        self._array = array
        self._offset = offset
        self._length = length
        self._cap = cap

    @classmethod
    def make(cls, values: Sequence[int], cap: int) -> GoSlice:
        """Like ``make([]int, len(values), cap)`` filled with ``values``."""
        if cap < len(values):
            raise ValueError(f"cap {cap} is smaller than len {len(values)}")
        return cls([*values, *[0] * (cap - len(values))], 0, len(values), cap)

    def __len__(self) -> int:
        """Go's ``len(s)``."""
        return self._length

    @property
    def cap(self) -> int:
        """Go's ``cap(s)``: room from the offset to the end of the shared array."""
        return self._cap

    def reslice(self, low: int, high: int, max_: int | None = None) -> GoSlice:
        """Go's ``s[low:high]`` or ``s[low:high:max]``: a new header, the same array."""
        limit = self._cap if max_ is None else max_
        if not 0 <= low <= high <= limit <= self._cap:
            raise IndexError(f"slice bounds out of range [{low}:{high}:{limit}]")
        return GoSlice(self._array, self._offset + low, high - low, limit - low)

    def append(self, value: int) -> GoSlice:
        """Go's ``append(s, value)``: writes in place while capacity lasts, else copies."""
        if self._length < self._cap:
            self._array[self._offset + self._length] = value  # the shared array
            return GoSlice(self._array, self._offset, self._length + 1, self._cap)
        new_cap = max(1, 2 * self._cap)
        fresh = self.tolist() + [value] + [0] * (new_cap - self._length - 1)
        return GoSlice(fresh, 0, self._length + 1, new_cap)

    def tolist(self) -> list[int]:
        """The visible elements, copied into a Python list."""
        return self._array[self._offset : self._offset + self._length]


def prefix_with(items: list[int], k: int, extra: int) -> list[int]:
    """The first ``k`` items plus ``extra``; the caller's list is never touched.

    The Python version of Go's ``append(a[:k], extra)``, without the aliasing.
    A negative ``k`` raises ``ValueError`` (``items[:-1]`` would silently mean
    "all but the last").

    >>> a = [1, 2, 3]
    >>> prefix_with(a, 1, 99), a
    ([1, 99], [1, 2, 3])
    """
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    prefix = items[:k]  # break[alias-not-slice]
    prefix.append(extra)
    return prefix


def overwrite_through_view(buffer: bytearray, start: int, data: bytes) -> None:
    """Write ``data`` into ``buffer`` at ``start`` through a memoryview slice: no copy.

    >>> buf = bytearray(b"hello")
    >>> overwrite_through_view(buf, 1, b"EL")
    >>> buf
    bytearray(b'hELlo')
    """
    with memoryview(buffer) as view:
        view[start : start + len(data)] = data


def replace_range(items: list[int], start: int, stop: int, new: Sequence[int]) -> None:
    """Replace ``items[start:stop]`` with ``new`` in place; the list may grow or shrink.

    >>> a = [0, 1, 2, 3]
    >>> replace_range(a, 1, 3, [7, 7, 7, 7]); a
    [0, 7, 7, 7, 7, 3]
    >>> replace_range(a, 1, 5, []); a
    [0, 3]
    """
    items[start:stop] = new


def set_every_other(items: list[int], value: int) -> None:
    """Set items 0, 2, 4, ... to ``value`` with one extended-slice assignment.

    The right side must be exactly as long as the slice it replaces.

    >>> a = [1, 2, 3, 4, 5]
    >>> set_every_other(a, 0); a
    [0, 2, 0, 4, 0]
    >>> a[::2] = [9, 9]
    Traceback (most recent call last):
    ValueError: attempt to assign sequence of size 2 to extended slice of size 3
    """
    items[::2] = [value] * ((len(items) + 1) // 2)  # break[floor-half]


def last_n_reversed(items: Sequence[int], n: int) -> list[int]:
    """The last ``n`` items, newest first; a negative ``n`` raises ``ValueError``.

    ``items[: -n - 1 : -1]`` is right for ``n = 0`` too (``items[:-1:-1]`` is
    empty), unlike ``items[-n:][::-1]``.

    >>> last_n_reversed([1, 2, 3, 4, 5], 3)
    [5, 4, 3]
    >>> [1, 2, 3, 4, 5][-1:-3:-1]  # the off-by-one: stop is excluded
    [5, 4]
    >>> [1, 2, 3, 4, 5][-0:][::-1]  # the -0 slip: n = 0 gives everything
    [5, 4, 3, 2, 1]
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    return list(items[: -n - 1 : -1])  # break[stop-short]  # break[minus-zero]


def make_buckets_shared(n: int) -> list[list[int]]:
    """The pitfall: ``[[]] * n`` is n references to the same list.

    >>> b = make_buckets_shared(3); b[0].append(1); b
    [[1], [1], [1]]
    """
    return [[]] * n


def make_buckets(n: int) -> list[list[int]]:
    """The fix: a comprehension builds a new list per bucket.

    >>> b = make_buckets(3); b[0].append(1); b
    [[1], [], []]
    """
    return [[] for _ in range(n)]  # break[repeat-reference]
