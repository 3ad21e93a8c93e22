"""System calls made visible: counted writes, ``/proc/self/io``, signals and the vDSO.

The code behind ``syscalls.md``. ``CountingRaw`` counts the writes a buffered
stream would make without a kernel, and ``buffered_write_calls`` predicts that
count. ``write_syscalls``, ``interrupt_blocked_read``, ``write_to_closed_pipe``
and ``clock_calls_that_enter_the_kernel`` measure the real kernel and run in a
fresh interpreter (``call_in_subprocess``); ``vdso_functions`` lists what the
kernel serves without a system call.
"""

from __future__ import annotations

import ctypes
import errno
import io
import json
import os
import platform
import shlex
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fundamentals.os.processes import exit_code, fork_child, read_all, readable

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


class CountingRaw(io.RawIOBase):
    """An in-memory raw stream that counts ``write`` calls, one per would-be syscall.

    ``max_chunk`` makes each write accept at most that many bytes, like a pipe
    or socket that is nearly full: a *short write*. ``io.BufferedWriter`` loops
    until everything is written; code that calls ``os.write`` once does not.

    >>> raw = CountingRaw()
    >>> with io.BufferedWriter(raw, buffer_size=64) as f:
    ...     for _ in range(10):
    ...         _ = f.write(b"0123456789")
    >>> len(raw.data), raw.calls
    (100, 2)
    """

    def __init__(self, max_chunk: int | None = None) -> None:
        super().__init__()
        if max_chunk is not None and max_chunk < 1:
            raise ValueError(f"max_chunk must be at least 1, got {max_chunk}")
        self.data = bytearray()
        self.calls = 0
        self.max_chunk = max_chunk

    def writable(self) -> bool:
        """Always writable."""
        return True

    def write(self, b: ReadableBuffer, /) -> int:
        """Accept up to ``max_chunk`` bytes of ``b``; return how many were taken."""
        self.calls += 1
        with memoryview(b) as view:
            chunk = view.cast("B")
            if self.max_chunk is not None:
                chunk = chunk[: self.max_chunk]
            self.data += chunk
            return len(chunk)


DEFAULT_BUFFER_SIZE_UNTIL_3_13 = 8 * 1024
"""``io.DEFAULT_BUFFER_SIZE`` in CPython 3.11, 3.12 and 3.13."""
DEFAULT_BUFFER_SIZE_FROM_3_14 = 128 * 1024
"""``io.DEFAULT_BUFFER_SIZE`` from CPython 3.14 on (gh-117151)."""
LARGEST_BLKSIZE_FROM_3_14 = 8 * 1024 * 1024
"""From 3.14 on, ``open()`` trusts ``st_blksize`` only up to 8 MiB."""


def default_buffer_size(st_blksize: int, version: tuple[int, ...] = sys.version_info[:2]) -> int:
    """The buffer ``open()`` of CPython ``version`` gives a file whose ``st_blksize`` is given.

    Up to 3.13 (``open`` in ``Lib/_pyio.py``; the C ``_io`` module takes the
    same value from ``FileIO._blksize``): ``st_blksize`` if it is above 1, else
    8192. From 3.14 on (gh-117151) ``DEFAULT_BUFFER_SIZE`` is 128 KiB and is a
    floor: ``max(min(st_blksize, 8 MiB), 128 KiB)``. So an ext4 or tmpfs file
    (``st_blksize`` 4096) gets 4 KiB up to 3.13 and 128 KiB from 3.14.

    >>> default_buffer_size(4096, (3, 13)), default_buffer_size(0, (3, 13))
    (4096, 8192)
    >>> default_buffer_size(4096, (3, 14)), default_buffer_size(1 << 30, (3, 14))
    (131072, 8388608)
    """
    from_3_14 = tuple(version[:2]) >= (3, 14)
    default = DEFAULT_BUFFER_SIZE_FROM_3_14 if from_3_14 else DEFAULT_BUFFER_SIZE_UNTIL_3_13
    blksize = st_blksize if st_blksize > 1 else default  # break[blksize-ignored]
    if not from_3_14:
        return blksize
    return max(min(blksize, LARGEST_BLKSIZE_FROM_3_14), default)


def open_buffer_size(fd: int) -> int:
    """The buffer ``open()`` gives a file opened on ``fd`` when ``buffering`` is not passed.

    ``default_buffer_size`` of the file's ``st_blksize``, for the running
    interpreter: 4 KiB on ext4 and tmpfs up to 3.13, not the 8 KiB of
    ``io.DEFAULT_BUFFER_SIZE``.

    >>> r, w = os.pipe()
    >>> open_buffer_size(w) == default_buffer_size(os.fstat(w).st_blksize)
    True
    >>> os.close(r); os.close(w)
    """
    return default_buffer_size(os.fstat(fd).st_blksize)


def buffered_write_calls(records: int, record_size: int, buffer_size: int) -> int:
    """Raw writes a ``BufferedWriter`` of ``buffer_size`` makes for ``records`` equal writes.

    CPython's C ``BufferedWriter`` copies a write into its buffer while it
    fits; a write that does not fit first sends the buffer down. So every raw
    write carries ``buffer_size // record_size`` whole records, and the last,
    partly filled buffer goes down at close. A record bigger than the buffer
    would bypass it, so that case is refused.

    >>> buffered_write_calls(1000, 10, 8192), buffered_write_calls(1000, 10, 4096)
    (2, 3)
    >>> buffered_write_calls(1, 10, 4)
    Traceback (most recent call last):
    ...
    ValueError: record_size must be between 1 and buffer_size (4), got 10
    """
    if not 1 <= record_size <= buffer_size:
        raise ValueError(
            f"record_size must be between 1 and buffer_size ({buffer_size}), got {record_size}"
        )
    if records < 0:
        raise ValueError(f"records must be at least 0, got {records}")
    per_call = buffer_size // record_size
    return -(-records // per_call)


def _syscw() -> int:
    """Write system calls made by this process so far (Linux task I/O accounting)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        key, _, value = line.partition(":")
        if key == "syscw":
            return int(value)
    raise RuntimeError("no syscw line in /proc/self/io")


def write_syscalls(records: int, text: str, buffer_size: int) -> dict[str, int]:
    """Write ``records`` copies of ``text`` (UTF-8) four ways; count write syscalls for each.

    ``default`` is ``open(path, "wb")`` with no ``buffering``; ``buffer_of_default``
    is the buffer size that gives it (``open_buffer_size`` of the file).
    """
    record = text.encode()
    result: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "out")
        before = _syscw()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        for _ in range(records):
            os.write(fd, record)
        os.close(fd)
        result["os.write"] = _syscw() - before

        before = _syscw()
        with open(path, "wb", buffering=buffer_size) as f:
            for _ in range(records):
                f.write(record)
        result["buffered"] = _syscw() - before

        before = _syscw()
        with open(path, "wb") as f:
            for _ in range(records):
                f.write(record)
        result["default"] = _syscw() - before
        fd = os.open(path, os.O_RDONLY)
        result["buffer_of_default"] = open_buffer_size(fd)
        os.close(fd)

        before = _syscw()
        with open(path, "w", buffering=1) as stream:  # line buffered, like stdout on a TTY
            for _ in range(records):
                stream.write(text)
        result["line_buffered"] = _syscw() - before
    return result


_MACHINE = platform.machine()
SYSCALL_READ = {"x86_64": 0, "amd64": 0, "aarch64": 63, "arm64": 63}.get(_MACHINE)
"""The number of read(2) on this CPU architecture, ``None`` if not in this table."""
SYSCALL_WRITE = {"x86_64": 1, "amd64": 1, "aarch64": 64, "arm64": 64}.get(_MACHINE)
"""The number of write(2) on this CPU architecture, ``None`` if not in this table."""


def parse_syscall(text: str) -> tuple[int, int] | None:
    """The (number, first argument) in the text of a ``/proc/<pid>/task/<tid>/syscall`` file.

    ``None`` when the thread is in no system call: ``running`` (runnable or on
    a CPU, so the kernel cannot look) or ``-1 <sp> <pc>`` (stopped in user space).

    >>> parse_syscall("0 0x3 0x7ffd 0x2000 0x0 0x0 0x0 0x7ffd 0x7f12")  # read(3, ...)
    (0, 3)
    >>> parse_syscall("running") is None, parse_syscall("-1 0x7ffd 0x7f12") is None
    (True, True)
    """
    fields = text.split()
    if len(fields) < 2 or fields[0] in ("running", "-1"):
        return None
    return int(fields[0]), int(fields[1], 16)


def current_syscall(tid: int) -> tuple[int, int] | None:
    """The system call thread ``tid`` of this process is in now, as ``parse_syscall`` gives it.

    A thread that reads its own file sees itself inside read(2) of that file.
    """
    return parse_syscall(Path(f"/proc/self/task/{tid}/syscall").read_text())


def blocked_in_read(tid: int, fd: int) -> bool:
    """Is thread ``tid`` of this process inside read(2) on ``fd`` right now?

    Reads ``/proc/self/task/<tid>/syscall``: the system call number and its
    arguments while the thread is blocked in one. On an architecture missing
    from ``SYSCALL_READ`` any system call whose first argument is ``fd`` counts.
    """
    call = current_syscall(tid)
    if call is None:
        return False  # break[running-counts-as-blocked]
    number, first_argument = call
    number_ok = SYSCALL_READ is None or number == SYSCALL_READ  # break[any-syscall-on-fd]
    return number_ok and first_argument == fd


class HandlerRaised(Exception):
    """Raised by the signal handler in the variant of the demonstration where it raises."""


def interrupt_blocked_read(handler_raises: bool) -> dict[str, Any]:
    """Block the main thread in ``os.read`` on an empty pipe, signal it, then feed the pipe.

    A helper thread waits until ``/proc`` shows the main thread inside read(2)
    on the pipe, sends it ``SIGUSR1``, waits until the handler has run and only
    then writes the data. So the read was certainly interrupted, and it can only
    return the data if Python retried it after the handler (PEP 475).
    """
    r, w = os.pipe()
    main_tid, main_ident = threading.get_native_id(), threading.get_ident()
    handler_ran = threading.Event()
    report: dict[str, Any] = {"handler_ran": False, "was_blocked": False}

    def handler(signum: int, frame: object) -> None:
        report["handler_ran"] = True
        handler_ran.set()
        if handler_raises:
            raise HandlerRaised("the handler raised")

    def helper() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if blocked_in_read(main_tid, r):
                report["was_blocked"] = True
                break
            time.sleep(0.001)  # polling only: the outcome never depends on it
        signal.pthread_kill(main_ident, signal.SIGUSR1)
        if handler_ran.wait(timeout=10) and not handler_raises:
            os.write(w, b"payload")

    previous = signal.signal(signal.SIGUSR1, handler)
    thread = threading.Thread(target=helper)
    thread.start()
    try:
        report["read"] = os.read(r, 100).decode()
    except HandlerRaised:
        report["read"] = "HandlerRaised"
    except InterruptedError:
        report["read"] = "InterruptedError"
    finally:
        thread.join(timeout=20)
        signal.signal(signal.SIGUSR1, previous)
        os.close(r)
        os.close(w)
    return report


# --------------------------------------------------------------------------
# SIGPIPE: why Python raises BrokenPipeError where a C program dies
# --------------------------------------------------------------------------


def _write_to_closed_pipe() -> str:
    """Write to a pipe whose read end is closed; say what happened (if we are still alive)."""
    r, w = os.pipe()
    os.close(r)
    try:
        os.write(w, b"x")
    except BrokenPipeError as error:
        return f"BrokenPipeError (errno {error.errno})"
    finally:
        os.close(w)
    return "the write succeeded"


def write_to_closed_pipe() -> dict[str, Any]:
    """Write to a pipe nobody reads, as Python starts, then in a child with SIGPIPE restored.

    Python sets SIGPIPE to ``SIG_IGN`` at start-up, so the kernel's EPIPE comes
    back as ``BrokenPipeError``. The forked child puts back the default
    disposition, as a C program has it, and the same write kills it. Forks,
    so run it in a fresh interpreter.
    """
    ignored = signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN

    def child() -> int:
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # break[sigpipe-stays-ignored]
        _write_to_closed_pipe()
        return 0  # only reached if the write did not kill us

    return {
        "ignored_at_start": ignored,
        "python": _write_to_closed_pipe(),
        "default_child_exit": exit_code(fork_child(child)),
    }


# --------------------------------------------------------------------------
# stdout is block-buffered when it is not a terminal
# --------------------------------------------------------------------------


UNBUFFERED_WAYS = ("-u", "PYTHONUNBUFFERED=1")
"""The two ways to start Python with unbuffered stdout and stderr."""


def _child_environment(*, unbuffered_env: bool) -> dict[str, str]:
    """Our environment, with ``PYTHONUNBUFFERED`` set to 1 or removed."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered_env:
        env["PYTHONUNBUFFERED"] = "1"
    return env


def printed_line_is_in_the_pipe(unbuffered: str | None = None) -> bool:
    """Does a child's ``print`` to a pipe reach the pipe before the child exits?

    The child prints a line, then says so on stderr and waits on stdin. By
    then a line-buffered or unbuffered stdout has written the line, so the
    pipe holding nothing is proof the line still sits in the child's buffer.
    ``unbuffered`` is ``None`` (plain ``python``) or one of
    ``UNBUFFERED_WAYS``; ``PYTHONUNBUFFERED`` is removed from the child's
    environment unless that is the way asked for.
    """
    if unbuffered is not None and unbuffered not in UNBUFFERED_WAYS:
        raise ValueError(f"unbuffered must be None or one of {UNBUFFERED_WAYS}, got {unbuffered!r}")
    env = _child_environment(unbuffered_env=unbuffered == "PYTHONUNBUFFERED=1")
    source = "import sys; print('hello'); sys.stderr.write('printed\\n'); sys.stdin.read()"
    command = [sys.executable, *(["-u"] if unbuffered == "-u" else []), "-c", source]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    ) as child:
        stdin, stdout, stderr = child.stdin, child.stdout, child.stderr
        if stdin is None or stdout is None or stderr is None:
            raise RuntimeError("Popen gave the child no pipes")
        if stderr.readline() != b"printed\n":
            raise RuntimeError("the child did not report its print")
        in_pipe = readable(stdout.fileno(), 0)
        stdin.close()  # EOF: the child returns, and flushes on exit
        rest = stdout.read()
        if rest != b"hello\n":
            raise RuntimeError(f"the child wrote {rest!r}, expected b'hello\\n'")
    return in_pipe


def stderr_in_a_pipe(unbuffered: str | None = None) -> dict[str, Any]:
    """What a child's stderr has sent down its pipe after a full line and half of another.

    The child writes ``"line\\n"`` then ``"partial"`` to stderr, then says
    "done" on stdout (flushed) and waits on stdin. Both stderr writes had
    returned by then, so ``in_pipe`` is everything stderr had passed to the
    kernel: the full line only, if stderr is line-buffered (Python 3.9+, even
    when it is not a terminal); both, if it is unbuffered. ``unbuffered`` is
    as for ``printed_line_is_in_the_pipe``.
    """
    if unbuffered is not None and unbuffered not in UNBUFFERED_WAYS:
        raise ValueError(f"unbuffered must be None or one of {UNBUFFERED_WAYS}, got {unbuffered!r}")
    source = (
        "import sys; sys.stderr.write('line\\n'); sys.stderr.write('partial');"
        " print(sys.stderr.line_buffering, flush=True); sys.stdin.read()"
    )
    with subprocess.Popen(
        [sys.executable, *(["-u"] if unbuffered == "-u" else []), "-c", source],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_child_environment(unbuffered_env=unbuffered == "PYTHONUNBUFFERED=1"),
    ) as child:
        stdin, stdout, stderr = child.stdin, child.stdout, child.stderr
        if stdin is None or stdout is None or stderr is None:
            raise RuntimeError("Popen gave the child no pipes")
        line_buffering = stdout.readline().strip() == b"True"
        in_pipe = os.read(stderr.fileno(), 65536) if readable(stderr.fileno(), 0) else b""
        stdin.close()
        at_exit = stderr.read()  # the rest, flushed when the child exits
    return {
        "line_buffering": line_buffering,
        "in_pipe": in_pipe.decode(),
        "at_exit": at_exit.decode(),
    }


# --------------------------------------------------------------------------
# SIG_IGN survives exec: what children of a Python process inherit
# --------------------------------------------------------------------------


CHILD_STARTS = ("subprocess", "subprocess, restore_signals=False", "os.system")
"""The ways ``sigpipe_ignored_in_child`` can start its child."""


def sigpipe_ignored_in_child(start: str) -> bool:
    """Is SIGPIPE ignored in a program this Python starts the ``start`` way?

    The child is ``grep`` reading its own ``SigIgn`` mask in
    ``/proc/self/status``. exec resets handled signals to their default but
    keeps ignored ones ignored, so the SIG_IGN that CPython set at start-up
    passes to every child unless something puts back SIG_DFL between fork and
    exec: ``subprocess`` does, with ``restore_signals=True`` (its default);
    ``os.system`` does not. ``start`` is one of ``CHILD_STARTS``.
    """
    command = ["grep", "^SigIgn:", "/proc/self/status"]
    if start == "os.system":
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp, "sigign")
            status = os.system(f"{shlex.join(command)} > {shlex.quote(str(out))}")
            if status != 0:
                raise RuntimeError(f"os.system ran grep with status {status}")
            line = out.read_text()
    elif start in CHILD_STARTS:
        line = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=True,
            restore_signals=start == "subprocess",
        ).stdout
    else:
        raise ValueError(f"start must be one of {CHILD_STARTS}, got {start!r}")
    return bool(int(line.split()[1], 16) & (1 << (signal.SIGPIPE - 1)))


def yes_into_head(*, restore_signals: bool) -> dict[str, Any]:
    """Run ``yes | head -n 1`` under ``sh`` from this Python; how did ``yes`` end?

    ``head`` exits after one line and ``yes`` writes on into a pipe with no
    reader. ``yes_status`` is what the shell saw: 128 + 13 if SIGPIPE killed
    it, GNU ``yes``'s error status 1 if it survived to see EPIPE (and said so
    on stderr, in ``messages``).
    """
    done = subprocess.run(
        ["sh", "-c", "(yes; echo $? >&2) | head -n 1"],
        capture_output=True,
        text=True,
        check=True,
        restore_signals=restore_signals,
    )
    *messages, status = done.stderr.splitlines()
    return {"stdout": done.stdout, "yes_status": int(status), "messages": messages}


# --------------------------------------------------------------------------
# Which clock reads enter the kernel: a seccomp filter makes them fail
# --------------------------------------------------------------------------

_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
"""``AUDIT_ARCH_*``: the architecture a seccomp filter sees in ``seccomp_data.arch``."""
_CLOCK_SYSCALLS = {
    "x86_64": {"clock_gettime": 228, "gettimeofday": 96, "time": 201},
    "aarch64": {"clock_gettime": 113, "gettimeofday": 169},  # no time(2) on arm64
}
"""The numbers of the system calls behind the vDSO's clock functions, per architecture."""

_BPF_LD_W_ABS, _BPF_JEQ_K, _BPF_RET_K = 0x20, 0x15, 0x06
_SECCOMP_RET_ALLOW, _SECCOMP_RET_ERRNO = 0x7FFF0000, 0x00050000
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2


def _clock_filter(machine: str) -> bytes:
    """A classic-BPF seccomp program: the clock system calls fail with EPERM, all else runs.

    ``seccomp_data`` starts with the call number (offset 0) and the
    architecture (offset 4); a call from another architecture is let through.
    """
    numbers = list(_CLOCK_SYSCALLS[machine].values())
    program = [
        (_BPF_LD_W_ABS, 0, 0, 4),
        (_BPF_JEQ_K, 0, len(numbers) + 1, _AUDIT_ARCH[machine]),  # else: jump to ALLOW
        (_BPF_LD_W_ABS, 0, 0, 0),
    ]
    for i, number in enumerate(numbers):
        program.append((_BPF_JEQ_K, len(numbers) - i, 0, number))  # match: jump to ERRNO
    program.append((_BPF_RET_K, 0, 0, _SECCOMP_RET_ALLOW))
    program.append((_BPF_RET_K, 0, 0, _SECCOMP_RET_ERRNO | errno.EPERM))
    return b"".join(struct.pack("=HBBI", *instruction) for instruction in program)


def _install_clock_filter(machine: str) -> None:
    """Make this process's clock system calls fail with EPERM, for good (seccomp is one-way)."""
    libc = ctypes.CDLL(None, use_errno=True)
    code = ctypes.create_string_buffer(_clock_filter(machine))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    program = SockFprog(len(code.raw) // 8, ctypes.addressof(code))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")


def _raw_clock_gettime() -> float:
    """``clock_gettime(CLOCK_REALTIME)`` as a real system call, bypassing the vDSO."""
    libc = ctypes.CDLL(None, use_errno=True)
    timespec = (ctypes.c_long * 2)()
    number = _CLOCK_SYSCALLS[platform.machine()]["clock_gettime"]
    if libc.syscall(number, time.CLOCK_REALTIME, timespec) != 0:
        raise OSError(ctypes.get_errno(), "clock_gettime(2) failed")
    return timespec[0] + timespec[1] / 1e9


CLOCK_READS: dict[str, Callable[[], float]] = {
    "time.time": time.time,  # clock_gettime(CLOCK_REALTIME)
    "time.monotonic": time.monotonic,  # clock_gettime(CLOCK_MONOTONIC)
    "CLOCK_PROCESS_CPUTIME_ID": lambda: time.clock_gettime(time.CLOCK_PROCESS_CPUTIME_ID),
    "clock_gettime(2) itself": _raw_clock_gettime,
}
"""The clock reads ``clock_calls_that_enter_the_kernel`` tries, by name."""


def current_clocksource() -> str | None:
    """The kernel's clocksource (``tsc``, ``kvm-clock``, ``hpet``...), ``None`` if unreadable."""
    path = Path("/sys/devices/system/clocksource/clocksource0/current_clocksource")
    try:
        return path.read_text().strip()
    except OSError:
        return None


def clock_calls_that_enter_the_kernel() -> dict[str, Any]:
    """Which of ``CLOCK_READS`` make a system call? A forked child forbids them and tries each.

    The child installs a seccomp filter under which ``clock_gettime``,
    ``gettimeofday`` and ``time`` fail with EPERM, then makes each read: one
    that reaches the kernel fails with ``OSError``; one the vDSO answers in
    user space still works. ``clock_gettime(2) itself`` is the control (it
    must fail, or the filter is not working). Returns ``clocksource`` and
    ``entered_kernel`` (name to bool); that is ``None`` on an architecture
    missing from the tables, and ``{"unavailable": reason}`` where the kernel
    refuses the filter. Forks: run it in a fresh interpreter.
    """
    machine = platform.machine()
    result: dict[str, Any] = {"clocksource": current_clocksource(), "entered_kernel": None}
    if machine not in _CLOCK_SYSCALLS:
        return result
    r, w = os.pipe()

    def child() -> int:
        os.close(r)
        try:
            _install_clock_filter(machine)  # break[no-filter]
        except OSError as error:  # a sandbox that forbids seccomp filters
            os.write(w, json.dumps({"unavailable": str(error)}).encode())
            return 0
        entered: dict[str, bool] = {}
        for name, read in CLOCK_READS.items():
            try:
                read()
                entered[name] = False
            except OSError as error:
                if error.errno != errno.EPERM:
                    raise
                entered[name] = True
        os.write(w, json.dumps(entered).encode())
        return 0

    pid = fork_child(child)
    os.close(w)
    report = read_all(r)
    status = exit_code(pid)
    if status != 0:
        raise RuntimeError(f"the filtered child exited with {status}")
    result["entered_kernel"] = json.loads(report)
    return result


# --------------------------------------------------------------------------
# The vDSO: the few calls served without entering the kernel
# --------------------------------------------------------------------------

_SHT_DYNSYM = 11
_STT_FUNC = 2


def vdso_functions() -> list[str]:
    """The functions the kernel's vDSO exports to this process, sorted, without prefixes.

    Reads the ``[vdso]`` mapping from ``/proc/self/mem`` and lists the defined
    function symbols of its ELF dynamic symbol table (``__vdso_clock_gettime``
    and ``clock_gettime`` both become ``clock_gettime``). Raises ``OSError``
    if there is no vDSO (not Linux), ``ValueError`` if it is not a 64-bit
    little-endian ELF image.
    """
    start = end = 0
    with open("/proc/self/maps") as maps:
        for line in maps:
            if line.rstrip().endswith("[vdso]"):
                start, end = (int(x, 16) for x in line.split()[0].split("-"))
                break
    if not end:
        raise OSError("this process has no [vdso] mapping")
    with open("/proc/self/mem", "rb") as mem:
        mem.seek(start)
        image = mem.read(end - start)
    if image[:4] != b"\x7fELF" or image[4] != 2 or image[5] != 1:
        raise ValueError("the vDSO is not a 64-bit little-endian ELF image")
    (section_table,) = struct.unpack_from("<Q", image, 0x28)
    entry_size, count = struct.unpack_from("<HH", image, 0x3A)
    # Elf64_Shdr: name, type, flags, addr, offset, size, link, info, addralign, entsize
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", image, section_table + i * entry_size)
        for i in range(count)
    ]
    dynsym = next(s for s in sections if s[1] == _SHT_DYNSYM)
    strings = sections[dynsym[6]][4]
    names = set()
    for offset in range(dynsym[4], dynsym[4] + dynsym[5], dynsym[9]):
        # Elf64_Sym: name, info, other, section index, value, size
        name, info, _, section, _, _ = struct.unpack_from("<IBBHQQ", image, offset)
        if info & 0xF == _STT_FUNC and section != 0:
            raw = image[strings + name : image.index(b"\0", strings + name)].decode()
            names.add(raw.removeprefix("__vdso_").removeprefix("__kernel_"))
    return sorted(names)
