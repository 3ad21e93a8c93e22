"""Tests for concurrency.bounded_concurrency: the measured peak is exactly the limit, never more.

To show the bound is *reached*, not just respected, every worker is held inside
the bounded section until all workers are accounted for: each one is either
inside or queued for a permit (it failed a non-blocking acquire, so it really
has to wait). At that moment the number inside is exactly the limit with the
semaphore, and every worker without it. No sleeps, no luck.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable

import pytest

from handbook.concurrency.bounded_concurrency import Gauge, gather_bounded, map_bounded

WORKERS = 6
LIMIT = 2
# Detects a hold that can never be released; the condition it waits for needs
# only six threads to start, so the margin is far above 10x.
SETTLE_TIMEOUT = 10.0
# asyncio needs two loop passes to settle; the cap only turns a bug into a failure.
MAX_LOOP_PASSES = 1_000


def everyone_accounted_for(parties: int, opened: threading.Event) -> Callable[[Gauge], bool]:
    """True once all ``parties`` are inside or queued (and from then on, for good)."""

    def check(g: Gauge) -> bool:
        return opened.is_set() or g.in_flight + g.queued == parties

    return check


def test_threads_peak_in_flight_is_exactly_the_limit() -> None:
    gauge = Gauge()
    opened = threading.Event()
    held: list[bool] = []

    def job(item: int) -> int:
        held.append(gauge.wait_until(everyone_accounted_for(WORKERS, opened), SETTLE_TIMEOUT))
        opened.set()
        return item * 10

    results = map_bounded(job, range(WORKERS), LIMIT, workers=WORKERS, gauge=gauge)
    assert results == [0, 10, 20, 30, 40, 50]
    assert held == [True] * WORKERS
    assert gauge.peak == LIMIT
    assert gauge.peak_queued == WORKERS - LIMIT
    assert (gauge.in_flight, gauge.queued) == (0, 0)


def test_asyncio_peak_in_flight_is_exactly_the_limit() -> None:
    async def scenario(gauge: Gauge) -> list[int]:
        release = asyncio.Event()

        def job(i: int) -> Callable[[], Awaitable[int]]:
            async def call() -> int:
                await release.wait()
                return i

            return call

        running = asyncio.create_task(
            gather_bounded([job(i) for i in range(WORKERS)], LIMIT, gauge=gauge)
        )
        try:
            for _ in range(MAX_LOOP_PASSES):
                if gauge.in_flight + gauge.queued == WORKERS:
                    break
                await asyncio.sleep(0)
            else:
                pytest.fail("the workers never settled")
            settled = (gauge.in_flight, gauge.queued)
            release.set()
            results = await running
        finally:
            running.cancel()
        assert settled == (LIMIT, WORKERS - LIMIT)
        return results

    gauge = Gauge()
    assert asyncio.run(scenario(gauge)) == list(range(WORKERS))
    assert gauge.peak == LIMIT
    assert (gauge.in_flight, gauge.queued) == (0, 0)


def test_unbounded_gather_puts_every_call_in_flight_at_once() -> None:
    # The pitfall itself: gather starts everything; the only bound is the input size.
    async def scenario(gauge: Gauge) -> None:
        release = asyncio.Event()

        async def call() -> None:
            with gauge.inside():
                await release.wait()

        running = asyncio.gather(*(call() for _ in range(WORKERS)))
        for _ in range(MAX_LOOP_PASSES):
            if gauge.in_flight == WORKERS:
                break
            await asyncio.sleep(0)
        release.set()
        await running

    gauge = Gauge()
    asyncio.run(scenario(gauge))
    assert gauge.peak == WORKERS


def test_a_limit_above_the_work_lets_everything_run_at_once() -> None:
    gauge = Gauge()
    opened = threading.Event()

    def job(item: int) -> bool:
        ok = gauge.wait_until(everyone_accounted_for(3, opened), SETTLE_TIMEOUT)
        opened.set()
        return ok

    assert map_bounded(job, range(3), limit=10, gauge=gauge) == [True, True, True]
    assert gauge.peak == 3
    assert gauge.peak_queued == 0


def test_permit_is_released_when_the_work_raises() -> None:
    gauge = Gauge()

    def job(item: int) -> int:
        if item == 0:
            raise RuntimeError("boom")
        return item

    with pytest.raises(RuntimeError, match="boom"):
        map_bounded(job, range(4), limit=1, workers=2, gauge=gauge)
    # A leaked permit would make the next call with limit=1 deadlock; instead:
    assert map_bounded(lambda x: x + 1, range(4), limit=1, workers=2, gauge=gauge) == [1, 2, 3, 4]
    assert gauge.peak == 1
    assert (gauge.in_flight, gauge.queued) == (0, 0)


def test_bounded_semaphore_rejects_an_extra_release() -> None:
    plain, bounded = threading.Semaphore(1), threading.BoundedSemaphore(1)
    plain.release()  # silently raises the limit to 2
    assert plain.acquire(blocking=False)
    assert plain.acquire(blocking=False)
    with pytest.raises(ValueError, match="released too many times"):
        bounded.release()


def test_empty_input_and_bad_limits() -> None:
    assert map_bounded(str, [], limit=1) == []
    assert asyncio.run(gather_bounded([], limit=1)) == []
    with pytest.raises(ValueError, match="limit must be >= 1"):
        map_bounded(str, [1], limit=0)
    with pytest.raises(ValueError, match="workers must be >= 1"):
        map_bounded(str, [1], limit=1, workers=0)
    with pytest.raises(ValueError, match="limit must be >= 1"):
        asyncio.run(gather_bounded([], limit=0))
