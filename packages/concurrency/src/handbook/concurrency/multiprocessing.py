"""multiprocessing: what crosses a process boundary, how children start, shared memory, crashes.

Why interviewers ask this:
    Processes are Python's answer to CPU-bound work, and every use of them hits
    the same walls: everything sent to a child is pickled (so lambdas and local
    functions fail), the start method decides what the child inherits
    (``fork`` copies the parent's memory, ``spawn`` starts a fresh interpreter
    that re-imports your module), sharing large data means either copying it
    through a pipe or placing it in shared memory that someone must free, and a
    worker that crashes takes its task with it. Interviewers ask about these
    because each one is a production incident.

Common pitfalls:
    - Passing a lambda or a nested function to a pool: functions pickle by
      name, so pickling fails (``PicklingError``; for a function defined inside
      another one, ``AttributeError`` on 3.11-3.13: "Can't pickle local
      object", worded "Can't get local object" on 3.13). An object
      holding a ``threading.Lock`` raises ``TypeError: cannot pickle
      '_thread.lock' object``; a ``multiprocessing.Lock`` sent as a task
      argument raises ``RuntimeError``: it may only be shared by inheritance.
    - Relying on state the parent set up after import (a configured global, a
      patched function): a ``fork`` child sees it, a ``spawn`` child does not.
      Code that works on Linux then breaks on macOS and Windows (spawn is their
      default) and on Python 3.14, where Linux's default becomes ``forkserver``.
    - Forking a process that runs threads: a lock held by another thread at fork
      time stays locked forever in the child (3.12+ warns about it).
    - Forgetting ``if __name__ == "__main__":`` with spawn: the child imports
      the script as ``__mp_main__``, re-runs its top level, reaches the
      ``start()`` again and raises ``RuntimeError`` ("...before the current
      process has finished its bootstrapping phase"). The child exits with
      status 1 and never runs its target; it starts no children of its own.
      Top-level code runs in every spawned child even *with* the guard.
    - Expecting copy-on-write to keep a forked worker's memory shared: reading
      a Python object writes its reference count, so iterating over a big list
      of objects copies every page they live on, in every worker.
      ``gc.freeze()`` does not prevent that. Raw buffers (``bytes``,
      ``array``, NumPy data) have no per-element header and stay shared.
    - ``SharedMemory`` without ``unlink()``: ``close()`` only detaches this
      process. The block then lives until the creating process's resource
      tracker unlinks it at exit, with a "leaked shared_memory objects"
      warning. A block no tracker knows about (``track=False``) stays in
      ``/dev/shm`` until someone unlinks it or the machine reboots.
    - Attaching to a block by name from a process multiprocessing did not start
      (another program, a ``subprocess``): the attach registers the block with
      *that* process's tracker, which unlinks it when that process exits; the
      owner's block vanishes and its own ``unlink()`` raises
      ``FileNotFoundError``. The default does this on 3.11, 3.12 and 3.13;
      3.13 adds ``SharedMemory(name, track=False)`` to opt out (``TypeError``
      before 3.13), and on any version the attacher can call
      ``resource_tracker.unregister(block._name, "shared_memory")``.
    - Mapping many tiny items with ``Pool.imap`` or ``ProcessPoolExecutor.map``
      at their default ``chunksize`` of 1: one pickled message per item.
      (``Pool.map`` picks ``ceil(n / (4 * workers))`` by itself.)
    - ``with Pool() as pool:`` calls ``terminate()`` on exit, killing unfinished
      work; call ``close()`` and ``join()`` to let it finish.

Key takeaways:
    - Send module-level functions, ``functools.partial`` of them, and plain data.
    - Choose the start method explicitly with ``get_context("spawn")`` (safe,
      portable, slow to start) or ``get_context("fork")`` (fast, Unix-only, only
      before any thread exists); never rely on the platform default.
    - Large data: ``multiprocessing.shared_memory.SharedMemory`` by name; one
      owner creates and unlinks, everyone closes.
    - A pool sends the function and one chunk of items per message:
      ``chunksize`` trades fewer messages against coarser load balancing.
    - A worker killed mid-task (segfault, OOM killer): ``Pool`` replaces the
      worker and silently loses the task, so ``AsyncResult.get()`` without a
      timeout waits forever. ``ProcessPoolExecutor`` marks itself broken: that
      future and every later ``submit`` raise ``BrokenProcessPool``.
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
      plus ``np.ndarray(buffer=shm.buf)``, or a memory-mapped file; a forked
      copy of a list of Python floats would be copied page by page as soon as
      the workers read it.)
    - What happens to a ``Pool`` task whose worker segfaults? (It is lost; the
      pool starts a replacement and the caller's ``get()`` hangs unless it has
      a timeout. ``ProcessPoolExecutor`` raises ``BrokenProcessPool`` instead;
      either way, make tasks idempotent and retry them.)
    - A pre-fork web server's workers grow to the parent's size over time
      although they never write to the shared data. Why? (Reference counts and
      the collector write to every object touched. ``gc.freeze()`` before
      forking keeps the collector off those objects; refcount writes remain.)

Complexity:
    Sending data costs O(size) to pickle and copy; ``SharedMemory`` costs O(1)
    per access after creation. ``fork`` copies the page tables (its cost grows
    with the parent's memory); ``spawn`` starts an interpreter and re-imports
    the main module. ``map`` over ``n`` items sends ``ceil(n / chunksize)``
    messages.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import shared_memory
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Literal

__all__ = [
    "POOL_TASK",
    "SETTING",
    "CountingTask",
    "ScriptRun",
    "attach_from_unrelated_process",
    "bytes_copied_by_reading",
    "context_for",
    "executor_after_worker_dies",
    "leak_from_fresh_process",
    "messages_sent",
    "pickle_error",
    "pool_after_worker_dies",
    "pool_map",
    "run_spawn_script",
    "scale",
    "setting_seen_by_child",
    "spawn_script",
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
    except (pickle.PicklingError, AttributeError, TypeError, RuntimeError) as exc:
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


# The main-module guard. A script is run as its own program, as a user would.

_SPAWN_SCRIPT = """\
import multiprocessing
import sys

print(f"top level ran as {__name__}", file=sys.stderr, flush=True)


def work():
    print("work ran", flush=True)


def main():
    child = multiprocessing.get_context("spawn").Process(target=work)
    child.start()
    child.join(60)
    print(f"child exit code {child.exitcode}", flush=True)


"""


_GUARDED_CALL = 'if __name__ == "__main__":\n    main()\n'
_UNGUARDED_CALL = "main()\n"


def spawn_script(guarded: bool) -> str:
    """A script that starts one spawned child, with or without the ``__main__`` guard."""
    if guarded:
        return _SPAWN_SCRIPT + _GUARDED_CALL  # break[no-main-guard]
    return _SPAWN_SCRIPT + _UNGUARDED_CALL


@dataclass(frozen=True)
class ScriptRun:
    """How a Python program run by :func:`run_spawn_script` ended."""

    returncode: int
    stdout: list[str]
    stderr: str


def _run_python(args: Sequence[str], timeout: float) -> subprocess.CompletedProcess[str]:
    # -I ignores PYTHON* variables (PYTHONWARNINGS=error would silence the
    # resource tracker's warning) and -S skips site-packages: a hermetic, faster
    # start. multiprocessing passes both flags on to the children it starts.
    return subprocess.run(
        [sys.executable, "-I", "-S", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_spawn_script(guarded: bool, directory: Path, timeout: float = 60.0) -> ScriptRun:
    """Write :func:`spawn_script` to ``directory`` and run it as a program."""
    if not directory.is_dir():
        raise NotADirectoryError(f"not a directory: {directory}")
    script = directory / "spawn_one_child.py"
    script.write_text(spawn_script(guarded), encoding="utf-8")
    done = _run_python([str(script)], timeout)
    return ScriptRun(done.returncode, done.stdout.splitlines(), done.stderr)


# Shared memory.


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


def leak_from_fresh_process(track: bool = True, timeout: float = 60.0) -> tuple[str, str]:
    """A separate Python program creates a block and exits without ``unlink()``.

    Returns (the block's name, the program's stderr). ``subprocess.run`` returns
    only once stderr is closed by every holder, the program's resource tracker
    included, so the tracker has finished its clean-up by then. ``track=False``
    (3.13+) creates the block untracked; before 3.13 the program then fails
    and this raises ``RuntimeError`` with its error.
    """
    untracked = "" if track else ", track=False"
    code = (
        "from multiprocessing import shared_memory\n"
        f"block = shared_memory.SharedMemory(create=True, size=16{untracked})\n"
        "print(block.name)\n"
        "block.close()\n"
    )
    done = _run_python(["-c", code], timeout)
    if done.returncode != 0:
        raise RuntimeError(f"the leaking program failed: {done.stderr}")
    return done.stdout.strip(), done.stderr


AttachMode = Literal["default", "unregister", "untracked"]
_FORGET_BLOCK = 'resource_tracker.unregister(block._name, "shared_memory")'


def attach_from_unrelated_process(
    name: str, mode: AttachMode = "default", timeout: float = 60.0
) -> subprocess.CompletedProcess[str]:
    """A program multiprocessing did not start attaches to block ``name``, closes it, exits.

    ``mode``: ``"default"`` attaches plainly; ``"unregister"`` then tells its
    resource tracker to forget the block; ``"untracked"`` passes
    ``track=False`` (3.13+; a ``TypeError`` in the program before that).
    """
    lines = ["from multiprocessing import resource_tracker, shared_memory"]
    if mode == "default":
        lines.append(f"block = shared_memory.SharedMemory(name={name!r})")
    elif mode == "unregister":
        lines.append(f"block = shared_memory.SharedMemory(name={name!r})")
        lines.append(_FORGET_BLOCK)  # break[no-unregister]
    elif mode == "untracked":
        lines.append(f"block = shared_memory.SharedMemory(name={name!r}, track=False)")
    else:
        raise ValueError(f"mode must be 'default', 'unregister' or 'untracked', got {mode!r}")
    lines.append("block.close()")
    return _run_python(["-c", "\n".join(lines)], timeout)


# Copy-on-write after fork (Linux: /proc/self/smaps_rollup, Linux 4.14+).


def _private_dirty_bytes() -> int:
    """Memory this process has written since it was forked, or was never shared."""
    with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            if line.startswith("Private_Dirty:"):
                return int(line.split()[1]) * 1024  # the file reports kB
    raise RuntimeError("no Private_Dirty line in /proc/self/smaps_rollup")


def _read_everything(data: Iterable[object], conn: Connection) -> None:
    """Child body: read every element of ``data``; report how much memory that copied."""
    before = _private_dirty_bytes()
    for _ in data:  # break[no-reading]
        pass
    conn.send(_private_dirty_bytes() - before)
    conn.close()


def bytes_copied_by_reading(
    data: Iterable[object], context: BaseContext, *, freeze: bool = False, timeout: float = 60.0
) -> int:
    """Fork a child that only *reads* ``data``; return the bytes of memory that copied.

    ``data`` reaches the child by fork, never by pickle. With ``freeze`` the
    parent calls ``gc.freeze()`` before forking (and ``gc.unfreeze()`` after).
    """
    if context.get_start_method() != "fork":
        raise ValueError("copy-on-write needs the 'fork' start method")
    if not os.path.exists("/proc/self/smaps_rollup"):
        raise OSError("needs Linux's /proc/self/smaps_rollup (Linux 4.14+)")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_read_everything, args=(data, sender))  # type: ignore[attr-defined]
    if freeze:
        gc.freeze()
    try:
        child.start()
    finally:
        if freeze:
            gc.unfreeze()
        sender.close()
    try:
        if not receiver.poll(timeout):
            raise TimeoutError("the reading child never reported")
        copied: int = receiver.recv()
    finally:
        receiver.close()
        child.join(timeout)
        if child.is_alive():
            child.terminate()
            child.join()
    return copied


# Pools: chunks, and workers that die.


class CountingTask:
    """Squares its argument, and counts how often it is pickled: once per message a pool sends.

    Pickling happens in the parent, so the count is the parent's; each worker
    gets a fresh copy (``__reduce__`` rebuilds it with a zero count).
    """

    def __init__(self) -> None:
        self.pickled = 0

    def __reduce__(self) -> tuple[type[CountingTask], tuple[()]]:
        self.pickled += 1
        return (CountingTask, ())

    def __call__(self, x: int) -> int:
        return x * x


Api = Literal["Pool.map", "Pool.imap", "ProcessPoolExecutor.map"]


def messages_sent(
    n: int, context: BaseContext, api: Api, chunksize: int | None = None, processes: int = 2
) -> int:
    """Square ``range(n)`` with ``api``; return how many task messages carried the work.

    ``chunksize=None`` uses the API's own default.
    """
    if n < 1 or processes < 1:
        raise ValueError(f"n and processes must be >= 1, got n={n}, processes={processes}")
    task = CountingTask()
    options: dict[str, int] = {}
    if chunksize is not None:
        options = {"chunksize": chunksize}  # break[chunksize-ignored]
    if api == "ProcessPoolExecutor.map":
        with ProcessPoolExecutor(processes, mp_context=context) as executor:
            results = list(executor.map(task, range(n), **options))
    elif api in ("Pool.map", "Pool.imap"):
        pool = context.Pool(processes)
        try:
            call = pool.map if api == "Pool.map" else pool.imap
            results = list(call(task, range(n), **options))
        finally:
            pool.close()
            pool.join()
    else:
        raise ValueError(f"unknown api {api!r}")
    if results != [x * x for x in range(n)]:
        raise AssertionError("the pool returned wrong results")
    return task.pickled


def _crash() -> None:
    """Die the way a segfault or the OOM killer ends a worker: by a signal, mid-task."""
    os.kill(os.getpid(), signal.SIGKILL)  # break[no-crash]


@dataclass(frozen=True)
class PoolAfterCrash:
    """What :func:`pool_after_worker_dies` saw."""

    next_result: int
    lost_task_ready: bool
    get_timed_out: bool


def pool_after_worker_dies(context: BaseContext, timeout: float = 60.0) -> PoolAfterCrash:
    """One worker; its first task kills it; then ask for a second task and the first result.

    The second task can only run on the replacement worker, after the first
    task was taken, so once it has finished the first task is lost for good:
    ``Pool`` never re-runs it and never reports it.
    """
    pool = context.Pool(1)
    try:
        lost = pool.apply_async(_crash)
        next_result: int = pool.apply_async(square, (3,)).get(timeout)
        ready = lost.ready()
        try:
            # A bound on a wait that would otherwise never end: get() with no timeout hangs.
            lost.get(timeout=0.05)
        except multiprocessing.TimeoutError:
            timed_out = True
        else:
            timed_out = False
    finally:
        pool.terminate()
        pool.join()
    return PoolAfterCrash(next_result, ready, timed_out)


def executor_after_worker_dies(context: BaseContext, timeout: float = 60.0) -> tuple[str, str]:
    """A ``ProcessPoolExecutor`` worker dies mid-task: what its future and a new submit raise."""

    def outcome(action: Callable[[], object]) -> str:
        try:
            action()
        except BrokenProcessPool as exc:
            return type(exc).__name__
        return "no error"

    with ProcessPoolExecutor(1, mp_context=context) as executor:
        crashed = executor.submit(_crash)
        first = outcome(lambda: crashed.result(timeout))
        later = outcome(lambda: executor.submit(square, 3).result(timeout))
    return first, later


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
