"""asyncio basics: awaiting vs tasks, gather vs wait, and what cancelling a task really does.

Why interviewers ask this:
    Async Python fails quietly. A missing ``await`` does not raise, it just
    never runs the work (a ``RuntimeWarning`` when the coroutine object is freed
    is all you get); awaiting coroutines one by one in a loop is valid code that
    runs nothing concurrently; ``gather`` lets the other tasks keep running
    after one fails. Cancellation is where most production bugs hide: timeouts,
    ``TaskGroup`` and shutdown all work by cancelling tasks, and one
    ``except CancelledError: pass`` breaks all three. Interviewers probe what
    actually schedules work on the loop, how results and errors come back, and
    what ``task.cancel()`` really does.

Common pitfalls:
    - Calling ``fetch()`` without ``await``: you get a coroutine object, the
      body never runs, and "coroutine 'fetch' was never awaited" appears later.
      mypy reports it as ``unused-coroutine``.
    - ``for c in coros: await c`` runs them one after another. Concurrency needs
      tasks: ``create_task``, ``gather`` or a ``TaskGroup``.
    - Assuming when ``create_task`` starts the body. With the default task
      factory it starts when the current coroutine next suspends, never inside
      ``create_task``. Python 3.12 added ``asyncio.eager_task_factory``: with it,
      ``create_task`` runs the body up to its first suspension before it returns,
      and a body that never suspends is already done. 3.11 has no such factory.
    - ``gather`` raising the first exception and *not* cancelling the others:
      they keep running unobserved. ``TaskGroup`` (3.11+) cancels them.
    - Passing coroutines to ``asyncio.wait``: since 3.11 it raises ``TypeError``
      (deprecated since 3.8); wrap them in tasks. An empty collection raises
      ``ValueError``.
    - Swallowing cancellation: ``except CancelledError: return`` (or a bare
      ``except``/``except BaseException`` without ``raise``) turns a cancel
      request into a normal return; the task reports success and nothing that
      relies on cancelling it (a timeout, a ``TaskGroup``, shutdown) can stop it.
    - Absorbing a cancellation on purpose without ``task.uncancel()``: the
      task's ``cancelling()`` count stays raised, and an enclosing
      ``asyncio.timeout`` then takes its own expiry for an outside cancellation
      and lets ``CancelledError`` escape instead of raising ``TimeoutError``.
    - Dropping the only reference to a task: the loop keeps a weak one, so a
      fire-and-forget task can be garbage-collected mid-flight. Keep it.

Key takeaways:
    - A coroutine object is a paused function call; ``await`` runs it inside
      the current task, ``create_task`` schedules it as a new task.
    - ``gather(*aws)`` returns results in *argument* order whatever the
      completion order; the first exception propagates at once (the others
      keep running) unless ``return_exceptions=True``.
    - ``wait(tasks, return_when=...)`` returns ``(done, pending)`` sets; it
      never raises the tasks' exceptions and never cancels anything: you
      inspect each task and cancel the pending ones. It takes only tasks and
      futures, and at least one.
    - ``asyncio.TaskGroup``: structured concurrency; a failure cancels the
      siblings and surfaces as an ``ExceptionGroup`` (``except*``).
    - ``task.cancel()`` is a request: it returns ``True`` and the task is not
      cancelled yet. ``CancelledError`` is thrown in at the task's current
      ``await``; its ``finally`` and ``except`` blocks run (and may await);
      the task counts as cancelled only once it lets the error out.
    - ``CancelledError`` subclasses ``BaseException`` (since 3.8), so
      ``except Exception`` does not swallow it. Clean up in ``finally``, or
      catch it, clean up and re-raise.
    - ``await asyncio.shield(inner)``: cancelling the awaiting task does not
      cancel ``inner``, which runs to completion; the awaiting task still gets
      ``CancelledError``. Keep a reference to ``inner``.
    - ``task.cancelling()`` counts pending cancel requests and
      ``task.uncancel()`` (3.11+) takes one back. Code that cancels its own
      task and absorbs the error must call it, as ``asyncio.timeout`` and
      ``TaskGroup`` do, so outer code can still tell its cancellations apart.
      Versions differ for a request not yet delivered (made while the task was
      running, not suspended): on 3.13+ bringing the count back to zero
      withdraws it; on 3.11 and 3.12 the ``CancelledError`` still arrives at
      the next ``await``.
    - Go: a goroutine is ``create_task``; ``errgroup.WithContext`` is
      ``TaskGroup`` (the first error cancels the shared context; ``Wait``
      returns after every goroutine, with the first error); a ``context`` is
      the explicit form of cancellation. Java: ``CompletableFuture.allOf`` is
      not ``gather``: it completes only when *every* future has, even after a
      failure, carries no results (you ``join`` each one) and cancels nothing;
      closer to ``asyncio.wait`` with ``ALL_COMPLETED``.

What to look for in an answer:
    A strong answer distinguishes coroutine, task and future; knows that only
    tasks run concurrently and only switch at ``await`` points that suspend;
    picks ``gather`` for "all results in order", ``wait``/``as_completed`` for
    "react as they finish", ``TaskGroup`` for "fail together"; treats
    ``cancel()`` as a request that the task must honour; and always cancels
    and awaits what it started. Follow-ups:
    - What happens if a coroutine calls ``time.sleep(1)``? (It blocks the whole
      loop: every task stalls.)
    - How do you put a timeout on a group of tasks? (``asyncio.timeout``,
      3.11+, or ``wait_for``; both cancel on expiry and turn that cancellation
      into ``TimeoutError``.)
    - You called ``task.cancel()``; is the task cancelled now? (No: it is
      asked. It sees ``CancelledError`` at its next turn, runs its cleanup and
      may even refuse; ``await`` it, or ``asyncio.wait`` on it, to know.)
    - A request handler must commit a payment even if the client disconnects
      and the handler is cancelled. How? (Run the commit as its own task and
      ``await asyncio.shield(commit_task)``, keeping a reference; the handler
      still gets ``CancelledError``, the commit finishes.)
    - Why can two tasks still race on shared state? (A read, an ``await``, a
      write: the switch happens at the ``await``.)

Complexity:
    Scheduling a task is O(1); ``gather``/``wait`` over ``n`` awaitables is O(n).
    Switching happens only at ``await`` points, never between them.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = [
    "CancelReport",
    "absorbed_cancel_then_timeout",
    "cancel_and_report",
    "catches_exception",
    "cleans_up_and_reraises",
    "eager_task_snapshots",
    "forgot_await",
    "gather_in_argument_order",
    "gather_leaves_siblings_running",
    "notify",
    "peak_concurrency",
    "record",
    "run_concurrently",
    "shield_keeps_inner_running",
    "swallows_cancel",
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


async def _two_steps(log: list[str]) -> None:
    log.append("before its first await")
    await asyncio.sleep(0)
    log.append("after its first await")


async def eager_task_snapshots() -> dict[str, object]:
    """With ``asyncio.eager_task_factory`` (3.12+): what has run when ``create_task`` returns.

    Raises ``RuntimeError`` on 3.11, which has no eager task factory.
    """
    if sys.version_info >= (3, 12):
        loop = asyncio.get_running_loop()
        previous = loop.get_task_factory()
        loop.set_task_factory(asyncio.eager_task_factory)
        try:
            log: list[str] = []
            never_suspends = asyncio.create_task(record(log, "ran inside create_task"))
            snapshots: dict[str, object] = {
                "log after create_task": list(log),
                "done after create_task": never_suspends.done(),
            }
            log.clear()
            suspends = asyncio.create_task(_two_steps(log))
            snapshots["two-step log after create_task"] = list(log)
            await suspends
            snapshots["two-step log when done"] = list(log)
        finally:
            loop.set_task_factory(previous)
        return snapshots
    raise RuntimeError("asyncio.eager_task_factory needs Python 3.12 or later")


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


async def wait_first_completed(*aws: Awaitable[object]) -> tuple[int, int]:
    """Wait for the first of ``aws`` to finish, cancel and await the rest; return the set sizes.

    ``asyncio.wait`` refuses bare coroutines (3.11+), so each awaitable is
    wrapped in a task first; with nothing to wait for this raises ``ValueError``.

    >>> asyncio.run(wait_first_completed(asyncio.sleep(0), asyncio.Event().wait()))
    (1, 1)
    """
    if not aws:
        raise ValueError("wait_first_completed needs at least one awaitable")
    tasks = [asyncio.ensure_future(aw) for aw in aws]  # break[bare-coroutines]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending)  # returns once each has finished; raises nothing
    return len(done), len(pending)


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


# Cancellation. Each job waits forever once started, so only a cancel ends it.


async def cleans_up_and_reraises(log: list[str], started: asyncio.Event) -> str:
    """The correct job: on cancellation it cleans up (awaiting is allowed) and re-raises."""
    started.set()
    try:
        await asyncio.Event().wait()
    except asyncio.CancelledError:
        log.append("cleanup started")
        await asyncio.sleep(0)  # cleanup may await: flush a buffer, close a connection
        log.append("cleanup finished")
        raise  # break[swallow-cancel]
    return "finished"


async def swallows_cancel(log: list[str], started: asyncio.Event) -> str:
    """The pitfall: the job catches ``CancelledError`` and returns as if it had finished."""
    started.set()
    try:
        await asyncio.Event().wait()
    except asyncio.CancelledError:
        log.append("cancel swallowed")
        return "swallowed"
    return "finished"


async def catches_exception(log: list[str], started: asyncio.Event) -> str:
    """``except Exception`` around the wait: ``CancelledError`` is no ``Exception``."""
    started.set()
    try:
        await asyncio.Event().wait()
    except Exception:
        log.append("caught by except Exception")
        return "caught"
    return "finished"


@dataclass(frozen=True)
class CancelReport:
    """What :func:`cancel_and_report` saw, step by step."""

    cancel_returned: bool
    done_right_after_cancel: bool
    log_right_after_cancel: list[str]
    cancelled: bool
    result: str | None
    log: list[str]


async def cancel_and_report(
    job: Callable[[list[str], asyncio.Event], Coroutine[Any, Any, str]],
) -> CancelReport:
    """Start ``job``, cancel it once it waits, let it finish: report each step."""
    log: list[str] = []
    started = asyncio.Event()
    task = asyncio.create_task(job(log, started))
    await started.wait()  # the job is now suspended inside its try block
    returned = task.cancel()
    done_now, log_now = task.done(), list(log)
    await asyncio.wait([task])  # waits for the job to end, however it ends; raises nothing
    result = None if task.cancelled() else task.result()
    return CancelReport(returned, done_now, log_now, task.cancelled(), result, list(log))


async def shield_keeps_inner_running() -> tuple[bool, bool, str | None]:
    """Cancel a caller that awaits ``shield(commit)``.

    Returns (caller cancelled, commit cancelled at that point, commit's result).
    """
    release = asyncio.Event()
    caller_waiting = asyncio.Event()

    async def commit() -> str:
        await release.wait()
        return "committed"

    inner = asyncio.create_task(commit())  # keep this reference: shield holds none for you

    async def caller() -> str:
        caller_waiting.set()
        return await asyncio.shield(inner)  # break[no-shield]

    outer = asyncio.create_task(caller())
    await caller_waiting.wait()  # the caller is now suspended on the shield
    outer.cancel()
    await asyncio.wait([outer])
    inner_cancelled = inner.cancelled()
    release.set()  # the commit may finish now
    await asyncio.wait([inner])
    return outer.cancelled(), inner_cancelled, None if inner.cancelled() else inner.result()


async def _absorb_then_time_out(uncancel: bool) -> None:
    task = asyncio.current_task()
    assert task is not None
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(None) as deadline:
        # A hand-rolled "stop waiting" built on cancel(), absorbed on purpose.
        loop.call_soon(task.cancel)
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            if uncancel:
                task.uncancel()  # break[no-uncancel]
        deadline.reschedule(loop.time())  # the deadline is now: it fires on the next pass
        await asyncio.Event().wait()


async def absorbed_cancel_then_timeout(uncancel: bool) -> str:
    """A task absorbs a cancellation it asked for, then its ``asyncio.timeout`` expires.

    Returns what the task ended with: ``"TimeoutError"`` when it called
    ``uncancel()`` after absorbing, ``"CancelledError"`` when it did not.
    """
    task = asyncio.create_task(_absorb_then_time_out(uncancel))
    await asyncio.wait([task])
    if task.cancelled():
        return "CancelledError"
    error = task.exception()
    return "no error" if error is None else type(error).__name__
