"""Tests for concurrency.executors: where work runs, where errors go, order and shutdown."""

from __future__ import annotations

import os
import pickle
import threading
from concurrent.futures import CancelledError, ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing.context import BaseContext

import pytest

from handbook.concurrency.executors import (
    completion_order,
    fail_on,
    identify,
    shutdown_with_queued_work,
    square,
)


def test_thread_pool_runs_in_this_process_on_another_thread() -> None:
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="worker") as pool:
        pid, thread = pool.submit(identify).result(timeout=10)
    assert pid == os.getpid()
    assert thread != threading.current_thread().name
    assert thread.startswith("worker")


def test_process_pool_runs_in_another_process_and_pickles_everything(
    mp_context: BaseContext,
) -> None:
    # One small pool for every process-side claim: starting workers is the cost.
    with ProcessPoolExecutor(max_workers=1, mp_context=mp_context) as pool:
        pid, _ = pool.submit(identify).result(timeout=30)
        assert pid != os.getpid()
        assert list(pool.map(square, range(5))) == [0, 1, 4, 9, 16]
        # The worker's exception is pickled back and raised by result() here.
        with pytest.raises(ValueError, match="bad value 3"):
            pool.submit(fail_on, 3, 3).result(timeout=30)
        # A lambda cannot be pickled by name: the future fails, the pool survives.
        with pytest.raises((pickle.PicklingError, AttributeError)):
            pool.submit(lambda: 1).result(timeout=30)
        assert pool.submit(square, 4).result(timeout=30) == 16


def test_worker_exception_is_stored_in_the_future_and_raised_by_result() -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        ok, bad = pool.submit(fail_on, 1, 2), pool.submit(fail_on, 2, 2)
        assert ok.result(timeout=10) == 1
        error = bad.exception(timeout=10)
        assert isinstance(error, ValueError)
        with pytest.raises(ValueError, match="bad value 2"):
            bad.result()


def test_map_yields_in_input_order_and_stops_at_the_first_error() -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(fail_on, [0, 1, 2, 3], [2, 2, 2, 2])
        assert next(results) == 0
        assert next(results) == 1
        with pytest.raises(ValueError, match="bad value 2"):
            next(results)


@pytest.mark.parametrize("release_order", [[2, 0, 1], [1, 2, 0], [3, 1, 0, 2]])
def test_as_completed_yields_in_completion_order(release_order: list[int]) -> None:
    assert completion_order(release_order) == release_order


def test_completion_order_rejects_a_non_permutation() -> None:
    with pytest.raises(ValueError, match="must be a permutation"):
        completion_order([0, 0])


def test_shutdown_with_cancel_futures_cancels_queued_work() -> None:
    report = shutdown_with_queued_work(queued=3)
    assert report.running_result == "finished"  # the running task always finishes
    assert report.cancelled == [True, True, True]
    assert report.ran == []


def test_cancelled_future_raises_cancelled_error() -> None:
    pool = ThreadPoolExecutor(max_workers=1)
    release = threading.Event()
    try:
        pool.submit(release.wait, 10)
        queued = pool.submit(square, 2)
        assert queued.cancel()  # still queued behind the blocked worker: cancellable
        with pytest.raises(CancelledError):
            queued.result()
    finally:
        release.set()
        pool.shutdown(wait=True)


def test_no_submit_after_shutdown() -> None:
    pool = ThreadPoolExecutor(max_workers=1)
    pool.shutdown()
    with pytest.raises(RuntimeError, match="after shutdown"):
        pool.submit(square, 2)


def test_shutdown_report_rejects_negative_queue() -> None:
    with pytest.raises(ValueError, match="queued must be >= 0"):
        shutdown_with_queued_work(-1)
