"""os.zombies: an exited child stays a zombie (state Z) until its parent reaps it.

Every demonstration forks or takes over SIGCHLD, so it lives in ``zombies.py``
and ``call_in_subprocess`` runs it in a fresh interpreter. The parent never sleeps to
"give the child time": it blocks the child on a pipe it controls, and polls
``/proc`` with a deadline when it needs to see a state change.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fundamentals.os.processes import call_in_subprocess
from fundamentals.os.procfs import proc_state, wait_for_state
from fundamentals.os.zombies import (
    demo_coalesced_sigchld,
    demo_ignored_sigchld,
    demo_orphan_adoption,
    demo_pidfd,
    demo_sigchld_steals_from_subprocess,
    demo_zombie_lifecycle,
    reap_exited,
    reap_one,
)

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="reads process states from Linux /proc/<pid>/stat"
)


def test_exited_child_is_a_zombie_until_waitpid_reaps_it() -> None:
    result = call_in_subprocess(demo_zombie_lifecycle)
    assert result["running"] == {"state": "S", "wnohang": [0, 0]}
    assert result["zombie"] == {
        "state": "Z",
        "state_after_kill": "Z",  # SIGKILL does nothing to a process that has exited
        "status_line": "State:\tZ (zombie)",
        "has_memory": False,  # its memory is already freed: only the pid and status remain
    }
    assert result["exit"] == 7  # its own exit status, not -9: the kill came too late
    assert result["after_reap"] is None  # /proc/<pid> is gone


def test_ignoring_sigchld_makes_the_kernel_reap_children() -> None:
    result = call_in_subprocess(demo_ignored_sigchld)
    assert result == {"waitpid": "ChildProcessError", "state": None}


def test_sigchld_coalesces_so_one_wait_per_signal_leaves_zombies() -> None:
    result = call_in_subprocess(demo_coalesced_sigchld, False)
    assert result["zombies_seen"] == 5
    assert result["pending_after"] == 0
    # Five exits, one pending standard signal: the handler ran once and reaped one.
    assert result["handler_calls"] == 1
    assert result["reaped_by_handler"] == 1
    assert result["left_after_handler"] == 4
    assert result["reaped_afterwards"] == 4
    assert result["left_at_end"] == 0


def test_a_sigchld_handler_that_reaps_in_a_loop_leaves_no_zombie() -> None:
    result = call_in_subprocess(demo_coalesced_sigchld, True)
    assert result["zombies_seen"] == 5
    # Still one signal for five exits, but the one handler call reaped all five.
    assert result["handler_calls"] == 1
    assert result["reaped_by_handler"] == 5
    assert result["left_after_handler"] == 0
    assert result["reaped_afterwards"] == 0
    assert result["left_at_end"] == 0


def test_reaping_without_children_finds_nothing() -> None:
    # A fresh interpreter has no children: waitpid(-1, WNOHANG) raises ChildProcessError.
    assert call_in_subprocess(reap_one) is False
    assert call_in_subprocess(reap_exited) == 0


def test_proc_state_reads_past_a_command_name_with_parentheses(tmp_path: Path) -> None:
    # The command name (field 2) is the executable's file name, and a file may be
    # called "x) Z (y": naive splitting on spaces would then read "Z".
    tricky = tmp_path / "x) Z (y"
    tricky.symlink_to(sys.executable)
    child = subprocess.Popen([tricky, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        stat = Path(f"/proc/{child.pid}/stat").read_text()
        assert "(x) Z (y)" in stat
        assert stat.split()[2] == "Z"  # the naive parse is fooled
        assert wait_for_state(child.pid, "S") == "S"  # blocked reading stdin
    finally:
        assert child.stdin is not None
        child.stdin.close()
        assert child.wait(timeout=10) == 0
    assert proc_state(child.pid) is None


def test_an_orphan_is_adopted_by_the_nearest_subreaper_which_reaps_it() -> None:
    # Our child forks a grandchild and exits. As a child subreaper
    # (prctl PR_SET_CHILD_SUBREAPER) we become the orphan's parent at once, and
    # its exit status (5) comes to our waitpid.
    assert call_in_subprocess(demo_orphan_adoption, True) == {
        "child_exit": 0,
        "orphan_parent_is_us": True,
        "orphan_parent_is_its_dead_parent": False,
        "we_reaped_it": 5,
    }


def test_without_a_subreaper_the_orphan_goes_up_past_its_grandparent() -> None:
    # Re-parenting skips the grandparent: the orphan goes to PID 1 or to a
    # subreaper further up, and our waitpid finds no such child.
    assert call_in_subprocess(demo_orphan_adoption, False) == {
        "child_exit": 0,
        "orphan_parent_is_us": False,
        "orphan_parent_is_its_dead_parent": False,
        "we_reaped_it": None,
    }


@pytest.mark.parametrize("how", ["ignore", "handler"])
def test_taking_sigchld_steals_subprocess_exit_status(how: str) -> None:
    # sh exits with 5, but someone else collected the status first: the kernel
    # (SIGCHLD ignored) or our handler's waitpid(-1). Popen.wait then gets
    # ECHILD, and subprocess reports the child as exiting with 0.
    result = call_in_subprocess(demo_sigchld_steals_from_subprocess, how)
    assert result["returncode"] == 0
    assert result["handler_saw"] == ([] if how == "ignore" else [5])


def test_a_pidfd_becomes_readable_at_exit_and_reaps_through_waitid() -> None:
    assert call_in_subprocess(demo_pidfd) == {
        "running": {"readable": False, "state": "S"},  # LOOK_MS: nothing to report yet
        "exited": {"readable": True, "state": "Z"},  # readable, but not reaped
        "reaped": {"code": 7, "state": None},  # waitid(P_PIDFD) collected it
    }
