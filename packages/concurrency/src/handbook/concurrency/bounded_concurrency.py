"""Bounded concurrency: a semaphore caps in-flight work at N, for threads and for asyncio.

Why interviewers ask this:
    "Fetch 10,000 URLs, but never more than 20 at a time", "the database allows
    50 connections and we run 200 workers": every backend must limit how much
    work is in flight, or it exhausts sockets, memory, or a downstream service
    and turns a slow dependency into an outage. The semaphore is the textbook
    tool; interviewers want to see it placed correctly, released on every path,
    and, for bonus points, *measured*: a limit nobody observes is a guess.

Common pitfalls:
    - Starting one task or thread per item with no bound ("``gather`` of 10,000
      requests"): the bound you get is whatever breaks first.
    - Acquiring without ``with``/``async with``: an exception skips the
      ``release`` and the limit shrinks by one permit forever.
    - Using a plain ``Semaphore`` where ``BoundedSemaphore`` would catch an extra
      ``release()`` (a bug that silently *raises* the limit).
    - Sharing one ``asyncio.Semaphore`` across event loops or threads: it is not
      thread-safe; use ``threading.Semaphore`` for threads.
    - Testing the bound with sleeps and hoping the workers overlap. Hold them
      inside instead, and release them only when every worker is either inside
      or provably waiting for a permit: then the peak is exactly N.

Key takeaways:
    - ``with sem:`` around the limited section; N permits mean at most N callers
      inside at once. The pool size (``ThreadPoolExecutor(max_workers=N)``) is
      also a bound, but only when the pool is not shared.
    - Count it: a gauge of in-flight work (current and peak) and of callers
      queued for a permit is cheap, and is exactly the metric you want in
      production dashboards.
    - A non-blocking ``acquire(blocking=False)`` tells you whether a caller is
      about to wait: that is how the gauge knows the queue depth, and how a
      load-shedding server rejects work instead of queueing it.
    - Go: a buffered channel of size N as a semaphore, or
      ``golang.org/x/sync/semaphore``; ``errgroup.SetLimit``. Java:
      ``java.util.concurrent.Semaphore``.

What to look for in an answer:
    A strong answer bounds the in-flight work with a semaphore (or a fixed pool
    or N worker tasks reading a queue), releases it on every path, knows the
    difference between bounding concurrency and bounding rate, and can prove
    the bound with a measured peak. Follow-ups:
    - How is limiting concurrency different from rate limiting? (A semaphore caps
      how many are in flight; a token bucket caps how many start per second.)
    - What should happen when the queue of waiters grows without bound? (Shed
      load: reject when ``acquire(blocking=False)`` fails, or time out.)
    - Why might N worker tasks reading a queue beat one task per item plus a
      semaphore? (Fewer objects alive at once: the semaphore version still
      creates every task up front.)

Complexity:
    Acquire and release are O(1); the gauge adds O(1) under one lock. With ``k``
    items and limit ``N``, at most ``N`` run at once and ``k - N`` wait.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from typing import TypeVar

__all__ = ["Gauge", "gather_bounded", "map_bounded"]

T = TypeVar("T")
R = TypeVar("R")


class Gauge:
    """Thread-safe counters for a bounded section: in flight now and at peak, and queued.

    ``queued`` counts callers that found no free permit and are waiting for one.

    >>> g = Gauge()
    >>> with g.inside():
    ...     with g.inside():
    ...         g.in_flight
    2
    >>> g.in_flight, g.peak
    (0, 2)
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.in_flight = 0
        self.peak = 0
        self.queued = 0
        self.peak_queued = 0

    @contextmanager
    def inside(self) -> Iterator[None]:
        """Count the caller as in flight for the duration of the ``with`` block."""
        with self._cond:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self._cond.notify_all()
        try:
            yield
        finally:
            with self._cond:
                self.in_flight -= 1
                self._cond.notify_all()

    @contextmanager
    def queueing(self) -> Iterator[None]:
        """Count the caller as waiting for a permit for the duration of the block."""
        with self._cond:
            self.queued += 1
            self.peak_queued = max(self.peak_queued, self.queued)
            self._cond.notify_all()
        try:
            yield
        finally:
            with self._cond:
                self.queued -= 1
                self._cond.notify_all()

    def wait_until(self, predicate: Callable[[Gauge], bool], timeout: float) -> bool:
        """Block until ``predicate(self)`` holds (re-checked on every change); False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self), timeout)


@contextmanager
def _permit(sem: threading.Semaphore, gauge: Gauge) -> Iterator[None]:
    """Hold one permit of ``sem``; count the caller as queued while it has to wait."""
    if not sem.acquire(blocking=False):
        with gauge.queueing():
            sem.acquire()
    try:
        yield
    finally:
        sem.release()


@asynccontextmanager
async def _async_permit(sem: asyncio.Semaphore, gauge: Gauge) -> AsyncIterator[None]:
    """The asyncio twin of :func:`_permit`."""
    if sem.locked():
        with gauge.queueing():
            await sem.acquire()
    else:
        await sem.acquire()
    try:
        yield
    finally:
        sem.release()


def _check_limit(limit: int) -> None:
    if limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")


def map_bounded(
    fn: Callable[[T], R],
    items: Iterable[T],
    limit: int,
    *,
    workers: int | None = None,
    gauge: Gauge | None = None,
) -> list[R]:
    """``[fn(x) for x in items]`` on a thread pool, with at most ``limit`` calls in flight.

    The pool may be larger than ``limit`` (``workers``, default one thread per
    item, at most 32): the semaphore, not the pool, is the bound.

    >>> map_bounded(lambda x: x * x, [1, 2, 3], limit=2)
    [1, 4, 9]
    """
    _check_limit(limit)
    todo = list(items)
    if workers is None:
        workers = max(1, min(32, len(todo)))
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    gauge = gauge if gauge is not None else Gauge()
    sem = threading.BoundedSemaphore(limit)

    def call(item: T) -> R:
        with _permit(sem, gauge):  # break[no-semaphore]  # noqa: SIM117
            with gauge.inside():
                return fn(item)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(call, todo))


async def gather_bounded(
    calls: Sequence[Callable[[], Awaitable[R]]],
    limit: int,
    *,
    gauge: Gauge | None = None,
) -> list[R]:
    """Await every call concurrently, at most ``limit`` at a time; results in call order.

    >>> async def one() -> int:
    ...     return 1
    >>> asyncio.run(gather_bounded([one, one, one], limit=2))
    [1, 1, 1]
    """
    _check_limit(limit)
    gauge = gauge if gauge is not None else Gauge()
    sem = asyncio.Semaphore(limit)

    async def call_one(call: Callable[[], Awaitable[R]]) -> R:
        async with _async_permit(sem, gauge):  # break[no-async-semaphore]
            with gauge.inside():
                return await call()

    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(call_one(call)) for call in calls]
    return [task.result() for task in tasks]
