"""Leaked threads and tasks: snapshot what is alive before a call, report what is new after it.

Why interviewers ask this:
    A thread or task that outlives the call that started it is a leak of
    memory, file descriptors and work: it holds its frame, its arguments and
    whatever they reference, and it keeps running (or keeps a socket open)
    long after anyone cares. In tests it poisons the tests that follow. Go
    teams catch it with ``uber-go/goleak`` (``goleak.VerifyNone(t)`` at the
    end of a test); the candidate should be able to build the Python
    analogue and explain who owns each background job.

Common pitfalls:
    - Starting a helper thread and returning without stopping and joining it
      (``leaky_compute``). A daemon thread does not fix that: it only stops
      the process from waiting for it at exit.
    - ``asyncio.create_task(...)`` with the result thrown away
      (``leaky_with_heartbeat``). Nobody cancels or awaits it, and asyncio's
      registry of tasks is weak (``asyncio.all_tasks()`` reads a ``WeakSet``
      on 3.11-3.13, an implementation detail; 3.12+ adds a strong set that
      holds a task only during an eager first step). A task that is ready to
      run, or sleeping on a loop timer (``_heartbeat``), is held by the loop's
      callback or timer; a task blocked on a future that nothing else
      references can be garbage collected mid-flight, and asyncio logs "Task
      was destroyed but it is pending!". Collected at the whim of the
      collector, such a leak can even hide from a leak check.
    - ``task.cancel()`` without awaiting the task: cancel only *requests*
      cancellation; the task is still pending until it has run its cleanup,
      which can take several loop turns (``_heartbeat`` needs four), so a
      single ``await asyncio.sleep(0)`` is not a substitute for awaiting it.
      A leak check sees a cancelled-but-pending task as a leak, and rightly.
    - Relying on ``asyncio.run`` to clean up: when the main coroutine
      returns it cancels the leftover tasks, so a leaked task's work is
      abandoned instead of finished, silently if it ends in
      ``CancelledError``; if its cleanup raises something else, the loop's
      exception handler reports "unhandled exception during asyncio.run()
      shutdown".

Key takeaways:
    - Every background thread or task has an owner that stops it and waits
      for it, on the error path too: ``try/finally`` with ``close()``
      (``compute``), ``task.cancel()`` then ``await`` (``with_heartbeat``),
      or ``asyncio.TaskGroup`` (3.11+), which does not exit until all its
      children are done.
    - Fire-and-forget tasks need a strong reference until they finish: add
      them to a set and ``add_done_callback(tasks.discard)``.
    - A leak check is two snapshots: ``snapshot()`` before, ``leaks_since``
      after, comparing ``threading.enumerate()`` and ``asyncio.all_tasks()``
      by identity. ``check_no_leaks`` raises ``LeakError`` so a pytest
      fixture can fail the test that leaked (see the test module).
    - This check does not wait: deterministic code has already joined what
      it started. (goleak, and this project's concurrency ``conftest.py``,
      give finishing goroutines or threads a short grace period instead.)
    - Go: a goroutine cannot be killed from outside; it must be told to stop
      (a ``context.Context`` or a closed channel) and waited for
      (``sync.WaitGroup``, ``errgroup``), exactly the ``stop`` event plus
      ``join`` here. Java: ``ExecutorService.shutdown()`` then
      ``awaitTermination``; structured concurrency (JEP 453) is TaskGroup.

What to look for in an answer:
    The candidate names an owner for every background job, stops it and
    waits for it in ``finally``, and can write a before/after leak check.
    Follow-ups:
    - Why not just make the thread a daemon? (It is still running during
      the rest of the process, holding memory and sockets; at interpreter
      exit it is killed mid-work, possibly holding a lock or a half-written
      file.)
    - Why does a stored task reference matter? (asyncio holds tasks
      weakly; without a reference a pending task waiting on a future that
      only it references is garbage, and gets collected while pending.)
    - Why can't you kill a thread? (Python has no safe thread kill; a
      thread must poll a flag or wait on an event. The C API's
      ``PyThreadState_SetAsyncExc`` raises in another thread only between
      bytecodes, never inside a blocking call, and can fire in the middle of
      a ``finally`` or while a lock is held: unsafe. Tasks can be cancelled,
      but only at an ``await``.)
    - What about ``concurrent.futures`` and ``run_in_executor``? (A
      ``ThreadPoolExecutor`` starts worker threads lazily, on ``submit``, and
      they stay alive, idle, until ``shutdown()`` (or until the executor
      object is garbage collected): a leak check sees them, so the owner
      shuts the pool down, or uses it as a context manager.
      ``asyncio.run`` shuts the loop's default executor down on exit, 3.9+.)
    - How does a task survive cancellation long enough to clean up? (It
      cleans up in ``finally`` or ``except CancelledError`` (awaiting is
      allowed there, as in ``_heartbeat``) and re-raises; ``asyncio.shield``
      protects an inner awaitable from the outer cancel; 3.11+
      ``Task.cancelling()`` and ``Task.uncancel()`` let structured code tell
      its own cancel from an outside one.)
    - How would you run the check over a whole test suite? (An autouse
      fixture in a ``conftest.py``, as in the test module, or a plugin's
      ``pytest_runtest_call`` hook wrapper; or one check at the end of the
      session, as goleak's ``VerifyTestMain`` does for a Go package. Give
      threads a short grace period (goleak retries with backoff) and print
      each leak's stack with ``sys._current_frames()``.)
    - How would you find a leak in production? (Thread count and
      ``len(asyncio.all_tasks())`` as metrics; ``faulthandler`` or
      ``py-spy dump`` for stacks; in Go, the goroutine count in pprof.)
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "LeakError",
    "Leaks",
    "Snapshot",
    "Watcher",
    "check_no_leaks",
    "compute",
    "leaks_since",
    "leaky_compute",
    "leaky_with_heartbeat",
    "snapshot",
    "with_heartbeat",
]


class LeakError(AssertionError):
    """A call left threads or tasks alive; the message lists them."""


def _current_tasks() -> set[asyncio.Task[Any]]:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return set()  # no loop in this thread, so no tasks to see
    return asyncio.all_tasks()  # only tasks that are not done yet


@dataclass(frozen=True)
class Snapshot:
    """The threads and (if a loop runs in this thread) pending tasks alive at one moment."""

    threads: list[threading.Thread]
    tasks: set[asyncio.Task[Any]]


@dataclass(frozen=True)
class Leaks:
    """Threads and tasks alive now that were not alive at the snapshot."""

    threads: list[threading.Thread] = field(default_factory=list)
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.threads or self.tasks)


def snapshot() -> Snapshot:
    """Record what is alive now. Call it inside the event loop to see tasks too.

    >>> snapshot().tasks  # no running loop here
    set()
    """
    return Snapshot(threading.enumerate(), _current_tasks())


def leaks_since(before: Snapshot) -> Leaks:
    """What is alive now and was not in ``before`` (compared by identity, never waiting).

    >>> bool(leaks_since(snapshot()))
    False
    """
    old_threads = {id(t) for t in before.threads}  # the snapshot keeps them alive: ids stay unique
    threads = [t for t in threading.enumerate() if id(t) not in old_threads]
    tasks = [t for t in _current_tasks() if t not in before.tasks]  # break[cancel-means-done]
    return Leaks(threads, sorted(tasks, key=lambda t: t.get_name()))


def check_no_leaks(before: Snapshot) -> None:
    """Raise :class:`LeakError` listing every thread or task new since ``before``."""
    leaks = leaks_since(before)
    if leaks:
        found = [f"thread {t!r}" for t in leaks.threads] + [f"task {t!r}" for t in leaks.tasks]
        raise LeakError("left running:\n  " + "\n  ".join(found))


class Watcher(threading.Thread):
    """A helper thread that runs until its ``stop`` event is set."""

    def __init__(self) -> None:
        super().__init__(name="watcher", daemon=True)
        self.stop = threading.Event()

    def run(self) -> None:
        self.stop.wait()  # stands for "poll a queue / a socket until told to stop"

    def close(self) -> None:
        """Tell the thread to stop and wait until it has."""
        self.stop.set()
        self.join()


def leaky_compute(n: int) -> int:
    """The pitfall: starts a ``Watcher`` and returns without stopping or joining it."""
    Watcher().start()
    return sum(range(n))


def compute(n: int) -> int:
    """The fix: the function that starts the watcher stops and joins it, even on error.

    >>> compute(4)
    6
    """
    watcher = Watcher()
    watcher.start()
    try:
        return sum(range(n))
    finally:
        watcher.close()  # break[no-close]


async def _heartbeat() -> None:
    try:
        while True:
            # "Ping every minute, forever"; the tests cancel it long before a minute passes.
            # Sleeping on a loop timer keeps the task reachable from the loop, so the leak
            # stays visible; blocked on a future only it references (``Event().wait()``)
            # it could be garbage collected before a leak check ran.
            await asyncio.sleep(60)  # break[unreachable-heartbeat]
    finally:
        # Cleanup that takes loop turns (stands for "tell the server goodbye, close the
        # socket"): after cancel() the task is done only on the fourth loop turn
        # (counted by the tests on 3.11-3.13), so a caller must await it, not guess.
        for _ in range(3):
            await asyncio.sleep(0)


async def leaky_with_heartbeat(n: int) -> int:
    """The pitfall: a fire-and-forget task that nobody keeps, cancels or awaits."""
    asyncio.create_task(_heartbeat(), name="heartbeat")  # noqa: RUF006 - the lesson's leak
    await asyncio.sleep(0)  # one loop turn: the heartbeat starts and blocks
    return sum(range(n))


async def with_heartbeat(n: int) -> int:
    """The fix: cancel the task, then wait until it has actually finished.

    >>> asyncio.run(with_heartbeat(4))
    6
    """
    task = asyncio.create_task(_heartbeat(), name="heartbeat")
    try:
        await asyncio.sleep(0)
        return sum(range(n))
    finally:
        task.cancel()  # break[no-cancel]
        await asyncio.wait([task])  # break[cancel-without-await]  # break[one-turn-not-await]
