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
from collections.abc import Iterator, Sequence

import pytest

from handbook.concurrency.graceful_shutdown import (
    GracefulWorker,
    Received,
    event_set_in_handler_deadlocks,
    main,
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
        "sys.stdin.readline()\n"
        "print('survived a SIGTERM from outside', flush=True)\n"
    )
    init = InitChild([*as_pid_1, sys.executable, "-c", code])
    try:
        assert init.read_line() == "1 True"  # PID 1, and SIGTERM at its default action
        assert init.read_line() == "survived a SIGTERM from inside"
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


def test_the_deadlock_demo_refuses_to_run_off_the_main_thread() -> None:
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            event_set_in_handler_deadlocks()
        except RuntimeError as exc:
            errors.append(exc)

    helper = threading.Thread(target=attempt)
    helper.start()
    helper.join()
    assert [str(e) for e in errors] == ["signal handlers run only in the main thread"]


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
