"""System calls made visible: counted writes, ``/proc/self/io``, and a read interrupted by a signal.

The code behind ``syscalls.md``. ``CountingRaw`` counts the writes a buffered
stream would make without a kernel; ``write_syscalls`` and
``interrupt_blocked_read`` measure the real kernel and run in a fresh
interpreter (``call_in_subprocess``).
"""

from __future__ import annotations

import io
import os
import platform
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


def _syscw() -> int:
    """Write system calls made by this process so far (Linux task I/O accounting)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        key, _, value = line.partition(":")
        if key == "syscw":
            return int(value)
    raise RuntimeError("no syscw line in /proc/self/io")


def write_syscalls(records: int, text: str, buffer_size: int) -> dict[str, int]:
    """Write ``records`` copies of ``text`` (UTF-8) three ways; count write syscalls for each."""
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
        with open(path, "w", buffering=1) as stream:  # line buffered, like stdout on a TTY
            for _ in range(records):
                stream.write(text)
        result["line_buffered"] = _syscw() - before
    return result


_SYSCALL_READ = {"x86_64": 0, "amd64": 0, "aarch64": 63, "arm64": 63}.get(platform.machine())


def blocked_in_read(tid: int, fd: int) -> bool:
    """Is thread ``tid`` of this process inside read(2) on ``fd`` right now?

    Reads ``/proc/self/task/<tid>/syscall``: the system call number and its
    arguments while the thread is blocked in one.
    """
    fields = Path(f"/proc/self/task/{tid}/syscall").read_text().split()
    if len(fields) < 2 or fields[0] in ("running", "-1"):
        return False
    number_ok = _SYSCALL_READ is None or int(fields[0]) == _SYSCALL_READ
    return number_ok and int(fields[1], 16) == fd


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
