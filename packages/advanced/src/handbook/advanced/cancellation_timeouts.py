"""Cancellation and timeouts in asyncio: a cancel is an exception you must let through.

Why interviewers ask this:
    Every service call needs a deadline, and every deadline is implemented by
    cancelling work. In asyncio, ``task.cancel()`` throws ``CancelledError``
    into the coroutine at its next ``await``; ``asyncio.timeout`` is that
    plus a timer. Code that catches the exception and carries on silently
    breaks every timeout above it, and code that cleans up in the wrong
    place leaks connections and locks. The questions separate "I used
    ``wait_for`` once" from "I know what the event loop does on a cancel".

Common pitfalls:
    - Swallowing the cancel (``swallowing_worker``): ``except CancelledError:
      pass`` (or a bare ``except:``, or ``except BaseException``) and
      continue. The task then does not stop: under ``asyncio.timeout``
      the block runs to the end and no ``TimeoutError`` is raised, although
      ``cm.expired()`` is True; a plain ``task.cancel()`` leaves the task
      finishing normally with ``cancelling()`` stuck at 1.
    - Cleaning up in ``except Exception``: ``CancelledError`` derives from
      ``BaseException`` (since 3.8), so such a handler never runs on a
      cancel or a timeout. Clean up in ``finally`` or ``async with``.
    - Expecting ``asyncio.shield`` to make the *caller* immune: the awaiting
      task is still cancelled at once; only the inner task keeps running.
      Keep a strong reference to that task (the asyncio docs warn that the
      loop holds only weak references to tasks), and know that
      ``asyncio.run`` cancels every task left at shutdown, shielded or not.
    - Catching ``TimeoutError`` inside a nested timeout to mean "my step was
      slow": an enclosing deadline never shows up there as ``TimeoutError``
      (it arrives as ``CancelledError`` and becomes ``TimeoutError`` only at
      the enclosing ``async with``), but the work's own ``TimeoutError`` does:
      the builtin is also the ``OSError`` for ETIMEDOUT, and an inner
      ``wait_for`` raises it. Check ``cm.expired()`` and re-raise otherwise
      (``which_deadline_fired``). Catching ``CancelledError`` there to
      "handle the inner timeout" eats the outer one.
    - Assuming ``asyncio.wait_for`` is the same on every version. With a
      timeout above zero, 3.11 runs a coroutine in a new task and, if the
      caller is cancelled in the same loop iteration as the awaited work
      finishes, returns the result and drops the cancel. From 3.12 it is
      ``async with timeout(t): return await aw`` (``Lib/asyncio/tasks.py``):
      the coroutine runs in the caller's task and the cancel is delivered.
      With the default task factory, a ``wait_for`` timeout of zero or less
      cancels a coroutine before it starts, where ``asyncio.timeout(0)`` lets
      the body run to its first suspension. With eager tasks (3.12+,
      ``asyncio.eager_task_factory``) the coroutine runs up to its first
      suspension inside ``wait_for``, and if it finishes there its result is
      returned, with no ``TimeoutError``.

Key takeaways:
    - ``asyncio.timeout(delay)`` (new in 3.11) cancels the current task when
      the deadline passes and, at the exit of its ``async with``, turns that
      ``CancelledError`` into the builtin ``TimeoutError`` (``from`` the
      ``CancelledError``). ``asyncio.TimeoutError is TimeoutError`` on 3.11+.
    - It converts only its own cancel. ``Task.cancel()`` increments a counter
      (``task.cancelling()``); the timeout records the counter at entry and,
      at exit, if it fired, calls ``uncancel()`` and raises ``TimeoutError`` only if the
      count is then no higher than at entry, i.e. no other request is left.
      An outside ``task.cancel()`` in the same iteration therefore stays a
      ``CancelledError``; with two expired nested timeouts, the outer one
      raises and the inner lets it through.
    - ``uncancel()`` only decrements the counter in 3.11 and 3.12: a cancel
      requested but not yet delivered is still delivered. In 3.13, reaching
      zero also withdraws a cancel not yet handed on (one requested while
      the task runs, e.g. a self-cancel). A task suspended on a pending
      future has already passed the cancel to that future, so it still gets
      ``CancelledError`` on every version.
    - ``finally`` blocks and ``__aexit__`` run on a cancel, with
      ``CancelledError`` as the exception; they may ``await``. If you must
      catch the cancel (to log, to roll back), re-raise it (``cooperative_worker``).
    - 3.13 only: if the body raises another exception while handling the
      timeout's cancel, the timeout inserts a ``TimeoutError`` into that
      exception's ``__context__`` chain, so the traceback says why (unless
      the handler raises ``from None``, which hides the context).
    - Go: ``ctx, cancel := context.WithTimeout(parent, d)``; the callee must
      ``select`` on ``<-ctx.Done()`` and return ``ctx.Err()``
      (``context.DeadlineExceeded`` vs ``context.Canceled``, like
      ``TimeoutError`` vs ``CancelledError``). Go never injects anything:
      code that ignores ``ctx`` runs on, the same bug as swallowing.
      ``defer`` plays ``finally``; ``context.WithoutCancel`` (Go 1.21) plays
      ``shield`` for cleanup work. Java: ``Future.cancel(true)`` interrupts
      the thread; blocking calls throw ``InterruptedException``, and catching
      it without ``Thread.currentThread().interrupt()`` is Java's swallowed
      cancel. ``CompletableFuture.cancel(true)`` interrupts nothing.

What to look for in an answer:
    Cancellation is cooperative and delivered at ``await`` points (CPU-bound
    code between awaits is not interrupted); ``CancelledError`` is a
    ``BaseException`` and must propagate; cleanup goes in ``finally``; a
    deadline is propagated down the call chain, not re-invented per call.
    Follow-ups:
    - When is it right to suppress ``CancelledError``? (Only when you issued
      the cancel yourself and consume it, as ``asyncio.timeout`` does, and
      then call ``uncancel()`` so the count is back where it was.)
    - How do you guarantee a write finishes even if the request is
      cancelled? (Run it as its own task and ``await asyncio.shield(task)``,
      keeping a reference; or hand it to a queue a worker drains. The
      request still ends with ``CancelledError``.)
    - Inner timeout 5 s inside an outer 1 s: which fires, what do you see?
      (The outer: the inner block sees ``CancelledError`` pass through and
      the outer ``async with`` raises ``TimeoutError``; ``outer.expired()``
      tells you which.)
    - Your cleanup awaits and a second cancel arrives: what then? (The
      cleanup is interrupted too; shield the cleanup or give it its own
      short timeout.)
    - Can you change a deadline after it is set? (Yes: ``cm.reschedule(when)``
      on the ``Timeout`` object, with a ``loop.time()`` value; ``None``
      disables it.)
    - You cancel ``await asyncio.to_thread(f)``: does ``f`` stop? (No: the
      thread runs to the end, only the await is abandoned. Pass ``f`` a
      ``threading.Event`` to check, or use a cancellable API.)
    - ``TaskGroup`` when one child fails? (It cancels the siblings, waits for
      them, and raises an ``ExceptionGroup``; it uses the same
      ``uncancel()`` bookkeeping as ``timeout``.)
    - ``asyncio.wait(tasks, timeout=t)``? (It cancels nothing: it returns
      ``(done, pending)`` and the pending tasks keep running; a classic leak.)
    - Eager tasks (3.12+)? (``create_task`` runs the coroutine at once up to
      its first suspension, so a cancel issued right after may find it done.)
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

__all__ = [
    "WAIT_FOR_USES_TIMEOUT",
    "cooperative_worker",
    "finish_even_if_cancelled",
    "guarded_resource",
    "swallowing_worker",
    "which_deadline_fired",
]

T = TypeVar("T")

#: ``asyncio.wait_for(aw, t)`` with ``t > 0`` or ``None`` is ``async with
#: timeout(t): return await aw`` from 3.12 (``Lib/asyncio/tasks.py``).
WAIT_FOR_USES_TIMEOUT = sys.version_info >= (3, 12)


@asynccontextmanager
async def guarded_resource(log: list[str]) -> AsyncIterator[None]:
    """Acquire, yield, and release in ``finally``: the release runs on a cancel too.

    >>> log: list[str] = []
    >>> async def use() -> None:
    ...     async with guarded_resource(log):
    ...         log.append("work")
    >>> asyncio.run(use())
    >>> log
    ['acquired', 'work', 'released']
    """
    log.append("acquired")
    try:
        yield
    finally:  # break[cleanup-in-except-exception]  # break[release-only-on-error]
        log.append("released")


async def swallowing_worker(steps: int, log: list[str]) -> int:
    """The pitfall: catch ``CancelledError`` and carry on. Returns the steps done.

    Each step is one ``await asyncio.sleep(0)``, a point where a cancel lands.
    """
    done = 0
    for _ in range(steps):
        try:
            await asyncio.sleep(0)
        except asyncio.CancelledError:
            log.append("ignored a cancel")
        done += 1
    return done


async def cooperative_worker(steps: int, log: list[str]) -> int:
    """The fix: do the cleanup a cancel needs, then re-raise it."""
    done = 0
    for _ in range(steps):
        try:
            await asyncio.sleep(0)
        except asyncio.CancelledError:
            log.append(f"cancelled after {done} steps")
            raise  # break[swallow-cancel]
        done += 1
    return done


async def which_deadline_fired(
    outer: float | None, inner: float | None, work: Awaitable[object]
) -> str:
    """Run ``work`` under an inner timeout nested in an outer one; say which fired.

    Returns ``"inner"`` when the inner deadline is handled inside the outer
    block, ``"outer"`` when the outer ``async with`` raised, ``"none"`` if
    ``work`` finished in time. The delays are seconds, as for ``asyncio.timeout``.
    A ``TimeoutError`` that ``work`` raises itself (no deadline expired)
    propagates: ``expired()``, not the exception type, says whose deadline it was.
    """
    try:
        async with asyncio.timeout(outer) as outer_cm:
            try:
                async with asyncio.timeout(inner) as inner_cm:
                    await work
            except TimeoutError:  # break[inner-catches-cancel]
                if not inner_cm.expired():  # break[inner-trusts-the-type]
                    raise  # the work's own TimeoutError: a socket, an inner wait_for
                return "inner"
    except TimeoutError:
        if not outer_cm.expired():  # break[outer-trusts-the-type]
            raise
        return "outer"
    return "none"


async def finish_even_if_cancelled(aw: Awaitable[T], keep: set[asyncio.Future[Any]]) -> T:
    """Await ``aw`` through ``asyncio.shield``; a cancel stops the caller, not ``aw``.

    ``aw`` runs as its own task, held in ``keep`` until done: the event loop
    keeps only weak references to tasks, so an unreferenced one can vanish.
    """
    task = asyncio.ensure_future(aw)
    keep.add(task)  # break[no-strong-reference]
    task.add_done_callback(keep.discard)  # break[keep-forever]
    return await asyncio.shield(task)  # break[no-shield]
