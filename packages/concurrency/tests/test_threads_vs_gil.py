"""Tests for concurrency.threads_vs_gil: counted and structural proofs, no stopwatch thresholds."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import zlib
from collections.abc import Callable
from multiprocessing.context import BaseContext

import pytest

from handbook.concurrency.threads_vs_gil import (
    HASHLIB_GIL_MINSIZE,
    CpuUse,
    _collect_requests,
    burn,
    concurrent_requests,
    gil_enabled,
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
# A C call that holds the GIL throughout: exhausting this many is the expected outcome.
HOLDING_LIMIT = 10_000
# A C call that drops the GIL each time: the main thread needs one of those
# windows, but it must first be scheduled. With both cores of a 2-core machine
# kept busy by two other processes, it took up to about 110,000 checks (300
# runs per version); this limit leaves a wide margin and only bounds how long a
# failure takes (a few seconds).
RELEASING_LIMIT = 5_000_000


def burn_result(iterations: int) -> int:
    """What burn(iterations) returns: 0 + 1 + ... + (iterations - 1)."""
    return iterations * (iterations - 1) // 2


@needs_gil
def test_cpu_bound_threads_use_at_most_one_core() -> None:
    iterations = 300_000
    use = measure_threads(workers=2, iterations=iterations)
    # The numerator is real: both threads did their whole share, each used CPU,
    # and the process's CPU time contains both threads' CPU time.
    assert use.results == (burn_result(iterations),) * 2
    assert all(seconds > 0 for seconds in use.per_worker)
    assert use.cpu_seconds >= sum(use.per_worker)
    # Two threads running Python at once would push CPU/wall towards 2. With the
    # GIL only one runs; the bound is generous for bookkeeping, not for luck.
    assert use.ratio < 1.5


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
    held = spin_in_thread(limit=HOLDING_LIMIT, work=lambda: hashlib.sha256(below))
    # One byte short: every hash runs with the GIL held; the main thread never
    # gets to set the flag while the spinner runs.
    assert held.saw_flag is False
    assert held.spun == HOLDING_LIMIT
    released = spin_in_thread(limit=RELEASING_LIMIT, work=lambda: hashlib.sha256(at))
    # At the threshold each hash drops the GIL, and the main thread gets in.
    assert released.saw_flag is True


@needs_gil
def test_zlib_compress_releases_the_gil_even_for_a_few_bytes() -> None:
    data = b"x" * 16
    released = spin_in_thread(limit=RELEASING_LIMIT, work=lambda: zlib.compress(data))
    assert released.saw_flag is True
    # The control, with the same tiny input: a C call that keeps the GIL.
    held = spin_in_thread(limit=HOLDING_LIMIT, work=lambda: zlib.crc32(data))
    assert held.saw_flag is False


@needs_gil
def test_a_hash_object_once_fed_2_kib_releases_the_gil_on_every_later_update() -> None:
    small = bytes(64)
    fresh, primed = hashlib.sha256(), hashlib.sha256()
    primed.update(bytes(HASHLIB_GIL_MINSIZE))  # from now on it has its own lock
    held = spin_in_thread(limit=HOLDING_LIMIT, work=lambda: fresh.update(small))
    assert held.saw_flag is False
    released = spin_in_thread(limit=RELEASING_LIMIT, work=lambda: primed.update(small))
    assert released.saw_flag is True


def test_switch_interval_is_restored() -> None:
    before = sys.getswitchinterval()
    spin_in_thread(limit=10)
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
        (lambda: measure_processes(0, 1), "workers must be >= 1"),
        (lambda: concurrent_requests(0), "clients must be >= 1"),
    ],
)
def test_bad_arguments_are_rejected(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
