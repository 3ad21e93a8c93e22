"""Tests for concurrency.threads_vs_gil: counted and structural proofs, no stopwatch thresholds."""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from multiprocessing.context import BaseContext

import pytest

from handbook.concurrency.threads_vs_gil import (
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

THREAD_SPIN_LIMIT = 2_000_000  # ~0.1 s of spinning: 20x the default 5 ms switch interval
PROCESS_SPIN_LIMIT = 100_000_000  # seconds of spinning: the parent needs one time slice


@needs_gil
def test_cpu_bound_threads_use_at_most_one_core() -> None:
    use = measure_threads(workers=2, iterations=300_000)
    # Two threads running Python at once would push CPU/wall towards 2. With the
    # GIL only one runs; the bound is generous for bookkeeping, not for luck.
    assert use.cpu_seconds > 0
    assert use.ratio < 1.5


@needs_gil
def test_a_spinning_thread_locks_every_other_thread_out() -> None:
    result = spin_in_thread(limit=THREAD_SPIN_LIMIT)
    # The main thread needed the GIL for one line (flag = True) and never got it.
    assert not result.saw_flag
    assert result.spun == THREAD_SPIN_LIMIT


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
    use = measure_processes(workers=2, iterations=50_000, context=mp_context)
    # A demonstration of the measurement: each child did real CPU work. How close
    # the ratio gets to 2 depends on how busy the machine is, so it is not asserted.
    assert use.cpu_seconds > 0
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
