"""Shared fixtures for the concurrency tests: a guard that fails any test that leaks.

A concurrency lesson that leaves a thread, a child process or a running event
loop behind is wrong even when its assertions pass: the leak slows or breaks the
tests that follow, and it usually means the error path forgot to clean up. The
autouse fixture below snapshots what is alive before each test and fails the
test if something new is still alive after it.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

GRACE_SECONDS = 2.0
"""How long a thread or process that is *finishing* gets to end before it counts as leaked.

Only a leak ever waits this long: a well-behaved test has joined everything, and
a thread that is in its last few bytecodes ends in microseconds.
"""


@dataclass
class LeakGuard:
    """What was alive before a test; :meth:`problems` says what is new and still alive."""

    threads: list[threading.Thread] = field(default_factory=list)
    children: list[multiprocessing.process.BaseProcess] = field(default_factory=list)

    @classmethod
    def snapshot(cls) -> LeakGuard:
        """Record the threads and child processes alive now."""
        return cls(threading.enumerate(), multiprocessing.active_children())

    def new_threads(self) -> list[threading.Thread]:
        """Threads alive now that were not alive at the snapshot (compared by identity)."""
        before = {id(t) for t in self.threads}
        return [t for t in threading.enumerate() if id(t) not in before]

    def new_children(self) -> list[multiprocessing.process.BaseProcess]:
        """Child processes alive now that were not alive at the snapshot."""
        before = {id(p) for p in self.children}
        return [p for p in multiprocessing.active_children() if id(p) not in before]

    def problems(self, grace: float = GRACE_SECONDS) -> list[str]:
        """Describe every leak; give finishing threads and processes ``grace`` seconds."""
        found: list[str] = []
        loop = asyncio._get_running_loop()
        if loop is not None:
            found.append(f"an event loop is still running in this thread: {loop!r}")
        for thread in self.new_threads():
            thread.join(timeout=grace)
            if thread.is_alive():
                found.append(f"thread left running: {thread!r}")
        for child in self.new_children():
            child.join(timeout=grace)
            if child.is_alive():
                found.append(f"child process left running: {child!r}")
        return found


def fail_on_leaks(guard: LeakGuard, grace: float = GRACE_SECONDS) -> None:
    """``pytest.fail`` with every leak :class:`LeakGuard` finds, if there is any."""
    found = guard.problems(grace)
    if found:
        pytest.fail("the test leaked:\n  " + "\n  ".join(found), pytrace=False)


@pytest.fixture(autouse=True)
def _no_leaks() -> Iterator[None]:
    """Fail the test if it leaves a thread, a child process or a running loop behind."""
    guard = LeakGuard.snapshot()
    yield
    fail_on_leaks(guard)


@pytest.fixture
def mp_context() -> multiprocessing.context.BaseContext:
    """The cheapest safe start method here: ``fork`` where it exists and is safe, else ``spawn``.

    Forking a process costs milliseconds; spawning one starts a new interpreter
    and re-imports the test runner (hundreds of milliseconds on a busy machine).
    Fork is only safe while this process runs a single thread (a lock held by
    another thread at fork time stays held forever in the child). The leak
    guard makes that the normal case at the start of a test, and a ``Pool``
    forks its first workers before it starts its handler threads. Not every
    fork here is single-threaded, though: a ``Pool`` forks *replacement*
    workers (after a crash, or under ``maxtasksperchild``) from its
    worker-handler thread. 3.12+ emits a ``DeprecationWarning`` for such a
    fork, and this suite never sees it: ``filterwarnings = error`` makes it an
    error, and ``os.fork()`` discards a warning that fails rather than raise
    it. ``test_multiprocessing_basics`` shows both behaviours in a fresh interpreter.
    """
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


@pytest.fixture
def leak_guard_api() -> tuple[type[LeakGuard], object]:
    """The guard's logic as plain callables, so its own test can drive it directly.

    Test modules cannot import ``conftest`` under ``--import-mode=importlib``;
    this fixture hands them the class and :func:`fail_on_leaks` instead.
    """
    return LeakGuard, fail_on_leaks
