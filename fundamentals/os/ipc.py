"""Pipes and shared memory between a parent and its forked child.

The code behind ``ipc.md``. Every demonstration forks, so the tests run them in
a fresh interpreter (``call_in_subprocess``).
"""

from __future__ import annotations

import mmap
import os
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


def _child_reader(close_inherited_write_end: bool) -> int:
    """The parent writes b"data" and closes its write end; does the child reader see EOF?

    The child's exit status answers: 0 EOF after the data, 3 no EOF within LOOK_MS.
    """
    r, w = os.pipe()

    def child() -> int:
        if close_inherited_write_end:
            os.close(w)  # break[reader-keeps-write-end]
        got = b""
        while readable(r, LOOK_MS):
            chunk = os.read(r, 100)
            if not chunk:
                return 0 if got == b"data" else 4
            got += chunk
        return 3

    pid = fork_child(child)
    os.close(r)
    os.write(w, b"data")
    os.close(w)
    return exit_code(pid)


def demo_child_reader_closes() -> int:
    """A child reader that closed its inherited write end: exit 0, it saw EOF."""
    return _child_reader(close_inherited_write_end=True)


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
