"""Readers-writer locks on ``Condition``: readers share, a writer is alone, and who waits for whom.

Why interviewers ask this:
    "Many threads read a cache, a few update it: which lock?" ``threading`` has
    no readers-writer lock, so candidates build one on ``Condition``; follow-ups
    probe starvation on each side, lost wake-ups, the upgrade deadlock, and
    whether it pays at all.

Common pitfalls:
    - Reader preference: a reader enters whenever no writer is *inside*, so
      overlapping readers keep a waiting writer out for as long as they come.
    - Writer preference moves the risk: a writer that queues after a waiting
      reader still goes first, so back-to-back writers keep readers out.
    - ``notify()`` for ``notify_all()``: readers and writers wait on one
      ``Condition``, and the one thread woken may be a reader that must wait on
      while the writer that could go sleeps: a lost wake-up. CPython wakes the
      oldest waiter, which hides it until a re-wait reorders the queue; the tests
      wake the newest first, which ``Condition`` allows just as well.
    - A waiter that gives up (timeout, or an exception such as Ctrl-C inside the
      wait) must wake the waiters it held back: a waiting writer holds new
      readers out. Only a ``finally`` covers the exception.
    - Upgrading: a reader asking for write waits for all readers to leave, itself
      included, so it never gets in; so does a writer asking for read here, and
      in Go's ``sync.RWMutex``. Java's ``ReentrantReadWriteLock`` allows only the
      downgrade: take the read lock while holding write, then release write.
    - Recursive reads under writer preference: the second read queues behind a
      writer that waits for the first, so Go prohibits recursive read locking;
      Java, like the locks here, admits a thread that already reads.
    - Ownership is a design choice: here, as in ``RLock`` and Java, releasing a
      hold this thread lacks raises and changes nothing; ``threading.Lock`` and
      Go's ``RWMutex`` let any thread release, so a stray release frees a hold.

Key takeaways:
    - One ``Condition`` over the counts; each side waits with ``wait_for``;
      every release that may admit someone calls ``notify_all``, and so does
      every waiter that gives up, from a ``finally``.
    - Name the policy. Writer preference (a new reader waits while a writer
      waits) is the entry rule of Go's ``RWMutex``, but alone it can starve
      readers. :class:`FairRWLock` serves waiters in arrival order and lets
      readers that queued together in together, as Java's fair mode does. Go
      bounds both sides its own way: ``Unlock`` releases every reader that
      blocked during the write before the next writer may start. Java's default
      non-fair mode promises no order.
    - A plain ``Lock`` (``RLock`` if a thread re-enters) is often better: a read
      section here runs at least nine Python calls around an internal ``Lock``
      (a test counts them; ``with lock:`` on a ``Lock`` runs none), and under
      the GIL readers overlap only while blocked or in C code that releases it.
      Copy-on-write (swap in an immutable snapshot) drops the reader lock.

What to look for in an answer:
    One ``Condition``, a named policy and its starvation risk, ``notify_all``
    and a ``finally`` for waiters that give up, no upgrades, and asking whether
    an RW lock pays off at all. Follow-ups:
    - How can a reader become a writer? (Release read, take write, re-check;
      or allow one "upgradable" reader at a time, as Rust's ``parking_lot``.)
    - Why ``notify_all``, not ``notify``? (Two kinds of waiter share one
      condition and ``notify`` may wake one that cannot go. Wake all, or keep a
      condition per side and wake the side the policy picks: every reader, or
      one writer.)
    - Build a lock fair to both sides. (Queue waiters in arrival order: a
      writer enters at the head when the lock is free, a reader when no writer
      is inside or queued ahead of it. Or Go's batches: a writer's release
      admits every reader that blocked during it before the next writer.)
    - Why do RW locks scale badly even in Go, Java or C? (Every read acquire
      writes the shared reader count, so its cache line bounces between cores:
      golang/go#17973. Remedies: per-core or sharded counts, Java's
      ``StampedLock`` optimistic reads (read, then validate a version stamp),
      seqlocks, RCU, or copy-on-write snapshots readers never lock.)
    - When would one pay off in Python? (On the free-threaded build (3.13t),
      where readers run Python code in parallel: see concurrency.free_threading.)
    - Can a writer downgrade? (Not here; in Java, yes, as above. Java's
      non-fair mode also blocks a new reader while the head of its queue is a
      waiting writer: a heuristic against writer starvation, not a guarantee.)
    - How do you test starvation without sleeps? (Force the overlap with
      events; expose the counts and wait on them with a deadline; script the
      wake-up order and the timeouts with a fake ``Condition``.)

Complexity:
    The preferring locks decide in O(1); the fair lock's checks, and the
    overtake count of each grant, scan the w waiters queued ahead: O(w). A
    release that may admit someone wakes all waiters, and each re-checks.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

__all__ = ["FairRWLock", "RWState", "ReaderPreferringRWLock", "WriterPreferringRWLock", "relay"]


@dataclass(frozen=True)
class RWState:
    """A snapshot of a lock's bookkeeping, taken under its internal lock."""

    readers: int  # read holds now (a thread that reads twice counts twice)
    writers: int  # threads holding write now: 0 or 1
    waiting_readers: int
    waiting_writers: int
    overtakes: int  # grants that passed a conflicting waiter queued earlier


def _deadline(timeout: float | None) -> float | None:
    """``timeout`` for ``wait_for``; past ``TIMEOUT_MAX`` (inf) it would raise OverflowError,
    so it means no deadline. ValueError unless None or >= 0."""
    if timeout is None or timeout > threading.TIMEOUT_MAX:  # break[inf-overflows]
        return None
    if not timeout >= 0:  # also NaN
        raise ValueError(f"timeout must be >= 0 or None, got {timeout}")
    return timeout


class _RWLock:
    """The shared bookkeeping; a subclass decides when a new reader (and a writer) may enter.

    A thread that already reads may read again: queued behind a waiting writer,
    its second read would wait for the writer, which waits for its first.
    """

    def __init__(self) -> None:
        mutex = threading.Lock()
        self._turn = threading.Condition(mutex)  # threads waiting to acquire
        self._watch = threading.Condition(mutex)  # observers of the state (tests, demos)
        self._reads: dict[threading.Thread, int] = {}  # thread -> read holds
        self._writers: set[threading.Thread] = set()
        self._queue: dict[threading.Thread, bool] = {}  # waiter -> wants write, oldest first
        self._waiting, self._overtakes = [0, 0], 0  # [readers, writers] blocked in acquire

    def _reader_may_enter(self, me: threading.Thread) -> bool:
        raise NotImplementedError

    def _may_read(self, me: threading.Thread) -> bool:
        return me in self._reads or self._reader_may_enter(me)  # break[no-reentrant-read]

    def _writer_may_enter(self, me: threading.Thread) -> bool:
        return not self._writers and not self._reads  # break[writers-overlap]

    def _conflict_ahead(self, me: threading.Thread, write: bool) -> bool:
        """Does a waiter that queued before ``me`` and conflicts with it still wait?"""
        for other, other_writes in self._queue.items():
            if other is me:
                break
            if write or other_writes:
                return True
        return False

    def _acquire(self, write: bool, timeout: float | None) -> bool:
        timeout = _deadline(timeout)
        me = threading.current_thread()
        may_enter = self._writer_may_enter if write else self._may_read
        with self._turn:
            self._queue[me] = write  # a thread waits in one acquire at a time
            self._waiting[write] += 1
            self._watch.notify_all()
            granted = False
            try:
                granted = self._turn.wait_for(lambda: may_enter(me), timeout)
                if granted:
                    self._overtakes += self._conflict_ahead(me, write)
                    if write:
                        self._writers.add(me)
                    else:
                        self._reads[me] = self._reads.get(me, 0) + 1
            finally:
                del self._queue[me]
                self._waiting[write] -= 1
                if not granted:  # break[give-up-wakes-nobody]
                    self._turn.notify_all()  # break[give-up-wakes-one]
                self._watch.notify_all()
            return granted

    def acquire_read(self, timeout: float | None = None) -> bool:
        """Take a read hold; False once ``timeout`` passes (None, inf: wait; < 0: ValueError)."""
        return self._acquire(False, timeout)

    def acquire_write(self, timeout: float | None = None) -> bool:
        """Take the write hold; False once ``timeout`` passes (None, inf: wait; < 0: ValueError)."""
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
                # Readers may wait here too (behind a writer): notify() could wake one of them.
                self._turn.notify_all()  # break[last-reader-wakes-one]
            self._watch.notify_all()

    def release_write(self) -> None:
        """Drop this thread's write hold; RuntimeError if it does not hold it."""
        me = threading.current_thread()
        with self._turn:
            if me not in self._writers:
                raise RuntimeError(f"release_write: {me.name} does not hold the write lock")
            self._writers.remove(me)
            self._turn.notify_all()  # break[writer-release-wakes-one]
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
            return self._watch.wait_for(lambda: predicate(self._state()), _deadline(timeout))

    def _check(self) -> None:  # the invariants: a writer is alone; the counts agree
        with self._turn:
            assert len(self._writers) <= 1
            assert not (self._writers and self._reads)
            assert all(n > 0 for n in self._reads.values())
            writers = sum(self._queue.values())
            assert self._waiting == [len(self._queue) - writers, writers]


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
    """The writers' cure: a new reader also waits while a writer waits, so that writer goes next.

    A writer cannot take read (no downgrade): it would wait for itself.

    >>> lock = WriterPreferringRWLock()
    >>> with lock.write():
    ...     lock.acquire_read(timeout=0)
    False
    """

    def _reader_may_enter(self, me: threading.Thread) -> bool:
        return not self._writers and not self._waiting[True]  # break[no-writer-preference]


class FairRWLock(_RWLock):
    """Arrival order: a reader waits for the writers queued before it, a writer for everyone.

    Readers queued together go in together; no waiter is passed by a later one
    that conflicts with it, so neither side starves. ``timeout=0`` honours the
    queue too (Java's untimed ``tryLock()`` barges even in fair mode).

    >>> lock = FairRWLock()
    >>> with lock.read(), lock.read():
    ...     lock.state().readers, lock.acquire_write(timeout=0)
    (2, False)
    """

    def _reader_may_enter(self, me: threading.Thread) -> bool:
        ahead = self._conflict_ahead(me, False)  # a writer queued before this reader
        return not self._writers and not ahead  # break[fair-reader-barges]

    def _writer_may_enter(self, me: threading.Thread) -> bool:
        free = super()._writer_may_enter(me)
        return free and not self._conflict_ahead(me, True)  # break[fair-writer-barges]


def relay(
    lock: _RWLock, passers: Literal["read", "write"] = "read", n: int = 5, timeout: float = 5.0
) -> tuple[str, ...]:
    """``n`` threads of one kind hand the lock on while one thread of the other kind waits.

    ``"read"``: readers ``R0, R1, ...`` overlap (each enters before the last
    leaves) while writer ``W`` waits; ``"write"``: writers ``W0, W1, ...`` queue
    back to back while reader ``R`` waits. Returns who got in, in order. Forced,
    not timed: the waiter starts once ``*0`` is in; each next passer once the
    waiter is seen queued; the previous one leaves once the next is seen inside
    or queued. ``timeout`` bounds every acquire and wait, and only a broken lock
    reaches it: who never got in is missing, a stage that never comes raises
    TimeoutError.
    """
    if passers not in ("read", "write"):
        raise ValueError(f"passers must be 'read' or 'write', got {passers!r}")
    if n < 1:
        raise ValueError(f"a relay needs at least 1 passer, got {n}")
    write = passers == "write"
    mine, theirs = ("W", "R") if write else ("R", "W")
    order: list[str] = []
    leave = [threading.Event() for _ in range(n)]

    def visit(name: str, writes: bool, leave: threading.Event | None) -> None:
        if not (lock.acquire_write if writes else lock.acquire_read)(timeout):
            return
        try:
            order.append(name)
            if leave is not None:
                leave.wait(timeout)
        finally:
            lock.release_write() if writes else lock.release_read()

    def held(s: RWState, writers: bool = write) -> tuple[int, int]:  # (inside, queued) of a kind
        return (s.writers, s.waiting_writers) if writers else (s.readers, s.waiting_readers)

    def settle(predicate: Callable[[RWState], bool], what: str) -> None:
        if not lock.wait_until(predicate, timeout):
            raise TimeoutError(f"relay: {what} (state {lock.state()})")

    # Daemons: a thread a broken lock strands must not keep the process alive.
    threads = [
        threading.Thread(target=visit, args=(f"{mine}{i}", write, leave[i]), daemon=True)
        for i in range(n)
    ]
    threads.insert(1, threading.Thread(target=visit, args=(theirs, not write, None), daemon=True))
    try:
        threads[0].start()
        settle(lambda s: held(s)[0] == 1, f"{mine}0 never got in")
        threads[1].start()
        settle(lambda s: held(s, not write)[1] == 1, f"{theirs} never queued")
        for i in range(1, n):
            threads[i + 1].start()
            settle(lambda s: held(s)[0] == 2 or held(s)[1] == 1, f"{mine}{i} did not arrive")
            leave[i - 1].set()
            settle(lambda s: held(s) == (1, 0), f"{mine}{i} never got in")
    finally:
        for event in leave:
            event.set()
        for t in threads:
            if t.ident is not None:  # started
                t.join(timeout)
    return tuple(order)
