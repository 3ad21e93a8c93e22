"""Bulkhead: a concurrency limit per dependency, so one slow dependency cannot take every worker.

Why interviewers ask this:
    A service with one worker pool that calls two dependencies has a hidden
    coupling: when one dependency gets slow, requests to it hold their
    workers for the whole timeout, the pool fills up, and requests that
    only need the healthy dependency queue behind them. Interviewers ask
    how to contain that blast radius; the answer is a bulkhead (the ship
    compartment that keeps one breach from sinking the ship).

Common pitfalls:
    - One shared pool and no per-dependency limit (``Service(pool, None)``):
      with the slow dependency holding every worker, a call to the fast one
      is queued behind them and does not run.
    - Waiting for a permit instead of rejecting: a blocking ``acquire()``
      just moves the queue from the pool to the semaphore, and the caller's
      thread is stuck there. Try non-blocking (or with a short timeout) and
      shed the call at once.
    - Releasing the permit on the success path only: an exception leaks a
      permit, and after ``limit`` failures the bulkhead rejects everything.
      Release in ``finally``, in the worker, when the call really ends.
    - Forgetting the calls that never run: a permit is taken at submit
      time, so a call cancelled while it waits in the pool's queue, or a
      submit that raises (the pool is shut down), must give it back too.
      Otherwise each one leaks a permit just like an unreleased error.
    - Per-dependency limits that add up to more than the shared pool: with
      a pool of 4 and limits of 2 for each of three dependencies, two slow
      dependencies hold all 4 workers and the third is starved exactly as
      without bulkheads. A dependency is only guaranteed the workers that
      the other limits leave free: size the limits against the pool
      (their sum at most the pool size), or give each dependency its own
      pool.

Key takeaways:
    - ``Bulkhead(limit)`` is a ``BoundedSemaphore`` acquired with
      ``blocking=False``: at most ``limit`` calls to that dependency are in
      flight, the next one raises ``BulkheadFullError`` without calling it.
    - With the slow dependency's limit below the pool size, the remaining
      workers keep serving the fast dependency while the slow one is stuck;
      with limits summing to at most the pool size, that holds whichever
      dependencies are stuck at once.
    - The permit is held from ``submit`` until the call finishes, whether
      it returned or raised, or until it is cancelled before it started;
      a submit that fails gives it back at once. Capacity always comes back.
    - Pair it with timeouts (to bound how long a permit is held) and a
      circuit breaker (to stop calling a dependency that is down). Java:
      Resilience4j ``Bulkhead`` (semaphore) and ``ThreadPoolBulkhead``;
      Go: a buffered channel used as a semaphore, or
      ``golang.org/x/sync/semaphore`` with ``TryAcquire``.

What to look for in an answer:
    Per-dependency isolation (separate pools or per-dependency semaphores),
    sizing from Little's law, shedding load with a fast error, and metrics
    on rejections. Follow-ups:
    - How big should the limit be? (Little's law: concurrency = rate x
      latency; 200 req/s at 50 ms needs about 10, plus headroom.)
    - Semaphore or separate thread pool? (A semaphore, as here or in
      Resilience4j's ``Bulkhead``, is cheap and needs no extra threads,
      but the thread running a stuck call stays stuck with it. A pool per
      dependency, like ``ThreadPoolBulkhead``, caps that dependency by its
      pool size and lets the caller time out on the future, although the
      pool's thread stays stuck; it costs threads and a hand-off per call.)
    - What does the client see when it is shed? (A fast 503 or 429, ideally
      with ``Retry-After``, instead of a slow timeout.)
    - How is this different from rate limiting? (A rate limit bounds calls
      per second; a bulkhead bounds calls in flight at once.)

Complexity:
    O(1) per call; memory O(number of dependencies).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

__all__ = ["Bulkhead", "BulkheadFullError", "Service"]

T = TypeVar("T")


class BulkheadFullError(RuntimeError):
    """Raised at once when a dependency already has ``limit`` calls in flight."""


class Bulkhead:
    """At most ``limit`` concurrent calls; the next is rejected, not queued.

    >>> bulkhead = Bulkhead(limit=1)
    >>> bulkhead.try_acquire(), bulkhead.try_acquire()
    (True, False)
    >>> bulkhead.release(); bulkhead.try_acquire()
    True
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._sem = threading.BoundedSemaphore(limit)

    def try_acquire(self) -> bool:
        """Take a permit if one is free; never waits."""
        return self._sem.acquire(blocking=False)  # break[blocking-acquire]

    def release(self) -> None:
        """Give a permit back (``ValueError`` if more are released than taken)."""
        self._sem.release()


class Service:
    """A shared worker pool calling named dependencies, optionally behind bulkheads."""

    def __init__(self, pool: ThreadPoolExecutor, bulkheads: dict[str, Bulkhead] | None) -> None:
        self.pool = pool
        self.bulkheads = bulkheads

    def submit(self, dependency: str, fn: Callable[[], T]) -> Future[T]:
        """Run ``fn`` on the pool; raise ``BulkheadFullError`` if its bulkhead is full.

        The permit is given back when ``fn`` ends, when the future is
        cancelled before ``fn`` started, or at once if the pool refuses the
        work (``RuntimeError`` after ``shutdown``), which is re-raised.
        """
        bulkhead = self.bulkheads.get(dependency) if self.bulkheads else None
        if bulkhead is None:
            return self.pool.submit(fn)
        if not bulkhead.try_acquire():  # break[no-bulkhead]
            raise BulkheadFullError(f"{dependency}: {bulkhead.limit} calls already in flight")

        def guarded() -> T:
            # Released before the future is resolved, so once ``result()``
            # returns or raises the permit is already back.
            try:
                result = fn()
            finally:  # break[leak-on-error]  # break[leak-on-success]
                bulkhead.release()
            return result

        def release_if_cancelled(future: Future[T]) -> None:
            # A cancelled future's ``guarded`` never runs; ``cancel()`` only
            # succeeds before it starts, so exactly one of the two releases.
            if future.cancelled():
                bulkhead.release()

        try:
            future = self.pool.submit(guarded)
        except BaseException:
            bulkhead.release()  # break[leak-on-failed-submit]
            raise
        future.add_done_callback(release_if_cancelled)  # break[leak-on-cancel]
        return future
