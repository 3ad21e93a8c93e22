"""Processes and threads side by side: what a forked child shares with its parent.

The code behind ``process_vs_thread.md``. The demonstrations fork or crash, so
the tests run them in a fresh interpreter (``call_in_subprocess``); the thread
demonstrations too, since each differs from its fork twin in a single argument.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import io
import json
import os
import re
import resource
import signal
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fundamentals.os.processes import (
    LOOK_MS,
    call_in_subprocess,
    exit_code,
    fork_child,
    read_all,
)
from fundamentals.os.procfs import proc_state, thread_count


def run_in_child(body: Callable[[], None]) -> int:
    """Run ``body`` in a forked child process; wait for it and return its exit code."""
    return exit_code(fork_child(body))


def run_in_thread(body: Callable[[], None]) -> int:
    """Run ``body`` on a new thread of this process; wait for it and return 0.

    The thread counterpart of ``run_in_child``, so that the two demonstrations
    below differ in nothing else.
    """
    thread = threading.Thread(target=body)
    thread.start()
    thread.join(timeout=10)
    if thread.is_alive():
        raise RuntimeError("the thread did not finish")
    return 0


def _write_elsewhere(run: Callable[[Callable[[], None]], int]) -> dict[str, Any]:
    """``run`` a writer that overwrites a buffer and reports; then read the buffer here."""
    box = bytearray(b"parent")
    r, w = os.pipe()

    def writer() -> None:
        box[:] = b"writer"
        os.write(w, f"{id(box)} {box.decode()}".encode())

    code = run(writer)
    os.close(w)  # a child's copy closed when it exited; a thread shares this one
    address, view = read_all(r).decode().split()
    return {
        "exit": code,
        "writer_view": view,
        "our_view": box.decode(),
        "same_address": int(address) == id(box),
    }


def demo_child_write() -> dict[str, Any]:
    """A forked child overwrites a buffer; the parent then reads the same address."""
    return _write_elsewhere(run_in_child)  # break[thread-not-fork]


def demo_thread_write() -> dict[str, Any]:
    """Another thread overwrites a buffer; this thread then reads the same address."""
    return _write_elsewhere(run_in_thread)  # break[fork-not-thread]


def demo_child_identity() -> dict[str, bool]:
    """What ``fork`` returns to the parent, and who the child says it is."""
    r, w = os.pipe()

    def child() -> None:
        os.close(r)
        os.write(w, f"{os.getpid()} {os.getppid()}".encode())

    pid = fork_child(child)
    os.close(w)
    child_pid, child_ppid = map(int, read_all(r).decode().split())
    exit_code(pid)
    return {
        "fork_returned_child_pid": pid == child_pid,
        "child_pid_differs": child_pid != os.getpid(),
        "child_ppid_is_parent": child_ppid == os.getpid(),
    }


def demo_child_closes_fd() -> dict[str, Any]:
    """The child closes its copy of a pipe's write end; the parent's copy still works."""
    r, w = os.pipe()
    code = run_in_child(lambda: os.close(w))
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


@contextmanager
def _forking_with_threads_on_purpose() -> Iterator[None]:
    """Silence 3.12+'s DeprecationWarning about fork() with other threads: we mean it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


class _GatedRaw(io.RawIOBase):
    """A raw stream whose first ``write`` parks until ``gate`` is set.

    Under a ``BufferedWriter`` that write runs with the buffer's lock held, so
    the thread making it is a thread caught in the middle of a ``print``.
    """

    def __init__(self, inside: threading.Event, gate: threading.Event) -> None:
        super().__init__()
        self.inside, self.gate = inside, gate

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if not self.inside.is_set():
            self.inside.set()
            self.gate.wait(timeout=10)
        return len(data)


def demo_fork_during_a_print(same_stream: bool) -> int:
    """Fork while another thread is inside ``print``; the child prints too. Its exit code.

    The other thread prints to a stream like ``sys.stdout`` (a ``TextIOWrapper``
    over a ``BufferedWriter``) and is parked inside the raw write, holding the
    buffer's lock. The child prints to that stream (``same_stream``) or to a
    fresh one. It has LOOK_MS to finish: 0 if it printed, ``-SIGALRM`` if the
    alarm killed it still waiting for a lock whose owner does not exist in it.
    """
    inside, gate = threading.Event(), threading.Event()
    busy = io.TextIOWrapper(io.BufferedWriter(_GatedRaw(inside, gate)))
    idle_raw = _GatedRaw(threading.Event(), threading.Event())
    idle_raw.inside.set()  # its writes never park
    idle = io.TextIOWrapper(io.BufferedWriter(idle_raw))
    printer = threading.Thread(target=lambda: print("from the thread", file=busy, flush=True))
    printer.start()
    try:
        if not inside.wait(timeout=10):
            raise RuntimeError("the printing thread never reached its write")
        target = busy if same_stream else idle

        def child() -> None:
            signal.setitimer(signal.ITIMER_REAL, LOOK_MS / 1000)  # SIGALRM kills by default
            print("from the child", file=target, flush=True)

        with _forking_with_threads_on_purpose():
            pid = fork_child(child)
    finally:
        gate.set()
        printer.join(timeout=10)
    return exit_code(pid)


def _no_core_dump() -> None:
    """Let a deliberate crash leave no core file behind."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_dumpable = 4
    libc.prctl(pr_set_dumpable, 0, 0, 0, 0)


def _crash(how: str) -> None:
    """Crash this process: ``os._exit(9)``, a segmentation fault, or an uncaught exception."""
    if how == "exit":
        os._exit(9)
    elif how == "segfault":
        _no_core_dump()
        ctypes.string_at(0)  # read address 0: the kernel sends SIGSEGV
    elif how == "raise":
        raise RuntimeError("an uncaught exception")
    raise ValueError(f"unknown crash {how!r}; choose exit, segfault or raise")


def _crash_elsewhere(run: Callable[[Callable[[], None]], int], how: str) -> dict[str, Any]:
    """``run`` a body that crashes ``how``; report its status and that we are still here."""
    if how not in ("exit", "segfault", "raise"):
        raise ValueError(f"unknown crash {how!r}; choose exit, segfault or raise")
    status = run(lambda: _crash(how))
    return {"status": status, "we_survived": True}


def demo_child_crash(how: str) -> dict[str, Any]:
    """A forked child crashes; the parent reads its exit status and carries on."""
    return _crash_elsewhere(run_in_child, how)  # break[crash-in-a-thread]


def demo_thread_crash(how: str) -> dict[str, Any]:
    """A thread of this process crashes; whether anything is left to report depends on how."""
    return _crash_elsewhere(run_in_thread, how)


def demo_what_a_child_inherits() -> dict[str, Any]:
    """What a forked child gets: locks, signal state and threads, seen from the child.

    The parent holds a ``flock`` and a POSIX record lock (``lockf``) on one
    file, ignores SIGUSR1, has SIGUSR2 blocked and pending, and runs a second
    thread. The child reports what it finds of each.
    """
    with tempfile.TemporaryFile() as file:
        fd = file.fileno()
        fcntl.flock(fd, fcntl.LOCK_EX)  # owned by the open file description
        fcntl.lockf(fd, fcntl.LOCK_EX)  # owned by this process
        signal.signal(signal.SIGUSR1, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
        os.kill(os.getpid(), signal.SIGUSR2)  # blocked, so it stays pending here
        stop = threading.Event()
        helper = threading.Thread(target=stop.wait, args=(10,))
        helper.start()
        r, w = os.pipe()

        def taken(fd_: int, lock: Callable[[int, int], object], flags: int) -> bool:
            try:
                lock(fd_, flags | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                return False
            return True

        def child() -> None:
            os.close(r)
            fresh = os.open(f"/proc/self/fd/{fd}", os.O_RDWR)  # a new open file description
            report = {
                "flock_via_inherited_fd": taken(fd, fcntl.flock, fcntl.LOCK_EX),
                "flock_via_fresh_open": taken(fresh, fcntl.flock, fcntl.LOCK_EX),
                "record_lock": taken(fd, fcntl.lockf, fcntl.LOCK_EX),
                "sigusr1_ignored": signal.getsignal(signal.SIGUSR1) == signal.SIG_IGN,
                "sigusr2_blocked": signal.SIGUSR2 in signal.pthread_sigmask(signal.SIG_BLOCK, []),
                "sigusr2_pending": signal.SIGUSR2 in signal.sigpending(),
                "threads": thread_count(),
            }
            os.write(w, json.dumps(report).encode())

        try:
            with _forking_with_threads_on_purpose():
                pid = fork_child(child)
            os.close(w)
            child_report: dict[str, Any] = json.loads(read_all(r))
            code = exit_code(pid)
            parent_report = {
                "sigusr2_pending": signal.SIGUSR2 in signal.sigpending(),
                "threads": thread_count(),
            }
        finally:
            stop.set()
            helper.join(timeout=10)
        signal.sigwait({signal.SIGUSR2})  # take our pending signal before it can fire
    return {"exit": code, "child": child_report, "parent": parent_report}


def _mapping_containing(address: int) -> dict[str, Any]:
    """The /proc/self/smaps entry holding ``address``, and the entry just below it."""
    blocks = re.split(r"\n(?=[0-9a-f]+-[0-9a-f]+ )", Path("/proc/self/smaps").read_text())
    below: dict[str, Any] | None = None
    for block in blocks:
        head = block.split(maxsplit=2)
        start, end = (int(x, 16) for x in head[0].split("-"))
        rss = re.search(r"^Rss:\s+(\d+) kB", block, re.MULTILINE)
        entry = {"start": start, "end": end, "perms": head[1]}
        entry["rss_kib"] = int(rss.group(1)) if rss else 0
        if start <= address < end:
            return {**entry, "below": below}
        below = entry
    raise RuntimeError(f"no mapping holds {address:#x}")


def _stack_pointer(tid: int) -> int:
    """The stack pointer of thread ``tid`` of this process while it sleeps in a system call.

    ``/proc/<tid>/syscall`` shows the call's number and arguments, then the
    stack pointer and the program counter; it says ``running`` while the
    thread runs, so poll (bounded) until it sleeps.
    """
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc_state(tid) == "S":
            fields = Path(f"/proc/self/task/{tid}/syscall").read_text().split()
            if len(fields) == 9:  # number, six arguments, stack pointer, program counter
                return int(fields[7], 16)
        time.sleep(0.001)
    raise RuntimeError(f"thread {tid} never slept in a system call")


def new_thread_stack() -> dict[str, Any]:
    """Start a thread and measure its stack: the mapping its stack pointer is in.

    Sizes in KiB: the stack's virtual size, how much of it is resident while
    the thread sleeps, the size of the inaccessible guard mapping right below
    it, and this process's soft ``RLIMIT_STACK`` (``None`` if unlimited), which
    glibc reads at start-up as the default thread stack size.
    """
    started, stop = threading.Event(), threading.Event()

    def sleeper() -> None:
        started.set()
        stop.wait(10)

    thread = threading.Thread(target=sleeper)
    thread.start()
    try:
        started.wait(timeout=10)
        assert thread.native_id is not None
        stack = _mapping_containing(_stack_pointer(thread.native_id))
    finally:
        stop.set()
        thread.join(timeout=10)
    below = stack["below"]
    guarded = below is not None and below["end"] == stack["start"] and below["perms"] == "---p"
    guard = below["end"] - below["start"] if guarded else 0
    soft, _ = resource.getrlimit(resource.RLIMIT_STACK)
    return {
        "stack_kib": (stack["end"] - stack["start"]) // 1024,
        "resident_kib": stack["rss_kib"],
        "guard_kib": guard // 1024,
        "rlimit_kib": None if soft == resource.RLIM_INFINITY else soft // 1024,
    }


def thread_stack_under_limit(limit_kib: int) -> dict[str, Any]:
    """``new_thread_stack`` in a fresh interpreter whose soft RLIMIT_STACK is ``limit_kib``.

    glibc reads the limit once, at start-up, so it is set here and inherited
    by the interpreter that starts the thread.
    """
    _, hard = resource.getrlimit(resource.RLIMIT_STACK)
    if hard != resource.RLIM_INFINITY and limit_kib * 1024 > hard:
        raise ValueError(f"{limit_kib} KiB is above the hard stack limit of {hard // 1024} KiB")
    resource.setrlimit(resource.RLIMIT_STACK, (limit_kib * 1024, hard))
    return call_in_subprocess(new_thread_stack)
