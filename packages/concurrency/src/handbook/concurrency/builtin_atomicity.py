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
    - Atomic under the GIL (CPython, builtin types, builtin keys): ``L.append``,
      ``L.pop``, ``L.extend`` of a list, ``D[k] = v``, ``D.get``,
      ``D.setdefault``, ``D.pop``, ``deque.append``/``popleft``, ``next`` on an
      ``itertools.count``, ``list(D)`` as a snapshot.
    - Not atomic: anything that is more than one such call, ``+=`` on a shared
      name or item, check-then-act, iteration while others mutate.
    - The difference is visible under a forced switch: an append written in
      Python, paused between reading the end and writing there, loses one item
      per round; ``list.append`` forced the same way loses none, because there
      is no point inside the call where another thread's code can run.
    - Fix check-then-act with one atomic call (``setdefault``) when creating a
      spare object is harmless, otherwise with a lock around the whole
      check-and-act.
    - Free-threaded CPython (3.13t) has no GIL but guards each builtin object
      with its own lock, so ``append`` and ``setdefault`` stay atomic. That is an
      implementation detail, not a language guarantee: the documented tools are
      locks, queues and ``concurrent.futures``.
    - Java: ``ConcurrentHashMap.putIfAbsent``/``computeIfAbsent`` is the same
      fix. Go: maps are not safe for concurrent writes at all (the runtime
      aborts the program); use ``sync.Mutex`` or ``sync.Map.LoadOrStore``.

What to look for in an answer:
    A strong answer separates "one C-level call on a builtin" from "a sequence
    of calls", names check-then-act and read-modify-write as the two racy
    shapes, fixes them with an atomic primitive or a lock held across the whole
    sequence, and calls the per-operation atomicity a CPython detail rather than
    a guarantee. Follow-ups:
    - Why can ``d[k] = v`` stop being atomic? (A key whose ``__eq__`` or
      ``__hash__`` is Python code runs bytecode mid-operation.)
    - ``setdefault`` versus a lock for a connection cache: which and why? (Lock:
      creating a spare connection is a side effect, not just wasted memory.)
    - What does free threading change for this code? (Nothing for the racy
      shapes: they were already broken; they just fail more often.)

Complexity:
    Every registry and log below is O(1) per call. Under the forced interleaving
    the unsafe registry creates 2 objects and keeps 1; ``setdefault`` creates 2
    and hands the same one to both callers; the lock creates 1. Two threads
    appending ``n`` items each keep ``n`` in the Python-level log, ``2n`` in
    the ``list.append`` one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from handbook.concurrency.race_conditions import WatchedLock

__all__ = ["AppendLog", "LockedRegistry", "SetdefaultRegistry", "UnsafeAppendLog", "UnsafeRegistry"]

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

    def __init__(self, pause: Callable[[], None] = _no_pause) -> None:
        self._pause = pause
        self.items: list[V] = []

    def append(self, item: V) -> None:
        """Add ``item`` at the end. Safe under the GIL: the whole append is one C call."""
        self._pause()  # a forced switch can land before the call, never inside it
        self.items.append(item)  # break[python-append]


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
