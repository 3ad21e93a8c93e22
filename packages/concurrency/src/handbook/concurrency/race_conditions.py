"""Read, switch, write: how threads lose updates, and how a lock makes the count exact.

Why interviewers ask this:
    "Is ``counter += 1`` thread-safe?" separates people who have debugged a race
    from people who have read about one. The honest answer is "no, it is a
    read-modify-write", followed by how to prove it and how to fix it. Proving it
    is the hard part: since CPython 3.10 a bare ``self.value += 1`` across
    threads does not lose updates in practice. The interpreter hands the GIL
    over only where it checks its "eval breaker": on entry to a function, on a
    backward jump and after a call (``CHECK_EVAL_BREAKER`` in ``Python/ceval.c``;
    ``Python/bytecodes.c`` from 3.12), and the bytecodes between the load and
    the store of ``+=`` contain none of them. 3.9 checked before almost every
    instruction: four threads doing 300,000 increments each lost about half
    of the 1.2 million, while 3.10 to 3.13 lost none, even with
    ``sys.setswitchinterval(1e-6)`` (measured on a 2-core Linux machine).
    That is luck built into one implementation, not a guarantee, so a test
    that hopes for a lost update is a lie; this lesson *forces* the thread
    switch instead.

Common pitfalls:
    - Believing the GIL makes ``x += 1`` atomic. ``+=`` on an attribute is
      several bytecodes (load, add, store), and a switch between them loses
      work. The GIL does not even make one bytecode atomic: a single
      ``STORE_SUBSCR`` runs a key's Python ``__hash__`` (and ``__eq__`` on a
      collision), ``LOAD_ATTR`` can run a property, and any instruction that
      drops the last reference to an object runs its ``__del__``; other
      threads may run inside them. The GIL keeps the interpreter's own data
      consistent, not your logic.
    - "It passed a million iterations, so it's safe." It passed because this
      interpreter has no switch point inside that ``+=``. Python 3.9 had one,
      a free-threaded build needs none (threads run at once), and one more call
      between the read and the write (a log line, a property, a Python
      ``__add__``) brings one back. A busy machine alone does not: under the
      GIL the operating system can pause the thread anywhere, but no other
      thread runs Python until it reaches a switch point. Load only changes
      how often windows that already contain one are hit.
    - Locking the write but not the read: the lock must cover the whole
      read-modify-write, or two threads still read the same old value.
    - Testing races with ``time.sleep``: the result depends on the machine.

Key takeaways:
    - Two terms, often mixed up. A *race condition* is a bug whose outcome
      depends on how threads interleave: the lost update here, or
      check-then-act. A *data race* is two unsynchronised accesses to the same
      memory, at least one of them a write. They overlap without being the
      same: check-then-act on a dict is a race condition although every dict
      call is synchronised, and the lost update below happens although each
      single read and write of ``value`` runs under the GIL.
    - Make the interleaving explicit to test it: a pause point between the read
      and the write, and a scheduler that only lets a paused thread go on once
      every other thread has reached its own pause, is blocked on the lock, or
      has finished. The forced-switch tests prove the logic of a lost update on
      a read/pause/write split by hand; they do not show CPython switching
      inside a bare ``+=`` (on 3.10 to 3.13 it does not, see above).
    - ``threading.Lock`` around the whole read-modify-write makes it exact; so
      does confining the state to one thread (a queue to a single owner).
      ``next()`` on an ``itertools.count`` also hands out unique ids, but only
      as a CPython implementation detail: it is one C call that holds the GIL
      (the free-threaded build made it atomic in gh-117657); the documentation
      promises nothing, and CPython's own gh-124366 asks for a real atomic
      counter because Python has none.
    - Go: the same bug, found by ``go test -race``; the fix is ``sync.Mutex`` or
      ``atomic.AddInt64``. Java: ``synchronized`` or ``AtomicInteger``.

What to look for in an answer:
    A strong answer names the read-modify-write, explains that the GIL protects
    the interpreter's own data and not your statements (not even every single
    bytecode), keeps "race condition" and "data race" apart, fixes the bug with
    a lock held across the whole update, and knows how to *demonstrate* the
    race deterministically rather than by luck. Follow-ups:
    - Why does ``self.value += 1`` not lose updates on CPython 3.10 to 3.13,
      and why is that no guarantee? (A thread gives up the GIL only at an
      eval-breaker check: function entry, backward jumps, calls. Since 3.10
      there is none between ``LOAD_ATTR`` and ``STORE_ATTR``; 3.9 checked
      before almost every instruction and lost about half the updates. Add a
      call to the window, make ``value`` a property, or run free-threaded, and
      the race is back; the language promises nothing either way.)
    - How would you make a counter fast under heavy contention? (Per-thread
      counters summed on read; sharding; a single owner fed by a queue.)
    - What changes with ``asyncio``? (A task is switched out only where it
      suspends, so the bug needs an ``await`` between the read and the write,
      and an ``await`` that actually suspends: awaiting a coroutine that
      returns without waiting for anything runs straight through, and no
      other task gets in.)

Complexity:
    ``increment`` is O(1). Two threads doing ``n`` increments each through the
    forced scheduler lose exactly ``n`` updates without the lock, none with it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType

__all__ = ["Counter", "ForcedSwitch", "UnsafeCounter", "WatchedLock"]


def _no_pause() -> None:
    """The default pause point: do nothing, as in production code."""


class UnsafeCounter:
    """A counter whose ``increment`` is a bare read-modify-write: it loses updates.

    >>> c = UnsafeCounter()
    >>> c.increment(); c.increment()
    >>> c.value
    2
    """

    def __init__(self, pause: Callable[[], None] = _no_pause) -> None:
        self.value = 0
        self._pause = pause

    def increment(self) -> None:
        """Add one. Not thread-safe: another thread may run between read and write."""
        current = self.value
        self._pause()  # the window: another thread may read the same old value here
        self.value = current + 1


class Counter:
    """A counter whose read-modify-write is held under one lock: it is exact.

    >>> c = Counter()
    >>> for _ in range(3):
    ...     c.increment()
    >>> c.value
    3
    """

    def __init__(
        self,
        pause: Callable[[], None] = _no_pause,
        lock: threading.Lock | WatchedLock | None = None,
    ) -> None:
        self.value = 0
        self._pause = pause
        self._lock = lock if lock is not None else threading.Lock()

    def increment(self) -> None:
        """Add one. Thread-safe: the lock covers the read, the pause and the write."""
        with self._lock:  # break[no-lock]
            current = self.value
            self._pause()
            self.value = current + 1


class ForcedSwitch:
    """A deterministic scheduler for ``threads`` threads that share pause points.

    A thread that calls :meth:`pause` waits until every other thread is *stuck*:
    paused too, blocked on a :class:`WatchedLock`, or :meth:`done`. Then all the
    paused threads go on together. Without a lock, two threads therefore always
    both read before either writes; with a lock, the holder goes on as soon as
    the other thread is blocked on that lock. No sleeps, no luck. A generous
    ``timeout`` turns a scheduling bug into an error instead of a hang.
    """

    def __init__(self, threads: int, timeout: float = 10.0) -> None:
        if threads < 1:
            raise ValueError(f"threads must be >= 1, got {threads}")
        self._parties = threads
        self._timeout = timeout
        self._cond = threading.Condition()
        self._paused = 0
        self._blocked = 0  # threads blocked on a watched lock, or finished
        self._generation = 0

    def _everyone_stuck(self) -> bool:
        return self._paused + self._blocked >= self._parties

    @property
    def paused(self) -> int:
        """How many threads are waiting in :meth:`pause` right now."""
        with self._cond:
            return self._paused

    def wait_until_paused(self, count: int) -> None:
        """Block until ``count`` threads are waiting in :meth:`pause`.

        For a test that must act only once a thread is parked. Raises
        ``TimeoutError`` after ``timeout`` seconds.
        """
        with self._cond:
            if not self._cond.wait_for(lambda: self._paused >= count, timeout=self._timeout):
                raise TimeoutError(f"ForcedSwitch: {count} thread(s) never paused")

    def pause(self) -> None:
        """Wait here until every other thread is paused, blocked or done."""
        with self._cond:
            self._paused += 1
            generation = self._generation
            if self._everyone_stuck():
                self._release_paused()
                return
            self._cond.notify_all()  # for wait_until_paused
            released = self._cond.wait_for(
                lambda: self._generation != generation, timeout=self._timeout
            )
            if not released:
                raise TimeoutError("ForcedSwitch: the other threads never paused or blocked")

    def _release_paused(self) -> None:
        self._generation += 1
        self._paused = 0
        self._cond.notify_all()

    def _stuck(self, delta: int) -> None:
        with self._cond:
            self._blocked += delta
            if delta > 0 and self._paused and self._everyone_stuck():  # break[release-on-any-block]
                self._release_paused()

    def done(self) -> None:
        """Mark the calling thread finished: it will never pause again."""
        self._stuck(+1)


class WatchedLock:
    """A ``threading.Lock`` that tells a :class:`ForcedSwitch` when a thread blocks on it."""

    def __init__(self, switch: ForcedSwitch) -> None:
        self._lock = threading.Lock()
        self._switch = switch

    def __enter__(self) -> None:
        if self._lock.acquire(blocking=False):
            return
        self._switch._stuck(+1)
        try:
            self._lock.acquire()
        finally:
            self._switch._stuck(-1)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._lock.release()
