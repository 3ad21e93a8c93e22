"""networking.c10k: one selectors loop against a thread per connection, and RLIMIT_NOFILE.

Each measurement runs in a fresh interpreter (``in_fresh_interpreter``), so the
threads, descriptors and memory counted are the server's alone, and a lowered
descriptor limit cannot leak into pytest. Counts, never timings. Linux is the
reference platform: the tests that count in ``/proc/self`` say so and skip
elsewhere.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest

from fundamentals.networking.c10k import (
    accept_at_emfile,
    connection_pairs_that_fit,
    hold_idle,
    in_fresh_interpreter,
    status_kib,
)

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="Linux only: reads /proc/self/{task,status,fd}, which macOS/BSD lack; "
    "run on Linux (CI, or a Linux container) to run it",
)

EVENT_LOOP_CONNECTIONS = 2000  # 4000 descriptors: far past select()'s FD_SETSIZE of 1024
THREADED_CONNECTIONS = 500


@pytest.fixture(scope="module")
def selector_report() -> dict[str, Any]:
    return in_fresh_interpreter("hold_idle", "selectors", EVENT_LOOP_CONNECTIONS)


@pytest.fixture(scope="module")
def thread_report() -> dict[str, Any]:
    return in_fresh_interpreter("hold_idle", "threads", THREADED_CONNECTIONS)


@linux_only
def test_one_selector_thread_holds_thousands_of_idle_connections(
    selector_report: dict[str, Any],
) -> None:
    assert selector_report["threads"] == 1
    assert selector_report["registered"] == EVENT_LOOP_CONNECTIONS
    assert selector_report["fds"] == 2 * EVENT_LOOP_CONNECTIONS + 2  # + listener + epoll
    assert selector_report["highest_fd"] > 1024  # select() would refuse these; epoll does not
    assert selector_report["echo"] == "?"  # and the loop still serves


@linux_only
def test_thread_per_connection_needs_a_thread_for_every_idle_connection(
    thread_report: dict[str, Any],
) -> None:
    assert thread_report["threads"] == THREADED_CONNECTIONS + 1
    assert thread_report["echo"] == "?"


@linux_only
def test_each_thread_reserves_a_stack_of_address_space_but_touches_little(
    thread_report: dict[str, Any], selector_report: dict[str, Any]
) -> None:
    import resource  # Unix only

    soft = resource.getrlimit(resource.RLIMIT_STACK)[0]
    # glibc sizes a thread's stack from RLIMIT_STACK; unlimited, it picks its own default.
    stack_kib = 0 if soft == resource.RLIM_INFINITY else soft // 1024
    per_thread_vm = thread_report["vm_kib"] / THREADED_CONNECTIONS
    per_thread_rss = thread_report["rss_kib"] / THREADED_CONNECTIONS
    assert per_thread_vm >= stack_kib
    assert per_thread_rss < 256  # only the touched pages are resident
    per_connection_vm = selector_report["vm_kib"] / EVENT_LOOP_CONNECTIONS
    assert per_connection_vm * 100 < per_thread_vm
    assert selector_report["rss_kib"] / EVENT_LOOP_CONNECTIONS < 4  # Python objects only


@linux_only
def test_status_kib_reads_proc_and_names_a_missing_field() -> None:
    assert status_kib("VmRSS") > 0
    with pytest.raises(ValueError, match="no field 'VmNothing'"):
        status_kib("VmNothing")


def test_hold_idle_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match="model must be"):
        hold_idle("forks", 1)
    with pytest.raises(ValueError, match="connections must be >= 1"):
        hold_idle("threads", 0)


@linux_only
@pytest.mark.parametrize("limit", [64, 65])  # one even, one odd: both failing calls
def test_rlimit_nofile_caps_connections_at_two_descriptors_each(limit: int) -> None:
    report = in_fresh_interpreter("fill_descriptor_table", limit)
    pairs = connection_pairs_that_fit(limit, report["open_before"])
    # Descriptors free after the listener: an odd count leaves one for a last
    # socket() whose connection then cannot be accepted.
    failing_call = "accept" if (limit - report["open_before"] - 1) % 2 else "socket"
    assert report["accepted"] == pairs
    assert report["errno"] == "EMFILE"
    assert report["call"] == failing_call
    if failing_call == "accept":  # connected by the kernel, but no descriptor to accept it
        assert report["completed"] == pairs + 1
    else:
        assert report["completed"] == pairs


@pytest.fixture(scope="module")
def emfile_reports() -> dict[str, Any]:
    return in_fresh_interpreter("accept_at_emfile_both_ways", 5)


@linux_only
def test_a_level_triggered_loop_spins_on_accept_when_out_of_descriptors(
    emfile_reports: dict[str, Any],
) -> None:
    report = emfile_reports["none"]
    assert report["ready_and_emfile"] == 5  # every pass: ready, accept fails, nothing changes
    assert report["still_ready"] is True
    assert report["client_sees"] == "waiting"  # connected by the kernel, never served


@linux_only
def test_a_spare_descriptor_lets_the_loop_shed_the_connection_and_stop_spinning(
    emfile_reports: dict[str, Any],
) -> None:
    report = emfile_reports["spare"]
    assert report["ready_and_emfile"] == 1  # once; then the queue is empty
    assert report["shed"] == 1
    assert report["still_ready"] is False
    assert report["client_sees"] == "eof"  # told at once, instead of hanging


def test_accept_at_emfile_refuses_an_unknown_remedy() -> None:
    with pytest.raises(ValueError, match="remedy must be"):
        accept_at_emfile("pray")


def test_in_fresh_interpreter_runs_only_this_modules_functions() -> None:
    with pytest.raises(ValueError, match="'print' is not a function"):
        in_fresh_interpreter("print")
    with pytest.raises(RuntimeError, match="model must be"):
        in_fresh_interpreter("hold_idle", "forks", 1)
