"""Why ``list.pop(0)`` is O(n) and ``deque.popleft()`` is O(1): count the element moves.

Why interviewers ask this:
    "Implement BFS" is the most common whiteboard task, and the frontier is a
    queue. Writing ``frontier.pop(0)`` on a list turns an O(V + E) search into
    O(V^2) without any visible bug. The question checks that you know what a
    Python list *is* (a contiguous array of pointers) and therefore what each
    end costs, and that you reach for ``collections.deque`` without thinking.

Common pitfalls:
    - ``list.pop(0)`` and ``list.insert(0, x)`` shift every other element one
      slot: n - 1 pointer moves each, so draining a list from the front is
      n(n - 1)/2 moves. The tests below count them.
    - Indexing into a deque is O(n) in the middle (it walks 64-slot blocks): a
      deque is a queue, not an array. Use a list for random access.
    - A hand-written ring buffer that grows by copying the slots *as they lie*
      instead of unwrapping them from the head: the queue comes out in the wrong
      order after the first wrap-around (break it: ``grow-without-unwrapping``).
    - A fixed-size buffer that overwrites the oldest item but forgets to move
      its start index: iteration no longer starts at the oldest item.
    - Go: ``q = q[1:]`` is O(1) but keeps the whole backing array alive; Java:
      ``ArrayDeque`` (a growable ring) beats ``LinkedList`` as a queue.

Key takeaways:
    - A list is O(1) amortized at the *end* only. A queue needs O(1) at both
      ends: CPython's deque is a doubly linked list of 64-item blocks, so
      ``append`` and ``popleft`` never move an element; a growable ring buffer
      moves elements only when it doubles, O(1) amortized.
    - ``Stack`` is a list, ``Queue`` is a deque, ``RingBuffer`` is a fixed list
      plus a start index and modular arithmetic.
    - None of these classes is thread-safe as a contract; for threads use
      ``queue.Queue`` (blocking, with a lock and conditions inside).

What to look for in an answer:
    A strong answer explains the memory layout (contiguous array vs linked
    blocks), states the cost of each end for each structure, picks deque for
    BFS without prompting, and knows the amortized argument for growable
    arrays (doubling makes total copying at most 2n). Follow-ups:
    - Why is ``deque[i]`` slow in the middle but ``deque[0]`` and ``deque[-1]``
      fast? (Block walk from the nearer end.)
    - How would you bound memory for "the last N log lines"? (A ring buffer or
      ``deque(maxlen=N)``: O(1) append, the oldest falls off.)
    - When is a list-as-queue fine? (Tiny or bounded queues; or pop from the
      end and reverse once.)

Complexity:
    ``Stack.push``/``pop``/``peek``: O(1) amortized. ``Queue.enqueue``/
    ``dequeue``/``peek``: O(1). ``RingBuffer.append`` and indexing: O(1).
    Draining n items from the front of a shifting array: n(n - 1)/2 moves;
    from a growable ring: 0 moves per pop, fewer than 2n moves in total growth.
"""

from __future__ import annotations

import operator
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar, cast

from handbook.ds._inputs import validate_capacity
from handbook.ds._repr import preview as _preview

__all__ = ["GrowableRingQueue", "Queue", "RingBuffer", "ShiftingArrayQueue", "Stack"]

T = TypeVar("T")


# ---------------------------------------------------------------------------
# The lesson: two queue models that count every element move.
# ---------------------------------------------------------------------------


class ShiftingArrayQueue(Generic[T]):
    """A FIFO on a contiguous array that shifts on every front pop, as ``list.pop(0)`` does.

    ``moves`` counts element moves: each ``pop_front`` moves every remaining item.

    >>> q = ShiftingArrayQueue[int]()
    >>> for i in range(4):
    ...     q.push(i)
    >>> q.pop_front(), q.moves
    (0, 3)
    """

    def __init__(self) -> None:
        self._slots: list[T] = []
        self.moves = 0

    def __len__(self) -> int:
        return len(self._slots)

    def push(self, item: T) -> None:
        """Append at the back: O(1) amortized, no moves."""
        self._slots.append(item)

    def pop_front(self) -> T:
        """Remove the front item by shifting the rest left: O(n) moves. IndexError if empty."""
        slots = self._slots
        if not slots:
            raise IndexError("pop_front from an empty ShiftingArrayQueue")
        first = slots[0]
        for i in range(1, len(slots)):  # what memmove does inside list.pop(0)
            slots[i - 1] = slots[i]
            self.moves += 1
        slots.pop()
        return first


class GrowableRingQueue(Generic[T]):
    """A FIFO on a circular array that doubles when full, like Java's ``ArrayDeque``.

    Pops never move an element; growth copies the items once, unwrapped from
    the head. ``moves`` counts those copies.

    >>> q = GrowableRingQueue[int]()
    >>> for i in range(9):
    ...     q.push(i)
    >>> q.pop_front(), q.moves
    (0, 8)
    """

    INITIAL_CAPACITY = 8

    def __init__(self) -> None:
        self._slots: list[T | None] = [None] * self.INITIAL_CAPACITY
        self._head = 0
        self._size = 0
        self.moves = 0

    def __len__(self) -> int:
        return self._size

    def push(self, item: T) -> None:
        """Append at the back: O(1) amortized (a doubling copy now and then)."""
        if self._size == len(self._slots):
            self._grow()
        self._slots[(self._head + self._size) % len(self._slots)] = item
        self._size += 1

    def pop_front(self) -> T:
        """Remove the front item by advancing the head: O(1), no moves. IndexError if empty."""
        if not self._size:
            raise IndexError("pop_front from an empty GrowableRingQueue")
        item = cast(T, self._slots[self._head])
        self._slots[self._head] = None  # drop the reference so the item can be freed
        self._head = (self._head + 1) % len(self._slots)
        self._size -= 1
        return item

    def _grow(self) -> None:
        old, capacity, head, size = self._slots, len(self._slots), self._head, self._size
        # Unwrap: the front item goes to slot 0 of the new array, whatever the head was.
        new = [old[(head + i) % capacity] for i in range(size)]  # break[grow-without-unwrapping]
        self.moves += size
        new.extend([None] * (2 * capacity - len(new)))
        self._slots = new
        self._head = 0


# ---------------------------------------------------------------------------
# The library: Stack, Queue, RingBuffer.
# ---------------------------------------------------------------------------


class Stack(Generic[T]):
    """A LIFO stack on a Python list (the top is the list's end).

    ``Stack(iterable)`` pushes the items in order, so the last one is on top;
    iteration goes from top to bottom; ``repr`` shows the items bottom to top,
    as the constructor takes them. Equal to another ``Stack`` with the same
    items. Not thread-safe: a check-then-act such as ``if s: s.pop()`` races;
    use ``queue.LifoQueue`` across threads.

    >>> s = Stack([1, 2])
    >>> s.push(3)
    >>> list(s), s
    ([3, 2, 1], Stack([1, 2, 3]))
    """

    __slots__ = ("_items",)

    def __init__(self, iterable: Iterable[T] = ()) -> None:
        self._items: list[T] = list(iterable)

    def push(self, item: T) -> None:
        """Put ``item`` on top. O(1) amortized. Never raises.

        >>> s = Stack[str](); s.push("a"); s.peek()
        'a'
        """
        self._items.append(item)

    def pop(self) -> T:
        """Remove and return the top item. O(1). Raises IndexError if empty.

        >>> Stack([1, 2]).pop()
        2
        """
        try:
            return self._items.pop()
        except IndexError:
            raise IndexError("pop from an empty Stack") from None

    def peek(self) -> T:
        """Return the top item without removing it. O(1). Raises IndexError if empty.

        >>> Stack([1, 2]).peek()
        2
        """
        try:
            return self._items[-1]
        except IndexError:
            raise IndexError("peek at an empty Stack") from None

    def __len__(self) -> int:
        """Number of items. O(1)."""
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        """Iterate from top to bottom. O(1) to start, O(n) to finish."""
        return reversed(self._items)

    def __eq__(self, other: object) -> bool:
        """Same items in the same order. O(n)."""
        if not isinstance(other, Stack):
            return NotImplemented
        return self._items == other._items

    def __repr__(self) -> str:
        return f"Stack({_preview(self._items, len(self._items))})"

    def _check(self) -> None:
        assert isinstance(self._items, list)


class Queue(Generic[T]):
    """A FIFO queue on ``collections.deque``: enqueue at the back, dequeue at the front.

    Iteration goes from front to back; equal to another ``Queue`` with the same
    items. Not thread-safe as a contract (use ``queue.Queue`` across threads).

    ``enqueue(item)`` puts ``item`` at the back: O(1), never raises.

    >>> q = Queue([1, 2])
    >>> q.enqueue(3)
    >>> q.dequeue(), list(q), q
    (1, [2, 3], Queue([2, 3]))
    """

    # ``enqueue`` is the deque's own bound ``append`` stored in a slot: no Python
    # frame per call. ``dequeue`` must stay a Python method so its IndexError
    # names the Queue. benchmarks/bench_ds.py times this class against a bare
    # deque, with methods bound once and called as ``q.method()`` (the package
    # README's table).
    __slots__ = {
        "_items": "The deque holding the items, front at the left.",
        "enqueue": "enqueue(item): put item at the back. O(1). Never raises.",
    }

    enqueue: Callable[[T], None]

    def __init__(self, iterable: Iterable[T] = ()) -> None:
        self._items: deque[T] = deque(iterable)
        self.enqueue = self._items.append

    def dequeue(self) -> T:
        """Remove and return the front item. O(1). Raises IndexError if empty.

        >>> Queue("ab").dequeue()
        'a'
        """
        try:
            return self._items.popleft()
        except IndexError:
            raise IndexError("dequeue from an empty Queue") from None

    def peek(self) -> T:
        """Return the front item without removing it. O(1). Raises IndexError if empty.

        >>> Queue("ab").peek()
        'a'
        """
        try:
            return self._items[0]
        except IndexError:
            raise IndexError("peek at an empty Queue") from None

    def __len__(self) -> int:
        """Number of items. O(1)."""
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        """Iterate from front to back. O(1) to start, O(n) to finish."""
        return iter(self._items)

    def __eq__(self, other: object) -> bool:
        """Same items in the same order. O(n)."""
        if not isinstance(other, Queue):
            return NotImplemented
        return self._items == other._items

    def __reduce__(self) -> tuple[Any, ...]:
        # copy, deepcopy and pickle rebuild the queue so ``enqueue`` binds the new deque.
        return (type(self), (list(self._items),))

    def __repr__(self) -> str:
        return f"Queue({_preview(self._items, len(self._items))})"

    def _check(self) -> None:
        assert isinstance(self._items, deque)
        assert self.enqueue == self._items.append, "enqueue must feed this queue's deque"


class RingBuffer(Generic[T]):
    """A fixed-size buffer that overwrites its oldest item when full.

    Indexing (negative too) and iteration go from oldest to newest. Equal to
    another ``RingBuffer`` with the same capacity and items. Not thread-safe.
    ``capacity`` must be an int (TypeError otherwise) and at least 1 (ValueError).

    >>> r = RingBuffer[int](3)
    >>> for i in range(5):
    ...     r.append(i)
    >>> list(r), r[0], r[-1], r.full
    ([2, 3, 4], 2, 4, True)
    >>> RingBuffer(0)
    Traceback (most recent call last):
    ...
    ValueError: RingBuffer capacity must be >= 1, got 0
    """

    __slots__ = ("_buf", "_capacity", "_start")

    def __init__(self, capacity: int, iterable: Iterable[T] = ()) -> None:
        self._capacity = validate_capacity(capacity, "RingBuffer")
        # The list grows to ``capacity`` and is then overwritten in place; ``_start``
        # is the slot of the oldest item and stays 0 until the buffer is full.
        self._buf: list[T] = []
        self._start = 0
        for item in iterable:
            self.append(item)

    @property
    def capacity(self) -> int:
        """The fixed maximum number of items. O(1).

        >>> RingBuffer(3, "ab").capacity
        3
        """
        return self._capacity

    @property
    def full(self) -> bool:
        """True once ``capacity`` items are held (the next append overwrites). O(1).

        >>> RingBuffer(2, "a").full, RingBuffer(2, "ab").full
        (False, True)
        """
        return len(self._buf) == self._capacity

    def append(self, item: T) -> None:
        """Add ``item`` as the newest; when full, overwrite the oldest. O(1). Never raises.

        >>> r = RingBuffer(2, "ab"); r.append("c"); list(r)
        ['b', 'c']
        """
        buf = self._buf
        if len(buf) < self._capacity:
            buf.append(item)
            return
        start = self._start
        buf[start] = item
        self._start = (start + 1) % self._capacity  # break[ring-forgets-oldest]

    def __getitem__(self, index: int) -> T:
        """Item ``index`` counted from the oldest (negative: from the newest). O(1).

        Raises IndexError when out of range, TypeError for a non-integer index.

        >>> r = RingBuffer(2, "abc"); r[0], r[-1]
        ('b', 'c')
        """
        i = operator.index(index)
        size = len(self._buf)
        if i < 0:
            i += size
        if not 0 <= i < size:
            raise IndexError(f"RingBuffer index {index} out of range for {size} items")
        return self._buf[(self._start + i) % size]

    def __len__(self) -> int:
        """Number of items held (at most ``capacity``). O(1)."""
        return len(self._buf)

    def __iter__(self) -> Iterator[T]:
        """Iterate from oldest to newest. O(n) to finish."""
        buf, start = self._buf, self._start
        yield from buf[start:]
        yield from buf[:start]

    def __eq__(self, other: object) -> bool:
        """Same capacity and the same items oldest to newest. O(n)."""
        if not isinstance(other, RingBuffer):
            return NotImplemented
        return self._capacity == other._capacity and list(self) == list(other)

    def __repr__(self) -> str:
        return f"RingBuffer({self._capacity}, {_preview(self, len(self._buf))})"

    def _check(self) -> None:
        assert self._capacity >= 1
        assert len(self._buf) <= self._capacity
        assert 0 <= self._start < self._capacity
        assert self._start == 0 or self.full, "the start moves only once the buffer is full"
