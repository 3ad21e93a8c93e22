"""multiprocessing: what crosses a process boundary, how children start, and shared memory.

Why interviewers ask this:
    Processes are Python's answer to CPU-bound work, and every use of them hits
    the same three walls: everything sent to a child is pickled (so lambdas and
    local functions fail), the start method decides what the child inherits
    (``fork`` copies the parent's memory, ``spawn`` starts a fresh interpreter
    that re-imports your module), and sharing large data means either copying it
    through a pipe or placing it in shared memory that someone must free.
    Interviewers ask about these because each one is a production incident.

Common pitfalls:
    - Passing a lambda, a nested function or an object holding a lock to a
      pool: ``PicklingError`` / ``AttributeError: Can't pickle local object``.
    - Relying on state the parent set up after import (a configured global, a
      patched function): a ``fork`` child sees it, a ``spawn`` child does not.
      Code that works on Linux then breaks on macOS and Windows (spawn is their
      default) and on Python 3.14, where Linux's default becomes ``forkserver``.
    - Forking a process that runs threads: a lock held by another thread at fork
      time stays locked forever in the child (3.12+ warns about it).
    - Forgetting ``if __name__ == "__main__":`` with spawn: each child re-runs
      the script's top level and starts children of its own.
    - ``SharedMemory`` without ``unlink()``: the block outlives every process
      (``close`` detaches this process only; ``unlink`` destroys the block).
    - ``with Pool() as pool:`` calls ``terminate()`` on exit, killing unfinished
      work; call ``close()`` and ``join()`` to let it finish.

Key takeaways:
    - Send module-level functions, ``functools.partial`` of them, and plain data.
    - Choose the start method explicitly with ``get_context("spawn")`` (safe,
      portable, slow to start) or ``get_context("fork")`` (fast, Unix-only, only
      before any thread exists); never rely on the platform default.
    - Large data: ``multiprocessing.shared_memory.SharedMemory`` by name; one
      owner creates and unlinks, everyone closes.
    - Go and Java have no equivalent split: their threads already run on all
      cores. The nearest analogue is running separate worker binaries.

What to look for in an answer:
    A strong answer says what is pickled (the function by name, the arguments
    by value, the result on the way back), knows the three start methods and
    which is default where, keeps the process count near the core count, and
    frees shared resources deterministically. Follow-ups:
    - Why is ``spawn`` slower than ``fork``, and why is it still the safer
      default? (New interpreter and imports versus a copy-on-write clone that
      inherits held locks and threads that no longer exist.)
    - How would you share a 1 GB NumPy array with workers? (``SharedMemory``
      plus ``np.ndarray(buffer=shm.buf)``, or a memory-mapped file.)
    - What happens to a ``Pool`` task whose worker segfaults?

Complexity:
    Sending data costs O(size) to pickle and copy; ``SharedMemory`` costs O(1)
    per access after creation. Starting a process costs milliseconds with
    ``fork`` and a fresh interpreter start with ``spawn``.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable, Iterable
from multiprocessing import shared_memory
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext

__all__ = [
    "POOL_TASK",
    "SETTING",
    "context_for",
    "pickle_error",
    "pool_map",
    "scale",
    "setting_seen_by_child",
    "square",
    "write_in_child",
]

SETTING = {"mode": "as imported"}
"""Module state a parent changes at run time: does a child see the change?"""


def square(x: int) -> int:
    """A module-level function: pickled by its qualified name, so children can run it.

    >>> square(3)
    9
    """
    return x * x


POOL_TASK: Callable[[int], int] = square  # break[lambda-task]
"""What :func:`pool_map` runs in its workers: a module-level function, pickled by name."""


def scale(x: int, factor: int) -> int:
    """Multiply; ``functools.partial(scale, factor=3)`` pickles as (function, args).

    >>> import functools
    >>> functools.partial(scale, factor=3)(2)
    6
    """
    return x * factor


def pickle_error(obj: object) -> str | None:
    """The name of the exception pickling ``obj`` raises, or None if it pickles.

    >>> pickle_error(square), pickle_error(lambda: 0)
    (None, 'PicklingError')
    """
    try:
        pickle.dumps(obj)
    except (pickle.PicklingError, AttributeError, TypeError) as exc:
        return type(exc).__name__
    return None


def context_for(method: str) -> BaseContext:
    """A context for start ``method``, with a clear error if this platform lacks it.

    >>> context_for("spawn").get_start_method()
    'spawn'
    """
    available = multiprocessing.get_all_start_methods()
    if method not in available:
        raise ValueError(f"start method {method!r} is not available here; choose from {available}")
    return multiprocessing.get_context(method)


def _report_setting(conn: Connection) -> None:
    """Child body: send back what this process sees in ``SETTING``."""
    conn.send(SETTING["mode"])
    conn.close()


def setting_seen_by_child(context: BaseContext, timeout: float = 60.0) -> str:
    """Change ``SETTING`` in the parent, start a child, return the value the child sees.

    ``fork`` clones the parent's memory, change included. ``spawn`` starts a new
    interpreter that imports this module afresh and sees ``"as imported"``.
    """
    previous = SETTING["mode"]
    SETTING["mode"] = "changed in parent"
    receiver, sender = context.Pipe(duplex=False)
    # typeshed declares Process only on the concrete context classes, not BaseContext.
    child = context.Process(target=_report_setting, args=(sender,))  # type: ignore[attr-defined]
    try:
        child.start()
    finally:
        SETTING["mode"] = previous  # fork has copied it by now; spawn never reads ours
        sender.close()  # the child has its own end; ours would hide a child that died
    try:
        if not receiver.poll(timeout):
            raise TimeoutError("the child never reported")
        seen: str = receiver.recv()
    except EOFError:
        raise RuntimeError("the child exited without reporting") from None
    finally:
        receiver.close()
        child.join(timeout)
        if child.is_alive():
            child.terminate()
            child.join()
    return seen


def _buffer(block: shared_memory.SharedMemory) -> memoryview:
    """The block's memory; typeshed allows None because ``close()`` drops it."""
    if block.buf is None:
        raise ValueError(f"shared block {block.name!r} is already closed")
    return block.buf


def _write_bytes(name: str, data: bytes) -> None:
    """Child body: attach to the block by name, write ``data`` at the start, detach."""
    block = shared_memory.SharedMemory(name=name)
    try:
        _buffer(block)[: len(data)] = data
    finally:
        block.close()


def write_in_child(data: bytes, context: BaseContext, timeout: float = 60.0) -> tuple[bytes, str]:
    """A child writes ``data`` into a new shared block; return (what the parent reads, name).

    The parent owns the block: it creates it, and closes *and unlinks* it in a
    ``finally``, so the block is gone when this returns, even on error.
    """
    if not data:
        raise ValueError("data must not be empty: a shared block needs at least one byte")
    block = shared_memory.SharedMemory(create=True, size=len(data))
    try:
        child = context.Process(  # type: ignore[attr-defined]
            target=_write_bytes, args=(block.name, data)
        )
        child.start()
        child.join(timeout)
        if child.is_alive():
            child.terminate()
            child.join()
            raise TimeoutError("the writer did not finish")
        if child.exitcode != 0:
            raise RuntimeError(f"the writer failed with exit code {child.exitcode}")
        seen = bytes(_buffer(block)[: len(data)])
    finally:
        block.close()
        block.unlink()  # break[no-unlink]
    return seen, block.name


def pool_map(values: Iterable[int], context: BaseContext, processes: int = 2) -> list[int]:
    """Apply :data:`POOL_TASK` to ``values`` in a pool of ``processes`` workers, in order.

    ``close`` then ``join`` lets the workers finish and exit cleanly, where the
    pool's ``with`` block would ``terminate`` them.
    """
    if processes < 1:
        raise ValueError(f"processes must be >= 1, got {processes}")
    pool = context.Pool(processes)
    try:
        return pool.map(POOL_TASK, values)
    finally:
        pool.close()
        pool.join()
