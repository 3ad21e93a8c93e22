"""What the GIL makes atomic: one call on a builtin, yes; check-then-act across two calls, never.

Why interviewers ask this:
    "Is ``list.append`` thread-safe in Python? Is ``if k not in d: d[k] = v``?"
    The answers differ, and *why* they differ is the whole lesson: under the
    GIL a single operation on a builtin that runs in C without calling back
    into Python (``append``, ``pop``, ``d[k] = v``, ``setdefault``) completes
    before another thread can run, while a *sequence* of operations can be
    interleaved between any two of them. Check-then-act (get-or-create, lazy
    init, "if absent then insert") is the classic sequence, and the bug it
    produces (two objects created, one silently overwritten) is real.

Common pitfalls:
    - Generalising "append is atomic" to "the GIL makes my code thread-safe".
      The GIL protects the interpreter's own data, not your invariants.
    - ``if key not in d: d[key] = make()``: two threads both see "absent" and
      both insert; one caller keeps an object the dict no longer holds.
    - ``d[key] += 1`` and ``x = lst[-1]; lst.append(x + 1)``: read-modify-write,
      several steps.
    - Two safe calls are not one safe call: ``job = jobs[0]; jobs.popleft()``
      on a deque hands the same job to two threads and drops another.
    - Assuming ``setdefault`` also makes the *creation* happen once. It makes the
      insert atomic; ``make()`` still runs in both threads and one result is
      thrown away. If creation is costly or has side effects, use a lock.
    - Iterating a dict another thread mutates: ``RuntimeError: dictionary
      changed size during iteration``. Iterate a snapshot (``list(d)``).
    - Keys with a Python-level ``__hash__``/``__eq__``: then even ``d[k] = v``
      runs Python code in the middle and another thread can run inside it.
    - Writing your own "append" in Python (read where the end is, then store
      there): a switch between the read and the store makes two threads write
      the same slot, and one item is lost.

Key takeaways:
    - What is written down, and where. The ``collections`` docs promise that
      deques "support thread-safe" appends and pops from either side. The
      library FAQ ("What kinds of global value mutation are thread-safe?")
      lists, for CPython and its GIL, ``L.append(x)``, ``L1.extend(L2)``,
      ``x = L[i]``, ``x = L.pop()``, ``L1[i:j] = L2``, ``L.sort()``, ``x = y``,
      ``x.field = y``, ``D[x] = y``, ``D1.update(D2)`` and ``D.keys()`` as
      atomic, and ``i = i+1``, ``L.append(L[-1])``, ``L[i] = L[j]`` and
      ``D[x] = D[x] + 1`` as not (with builtin elements and keys: a Python
      ``__eq__``, ``__hash__`` or ``__del__`` runs in the middle).
      ``D.setdefault``, ``D.get`` and ``D.pop`` are not on that list; they
      are single C calls too, atomic on CPython for the same reason, which you
      learn from the source rather than the docs.
    - Not atomic: anything that is more than one such call, ``+=`` on a shared
      name or item, check-then-act, iteration while others mutate.
    - Why ``list.append`` is atomic under the GIL: the whole call is one
      bytecode instruction (a ``CALL``) that runs C code, ``list_append`` in
      ``Objects/listobject.c`` and ``_PyList_AppendTakeRef`` under it, which
      never runs Python code and never releases the GIL. A hook that stops the
      thread before *every* instruction of a method (``sys.monitoring``
      from 3.12, ``sys.settrace`` opcode events on 3.11) therefore finds a
      point between the read and the store of an append written in Python,
      and none inside ``list.append``; the same holds for ``deque.popleft``.
    - Fix check-then-act with one atomic call (``setdefault``) when creating a
      spare object is harmless, otherwise with a lock around the whole
      check-and-act.
    - Free-threaded CPython (3.13t) has no GIL but guards each builtin object
      with its own lock, so ``append`` and ``setdefault`` stay atomic there
      too. The 3.13 free-threading HOWTO calls that a description of the
      current implementation, not a guarantee, and recommends
      ``threading.Lock`` over relying on it.
    - Java: ``ConcurrentHashMap.putIfAbsent`` is ``setdefault`` (the insert is
      atomic, the spare value was built anyway); ``computeIfAbsent`` is the
      lock: the whole call is atomic, so the mapping function runs at most
      once per absent key. Go: maps are not safe for concurrent use when any
      goroutine writes, whether the others read or write. The runtime's
      detection ("fatal error: concurrent map writes", or "concurrent map
      read and map write") is best effort and catches only some of it;
      ``go test -race`` finds more. Use ``sync.Mutex`` or
      ``sync.Map.LoadOrStore``.

What to look for in an answer:
    A strong answer separates "one C-level call on a builtin" from "a sequence
    of calls", names check-then-act and read-modify-write as the two racy
    shapes, fixes them with an atomic primitive or a lock held across the whole
    sequence, and knows which atomicity is documented (deque; the FAQ's list,
    for CPython) and which is read off the source. Follow-ups:
    - Why can ``d[k] = v`` stop being atomic? (A key whose ``__eq__`` or
      ``__hash__`` is Python code runs bytecode mid-operation.)
    - ``setdefault`` versus a lock for a connection cache: which and why? (Lock:
      creating a spare connection is a side effect, not just wasted memory.)
    - ``setdefault``, ``defaultdict`` or ``functools.cache`` for get-or-create?
      (``setdefault``: every caller gets the one stored object, but the value
      is built before the call, in every thread. ``defaultdict`` with a
      factory written in Python is check-then-act again: the factory runs in
      both threads, each caller gets its own object and the dict keeps one;
      ``defaultdict(list)`` is fine on CPython because ``list()`` runs no
      Python code. ``functools.cache`` documents that the function may be
      called more than once for a key while the first call is running; both
      callers then get different results. Only a lock around the lookup and
      the creation makes it exactly once.)
    - What does free threading change for this code? (Nothing for the racy
      shapes: they were already broken; they just fail more often.)

Complexity:
    Every registry, log and job queue below is O(1) per call. Under the forced
    interleaving the unsafe registry creates 2 objects and keeps 1;
    ``setdefault`` creates 2 and hands the same one to both callers; the lock
    creates 1. Two threads appending ``n`` items each keep ``n`` in the
    Python-level log, ``2n`` in the ``list.append`` one; two threads taking
    ``n`` jobs each from ``2n`` get ``n`` distinct jobs by peek-then-pop,
    ``2n`` by ``popleft``.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from handbook.concurrency.race_conditions import WatchedLock

__all__ = [
    "AppendLog",
    "JobQueue",
    "LockedRegistry",
    "SetdefaultRegistry",
    "UnsafeAppendLog",
    "UnsafeJobQueue",
    "UnsafeRegistry",
]

V = TypeVar("V")


def _no_pause() -> None:
    """The default pause point: do nothing, as in production code."""


class UnsafeAppendLog(Generic[V]):
    """An append written in Python: read where the end is, then store there. It loses items.

    >>> log: UnsafeAppendLog[str] = UnsafeAppendLog()
    >>> log.append("a"); log.append("b")
    >>> log.items
    ['a', 'b']
    """

    def __init__(self, pause: Callable[[], None] = _no_pause) -> None:
        self._pause = pause
        self.items: list[V] = []

    def append(self, item: V) -> None:
        """Add ``item`` at the end. Not thread-safe: the end may move between read and store."""
        end = len(self.items)
        self._pause()  # the window: another thread may read the same end here
        self.items[end:] = [item]  # replaces whatever another thread stored at ``end``


class AppendLog(Generic[V]):
    """An append that is one ``list.append`` call: no thread can cut into it.

    >>> log: AppendLog[str] = AppendLog()
    >>> log.append("a"); log.append("b")
    >>> log.items
    ['a', 'b']
    """

    def __init__(self) -> None:
        self.items: list[V] = []

    def append(self, item: V) -> None:
        """Add ``item`` at the end. Safe under the GIL: the whole append is one C call."""
        self.items.append(item)  # break[python-append]


class UnsafeJobQueue(Generic[V]):
    """Hands out jobs by peek-then-pop: two calls that are each atomic, and a window between.

    >>> q = UnsafeJobQueue(["a", "b"])
    >>> q.take(), q.take()
    ('a', 'b')
    """

    def __init__(self, jobs: Iterable[V] = ()) -> None:
        self.jobs: deque[V] = deque(jobs)

    def add(self, job: V) -> None:
        """Queue ``job`` at the back (one ``deque.append``: atomic)."""
        self.jobs.append(job)

    def take(self) -> V:
        """Remove and return the front job. Not thread-safe. ``IndexError`` if there is none."""
        job = self.jobs[0]  # read the front...
        self.jobs.popleft()  # ...then drop it: another thread may have read the same front
        return job


class JobQueue(Generic[V]):
    """Hands out jobs with one ``deque.popleft``: every job goes to exactly one taker.

    >>> q = JobQueue(["a", "b"])
    >>> q.add("c")
    >>> [q.take() for _ in range(3)]
    ['a', 'b', 'c']
    """

    def __init__(self, jobs: Iterable[V] = ()) -> None:
        self.jobs: deque[V] = deque(jobs)

    def add(self, job: V) -> None:
        """Queue ``job`` at the back (one ``deque.append``: atomic)."""
        self.jobs.append(job)

    def take(self) -> V:
        """Remove and return the front job, atomically. ``IndexError`` if there is none."""
        return self.jobs.popleft()  # break[peek-then-pop]


class UnsafeRegistry(Generic[V]):
    """Get-or-create by check-then-act: two threads can both create, and one loses.

    >>> r = UnsafeRegistry(lambda key: [key])
    >>> r.get_or_create("db") is r.get_or_create("db")
    True
    """

    def __init__(self, factory: Callable[[str], V], pause: Callable[[], None] = _no_pause) -> None:
        self._factory = factory
        self._pause = pause
        self.items: dict[str, V] = {}

    def get_or_create(self, key: str) -> V:
        """Return the value for ``key``, creating it if absent. Not thread-safe."""
        if key not in self.items:  # check...
            value = self._factory(key)
            self._pause()  # the window: another thread may check here too
            self.items[key] = value  # ...then act: may overwrite another thread's value
            return value
        return self.items[key]


class SetdefaultRegistry(Generic[V]):
    """Get-or-create whose insert is one atomic call: every caller gets the same value.

    The factory may still run more than once under a race; the spare is dropped.

    >>> r = SetdefaultRegistry(lambda key: [key])
    >>> r.get_or_create("db") is r.get_or_create("db")
    True
    """

    def __init__(self, factory: Callable[[str], V], pause: Callable[[], None] = _no_pause) -> None:
        self._factory = factory
        self._pause = pause
        self.items: dict[str, V] = {}

    def get_or_create(self, key: str) -> V:
        """Return the value for ``key``, creating it if absent. Safe: the insert is atomic."""
        try:
            return self.items[key]  # fast path: no allocation when present
        except KeyError:
            pass
        value = self._factory(key)
        self._pause()
        return self.items.setdefault(key, value)  # break[plain-assign]


class LockedRegistry(Generic[V]):
    """Get-or-create with the whole check-and-act under a lock: the factory runs once per key.

    >>> r = LockedRegistry(lambda key: [key])
    >>> r.get_or_create("db")
    ['db']
    """

    def __init__(
        self,
        factory: Callable[[str], V],
        pause: Callable[[], None] = _no_pause,
        lock: threading.Lock | WatchedLock | None = None,
    ) -> None:
        self._factory = factory
        self._pause = pause
        self._lock = lock if lock is not None else threading.Lock()
        self.items: dict[str, V] = {}

    def get_or_create(self, key: str) -> V:
        """Return the value for ``key``, creating it if absent, exactly once per key."""
        with self._lock:  # break[no-lock]
            if key not in self.items:
                value = self._factory(key)
                self._pause()
                self.items[key] = value
            return self.items[key]
