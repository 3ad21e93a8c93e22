"""Go's ``select`` in asyncio: wait for the first of several tasks, cancel the rest, time out.

Why interviewers ask this:
    "Call two replicas and take whichever answers first" (hedged requests),
    "wait for a message or a shutdown signal", "give up after 2 seconds": every
    backend needs to race operations against each other and against a clock.
    Go has ``select`` and ``context.WithTimeout``; in asyncio the building blocks
    are ``asyncio.wait(..., return_when=FIRST_COMPLETED)`` and
    ``asyncio.timeout``. The interesting part is what happens to the *losers*:
    a candidate who forgets them leaks tasks that keep running, hold
    connections, and log errors long after the caller has moved on.

Common pitfalls:
    - Forgetting to cancel the pending tasks ``asyncio.wait`` hands back: they
      keep running. ``asyncio.wait`` never cancels anything (unlike
      ``asyncio.wait_for``, ``asyncio.timeout`` and ``TaskGroup``).
    - Cancelling the losers but not awaiting them: ``cancel()`` only *requests*
      cancellation; their ``finally`` blocks run later, after the caller has
      already returned, so "cleaned up" is not yet true.
    - Passing bare coroutines to ``asyncio.wait``: a ``TypeError`` since 3.11.
      Wrap them in tasks first (and keep the references to compare with ``done``).
    - Not handling the caller itself being cancelled while it waits: the racing
      tasks must be cancelled on that path too (a ``finally``).
    - Catching ``asyncio.TimeoutError`` on old code and ``TimeoutError`` on new:
      since 3.11 they are the same class.
    - Polling with ``asyncio.wait_for(q.get(), 0)``: on 3.11, 3.12 and 3.13 it
      raises ``TimeoutError`` even when an item is waiting. For a timeout
      ``<= 0`` it wraps the coroutine in a task, cancels that task before it
      has run, and the item stays queued; 3.12 rebuilt ``wait_for`` on
      ``asyncio.timeout`` but kept this branch. (An eager task factory, 3.12+,
      runs the task at creation and so does return the item.)

Key takeaways:
    - ``done, pending = await asyncio.wait(tasks, return_when=FIRST_COMPLETED)``
      then cancel and await every pending task: that is ``select`` with cleanup.
    - ``async with asyncio.timeout(seconds):`` (3.11) cancels the block's task
      at the deadline and turns that cancellation into ``TimeoutError`` on exit;
      code inside sees ``CancelledError``, so its ``finally`` blocks run.
      A deadline already past (``timeout(0)``) cancels at the body's first
      suspension, not before: ``await q.get()`` on a non-empty queue does not
      suspend, so a zero timeout is a poll that returns a waiting item.
    - When several tasks are done in the same loop pass, Go's ``select`` picks
      one at random; :func:`select` here picks the first in argument order so
      tests are deterministic.
    - Java maps to ``CompletableFuture.anyOf`` (which, like ``asyncio.wait``,
      cancels nothing) and ``orTimeout``.

What to look for in an answer:
    A strong answer races the operations as tasks, takes the first result,
    cancels *and awaits* the others, uses ``finally`` so the caller's own
    cancellation also cleans up, and reaches for ``asyncio.timeout`` (or a
    ``TaskGroup``) rather than hand-rolled timers. Follow-ups:
    - What if the winner raised? (It is still the first to complete; re-raise its
      exception, or keep waiting for a successful one: both are valid policies.)
    - How do hedged requests avoid doubling load? (Send the second request only
      after a delay such as the p95 latency; cancel it when the first answers.)
    - Why can a task ignore cancellation, and what does that do to a timeout?
      (It can catch ``CancelledError``; the timeout then fires late or never.)

Complexity:
    :func:`select` over ``k`` awaitables creates ``k`` tasks and does O(k) work
    to cancel the losers; waiting costs nothing while nothing is ready.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from typing import TypeVar

__all__ = ["cancel_and_wait", "recv_with_timeout", "select"]

T = TypeVar("T")


async def cancel_and_wait(tasks: Iterable[asyncio.Task[object]]) -> None:
    """Cancel every unfinished task and wait until each has really finished.

    Waiting matters: ``cancel()`` only schedules a ``CancelledError``; the task's
    ``finally`` blocks run when the loop next gives it a turn.
    """
    unfinished = [t for t in tasks if not t.done()]
    for task in unfinished:
        task.cancel()
    if unfinished:
        await asyncio.wait(unfinished)


async def select(*awaitables: Awaitable[T]) -> tuple[int, T]:
    """Wait for the first awaitable to finish; return ``(its index, its result)``.

    Every other awaitable is cancelled and awaited before this returns, also
    when the caller is cancelled. If several finish in the same loop pass, the
    lowest index wins. If the winner raised, its exception is re-raised.

    >>> async def value(v: str) -> str:
    ...     return v
    >>> async def never() -> str:
    ...     await asyncio.Event().wait()
    ...     return "unreachable"
    >>> asyncio.run(select(never(), value("b")))
    (1, 'b')
    """
    if not awaitables:
        raise ValueError("select needs at least one awaitable")
    tasks = [asyncio.ensure_future(a) for a in awaitables]
    try:
        done, _pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        await cancel_and_wait(tasks)  # break[forget-cancel]
    index = next(i for i, task in enumerate(tasks) if task in done)
    return index, tasks[index].result()


async def recv_with_timeout(queue: asyncio.Queue[T], seconds: float) -> T:
    """Take the next item from ``queue``; raise ``TimeoutError`` after ``seconds``.

    ``seconds=0`` polls: an item already queued is returned, and an empty queue
    raises ``TimeoutError`` a few loop passes later (the deadline fires, it
    cancels the get, the cancellation becomes ``TimeoutError``), without waiting
    for the clock. Raises ``ValueError`` if ``seconds`` is negative or NaN.

    >>> async def demo() -> str:
    ...     q: asyncio.Queue[str] = asyncio.Queue()
    ...     q.put_nowait("job")
    ...     return await recv_with_timeout(q, 0)
    >>> asyncio.run(demo())
    'job'
    """
    if not seconds >= 0:  # break[zero-rejected]
        raise ValueError(f"seconds must be >= 0, got {seconds}")
    async with asyncio.timeout(seconds):
        # asyncio.timeout, not wait_for: wait_for(..., 0) cancels the get before it runs.
        return await queue.get()  # break[wait-for]
