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
    os.kill(pid, signal.SIGKILL)  # kill -9 a zombie: it is dead already, nothing happens
    zombie = {
        "state": zombie_state,
        "state_after_kill": proc_state(pid),  # nothing changes until we wait
        "status_line": next(x for x in status.splitlines() if x.startswith("State:")),
        "has_memory": "VmRSS" in status,
    }
    # waitpid: collect the status, free the pid.
    code = exit_code(pid)  # break[never-reaped]
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


def reap_one() -> bool:
    """Reap one child that has exited, without blocking; whether there was one.

    ``waitpid(-1, WNOHANG)`` returns ``(0, 0)`` while children exist but none
    has exited, and raises ``ChildProcessError`` once there are no children.
    """
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return False
    return pid != 0


def reap_exited() -> int:
    """Reap every child that has exited, without blocking; return how many.

    This loop is what a ``SIGCHLD`` handler must run: one signal may stand for
    any number of exits.
    """
    reaped = 0
    while reap_one():  # break[reap-once-per-signal]
        reaped += 1
    return reaped


def demo_coalesced_sigchld(reap_in_a_loop: bool, children: int = 5) -> dict[str, int]:
    """``children`` exit while SIGCHLD is blocked; one signal arrives for all of them.

    The handler runs ``reap_exited``, or with ``reap_in_a_loop`` false the
    classic bug: ``reap_one``, one ``waitpid`` per signal.
    """
    calls = reaped_by_handler = 0

    def on_sigchld(signum: int, frame: object) -> None:
        nonlocal calls, reaped_by_handler
        calls += 1
        reaped_by_handler += reap_exited() if reap_in_a_loop else int(reap_one())

    signal.signal(signal.SIGCHLD, on_sigchld)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    pids = [fork_child(lambda: 0) for _ in range(children)]
    zombies_seen = sum(wait_for_state(pid, "Z") == "Z" for pid in pids)
    # Python runs the handler before pthread_sigmask returns (it checks for signals).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    pending_after = len(signal.sigpending())
    left_after_handler = sum(proc_state(pid) == "Z" for pid in pids)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    reaped_afterwards = reap_exited()
    return {
        "zombies_seen": zombies_seen,
        "handler_calls": calls,
        "reaped_by_handler": reaped_by_handler,
        "pending_after": pending_after,
        "left_after_handler": left_after_handler,
        "reaped_afterwards": reaped_afterwards,
        "left_at_end": sum(proc_state(pid) is not None for pid in pids),
    }
