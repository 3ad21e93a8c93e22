"""Tests for concurrency.graceful_shutdown: a real child process gets a real SIGTERM mid-job.

The child announces every step on stdout and cannot finish a job until the test
writes a line to its stdin, so the test knows it is mid-job when it signals.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from handbook.concurrency.graceful_shutdown import GracefulWorker

posix_only = pytest.mark.skipif(
    sys.platform == "win32",
    reason="POSIX signals: on Windows, sending SIGTERM to another process just terminates it",
)

# Detects a stalled child. The child needs well under a second to start and
# answer; the margin covers a slow, loaded machine many times over.
LINE_TIMEOUT = 20.0


class Child:
    """A Python child process, with line reads that time out instead of hanging."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, *args],
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


@pytest.fixture
def child() -> Iterator[Child]:
    """A running worker process, killed and reaped whatever the test does."""
    c = Child("-m", "handbook.concurrency.graceful_shutdown")
    try:
        yield c
    finally:
        c.cleanup()


@posix_only
def test_sigterm_mid_job_finishes_that_job_and_exits_zero(child: Child) -> None:
    assert child.read_line() == "ready"
    assert child.read_line() == "started job 1"
    child.proc.send_signal(signal.SIGTERM)  # the child is inside job 1 now
    child.send("upstream answer\n", close=True)  # job 1 may now complete
    rest = child.rest()
    code = child.exit_code()
    assert code == 0, f"exit status {code} (negative = killed by that signal): {child.stderr()}"
    assert rest == ["finished job 1", "drained: 1 job(s) completed, exiting"]
    assert "started job 2" not in rest


@posix_only
def test_repeated_sigterm_during_a_later_job_still_drains(child: Child) -> None:
    assert child.read_line() == "ready"
    assert child.read_line() == "started job 1"
    child.send("answer 1\n")
    assert child.read_line() == "finished job 1"
    assert child.read_line() == "started job 2"
    child.proc.send_signal(signal.SIGTERM)
    child.proc.send_signal(signal.SIGTERM)  # impatient orchestrator: the handler is idempotent
    child.send("answer 2\n", close=True)
    rest = child.rest()
    code = child.exit_code()
    assert code == 0, f"exit status {code}: {child.stderr()}"
    assert rest == ["finished job 2", "drained: 2 job(s) completed, exiting"]


@posix_only
def test_end_of_input_without_a_signal_also_exits_zero(child: Child) -> None:
    assert child.read_line() == "ready"
    child.send("answer 1\n", close=True)
    assert child.rest() == [
        "started job 1",
        "finished job 1",
        "started job 2",
        "abandoned job 2: no more input",
        "drained: 1 job(s) completed, exiting",
    ]
    assert child.exit_code() == 0


@posix_only
def test_without_a_handler_sigterm_kills_at_once() -> None:
    # The default action, shown on a child that never installs a handler.
    bare = Child("-c", "import sys; print('ready', flush=True); sys.stdin.readline()")
    try:
        assert bare.read_line() == "ready"
        bare.proc.send_signal(signal.SIGTERM)
        assert bare.exit_code() == -signal.SIGTERM
        assert bare.rest() == []  # no chance to say or finish anything
    finally:
        bare.cleanup()


def test_stop_request_mid_job_lets_the_job_finish_and_starts_no_other() -> None:
    worker = GracefulWorker()
    lines: list[str] = []

    def work(job: int) -> bool:
        if job == 3:
            worker.request_stop(signal.SIGTERM, None)  # arrives while job 3 runs
        return True

    assert worker.run(work, lines.append) == 3
    assert lines[-3:] == ["started job 3", "finished job 3", "drained: 3 job(s) completed, exiting"]
    assert "started job 4" not in lines


def test_stop_requested_before_the_first_job_runs_nothing() -> None:
    worker = GracefulWorker()
    worker.request_stop(signal.SIGTERM, None)
    lines: list[str] = []
    assert worker.run(lambda job: True, lines.append) == 0
    assert lines == ["drained: 0 job(s) completed, exiting"]
