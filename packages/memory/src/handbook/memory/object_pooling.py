"""Object pooling: reuse buffers to cut allocations; a general object pool rarely pays in Python.

Why interviewers ask this:
    Pools come up with connection pools, Go's ``sync.Pool`` and "reduce GC
    pressure" questions. A strong candidate knows where reuse really saves
    work (large I/O buffers: ``readinto`` into one ``bytearray``), what the
    runtime already reuses for you (CPython's free lists and small-object
    allocator), and how to write a pool that is correct under threads:
    bounded, always returned, and strict about what comes back.

Common pitfalls:
    - ``chunk = f.read(n)`` in a loop allocates a new ``n``-byte object per
      call. ``f.readinto(buf)`` fills a buffer you own; slice it with a
      ``memoryview`` to avoid copies (slicing is covered in
      ``handbook.advanced.zero_copy``).
    - Forgetting that ``readinto`` may fill less than the buffer: use the
      returned count, never ``len(buf)``, or the tail of the previous chunk
      leaks into this one.
    - Pooling small objects "for speed". Advice, not measured here: CPython
      frees an object as soon as its last reference goes (unless it is in a
      reference cycle) and keeps free lists and per-size-class pools, so
      allocation is already cheap; a pool adds a lock, a reset of every
      field, and bugs when a stale reference keeps using an object that was
      returned.
    - A pool that can be leaked (no release on exception), returns objects
      twice, or accepts objects it never made: each one silently breaks its
      bound or hands one object to two users.

Key takeaways:
    - Count, don't guess: the tests read N chunks with ``read()`` and get N
      distinct new ``bytes`` objects; with ``readinto`` the loop's traced
      memory never grows by even a quarter of one chunk (``tracemalloc``).
    - CPython keeps free lists (for example for ``float``, small ``tuple``
      sizes and ``list`` headers), and its allocator reuses the block freed
      last; so a new object often gets the ``id()`` of one just freed. That
      is an implementation detail: ``id`` is only unique among objects
      alive at the same time. The test asserts it loosely, on CPython only.
    - ``BoundedPool`` below: at most ``max_size`` objects ever exist;
      ``acquire`` returns an idle one, else creates one while under the
      bound, else blocks until one is released (or raises ``TimeoutError``
      after ``timeout`` seconds; ``timeout=0`` never waits). ``release``
      resets the object and raises ``ValueError`` for a foreign object or a
      double release. ``lease()`` is a context manager that releases even
      when the body raises.
    - Go: ``sync.Pool`` exists because Go's GC cost grows with the
      allocation rate; it is a cache of temporary objects that the runtime
      may drop at a GC (objects survive one cycle in a victim cache since Go
      1.13), so it is unbounded and never a resource limit. A bounded Go
      pool is a buffered channel. Java: pools pay for expensive resources
      (JDBC connections with HikariCP, threads); pooling plain objects
      usually loses to the JVM's allocator.

What to look for in an answer:
    Reuse of the expensive part only, a reset on return, and a bound. Follow-ups:
    - When does pooling pay in Python? (Costly setup: connections, threads,
      large buffers, compiled parsers. Not for small objects.)
    - What happens if a caller keeps using an object after releasing it?
      (Two users share it. Defences: a context manager so there is no
      object outside the ``with``, reset on release, or a wrapper that is
      invalidated on release.)
    - Block, fail, or create when the pool is empty? (Block with a timeout
      for a resource limit, like a connection pool; create for a cache like
      ``sync.Pool``; failing fast is right when the caller can shed load.)
    - Why a ``Condition`` and not a bare ``Lock``? (Waiters must sleep
      until a release and be woken, without polling.)
    - How is ``sync.Pool`` different from a connection pool? (It may drop
      objects at any GC and has no size limit; a connection pool bounds the
      number of live connections.)
    - How do you avoid handing out a dead connection? (Validate on checkout:
      a cheap ping or ``Connection.isValid`` in JDBC; retire connections
      after a maximum lifetime or idle time, as HikariCP's ``maxLifetime``
      and ``idleTimeout`` do; on failure discard the object and let the
      pool create a new one. ``BoundedPool`` here does none of this.)
    - Is the pool fair: can a waiter starve? (Not guaranteed. ``notify``
      wakes one waiter, but that thread must retake the lock before it can
      take the object; a thread that calls ``acquire`` in between finds the
      object idle and takes it, and the woken waiter goes back to waiting
      (``wait_for`` re-checks). A fair pool hands the object directly to the
      oldest waiter, for example one slot or future per waiter in a FIFO
      queue. Tested: a thread holding the lock across ``release`` and
      ``acquire`` takes the object from under a notified waiter.)

Complexity:
    ``acquire``/``release``: O(1) under one lock (plus the factory or reset).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import BinaryIO, Generic, Protocol, TypeVar

__all__ = [
    "BoundedPool",
    "ReadsInto",
    "consume_with_read",
    "consume_with_readinto",
    "reused_id_count",
]

T = TypeVar("T")


class ReadsInto(Protocol):
    """Anything with ``readinto``: ``io.BytesIO``, buffered and raw binary files."""

    def readinto(self, buffer: memoryview, /) -> int | None: ...


def consume_with_read(stream: BinaryIO, n: int) -> tuple[int, int]:
    """Read ``stream`` with ``read(n)``; return (chunks, new objects seen).

    A chunk counts as new when it is not the previous chunk; the previous one
    is still referenced while the next is made, so a fresh object cannot
    reuse its address.
    """
    chunks = fresh = 0
    previous: bytes | None = None
    while chunk := stream.read(n):
        chunks += 1
        fresh += chunk is not previous
        previous = chunk
    return chunks, fresh


def consume_with_readinto(stream: ReadsInto, buf: bytearray) -> tuple[int, int]:
    """Read ``stream`` into one reused ``buf``; return (chunks, checksum of bytes read).

    >>> import io
    >>> consume_with_readinto(io.BytesIO(bytes([1, 2, 3, 4, 5])), bytearray(2))
    (3, 15)
    """
    chunks = total = 0
    view = memoryview(buf)
    while got := stream.readinto(view):
        chunks += 1
        total += sum(view[:got])  # break[use-the-whole-buffer]
    view.release()
    return chunks, total


def reused_id_count(trials: int) -> int:
    """Times a new float got the ``id()`` of a float freed just before (CPython detail)."""
    hits = 0
    for i in range(trials):
        a = i + 0.5
        addr = id(a)
        del a
        b = i + 0.25  # one allocation: the block just freed is handed back
        hits += id(b) == addr
    return hits


class BoundedPool(Generic[T]):
    """A thread-safe pool of at most ``max_size`` objects made by ``factory``.

    >>> pool = BoundedPool(bytearray, max_size=2, reset=lambda b: b.clear())
    >>> with pool.lease() as buf:
    ...     buf += b"data"
    >>> with pool.lease() as again:
    ...     (again is buf, len(again))
    (True, 0)
    """

    def __init__(
        self,
        factory: Callable[[], T],
        max_size: int,
        reset: Callable[[T], object] | None = None,
        on_wait: Callable[[], object] | None = None,
    ) -> None:
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        self._factory, self._max, self._reset = factory, max_size, reset
        self._on_wait = on_wait  # a test hook: called under the lock just before waiting
        self._cond = threading.Condition()
        self._idle: list[T] = []
        self._owned: dict[int, T] = {}  # id -> object for every object this pool made
        self._out: set[int] = set()  # ids currently acquired

    @property
    def created(self) -> int:
        """How many objects this pool has made (never more than ``max_size``)."""
        with self._cond:
            return len(self._owned)

    def acquire(self, timeout: float | None = None) -> T:
        """Return an idle object, else a new one under the bound, else wait for a release.

        Raises ``TimeoutError`` if none is free after ``timeout`` seconds
        (``timeout=0`` never waits; ``None`` waits forever).
        """
        with self._cond:
            if not self._idle and len(self._owned) >= self._max:  # break[off-by-one-bound]
                if self._on_wait is not None:
                    self._on_wait()
                if not self._cond.wait_for(lambda: bool(self._idle), timeout):
                    raise TimeoutError(f"no object free in a pool of {self._max}")
            if self._idle:
                obj = self._idle.pop()  # break[peek-not-pop]
            else:
                obj = self._factory()
                self._owned[id(obj)] = obj
            self._out.add(id(obj))
            return obj

    def release(self, obj: T) -> None:
        """Reset ``obj`` and make it available; wake one waiter.

        Raises ``ValueError`` if ``obj`` was not made by this pool or is not
        currently acquired (a double release).
        """
        with self._cond:
            if self._owned.get(id(obj)) is not obj:
                raise ValueError("object does not belong to this pool")
            if id(obj) not in self._out:  # break[no-double-release-check]
                raise ValueError("object released twice")
            if self._reset is not None:
                self._reset(obj)
            self._out.discard(id(obj))
            self._idle.append(obj)  # break[idle-twice]
            self._cond.notify()

    def lease(self, timeout: float | None = None) -> _Lease[T]:
        """A context manager: acquire on entry, release on exit, even if the block raises."""
        return _Lease(self, timeout)


class _Lease(Generic[T]):
    """``with pool.lease() as obj``: the object never outlives the block in the pool's books.

    One lease may be entered again while it is open (nested ``with``): each
    entry acquires its own object and each exit releases the latest, so no
    object is lost.
    """

    def __init__(self, pool: BoundedPool[T], timeout: float | None) -> None:
        self._pool, self._timeout = pool, timeout
        self._held: list[T] = []  # one object per open ``with``, innermost last

    def __enter__(self) -> T:
        obj = self._pool.acquire(self._timeout)
        self._held.append(obj)
        return obj

    def __exit__(self, *exc: object) -> None:
        obj = self._held.pop()
        self._pool.release(obj)  # break[release-only-on-success]
