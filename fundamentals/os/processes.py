"""Run code in a fresh interpreter, fork safely, and read pipes: the pages' shared helpers.

Everything that forks goes through ``run_python`` or ``call_in_subprocess``: a
fork inside the test runner would copy its threads' locks and buffers, and a
bug in the child could go on running the rest of the test session. A fresh
single-threaded interpreter is the safe place to fork, and a crash there is
just a failed test. Standard library only, so that interpreter starts fast.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import textwrap
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

__all__ = [
    "CHILD_CRASHED",
    "LOOK_MS",
    "ROOT",
    "call_in_subprocess",
    "child_env",
    "exit_code",
    "fork_child",
    "read_all",
    "readable",
    "run_python",
]

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]
"""The folder that holds ``fundamentals/``: children import the pages' code from here."""
SUBPROCESS_TIMEOUT = 20.0
"""Seconds a helper subprocess may run; below pytest's 30 s per-test timeout."""


# --------------------------------------------------------------------------
# Running code in a fresh interpreter
# --------------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """The environment for a helper interpreter: ours, with ``fundamentals`` importable.

    ``ROOT`` comes from this file's own location, so a copy of the tree (as
    ``handbook break`` makes) runs its own code in the child, not the original.
    """
    env = dict(os.environ)
    old = env.get("PYTHONPATH")
    env["PYTHONPATH"] = str(ROOT) if not old else str(ROOT) + os.pathsep + old
    return env


def run_python(source: str, *, timeout: float = SUBPROCESS_TIMEOUT) -> str:
    """Run ``source`` in a fresh interpreter and return its stdout, trailing newlines removed.

    The source is dedented first, so it can be written indented inside a call.
    Warnings are errors in the child too (``-W error``), as in the test suite.
    ``fundamentals.os`` is importable in the child.

    >>> run_python('''
    ...     import os
    ...     print(os.getpid() != os.getppid())
    ... ''')
    'True'

    Raises ``RuntimeError`` (with the child's stderr) if it exits non-zero, and
    ``subprocess.TimeoutExpired`` if it runs longer than ``timeout`` seconds.

    >>> run_python("raise SystemExit(3)")
    Traceback (most recent call last):
    ...
    RuntimeError: the snippet exited with status 3; stderr:
    """
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", textwrap.dedent(source)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(),
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"the snippet exited with status {result.returncode}; stderr:\n{result.stderr}"
        )
    return result.stdout.rstrip("\n")


RESULT_MARK = "@@fundamentals-result@@ "


def call_in_subprocess(
    func: Callable[..., T], *args: object, timeout: float = SUBPROCESS_TIMEOUT
) -> T:
    """Call the module-level function ``func(*args)`` in a fresh interpreter; return its result.

    The child imports ``func`` by its module's name (``fundamentals.os.<page>``)
    and calls it. Arguments and result travel as JSON, so pass and return
    ``dict``/``list``/``str``/``int``/``float``/``bool``/``None`` (a tuple comes
    back as a list). This is how the tests fork safely: the forking code is
    typed and linted like any other, but it never runs inside pytest.

    >>> from fundamentals.os.procfs import thread_count
    >>> call_in_subprocess(thread_count)  # a fresh interpreter has a single thread
    1
    >>> call_in_subprocess(lambda: 1)
    Traceback (most recent call last):
    ...
    ValueError: call_in_subprocess needs a module-level function, got <lambda>

    Raises ``RuntimeError`` (with the child's stderr) if the call raises or
    prints no result, and ``subprocess.TimeoutExpired`` after ``timeout`` seconds.
    """
    name, module = func.__qualname__, func.__module__
    if "<" in name or "." in name or module == "__main__":
        raise ValueError(f"call_in_subprocess needs a module-level function, got {name}")
    source = (
        f"import importlib, json\n"
        f"func = getattr(importlib.import_module({module!r}), {name!r})\n"
        f"result = func(*json.loads({json.dumps(list(args))!r}))\n"
        f"print({RESULT_MARK!r} + json.dumps(result), flush=True)\n"
    )
    out = run_python(source, timeout=timeout)
    for line in reversed(out.splitlines()):
        if line.startswith(RESULT_MARK):
            return cast(T, json.loads(line[len(RESULT_MARK) :]))
    raise RuntimeError(f"{name} printed no result; stdout was:\n{out}")


CHILD_CRASHED = 70
"""Exit status of a ``fork_child`` child whose body raised (``EX_SOFTWARE``)."""


def fork_child(body: Callable[[], int | None]) -> int:
    """Fork; the child runs ``body`` and leaves with ``os._exit``; the parent gets the pid.

    The child's exit status is what ``body`` returned (0 for ``None``), or
    ``CHILD_CRASHED`` with the traceback on stderr if it raised. ``os._exit``
    is the point: the child must never return into the parent's code (its
    ``finally`` blocks, its test runner, its buffered output would all run
    twice). Call it only in a fresh interpreter (see ``run_python``).

    >>> run_python('''
    ...     from fundamentals.os.processes import exit_code, fork_child
    ...     print(exit_code(fork_child(lambda: 3)), exit_code(fork_child(lambda: 1 // 0)))
    ... ''')
    '3 70'
    """
    pid = os.fork()
    if pid == 0:
        status = CHILD_CRASHED
        try:
            result = body()
            status = 0 if result is None else result
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    return pid


def exit_code(pid: int) -> int:
    """Wait for child ``pid`` (reaping it) and return its exit code (``-N`` if killed by signal N).

    >>> exit_code(os.getpid())
    Traceback (most recent call last):
    ...
    ChildProcessError: [Errno 10] No child processes
    """
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def read_all(fd: int) -> bytes:
    """Read ``fd`` until EOF (every write end closed) and close it.

    >>> r, w = os.pipe()
    >>> os.write(w, b"ab"); os.close(w)
    2
    >>> read_all(r)
    b'ab'
    """
    chunks = []
    try:
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


LOOK_MS = 200
"""How long a demonstration polls for an event that must *not* come.

It bounds the wait and decides nothing: in every place it is used, nothing
exists that could make the event happen.
"""


def readable(fd: int, timeout_ms: int) -> bool:
    """Whether ``fd`` is or becomes readable (data, EOF or hang-up) within ``timeout_ms``.

    >>> r, w = os.pipe()
    >>> readable(r, 0)
    False
    >>> os.close(w)  # no writer left: EOF counts as readable
    >>> readable(r, 0)
    True
    >>> os.close(r)
    """
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(timeout_ms))
