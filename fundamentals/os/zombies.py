"""Zombies: a child's exit status waits in the process table until its parent reaps it.

The code behind ``zombies.md``. Every demonstration forks or changes how this
process handles SIGCHLD, so the tests run them in a fresh interpreter
(``call_in_subprocess``).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from fundamentals.os.processes import LOOK_MS, exit_code, fork_child, read_all, readable
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


PR_SET_CHILD_SUBREAPER = 36
"""``prctl`` option (Linux 3.4): orphaned descendants are re-parented to us, not to PID 1."""


def parent_pid(pid: int) -> int:
    """The parent pid of ``pid``: field 4 of ``/proc/<pid>/stat``, read past the command name."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rindex(")") + 2 :].split()[1])


def demo_orphan_adoption(become_subreaper: bool) -> dict[str, Any]:
    """Our child forks a grandchild and exits at once; who is the orphan's parent then?

    With ``become_subreaper`` we first mark ourselves a child subreaper, so the
    orphan comes to us and we can, and must, reap it. Without it the orphan
    goes to the nearest subreaper above us or to PID 1, and ``waitpid`` on it
    fails here. The grandchild waits on a pipe until we close our end.
    """
    if become_subreaper:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:  # break[not-a-subreaper]
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")
    release_r, release_w = os.pipe()
    report_r, report_w = os.pipe()

    def grandchild() -> int:
        os.close(report_w)  # or the grandparent's read of the report never sees EOF
        os.read(release_r, 1)  # b"" once we, the grandparent, close our end
        return 5

    def child() -> None:
        os.close(report_r)
        os.close(release_w)
        os.write(report_w, str(fork_child(grandchild)).encode())

    child_pid = fork_child(child)
    os.close(report_w)
    os.close(release_r)
    orphan = int(read_all(report_r))
    result: dict[str, Any] = {"child_exit": exit_code(child_pid)}
    # The child has exited, so the kernel has already re-parented its child.
    new_parent = parent_pid(orphan)
    result["orphan_parent_is_us"] = new_parent == os.getpid()
    result["orphan_parent_is_its_dead_parent"] = new_parent == child_pid
    os.close(release_w)  # the orphan's read returns and it exits with 5
    try:
        result["we_reaped_it"] = exit_code(orphan)
    except ChildProcessError:
        result["we_reaped_it"] = None  # not our child any more: reaping it is its new parent's job
    return result


def demo_sigchld_steals_from_subprocess(how: str) -> dict[str, Any]:
    """Run ``sh -c 'exit 5'`` with subprocess while SIGCHLD is ignored or reaped by a handler.

    ``how`` is ``"ignore"`` (SIGCHLD set to SIG_IGN: the kernel reaps every
    child) or ``"handler"`` (a SIGCHLD handler that reaps with
    ``waitpid(-1, WNOHANG)``, which we let run before ``Popen.wait``). Either
    way ``Popen.wait`` finds no child to wait for and reports 0.
    """
    stolen: list[int] = []
    if how == "ignore":
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)
        code = subprocess.run(["sh", "-c", "exit 5"], check=False).returncode
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        return {"returncode": code, "handler_saw": stolen}
    if how != "handler":
        raise ValueError(f"unknown way to take SIGCHLD {how!r}; choose ignore or handler")

    def reap_everything(signum: int, frame: object) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            stolen.append(os.waitstatus_to_exitcode(status))

    signal.signal(signal.SIGCHLD, reap_everything)
    try:
        proc = subprocess.Popen(["sh", "-c", "exit 5"])
        deadline = time.monotonic() + 10
        while not stolen and time.monotonic() < deadline:
            time.sleep(0.002)  # the handler runs between these sleeps once sh exits
        code = proc.wait(timeout=10)
    finally:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    return {"returncode": code, "handler_saw": stolen}


def demo_pidfd() -> dict[str, Any]:
    """Watch a child through a pidfd: readable when it exits, and it stays a zombie until reaped.

    ``os.pidfd_open`` (Linux 5.3, Python 3.9) gives a descriptor for the
    process, so an event loop can wait for an exit like for any other event,
    and, unlike a pid, it can never come to name another process.
    """
    r, w = os.pipe()

    def child() -> int:
        os.close(w)
        os.read(r, 1)
        return 7

    pid = fork_child(child)
    os.close(r)
    pidfd = os.pidfd_open(pid)
    try:
        running = {"readable": readable(pidfd, LOOK_MS), "state": proc_state(pid)}
        os.close(w)  # the child exits
        exited: dict[str, Any] = {"readable": readable(pidfd, 10_000)}  # True once it exits
        exited["state"] = proc_state(pid)  # still there: a pidfd does not reap
        info = os.waitid(os.P_PIDFD, pidfd, os.WEXITED)  # reap through the descriptor
        assert info is not None
        reaped = {"code": info.si_status, "state": proc_state(pid)}
    finally:
        os.close(pidfd)
    return {"running": running, "exited": exited, "reaped": reaped}
