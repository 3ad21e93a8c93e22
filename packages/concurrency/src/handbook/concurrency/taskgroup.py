"""Structured concurrency with ``asyncio.TaskGroup``: one failure cancels the siblings; ``except*``.

Why interviewers ask this:
    Fan-out is everywhere in backends: fetch the user, their orders and their
    recommendations at once. The question is what happens when one call fails.
    With ``asyncio.gather`` the error reaches the caller while the other calls
    keep running, unowned; with ``asyncio.TaskGroup`` (3.11) the group cancels
    the siblings, waits for their cleanup and raises every error together as an
    ``ExceptionGroup``. Knowing the difference, and how ``except*`` takes such a
    group apart, shows you have written fan-out code that fails cleanly.

Common pitfalls:
    - ``await asyncio.gather(a(), b())`` when ``a`` fails: the exception
      propagates but ``b`` is *not* cancelled; it runs on, detached from any
      caller. If ``b`` fails later, its error vanishes without a trace: gather's
      own done-callback sees that the outer future is already finished and
      calls ``b.exception()`` itself, so not even "Task exception was never
      retrieved" is ever logged (3.11 to 3.13, ``_GatheringFuture`` in
      ``asyncio/tasks.py``). This silent loss is the strongest argument for
      ``TaskGroup``.
    - ``gather(..., return_exceptions=True)`` hides failures in the result list;
      every caller must remember to check each item.
    - Creating tasks with ``asyncio.create_task`` inside ``async with
      TaskGroup()``: they are not in the group, so nobody waits for or cancels
      them. Use ``tg.create_task``.
    - Catching ``CancelledError`` in a task and not re-raising it: the group (or
      ``asyncio.timeout``) then cannot stop that task, and the group's error
      reaches nobody until that task finishes on its own. Clean up in
      ``finally``.
    - ``except ValueError`` does not match an ``ExceptionGroup`` containing a
      ``ValueError``; use ``except* ValueError``.
    - Reading only ``group.exceptions`` inside ``except* ValueError as group``.
      The matched group keeps the original nesting: a call that fans out on
      its own raises its ``ValueError`` inside an inner ``ExceptionGroup``,
      and a one-level ``isinstance`` filter throws it away. Walk the leaves.

Key takeaways:
    - In a ``TaskGroup``, the first failure cancels every other task in the
      group and the body of the ``async with``; the group then waits for all of
      them, so every sibling's ``finally`` has run before the error surfaces.
    - The group raises ``ExceptionGroup`` (``BaseExceptionGroup`` if a child
      raised a ``BaseException`` that is not an ``Exception``) holding *all* the
      failures, not just the first; ``CancelledError`` of the siblings is not
      among them, but an error a sibling raises while being cancelled (a
      failing cleanup) is. No child's ``Exception`` is lost, unless a
      ``SystemExit`` or ``KeyboardInterrupt`` comes with it (next point).
    - ``KeyboardInterrupt`` and ``SystemExit`` are the exception: asyncio
      re-raises them out of the event loop the moment a task raises them, and
      when the loop runs on, the group cancels the siblings and re-raises the
      same exception *bare*, not in a group, so ``except KeyboardInterrupt``
      still works. The price: every other error the group collected is
      dropped without a trace (``__aexit__`` raises ``self._base_error``
      and never builds the group; 3.11 to 3.13).
    - ``except* T`` runs once with the sub-group of ``T`` errors, nested groups
      included; several ``except*`` clauses can each handle their part; what
      nobody handles is re-raised.
    - Go: ``errgroup.WithContext`` cancels the shared context on the first
      error (but returns only that error). Java: ``StructuredTaskScope``, a
      preview API: the ``ShutdownOnFailure`` subclass in JDK 21 to 24;
      since JDK 25 (JEP 505) ``StructuredTaskScope.open()``, whose default
      ``Joiner`` cancels the other subtasks when one fails.

What to look for in an answer:
    A strong answer says that ``gather`` propagates the first error without
    cancelling the rest (and silently drops their later errors), that
    ``TaskGroup`` cancels siblings and waits for them, that the result is an
    ``ExceptionGroup`` handled with ``except*``, and that cleanup belongs in
    ``finally`` rather than in ``except CancelledError`` without a re-raise.
    Follow-ups:
    - How do you make ``gather`` cancel the others on failure? (Keep the tasks,
      and in ``except`` cancel and await them, or just use a ``TaskGroup``.)
    - Two tasks fail in the same loop pass: what does the caller see? (Both, in
      one ``ExceptionGroup``.)
    - With ``gather``, a second task fails after the first error reached the
      caller: where does its exception go? (Nowhere: gather retrieves it and
      drops it, and no handler or log ever sees it. A ``TaskGroup`` would have
      cancelled that task and reported whatever its cleanup raised.)
    - How do you collect partial results instead of failing everything? (Catch
      inside each task and return a result object, or ``return_exceptions=True``
      with explicit checks.)
    - Can you ``return`` from an ``except*`` clause? (No: ``return``, ``break``
      and ``continue`` there are a ``SyntaxError``, because several
      ``except*`` clauses can run for one group and leaving from one would
      skip the others. Set a variable, act after the ``try``.)
    - A sibling, being cancelled, calls ``tg.create_task``: what happens?
      (``RuntimeError``: the group "is shutting down" and starts nothing new.
      3.13 also closes the refused coroutine; 3.11 and 3.12 hand it back
      unstarted, and closing it is up to you.)
    - You cancel the future ``gather`` returned: what happens to the children?
      (They are cancelled too: cancellation flows down from ``gather`` to its
      children, while a child's failure never reaches its siblings.)
    - A ``TaskGroup`` inside ``asyncio.timeout``: who raises what? (Both work by
      ``task.cancel()`` on the same task and undo only their own request with
      ``uncancel()``. When the deadline passes, the group cancels its children
      and re-raises ``CancelledError``, which the timeout turns into
      ``TimeoutError``; when a child fails first, the group uncancels its own
      request to interrupt the body and raises the ``ExceptionGroup``. Either
      way ``task.cancelling()`` is back to 0 afterwards.)

Complexity:
    ``k`` tasks: O(k) to start, O(k) to cancel; the group finishes when the
    slowest task (or its cleanup after cancellation) finishes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

__all__ = ["FanOutReport", "fan_out_gather", "fan_out_group", "fan_out_report", "leaves"]

T = TypeVar("T")
E = TypeVar("E", bound=BaseException)


async def fan_out_group(calls: Sequence[Callable[[], Awaitable[T]]]) -> list[T]:
    """Run every call concurrently in a ``TaskGroup``; return results in call order.

    On the first failure the other calls are cancelled and awaited, then an
    ``ExceptionGroup`` with every failure is raised.

    >>> async def double(x: int) -> int:
    ...     await asyncio.sleep(0)
    ...     return 2 * x
    >>> asyncio.run(fan_out_group([lambda: double(1), lambda: double(2)]))
    [2, 4]
    """
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(_run(call)) for call in calls]  # break[escape-group]
    return [task.result() for task in tasks]


async def _run(call: Callable[[], Awaitable[T]]) -> T:
    return await call()


async def fan_out_gather(calls: Sequence[Callable[[], Awaitable[T]]]) -> list[T]:
    """The same fan-out with ``asyncio.gather``: the first error propagates, siblings run on.

    A sibling that fails after that loses its error silently: gather retrieves
    and drops it.

    >>> async def one() -> int:
    ...     return 1
    >>> asyncio.run(fan_out_gather([one, one]))
    [1, 1]
    """
    return list(await asyncio.gather(*(call() for call in calls)))  # break[await-one-by-one]


@dataclass
class FanOutReport:
    """What :func:`fan_out_report` saw: results, or the failures sorted by kind."""

    results: list[object] = field(default_factory=list)
    bad_input: list[ValueError] = field(default_factory=list)
    unavailable: list[ConnectionError] = field(default_factory=list)


async def fan_out_report(calls: Sequence[Callable[[], Awaitable[object]]]) -> FanOutReport:
    """Run ``calls`` in a ``TaskGroup`` and sort its failures with ``except*``.

    ``ValueError`` and ``ConnectionError`` are handled (each clause receives its
    own sub-group, with any nesting kept: a call that fans out itself raises
    an ``ExceptionGroup`` of its own, so the errors are read off the leaves);
    any other failure propagates in an ``ExceptionGroup``.

    >>> async def bad() -> int:
    ...     raise ValueError("no such user")
    >>> report = asyncio.run(fan_out_report([bad]))
    >>> report.bad_input
    [ValueError('no such user')]
    """
    report = FanOutReport()
    try:
        report.results = await fan_out_group(calls)
    except* ValueError as group:
        report.bad_input = leaves(group)  # break[shallow-filter]
    except* ConnectionError as group:
        report.unavailable = leaves(group)
    return report


def leaves(group: BaseExceptionGroup[E]) -> list[E]:
    """Every exception in ``group`` that is not itself a group, depth first, in order.

    O(n) in the number of exceptions and groups in the tree.

    >>> inner = ExceptionGroup("inner", [ValueError(2), ValueError(3)])
    >>> leaves(ExceptionGroup("outer", [ValueError(1), inner]))
    [ValueError(1), ValueError(2), ValueError(3)]
    """
    found: list[E] = []
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            found.extend(leaves(exc))
        else:
            found.append(exc)
    return found
