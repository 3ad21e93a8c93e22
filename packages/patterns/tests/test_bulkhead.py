"""Tests for patterns.bulkhead: a slow dependency exhausts a shared pool unless bulkheaded."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from handbook.patterns.bulkhead import Bulkhead, BulkheadFullError, Service


class SlowDependency:
    """Every call checks in at ``barrier`` then blocks until ``release`` is set; counts calls."""

    def __init__(self, in_flight: int, answer: str = "slow") -> None:
        self.answer = answer
        self.barrier = threading.Barrier(in_flight + 1)  # the callers plus the test
        self.release = threading.Event()
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            self.calls += 1
        self.barrier.wait(timeout=5)
        assert self.release.wait(timeout=5)
        return self.answer


def fast() -> str:
    return "fast"


def test_without_a_bulkhead_the_slow_dependency_takes_every_worker() -> None:
    pool = ThreadPoolExecutor(max_workers=4)
    slow = SlowDependency(in_flight=4)
    service = Service(pool, bulkheads=None)
    try:
        slow_calls = [service.submit("slow", slow) for _ in range(4)]
        slow.barrier.wait(timeout=5)  # all 4 workers are now blocked inside the slow dependency
        fast_call = service.submit("fast", fast)
        # No worker is free, so the fast call cannot have started: it is queued.
        assert fast_call.running() is False
        assert fast_call.done() is False
    finally:
        slow.release.set()
        pool.shutdown(wait=True)  # joins every worker thread
    assert fast_call.result() == "fast"  # it only ran once the slow calls let go
    assert [f.result() for f in slow_calls] == ["slow"] * 4


def test_with_a_bulkhead_extra_slow_calls_are_rejected_and_fast_calls_still_run() -> None:
    pool = ThreadPoolExecutor(max_workers=4)
    slow = SlowDependency(in_flight=2)
    service = Service(pool, bulkheads={"slow": Bulkhead(2), "fast": Bulkhead(2)})
    try:
        slow_calls = [service.submit("slow", slow) for _ in range(2)]
        slow.barrier.wait(timeout=5)  # both slow permits are held by blocked calls
        for _ in range(3):
            with pytest.raises(BulkheadFullError):
                service.submit("slow", slow)
        assert service.submit("fast", fast).result(timeout=5) == "fast"
        assert slow.calls == 2  # the rejected calls never reached the dependency
    finally:
        slow.release.set()
        pool.shutdown(wait=True)
    assert [f.result() for f in slow_calls] == ["slow"] * 2


def test_permits_come_back_after_calls_finish_even_when_they_raise() -> None:
    def broken() -> str:
        raise ConnectionError("down")

    with ThreadPoolExecutor(max_workers=2) as pool:
        service = Service(pool, bulkheads={"dep": Bulkhead(2)})
        for _ in range(5):  # more failures than permits
            with pytest.raises(ConnectionError):
                service.submit("dep", broken).result(timeout=5)
        assert service.submit("dep", fast).result(timeout=5) == "fast"


def test_permits_come_back_after_calls_that_return() -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        service = Service(pool, bulkheads={"dep": Bulkhead(2)})
        for _ in range(5):  # more successes than permits, one after the other
            assert service.submit("dep", fast).result(timeout=5) == "fast"


def test_a_call_cancelled_while_queued_gives_its_permit_back() -> None:
    pool = ThreadPoolExecutor(max_workers=1)
    slow = SlowDependency(in_flight=1)
    bulkhead = Bulkhead(2)
    service = Service(pool, bulkheads={"dep": bulkhead})
    try:
        running = service.submit("dep", slow)
        slow.barrier.wait(timeout=5)  # the only worker is busy: the next call stays queued
        queued = service.submit("dep", fast)
        with pytest.raises(BulkheadFullError):  # both permits taken, one by a queued call
            service.submit("dep", fast)
        assert queued.cancel() is True  # only possible because it has not started
        again = service.submit("dep", fast)  # the cancelled call's permit is back
    finally:
        slow.release.set()
        pool.shutdown(wait=True)
    assert (running.result(), queued.cancelled(), again.result()) == ("slow", True, "fast")
    assert bulkhead.try_acquire()  # nothing leaked: both permits are free
    assert bulkhead.try_acquire()


def test_shutting_down_with_cancel_futures_gives_the_queued_permits_back() -> None:
    pool = ThreadPoolExecutor(max_workers=1)
    slow = SlowDependency(in_flight=1)
    bulkhead = Bulkhead(3)
    service = Service(pool, bulkheads={"dep": bulkhead})
    try:
        running = service.submit("dep", slow)
        slow.barrier.wait(timeout=5)
        queued = [service.submit("dep", fast) for _ in range(2)]
        pool.shutdown(wait=False, cancel_futures=True)
        assert all(f.cancelled() for f in queued)
        assert bulkhead.try_acquire()  # the two queued calls' permits are back
        assert bulkhead.try_acquire()
        assert not bulkhead.try_acquire()  # the running call still holds its own
        bulkhead.release()
        bulkhead.release()
    finally:
        slow.release.set()
        pool.shutdown(wait=True)
    assert running.result() == "slow"
    assert all(bulkhead.try_acquire() for _ in range(3))


def test_a_failed_submit_gives_its_permit_back() -> None:
    pool = ThreadPoolExecutor(max_workers=1)
    pool.shutdown()
    bulkhead = Bulkhead(1)
    service = Service(pool, bulkheads={"dep": bulkhead})
    for _ in range(3):  # more failed submits than permits
        with pytest.raises(RuntimeError) as excinfo:
            service.submit("dep", fast)
        # The pool's own error, not BulkheadFullError (a RuntimeError subclass) from a leak.
        assert excinfo.type is RuntimeError
    assert bulkhead.try_acquire()


def test_limits_that_add_up_to_more_than_the_pool_let_slow_dependencies_take_every_worker() -> None:
    pool = ThreadPoolExecutor(max_workers=4)
    slow = SlowDependency(in_flight=4)  # two dependencies, slow at the same time
    limits = {"a": Bulkhead(2), "b": Bulkhead(2), "fast": Bulkhead(2)}  # 6 > 4 workers
    service = Service(pool, bulkheads=limits)
    try:
        slow_calls = [service.submit(dep, slow) for dep in ("a", "a", "b", "b")]
        slow.barrier.wait(timeout=5)  # within their limits, a and b hold all 4 workers
        fast_call = service.submit("fast", fast)
        assert fast_call.running() is False  # queued: the bulkheads protected nothing
        assert fast_call.done() is False
    finally:
        slow.release.set()
        pool.shutdown(wait=True)
    assert fast_call.result() == "fast"
    assert [f.result() for f in slow_calls] == ["slow"] * 4


def test_limits_sized_against_the_pool_leave_every_dependency_its_share() -> None:
    pool = ThreadPoolExecutor(max_workers=4)
    slow = SlowDependency(in_flight=2)
    parallel_fast = SlowDependency(in_flight=2, answer="fast")  # both must run at once
    limits = {"a": Bulkhead(1), "b": Bulkhead(1), "fast": Bulkhead(2)}  # 1 + 1 + 2 = 4
    service = Service(pool, bulkheads=limits)
    try:
        slow_calls = [service.submit(dep, slow) for dep in ("a", "b")]
        slow.barrier.wait(timeout=5)
        for dep in ("a", "b"):
            with pytest.raises(BulkheadFullError):
                service.submit(dep, slow)
        fast_calls = [service.submit("fast", parallel_fast) for _ in range(2)]
        parallel_fast.barrier.wait(timeout=5)  # two workers were still free for them
        parallel_fast.release.set()
        assert [f.result(timeout=5) for f in fast_calls] == ["fast"] * 2
    finally:
        slow.release.set()
        parallel_fast.release.set()
        pool.shutdown(wait=True)
    assert [f.result() for f in slow_calls] == ["slow"] * 2


def test_a_bounded_semaphore_refuses_an_extra_release() -> None:
    bulkhead = Bulkhead(1)
    with pytest.raises(ValueError, match="released too many times"):
        bulkhead.release()
