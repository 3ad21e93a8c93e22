"""os.ipc: pipe EOF needs every write end closed; a MAP_SHARED mapping survives fork.

A missing EOF is detected with a ``poll`` timeout (``processes.LOOK_MS``), never by
hanging: the timeout only bounds how long we look, since no writer exists that
could make the pipe readable. Forking demonstrations run in a fresh
interpreter through ``call_in_subprocess``.
"""

from __future__ import annotations

import fcntl
import os
import sys

import pytest

from fundamentals.os.ipc import (
    demo_child_reader_closes,
    demo_child_reader_forgets,
    demo_parent_keeps_write_end,
    demo_read_stdout_first,
    demo_shared_mapping,
)
from fundamentals.os.processes import LOOK_MS, call_in_subprocess, readable

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")


def test_read_sees_eof_only_after_every_write_end_is_closed() -> None:
    result = call_in_subprocess(demo_parent_keeps_write_end)
    assert result == {
        "exit": 0,
        "data": "hi",
        "no_eof_yet": True,  # the writer exited, but our copy of w is still open
        "eof_now": True,
        "after_close": "",  # read returns b"": EOF
    }


def test_child_reader_must_close_its_inherited_write_end() -> None:
    assert call_in_subprocess(demo_child_reader_closes) == 0
    assert call_in_subprocess(demo_child_reader_forgets) == 3  # no EOF: it would wait forever


def test_the_child_readers_eof_does_not_depend_on_timing() -> None:
    # The parent stalls for twice LOOK_MS between writing and closing. The
    # well-behaved child waits for the data and for the close without a
    # deadline, so it still sees EOF; LOOK_MS only bounds the search for an
    # EOF that cannot come. The stall is injected, not waited for.
    assert call_in_subprocess(demo_child_reader_closes, 2 * LOOK_MS) == 0


def test_anonymous_shared_mapping_is_shared_across_fork_private_is_not() -> None:
    result = call_in_subprocess(demo_shared_mapping)
    assert result["exit"] == 0
    assert result["shared"] == b"child".hex()
    assert result["private"] == bytes(5).hex()  # the child wrote to its own copy
    assert result["default"] == b"child".hex()  # Python's mmap(-1, n) is MAP_SHARED


def test_eof_in_one_process_is_the_same_rule() -> None:
    r, w = os.pipe()
    try:
        os.write(w, b"x")
        assert os.read(r, 10) == b"x"
        assert readable(r, 0) is False  # drained, and a writer (us) exists: a read would block
    finally:
        os.close(w)
    try:
        assert readable(r, 0)
        assert os.read(r, 10) == b""
    finally:
        os.close(r)


def test_writing_to_a_pipe_without_readers_is_a_broken_pipe() -> None:
    r, w = os.pipe()
    os.close(r)
    try:
        # Python ignores SIGPIPE at start-up, so the write fails with EPIPE instead of killing us.
        with pytest.raises(BrokenPipeError):
            os.write(w, b"x")
    finally:
        os.close(w)


@pytest.mark.skipif(sys.platform != "linux", reason="F_GETPIPE_SZ is Linux-only")
def test_a_pipe_buffer_is_finite_and_a_full_pipe_blocks_the_writer() -> None:
    r, w = os.pipe()
    try:
        capacity = fcntl.fcntl(w, fcntl.F_GETPIPE_SZ)
        os.set_blocking(w, False)  # a blocking writer would simply stop here
        written = 0
        for _ in range(capacity // 4096 + 1):
            try:
                written += os.write(w, b"x" * 4096)
            except BlockingIOError:  # EAGAIN: the pipe is full
                break
        else:
            pytest.fail(f"wrote {written} bytes into a {capacity}-byte pipe without blocking")
        assert written == capacity  # 64 KiB by default on Linux
        os.read(r, 4096)
        assert os.write(w, b"x" * 4096) == 4096  # room again once the reader reads
    finally:
        os.close(r)
        os.close(w)


@pytest.mark.skipif(sys.platform != "linux", reason="F_GETPIPE_SZ is Linux-only")
def test_reading_stdout_to_eof_first_deadlocks_a_child_that_fills_stderr() -> None:
    result = demo_read_stdout_first()
    # The child sits in write() on a full stderr pipe (64 KiB queued, nobody
    # reading), so its stdout gets neither data nor EOF: reading stdout to EOF
    # first would wait for ever.
    assert result["stderr_full"] is True
    assert result["stdout_silent"] is True
    # communicate() reads both pipes as data arrives (a selector on POSIX).
    assert result == {
        "stderr_full": True,
        "stdout_silent": True,
        "out": "done",
        "err_bytes": 200_000,
        "exit": 0,
    }
