"""The threading toolbox: RLock, Condition, Semaphore, Event and Barrier, each for its one job.

Why interviewers ask this:
    Picking the right primitive is most of concurrent design, and each one has a
    classic misuse that shows up in code review: a ``Lock`` re-acquired by its
    own holder (instant deadlock), a ``Condition`` waited with ``if`` instead of
    ``while`` (a stolen wakeup consumes from an empty buffer), a notification
    sent before anyone waits (lost forever). Interviewers ask you to name the
    primitive for a job and to say what goes wrong with the wrong one.

Common pitfalls:
    - Calling one locked method from another with a plain ``Lock``: the thread
      waits for itself forever. ``RLock`` counts re-entries by its owner.
    - ``if not ready: cond.wait()``. A woken waiter must re-check: another
      consumer may have taken the item between the notify and the moment the
      waiter gets the lock back, and spurious wakeups are allowed.
    - ``notify()`` before the waiter waits: a condition has no memory, the
      wakeup is lost. An ``Event`` remembers (it is level-triggered).
    - ``Semaphore.release()`` more often than ``acquire()`` silently raises the
      limit; ``BoundedSemaphore`` raises ``ValueError`` instead.
    - Waiting without a timeout on anything another thread might never do.

Key takeaways:
    - ``Lock``: mutual exclusion. ``RLock``: the same, re-entrant by its owner.
    - ``Condition``: "wait until a predicate holds", always in a ``while`` loop
      (or ``wait_for(predicate)``, which loops for you), under the lock that
      guards the state the predicate reads.
    - ``Semaphore(n)``: at most ``n`` at once (connection pools, rate limits).
    - ``Event``: a one-way flag many threads can wait on; ``set`` is remembered.
    - ``Barrier(n)``: ``n`` threads meet before any goes on; a timeout or
      ``abort`` breaks it for everyone with ``BrokenBarrierError``.
    - Go: ``sync.Mutex`` (not re-entrant, by design), ``sync.Cond`` (same
      ``for !ready { c.Wait() }`` rule), a buffered channel as a semaphore,
      ``close(ch)`` as an event, ``sync.WaitGroup`` close to a barrier. Java:
      ``ReentrantLock``, ``Condition.await`` in a loop, ``Semaphore``,
      ``CountDownLatch``, ``CyclicBarrier``.

What to look for in an answer:
    The candidate matches primitive to job without hesitation, explains why a
    condition wait sits in a loop (stolen and spurious wakeups), knows that
    ``RLock`` exists and why Go deliberately has no re-entrant mutex, and uses
    timeouts to turn "hangs forever" into an error. Follow-ups:
    - Build a bounded blocking queue from one lock and two conditions.
    - Why is ``notify_all`` safer than ``notify`` when waiters wait for different
      predicates on one condition?
    - How do you test that a semaphore really limits concurrency, without sleeps?

Complexity:
    Every acquire, release, notify, set and wait is O(1) apart from the waiters
    woken: ``notify_all`` and ``Event.set`` are O(waiters).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

__all__ = [
    "IfMailbox",
    "Inventory",
    "Limiter",
    "LockTimeout",
    "Mailbox",
    "peak_inside",
    "reacquire",
    "stolen_wakeup",
]

T = TypeVar("T")


class LockTimeout(TimeoutError):
    """A lock could not be acquired in time: a deadlock, or a holder that never lets go."""


def _nothing() -> None:
    """The default hook: do nothing, as in production code."""


def reacquire(lock: threading.Lock | threading.RLock, timeout: float) -> bool:
    """Acquire ``lock``, then try to acquire it again from the same thread.

    Returns whether the second acquire succeeded, and releases whatever it took.
    A ``Lock`` cannot succeed (its holder is waiting for itself), so the
    ``timeout`` decides nothing; it only stops the wait.

    >>> reacquire(threading.RLock(), timeout=0.01), reacquire(threading.Lock(), timeout=0.01)
    (True, False)
    """
    with lock:
        again = lock.acquire(timeout=timeout)
        if again:
            lock.release()
        return again


class Inventory:
    """Stock counts whose bulk method calls the single-item method: both take the lock.

    >>> inv = Inventory()
    >>> inv.add_many(["apple", "pear", "apple"])
    >>> inv.count("apple")
    2
    """

    def __init__(self, timeout: float = 5.0) -> None:
        self._lock = threading.RLock()  # break[plain-lock]
        self._timeout = timeout
        self._stock: dict[str, int] = {}

    @contextmanager
    def _locked(self) -> Iterator[None]:
        if not self._lock.acquire(timeout=self._timeout):
            raise LockTimeout(f"inventory lock not acquired in {self._timeout}s")
        try:
            yield
        finally:
            self._lock.release()

    def add(self, name: str, amount: int = 1) -> None:
        """Add ``amount`` of ``name``."""
        if amount < 1:
            raise ValueError(f"amount must be >= 1, got {amount}")
        with self._locked():
            self._stock[name] = self._stock.get(name, 0) + amount

    def add_many(self, names: list[str]) -> None:
        """Add one of each name, atomically: the lock is held across the whole batch."""
        with self._locked():
            for name in names:
                self.add(name)  # re-enters the lock this thread already holds

    def count(self, name: str) -> int:
        """How many of ``name`` are in stock."""
        with self._locked():
            return self._stock.get(name, 0)


class Mailbox(Generic[T]):
    """An unbounded FIFO whose ``get`` waits on a condition in a ``while`` loop.

    ``before_wait`` runs under the lock just before each ``wait``: a test hook
    that lets a scenario know the consumer is about to release the lock.

    >>> box: Mailbox[int] = Mailbox()
    >>> box.put(1)
    >>> box.get(timeout=1.0)
    1
    """

    def __init__(self, before_wait: Callable[[], None] = _nothing) -> None:
        self._items: deque[T] = deque()
        self._cond = threading.Condition()
        self._before_wait = before_wait

    def put(self, item: T) -> None:
        """Append ``item`` and wake every waiting consumer."""
        with self._cond:
            self._items.append(item)
            self._cond.notify_all()

    def get(self, timeout: float | None = None) -> T:
        """Remove and return the oldest item, waiting up to ``timeout`` seconds for one."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while not self._items:  # break[if-not-while]
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise TimeoutError("no item arrived in time")
                self._before_wait()
                self._cond.wait(remaining)
            return self._items.popleft()


class IfMailbox(Mailbox[T]):
    """The pitfall: ``get`` checks once with ``if`` and trusts that a wakeup means an item."""

    def get(self, timeout: float | None = None) -> T:
        """Wait once if empty, then pop, whether or not the item is still there."""
        with self._cond:
            if not self._items:
                self._before_wait()
                self._cond.wait(timeout)
            return self._items.popleft()  # IndexError if another consumer got there first


def stolen_wakeup(
    factory: Callable[[Callable[[], None]], Mailbox[str]], timeout: float = 5.0
) -> tuple[str, str]:
    """Force a stolen wakeup; return (what the stealer took, what the waiter finally got).

    1. Consumer C1 finds the mailbox empty and waits (``before_wait`` tells us).
    2. Holding the lock, the producer puts ``"first"`` (notifying C1) and a second
       consumer, C2, takes it before C1 can get the lock back.
    3. C1 wakes to an empty mailbox. With ``while`` it waits again; then the
       producer puts ``"second"`` and C1 gets that. With ``if`` C1 pops from an
       empty deque: its ``IndexError`` is re-raised here.
    """
    progress = threading.Semaphore(0)  # released each time C1 waits, and when it ends
    box = factory(progress.release)
    got: list[str] = []
    errors: list[BaseException] = []

    def consumer() -> None:
        try:
            got.append(box.get(timeout))
        except BaseException as exc:
            errors.append(exc)
        finally:
            progress.release()

    c1 = threading.Thread(target=consumer, name="C1")
    c1.start()
    try:
        if not progress.acquire(timeout=timeout):
            raise TimeoutError("C1 never waited")
        with box._cond:  # C1 is inside wait(), so it has released the lock
            box.put("first")
            stolen = box._items.popleft()  # C2 gets the lock first and takes the item
        if not progress.acquire(timeout=timeout):  # C1 is waiting again, or has ended
            raise TimeoutError("C1 neither waited again nor ended")
        if c1.is_alive():
            box.put("second")
    finally:
        c1.join(timeout)
    if errors:
        raise errors[0]
    return stolen, got[0]


class Limiter:
    """At most ``limit`` callers inside :meth:`slot` at once, with counters to prove it.

    ``peak`` is the most callers ever inside together, ``waiting`` the callers
    blocked at the door right now. :meth:`wait_until` lets a test wait for a state.

    >>> lim = Limiter(2)
    >>> with lim.slot():
    ...     lim.inside
    1
    >>> lim.peak
    1
    """

    def __init__(self, limit: int, timeout: float = 5.0) -> None:
        if limit < 1:
            raise ValueError(f"limit must be >= 1, got {limit}")
        self._sem = threading.BoundedSemaphore(limit)  # break[off-by-one]
        self._timeout = timeout
        self._changed = threading.Condition()
        self.inside = 0
        self.peak = 0
        self.waiting = 0

    def _update(self, inside: int = 0, waiting: int = 0) -> None:
        with self._changed:
            self.inside += inside
            self.waiting += waiting
            self.peak = max(self.peak, self.inside)
            self._changed.notify_all()

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the ``limit`` slots for the duration of the ``with`` block."""
        if not self._sem.acquire(blocking=False):
            self._update(waiting=+1)
            acquired = self._sem.acquire(timeout=self._timeout)
            self._update(waiting=-1)
            if not acquired:
                raise LockTimeout(f"no slot freed up in {self._timeout}s")
        self._update(inside=+1)
        try:
            yield
        finally:
            self._update(inside=-1)
            self._sem.release()

    def wait_until(self, predicate: Callable[[Limiter], bool], timeout: float) -> bool:
        """Wait until ``predicate(self)`` holds; False if it still does not after ``timeout``."""
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self), timeout)


def peak_inside(limit: int, callers: int, timeout: float = 5.0) -> tuple[int, int]:
    """Send ``callers`` threads at a ``Limiter(limit)``; return (peak inside, waiting then).

    Nobody leaves until every caller is either inside or blocked at the door, so
    the peak is exactly as high as the limiter lets it be: no sleeps, no luck.
    """
    limiter = Limiter(limit, timeout)
    hold = threading.Event()

    def caller() -> None:
        with limiter.slot():
            hold.wait(timeout)

    threads = [threading.Thread(target=caller) for _ in range(callers)]
    for t in threads:
        t.start()
    try:
        settled = limiter.wait_until(lambda lim: lim.inside + lim.waiting == callers, timeout)
        if not settled:
            raise TimeoutError("the callers never all arrived")
        snapshot = (limiter.peak, limiter.waiting)
    finally:
        hold.set()
        for t in threads:
            t.join(timeout)
    return snapshot
