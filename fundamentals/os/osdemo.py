"""Helpers that let the operating-systems pages run their claims on the real kernel.

Four kinds of help live here:

- ``run_python`` and ``call_in_subprocess`` run code in a *fresh* interpreter.
  Everything that forks goes through them: a fork inside the test runner would
  copy its threads' locks and buffers, and a bug in the child could go on
  running the rest of the test session. A fresh single-threaded interpreter is
  the safe place to fork, and a crash there is just a failed test.
- ``proc_state``, ``wait_for_state``, ``open_fds``, ``thread_count``,
  ``resident_pages`` and ``minor_faults`` read what the kernel says about a
  process (``/proc`` and ``getrusage``), so the pages assert what the OS did,
  not what the program meant to do.
- ``demo_*``: each page's forking demonstrations, typed and linted like any
  other code, returning JSON-friendly results for ``call_in_subprocess``. They
  live here rather than in the test modules so that the fresh interpreter only
  imports this standard-library module, not pytest (which would cost more
  than the demonstration itself).
- Three loopback echo servers (one thread per connection, a ``selectors`` event
  loop, and a prefork pool) that ``measure`` runs in a subprocess and counts:
  threads, processes and file descriptors while the clients are connected.

Standard library only; Linux is the reference platform (``/proc``). Functions
that need ``/proc`` raise ``OSError`` elsewhere; the tests skip with a reason.
"""

from __future__ import annotations

import inspect
import json
import mmap
import os
import resource
import select
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

__all__ = [
    "CHILD_CRASHED",
    "LOOK_MS",
    "MODELS",
    "Costs",
    "EchoServerProcess",
    "call_in_subprocess",
    "connect_and_echo",
    "cost_table",
    "demo_child_closes_fd",
    "demo_child_reader_closes",
    "demo_child_reader_forgets",
    "demo_child_write",
    "demo_coalesced_sigchld",
    "demo_fork_with_held_lock",
    "demo_ignored_sigchld",
    "demo_page_faults",
    "demo_parent_keeps_write_end",
    "demo_shared_mapping",
    "demo_shared_offset",
    "demo_zombie_lifecycle",
    "exit_code",
    "fork_child",
    "measure",
    "minor_faults",
    "open_fds",
    "page_fault_table",
    "proc_state",
    "read_all",
    "readable",
    "resident_pages",
    "run_python",
    "thread_count",
    "wait_for_state",
]

T = TypeVar("T")

HERE = Path(__file__).resolve().parent
SUBPROCESS_TIMEOUT = 20.0
"""Seconds a helper subprocess may run; below pytest's 30 s per-test timeout."""


# --------------------------------------------------------------------------
# Running code in a fresh interpreter
# --------------------------------------------------------------------------


def _child_env() -> dict[str, str]:
    """The environment for a helper interpreter: ours, with this folder importable."""
    env = dict(os.environ)
    old = env.get("PYTHONPATH")
    env["PYTHONPATH"] = str(HERE) if not old else str(HERE) + os.pathsep + old
    return env


def run_python(source: str, *, timeout: float = SUBPROCESS_TIMEOUT) -> str:
    """Run ``source`` in a fresh interpreter and return its stdout, trailing newlines removed.

    The source is dedented first, so it can be written indented inside a call.
    Warnings are errors in the child too (``-W error``), as in the test suite.
    ``osdemo`` is importable in the child.

    >>> run_python('''
    ...     import os
    ...     print(os.getpid() != os.getppid())
    ... ''')
    'True'

    Raises ``RuntimeError`` (with the child's stderr) if it exits non-zero, and
    ``subprocess.TimeoutExpired`` if it runs longer than ``timeout`` seconds.

    >>> run_python("raise SystemExit(3)")
    Traceback (most recent call last):
    ...
    RuntimeError: the snippet exited with status 3; stderr:
    """
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", textwrap.dedent(source)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_child_env(),
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"the snippet exited with status {result.returncode}; stderr:\n{result.stderr}"
        )
    return result.stdout.rstrip("\n")


RESULT_MARK = "@@osdemo-result@@ "


def call_in_subprocess(func: Callable[[], T], *, timeout: float = SUBPROCESS_TIMEOUT) -> T:
    """Call the module-level function ``func`` in a fresh interpreter; return its result.

    The function's file is executed with ``runpy.run_path`` (so it must be
    importable on its own) and the function is called there. Its result travels
    back as JSON, so return ``dict``/``list``/``str``/``int``/``bool``/``None``
    (a tuple comes back as a list). This is how the tests fork safely: the
    forking code is typed and linted like any other, but it never runs inside
    pytest.

    >>> call_in_subprocess(thread_count)  # a fresh interpreter has a single thread
    1
    >>> call_in_subprocess(lambda: 1)
    Traceback (most recent call last):
    ...
    ValueError: call_in_subprocess needs a module-level function, got <lambda>
    """
    name = func.__qualname__
    if "<" in name or "." in name:
        raise ValueError(f"call_in_subprocess needs a module-level function, got {name}")
    path = inspect.getfile(func)
    source = (
        f"import json, runpy\n"
        f"result = runpy.run_path({path!r})[{name!r}]()\n"
        f"print({RESULT_MARK!r} + json.dumps(result), flush=True)\n"
    )
    out = run_python(source, timeout=timeout)
    for line in reversed(out.splitlines()):
        if line.startswith(RESULT_MARK):
            return cast(T, json.loads(line[len(RESULT_MARK) :]))
    raise RuntimeError(f"{name} printed no result; stdout was:\n{out}")


CHILD_CRASHED = 70
"""Exit status of a ``fork_child`` child whose body raised (``EX_SOFTWARE``)."""


def fork_child(body: Callable[[], int | None]) -> int:
    """Fork; the child runs ``body`` and leaves with ``os._exit``; the parent gets the pid.

    The child's exit status is what ``body`` returned (0 for ``None``), or
    ``CHILD_CRASHED`` with the traceback on stderr if it raised. ``os._exit``
    is the point: the child must never return into the parent's code (its
    ``finally`` blocks, its test runner, its buffered output would all run
    twice). Call it only in a fresh interpreter (see ``run_python``).

    >>> run_python('''
    ...     from osdemo import exit_code, fork_child
    ...     print(exit_code(fork_child(lambda: 3)), exit_code(fork_child(lambda: 1 // 0)))
    ... ''')
    '3 70'
    """
    pid = os.fork()
    if pid == 0:
        status = CHILD_CRASHED
        try:
            result = body()
            status = 0 if result is None else result
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    return pid


def exit_code(pid: int) -> int:
    """Wait for child ``pid`` (reaping it) and return its exit code (``-N`` if killed by signal N).

    >>> exit_code(os.getpid())
    Traceback (most recent call last):
    ...
    ChildProcessError: [Errno 10] No child processes
    """
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def read_all(fd: int) -> bytes:
    """Read ``fd`` until EOF (every write end closed) and close it.

    >>> r, w = os.pipe()
    >>> os.write(w, b"ab"); os.close(w)
    2
    >>> read_all(r)
    b'ab'
    """
    chunks = []
    try:
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


# --------------------------------------------------------------------------
# What the kernel says about a process
# --------------------------------------------------------------------------


def proc_state(pid: int) -> str | None:
    """The one-letter state of ``pid`` from ``/proc/<pid>/stat``, or ``None`` if it is gone.

    R running, S sleeping, D disk wait, T stopped, Z zombie. The command name in
    field 2 may itself contain spaces and parentheses, so the state is the first
    field after the *last* ``)``.

    >>> proc_state(os.getpid())  # we are running while we read it
    'R'
    >>> proc_state(2**22 + 1) is None  # above the largest pid Linux hands out
    True
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return stat[stat.rindex(")") + 2]


def wait_for_state(pid: int, states: str, *, timeout: float = 10.0) -> str | None:
    """Poll ``/proc`` until ``pid`` is in one of ``states`` (letters); return the state seen.

    Returns ``None`` if that did not happen within ``timeout`` seconds. The
    polling interval only decides how soon we notice, never the outcome; the
    deadline turns a bug into a failure instead of a hang.

    >>> wait_for_state(os.getpid(), "R")
    'R'
    >>> wait_for_state(os.getpid(), "Z", timeout=0.01) is None
    True
    """
    deadline = time.monotonic() + timeout
    while True:
        state = proc_state(pid)
        if state is not None and state in states:
            return state
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.002)


def open_fds(pid: int | None = None) -> int:
    """How many file descriptors process ``pid`` (default: this one) has open, from ``/proc``.

    Listing ``/proc/self/fd`` opens a descriptor of its own; it is not counted.

    >>> before = open_fds()
    >>> r, w = os.pipe()
    >>> open_fds() - before
    2
    >>> os.close(r); os.close(w)
    """
    me = os.getpid()
    pid = me if pid is None else pid
    count = len(os.listdir(f"/proc/{pid}/fd"))
    return count - 1 if pid == me else count


def thread_count(pid: int | None = None) -> int:
    """How many threads process ``pid`` (default: this one) has, from ``/proc/<pid>/task``.

    >>> thread_count() >= 1
    True
    """
    return len(os.listdir(f"/proc/{os.getpid() if pid is None else pid}/task"))


def resident_pages() -> int:
    """Pages of this process resident in RAM now (field 2 of ``/proc/self/statm``).

    >>> resident_pages() > 0
    True
    """
    return int(Path("/proc/self/statm").read_text().split()[1])


def minor_faults() -> int:
    """Minor page faults this process has taken so far (``getrusage`` ``ru_minflt``).

    A minor fault is one the kernel serves without I/O: a fresh zero page, a
    page already in the page cache, a copy-on-write copy.

    >>> a = minor_faults(); b = minor_faults()
    >>> 0 <= a <= b
    True
    """
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


# --------------------------------------------------------------------------
# Demonstrations that fork: run them with call_in_subprocess, never in pytest
# --------------------------------------------------------------------------

LOOK_MS = 200
"""How long a demonstration polls for an event that must *not* come.

It bounds the wait and decides nothing: in every place it is used, nothing
exists that could make the event happen.
"""


def readable(fd: int, timeout_ms: int) -> bool:
    """Whether ``fd`` is or becomes readable (data, EOF or hang-up) within ``timeout_ms``.

    >>> r, w = os.pipe()
    >>> readable(r, 0)
    False
    >>> os.close(w)  # no writer left: EOF counts as readable
    >>> readable(r, 0)
    True
    >>> os.close(r)
    """
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(timeout_ms))


# os.process_vs_thread ------------------------------------------------------


def demo_child_write() -> dict[str, Any]:
    """The child overwrites a buffer and reports; the parent then reads the same address."""
    box = bytearray(b"parent")
    r, w = os.pipe()

    def child() -> None:
        os.close(r)
        box[:] = b"child!"
        os.write(w, f"{id(box)} {box.decode()} {os.getpid()} {os.getppid()}".encode())

    pid = fork_child(child)
    os.close(w)
    address, view, child_pid, child_ppid = read_all(r).decode().split()
    return {
        "exit": exit_code(pid),
        "child_view": view,
        "parent_view": box.decode(),
        "same_address": int(address) == id(box),
        "fork_returned_child_pid": pid == int(child_pid),
        "child_pid_differs": int(child_pid) != os.getpid(),
        "child_ppid_is_parent": int(child_ppid) == os.getpid(),
    }


def demo_child_closes_fd() -> dict[str, Any]:
    """The child closes its copy of a pipe's write end; the parent's copy still works."""
    r, w = os.pipe()
    code = exit_code(fork_child(lambda: os.close(w)))
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


# os.zombies -----------------------------------------------------------------


def demo_zombie_lifecycle() -> dict[str, Any]:
    """A child blocks on a pipe, exits with 7 when we close it, and lingers until reaped."""
    r, w = os.pipe()

    def child() -> int:
        os.close(w)
        os.read(r, 1)  # returns b"" once the parent closes its write end
        return 7

    pid = fork_child(child)
    os.close(r)
    running = {
        "state": wait_for_state(pid, "S"),  # asleep in read()
        "wnohang": list(os.waitpid(pid, os.WNOHANG)),  # [0, 0]: nothing to reap yet
    }
    os.close(w)  # EOF: the child's read returns and it exits
    zombie_state = wait_for_state(pid, "Z")
    status = Path(f"/proc/{pid}/status").read_text()
    zombie = {
        "state": zombie_state,
        "state_again": proc_state(pid),  # nothing changes until we wait
        "status_line": next(x for x in status.splitlines() if x.startswith("State:")),
        "has_memory": "VmRSS" in status,
    }
    code = exit_code(pid)  # waitpid: collect the status, free the pid
    return {"running": running, "zombie": zombie, "exit": code, "after_reap": proc_state(pid)}


def demo_ignored_sigchld() -> dict[str, Any]:
    """With SIGCHLD set to SIG_IGN the kernel reaps children itself; wait finds nothing."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    pid = fork_child(lambda: 0)
    try:
        os.waitpid(pid, 0)  # blocks until the child is gone, then: no such child
        outcome = "reaped by us"
    except ChildProcessError:
        outcome = "ChildProcessError"
    return {"waitpid": outcome, "state": proc_state(pid)}


def demo_coalesced_sigchld(children: int = 5) -> dict[str, int]:
    """``children`` exit while SIGCHLD is blocked; one signal arrives for all of them."""
    calls = 0

    def reap_one(signum: int, frame: object) -> None:  # the classic bug: one wait per signal
        nonlocal calls
        calls += 1
        os.waitpid(-1, os.WNOHANG)

    signal.signal(signal.SIGCHLD, reap_one)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    pids = [fork_child(lambda: 0) for _ in range(children)]
    zombies_seen = sum(wait_for_state(pid, "Z") == "Z" for pid in pids)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})  # the handler runs now
    pending_after = len(signal.sigpending())
    left_after_handler = sum(proc_state(pid) == "Z" for pid in pids)
    reaped_by_loop = 0
    while True:  # the fix: reap in a loop until nothing is left
        try:
            done, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if done == 0:
            break
        reaped_by_loop += 1
    return {
        "zombies_seen": zombies_seen,
        "handler_calls": calls,
        "pending_after": pending_after,
        "left_after_handler": left_after_handler,
        "reaped_by_loop": reaped_by_loop,
        "left_at_end": sum(proc_state(pid) is not None for pid in pids),
    }


# os.ipc ---------------------------------------------------------------------


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
            os.close(w)
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
    maps = {
        "shared": mmap.mmap(-1, mmap.PAGESIZE, flags=mmap.MAP_SHARED | mmap.MAP_ANONYMOUS),
        "private": mmap.mmap(-1, mmap.PAGESIZE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS),
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


# os.virtual_memory ------------------------------------------------------------


def _no_huge_pages(m: mmap.mmap) -> bool:
    """Ask for 4 KiB pages only; ``True`` if huge pages are ruled out for ``m``.

    One transparent huge page (2 MiB) is one fault for 512 pages: with THP the
    "one fault per page" count would be far lower, and right.
    """
    advice = getattr(mmap, "MADV_NOHUGEPAGE", None)
    if advice is not None:
        try:
            m.madvise(advice)
            return True
        except OSError:  # EINVAL: a kernel built without THP, so no huge pages anyway
            return True
    try:
        mode = Path("/sys/kernel/mm/transparent_hugepage/enabled").read_text()
    except OSError:
        return True
    return "[always]" not in mode


def _touch(m: mmap.mmap, *, write: bool) -> tuple[int, int]:
    """Read or write a byte in every page of ``m``; return (minor faults, resident pages) added."""
    faults, rss = minor_faults(), resident_pages()
    total = 0
    for offset in range(0, len(m), mmap.PAGESIZE):
        if write:
            m[offset] = 1
        else:
            total += m[offset]
    return minor_faults() - faults, resident_pages() - rss


def demo_page_faults(pages: int = 2048) -> dict[str, Any]:
    """Count minor faults and resident pages for fresh private anonymous mappings.

    ``write``: write every page once. ``read`` then ``read_then_write``: read
    every page of another mapping, then write it. ``untouched``: map 1 GiB and
    touch nothing (read-only if the kernel refuses to overcommit that much
    writable memory; ``untouched_writable`` says which).
    """
    flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
    result: dict[str, Any] = {"pages": pages}
    m = mmap.mmap(-1, pages * mmap.PAGESIZE, flags=flags)
    result["small_pages_only"] = _no_huge_pages(m)
    result["write"] = _touch(m, write=True)
    m.close()
    m = mmap.mmap(-1, pages * mmap.PAGESIZE, flags=flags)
    _no_huge_pages(m)
    result["read"] = _touch(m, write=False)
    result["read_then_write"] = _touch(m, write=True)
    m.close()
    faults, rss = minor_faults(), resident_pages()
    try:
        big = mmap.mmap(-1, 1 << 30, flags=flags)
        result["untouched_writable"] = True
    except OSError:  # strict overcommit (vm.overcommit_memory=2) refuses to promise 1 GiB;
        # a read-only private mapping is never charged against the commit limit.
        big = mmap.mmap(-1, 1 << 30, flags=flags, prot=mmap.PROT_READ)
        result["untouched_writable"] = False
    result["untouched"] = (minor_faults() - faults, resident_pages() - rss)
    result["untouched_pages"] = len(big) // mmap.PAGESIZE
    big.close()
    return result


def page_fault_table(pages: int = 2048) -> str:
    """Run ``demo_page_faults`` in a fresh interpreter; tabulate the cost per page.

    Costs are rounded to whole faults (or resident pages) per page touched,
    so the table is the same on every Linux machine while small noise (a few
    faults from the interpreter itself) disappears.
    """
    r = call_in_subprocess(demo_page_faults)
    if not r["small_pages_only"]:
        raise RuntimeError("transparent huge pages could not be ruled out; counts would be lower")
    rows = [
        (f"write 1 byte in each of {pages} fresh pages", r["write"], pages),
        (f"read 1 byte in each of {pages} fresh pages", r["read"], pages),
        ("...then write 1 byte in each of them", r["read_then_write"], pages),
        ("map 1 GiB, touch nothing", r["untouched"], r["untouched_pages"]),
    ]
    width = max(len(label) for label, _, _ in rows)
    lines = [
        f"| {'what the program did':<{width}} | faults per page | new resident pages per page |",
        f"|{'-' * (width + 2)}|----------------:|----------------------------:|",
    ]
    for label, (faults, rss), n in rows:
        lines.append(f"| {label:<{width}} | {round(faults / n):>15} | {round(rss / n):>27} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Three echo servers and a way to measure them
# --------------------------------------------------------------------------

MODELS = ("threads", "selectors", "prefork")
"""The concurrency models ``measure`` knows, in the order the page compares them."""


@dataclass(frozen=True)
class Costs:
    """What one concurrency model cost while its clients were connected.

    ``at_once`` clients were connected and echoed at the moment of the
    snapshot; ``processes``, ``threads`` and ``fds`` were counted then, over all
    server processes (``fds`` counts descriptors beyond those the server process
    had before it created its socket). ``served`` is how many connections each
    serving process handled in the whole run.
    """

    model: str
    clients: int
    at_once: int
    processes: int
    threads: int
    fds: int
    served: tuple[int, ...]


def cost_table(rows: Sequence[Costs]) -> str:
    """A markdown table of ``rows``, one line per model.

    >>> print(cost_table([Costs("demo", 3, 3, 1, 4, 4, (3,))]))
    | model | clients | at once | processes | threads | server fds | served per process |
    |-------|--------:|--------:|----------:|--------:|-----------:|--------------------|
    | demo  |       3 |       3 |         1 |       4 |          4 | 3                  |
    """
    head = ("model", "clients", "at once", "processes", "threads", "server fds")
    last = "served per process"
    width = max(len("model"), *(len(r.model) for r in rows))
    lines = [
        f"| {'model':<{width}} | " + " | ".join(head[1:]) + f" | {last} |",
        f"|{'-' * (width + 2)}|"
        + "|".join("-" * (len(h) + 1) + ":" for h in head[1:])
        + f"|{'-' * (len(last) + 2)}|",
    ]
    for r in rows:
        cells = (r.clients, r.at_once, r.processes, r.threads, r.fds)
        served = ", ".join(map(str, r.served))
        lines.append(
            f"| {r.model:<{width}} | "
            + " | ".join(f"{c:>{len(h)}}" for c, h in zip(cells, head[1:], strict=True))
            + f" | {served:<{len(last)}} |"
        )
    return "\n".join(lines)


def _echo_until_eof(conn: socket.socket) -> None:
    """Send back everything ``conn`` receives until the peer closes its side."""
    while data := conn.recv(4096):
        conn.sendall(data)


class _Control:
    """Commands from the parent, one per line on stdin; EOF means shut down."""

    def __init__(self) -> None:
        self.fd = sys.stdin.fileno()
        self._buffer = b""
        self.eof = False

    def feed(self) -> list[str]:
        """Read what is available (one ``read``); return the complete lines."""
        chunk = os.read(self.fd, 4096)
        if not chunk:
            self.eof = True
        self._buffer += chunk
        *lines, self._buffer = self._buffer.split(b"\n")
        return [line.decode().strip() for line in lines]

    def commands(self) -> Iterator[str]:
        """Block for commands until EOF."""
        while not self.eof:
            yield from self.feed()


def _emit(message: dict[str, Any]) -> None:
    print(json.dumps(message), flush=True)


def _snapshot(pids: Sequence[int], baseline: int) -> dict[str, Any]:
    return {
        "processes": len(pids),
        "threads": sum(thread_count(p) for p in pids),
        "fds": sum(open_fds(p) - baseline for p in pids),
    }


def _serve_threads(listener: socket.socket, baseline: int, control: _Control) -> None:
    """One thread per connection; the main thread handles commands, one more accepts."""
    lock = threading.Lock()
    conns: set[socket.socket] = set()
    handlers: list[threading.Thread] = []
    stopping = threading.Event()

    def handle(conn: socket.socket) -> None:
        try:
            _echo_until_eof(conn)
        finally:
            with lock:  # never close while close-down below is shutting it
                conns.discard(conn)
                conn.close()

    def accept_loop() -> None:
        while True:
            conn, _ = listener.accept()
            if stopping.is_set():  # the wake-up connection from close-down
                conn.close()
                return
            with lock:
                conns.add(conn)
            thread = threading.Thread(target=handle, args=(conn,), name=f"conn-{len(handlers)}")
            handlers.append(thread)
            thread.start()

    acceptor = threading.Thread(target=accept_loop, name="acceptor")
    acceptor.start()
    try:
        for command in control.commands():
            if command == "stats":
                _emit(_snapshot([os.getpid()], baseline))
    finally:
        # accept() does not return when another thread closes the socket, so
        # wake it with one last connection; then end every handler's recv().
        stopping.set()
        socket.create_connection(listener.getsockname(), timeout=5).close()
        acceptor.join(timeout=5)
        with lock:
            for conn in conns:
                conn.shutdown(socket.SHUT_RDWR)
        for thread in handlers:
            thread.join(timeout=5)
        alive = [t.name for t in [acceptor, *handlers] if t.is_alive()]
        if alive:
            raise RuntimeError(f"threads did not finish: {alive}")
    _emit({"served": [len(handlers)]})


def _serve_selectors(listener: socket.socket, baseline: int, control: _Control) -> None:
    """One thread, one selector: the listener, every connection and stdin all in one loop."""
    listener.setblocking(False)
    outbox: dict[socket.socket, bytearray] = {}
    served = 0
    with selectors.DefaultSelector() as sel:
        sel.register(listener, selectors.EVENT_READ)
        sel.register(control.fd, selectors.EVENT_READ)
        try:
            while not control.eof:
                for key, mask in sel.select():
                    if key.fileobj is listener:
                        conn, _ = listener.accept()
                        conn.setblocking(False)
                        outbox[conn] = bytearray()
                        sel.register(conn, selectors.EVENT_READ)
                        served += 1
                    elif key.fileobj == control.fd:
                        for command in control.feed():
                            if command == "stats":
                                _emit(_snapshot([os.getpid()], baseline))
                    else:
                        conn = cast(socket.socket, key.fileobj)
                        if mask & selectors.EVENT_READ:
                            data = conn.recv(4096)
                            if not data:
                                sel.unregister(conn)
                                del outbox[conn]
                                conn.close()
                                continue
                            outbox[conn] += data
                        sent = conn.send(outbox[conn]) if outbox[conn] else 0
                        del outbox[conn][:sent]
                        # Ask for EVENT_WRITE only while output is pending, or the
                        # loop would spin on an always-writable socket.
                        wanted = selectors.EVENT_READ
                        if outbox[conn]:
                            wanted |= selectors.EVENT_WRITE
                        sel.modify(conn, wanted)
        finally:
            for conn in outbox:
                sel.unregister(conn)
                conn.close()
    _emit({"served": [served]})


def _prefork_worker(listener: socket.socket, stop_r: int) -> int:
    """Accept and serve one connection at a time until ``stop_r`` reaches EOF."""
    served = 0
    while True:
        ready, _, _ = select.select([listener.fileno(), stop_r], [], [])
        if stop_r in ready:  # the master closed its write end (or died): EOF
            return served
        try:
            conn, _ = listener.accept()
        except BlockingIOError:  # another worker accepted this one first
            continue
        with conn:
            conn.setblocking(True)
            served += 1
            _echo_until_eof(conn)


def _serve_prefork(listener: socket.socket, baseline: int, control: _Control, workers: int) -> None:
    """A master that forks ``workers`` processes, all accepting on one inherited socket."""
    listener.setblocking(False)  # several workers wake for one connection; losers move on
    stop_r, stop_w = os.pipe()
    pids: list[int] = []
    try:
        for _ in range(workers):
            pid = os.fork()
            if pid == 0:  # worker: never return into the master's code
                status = 255
                try:
                    os.close(stop_w)  # else EOF on stop_r could never come
                    status = min(_prefork_worker(listener, stop_r), 254)
                except BaseException as exc:
                    print(f"worker {os.getpid()} failed: {exc!r}", file=sys.stderr, flush=True)
                finally:
                    os._exit(status)
            pids.append(pid)
        os.close(stop_r)
        stop_r = -1
        for command in control.commands():
            if command == "stats":
                _emit(_snapshot([os.getpid(), *pids], baseline))
    finally:
        if stop_r >= 0:
            os.close(stop_r)
        os.close(stop_w)  # every worker sees EOF on its stop pipe and returns
        served = [_reap(pid) for pid in pids]
    _emit({"served": served})


def _reap(pid: int, timeout: float = 5.0) -> int:
    """Wait (bounded) for child ``pid``; kill it if it overstays. Return its exit code."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.002)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    raise RuntimeError(f"worker {pid} did not exit; killed")


def _serve(model: str, workers: int) -> None:
    """Run one model's server on 127.0.0.1, port chosen by the kernel, driven by stdin."""
    baseline = open_fds()
    control = _Control()
    with socket.create_server(("127.0.0.1", 0), backlog=128) as listener:
        _emit({"port": listener.getsockname()[1]})
        if model == "threads":
            _serve_threads(listener, baseline, control)
        elif model == "selectors":
            _serve_selectors(listener, baseline, control)
        else:
            _serve_prefork(listener, baseline, control, workers)


class EchoServerProcess:
    """One model's echo server in a subprocess, driven over its stdin and stdout.

    It prints ``{"port": N}`` first; the command ``stats`` answers with a JSON
    snapshot; closing stdin shuts it down, and it prints ``{"served": [...]}``.
    Use it in ``try``/``finally`` and call :meth:`kill` in the ``finally``.
    """

    def __init__(self, model: str, workers: int = 4) -> None:
        if model not in MODELS:
            raise ValueError(f"unknown model {model!r}; choose from {', '.join(MODELS)}")
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self.proc = subprocess.Popen(
            [sys.executable, "-W", "error", str(HERE / "osdemo.py"), model, str(workers)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=_child_env(),
        )
        self._buffer = b""

    def read(self, timeout: float = 10.0) -> dict[str, Any]:
        """The next JSON line the server printed; ``TimeoutError`` if none comes in time."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError("the server printed nothing in time")
            chunk = os.read(fd, 4096)
            if not chunk:
                raise RuntimeError(f"the server exited: {self.proc.wait(timeout=10)}")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return cast(dict[str, Any], json.loads(line))

    def command(self, text: str) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text.encode() + b"\n")
        self.proc.stdin.flush()
        return self.read()

    def shut_down(self) -> dict[str, Any]:
        """Close stdin (the server's signal to stop), read its last line, wait for it."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        final = self.read()
        if self.proc.wait(timeout=10) != 0:
            raise RuntimeError(f"the server exited with status {self.proc.returncode}")
        return final

    def kill(self) -> None:
        """Make sure the process is gone and reaped (a no-op after a clean shut-down)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()


def connect_and_echo(port: int, count: int, *, tag: str = "") -> list[socket.socket]:
    """Open ``count`` loopback connections, echo one message on each, return them still open.

    Raises ``AssertionError`` if an echo comes back wrong, ``TimeoutError``
    (``socket.timeout``) if one does not come back within 10 seconds. On error
    every socket opened so far is closed.
    """
    socks: list[socket.socket] = []
    try:
        for _ in range(count):
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        for i, sock in enumerate(socks):
            sock.sendall(f"hello {tag}{i}\n".encode())
        for i, sock in enumerate(socks):
            expected = f"hello {tag}{i}\n".encode()
            got = b""
            while len(got) < len(expected):
                chunk = sock.recv(len(expected) - len(got))
                if not chunk:
                    break
                got += chunk
            if got != expected:
                raise AssertionError(f"client {i} got {got!r}, expected {expected!r}")
    except BaseException:
        for sock in socks:
            sock.close()
        raise
    return socks


def measure(model: str, *, clients: int = 20, workers: int = 4) -> Costs:
    """Serve ``clients`` loopback clients with ``model`` in a subprocess; count what it cost.

    Clients come in rounds of as many as the model can serve at once (all of
    them, or ``workers`` for prefork). Each round connects, gets every echo
    back, then closes; after the first round's echoes the server counts its
    processes, threads and fds.

    >>> measure("nonsense")
    Traceback (most recent call last):
    ...
    ValueError: unknown model 'nonsense'; choose from threads, selectors, prefork
    """
    if clients < 1:
        raise ValueError(f"clients must be >= 1, got {clients}")
    at_once = min(clients, workers) if model == "prefork" else clients
    server = EchoServerProcess(model, workers)
    try:
        port = int(server.read()["port"])
        snapshot: dict[str, Any] | None = None
        echoed = 0
        while echoed < clients:
            socks = connect_and_echo(port, min(at_once, clients - echoed), tag=f"{echoed}-")
            try:
                echoed += len(socks)
                if snapshot is None:
                    snapshot = server.command("stats")
            finally:
                for sock in socks:
                    sock.close()
        assert snapshot is not None
        final = server.shut_down()
    finally:
        server.kill()
    return Costs(
        model=model,
        clients=echoed,
        at_once=at_once,
        processes=int(snapshot["processes"]),
        threads=int(snapshot["threads"]),
        fds=int(snapshot["fds"]),
        served=tuple(int(n) for n in final["served"]),
    )


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in MODELS:
        sys.exit(f"usage: osdemo.py {{{'|'.join(MODELS)}}} WORKERS")
    _serve(sys.argv[1], int(sys.argv[2]))
