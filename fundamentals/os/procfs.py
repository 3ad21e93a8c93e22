"""What the kernel says about a process: ``/proc`` and ``getrusage``.

The pages assert what the operating system did, not what the program meant to
do, so they read its counters: process state, open descriptors, threads,
resident pages and minor faults. Linux is the reference platform; elsewhere
these raise ``OSError`` and the tests that need them say so.
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

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
