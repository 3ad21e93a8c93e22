"""asyncio basics: coroutines do nothing until awaited, tasks run concurrently, gather vs wait.

Why interviewers ask this:
    Async Python fails quietly. A missing ``await`` does not raise, it just
    never runs the work (a ``RuntimeWarning`` at garbage collection is all you
    get); awaiting coroutines one by one in a loop is valid code that runs
    nothing concurrently; ``gather`` lets the other tasks keep running after
    one fails. Interviewers probe whether you know what actually schedules
    work on the event loop and how results and errors come back.

Common pitfalls:
    - Calling ``fetch()`` without ``await``: you get a coroutine object, the
      body never runs, and "coroutine 'fetch' was never awaited" appears later.
      mypy reports it as ``unused-coroutine``.
    - ``for c in coros: await c`` runs them one after another. Concurrency needs
      tasks: ``create_task``, ``gather`` or a ``TaskGroup``.
    - Expecting ``create_task`` to run the coroutine immediately: it runs when
      the current coroutine next yields to the loop (its next ``await`` that
      suspends).
    - ``gather`` raising the first exception and *not* cancelling the others:
      they keep running unobserved. ``TaskGroup`` (3.11+) cancels them.
    - Dropping the only reference to a task: the loop keeps a weak one, so a
      fire-and-forget task can be garbage-collected mid-flight. Keep it.

Key takeaways:
    - A coroutine object is a paused function call; ``await`` runs it inside
      the current task, ``create_task`` schedules it as a new task.
    - ``gather(*aws)`` returns results in *argument* order whatever the
      completion order; the first exception propagates unless
      ``return_exceptions=True``.
    - ``wait(aws, return_when=...)`` returns ``(done, pending)`` sets and
      raises nothing; you inspect each task and must cancel the pending ones.
    - ``asyncio.TaskGroup``: structured concurrency; a failure cancels the
      siblings and surfaces as an ``ExceptionGroup`` (``except*``).
    - Go: a goroutine is ``create_task``, ``sync.WaitGroup``/``errgroup`` is
      ``gather``/``TaskGroup`` (errgroup cancels via context like TaskGroup).
      Java: ``CompletableFuture.allOf`` is ``gather``, virtual threads are the
      blocking-style alternative.

What to look for in an answer:
    A strong answer distinguishes coroutine, task and future; knows that only
    tasks run concurrently and only switch at ``await`` points that suspend;
    picks ``gather`` for "all results in order", ``wait``/``as_completed`` for
    "react as they finish", ``TaskGroup`` for "fail together"; and always
    cancels and awaits what it started. Follow-ups:
    - What happens if a coroutine calls ``time.sleep(1)``? (It blocks the whole
      loop: every task stalls.)
    - How do you put a timeout on a group of tasks? (``asyncio.timeout``,
      3.11+, or ``wait_for``; both cancel on expiry.)
    - Why can two tasks still race on shared state? (A read, an ``await``, a
      write: the switch happens at the ``await``.)

Complexity:
    Scheduling a task is O(1); ``gather``/``wait`` over ``n`` awaitables is O(n).
    Switching happens only at ``await`` points, never between them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine, Sequence
from typing import Any, TypeVar

__all__ = [
    "forgot_await",
    "gather_in_argument_order",
    "gather_leaves_siblings_running",
    "notify",
    "peak_concurrency",
    "record",
    "run_concurrently",
    "task_group_cancels_siblings",
    "task_vs_coroutine",
    "wait_first_completed",
]

T = TypeVar("T")


async def record(log: list[str], name: str) -> str:
    """Append ``name`` to ``log``: proof that this coroutine's body ran.

    >>> log: list[str] = []
    >>> asyncio.run(record(log, "a")), log
    ('a', ['a'])
    """
    log.append(name)
    return name


async def notify(log: list[str]) -> None:
    """The correct version: the coroutine is awaited, so its body runs."""
    await record(log, "notified")


async def forgot_await(log: list[str]) -> None:
    """The pitfall: the coroutine is created and dropped; its body never runs."""
    record(log, "notified")  # type: ignore[unused-coroutine]  # the bug mypy catches


async def run_concurrently(coros: Sequence[Coroutine[Any, Any, T]]) -> list[T]:
    """Run ``coros`` as concurrent tasks; results in argument order."""
    return list(await asyncio.gather(*coros))  # break[await-in-a-loop]


async def peak_concurrency(n: int) -> int:
    """Run ``n`` coroutines that each suspend once; return how many were in flight at once.

    >>> asyncio.run(peak_concurrency(3))
    3
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    in_flight = peak = 0

    async def job() -> None:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0)  # suspend: every other ready task runs before we resume
        in_flight -= 1

    await run_concurrently([job() for _ in range(n)])
    return peak


async def task_vs_coroutine() -> dict[str, list[str]]:
    """Snapshot a log at each step: a task starts at the next suspension, a coroutine never.

    >>> asyncio.run(task_vs_coroutine())["task after create_task"]
    []
    """
    task_log: list[str] = []
    coro_log: list[str] = []
    snapshots: dict[str, list[str]] = {}
    task = asyncio.create_task(record(task_log, "task ran"))
    coro = record(coro_log, "coroutine ran")
    snapshots["task after create_task"] = list(task_log)
    await asyncio.sleep(0)  # yield to the loop once
    snapshots["task after one yield"] = list(task_log)
    snapshots["coroutine after one yield"] = list(coro_log)
    await coro
    snapshots["coroutine after await"] = list(coro_log)
    await task
    return snapshots


async def gather_in_argument_order(finish_order: Sequence[int]) -> tuple[list[int], list[int]]:
    """Tasks finish in ``finish_order`` (forced with events); return (gather's, finish order).

    >>> asyncio.run(gather_in_argument_order([2, 0, 1]))
    ([0, 1, 2], [2, 0, 1])
    """
    n = len(finish_order)
    if sorted(finish_order) != list(range(n)):
        raise ValueError(f"finish_order must be a permutation of 0..{n - 1}, got {finish_order}")
    gates = [asyncio.Event() for _ in range(n)]
    finished: list[int] = []

    async def job(i: int) -> int:
        await gates[i].wait()
        finished.append(i)
        if len(finished) < n:
            gates[finish_order[len(finished)]].set()  # release the next one in line
        return i

    if n:
        gates[finish_order[0]].set()
    results = await asyncio.gather(*(job(i) for i in range(n)))
    return list(results), finished


async def gather_leaves_siblings_running() -> tuple[str, bool, bool]:
    """One task fails while a sibling waits forever: gather raises, the sibling lives on.

    Returns (the error gather raised, was the sibling done afterwards, was it
    cancelled after we cancelled it). The sibling is always cleaned up here.
    """
    never = asyncio.Event()

    async def fail() -> None:
        raise ValueError("boom")

    sibling = asyncio.create_task(never.wait())
    try:
        await asyncio.gather(fail(), sibling)
    except ValueError as exc:
        error = str(exc)
    else:  # pragma: no cover - gather always raises here
        raise AssertionError("gather did not raise")
    done_after_gather = sibling.done()
    sibling.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sibling
    return error, done_after_gather, sibling.cancelled()


async def wait_first_completed() -> tuple[int, int, bool]:
    """``wait`` returns (done, pending) sets; return (len(done), len(pending), cleaned up)."""
    release = asyncio.Event()
    quick = asyncio.create_task(asyncio.sleep(0))
    slow = asyncio.create_task(release.wait())
    done, pending = await asyncio.wait({quick, slow}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    return len(done), len(pending), slow.cancelled() and quick in done


async def task_group_cancels_siblings() -> tuple[list[str], bool]:
    """A failing task in a ``TaskGroup`` cancels its siblings: return (errors, cancelled?)."""
    never = asyncio.Event()
    sibling: asyncio.Task[bool] | None = None

    async def fail() -> None:
        await asyncio.sleep(0)  # let the sibling start waiting first
        raise ValueError("boom")

    try:
        async with asyncio.TaskGroup() as group:
            sibling = group.create_task(never.wait())
            group.create_task(fail())
    except* ValueError as eg:
        errors = [str(e) for e in eg.exceptions]
    assert sibling is not None
    return errors, sibling.cancelled()
