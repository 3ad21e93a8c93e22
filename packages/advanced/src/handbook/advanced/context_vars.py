"""``contextvars``: request-scoped state that follows asyncio tasks, and where it gets lost.

Why interviewers ask this:
    Every backend logs a request ID, a tenant or a trace span on each line,
    without passing it through forty function signatures. In threaded code
    that was ``threading.local``; in asyncio many requests share one thread,
    so a thread-local is shared by all of them. ``contextvars`` is the
    answer, and the interviewer wants to know where the context is copied,
    where it is not, and what a change inside a task does to the caller.

Common pitfalls:
    - A ``threading.local`` in async code (``ThreadLocalStore``): every task
      on the event loop runs on the same thread, so two interleaved
      requests overwrite each other's ID and one of them logs the other's.
    - ``executor.submit(fn)`` and ``loop.run_in_executor(ex, fn)`` do not
      carry the context (``submit_leaky``): ``fn`` runs in the worker
      thread's own context, so the caller's request ID is missing, and a
      value an earlier job set on that worker is still there (the same leak
      as a pooled thread-local). ``asyncio.to_thread`` does carry it: it
      wraps the call in ``copy_context().run``.
    - The ``copy_context().run`` fix is for thread executors only: a
      ``Context`` cannot be pickled, so handing ``ctx.run`` to a
      ``ProcessPoolExecutor`` raises ``TypeError``. Send the values
      themselves to another process.
    - ``threading.Thread(target=fn).start()`` on 3.11, 3.12 and 3.13 runs
      ``fn`` in a new, empty context: the caller's values are not there.
      (Python 3.14 adds ``Thread(context=...)`` and the
      ``sys.flags.thread_inherit_context`` flag, documented as on by default
      only on free-threaded builds; that version is not in this test matrix.)
    - Expecting a task's ``set`` to be seen by its caller. A task runs in a
      copy taken when it is created; its changes stay in that copy. A
      coroutine awaited directly, without a task, runs in the caller's
      context, so its ``set`` is seen by the caller.
    - Sharing one ``copy_context()`` between jobs (``map_in_context`` with
      the copy hoisted out of the loop): what one job sets is seen by the
      next, and two threads entering the same ``Context`` at once get
      ``RuntimeError``.
    - Storing a mutable object: the copy is shallow, so a dict mutated in a
      task is mutated for the caller too. Store immutable values and
      ``set`` a new one.

Key takeaways:
    - ``asyncio.create_task`` (and ``gather``, which wraps coroutines in
      tasks) copies the current context when the task is created: a value
      set in the caller afterwards is not seen, and a value set in the task
      is seen by neither the caller nor its siblings.
    - Fix for executors: ``executor.submit(contextvars.copy_context().run, fn)``,
      one fresh copy per job (``submit_in_context``).
    - ``var.set()`` returns a ``Token``; ``var.reset(token)`` restores the
      previous value, which is how a middleware unbinds the request ID
      (``bound_request_id``).
    - The classic use: a ``logging.Filter`` that copies the current request
      ID onto every record (``RequestIdFilter``).
    - Go has no implicit goroutine-local state: ``ctx context.Context`` is an
      explicit first parameter, ``context.WithValue`` returns a new child
      (the parent is unchanged, like a task's copy), and ``ctx.Value(key)``
      reads it; a goroutine sees exactly the ctx it was handed. Java:
      ``ThreadLocal`` is the thread-local pitfall, and with pooled threads a
      value left set leaks into the next task; ``InheritableThreadLocal``
      copies values when a thread is created, which in a pool is once, not
      per task; ``ScopedValue`` (preview in JDK 21, final in JDK 25, JEP 506)
      binds an immutable value for a bounded scope and its structured child
      threads, which is the closest match to a context copied per task.

What to look for in an answer:
    Why thread-locals break under asyncio, copy-on-task-creation semantics,
    which APIs copy the context (tasks, ``to_thread``, ``call_soon``, which
    also takes an explicit ``context=``) and which do not (executors, bare
    threads), and the one-line fix. Follow-ups:
    - Why is the task's change not visible to the caller? (The task got a
      copy at creation; ``set`` rebinds in that copy. Return the value, or
      store a mutable holder if sharing is really wanted.)
    - How do you run a callback in the request's context from a thread
      pool? (``ctx = contextvars.copy_context()`` on the loop, then
      ``executor.submit(ctx.run, fn)``; one copy per job.)
    - How would you do it in Go? (Pass ``ctx`` as the first argument; add
      the request ID with ``context.WithValue`` using an unexported key
      type; the logger reads it from ``ctx``. Nothing is implicit.)
    - How do you clean up after a request? (Keep the token from ``set`` and
      ``reset`` it in ``finally``; with tasks the copy is simply dropped
      when the task ends.)
    - What if you ``reset`` a token in another task or callback? (``ValueError``:
      the token was created in a different ``Context``; and a token can be
      used only once, a second ``reset`` raises ``RuntimeError``. Middleware
      that sets in one task and resets in another hits this.)
    - Can you choose the context a task runs in? (Yes, since 3.11:
      ``asyncio.create_task(coro, context=ctx)`` and
      ``TaskGroup.create_task(..., context=ctx)``.)
    - How do frameworks do it? (Starlette/FastAPI run sync endpoints through
      ``anyio.to_thread.run_sync``, which copies the context; structlog's
      ``bind_contextvars`` and OpenTelemetry's context are built on
      ``contextvars``.)
    - Does it work across processes? (No: a ``Context`` cannot be pickled;
      pass the values explicitly.)

Complexity:
    ``copy_context()`` is O(1): CPython keeps a context as an immutable
    mapping (a HAMT, ``Python/hamt.c``), so a copy shares it, and ``get``
    and ``set`` cost at most O(log n) in the number of bound variables.
    That is CPython's implementation (described in PEP 567), not a
    language guarantee, and not measured here.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar, copy_context
from typing import Protocol, TypeVar

__all__ = [
    "ContextVarStore",
    "RequestIdFilter",
    "RequestIdStore",
    "ThreadLocalStore",
    "bound_request_id",
    "handle",
    "map_in_context",
    "request_id",
    "submit_in_context",
    "submit_leaky",
]

T = TypeVar("T")
U = TypeVar("U")

request_id: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdStore(Protocol):
    """Where a handler keeps the current request's ID."""

    def set(self, rid: str) -> None: ...
    def get(self) -> str: ...


class ThreadLocalStore:
    """The pitfall: one slot per thread, so every task on the loop shares it."""

    def __init__(self) -> None:
        self._local = threading.local()

    def set(self, rid: str) -> None:
        """Bind ``rid`` for the current thread (for every task on it)."""
        self._local.rid = rid

    def get(self) -> str:
        """The last ID any task on this thread bound, or ``"-"``."""
        return str(getattr(self._local, "rid", "-"))


class ContextVarStore:
    """The fix: a ``ContextVar``, so each task has its own binding."""

    def __init__(self) -> None:
        self._var: ContextVar[str] = ContextVar("rid", default="-")

    def set(self, rid: str) -> None:
        """Bind ``rid`` in the current context (this task's copy)."""
        self._var.set(rid)

    def get(self) -> str:
        """The ID bound in the current context, or ``"-"``."""
        return self._var.get()


async def handle(store: RequestIdStore, rid: str, gate: asyncio.Event) -> str:
    """A request handler: bind ``rid``, wait for I/O (``gate``), then read the ID back.

    Other tasks run while this one waits, which is when a shared slot is clobbered.
    """
    store.set(rid)
    await gate.wait()
    return store.get()


@contextmanager
def bound_request_id(rid: str) -> Iterator[None]:
    """Bind ``request_id`` to ``rid`` inside the block, then restore the previous value.

    >>> with bound_request_id("req-1"):
    ...     request_id.get()
    'req-1'
    >>> request_id.get()
    '-'
    """
    token = request_id.set(rid)
    try:
        yield
    finally:
        request_id.reset(token)  # break[no-reset]


class RequestIdFilter(logging.Filter):
    """Copy the current ``request_id`` onto each record as ``record.request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Annotate the record; never drops it."""
        record.request_id = request_id.get()
        return True


def submit_leaky(executor: Executor, fn: Callable[[], T]) -> Future[T]:
    """The pitfall: the worker thread runs ``fn`` in its own context, not the caller's."""
    return executor.submit(fn)


def submit_in_context(executor: ThreadPoolExecutor, fn: Callable[[], T]) -> Future[T]:
    """The fix: run ``fn`` in a copy of the caller's context, taken at submit time.

    Thread executors only: a ``Context`` cannot be pickled, so a
    ``ProcessPoolExecutor`` would fail with ``TypeError``.
    """
    ctx = copy_context()
    return executor.submit(ctx.run, fn)  # break[submit-without-copy]  # break[copy-in-the-worker]


def map_in_context(
    executor: ThreadPoolExecutor, fn: Callable[[T], U], items: Iterable[T]
) -> list[U]:
    """Run ``fn(item)`` for each item on ``executor``, each in its own copy of the context.

    Returns one result per item, in the order of ``items``. Thread executors
    only, as for ``submit_in_context``.
    """
    futures = [executor.submit(copy_context().run, fn, x) for x in items]  # break[one-shared-copy]
    return [f.result() for f in futures]
