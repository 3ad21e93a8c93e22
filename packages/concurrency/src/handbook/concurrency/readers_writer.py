"""Readers-writer locks on ``Condition``: readers share, a writer is alone, and who waits for whom.

Why interviewers ask this:
    "Many threads read a cache, a few update it: which lock?" ``threading`` has
    no readers-writer lock, so candidates build one on ``Condition``; follow-ups
    probe writer starvation, the upgrade deadlock, and whether it pays at all.

Common pitfalls:
    - Reader preference: a reader enters whenever no writer is *inside*, so
      overlapping readers keep a waiting writer out for as long as they come.
    - Upgrading: a reader asking for write waits for all readers to leave, itself
      included, so it never gets in. Java's ``ReentrantReadWriteLock`` deadlocks
      alike (it allows only write -> read); Go's ``sync.RWMutex`` allows neither.
    - Recursive reads under writer preference: the second read queues behind a
      writer that waits for the first, so Go prohibits recursive read locking;
      Java, like :class:`WriterPreferringRWLock`, admits a thread that reads.
    - Writer preference moves the risk: back-to-back writers can keep readers
      out. A fair lock (Java's fair mode: arrival order) bounds both sides.
    - Releasing a hold the thread lacks must raise and change nothing.

Key takeaways:
    - One ``Condition`` over the counts; each side waits with ``wait_for``.
    - Writer preference: a new reader also waits while a writer *waits*, as in
      Go's ``RWMutex`` ("a blocked Lock call excludes new readers"; ``Unlock``
      then admits the readers that queued before the next writer) and Java's
      fair mode. Java's default non-fair mode promises no order at all.
    - A plain ``Lock`` (``RLock`` if a thread re-enters) is often better, for
      short sections or when reads do not dominate: an RW lock does more per
      acquire (here: Python code around a ``Lock``), and under the GIL readers
      overlap only while blocked or in C code that releases it. Copy-on-write
      (swap in an immutable snapshot) removes the reader lock altogether.

What to look for in an answer:
    One ``Condition``, a named preference policy and its starvation risk, no
    upgrades, and asking whether an RW lock pays off at all. Follow-ups:
    - How can a reader become a writer? (Release read, take write, re-check;
      or allow one "upgradable" reader at a time, as Rust's ``parking_lot``.)
    - How do you test starvation without sleeps? (Force the overlap with
      events; expose a waiting-writers count and wait on it with a deadline.)
    - Why can an RW lock be slower than a mutex? (More work per acquire, and
      short sections rarely overlap anyway.)

Complexity:
    O(1) bookkeeping per call; a release that may admit someone wakes all waiters.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = ["RWState", "ReaderPreferringRWLock", "WriterPreferringRWLock", "reader_relay"]


@dataclass(frozen=True)
class RWState:
    """A snapshot of a lock's bookkeeping, taken under its internal lock."""

    readers: int  # read holds now (a thread that reads twice counts twice)
    writers: int  # threads holding write now: 0 or 1
    waiting_readers: int
    waiting_writers: int
    overtakes: int  # reads granted while a writer was waiting


class _RWLock:
    """The shared bookkeeping; a subclass decides when a reader may enter."""

    def __init__(self) -> None:
        mutex = threading.Lock()
        self._turn = threading.Condition(mutex)  # threads waiting to acquire
        self._watch = threading.Condition(mutex)  # observers of the state (tests, demos)
        self._reads: dict[threading.Thread, int] = {}  # thread -> read holds
        self._writers: set[threading.Thread] = set()
        self._waiting, self._overtakes = [0, 0], 0  # [readers, writers] blocked in acquire

    def _reader_may_enter(self, me: threading.Thread) -> bool:
        raise NotImplementedError

    def _writer_may_enter(self) -> bool:
        return not self._writers and not self._reads  # break[writers-overlap]

    def _acquire(self, write: bool, timeout: float | None) -> bool:
        if timeout is not None and not timeout >= 0:
            raise ValueError(f"timeout must be >= 0 or None, got {timeout}")
        me = threading.current_thread()
        with self._turn:
            self._waiting[write] += 1
            self._watch.notify_all()
            ready = self._writer_may_enter if write else lambda: self._reader_may_enter(me)
            try:
                granted = self._turn.wait_for(ready, timeout)
            finally:
                self._waiting[write] -= 1
                self._watch.notify_all()
            if granted and write:
                self._writers.add(me)
            elif granted:
                self._overtakes += self._waiting[True] > 0
                self._reads[me] = self._reads.get(me, 0) + 1
            elif write:
                self._turn.notify_all()  # readers held back by this waiting writer may go
            return granted

    def acquire_read(self, timeout: float | None = None) -> bool:
        """Take a read hold; False if ``timeout`` seconds pass first (``None``: wait)."""
        return self._acquire(False, timeout)

    def acquire_write(self, timeout: float | None = None) -> bool:
        """Take the write hold; False if ``timeout`` seconds pass first (``None``: wait)."""
        return self._acquire(True, timeout)

    def release_read(self) -> None:
        """Drop one read hold of this thread; RuntimeError if it holds none."""
        me = threading.current_thread()
        with self._turn:
            held = self._reads.get(me, 0)
            if not held:
                raise RuntimeError(f"release_read: {me.name} holds no read lock")
            self._reads[me] = held - 1
            if held == 1:
                del self._reads[me]
                self._turn.notify_all()  # only writers wait for readers; one may be next
            self._watch.notify_all()

    def release_write(self) -> None:
        """Drop this thread's write hold; RuntimeError if it does not hold it."""
        me = threading.current_thread()
        with self._turn:
            if me not in self._writers:
                raise RuntimeError(f"release_write: {me.name} does not hold the write lock")
            self._writers.remove(me)
            self._turn.notify_all()
            self._watch.notify_all()

    @contextlib.contextmanager
    def _held(self, write: bool) -> Iterator[None]:
        self._acquire(write, None)
        try:
            yield
        finally:
            self.release_write() if write else self.release_read()

    def read(self) -> contextlib.AbstractContextManager[None]:
        """``with lock.read():`` hold read for the block."""
        return self._held(False)

    def write(self) -> contextlib.AbstractContextManager[None]:
        """``with lock.write():`` hold write for the block."""
        return self._held(True)

    def _state(self) -> RWState:
        (waiting_readers, waiting_writers), reads = self._waiting, sum(self._reads.values())
        return RWState(reads, len(self._writers), waiting_readers, waiting_writers, self._overtakes)

    def state(self) -> RWState:
        """The bookkeeping now."""
        with self._turn:
            return self._state()

    def wait_until(self, predicate: Callable[[RWState], bool], timeout: float) -> bool:
        """Block until ``predicate(state)`` holds (True) or ``timeout`` passes (False)."""
        with self._watch:
            return self._watch.wait_for(lambda: predicate(self._state()), timeout)

    def _check(self) -> None:  # the invariants: a writer is alone; no count is negative
        with self._turn:
            assert len(self._writers) <= 1
            assert not (self._writers and self._reads)
            assert all(n > 0 for n in self._reads.values())
            assert min(self._waiting) >= 0


class ReaderPreferringRWLock(_RWLock):
    """The pitfall: a reader enters unless a writer is *inside*; waiting writers can starve.

    >>> lock = ReaderPreferringRWLock()
    >>> with lock.read(), lock.read():
    ...     lock.state().readers
    2
    """

    def _reader_may_enter(self, me: threading.Thread) -> bool:
        return not self._writers


class WriterPreferringRWLock(_RWLock):
    """The cure: a new reader also waits while a writer waits, so that writer goes next.

    A thread that already reads may read again (else it waits for a writer that waits for it).

    >>> lock = WriterPreferringRWLock()
    >>> with lock.write():
    ...     lock.acquire_read(timeout=0)
    False
    """

    def _reader_may_enter(self, me: threading.Thread) -> bool:
        if me in self._reads:  # break[no-reentrant-read]
            return True
        return not self._writers and not self._waiting[True]  # break[no-writer-preference]


def reader_relay(lock: _RWLock, readers: int = 5, timeout: float = 5.0) -> tuple[str, ...]:
    """Readers ``R0, R1, ...`` overlap (each enters before the last leaves) while ``W`` waits.

    Returns who got in, in order. Forced, not timed: ``W`` starts once ``R0`` is
    in; each next reader starts once ``W`` is seen waiting, and the previous
    reader leaves only once the next is seen inside or waiting. ``timeout``
    only bounds a broken lock.
    """
    if readers < 1:
        raise ValueError(f"a relay needs at least 1 reader, got {readers}")
    order: list[str] = []
    leave = [threading.Event() for _ in range(readers)]

    def reader(i: int) -> None:
        with lock.read():
            order.append(f"R{i}")
            leave[i].wait(timeout)

    def writer() -> None:
        with lock.write():
            order.append("W")

    def settle(predicate: Callable[[RWState], bool], what: str) -> None:
        if not lock.wait_until(predicate, timeout):
            raise TimeoutError(f"reader_relay: {what} (state {lock.state()})")

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(readers)]
    threads.insert(1, threading.Thread(target=writer))  # started second: R0, W, R1, R2, ...
    try:
        threads[0].start()
        settle(lambda s: s.readers == 1, "R0 never got in")
        threads[1].start()
        settle(lambda s: s.waiting_writers == 1, "W never queued")
        for i in range(1, readers):
            threads[i + 1].start()
            settle(lambda s: s.readers == 2 or s.waiting_readers == 1, f"R{i} did not arrive")
            leave[i - 1].set()
            settle(lambda s: (s.readers, s.waiting_readers) == (1, 0), f"R{i} never got in")
    finally:
        for event in leave:
            event.set()
        for t in threads:
            if t.ident is not None:  # started
                t.join(timeout)
    return tuple(order)
