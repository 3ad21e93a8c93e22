"""Tests for concurrency.threads_vs_gil: counted and structural proofs, no stopwatch thresholds."""

from __future__ import annotations

import concurrent.futures
import hashlib
import importlib.util
import os
import pickle
import socket
import subprocess
import sys
import threading
import warnings
import zlib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext

import pytest

from handbook.concurrency.threads_vs_gil import (
    HASHLIB_GIL_MINSIZE,
    CpuUse,
    HandOff,
    _collect_requests,
    burn,
    concurrent_requests,
    cpu_bound_overlap,
    gil_enabled,
    gil_handed_over,
    hash_chunks,
    measure_processes,
    measure_threads,
    spin_in_process,
    spin_in_thread,
)

needs_gil = pytest.mark.skipif(not gil_enabled(), reason="free-threaded build without the GIL")

# Each check is a Python-level call: tens of nanoseconds at the very least, so
# 2 million of them outlast the default 5 ms switch interval several times over
# (pytest --durations: 0.14 s on the idle 2-core machine this was written on,
# under 3.13; up to 0.9 s while other jobs kept it busy).
THREAD_SPIN_LIMIT = 2_000_000
PROCESS_SPIN_LIMIT = 100_000_000  # seconds of spinning: the parent needs one time slice
# gil_handed_over with a call that holds the GIL: the main thread gets in only
# after the last call, whatever the count, so this only has to be long enough
# for a call that *does* release it to be caught (the wrong-threshold
# experiment). On this 2-core machine, with 3.11, 3.12 and 3.13 running the
# check at once besides other jobs (load average about 8), a 4095-byte hash
# let the main thread in after at most 5,543 calls in 180 runs (median: 1);
# 100,000 leaves a margin of 18, for about 0.5 s of 2047-byte hashes.
HELD_CALLS = 100_000
# ...and with a call that releases it: the main thread is in within a few
# calls; this bound only limits how long a failure takes.
RELEASED_CALLS = 200_000
CPU_BOUND_ITERATIONS = 500_000  # about 30-45 ms of burn() on this machine, idle


def burn_result(iterations: int) -> int:
    """What burn(iterations) returns: 0 + 1 + ... + (iterations - 1)."""
    return iterations * (iterations - 1) // 2


@needs_gil
def test_cpu_bound_threads_never_run_at_the_same_time() -> None:
    # Released together, with nobody ever asked to let go: the second thread
    # enters burn() only after the first has left it. At most one core.
    assert cpu_bound_overlap(2, lambda: burn(CPU_BOUND_ITERATIONS)) == 1


@needs_gil
def test_work_that_releases_the_gil_does_overlap() -> None:
    # The control: the same harness sees two threads inside the work at once
    # as soon as the work is C code that releases the GIL, so the 1 above is
    # not a harness that cannot see overlap. The waiting thread gets in during
    # any of the 1 ms hashes; it needs only to be scheduled once in 40 of them.
    assert cpu_bound_overlap(2, lambda: hash_chunks(40)) == 2


def test_measure_threads_does_the_work_and_reports_its_cpu() -> None:
    iterations = 100_000
    use = measure_threads(workers=2, iterations=iterations)
    # Both threads did their whole share, each used CPU, and the process's CPU
    # time contains both threads' CPU time. The ratio itself is a
    # demonstration: it depends on how busy the machine is, so it is not asserted.
    assert use.results == (burn_result(iterations),) * 2
    assert all(seconds > 0 for seconds in use.per_worker)
    assert use.cpu_seconds >= sum(use.per_worker)


@needs_gil
def test_a_spinning_thread_locks_every_other_thread_out() -> None:
    result = spin_in_thread(limit=THREAD_SPIN_LIMIT)
    # The main thread needed the GIL for one line (flag = True) and never got it.
    assert result.saw_flag is False
    assert result.spun == THREAD_SPIN_LIMIT


def test_default_switch_interval_is_5_ms() -> None:
    # In a fresh interpreter: this process's tests change it, if only briefly.
    out = subprocess.run(
        [sys.executable, "-I", "-c", "import sys; print(sys.getswitchinterval())"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert float(out.stdout) == 0.005


@needs_gil
def test_hashlib_releases_the_gil_from_2_kib_of_input_and_not_below() -> None:
    below, at = bytes(HASHLIB_GIL_MINSIZE - 1), bytes(HASHLIB_GIL_MINSIZE)
    held = gil_handed_over(hashlib.sha256, below, HELD_CALLS)
    # One byte short: every hash runs with the GIL held, so the main thread
    # got it back only after the very last one.
    assert held == HandOff(HELD_CALLS, HELD_CALLS)
    released = gil_handed_over(hashlib.sha256, at, RELEASED_CALLS)
    # At the threshold each hash drops the GIL, and the main thread gets in.
    assert released.mid_run


@needs_gil
def test_zlib_compress_releases_the_gil_even_for_a_few_bytes() -> None:
    data = b"x" * 16
    assert gil_handed_over(zlib.compress, data, RELEASED_CALLS).mid_run
    # The control, with the same tiny input: a C call that keeps the GIL.
    assert gil_handed_over(zlib.crc32, data, HELD_CALLS) == HandOff(HELD_CALLS, HELD_CALLS)


@needs_gil
def test_a_hash_object_once_fed_2_kib_releases_the_gil_on_every_later_update() -> None:
    small = bytes(64)
    fresh, primed = hashlib.sha256(), hashlib.sha256()
    primed.update(bytes(HASHLIB_GIL_MINSIZE))  # from now on it has its own lock
    assert gil_handed_over(fresh.update, small, HELD_CALLS) == HandOff(HELD_CALLS, HELD_CALLS)
    assert gil_handed_over(primed.update, small, RELEASED_CALLS).mid_run


def test_gil_handed_over_rejects_python_functions_and_bad_counts() -> None:
    with pytest.raises(TypeError, match="must be implemented in C"):
        gil_handed_over(lambda data: data, b"", 1)
    with pytest.raises(ValueError, match="calls must be >= 1"):
        gil_handed_over(zlib.crc32, b"", 0)


def test_switch_interval_is_restored() -> None:
    before = sys.getswitchinterval()
    spin_in_thread(limit=10)
    gil_handed_over(zlib.crc32, b"", 10)
    cpu_bound_overlap(1, lambda: None)
    assert sys.getswitchinterval() == before


def test_a_spinning_process_starves_nobody(mp_context: BaseContext) -> None:
    result = spin_in_process(limit=PROCESS_SPIN_LIMIT, context=mp_context)
    # The parent set the flag while the child was spinning: two interpreters ran at once.
    assert result.saw_flag


def test_io_bound_threads_are_all_blocked_in_io_at_once() -> None:
    # The server replies only once it holds a request from every client.
    assert concurrent_requests(clients=4, timeout=5.0) == 4


def test_server_gives_up_on_a_client_that_never_sends() -> None:
    # Nobody writes to the client end, so the outcome does not depend on the timeout.
    server, client = socket.socketpair()
    with server, client:
        assert _collect_requests([server], timeout=0.05) == set()


def test_processes_do_the_work_and_report_their_cpu(mp_context: BaseContext) -> None:
    iterations = 50_000
    use = measure_processes(workers=2, iterations=iterations, context=mp_context)
    # Each child ran its whole share and reported its own CPU time (an unfilled
    # slot stays 0); cpu_seconds is their sum, measured inside the children, so
    # the parent's CPU and the children's start-up are not in it. How close the
    # ratio gets to 2 depends on how busy the machine is, so it is not asserted.
    assert use.results == (burn_result(iterations),) * 2
    assert len(use.per_worker) == 2
    assert all(seconds > 0 for seconds in use.per_worker)
    assert use.cpu_seconds == sum(use.per_worker)
    assert use.wall_seconds > 0


def test_cpu_use_ratio() -> None:
    assert CpuUse(cpu_seconds=2.0, wall_seconds=1.0).ratio == 2.0
    assert CpuUse(cpu_seconds=1.0, wall_seconds=0.0).ratio == 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: burn(-1), "iterations must be >= 0"),
        (lambda: measure_threads(0, 1), "workers must be >= 1"),
        (lambda: cpu_bound_overlap(0, lambda: None), "workers must be >= 1"),
        (lambda: hash_chunks(-1), "chunks must be >= 0"),
        (lambda: measure_processes(0, 1), "workers must be >= 1"),
        (lambda: concurrent_requests(0), "clients must be >= 1"),
    ],
)
def test_bad_arguments_are_rejected(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")
def test_a_lock_held_by_another_thread_at_fork_stays_held_in_the_child() -> None:
    lock, holding, release = threading.Lock(), threading.Event(), threading.Event()

    def holder() -> None:
        with lock:
            holding.set()
            release.wait()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert holding.wait(10)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            pid = os.fork()
            if pid == 0:  # the child: only this thread was copied, the holder was not
                # The lock is still marked held, and no thread here will ever release it.
                os._exit(0 if lock.acquire(blocking=False) else 1)
        _, status = os.waitpid(pid, 0)
    finally:
        release.set()
        thread.join()
    # The child could never take the lock: nobody in it will ever release it.
    assert os.waitstatus_to_exitcode(status) == 1
    forking_warnings = [w for w in caught if "multi-threaded" in str(w.message)]
    if sys.version_info >= (3, 12):
        assert [w.category for w in forking_warnings] == [DeprecationWarning]
    else:
        assert forking_warnings == []


def _square(x: int) -> int:
    return x * x


_MODULE_LAMBDA: Callable[[], int] = lambda: 7  # noqa: E731  # the point: a lambda, at module level


def test_a_process_pool_pickles_the_call_so_a_lambda_fails(mp_context: BaseContext) -> None:
    # Even with fork the call goes to the worker through a pipe, pickled.
    with ProcessPoolExecutor(max_workers=1, mp_context=mp_context) as pool:
        assert pool.submit(_square, 7).result(timeout=60) == 49
        # pickle stores a function by its importable name; a lambda has none...
        with pytest.raises(pickle.PicklingError, match="attribute lookup <lambda>"):
            pool.submit(_MODULE_LAMBDA).result(timeout=60)
        # ...and a nested one fails one step earlier ("Can't pickle local
        # object" on 3.11 and 3.12, "Can't get local object" on 3.13).
        with pytest.raises(AttributeError, match="local object"):
            pool.submit(lambda: 7).result(timeout=60)


def test_default_start_method_before_3_14() -> None:
    # In a fresh interpreter: a test may have changed this process's default.
    out = subprocess.run(
        [sys.executable, "-I", "-c", "import multiprocessing as m; print(m.get_start_method())"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    # spawn on macOS and Windows; fork elsewhere, Linux included, up to 3.13
    # (3.14 moves Linux to forkserver).
    expected = {"darwin": "spawn", "win32": "spawn"}.get(sys.platform, "fork")
    assert out.stdout.strip() == expected


def test_interpreters_in_the_stdlib_come_with_3_14() -> None:
    # The matrix is 3.11 to 3.13: a per-interpreter GIL exists from 3.12 for
    # C code only, and neither Python-level API is here yet.
    assert importlib.util.find_spec("concurrent.interpreters") is None
    assert not hasattr(concurrent.futures, "InterpreterPoolExecutor")
