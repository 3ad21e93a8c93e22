"""System calls made visible: counted writes, ``/proc/self/io``, signals and the vDSO.

The code behind ``syscalls.md``. ``CountingRaw`` counts the writes a buffered
stream would make without a kernel, and ``buffered_write_calls`` predicts that
count. ``write_syscalls``, ``interrupt_blocked_read`` and
``write_to_closed_pipe`` measure the real kernel and run in a fresh
interpreter (``call_in_subprocess``); ``vdso_functions`` lists what the kernel
serves without a system call.
"""

from __future__ import annotations

import io
import os
import platform
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fundamentals.os.processes import exit_code, fork_child, readable

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


def open_buffer_size(fd: int) -> int:
    """The buffer ``open()`` gives a file opened on ``fd`` when ``buffering`` is not passed.

    CPython's rule, the same in 3.11, 3.12 and 3.13 (``Lib/_pyio.py`` ``open``;
    the C ``_io`` module takes the same value from ``FileIO._blksize``): the
    file's ``st_blksize`` if it is above 1, else ``io.DEFAULT_BUFFER_SIZE``
    (8192). ext4 and tmpfs report 4096, so the usual buffer is 4 KiB, not 8.

    >>> r, w = os.pipe()
    >>> open_buffer_size(w) == os.fstat(w).st_blksize  # a Linux pipe says 4096
    True
    >>> os.close(r); os.close(w)
    """
    blksize = os.fstat(fd).st_blksize
    return blksize if blksize > 1 else io.DEFAULT_BUFFER_SIZE  # break[buffer-is-8k]


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


def printed_line_is_in_the_pipe(*, unbuffered: bool) -> bool:
    """Does a child's ``print`` to a pipe reach the pipe before the child exits?

    The child prints a line, then says so on stderr (unbuffered) and waits on
    stdin. By then a line-buffered or unbuffered stdout has written the line,
    so the pipe holding nothing is proof the line still sits in the child's
    buffer. ``PYTHONUNBUFFERED`` is removed from the child's environment
    unless ``unbuffered`` asks for ``python -u``.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    source = "import sys; print('hello'); sys.stderr.write('printed\\n'); sys.stdin.read()"
    command = [sys.executable, *(["-u"] if unbuffered else []), "-c", source]
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
