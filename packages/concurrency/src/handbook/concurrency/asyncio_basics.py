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
    - Dropping the only reference to a task. The loop keeps only weak
      references to tasks (an "Important" note in the ``create_task`` docs
      tells you to keep one yourself): a task suspended on a future that
      nothing else holds is reachable only through that future, so the next
      garbage collection destroys it mid-flight and logs "Task was destroyed
      but it is pending!". Keep fire-and-forget tasks in a set and
      ``discard`` each one in a done callback.
    - Letting ``asyncio.run`` return while work is in flight: on exit it
      cancels every task still pending, a shielded one included (``shield``
      only stops cancellations that travel through the awaiting task). Await
      what must finish, such as a commit, before the main coroutine returns.

Key takeaways:
    - A coroutine object is a paused function call; ``await`` runs it inside
      the current task, ``create_task`` schedules it as a new task.
    - ``gather(*aws)`` returns results in *argument* order whatever the
      completion order; the first exception propagates at once (the others
      keep running) unless ``return_exceptions=True``.
    - ``gather(..., return_exceptions=True)`` hands back each exception as a
      value, a cancelled child's ``CancelledError`` included; cancelling the
      gather itself still cancels every child, and the gather raises
      ``CancelledError``.
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
      Versions differ for a request that could not be thrown in at once
      because the task was not suspended on a pending future when it came
      (running, created but not started yet, or woken and waiting for its
      turn): on 3.13+ bringing the count back to zero withdraws it; on 3.11
      and 3.12 the ``CancelledError`` arrives all the same. A request made
      while the task waits on a pending future cancels that future at once,
      so it arrives on every version.
    - Go: a goroutine is ``create_task``; ``errgroup.WithContext`` is
      ``TaskGroup`` (the first error cancels the shared context; ``Wait``
      returns after every goroutine, with the first error); a ``context`` is
      the explicit form of cancellation. Java: ``CompletableFuture.allOf`` is
      neither ``gather`` nor ``wait``. Like ``wait`` with ``ALL_COMPLETED`` it
      completes only once *every* future has, even after a failure, carries
      no results (you ``join`` each one) and cancels nothing. Unlike ``wait``,
      which always returns normally, it then completes exceptionally (a
      ``CompletionException`` wrapping a failure) if any future failed.

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
      into ``TimeoutError``.) What does ``wait_for`` do when the task is slow
      to die? (It waits for the cancelled task to finish, cleanup included,
      so it can return well after the timeout; and if the task swallows the
      cancellation and returns a value, ``wait_for`` returns that value
      instead of raising ``TimeoutError``. Both hold on 3.11, 3.12 and 3.13;
      the docs mention the second from 3.12.)
    - You called ``task.cancel()``; is the task cancelled now? (No: it is
      asked. It sees ``CancelledError`` at its next turn, runs its cleanup and
      may even refuse; ``await`` it, or ``asyncio.wait`` on it, to know.)
    - A request handler must commit a payment even if the client disconnects
      and the handler is cancelled. How? (Run the commit as its own task and
      ``await asyncio.shield(commit_task)``, keeping a reference; the handler
      still gets ``CancelledError``, the commit finishes. And make sure
      something awaits ``commit_task`` before the program stops:
      ``asyncio.run`` cancels every task still pending when its main
      coroutine returns, and shield does not stop that.)
    - What is wrong with calling ``asyncio.get_event_loop()`` at start-up,
      outside any coroutine? (It depends on the version and on history. With
      no loop ever set in the main thread it silently creates one on 3.11,
      does so with a ``DeprecationWarning`` ("There is no current event
      loop") on 3.12 and 3.13, and raises ``RuntimeError`` from 3.14; after
      ``asyncio.run`` has cleared the current loop it raises ``RuntimeError``
      on every version. Start with ``asyncio.run`` and call
      ``asyncio.get_running_loop()`` inside coroutines.)
    - Why can two tasks still race on shared state? (A read, an ``await``, a
      write: the switch happens at the ``await``.)

Complexity:
    Scheduling a task is O(1); ``gather``/``wait`` over ``n`` awaitables is O(n).
    Switching happens only at ``await`` points, never between them.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import weakref
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, get_args

__all__ = [
    "CancelReport",
    "GatherFailure",
    "RequestTiming",
    "absorbed_cancel_then_timeout",
    "cancel_and_report",
    "cancel_then_uncancel",
    "catches_exception",
    "cleans_up_and_reraises",
    "commit_outcome_at_exit",
    "eager_task_snapshots",
    "forgot_await",
    "gather_in_argument_order",
    "gather_leaves_siblings_running",
    "keep_alive",
    "notify",
    "peak_concurrency",
    "record",
    "run_concurrently",
    "shield_keeps_inner_running",
    "swallows_cancel",
    "task_group_cancels_siblings",
    "task_vs_coroutine",
    "unreferenced_task_is_collected",
    "wait_first_completed",
    "wait_for_waits_for_cleanup",
    "wait_for_when_the_task_swallows_the_cancel",
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


@dataclass(frozen=True)
class GatherFailure:
    """What :func:`gather_leaves_siblings_running` saw after ``gather`` raised."""

    error: str
    sibling_cancelling: int
    """Cancellation requests made against the sibling by the time gather raised."""
    sibling_pending_after_a_yield: bool
    """Still running one loop pass later, when any such request would have landed."""
    sibling_result: bool | None
    """What the sibling returned once released; None if it ended cancelled."""


async def gather_leaves_siblings_running() -> GatherFailure:
    """One task fails while a sibling waits: gather raises, the sibling lives on and finishes.

    ``task.cancel()`` is only a request, so ``done()`` right after gather
    raised proves nothing; the sibling's ``cancelling()`` count, a loop pass
    later its state, and finally its result do.
    """
    release = asyncio.Event()

    async def fail() -> None:
        raise ValueError("boom")

    sibling = asyncio.create_task(release.wait())
    try:
        await asyncio.gather(fail(), sibling)  # break[gather-cancels-siblings]
    except ValueError as exc:
        error = str(exc)
    else:  # pragma: no cover - gather always raises here
        raise AssertionError("gather did not raise")
    cancelling = sibling.cancelling()
    await asyncio.sleep(0)  # one pass: a cancellation requested by now would be thrown in
    pending = not sibling.done()
    release.set()
    await asyncio.wait([sibling])
    return GatherFailure(
        error, cancelling, pending, None if sibling.cancelled() else sibling.result()
    )


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


RequestTiming = Literal["running", "not started", "woken", "waiting"]
"""Where a task is when a cancellation is requested, for :func:`cancel_then_uncancel`."""


async def cancel_then_uncancel(when: RequestTiming) -> bool:
    """Request a cancellation and take it straight back with ``uncancel()``; was the task cancelled?

    ``when`` says where the task is at the request: ``"running"`` (it cancels
    itself), ``"not started"`` (just created), ``"woken"`` (the event it waits
    on is set, but it has not resumed yet) or ``"waiting"`` (suspended on an
    event nobody has set). The event is set in every case, so a task whose
    request was withdrawn runs to the end.
    """
    if when not in get_args(RequestTiming):
        raise ValueError(f"when must be one of {get_args(RequestTiming)}, got {when!r}")
    gate = asyncio.Event()

    async def job() -> None:
        if when == "running":
            me = asyncio.current_task()
            assert me is not None
            me.cancel()
            me.uncancel()
        await gate.wait()
        await asyncio.sleep(0)

    task = asyncio.create_task(job())
    if when != "not started":
        await asyncio.sleep(0)  # the job starts and suspends on the gate
    if when == "woken":
        gate.set()  # the job is now scheduled to resume, but has not run
    if when != "running":
        task.cancel()
        task.uncancel()
    gate.set()
    await asyncio.wait([task])
    return task.cancelled()


# Fire-and-forget tasks and the garbage collector.


def keep_alive(task: asyncio.Task[T], registry: set[asyncio.Task[Any]]) -> asyncio.Task[T]:
    """Hold a strong reference to ``task`` in ``registry`` until it is done; return ``task``."""
    registry.add(task)  # break[no-task-reference]
    task.add_done_callback(registry.discard)
    return task


async def unreferenced_task_is_collected(keep: bool) -> tuple[bool, list[str]]:
    """Start a task waiting on a future only it knows about, drop our reference, collect.

    With ``keep`` the task goes through :func:`keep_alive` first. Returns
    (was the task garbage-collected, what the loop's exception handler was
    told). The loop's handler is restored and a surviving task cancelled.
    """
    loop = asyncio.get_running_loop()
    told: list[str] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: told.append(str(context["message"])))
    registry: set[asyncio.Task[Any]] = set()

    async def wait_for_reply() -> None:
        # The future and the task point at each other (its done callback wakes
        # the task), and the loop holds neither: a cycle nothing outside reaches.
        await loop.create_future()

    try:
        task = asyncio.create_task(wait_for_reply())
        if keep:
            keep_alive(task, registry)
        probe = weakref.ref(task)
        await asyncio.sleep(0)  # the task starts and suspends on its future
        del task
        gc.collect()
        collected = probe() is None
        for survivor in list(registry):
            survivor.cancel()
            await asyncio.wait([survivor])
    finally:
        loop.set_exception_handler(previous)
    return collected, told


# What asyncio.run does to work still in flight when main returns.


def commit_outcome_at_exit(await_commit: bool) -> str:
    """A cancelled handler shielded its commit; ``asyncio.run`` then ends. What became of it?

    The database's reply is already on its way when main decides whether to
    await the commit. Returns ``"committed"`` or ``"cancelled"``.
    """
    commit_task: asyncio.Task[str] | None = None

    async def commit(reply: asyncio.Event) -> str:
        await reply.wait()
        return "committed"

    async def handler(inner: asyncio.Task[str]) -> str:
        return await asyncio.shield(inner)

    async def main() -> None:
        nonlocal commit_task
        reply = asyncio.Event()
        commit_task = asyncio.create_task(commit(reply))
        request = asyncio.create_task(handler(commit_task))
        await asyncio.sleep(0)  # the handler waits on the shield, the commit on its reply
        request.cancel()  # the client disconnects
        await asyncio.wait([request])
        asyncio.get_running_loop().call_soon(reply.set)  # the reply lands on the next pass
        if await_commit:
            await commit_task  # break[exit-without-commit]

    asyncio.run(main())
    assert commit_task is not None
    return "cancelled" if commit_task.cancelled() else commit_task.result()


# wait_for and a task that is slow to die, or refuses to.


async def wait_for_waits_for_cleanup() -> list[str]:
    """``wait_for`` times out a task whose cleanup blocks: log who finished when.

    A watcher task records whether ``wait_for`` had returned while the
    cleanup was stuck, then lets the cleanup finish.
    """
    log: list[str] = []
    release = asyncio.Event()
    cleanup_started = asyncio.Event()

    async def slow_to_die() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cleanup_started.set()
            await release.wait()  # cleanup that takes as long as it takes
            log.append("cleanup finished")
            raise

    async def timed() -> None:
        try:
            # timeout=0: expired at once, no clock involved; a positive one behaves alike.
            await asyncio.wait_for(job, 0)
        except TimeoutError:
            log.append("wait_for raised TimeoutError")

    job = asyncio.create_task(slow_to_die())
    await asyncio.sleep(0)  # the job is waiting inside its try block
    waiter = asyncio.create_task(timed())
    await cleanup_started.wait()
    await asyncio.sleep(0)  # one more pass for wait_for, were it not waiting on the job
    log.append("wait_for returned" if waiter.done() else "wait_for still waiting")
    release.set()
    await waiter
    return log


async def wait_for_when_the_task_swallows_the_cancel(timeout: float) -> str:
    """``wait_for`` times out a started task that catches ``CancelledError`` and returns.

    Returns what ``wait_for`` gave back, or ``"TimeoutError"``.
    """

    async def stubborn() -> str:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            return "returned after the cancel"
        return "finished"

    job = asyncio.create_task(stubborn())
    await asyncio.sleep(0)  # started: the cancel lands inside its try block
    try:
        return await asyncio.wait_for(job, timeout)
    except TimeoutError:
        return "TimeoutError"
