"""os.zombies: an exited child stays a zombie (state Z) until its parent reaps it.

Every demonstration forks, so it lives in ``zombies.py`` (``demo_zombie_lifecycle``,
``demo_ignored_sigchld``, ``demo_coalesced_sigchld``) and ``call_in_subprocess``
runs it in a fresh interpreter. The parent never sleeps to
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
