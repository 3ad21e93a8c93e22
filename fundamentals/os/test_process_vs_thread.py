"""os.process_vs_thread: a forked child writes to its own copy; a thread writes to ours.

The demonstrations live in ``process_vs_thread.py`` and run through
``call_in_subprocess`` in a fresh interpreter, never inside pytest: the memory
ones share one writer and differ only in ``run_in_child`` versus
``run_in_thread``. The fd and pid checks on threads run here.
"""

from __future__ import annotations

import mmap
import os
import signal
import sys
import threading

import pytest

from fundamentals.os.process_vs_thread import (
    demo_child_closes_fd,
    demo_child_crash,
    demo_child_identity,
    demo_child_write,
    demo_fork_during_a_print,
    demo_fork_with_held_lock,
    demo_shared_offset,
    demo_thread_crash,
    demo_thread_write,
    demo_what_a_child_inherits,
    run_in_thread,
    thread_stack_under_limit,
)
from fundamentals.os.processes import CHILD_CRASHED, call_in_subprocess
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


def test_a_lock_held_inside_print_at_fork_hangs_the_childs_print() -> None:
    # Another thread is inside print() on a stdout-like stream, holding its
    # BufferedWriter's lock, when we fork. The child's print to that stream
    # waits for ever; the alarm ends it after LOOK_MS (it decides nothing: the
    # lock's owner does not exist in the child). To a fresh stream it prints.
    assert call_in_subprocess(demo_fork_during_a_print, True) == -signal.SIGALRM
    assert call_in_subprocess(demo_fork_during_a_print, False) == 0


def test_a_crashing_child_leaves_the_parent_running() -> None:
    # os._exit and a real segmentation fault end only the child; the parent
    # reads the status (-11: killed by SIGSEGV) and goes on.
    assert call_in_subprocess(demo_child_crash, "exit") == {"status": 9, "we_survived": True}
    segfault = call_in_subprocess(demo_child_crash, "segfault")
    assert segfault == {"status": -signal.SIGSEGV, "we_survived": True}


def test_a_crashing_thread_takes_the_whole_process_down() -> None:
    # The same crashes on a thread end the interpreter that ran them: nothing
    # comes back, only its exit status (9, or killed by SIGSEGV).
    with pytest.raises(RuntimeError, match=r"exited with status 9;"):
        call_in_subprocess(demo_thread_crash, "exit")
    with pytest.raises(RuntimeError, match=rf"exited with status {-signal.SIGSEGV};"):
        call_in_subprocess(demo_thread_crash, "segfault")


def test_an_uncaught_exception_ends_only_its_thread() -> None:
    # A Python exception is not a crash: threading.excepthook reports it and
    # only that thread ends. In a forked child it ends the child (status 70).
    assert call_in_subprocess(demo_thread_crash, "raise") == {"status": 0, "we_survived": True}
    assert call_in_subprocess(demo_child_crash, "raise") == {
        "status": CHILD_CRASHED,
        "we_survived": True,
    }
    with pytest.raises(ValueError, match="unknown crash 'boom'"):
        demo_child_crash("boom")


@pytest.mark.skipif(sys.platform != "linux", reason="reopens the file through /proc/self/fd")
def test_what_a_forked_child_inherits() -> None:
    result = call_in_subprocess(demo_what_a_child_inherits)
    assert result["exit"] == 0
    assert result["child"] == {
        # One open file description, shared: its flock is already ours...
        "flock_via_inherited_fd": True,
        # ...and real: a new open of the same file is refused it.
        "flock_via_fresh_open": False,
        # The parent's lockf lock stays the parent's: we are refused it.
        "record_lock": False,
        # Signal dispositions and the signal mask are copied...
        "sigusr1_ignored": True,
        "sigusr2_blocked": True,
        # ...pending signals are not.
        "sigusr2_pending": False,
        # Only the thread that called fork exists in the child.
        "threads": 1,
    }
    assert result["parent"] == {"sigusr2_pending": True, "threads": 2}


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/smaps and /proc/<tid>")
def test_a_threads_stack_is_rlimit_stack_of_address_space_mostly_not_resident() -> None:
    # glibc sizes a new thread's stack by the soft RLIMIT_STACK read at start-up
    # (4 MiB here, set before the interpreter starts), below it an inaccessible
    # guard page; only the pages the thread has touched are in RAM.
    stack = call_in_subprocess(thread_stack_under_limit, 4096)
    assert stack["rlimit_kib"] == 4096
    assert stack["stack_kib"] == 4096
    assert stack["guard_kib"] == mmap.PAGESIZE // 1024
    assert stack["resident_kib"] <= 4096 // 16
