"""Zombies: a child's exit status waits in the process table until its parent reaps it.

The code behind ``zombies.md``. Every demonstration forks, so the tests run them
in a fresh interpreter (``call_in_subprocess``).
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from fundamentals.os.processes import exit_code, fork_child
from fundamentals.os.procfs import proc_state, wait_for_state


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
