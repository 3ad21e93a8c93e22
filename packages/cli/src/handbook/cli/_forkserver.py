"""One interpreter start shared by many pytest runs of ``handbook verify``.

Most of a lesson run is start-up: importing pytest, and Hypothesis for the
domains that use it, takes about three quarters of its CPU time. A fork server
imports those tools once, then forks one child per run; each child sets up
exactly what a fresh ``python -m pytest`` would see (working folder,
environment, ``sys.path`` with the run's import root first) and runs pytest.

Only libraries are preloaded, never a pytest plugin named with ``-p``
(pytest_timeout, the probe): pytest rewrites a plugin's asserts as it imports
it, and warns when it cannot.

The preloaded objects are frozen (``gc.freeze``) before the first fork: pytest
collects garbage at the end of every session, and a full collection would
otherwise walk every object of pytest and Hypothesis again in every run. So in a
run, ``gc.get_freeze_count()`` is not 0 and ``gc.get_objects()`` does not list
those objects; what the run itself creates is collected as usual.

Isolation kept: nothing of the handbook's lessons is imported before the fork,
so every run imports the code under test afresh (the probe still checks that it
came from the broken copy); each child ends like an interpreter (non-daemon
threads joined, atexit handlers run) and leads its own process group, so a hung
run is killed with everything it started. What the children of one server
share is its string-hash seed, so ``verify`` gives each of its ``--runs`` a
server of its own: an experiment's runs still see different seeds.

The protocol is one JSON line per request on the server's stdin and JSON lines
back on its stdout: ``{"pid": N}`` once the child exists, then ``{"exit": code}``.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import runpy
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from handbook.cli import children


class ServerGone(Exception):
    """The fork server ended or answered nonsense; the caller runs pytest the usual way."""


class ForkServer:
    """A running fork server, used by one thread at a time."""

    def __init__(self, preload: Sequence[str], env: Mapping[str, str]) -> None:
        self._proc = children.start(
            [sys.executable, "-m", "handbook.cli._forkserver", *preload],
            own_group=True,
            service=True,
            env=dict(env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._buffer = b""

    def run(
        self,
        args: Sequence[str],
        *,
        cwd: Path,
        env: Mapping[str, str],
        path_first: Path,
        output: Path,
        timeout: float,
    ) -> int:
        """Run ``pytest args`` in a fresh child; return its exit code, -1 if it hung
        and was killed. Raises ServerGone when the server cannot serve."""
        request = {
            "args": list(args),
            "cwd": str(cwd),
            "env": dict(env),
            "path_first": str(path_first),
            "output": str(output),
        }
        deadline = time.monotonic() + timeout
        try:
            assert self._proc.stdin is not None
            self._proc.stdin.write(json.dumps(request) + "\n")
            self._proc.stdin.flush()
        except (OSError, ValueError) as exc:
            raise ServerGone(str(exc)) from None
        pid = self._answer("pid", None)
        assert pid is not None  # no deadline
        try:
            children.track_group(pid)  # raises, having killed it, if we are stopping
            code = self._answer("exit", deadline)
            if code is None:  # hung: end it with all it started, then hear how it ended
                children.kill_group(pid)
                self._answer("exit", None)
                return -1
            return code
        except children.Stopped:
            self._answer("exit", None)  # killed: the server reaps it and says so
            raise
        finally:
            children.forget_group(pid)

    def _answer(self, key: str, deadline: float | None) -> int | None:
        """The number in the next reply, which must carry ``key``; None past the deadline."""
        assert self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        while b"\n" not in self._buffer:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                return None
            chunk = os.read(fd, 4096)
            if not chunk:
                raise ServerGone("the fork server ended")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            value = json.loads(line)[key]
        except (ValueError, KeyError, TypeError):
            value = None
        if not isinstance(value, int):
            raise ServerGone(f"unexpected reply {line[:200]!r}")
        return value

    def close(self) -> None:
        """End the server (and any child of it still running)."""
        children.end(self._proc)
        for pipe in (self._proc.stdin, self._proc.stdout):
            with contextlib.suppress(OSError):
                if pipe is not None:
                    pipe.close()


# --- the server side: runs as ``python -m handbook.cli._forkserver MODULE...`` ---


def _serve(preload: Sequence[str]) -> int:
    for name in preload:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    if "pytest" in sys.modules:  # and the plugins pytest itself loads at every start
        from _pytest.config import default_plugins

        for name in default_plugins:
            with contextlib.suppress(ImportError):
                importlib.import_module(f"_pytest.{name}")
    # What was preloaded lives as long as the server: out of the collector's sight,
    # pytest's collection at every session end walks only what the run itself made.
    gc.freeze()
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    for line in stdin:
        request = json.loads(line)
        if threading.active_count() != 1:  # forking a threaded process is unsafe
            return 1
        pid = os.fork()
        if pid == 0:
            return _child(request)
        # Both sides set the group, so it exists before the parent reports the pid.
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)
        stdout.write(json.dumps({"pid": pid}).encode() + b"\n")
        stdout.flush()
        _, status = os.waitpid(pid, 0)
        stdout.write(json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
        stdout.flush()
    return 0


def _child(request: dict[str, Any]) -> int:
    """Become what ``python -m pytest ARGS`` started in ``cwd`` would be, and run it."""
    os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    out = os.open(request["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(out)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # ``python -m`` puts the working folder first, then $PYTHONPATH: the run's
    # import root goes in front of the server's own $PYTHONPATH entries.
    first = 0
    if not sys.flags.safe_path:
        sys.path[0] = request["cwd"]
        first = 1
    sys.path.insert(first, request["path_first"])
    importlib.invalidate_caches()
    sys.dont_write_bytecode = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))
    sys.argv = ["-m", *request["args"]]
    # Exactly ``python -m pytest``: __main__ is pytest's, which raises SystemExit(code),
    # and the interpreter then ends as usual (threads joined, atexit handlers run).
    runpy.run_module("pytest", run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    sys.exit(_serve(sys.argv[1:]))
