"""Processes and threads side by side: what a forked child shares with its parent.

The code behind ``process_vs_thread.md``. Every demonstration forks, so the
tests run them in a fresh interpreter (``call_in_subprocess``).
"""

from __future__ import annotations

import os
import tempfile
import threading
import warnings
from typing import Any

from fundamentals.os.processes import LOOK_MS, exit_code, fork_child, read_all


def demo_child_write() -> dict[str, Any]:
    """The child overwrites a buffer and reports; the parent then reads the same address."""
    box = bytearray(b"parent")
    r, w = os.pipe()

    def child() -> None:
        os.close(r)
        box[:] = b"child!"
        os.write(w, f"{id(box)} {box.decode()} {os.getpid()} {os.getppid()}".encode())

    pid = fork_child(child)
    os.close(w)
    address, view, child_pid, child_ppid = read_all(r).decode().split()
    return {
        "exit": exit_code(pid),
        "child_view": view,
        "parent_view": box.decode(),
        "same_address": int(address) == id(box),
        "fork_returned_child_pid": pid == int(child_pid),
        "child_pid_differs": int(child_pid) != os.getpid(),
        "child_ppid_is_parent": int(child_ppid) == os.getpid(),
    }


def demo_child_closes_fd() -> dict[str, Any]:
    """The child closes its copy of a pipe's write end; the parent's copy still works."""
    r, w = os.pipe()
    code = exit_code(fork_child(lambda: os.close(w)))
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
