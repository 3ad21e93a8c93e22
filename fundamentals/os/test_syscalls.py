"""os.syscalls: buffering decides how many writes reach the kernel; PEP 475 retries EINTR.

The kernel-side measurements (``syscalls.write_syscalls``,
``syscalls.interrupt_blocked_read``) run in a fresh interpreter: ``/proc/self/io``
counts every write system call of the process, so nothing else (pytest's own
output, plugin threads) may write while we measure, and a signal demonstration
must not disturb pytest.
"""

from __future__ import annotations

import io
import os
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from fundamentals.os.processes import call_in_subprocess
from fundamentals.os.syscalls import (
    CountingRaw,
    blocked_in_read,
    interrupt_blocked_read,
    write_syscalls,
)

RECORDS = 1000
RECORD = b"123456789\n"  # 10 bytes: 10_000 bytes in total
BUFFER = 8192

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads Linux's /proc/<pid>/io and /proc/<tid>"
)


# --- counting in user space: portable -----------------------------------------


class CountingFileIO(io.FileIO):
    """A real file whose ``write`` calls (one system call each) are counted."""

    calls = 0

    def write(self, b: Any, /) -> int:
        self.calls += 1
        written = super().write(b)
        assert written is not None  # blocking file: never None
        return written


def test_unbuffered_writes_make_one_call_per_record(tmp_path: Path) -> None:
    raw = CountingFileIO(tmp_path / "out", "wb")
    with raw:
        for _ in range(RECORDS):
            raw.write(RECORD)
    assert raw.calls == RECORDS


def test_buffered_writer_coalesces_small_writes(tmp_path: Path) -> None:
    raw = CountingFileIO(tmp_path / "out", "wb")
    with io.BufferedWriter(raw, buffer_size=BUFFER) as f:
        for _ in range(RECORDS):
            f.write(RECORD)
    # 10_000 bytes through an 8 KiB buffer: one full buffer, then the rest at close.
    assert raw.calls == 2
    assert (tmp_path / "out").read_bytes() == RECORD * RECORDS


def test_short_writes_are_retried_by_the_buffered_writer() -> None:
    raw = CountingRaw(max_chunk=3000)
    with io.BufferedWriter(raw, buffer_size=BUFFER) as f:
        f.write(RECORD * RECORDS)
    assert bytes(raw.data) == RECORD * RECORDS  # nothing lost ...
    assert raw.calls == 4  # ... because it kept calling write: 3000 + 3000 + 3000 + 1000


def test_a_single_raw_write_may_be_short() -> None:
    raw = CountingRaw(max_chunk=3000)
    assert raw.write(RECORD * RECORDS) == 3000  # the caller must loop on the return value
    assert len(raw.data) == 3000


def test_os_write_to_a_full_pipe_is_partial_in_non_blocking_mode() -> None:
    r, w = os.pipe()
    try:
        os.set_blocking(w, False)
        big = b"x" * (4 << 20)  # far more than any pipe buffer
        written = os.write(w, big)
        assert 0 < written < len(big)
        with pytest.raises(BlockingIOError):
            os.write(w, big)  # full: EAGAIN
    finally:
        os.close(r)
        os.close(w)


# --- counting in the kernel: /proc/self/io syscw -------------------------------


@pytest.fixture(scope="module")
def syscw() -> dict[str, int]:
    if not Path("/proc/self/io").exists():
        pytest.skip("/proc/self/io is missing (kernel without task I/O accounting)")
    counts: dict[str, int] = call_in_subprocess(write_syscalls, RECORDS, RECORD.decode(), BUFFER)
    return counts


@linux_only
def test_kernel_counts_one_write_syscall_per_unbuffered_record(syscw: dict[str, int]) -> None:
    assert RECORDS <= syscw["os.write"] <= RECORDS + 5


@linux_only
def test_kernel_sees_only_a_few_writes_through_a_buffer(syscw: dict[str, int]) -> None:
    assert syscw["buffered"] <= len(RECORD) * RECORDS // BUFFER + 3


@linux_only
def test_line_buffering_writes_every_line(syscw: dict[str, int]) -> None:
    assert syscw["line_buffered"] >= RECORDS


# --- EINTR and PEP 475 ---------------------------------------------------------


def _require_proc_syscall() -> None:
    if not Path(f"/proc/self/task/{threading.get_native_id()}/syscall").exists():
        pytest.skip("/proc/<pid>/task/<tid>/syscall is unavailable: cannot see the blocked read")


@linux_only
def test_read_interrupted_by_a_signal_is_retried_after_the_handler() -> None:
    _require_proc_syscall()
    report = call_in_subprocess(interrupt_blocked_read, False)
    assert report["was_blocked"], "the main thread never blocked in read(2)"
    assert report["handler_ran"]
    assert report["read"] == "payload"  # no InterruptedError: PEP 475 retried the read


@linux_only
def test_an_exception_from_the_handler_aborts_the_read() -> None:
    _require_proc_syscall()
    report = call_in_subprocess(interrupt_blocked_read, True)
    assert report["was_blocked"]
    assert report["handler_ran"]
    assert report["read"] == "HandlerRaised"


@linux_only
def test_blocked_in_read_is_false_for_a_running_thread() -> None:
    r, w = os.pipe()
    try:
        assert not blocked_in_read(threading.get_native_id(), r)  # we are running
    finally:
        os.close(r)
        os.close(w)


def test_counting_raw_rejects_a_zero_chunk() -> None:
    with pytest.raises(ValueError, match="max_chunk must be at least 1"):
        CountingRaw(max_chunk=0)


def test_counting_raw_accepts_any_buffer() -> None:
    raw = CountingRaw()
    assert raw.write(memoryview(b"abc")) == 3
    assert raw.write(bytearray(b"de")) == 2
    assert bytes(raw.data) == b"abcde"
    assert raw.calls == 2
    with io.BufferedWriter(raw) as f:
        f.write(b"f")
    assert raw.calls == 3
