"""Pipes and shared memory between a parent and its forked child, and a child's two output pipes.

The code behind ``ipc.md``. The demonstrations that fork run in a fresh
interpreter in the tests (``call_in_subprocess``); ``demo_read_stdout_first``
starts its child with ``subprocess`` and runs anywhere.
"""

from __future__ import annotations

import array
import fcntl
import mmap
import os
import subprocess
import sys
import termios
import time
from typing import Any

from fundamentals.os.processes import LOOK_MS, exit_code, fork_child, read_all, readable


def demo_parent_keeps_write_end() -> dict[str, Any]:
    """The child writes and exits; the parent still holds a write end, so no EOF yet."""
    r, w = os.pipe()

    def child() -> None:
        os.close(r)
        os.write(w, b"hi")

    code = exit_code(fork_child(child))  # the child, and its write end, are gone
    data = os.read(r, 100)
    no_eof_yet = not readable(r, LOOK_MS)  # our own w keeps the pipe open
    os.close(w)
    return {
        "exit": code,
        "data": data.decode(),
        "no_eof_yet": no_eof_yet,
        "eof_now": readable(r, 0),
        "after_close": read_all(r).decode(),
    }


def _child_reader(close_inherited_write_end: bool, stall_ms: int = 0) -> int:
    """The parent writes b"data" and closes its write end; does the child reader see EOF?

    The child's exit status answers: 0 EOF right after the data, 3 no EOF.
    The child blocks for the data (no deadline), then waits, also without a
    deadline, for the parent's word on a second pipe that its write end is
    closed. Only then does it look for EOF, and only the "no EOF" answer
    needs LOOK_MS: with every write end closed, EOF is already there. The
    parent may stall ``stall_ms`` between writing and closing, as a loaded
    machine might; that changes nothing.
    """
    r, w = os.pipe()
    closed_r, closed_w = os.pipe()

    def child() -> int:
        os.close(closed_w)
        if close_inherited_write_end:
            os.close(w)  # break[reader-keeps-write-end]
        got = b""
        while len(got) < len(b"data"):  # blocking reads: the data comes when it comes
            chunk = os.read(r, 100)
            if not chunk:
                return 4  # EOF before the data: not what the parent sent
            got += chunk
        if got != b"data" or os.read(closed_r, 1) != b"c":  # blocks until the parent says so
            return 4
        if readable(r, LOOK_MS) and os.read(r, 100) == b"":
            return 0
        return 3  # every other write end is closed, yet no EOF: ours keeps the pipe open

    pid = fork_child(child)
    os.close(r)
    os.close(closed_r)
    os.write(w, b"data")
    if stall_ms:
        time.sleep(stall_ms / 1000)  # a parent descheduled between its write and its close
    os.close(w)
    os.write(closed_w, b"c")
    os.close(closed_w)
    return exit_code(pid)


def demo_child_reader_closes(stall_ms: int = 0) -> int:
    """A child reader that closed its inherited write end: exit 0, it saw EOF."""
    return _child_reader(close_inherited_write_end=True, stall_ms=stall_ms)


def demo_child_reader_forgets() -> int:
    """A child reader that kept its inherited write end: exit 3, EOF never came."""
    return _child_reader(close_inherited_write_end=False)


def demo_shared_mapping() -> dict[str, Any]:
    """The child writes into MAP_SHARED, MAP_PRIVATE and default ``mmap(-1, n)`` mappings."""
    shared = mmap.MAP_SHARED | mmap.MAP_ANONYMOUS  # break[shared-made-private]
    private = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
    maps = {
        "shared": mmap.mmap(-1, mmap.PAGESIZE, flags=shared),
        "private": mmap.mmap(-1, mmap.PAGESIZE, flags=private),
        "default": mmap.mmap(-1, mmap.PAGESIZE),
    }

    def child() -> None:
        for m in maps.values():
            m[:5] = b"child"

    # Waiting for the child's exit orders its writes before our reads.
    result: dict[str, Any] = {"exit": exit_code(fork_child(child))}
    for name, m in maps.items():
        result[name] = m[:5].hex()
        m.close()
    return result


CHATTY_CHILD = "import os; os.write(2, b'e' * 200_000); os.write(1, b'done')"
"""A child that writes 200 000 bytes to stderr, more than a pipe holds, before its stdout."""


def _queued(fd: int) -> int:
    """Bytes waiting to be read in the pipe ``fd`` (the ``FIONREAD`` ioctl)."""
    count = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, count)
    return count[0]


def demo_read_stdout_first() -> dict[str, Any]:
    """Read a child's stdout before its stderr, then let ``communicate`` rescue it.

    The child fills its stderr pipe and blocks in ``write``: the parent waits
    (bounded) until that pipe holds ``F_GETPIPE_SZ`` bytes. Nothing can then
    reach stdout, which stays silent for LOOK_MS, neither data nor EOF: a parent
    that reads stdout to EOF first waits for ever. ``communicate`` reads both.
    """
    with subprocess.Popen(
        [sys.executable, "-c", CHATTY_CHILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        try:
            err_fd = proc.stderr.fileno()
            capacity = fcntl.fcntl(err_fd, fcntl.F_GETPIPE_SZ)
            deadline = time.monotonic() + 10
            while _queued(err_fd) < capacity and time.monotonic() < deadline:
                time.sleep(0.002)  # how soon we notice, never the outcome
            stderr_full = _queued(err_fd) == capacity
            stdout_silent = not readable(proc.stdout.fileno(), LOOK_MS)
            out, err = proc.communicate(timeout=10)  # break[read-stdout-then-stderr]
        finally:
            if proc.poll() is None:
                proc.kill()
    return {
        "stderr_full": stderr_full,
        "stdout_silent": stdout_silent,
        "out": out.decode(),
        "err_bytes": len(err),
        "exit": proc.returncode,
    }
