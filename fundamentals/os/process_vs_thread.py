"""Processes and threads side by side: what a forked child shares with its parent.

The code behind ``process_vs_thread.md``. The demonstrations fork, so the
tests run them in a fresh interpreter (``call_in_subprocess``); the thread
demonstration too, since it differs from the fork one in a single argument.
"""

from __future__ import annotations

import os
import tempfile
import threading
import warnings
from collections.abc import Callable
from typing import Any

from fundamentals.os.processes import LOOK_MS, exit_code, fork_child, read_all


def run_in_child(body: Callable[[], None]) -> int:
    """Run ``body`` in a forked child process; wait for it and return its exit code."""
    return exit_code(fork_child(body))


def run_in_thread(body: Callable[[], None]) -> int:
    """Run ``body`` on a new thread of this process; wait for it and return 0.

    The thread counterpart of ``run_in_child``, so that the two demonstrations
    below differ in nothing else.
    """
    thread = threading.Thread(target=body)
    thread.start()
    thread.join(timeout=10)
    if thread.is_alive():
        raise RuntimeError("the thread did not finish")
    return 0


def _write_elsewhere(run: Callable[[Callable[[], None]], int]) -> dict[str, Any]:
    """``run`` a writer that overwrites a buffer and reports; then read the buffer here."""
    box = bytearray(b"parent")
    r, w = os.pipe()

    def writer() -> None:
        box[:] = b"writer"
        os.write(w, f"{id(box)} {box.decode()}".encode())

    code = run(writer)
    os.close(w)  # a child's copy closed when it exited; a thread shares this one
    address, view = read_all(r).decode().split()
    return {
        "exit": code,
        "writer_view": view,
        "our_view": box.decode(),
        "same_address": int(address) == id(box),
    }


def demo_child_write() -> dict[str, Any]:
    """A forked child overwrites a buffer; the parent then reads the same address."""
    return _write_elsewhere(run_in_child)  # break[thread-not-fork]


def demo_thread_write() -> dict[str, Any]:
    """Another thread overwrites a buffer; this thread then reads the same address."""
    return _write_elsewhere(run_in_thread)  # break[fork-not-thread]


def demo_child_identity() -> dict[str, bool]:
    """What ``fork`` returns to the parent, and who the child says it is."""
    r, w = os.pipe()

    def child() -> None:
        os.close(r)
        os.write(w, f"{os.getpid()} {os.getppid()}".encode())

    pid = fork_child(child)
    os.close(w)
    child_pid, child_ppid = map(int, read_all(r).decode().split())
    exit_code(pid)
    return {
        "fork_returned_child_pid": pid == child_pid,
        "child_pid_differs": child_pid != os.getpid(),
        "child_ppid_is_parent": child_ppid == os.getpid(),
    }


def demo_child_closes_fd() -> dict[str, Any]:
    """The child closes its copy of a pipe's write end; the parent's copy still works."""
    r, w = os.pipe()
    code = run_in_child(lambda: os.close(w))
    written = os.write(w, b"still open")
    os.close(w)
    return {"exit": code, "written": written, "read": read_all(r).decode()}


def demo_shared_offset() -> dict[str, Any]:
    """Parent and child read one inherited fd: they share its offset (one open file description)."""
    r, w = os.pipe()
    with tempfile.TemporaryFile() as file:
        fd = file.fileno()
        os.write(fd, b"abcdef")
        os.lseek(fd, 0, os.SEEK_SET)

        def child() -> None:
            os.close(r)
            os.write(w, os.read(fd, 3))

        pid = fork_child(child)
        os.close(w)
        child_read = read_all(r).decode()
        code = exit_code(pid)
        parent_read = os.read(fd, 3).decode()  # continues where the child stopped
    return {"exit": code, "child_read": child_read, "parent_read": parent_read}


def demo_fork_with_held_lock() -> dict[str, Any]:
    """Fork while another thread holds a lock: in the child nobody will ever release it."""
    lock = threading.Lock()
    holding, release = threading.Event(), threading.Event()

    def holder() -> None:
        with lock:
            holding.set()
            release.wait(timeout=10)

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        holding.wait(timeout=10)
        with warnings.catch_warnings():  # 3.12+ warns about exactly this; we mean it
            warnings.simplefilter("ignore", DeprecationWarning)
            # exit 0: the child got the lock; exit 3: still held after LOOK_MS
            pid = fork_child(lambda: 0 if lock.acquire(timeout=LOOK_MS / 1000) else 3)
    finally:
        release.set()
        thread.join(timeout=10)
    code = exit_code(pid)
    return {"child_exit": code, "parent_can_lock_now": lock.acquire(timeout=1)}
