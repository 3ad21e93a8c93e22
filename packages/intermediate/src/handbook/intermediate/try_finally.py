"""try/finally: runs on every way out of the block but a hard process exit; a return in it wins.

Why interviewers ask this:
    "What does this function return?" with a ``return`` inside ``finally`` is
    a classic trick question, and the real-world version is a cleanup block
    that silently eats the error a caller needed to see. The follow-ups check
    the edges: ``break`` and ``continue`` leave through ``finally`` too, while
    ``os._exit`` (used in forked workers) skips it, unlike ``sys.exit``. Go
    readers map ``finally`` to ``defer``; Java readers know the same
    return-in-finally trap from ``javac -Xlint:finally``.

Common pitfalls:
    - ``return`` (or ``break``/``continue``) inside ``finally`` discards the
      exception in flight: the caller gets a normal return value and no trace
      of the error. It also overrides a ``return`` already executed in the
      ``try``. CPython 3.11, 3.12 and 3.13 compile it without any warning;
      PEP 765 adds a ``SyntaxWarning`` for it in 3.14.
    - Cleanup written at the end of a loop body: ``continue`` and ``break``
      jump past it. ``finally`` runs on both.
    - Cleanup in the ``else`` of ``try/except/else``: ``else`` runs only when
      the ``try`` block finished by falling off its end, so ``continue``,
      ``break`` and ``return`` skip it as well.
    - Treating ``os._exit`` like ``sys.exit``. ``sys.exit`` raises
      ``SystemExit``, so ``finally`` blocks, ``with`` exits and ``atexit``
      handlers run and buffers are flushed. ``os._exit`` ends the process at
      once: none of those run, and unflushed output is lost.

Key takeaways:
    - ``finally`` runs when the ``try`` block ends by falling through, by
      ``return``, ``break`` or ``continue``, or by an exception, including
      ``SystemExit`` and ``KeyboardInterrupt`` (both ``BaseException``, not
      ``Exception``).
    - A ``return`` in ``try`` evaluates its value *before* ``finally`` runs:
      rebinding the variable in ``finally`` does not change what is returned
      (mutating the returned object does).
    - Keep ``finally`` for cleanup only: no ``return``, ``break`` or
      ``continue`` in it. Decide the result outside the block.
    - ``os._exit(n)`` is for a forked child that must not run the parent's
      cleanup (``atexit`` handlers, duplicated stdio buffers); use
      ``sys.exit`` everywhere else.
    - Go: ``defer`` runs on return and on panic but not on ``os.Exit``, which
      matches ``os._exit`` here. Swallowing is explicit in Go: a deferred
      ``recover()`` stops a panic, and a deferred function may overwrite a
      *named* result.

What to look for in an answer:
    A strong candidate predicts that ``return`` in ``finally`` wins and the
    exception vanishes, says why it is a bug, knows ``break``/``continue`` go
    through ``finally``, and distinguishes ``sys.exit`` (an exception) from
    ``os._exit`` (a system call). Follow-ups:
    - ``try: return x`` with ``finally: x = 2``: what is returned? (The old
      value: the return value was computed before ``finally`` ran.)
    - Why do forked children call ``os._exit``? (So the child does not run the
      parent's ``atexit`` handlers or flush stdio buffers it inherited, which
      would print the parent's pending output twice.)
    - Does ``finally`` run in a daemon thread when the program ends? (No:
      at shutdown daemon threads are stopped where they are, and their
      ``finally`` blocks never run. Join the thread, or make it non-daemon,
      if its cleanup matters.)
    - Does ``finally`` in a generator run if the loop stops early? (When
      the generator is closed: ``close()`` raises ``GeneratorExit`` at the
      ``yield``. In CPython, dropping the last reference closes it at once
      (reference counting, an implementation detail); on PyPy it waits for
      the garbage collector.)
    - Can a Ctrl-C interrupt a ``finally`` block? (Yes: ``KeyboardInterrupt``
      is raised between bytecodes, also inside ``finally``, so the cleanup
      can stop halfway. Robust cleanup keeps ``finally`` short and safe to
      repeat, or installs a SIGINT handler that only sets a flag.)
    - Does ``finally`` run when the process is killed? (Not on ``SIGKILL``,
      nor on ``SIGTERM`` by default, which kills without raising; with a
      handler that raises, or on ``SIGINT``'s ``KeyboardInterrupt``, it does.)
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

__all__ = [
    "ChildResult",
    "break_in_finally",
    "cleanup_at_end_of_body",
    "fetch",
    "hard_exit",
    "release_each",
    "return_in_finally",
    "return_in_finally_overrides",
    "return_value_is_computed_first",
    "run_child",
    "soft_exit",
]


def return_in_finally() -> str:
    """The pitfall: the ConnectionError is discarded, the caller sees a normal return.

    >>> return_in_finally()
    'cleaned up'
    """
    try:
        raise ConnectionError("connection lost")
    finally:
        return "cleaned up"  # noqa: B012  (the bug this lesson is about)


def return_in_finally_overrides() -> str:
    """The pitfall, second form: the return in ``finally`` replaces the one in ``try``.

    >>> return_in_finally_overrides()
    'from finally'
    """
    try:
        return "from try"
    finally:
        return "from finally"  # noqa: B012, SIM107


def break_in_finally() -> list[int]:
    """``break`` in ``finally`` swallows the exception just like ``return``.

    >>> break_in_finally()
    [0]
    """
    seen = []
    for i in range(3):
        try:
            seen.append(i)
            raise ValueError(i)
        finally:
            break  # noqa: B012
    return seen


def fetch(fail: bool, log: list[str]) -> str:
    """The fix: ``finally`` only cleans up; the error (or the result) reaches the caller.

    >>> log: list[str] = []
    >>> fetch(False, log), log
    ('data', ['cleanup'])
    >>> fetch(True, log)
    Traceback (most recent call last):
    ...
    ConnectionError: connection lost
    """
    try:
        if fail:
            raise ConnectionError("connection lost")
        return "data"
    finally:
        log.append("cleanup")  # break[return-in-finally]


def return_value_is_computed_first() -> int:
    """``return n`` evaluates ``n`` before ``finally`` rebinds it.

    >>> return_value_is_computed_first()
    1
    """
    n = 1
    try:
        return n
    finally:
        n = 2  # rebinding the name does not touch the value already returned


def cleanup_at_end_of_body(items: list[str], log: list[str]) -> None:
    """The pitfall: ``continue`` and ``break`` jump over the release at the end of the body.

    >>> log: list[str] = []
    >>> cleanup_at_end_of_body(["a", "skip", "stop", "b"], log)
    >>> log
    ['acquire a', 'use a', 'release a', 'acquire skip', 'acquire stop']
    """
    for item in items:
        log.append(f"acquire {item}")
        if item == "skip":
            continue
        if item == "stop":
            break
        log.append(f"use {item}")
        log.append(f"release {item}")


def release_each(items: list[str], log: list[str]) -> None:
    """The fix: ``finally`` releases on ``continue`` and on ``break`` too.

    >>> log: list[str] = []
    >>> release_each(["a", "skip", "stop", "b"], log)
    >>> log  # doctest: +NORMALIZE_WHITESPACE
    ['acquire a', 'use a', 'release a', 'acquire skip', 'release skip',
     'acquire stop', 'release stop']
    """
    for item in items:
        log.append(f"acquire {item}")
        try:
            if item == "skip":
                continue
            if item == "stop":
                break
            log.append(f"use {item}")
        finally:  # break[cleanup-in-else]
            log.append(f"release {item}")


# The child prints one line without flushing (stdout is a pipe, so the line
# waits in the block buffer), then exits inside a try. The finally and atexit
# markers bypass the buffer with os.write, so "buffered" reaches the pipe only
# through the interpreter's own flush at shutdown, and the order of the three
# lines shows the order of the three steps.
_CHILD = """
import atexit, os, sys
print("buffered")
atexit.register(os.write, 1, b"atexit\\n")
try:
    {exit_call}
finally:
    os.write(1, b"finally\\n")
"""


@dataclass(frozen=True)
class ChildResult:
    """How a child process that exited inside a ``try`` ended, and what it printed."""

    returncode: int
    stdout: str


def run_child(exit_call: str) -> ChildResult:
    """Run ``exit_call`` inside a ``try/finally`` in a fresh interpreter.

    ``-I`` isolates the child from PYTHON* variables such as PYTHONUNBUFFERED,
    which would otherwise flush the "buffered" line and change the result;
    ``-S`` skips the ``site`` import, which the child does not need.
    """
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _CHILD.format(exit_call=exit_call)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return ChildResult(proc.returncode, proc.stdout)


def hard_exit() -> ChildResult:
    """``os._exit(3)``: no finally, no atexit, no flush; only the exit status survives.

    >>> hard_exit()
    ChildResult(returncode=3, stdout='')
    """
    return run_child("os._exit(3)")  # break[sys-exit-for-os-exit]


def soft_exit() -> ChildResult:
    """``sys.exit(3)`` raises SystemExit: finally runs, then atexit, then buffers are flushed.

    >>> soft_exit()
    ChildResult(returncode=3, stdout='finally\\natexit\\nbuffered\\n')
    """
    return run_child("sys.exit(3)")
