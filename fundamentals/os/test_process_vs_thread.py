"""os.process_vs_thread: a forked child writes to its own copy; a thread writes to ours.

The demonstrations live in ``process_vs_thread.py`` and run through
``call_in_subprocess`` in a fresh interpreter, never inside pytest: the memory
ones share one writer and differ only in ``run_in_child`` versus
``run_in_thread``. The fd and pid checks on threads run here.
"""

from __future__ import annotations

import os
import sys
import threading

import pytest

from fundamentals.os.process_vs_thread import (
    demo_child_closes_fd,
    demo_child_identity,
    demo_child_write,
    demo_fork_with_held_lock,
    demo_shared_offset,
    demo_thread_write,
    run_in_thread,
)
from fundamentals.os.processes import call_in_subprocess
from fundamentals.os.procfs import thread_count

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")


def test_child_write_is_invisible_to_the_parent() -> None:
    result = call_in_subprocess(demo_child_write)
    # Same virtual address, different bytes: each process has its own address space.
    assert result == {
        "exit": 0,
        "writer_view": "writer",
        "our_view": "parent",
        "same_address": True,
    }


def test_thread_write_is_visible_to_every_thread() -> None:
    result = call_in_subprocess(demo_thread_write)
    # The same writer on a thread: one address space, so we read what it wrote.
    assert result == {
        "exit": 0,
        "writer_view": "writer",
        "our_view": "writer",
        "same_address": True,
    }


def test_fork_returns_the_child_pid_and_the_child_knows_its_parent() -> None:
    result = call_in_subprocess(demo_child_identity)
    assert result == {
        "fork_returned_child_pid": True,
        "child_pid_differs": True,
        "child_ppid_is_parent": True,
    }


def test_threads_share_the_pid_but_not_the_thread_id() -> None:
    seen: list[tuple[int, int]] = []
    run_in_thread(lambda: seen.append((os.getpid(), threading.get_native_id())))
    [(pid, native_id)] = seen
    assert pid == os.getpid()
    assert native_id != threading.get_native_id()


def test_closing_an_fd_in_the_child_leaves_the_parents_open() -> None:
    result = call_in_subprocess(demo_child_closes_fd)
    assert result == {"exit": 0, "written": len(b"still open"), "read": "still open"}


def test_closing_an_fd_in_a_thread_closes_it_for_every_thread() -> None:
    r, w = os.pipe()
    try:
        run_in_thread(lambda: os.close(w))
        with pytest.raises(OSError, match="Bad file descriptor"):
            os.fstat(w)  # one fd table per process: the thread closed ours
    finally:
        os.close(r)


def test_parent_and_child_share_an_inherited_fds_offset() -> None:
    # The fd tables are copies, but both entries point at one open file description.
    result = call_in_subprocess(demo_shared_offset)
    assert result == {"exit": 0, "child_read": "abc", "parent_read": "def"}


def test_a_lock_held_by_another_thread_at_fork_stays_held_in_the_child() -> None:
    result = call_in_subprocess(demo_fork_with_held_lock)
    assert result["child_exit"] == 3  # the holder thread does not exist in the child
    assert result["parent_can_lock_now"] is True  # in the parent it released normally


@pytest.mark.skipif(sys.platform != "linux", reason="counts threads in /proc/<pid>/task")
def test_a_fresh_interpreter_is_single_threaded_so_it_may_fork() -> None:
    assert call_in_subprocess(thread_count) == 1
