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
    DEFAULT_BUFFER_SIZE_FROM_3_14,
    DEFAULT_BUFFER_SIZE_UNTIL_3_13,
    SYSCALL_READ,
    SYSCALL_WRITE,
    UNBUFFERED_WAYS,
    CountingRaw,
    blocked_in_read,
    buffered_write_calls,
    clock_calls_that_enter_the_kernel,
    current_syscall,
    default_buffer_size,
    interrupt_blocked_read,
    open_buffer_size,
    parse_syscall,
    printed_line_is_in_the_pipe,
    sigpipe_ignored_in_child,
    stderr_in_a_pipe,
    vdso_functions,
    write_syscalls,
    write_to_closed_pipe,
    yes_into_head,
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


KIB, MIB = 1024, 1024 * 1024


@pytest.mark.parametrize(
    ("st_blksize", "version", "expected"),
    [
        # 3.11 to 3.13: st_blksize as it is, 8 KiB only when the file gives none.
        (4096, (3, 11), 4096),  # ext4, tmpfs: 4 KiB, not 8
        (4096, (3, 13), 4096),
        (MIB, (3, 12), MIB),  # no ceiling
        (1, (3, 13), 8 * KIB),
        (0, (3, 11), 8 * KIB),
        # 3.14 on (gh-117151): max(min(st_blksize, 8 MiB), 128 KiB).
        (4096, (3, 14), 128 * KIB),  # the 128 KiB floor
        (MIB, (3, 14), MIB),  # between floor and ceiling: st_blksize
        (64 * MIB, (3, 15), 8 * MIB),  # the 8 MiB ceiling
        (0, (3, 14), 128 * KIB),
    ],
)
def test_default_buffer_size_follows_each_versions_rule(
    st_blksize: int, version: tuple[int, int], expected: int
) -> None:
    assert default_buffer_size(st_blksize, version) == expected


def test_default_buffer_size_comes_from_the_file_not_a_constant() -> None:
    # Where the two rules differ from "io.DEFAULT_BUFFER_SIZE for everything".
    assert default_buffer_size(4096, (3, 13)) == 4096  # not 8192
    assert default_buffer_size(MIB, (3, 14)) == MIB  # not 128 KiB


def test_default_buffer_size_is_the_running_versions_constant() -> None:
    # The constants the rule uses are the interpreter's own io.DEFAULT_BUFFER_SIZE.
    if sys.version_info >= (3, 14):
        assert io.DEFAULT_BUFFER_SIZE == DEFAULT_BUFFER_SIZE_FROM_3_14
    else:
        assert io.DEFAULT_BUFFER_SIZE == DEFAULT_BUFFER_SIZE_UNTIL_3_13


def test_open_sizes_its_buffer_by_the_running_versions_rule(tmp_path: Path) -> None:
    # No /proc needed: os.fstat's st_size shows what has reached the kernel.
    with open(tmp_path / "out", "wb") as f:
        size = open_buffer_size(f.fileno())  # 4096 on ext4 and tmpfs up to 3.13
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


# The fresh interpreter writes nothing else while it measures, so the counts below
# are exact: the writes asked for, or the buffer's own raw writes, flush at close
# included.


@linux_only
def test_kernel_counts_one_write_syscall_per_unbuffered_record(syscw: dict[str, int]) -> None:
    assert syscw["os.write"] == RECORDS


@linux_only
def test_kernel_sees_two_writes_through_an_8_kib_buffer(syscw: dict[str, int]) -> None:
    # 819 records of 10 bytes fill 8192 bytes, so 1000 records need two buffers.
    assert syscw["buffered"] == buffered_write_calls(RECORDS, len(RECORD), BUFFER) == 2


@linux_only
def test_open_without_buffering_writes_per_its_default_buffer(syscw: dict[str, int]) -> None:
    # Up to 3.13, ext4 and tmpfs give st_blksize 4096: 409 records per buffer, so 3
    # writes, not 2. From 3.14 the 128 KiB floor holds all 10,000 bytes: 1 write.
    expected = buffered_write_calls(RECORDS, len(RECORD), syscw["buffer_of_default"])
    assert syscw["default"] == expected


@linux_only
def test_line_buffering_writes_every_line(syscw: dict[str, int]) -> None:
    # Each record is one line, written by one write(): one flush, one system call each.
    assert RECORD.count(b"\n") == 1
    assert syscw["line_buffered"] == RECORDS


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
    assert printed_line_is_in_the_pipe() is False


@linux_only
@pytest.mark.parametrize("way", UNBUFFERED_WAYS)
def test_python_u_or_pythonunbuffered_sends_each_print_to_the_pipe_at_once(way: str) -> None:
    assert printed_line_is_in_the_pipe(way) is True


def test_printed_line_is_in_the_pipe_refuses_an_unknown_way() -> None:
    with pytest.raises(ValueError, match="unbuffered must be None or one of"):
        printed_line_is_in_the_pipe("--unbuffered")


@linux_only
def test_stderr_is_line_buffered_in_a_pipe() -> None:
    report = stderr_in_a_pipe()
    assert report["line_buffering"] is True  # Python 3.9+, terminal or not
    # The full line went down at its newline; the half line waited for exit. A
    # block-buffered stderr would have sent nothing yet, an unbuffered one both.
    assert report["in_pipe"] == "line\n"
    assert report["at_exit"] == "partial"


@linux_only
@pytest.mark.parametrize("way", UNBUFFERED_WAYS)
def test_python_u_or_pythonunbuffered_makes_stderr_write_through(way: str) -> None:
    report = stderr_in_a_pipe(way)
    assert report["line_buffering"] is False
    assert report["in_pipe"] == "line\npartial"  # each write went straight down
    assert report["at_exit"] == ""


@linux_only
def test_children_inherit_ignored_sigpipe_unless_subprocess_restores_it() -> None:
    assert signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN  # as CPython starts
    assert sigpipe_ignored_in_child("os.system") is True  # fork + exec kept SIG_IGN
    assert sigpipe_ignored_in_child("subprocess, restore_signals=False") is True
    assert sigpipe_ignored_in_child("subprocess") is False  # restore_signals=True: SIG_DFL


def test_sigpipe_ignored_in_child_refuses_an_unknown_start() -> None:
    with pytest.raises(ValueError, match="start must be one of"):
        sigpipe_ignored_in_child("os.fork")


@linux_only
def test_yes_into_head_dies_of_sigpipe_only_when_signals_are_restored() -> None:
    restored = yes_into_head(restore_signals=True)
    assert restored["stdout"] == "y\n"
    assert restored["yes_status"] == 128 + signal.SIGPIPE  # killed, silently
    assert restored["messages"] == []
    inherited = yes_into_head(restore_signals=False)
    assert inherited["stdout"] == "y\n"
    # Not killed: yes saw EPIPE, and exits with an error of its own (1 for GNU yes).
    assert inherited["yes_status"] not in (0, 128 + signal.SIGPIPE)
    assert any("Broken pipe" in line for line in inherited["messages"])


X86_64_VDSO = {
    "clock_gettime",
    "clock_getres",
    "gettimeofday",
    "time",
    "getcpu",
    "getrandom",  # Linux 6.11+
    "sgx_enter_enclave",  # kernels built with CONFIG_X86_SGX (Linux 5.11+)
}
"""What the x86-64 vDSO can export: ``arch/x86/entry/vdso/vdso.lds.S``."""


@linux_only
def test_only_a_few_calls_are_served_by_the_vdso() -> None:
    functions = set(vdso_functions())
    assert {"clock_gettime", "gettimeofday"} <= functions
    assert functions & {"read", "write", "open", "getpid", "mmap"} == set()
    if os.uname().machine == "x86_64":
        assert {"clock_gettime", "gettimeofday", "time", "getcpu"} <= functions <= X86_64_VDSO


VDSO_CLOCKSOURCES = {"tsc", "kvm-clock"}
"""Clocksources the x86 vDSO reads in user space (kvm-clock: when the host marks it stable)."""
SYSCALL_CLOCKSOURCES = {"hpet", "acpi_pm", "jiffies", "refined-jiffies"}
"""Clocksources no vDSO can read: clock_gettime falls back to the system call."""


@pytest.fixture(scope="module")
def clock_calls() -> dict[str, Any]:
    report: dict[str, Any] = call_in_subprocess(clock_calls_that_enter_the_kernel)
    if report["entered_kernel"] is None:
        pytest.skip(f"no clock system call numbers for {os.uname().machine}")
    if "unavailable" in report["entered_kernel"]:
        pytest.skip(f"seccomp is unavailable here: {report['entered_kernel']['unavailable']}")
    return report


@linux_only
def test_the_seccomp_filter_makes_clock_system_calls_fail(clock_calls: dict[str, Any]) -> None:
    entered = clock_calls["entered_kernel"]
    assert entered["clock_gettime(2) itself"] is True  # the control: the filter works
    # CPU-time clocks are never served by the vDSO (time.process_time() uses one).
    assert entered["CLOCK_PROCESS_CPUTIME_ID"] is True


@linux_only
def test_time_time_enters_the_kernel_only_without_a_vdso_clocksource(
    clock_calls: dict[str, Any],
) -> None:
    source, entered = clock_calls["clocksource"], clock_calls["entered_kernel"]
    if source in VDSO_CLOCKSOURCES:
        assert entered["time.time"] is False  # answered in user space by the vDSO
        assert entered["time.monotonic"] is False
    elif source in SYSCALL_CLOCKSOURCES:
        assert entered["time.time"] is True  # the vDSO fell back to clock_gettime(2)
        assert entered["time.monotonic"] is True
    else:  # xen, hyperv, arch_sys_counter...: depends on the hypervisor or the CPU
        assert entered["time.time"] == entered["time.monotonic"]  # one clocksource serves both


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
