"""Subinterpreters and PEP 684's per-interpreter GIL; what the 3.13t free-threaded build changes.

Why interviewers ask this:
    "Is the GIL going away?" now has two answers. PEP 684 (3.12) lets a
    subinterpreter have its own GIL: isolated interpreters in one process run
    Python in parallel and share no mutable objects (only immortal, statically
    allocated ones such as ``None``). PEP 703 (3.13, the optional
    ``python3.13t`` build) removes the GIL for threads. Interviewers want the
    difference: isolation (share nothing, like processes, but in one address
    space) versus shared memory (threads, now truly parallel, so locks
    matter). Detecting the build and writing lock-correct code is the
    concurrency lesson ``free_threading``; this one is about interpreters.

Common pitfalls:
    - Expecting a subinterpreter to see your modules or globals: it has its own
      ``sys.modules``, its own ``sys`` and ``__main__``; a module-level change
      in one is invisible in the other.
    - Passing arbitrary objects across: only "shareable" values cross
      (``int``, ``str``, ``bytes``, ``None`` everywhere; ``float``, ``bool``,
      ``tuple`` and ``memoryview`` only from 3.13; never ``list``, ``dict`` or
      ``bytearray``). ``is_shareable`` looks at the type only: on 3.13
      ``(1, [])`` passes it and then fails to cross, and an ``int`` beyond a
      machine word passes it and fails with ``OverflowError``.
    - Relying on the private modules: ``_xxsubinterpreters`` (3.11, 3.12;
      ``run_string`` raises ``RunFailedError``) and ``_interpreters`` (3.13;
      ``run_string`` *returns* an error summary instead). Their APIs changed
      in each release. 3.14 adds the public ``concurrent.interpreters``
      (PEP 734).
    - Expecting every extension module to load: an isolated interpreter
      refuses single-phase-init modules and modules whose
      ``Py_mod_multiple_interpreters`` slot (PEP 489 slot, new in 3.12) does
      not say ``Py_MOD_PER_INTERPRETER_GIL_SUPPORTED``: ``ImportError: module
      X does not support loading in subinterpreters``. On 3.12 that includes
      the stdlib's own ``_datetime`` (``datetime`` falls back to pure Python);
      3.13 converted it.
    - Forking from an isolated subinterpreter: refused with ``RuntimeError``;
      so is ``os.exec*`` from 3.12, while on 3.11 it replaces the whole
      process, every interpreter included.
    - Forgetting ``destroy``: on 3.13 ``_interpreters.create()`` returns a
      plain ``int`` and the interpreter lives until destroyed; on 3.11/3.12
      dropping the last ``InterpreterID`` object destroyed it implicitly.
    - Waiting for the code to finish before reading its pipe: ``run_string``
      returns only when the code is done, and a writer blocks once the pipe
      holds 64 KiB (the Linux default), so the two wait for each other.
      ``run_in_subinterpreter`` drains the pipe from a thread meanwhile.

Key takeaways:
    - PEP 684 (3.12): an interpreter created "isolated" gets its own GIL and
      its own allocator state; from C, ``Py_NewInterpreterFromConfig`` with
      ``PyInterpreterConfig_OWN_GIL``. On 3.13 the private
      ``_interpreters.new_config("isolated").gil`` is ``"own"`` (the default
      for ``create()``) and the ``"legacy"`` config's is ``"shared"``.
    - Isolation is the price: extension modules must opt in (multi-phase init
      plus the per-interpreter-GIL slot), and interpreters talk by copying
      shareable data, through OS resources (here a pipe's fd, which is
      process-wide) or, from 3.13, through a shared ``memoryview``: the
      receiver sees the sender's buffer itself, not a copy.
    - Immortal objects (PEP 683, 3.12) are what lets interpreters share
      ``None``, ``True``, small ints and the one-character strings: their
      reference count is never written. Interned strings became immortal in
      3.12 (until 3.12.6); 3.13's GIL build (and 3.12.7, gh-113993) interns
      mortal again by default (``sys.intern``,
      string constants in code), keeping immortal the statically allocated
      strings and those the runtime interns as immortal on purpose (the
      names in a code object's ``co_names``), while 3.13t makes every
      interned string immortal. In 3.11 every count moves.
    - PEP 703 (3.13t) changes the runtime for threads, not interpreters:
      biased reference counting (the owning thread counts without atomics,
      others use a shared atomic count), more immortal objects (every
      interned string), deferred refcounting for some (top-level functions,
      modules), per-object locks inside ``list``/``dict``, a thread-safe
      allocator (mimalloc). ``PYTHON_GIL=0`` or ``-X gil=0`` forces the GIL off, ``1``
      on; on a GIL build of 3.13 ``PYTHON_GIL=0`` is a fatal startup error,
      while 3.11 and 3.12 ignore the variable.
    - Go has no equivalent of subinterpreters (goroutines share memory);
      isolated interpreters resemble JavaScript workers, or Erlang processes
      in the share-nothing model (an Erlang process is far lighter).

What to look for in an answer:
    A strong candidate separates the two PEPs (per-interpreter GIL: parallel,
    share-nothing; free threading: parallel, shared memory), knows
    subinterpreters have existed in the C API for decades but shared one GIL
    until 3.12, and that the Python-level API is private until 3.14.
    Follow-ups:
    - Why not just use processes? (Not for start-up speed. Measured with
      ``compare_startup_costs`` (medians of 20, three runs on each of 3.11,
      3.12 and 3.13, a 2-CPU Linux container shared with other jobs, so read
      the order, not the digits): create+destroy of an interpreter 8-17 ms,
      ``fork`` + ``waitpid`` of the small parent 1.4-14 ms (mostly under
      5), a fresh ``python -c pass`` 16-27 ms, a thread about 0.1 ms. An
      interpreter costs a little less than a spawned process, because it
      too sets up ``sys`` and re-imports what it needs. The gains are one address
      space (no pickling through a pipe; a ``memoryview`` can cross), no
      fork-with-threads hazards and one process to manage; processes
      isolate crashes (a segfault kills every interpreter) and need no
      extension support.)
    - What is immortalisation for? (Refcount writes to shared objects like
      ``None`` would be cache-line contention across cores and races between
      interpreters; an immortal object's count is never written.)
    - Why biased refcounting? (Most objects are used by one thread; its
      non-atomic increments stay cheap, only other threads pay for atomics.)
    - Which extension modules load in an isolated interpreter? (Multi-phase
      init, state in the module object instead of C globals, and the slot
      set to ``Py_MOD_PER_INTERPRETER_GIL_SUPPORTED``. Without the slot the
      default, ``Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED``, is enough only for
      legacy shared-GIL subinterpreters. The others raise ``ImportError``
      unless the interpreter's config turns ``check_multi_interp_extensions``
      off.)

Complexity:
    Creating an interpreter costs a fresh ``sys``/``builtins`` setup and
    importing whatever it needs again: about a hundred times a thread and a
    little less than spawning a new process (measured above; a fork of a
    small parent is cheaper, and a fork's cost grows with the parent's
    memory).
"""

from __future__ import annotations

import importlib
import os
import statistics
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable
from types import ModuleType

__all__ = [
    "SubinterpreterError",
    "compare_startup_costs",
    "interpreters_module",
    "interpreters_module_name",
    "run_in_subinterpreter",
]


class SubinterpreterError(Exception):
    """Code run in a subinterpreter raised; the message says what."""


def interpreters_module_name() -> str:
    """The private subinterpreter module this CPython offers (3.11-3.13 all have one).

    >>> interpreters_module_name() in {"_interpreters", "_xxsubinterpreters"}
    True
    """
    new = sys.version_info >= (3, 13)  # renamed in 3.13
    return "_interpreters" if new else "_xxsubinterpreters"  # break[public-name-too-early]


def interpreters_module() -> ModuleType:
    """Import the private module (raises ImportError where there is none)."""
    return importlib.import_module(interpreters_module_name())


def _read_until_eof(fd: int, chunks: list[bytes]) -> None:
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)


def run_in_subinterpreter(code: str) -> str:
    """Run ``code`` in a fresh isolated subinterpreter; return what it passed to ``emit``.

    ``emit(text)`` writes to a pipe: fds are process-wide, objects are not.
    A thread of this interpreter reads the pipe while the code runs, so
    output larger than the pipe's buffer cannot block the writer.

    >>> run_in_subinterpreter("emit(__name__)")
    '__main__'

    Raises SubinterpreterError if the code raises.
    """
    interp = interpreters_module()
    run_failed: type[BaseException] | tuple[()] = getattr(interp, "RunFailedError", ())
    read_fd, write_fd = os.pipe()
    prelude = f"import os as _os\ndef emit(text):\n    _os.write({write_fd}, str(text).encode())\n"
    chunks: list[bytes] = []
    # Daemon: if a bug ever kept the write end open, the reader must not also
    # keep the process from exiting.
    reader = threading.Thread(target=_read_until_eof, args=(read_fd, chunks), daemon=True)
    reader.start()  # break[read-after-run]
    iid = interp.create()
    try:
        try:
            failure = interp.run_string(iid, prelude + code)
        except run_failed as exc:  # 3.11, 3.12 raise
            raise SubinterpreterError(str(exc)) from None
        if failure is not None:  # 3.13 returns a summary of the exception
            raise SubinterpreterError(failure.formatted)
    finally:
        interp.destroy(iid)
        # The only write end: once closed, the reader sees end-of-file.
        os.close(write_fd)  # break[keep-write-end]
        reader.join()
        os.close(read_fd)
    return b"".join(chunks).decode()


def _create_and_destroy_interpreter() -> None:
    interp = interpreters_module()
    interp.destroy(interp.create())


def _fork_and_wait() -> None:
    # 3.12+ warns when forking with other threads alive, since a lock one of
    # them holds stays locked in the child; this child only calls os._exit.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def _spawn_python() -> None:
    subprocess.run([sys.executable, "-c", "pass"], check=True)


def _start_and_join_thread() -> None:
    thread = threading.Thread(target=lambda: None)
    thread.start()
    thread.join()


def compare_startup_costs(
    runs: int = 20, clock: Callable[[], float] = time.perf_counter
) -> dict[str, float]:
    """Median milliseconds to create and end an interpreter, a fork, a new process, a thread.

    A measurement to run by hand (``python -m
    handbook.internals.free_threading_subinterpreters``); the tests check
    only its shape, never the times. The forked child only exits, so forking
    is safe even with other threads running.
    """
    ways: dict[str, Callable[[], None]] = {
        "interpreter": _create_and_destroy_interpreter,
        "fork": _fork_and_wait,
        "spawn": _spawn_python,
        "thread": _start_and_join_thread,
    }
    medians = {}
    for name, way in ways.items():
        times = []
        for _ in range(runs):
            start = clock()
            way()
            times.append((clock() - start) * 1000)
        medians[name] = statistics.median(times)
    return medians


if __name__ == "__main__":
    for name, ms in compare_startup_costs().items():
        print(f"{name:<12} {ms:8.2f} ms")
