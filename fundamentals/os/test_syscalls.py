"""os.syscalls: buffering decides how many writes reach the kernel; PEP 475 retries EINTR.

The kernel-side measurements (``syscalls.write_syscalls``,
``syscalls.interrupt_blocked_read``, ``syscalls.write_to_closed_pipe``) run in
a fresh interpreter: ``/proc/self/io`` counts every write system call of the
process, so nothing else (pytest's own output, plugin threads) may write while
we measure, and signal and fork demonstrations must not disturb pytest.
"""

from __future__ import annotations

import hashlib
import io
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fundamentals.os.processes import call_in_subprocess
from fundamentals.os.syscalls import (
    SYSCALL_READ,
    SYSCALL_WRITE,
    CountingRaw,
    blocked_in_read,
    buffered_write_calls,
    current_syscall,
    interrupt_blocked_read,
    open_buffer_size,
    parse_syscall,
    printed_line_is_in_the_pipe,
    vdso_functions,
    write_syscalls,
    write_to_closed_pipe,
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


@pytest.mark.parametrize("buffer_size", [10, 64, 100, 1000, 4096, 8192])
def test_buffered_write_calls_predicts_what_the_buffered_writer_does(buffer_size: int) -> None:
    raw = CountingRaw()
    with io.BufferedWriter(raw, buffer_size=buffer_size) as f:
        for _ in range(RECORDS):
            f.write(RECORD)
    assert raw.calls == buffered_write_calls(RECORDS, len(RECORD), buffer_size)
    assert bytes(raw.data) == RECORD * RECORDS


def test_buffered_write_calls_rejects_records_that_bypass_the_buffer() -> None:
    with pytest.raises(ValueError, match="record_size must be between 1 and buffer_size"):
        buffered_write_calls(RECORDS, 0, BUFFER)
    with pytest.raises(ValueError, match="records must be at least 0"):
        buffered_write_calls(-1, len(RECORD), BUFFER)


def test_open_sizes_its_buffer_from_st_blksize(tmp_path: Path) -> None:
    # No /proc needed: os.fstat's st_size shows what has reached the kernel.
    with open(tmp_path / "out", "wb") as f:
        size = open_buffer_size(f.fileno())  # st_blksize: 4096 on ext4 and tmpfs
        for _ in range(size):
            f.write(b"x")  # one byte at a time fills the buffer exactly
        assert os.fstat(f.fileno()).st_size == 0  # still all in user space
        f.write(b"x")  # the first byte that does not fit sends the whole buffer down
        assert os.fstat(f.fileno()).st_size == size


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


# The fresh interpreter writes nothing else while a buffered file is open, so the
# counts below are exact: the buffer's own raw writes, flush at close included.


@linux_only
def test_kernel_sees_two_writes_through_an_8_kib_buffer(syscw: dict[str, int]) -> None:
    # 819 records of 10 bytes fill 8192 bytes, so 1000 records need two buffers.
    assert syscw["buffered"] == buffered_write_calls(RECORDS, len(RECORD), BUFFER) == 2


@linux_only
def test_open_without_buffering_writes_per_st_blksize(syscw: dict[str, int]) -> None:
    # ext4 and tmpfs report st_blksize 4096: 409 records per buffer, so 3 writes, not 2.
    expected = buffered_write_calls(RECORDS, len(RECORD), syscw["buffer_of_default"])
    assert syscw["default"] == expected


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
    assert report["was_blocked"] is True, "the main thread never blocked in read(2)"
    assert report["handler_ran"] is True
    assert report["read"] == "payload"  # no InterruptedError: PEP 475 retried the read


@linux_only
def test_an_exception_from_the_handler_aborts_the_read() -> None:
    _require_proc_syscall()
    report = call_in_subprocess(interrupt_blocked_read, True)
    assert report["was_blocked"] is True
    assert report["handler_ran"] is True
    assert report["read"] == "HandlerRaised"


def test_parse_syscall_reads_the_number_and_first_argument() -> None:
    assert parse_syscall("0 0x5 0x7ffd 0x64 0x0 0x0 0x0 0x7ffd 0x7f12") == (0, 5)
    assert parse_syscall("running") is None  # runnable or on a CPU
    assert parse_syscall("-1 0x7ffd 0x7f12") is None  # stopped in user space


@pytest.fixture
def pipe() -> Iterator[tuple[int, int]]:
    r, w = os.pipe()
    try:
        yield r, w
    finally:
        os.close(r)
        os.close(w)


def _wait_until(condition: Callable[[], bool]) -> bool:
    """Poll ``condition`` for up to 10 s; the polling only decides when we notice."""
    deadline = time.monotonic() + 10
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.001)
    return True


BIG = b"x" * (4 << 20)
"""Hashing this takes milliseconds, and hashlib releases the GIL while it hashes."""


@linux_only
def test_blocked_in_read_is_false_for_a_running_thread(pipe: tuple[int, int]) -> None:
    _require_proc_syscall()
    r, _ = pipe
    stop = threading.Event()
    tid: list[int] = []

    def spin() -> None:
        tid.append(threading.get_native_id())
        while not stop.is_set():
            hashlib.sha256(BIG).digest()  # pure computation: no system call at all

    thread = threading.Thread(target=spin)
    thread.start()
    try:
        assert _wait_until(lambda: bool(tid))
        path = Path(f"/proc/self/task/{tid[0]}/syscall")
        # Between two hashes the thread briefly takes the GIL (and may wait for it in
        # futex(2)); we wait until /proc shows it running, in no system call at all.
        assert _wait_until(lambda: path.read_text().split()[0] == "running")
        # Asked 20 times, so a version that mistakes "running" for "blocked" is caught
        # even if the thread is between two hashes at one of the looks.
        assert all(blocked_in_read(tid[0], r) is False for _ in range(20))
    finally:
        stop.set()
        thread.join()


def _blocked_thread(target: Callable[[], object]) -> tuple[threading.Thread, int]:
    tid: list[int] = []

    def run() -> None:
        tid.append(threading.get_native_id())
        target()

    thread = threading.Thread(target=run)
    thread.start()
    assert _wait_until(lambda: bool(tid))
    return thread, tid[0]


@linux_only
def test_blocked_in_read_sees_a_read_on_its_fd_only(pipe: tuple[int, int]) -> None:
    _require_proc_syscall()
    if SYSCALL_READ is None:
        pytest.skip("the read(2) number of this CPU architecture is not in SYSCALL_READ")
    r, w = pipe
    thread, tid = _blocked_thread(lambda: os.read(r, 1))
    try:
        assert _wait_until(lambda: current_syscall(tid) == (SYSCALL_READ, r))
        assert blocked_in_read(tid, r) is True
        assert blocked_in_read(tid, w) is False  # in read(2), but on another fd
    finally:
        os.write(w, b"x")
        thread.join()


@linux_only
def test_blocked_in_read_is_false_for_a_write_on_the_same_fd(pipe: tuple[int, int]) -> None:
    _require_proc_syscall()
    if SYSCALL_WRITE is None or SYSCALL_READ is None:
        pytest.skip("the syscall numbers of this CPU architecture are not in the tables")
    r, w = pipe
    os.set_blocking(w, False)
    try:
        while True:
            os.write(w, b"x" * 65536)  # fill the pipe
    except BlockingIOError:
        pass
    os.set_blocking(w, True)
    thread, tid = _blocked_thread(lambda: os.write(w, b"y"))  # blocks: the pipe is full
    try:
        assert _wait_until(lambda: current_syscall(tid) == (SYSCALL_WRITE, w))
        assert blocked_in_read(tid, w) is False  # the fd matches, the call is write(2)
    finally:
        os.set_blocking(r, False)
        try:
            while os.read(r, 1 << 20):
                pass
        except BlockingIOError:
            pass
        thread.join()


# --- SIGPIPE, stdout buffering, the vDSO ------------------------------------------


@linux_only
def test_write_to_a_closed_pipe_raises_in_python_and_kills_by_default() -> None:
    report = call_in_subprocess(write_to_closed_pipe)
    assert report["ignored_at_start"] is True  # CPython's start-up sets SIGPIPE to SIG_IGN
    assert report["python"] == "BrokenPipeError (errno 32)"  # EPIPE
    assert report["default_child_exit"] == -signal.SIGPIPE  # killed by the signal


@linux_only
def test_print_to_a_pipe_stays_in_the_buffer_until_exit() -> None:
    assert printed_line_is_in_the_pipe(unbuffered=False) is False


@linux_only
def test_python_u_sends_each_print_to_the_pipe_at_once() -> None:
    assert printed_line_is_in_the_pipe(unbuffered=True) is True


X86_64_VDSO = {"clock_gettime", "clock_getres", "gettimeofday", "time", "getcpu", "getrandom"}
"""What the x86-64 vDSO exports: ``arch/x86/entry/vdso/vdso.lds.S``; getrandom since Linux 6.11."""


@linux_only
def test_only_a_few_calls_are_served_by_the_vdso() -> None:
    functions = set(vdso_functions())
    assert {"clock_gettime", "gettimeofday"} <= functions
    assert functions & {"read", "write", "open", "getpid", "mmap"} == set()
    if os.uname().machine == "x86_64":
        assert {"clock_gettime", "gettimeofday", "time", "getcpu"} <= functions <= X86_64_VDSO


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
