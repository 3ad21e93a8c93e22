"""Tests for concurrency.graceful_shutdown: a real child process gets a real SIGTERM.

The child announces every step on stdout. A job starts when the test writes a
line and cannot finish until the test writes another, so the test knows whether
the child is idle or mid-job when it signals. Both workers (``signal.signal``
with a wake-up pipe, and asyncio's ``add_signal_handler``) run the same suite.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence

import pytest

from handbook.concurrency.graceful_shutdown import (
    GracefulWorker,
    Received,
    entrypoint_script,
    event_set_in_handler_deadlocks,
    main,
    steps_done_when_the_handler_ran,
    where_the_handler_runs,
)

pytestmark = pytest.mark.skipif(
    sys.platform == "win32",
    reason="POSIX signals: on Windows, sending SIGTERM to another process just terminates it",
)

# Detects a stalled child. The child needs well under a second to start and
# answer; the margin covers a slow, loaded machine many times over.
LINE_TIMEOUT = 20.0

WORKER = ("-m", "handbook.concurrency.graceful_shutdown")


class Child:
    """A child process, with line reads that time out instead of hanging."""

    def __init__(self, argv: Sequence[str]) -> None:
        self.proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
        )
        assert self.proc.stdout is not None
        self._fd = self.proc.stdout.fileno()
        self._buffer = b""

    def read_line(self) -> str:
        """The next line the child printed; '' once it has closed stdout."""
        deadline = time.monotonic() + LINE_TIMEOUT
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            readable, _, _ = select.select([self._fd], [], [], max(remaining, 0))
            if not readable:
                raise TimeoutError(f"no line from the child in {LINE_TIMEOUT}s")
            chunk = os.read(self._fd, 4096)
            if not chunk:
                rest, self._buffer = self._buffer, b""
                return rest.decode()
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode()

    def rest(self) -> list[str]:
        """Every remaining line, up to end of output."""
        lines = []
        while line := self.read_line():
            lines.append(line)
        return lines

    def send(self, text: str, *, close: bool = False) -> None:
        """Write to the child's stdin (a dead child is not an error here: the exit code says)."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(text.encode())
            self.proc.stdin.flush()
            if close:
                self.proc.stdin.close()
        except BrokenPipeError:
            pass

    def exit_code(self) -> int:
        return self.proc.wait(timeout=LINE_TIMEOUT)

    def stderr(self) -> str:
        assert self.proc.stderr is not None
        return self.proc.stderr.read().decode()

    def cleanup(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=LINE_TIMEOUT)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                with contextlib.suppress(BrokenPipeError):
                    stream.close()


def wait_until_sleeping(pid: int) -> None:
    """On Linux, return once process ``pid`` is asleep in the kernel (state S).

    Called after the worker said "ready", whose next blocking call is its idle
    wait: this makes sure a signal lands *during* that wait, not just before it.
    (A correct worker passes either way; a worker that cannot be woken then
    fails every time, instead of only when the signal is late.) Elsewhere it
    returns at once.
    """
    stat = f"/proc/{pid}/stat"
    if not os.path.exists(stat):
        return
    deadline = time.monotonic() + LINE_TIMEOUT
    while time.monotonic() < deadline:
        with open(stat, encoding="ascii") as f:
            state = f.read().rpartition(")")[2].split()[0]  # the field after "(comm)"
        if state == "S":
            return
        time.sleep(0.001)  # polling an observable state, not waiting for an event to happen
    raise TimeoutError(f"process {pid} never went to sleep")


class TestSignalHandlerWorker:
    """The worker with ``signal.signal`` handlers and ``set_wakeup_fd``."""

    args: tuple[str, ...] = ()

    @pytest.fixture
    def child(self) -> Iterator[Child]:
        """A running worker process, killed and reaped whatever the test does."""
        c = Child([sys.executable, *WORKER, *self.args])
        try:
            yield c
        finally:
            c.cleanup()

    def test_sigterm_mid_job_finishes_that_job_and_starts_no_other(self, child: Child) -> None:
        assert child.read_line() == "ready"
        child.send("job\n")
        assert child.read_line() == "started job 1"
        child.proc.send_signal(signal.SIGTERM)  # the child is inside job 1 now
        child.send("answer\njob\n")  # job 1 may complete, and job 2 is waiting
        rest = child.rest()
        code = child.exit_code()
        assert code == 0, f"exit status {code} (negative = killed by that signal): {child.stderr()}"
        assert rest == ["finished job 1", "drained: 1 job(s) completed, exiting"]

    def test_repeated_sigterm_during_a_later_job_still_drains(self, child: Child) -> None:
        assert child.read_line() == "ready"
        child.send("job\n")
        assert child.read_line() == "started job 1"
        child.send("answer 1\njob\n")
        assert child.read_line() == "finished job 1"
        assert child.read_line() == "started job 2"
        child.proc.send_signal(signal.SIGTERM)
        child.proc.send_signal(signal.SIGTERM)  # impatient orchestrator: the handler is idempotent
        child.send("answer 2\n", close=True)
        rest = child.rest()
        code = child.exit_code()
        assert code == 0, f"exit status {code}: {child.stderr()}"
        assert rest == ["finished job 2", "drained: 2 job(s) completed, exiting"]

    def test_sigterm_while_idle_stops_at_once_without_more_input(self, child: Child) -> None:
        assert child.read_line() == "ready"
        wait_until_sleeping(child.proc.pid)  # blocked waiting for its first job
        child.proc.send_signal(signal.SIGTERM)
        # No input follows: only the wake-up can end the wait.
        assert child.rest() == ["drained: 0 job(s) completed, exiting"]
        assert child.exit_code() == 0


class TestAsyncioWorker(TestSignalHandlerWorker):
    """The same SIGTERM behaviour from the asyncio worker (``loop.add_signal_handler``)."""

    args = ("--asyncio",)


@pytest.fixture(params=[(), ("--asyncio",)], ids=["signal-handler", "asyncio"])
def any_worker(request: pytest.FixtureRequest) -> Iterator[Child]:
    """Either worker, for the behaviour that involves no signal at all."""
    c = Child([sys.executable, *WORKER, *request.param])
    try:
        yield c
    finally:
        c.cleanup()


def test_end_of_input_while_idle_exits_zero(any_worker: Child) -> None:
    assert any_worker.read_line() == "ready"
    any_worker.send("job\nanswer\n", close=True)
    assert any_worker.rest() == [
        "started job 1",
        "finished job 1",
        "no more input",
        "drained: 1 job(s) completed, exiting",
    ]
    assert any_worker.exit_code() == 0


def test_end_of_input_mid_job_abandons_that_job(any_worker: Child) -> None:
    assert any_worker.read_line() == "ready"
    any_worker.send("job\n", close=True)
    assert any_worker.rest() == [
        "started job 1",
        "abandoned job 1: no more input",
        "drained: 0 job(s) completed, exiting",
    ]
    assert any_worker.exit_code() == 0


def test_without_a_handler_sigterm_kills_at_once() -> None:
    # The default action, shown on a child that never installs a handler.
    bare = Child(
        [sys.executable, "-c", "import sys; print('ready', flush=True); sys.stdin.readline()"]
    )
    try:
        assert bare.read_line() == "ready"
        bare.proc.send_signal(signal.SIGTERM)
        assert bare.exit_code() == -signal.SIGTERM
        assert bare.rest() == []  # no chance to say or finish anything
    finally:
        bare.cleanup()


# What a death by a signal's default action skips. stdout is a pipe here, so
# the unflushed line waits in the buffer; readiness goes out flushed before it.
_DIES_WITH_WORK_UNDONE = """\
import atexit, sys
atexit.register(print, "atexit hook ran")
try:
    print("ready", flush=True)
    print("buffered, never flushed")
    sys.stdin.readline()
finally:
    print("finally block ran")
"""


def test_dying_of_sigterm_skips_finally_atexit_and_the_stdout_buffer() -> None:
    bare = Child([sys.executable, "-I", "-c", _DIES_WITH_WORK_UNDONE])
    try:
        assert bare.read_line() == "ready"
        wait_until_sleeping(bare.proc.pid)  # in readline(), the buffered print done
        bare.proc.send_signal(signal.SIGTERM)
        assert bare.exit_code() == -signal.SIGTERM
        assert bare.rest() == []  # not the buffered line, not finally, not atexit
    finally:
        bare.cleanup()


def test_sigint_raises_keyboard_interrupt_so_all_of_them_run() -> None:
    bare = Child([sys.executable, "-I", "-c", _DIES_WITH_WORK_UNDONE])
    try:
        assert bare.read_line() == "ready"
        wait_until_sleeping(bare.proc.pid)
        bare.proc.send_signal(signal.SIGINT)
        assert bare.rest() == ["buffered, never flushed", "finally block ran", "atexit hook ran"]
        # After the clean-up Python re-raises SIGINT at its default action, so
        # the parent still learns it died of SIGINT.
        assert bare.exit_code() == -signal.SIGINT
        assert "KeyboardInterrupt" in bare.stderr()
    finally:
        bare.cleanup()


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGSTOP])
def test_sigkill_and_sigstop_cannot_be_caught(signum: signal.Signals) -> None:
    with pytest.raises(OSError, match="Invalid argument"):
        signal.signal(signum, lambda s, f: None)
    assert signal.getsignal(signum) is signal.SIG_DFL


def test_a_long_c_call_delays_the_handler_until_it_returns() -> None:
    # One C call, list.extend(map(kill, ...)): the handler ran once all 1000
    # steps were done. The same steps as a Python loop: it ran as the first
    # kill() returned, before that step's result was even appended.
    assert steps_done_when_the_handler_ran(1000) == (1000, 0)


def test_the_handler_delay_demo_rejects_no_steps() -> None:
    with pytest.raises(ValueError, match="n must be >= 1"):
        steps_done_when_the_handler_ran(0)


def test_a_signal_delivered_to_a_worker_thread_is_handled_by_the_main_thread() -> None:
    # The C-level handler ran in the worker and only recorded the signal; the
    # worker carried on, and the main thread ran the Python handler later.
    assert where_the_handler_runs() == ["worker carried on", "handler ran in MainThread"]
    assert signal.getsignal(signal.SIGUSR1) is signal.SIG_DFL  # restored


@pytest.mark.parametrize(
    "demo",
    [steps_done_when_the_handler_ran, where_the_handler_runs, event_set_in_handler_deadlocks],
    ids=["delay", "thread", "deadlock"],
)
def test_the_handler_demos_refuse_to_run_off_the_main_thread(demo: Callable[[], object]) -> None:
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            demo()
        except RuntimeError as exc:
            errors.append(exc)

    helper = threading.Thread(target=attempt)
    helper.start()
    helper.join()
    assert [str(e) for e in errors] == ["signal handlers run only in the main thread"]


def test_python_installs_no_sigterm_handler() -> None:
    code = "import signal; print(signal.getsignal(signal.SIGTERM) is signal.SIG_DFL)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=LINE_TIMEOUT
    )
    assert done.stdout.strip() == "True"


# PID 1 of a PID namespace, made with util-linux unshare(1). As root a PID
# namespace is enough; otherwise a user namespace comes first, which many
# kernels allow without privileges. The kernel rule is the same in both.
UNSHARE = ["unshare", "--pid", "--fork"]
if hasattr(os, "geteuid") and os.geteuid() != 0:
    UNSHARE = ["unshare", "--user", "--map-root-user", "--pid", "--fork"]


@pytest.fixture(scope="module")
def as_pid_1() -> list[str]:
    """The command prefix that runs a program as PID 1 of a new PID namespace."""
    if shutil.which("unshare") is None:
        pytest.skip("needs util-linux unshare(1) to make a PID namespace")
    probe = subprocess.run(
        [*UNSHARE, sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        timeout=LINE_TIMEOUT,
        check=False,
    )
    if probe.returncode != 0 or probe.stdout.strip() != "1":
        pytest.skip(f"this machine does not allow a PID namespace: {probe.stderr.strip()}")
    return UNSHARE


class InitChild(Child):
    """A child run under unshare: ``init_pid`` is its program, PID 1 inside, as seen from here."""

    def init_pid(self) -> int:
        """Read once the program has printed something (so unshare has forked it)."""
        with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children", encoding="ascii") as f:
            return int(f.read().split()[0])

    def cleanup(self) -> None:
        # SIGKILL from an ancestor namespace is the one signal PID 1 cannot refuse.
        with contextlib.suppress(OSError, ValueError, IndexError):
            os.kill(self.init_pid(), signal.SIGKILL)
        super().cleanup()


def test_as_pid_1_python_without_a_handler_does_not_die_of_sigterm(as_pid_1: list[str]) -> None:
    code = (
        "import os, signal, sys\n"
        "print(os.getpid(), signal.getsignal(signal.SIGTERM) is signal.SIG_DFL, flush=True)\n"
        # From inside the namespace: a signal a process sends itself is delivered
        # before kill() returns, so reaching the next line means it was dropped.
        "os.kill(1, signal.SIGTERM)\n"
        "print('survived a SIGTERM from inside', flush=True)\n"
        "os.kill(1, signal.SIGKILL)\n"  # from inside, not even SIGKILL gets through
        "print('survived a SIGKILL from inside', flush=True)\n"
        "sys.stdin.readline()\n"
        "print('survived a SIGTERM from outside', flush=True)\n"
    )
    init = InitChild([*as_pid_1, sys.executable, "-c", code])
    try:
        assert init.read_line() == "1 True"  # PID 1, and SIGTERM at its default action
        assert init.read_line() == "survived a SIGTERM from inside"
        assert init.read_line() == "survived a SIGKILL from inside"
        # Sent from this (the parent) namespace, like `docker stop` from the host.
        # The kernel drops it at once: kill() succeeds, and nothing is delivered.
        os.kill(init.init_pid(), signal.SIGTERM)
        init.send("go on\n")
        assert init.rest() == ["survived a SIGTERM from outside"]
        assert init.exit_code() == 0
    finally:
        init.cleanup()


def test_as_pid_1_the_worker_with_a_handler_still_drains(as_pid_1: list[str]) -> None:
    init = InitChild([*as_pid_1, sys.executable, *WORKER])
    try:
        assert init.read_line() == "ready"
        init.send("job\n")
        assert init.read_line() == "started job 1"
        os.kill(init.init_pid(), signal.SIGTERM)  # a handler exists, so PID 1 gets it
        init.send("answer\njob\n", close=True)
        assert init.rest() == ["finished job 1", "drained: 1 job(s) completed, exiting"]
        assert init.exit_code() == 0
    finally:
        init.cleanup()


def test_event_set_in_a_signal_handler_deadlocks_on_its_own_lock() -> None:
    assert event_set_in_handler_deadlocks() is True
    # The handlers were restored: the test's own SIGUSR1/SIGUSR2 dispositions are back.
    assert signal.getsignal(signal.SIGUSR1) is signal.SIG_DFL
    assert signal.getsignal(signal.SIGUSR2) is signal.SIG_DFL


def test_stop_request_mid_job_lets_the_job_finish_and_starts_no_other() -> None:
    worker = GracefulWorker()
    lines: list[str] = []

    def work(job: int) -> bool:
        if job == 3:
            worker.request_stop(signal.SIGTERM, None)  # arrives while job 3 runs
        return True

    assert worker.run(lambda: "job", work, lines.append) == 3
    assert lines[-3:] == ["started job 3", "finished job 3", "drained: 3 job(s) completed, exiting"]
    assert "started job 4" not in lines


def test_stop_requested_before_the_first_job_runs_nothing() -> None:
    worker = GracefulWorker()
    worker.request_stop(signal.SIGTERM, None)
    lines: list[str] = []
    assert worker.run(lambda: "job", lambda job: True, lines.append) == 0
    assert lines == ["drained: 0 job(s) completed, exiting"]


def test_a_wake_up_without_a_stop_request_keeps_waiting() -> None:
    # Any handled signal writes to the wake-up pipe; only a stop request ends the loop.
    worker = GracefulWorker()
    arrivals: list[Received] = ["woken", "job", "woken", "end"]
    lines: list[str] = []
    assert worker.run(lambda: arrivals.pop(0), lambda job: True, lines.append) == 1
    assert lines == [
        "started job 1",
        "finished job 1",
        "no more input",
        "drained: 1 job(s) completed, exiting",
    ]


def test_main_rejects_unknown_arguments() -> None:
    with pytest.raises(SystemExit, match=r"usage: .*got \['--threads'\]"):
        main(["--threads"])


def test_as_pid_1_a_real_fault_kills_where_a_sent_sigsegv_does_not(as_pid_1: list[str]) -> None:
    code = (
        "import ctypes, os, signal\n"
        "os.kill(1, signal.SIGSEGV)\n"  # sent: dropped like any other
        "print('survived a SIGSEGV sent with kill()', flush=True)\n"
        "ctypes.string_at(0)\n"  # a real fault: the kernel forces this one
        "print('survived a segmentation fault', flush=True)\n"
    )
    init = InitChild([*as_pid_1, sys.executable, "-I", "-c", code])
    try:
        assert init.rest() == ["survived a SIGSEGV sent with kill()"]
        # unshare(1) reports how its child died by dying of the same signal.
        assert init.exit_code() == -signal.SIGSEGV
    finally:
        init.cleanup()


def test_as_pid_1_a_dropped_signal_is_not_kept_for_a_later_handler(as_pid_1: list[str]) -> None:
    code = (
        "import signal, sys\n"
        "got = []\n"
        "print('default action', flush=True)\n"
        "sys.stdin.readline()\n"  # SIGTERM from outside arrives before this line
        "signal.signal(signal.SIGTERM, lambda s, f: got.append(s))\n"
        "print('pending', sorted(signal.sigpending()), 'handled', got, flush=True)\n"
        "signal.signal(signal.SIGTERM, signal.SIG_DFL)\n"
        "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})\n"
        "print('blocked', flush=True)\n"
        "sys.stdin.readline()\n"  # and again, now that it is blocked
        "print('pending', [int(n) for n in signal.sigpending()], flush=True)\n"
        "signal.signal(signal.SIGTERM, lambda s, f: got.append(s))\n"
        "signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})\n"
        "print('handled', got, flush=True)\n"
    )
    init = InitChild([*as_pid_1, sys.executable, "-I", "-c", code])
    try:
        assert init.read_line() == "default action"
        os.kill(init.init_pid(), signal.SIGTERM)  # kill() returns after the kernel decided
        init.send("installing a handler now\n")
        assert init.read_line() == "pending [] handled []"  # dropped, not queued
        assert init.read_line() == "blocked"
        os.kill(init.init_pid(), signal.SIGTERM)
        init.send("unblocking with a handler\n")
        # A blocked signal is never dropped at sending time: it waits, and the
        # handler installed before unblocking receives it.
        assert init.rest() == [f"pending [{signal.SIGTERM:d}]", f"handled [{signal.SIGTERM:d}]"]
        assert init.exit_code() == 0
    finally:
        init.cleanup()


# An init in the spirit of tini, reduced to forwarding: PID 1 starts the
# program as its child (PID 2), passes SIGTERM on to it and reports how it ended.
_FORWARDING_INIT = """\
import signal, subprocess, sys
child = subprocess.Popen(sys.argv[1:])
signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signum))
print("init: child started", flush=True)
print(f"init: child ended with {child.wait()}", flush=True)
"""


def test_under_an_init_python_without_a_handler_dies_of_sigterm_at_once(
    as_pid_1: list[str],
) -> None:
    bare = "import sys; print('ready', flush=True); sys.stdin.readline(); print('finished')"
    init = InitChild(
        [*as_pid_1, sys.executable, "-I", "-c", _FORWARDING_INIT, sys.executable, "-I", "-c", bare]
    )
    try:
        assert sorted([init.read_line(), init.read_line()]) == ["init: child started", "ready"]
        os.kill(init.init_pid(), signal.SIGTERM)  # docker stop, with --init
        # PID 2 is an ordinary process: the default action applies. Quick, not graceful.
        assert init.rest() == [f"init: child ended with {-signal.SIGTERM:d}"]
        assert init.exit_code() == 0
    finally:
        init.cleanup()


def test_pid_1_inherits_orphans_and_they_stay_zombies_until_it_waits(as_pid_1: list[str]) -> None:
    # /proc here is still this (the parent) namespace's, so the program asks
    # the kernel directly: waitid() works only on one's own children, and
    # kill(pid, 0) succeeds as long as the process table still has an entry.
    code = """\
import os

def exists(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True

orphan_waits, parent_end = os.pipe()  # EOF for the orphan once its parent has exited
report, tell = os.pipe()
parent = os.fork()
if parent == 0:
    orphan = os.fork()
    if orphan == 0:
        os.close(parent_end)
        os.read(orphan_waits, 1)
        os._exit(0)
    os.write(tell, str(orphan).encode())
    os._exit(0)
os.close(parent_end)
os.close(tell)
orphan = int(os.read(report, 64))
os.waitpid(parent, 0)  # PID 1 reaps the child it started; the orphan is now PID 1's
info = os.waitid(os.P_PID, orphan, os.WEXITED | os.WNOWAIT)  # until it exits; reaps nothing
print("orphan exited:", info.si_pid == orphan, "still in the process table:", exists(orphan))
os.waitpid(orphan, 0)
print("after wait():", exists(orphan))
"""
    init = InitChild([*as_pid_1, sys.executable, "-I", "-c", code])
    try:
        assert init.rest() == [
            "orphan exited: True still in the process table: True",  # a zombie, owned by PID 1
            "after wait(): False",
        ]
        assert init.exit_code() == 0
    finally:
        init.cleanup()


@pytest.fixture
def shell_as_pid_1(as_pid_1: list[str]) -> Iterator[Callable[[bool], InitChild]]:
    """Start the worker from an entrypoint shell script that is PID 1 of a new namespace."""
    started: list[InitChild] = []

    def start(exec_worker: bool) -> InitChild:
        script = entrypoint_script([sys.executable, *WORKER], exec_worker=exec_worker)
        child = InitChild([*as_pid_1, "sh", "-c", script])
        started.append(child)
        return child

    yield start
    for child in started:
        child.cleanup()


def test_a_shell_entrypoint_as_pid_1_never_passes_sigterm_on(
    shell_as_pid_1: Callable[[bool], InitChild],
) -> None:
    init = shell_as_pid_1(False)
    assert init.read_line() == "entrypoint: set-up done"
    assert init.read_line() == "ready"
    init.send("job\n")
    assert init.read_line() == "started job 1"
    os.kill(init.init_pid(), signal.SIGTERM)  # to the shell: PID 1, no handler, dropped
    init.send("answer\njob\n", close=True)
    assert init.rest() == [
        "finished job 1",
        "started job 2",  # the worker never heard the SIGTERM
        "abandoned job 2: no more input",
        "drained: 1 job(s) completed, exiting",
        "entrypoint: worker exited with status 0",
    ]
    assert init.exit_code() == 0


def test_an_entrypoint_that_execs_the_worker_lets_it_drain(
    shell_as_pid_1: Callable[[bool], InitChild],
) -> None:
    init = shell_as_pid_1(True)
    assert init.read_line() == "entrypoint: set-up done"
    assert init.read_line() == "ready"
    init.send("job\n")
    assert init.read_line() == "started job 1"
    os.kill(init.init_pid(), signal.SIGTERM)  # exec made the worker PID 1, with its handler
    init.send("answer\njob\n", close=True)
    assert init.rest() == ["finished job 1", "drained: 1 job(s) completed, exiting"]
    assert init.exit_code() == 0


def test_entrypoint_script_rejects_an_empty_command() -> None:
    with pytest.raises(ValueError, match="worker must name a command"):
        entrypoint_script([], exec_worker=True)
