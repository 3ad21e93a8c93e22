"""Queues as channels: bounded queues give backpressure, one sentinel per consumer shuts down.

Why interviewers ask this:
    "Design a producer/consumer pipeline" is the most common concurrency design
    question, and two details decide whether it survives production: what
    happens when producers are faster than consumers (an unbounded queue turns
    a slow consumer into an out-of-memory crash), and how the consumers learn
    that the work is over (a missing shutdown signal leaves a thread blocked in
    ``get()`` forever). ``queue.Queue`` is Python's channel; knowing how it maps
    to Go's channels shows you understand both.

Common pitfalls:
    - ``queue.Queue()`` with no ``maxsize`` is *unbounded*: ``maxsize=0`` means
      "no limit", not "unbuffered". Backlog, memory and latency grow without a
      bound while the producer never notices.
    - One sentinel for N consumers: the first consumer takes it and exits, the
      other N-1 block forever. Each consumer must receive its own.
    - Calling ``task_done`` only on success: ``join()`` then waits forever after
      the first exception. Put it in a ``finally``.
    - Checking ``q.empty()`` or ``q.qsize()`` to decide to stop: the answer is
      stale the moment you get it; only the sentinel is a reliable signal.

Key takeaways:
    - A bounded queue (``maxsize=n``) *is* backpressure: ``put`` blocks while it
      is full, so the producer slows to the consumers' pace; ``put(timeout=...)``
      or ``put_nowait`` raise ``queue.Full`` so you can shed load instead.
    - Shut down with one sentinel per consumer, put after the last item; FIFO
      order guarantees every item is taken before the sentinels.
    - Go mapping: ``make(chan T, n)`` ~ ``Queue(maxsize=n)``; ``ch <- v`` ~
      ``put``; ``v, ok := <-ch`` ~ ``get`` plus a sentinel check; ``close(ch)``
      ~ one sentinel per receiver (Python 3.13 adds ``Queue.shutdown()``, a real
      close); ``for v := range ch`` ~ ``iter(q.get, SENTINEL)``. Go's unbuffered
      channel (a rendezvous) has no direct ``queue`` equivalent; Java's
      ``SynchronousQueue`` is one, ``ArrayBlockingQueue`` is the bounded queue.

What to look for in an answer:
    A strong answer bounds the queue and says what happens when it is full
    (block, time out, or drop with a metric), shuts down with a sentinel per
    consumer or a close operation, makes sure every item is processed exactly
    once and that errors in a consumer do not wedge ``join()``. Follow-ups:
    - How would you shut down while the queue is still full of unwanted work?
      (Drain it, or use a cancel event the consumers check between items.)
    - How do you pick ``maxsize``? (Latency budget times throughput; measure
      stalls, the count of puts that found the queue full.)
    - What changes when the consumers are processes? (``multiprocessing.Queue``
      pickles items; a sentinel must pickle and compare by value, not identity.)

Complexity:
    ``put`` and ``get`` are O(1). Memory is O(maxsize) with a bound and
    O(items) without one: the unbounded pipeline below holds every item at once.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Final

__all__ = ["SENTINEL", "PipelineStats", "run_pipeline"]


class _Sentinel:
    """The end-of-stream marker's type: one instance, compared by identity."""

    def __repr__(self) -> str:
        return "SENTINEL"


SENTINEL: Final = _Sentinel()


@dataclass
class PipelineStats:
    """What happened in one :func:`run_pipeline` run, counted, not timed."""

    processed: list[tuple[int, int]] = field(default_factory=list)
    """(consumer index, result) for every item handled."""
    stalls: int = 0
    """Puts that found the queue full and had to wait: the backpressure events."""
    peak_backlog: int = 0
    """The most entries (items and sentinels) ever waiting in the queue."""
    exited: int = 0
    """Consumers that stopped on one of the producer's sentinels."""
    rescued: int = 0
    """Consumers still blocked after all the work was done, released by a late sentinel.

    ``exited + rescued`` is always the number of consumers.
    """


def run_pipeline(
    items: Iterable[int],
    consumers: int,
    maxsize: int,
    handle: Callable[[int], int] = lambda x: x,
    timeout: float = 5.0,
    sentinels: int | None = None,
) -> PipelineStats:
    """Produce ``items`` into a queue of ``maxsize`` read by ``consumers`` threads.

    The consumers are held back until the producer either finishes or finds the
    queue full, which forces the worst case for backlog deterministically. The
    producer then puts ``sentinels`` sentinels (default: one per consumer; fewer
    reproduces the shutdown pitfall). If, once everything put has been taken,
    some consumer has not seen a sentinel, it is released with a late one and
    counted in ``rescued``: a shutdown bug made visible, not a hang.

    >>> stats = run_pipeline(range(5), consumers=2, maxsize=2)
    >>> sorted(result for _, result in stats.processed), stats.peak_backlog, stats.exited
    ([0, 1, 2, 3, 4], 2, 2)
    >>> stats = run_pipeline(range(5), consumers=3, maxsize=2, sentinels=1)
    >>> len(stats.processed), stats.exited, stats.rescued
    (5, 1, 2)
    """
    if consumers < 1:
        raise ValueError(f"consumers must be >= 1, got {consumers}")
    if maxsize < 0:
        raise ValueError(f"maxsize must be >= 0 (0 means unbounded), got {maxsize}")
    if sentinels is None:
        sentinels = consumers  # break[one-sentinel-short]
    if not 0 <= sentinels <= consumers:
        # More sentinels than consumers would stay in the queue, never taken.
        raise ValueError(f"sentinels must be between 0 and consumers={consumers}, got {sentinels}")
    q: queue.Queue[int | _Sentinel] = queue.Queue(maxsize)  # break[unbounded]
    stats = PipelineStats()
    go = threading.Event()
    taken = threading.Condition()  # guards stats.processed, stats.exited, errors, count
    count = [0]  # entries taken off the queue so far
    errors: list[Exception] = []

    def consumer(index: int) -> None:
        go.wait()
        while True:
            entry = q.get()
            try:
                if isinstance(entry, _Sentinel):
                    with taken:
                        stats.exited += 1
                    return
                result = handle(entry)
                with taken:
                    stats.processed.append((index, result))
            except Exception as exc:
                with taken:
                    errors.append(exc)
            finally:
                with taken:
                    count[0] += 1
                    taken.notify_all()

    def put(entry: int | _Sentinel) -> None:
        try:
            q.put_nowait(entry)
        except queue.Full:
            stats.stalls += 1
            go.set()  # the queue is full: let the consumers drain it
            q.put(entry, timeout=timeout)
        stats.peak_backlog = max(stats.peak_backlog, q.qsize())

    threads = [threading.Thread(target=consumer, args=(i,)) for i in range(consumers)]
    for t in threads:
        t.start()
    puts = 0
    try:
        for item in items:
            put(item)
            puts += 1
        for _ in range(sentinels):
            put(SENTINEL)
            puts += 1
        go.set()
        with taken:
            if not taken.wait_for(lambda: count[0] == puts, timeout):
                raise TimeoutError(f"only {count[0]} of {puts} entries were taken")
    finally:
        go.set()
        with taken:
            # Everything put has been taken (or we are failing): whoever has not
            # seen a sentinel is blocked in get() for good. Release it.
            missing = consumers - stats.exited
        for _ in range(missing):
            q.put(SENTINEL, timeout=timeout)
        for t in threads:
            t.join(timeout)
    # The rescued took a (late) sentinel too and counted themselves in exited: undo that.
    stats.exited, stats.rescued = consumers - missing, missing  # break[rescued-count-as-exited]
    if errors:
        raise errors[0]
    return stats
