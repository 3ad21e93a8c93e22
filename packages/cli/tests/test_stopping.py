"""The command under interruption and closed pipes: it ends at once, cleanly, quietly.

Each test starts ``handbook`` in a subprocess with a private ``TMPDIR``, waits
for a marker (the blocked lesson test writes its pid and its own child's pid
into a FIFO), signals the command, and then checks the exit code, the one line
on stderr, that no ``handbook-*`` folder is left and that no process the run
started survives. A timeout is only ever a guard against a hang.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import handbook.cli
from handbook.cli import children
from handbook.cli.catalogue import Catalogue
from handbook.cli.verify import verify

GUARD = 60.0  # seconds; only reached when something hangs
CLI_PACKAGE = Path(handbook.cli.__file__).resolve().parent

HANG_MODULE = '''"""Blocks on demand.

Why interviewers ask this:
    Because it matters.

Common pitfalls:
    - Forgetting it.

Key takeaways:
    - Remember it.

What to look for in an answer:
    The rubric. Follow-up: why?
"""

import os
import subprocess
import sys
import threading


def _block() -> bool:
    """Start a child, tell the test both pids through the FIFO, then wait for ever."""
    child = subprocess.Popen([sys.executable, "-c", "import signal; signal.pause()"])
    with open(os.environ["HANDBOOK_TEST_FIFO"], "w") as fifo:
        fifo.write(f"{os.getpid()} {child.pid}\\n")
    threading.Event().wait()
    return False


def answer() -> bool:
    if os.environ.get("HANDBOOK_TEST_BLOCK"):
        return _block()
    return True  # break[block]
'''


@pytest.fixture
def hang_ws(workspace: Path) -> Path:
    """The fixture workspace plus ``demo.hang``, whose experiment ``block`` blocks."""
    src = workspace / "packages/demo/src/handbook/demo"
    (src / "hang.py").write_text(HANG_MODULE)
    (workspace / "packages/demo/tests/test_hang.py").write_text(
        "from handbook.demo.hang import answer\n\n\n"
        "def test_answer() -> None:\n    assert answer()\n"
    )
    (workspace / "packages/demo/experiments/hang.toml").write_text(
        textwrap.dedent("""
        [[experiment]]
        name = "block"
        replace = "return _block()"
        tests = ["test_answer"]
        expect = "timeout"
        timeout = 600
        why = "It blocks until it is killed."
        """)
    )
    return workspace


@dataclass
class Started:
    """A ``handbook`` subprocess, the pids its blocked test reported, and its TMPDIR."""

    proc: subprocess.Popen[str]
    pids: list[int]
    pidfds: list[int]
    tmp: Path

    def stop(self, signum: int) -> tuple[int, str]:
        """Send ``signum`` to the handbook process alone; its exit code and stderr."""
        self.proc.send_signal(signum)
        _, err = self.proc.communicate(timeout=GUARD)
        return self.proc.returncode, err

    def assert_clean(self) -> None:
        """No handbook-* temporary folder is left; every reported process has ended."""
        assert _left_behind(self.tmp) == []
        for pid, fd in zip(self.pids, self.pidfds, strict=True):
            ready, _, _ = select.select([fd], [], [], GUARD)  # readable once it has ended
            assert ready, f"process {pid} survived"


Start = Callable[..., Started]


def _default_signals() -> None:
    """In the child: signals this test run may inherit ignored (a CI job started in the
    background ignores SIGINT) get their default back, as at a terminal."""
    for sig in children.STOP_SIGNALS:
        signal.signal(sig, signal.SIG_DFL)


def _left_behind(tmp: Path) -> list[str]:
    return sorted(p.name for p in tmp.iterdir() if p.name.startswith("handbook-"))


def _fifo(path: Path) -> int:
    """Make a FIFO and open it for reading and writing: the open does not wait, and a
    read sees no end-of-file before the lesson test has written its line."""
    os.mkfifo(path)
    return os.open(path, os.O_RDWR | os.O_NONBLOCK)


@pytest.fixture
def start(hang_ws: Path, tmp_path: Path) -> Iterator[Start]:
    """Start ``handbook ARGS`` and wait until its lesson test is blocked."""
    fifo = tmp_path / "fifo"
    reader = _fifo(fifo)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    started: list[Started] = []

    def launch(*args: str, env: dict[str, str] | None = None) -> Started:
        environ = {
            **os.environ,
            "HANDBOOK_ROOT": str(hang_ws),
            "HANDBOOK_TEST_FIFO": str(fifo),
            "TMPDIR": str(tmp),
            **(env or {}),
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "handbook.cli.main", *args],
            env=environ,
            preexec_fn=_default_signals,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        ready, _, _ = select.select([reader], [], [], GUARD)
        assert ready, "the lesson test never started"
        pids = [int(p) for p in os.read(reader, 100).split()]
        one = Started(proc, pids, [os.pidfd_open(pid) for pid in pids], tmp)
        started.append(one)
        return one

    yield launch
    os.close(reader)
    for one in started:
        if one.proc.poll() is None:
            one.proc.kill()
            one.proc.communicate()
        for pid, fd in zip(one.pids, one.pidfds, strict=True):
            if not select.select([fd], [], [], 0)[0]:
                os.kill(pid, signal.SIGKILL)
            os.close(fd)


def test_ctrl_c_stops_verify_at_once(start: Start) -> None:
    # --jobs 1: the baseline passes, then the broken copy blocks.
    run = start("verify", "demo.hang", "--runs", "3", "--jobs", "1")
    code, err = run.stop(signal.SIGINT)
    assert code == 130
    assert err.strip().splitlines() == ["handbook: interrupted; your working tree is unchanged"]
    run.assert_clean()


def test_sigterm_stops_break_and_its_children(start: Start) -> None:
    run = start("break", "demo.hang", "block")
    code, err = run.stop(signal.SIGTERM)
    assert code == 128 + signal.SIGTERM
    assert err.strip().splitlines() == [
        "handbook: stopped by SIGTERM; your working tree is unchanged"
    ]
    run.assert_clean()


def test_sighup_stops_test_and_its_children(start: Start) -> None:
    run = start("test", "demo.hang", env={"HANDBOOK_TEST_BLOCK": "1"})
    code, err = run.stop(signal.SIGHUP)
    assert code == 128 + signal.SIGHUP
    assert "stopped by SIGHUP" in err
    run.assert_clean()


def test_a_failing_progress_line_stops_every_run(
    hang_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker's error (here a closed pipe) cancels queued work and kills running work."""
    reader = _fifo(tmp_path / "fifo")
    monkeypatch.setenv("HANDBOOK_TEST_FIFO", str(tmp_path / "fifo"))
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    catalogue = Catalogue.load(hang_ws)
    lessons = [catalogue.lesson("demo.hang")]
    calls: list[str] = []

    def progress(line: str) -> None:
        calls.append(line)
        raise BrokenPipeError

    with pytest.raises(BrokenPipeError):
        # Two jobs: the broken copy may be running (blocked) when the baseline reports.
        verify(
            catalogue,
            lessons,
            runs=3,
            jobs=2,
            progress=progress,
            check_readmes=set(),
            fork_server=True,
        )
    assert len(calls) == 1
    assert _left_behind(tmp) == []
    assert children.stopping() is None  # and the next operation may start children again
    os.close(reader)


def _closed_pipe() -> int:
    """The write end of a pipe whose reader has already gone."""
    read, write = os.pipe()
    os.close(read)
    return write


@pytest.mark.parametrize(
    "args", [("list",), ("show", "demo.good"), ("verify", "demo.good", "--runs", "1")]
)
def test_a_closed_pipe_ends_quietly(workspace: Path, tmp_path: Path, args: tuple[str]) -> None:
    write = _closed_pipe()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "handbook.cli.main", *args],
            env={**os.environ, "TMPDIR": str(tmp_path)},
            stdin=subprocess.DEVNULL,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=GUARD,
            check=False,
        )
    finally:
        os.close(write)
    assert proc.stderr == ""
    assert proc.returncode == 128 + signal.SIGPIPE
    assert _left_behind(tmp_path) == []


def test_ctrl_c_while_python_imports_prints_one_line(workspace: Path) -> None:
    # A finder that raises KeyboardInterrupt on the first import of argparse stands
    # for a Ctrl-C pressed while the command is still starting.
    script = textwrap.dedent("""
        import sys

        class CtrlC:
            def find_spec(self, name, path=None, target=None):
                if name == "argparse":
                    sys.meta_path.remove(self)
                    raise KeyboardInterrupt

        sys.meta_path.insert(0, CtrlC())
        from handbook.cli.main import main
        sys.exit(main(["list"]))
    """)
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=GUARD, check=False
    )
    assert proc.returncode == 130
    assert proc.stderr.strip().splitlines() == [
        "handbook: interrupted; your working tree is unchanged"
    ]


@pytest.mark.parametrize(
    "args", [("test", "demo.good"), ("break", "demo.good", "add-instead"), ("verify", "demo.good")]
)
def test_a_bare_install_says_what_to_install(
    workspace: Path, tmp_path: Path, args: tuple[str]
) -> None:
    # -S: no site-packages, so neither pytest nor its plugins; the command alone comes
    # from PYTHONPATH, as from a wheel installed without its tools.
    alone = tmp_path / "alone"
    shutil.copytree(CLI_PACKAGE, alone / "handbook" / "cli")
    proc = subprocess.run(
        [sys.executable, "-S", "-m", "handbook.cli.main", *args],
        env={**os.environ, "PYTHONPATH": str(alone)},
        capture_output=True,
        text=True,
        timeout=GUARD,
        check=False,
    )
    assert proc.returncode == 2
    [line] = proc.stderr.splitlines()
    assert line.startswith("handbook: error: the lessons' tests need pytest and pytest-timeout")
    assert line.endswith("python -m pip install pytest pytest-timeout")


def test_a_stop_kills_the_runs_of_fork_servers(
    hang_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run forked from a fork server is no child of ours: a stop still kills it."""
    reader = _fifo(tmp_path / "fifo")
    monkeypatch.setenv("HANDBOOK_TEST_FIFO", str(tmp_path / "fifo"))
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    catalogue = Catalogue.load(hang_ws)
    pidfds: list[int] = []

    def stop_once_blocked() -> None:
        ready, _, _ = select.select([reader], [], [], GUARD)
        if ready:
            pidfds.extend(os.pidfd_open(int(p)) for p in os.read(reader, 100).split())
        children.stop_all(signal.SIGINT)  # what the signal session does on Ctrl-C

    stopper = threading.Thread(target=stop_once_blocked)
    stopper.start()
    try:
        with pytest.raises(children.Stopped):
            verify(
                catalogue,
                [catalogue.lesson("demo.hang")],
                runs=2,
                jobs=1,
                check_readmes=set(),
                fork_server=True,
            )
    finally:
        stopper.join(GUARD)
        children.resume()
        os.close(reader)
    assert len(pidfds) == 2
    assert _left_behind(tmp) == []
    for fd in pidfds:
        assert select.select([fd], [], [], GUARD)[0], "a forked run survived"
        os.close(fd)


def test_an_ignored_signal_stays_ignored() -> None:
    # `nohup handbook verify` must survive the hang-up it asked to ignore.
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    term = signal.getsignal(signal.SIGTERM)
    try:
        with children.session():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) is not term
        assert signal.getsignal(signal.SIGTERM) is term
    finally:
        signal.signal(signal.SIGHUP, previous)
