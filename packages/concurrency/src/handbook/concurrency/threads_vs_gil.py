"""Threads, the GIL and processes: which work gets faster with which tool, and why.

Why interviewers ask this:
    "Will adding threads speed this up?" has a different answer for CPU-bound and
    I/O-bound work, and the reason is the GIL. Interviewers want the mechanism,
    not the slogan: only one thread runs Python bytecode at a time; a thread
    that has waited one switch interval (5 ms by default) for the GIL asks the
    holder to let go, and the holder does at its next eval-breaker check; and
    the standard library's blocking calls (socket, file, sleep, lock wait)
    release the GIL while they block. So threads overlap waiting, and C code
    that releases the GIL, but never Python bytecode; processes, each with its
    own interpreter and GIL, run bytecode in parallel at the price of start-up
    cost and pickled messages.

Common pitfalls:
    - Adding threads to a CPU-bound loop and expecting a speed-up: the threads
      take turns running bytecode, never two at once, so the work takes at
      least as long as one thread doing all of it.
    - Concluding "threads are useless in Python": a thread blocked on a socket
      holds no GIL, so a hundred threads can each wait on their own request.
    - Measuring with wall-clock thresholds in a test. A loaded machine makes any
      threshold flaky, and CPU time / wall time too: threads that run in
      parallel still show a ratio below 1 when other processes take the
      cores. Count what overlaps, or force the hand-off, instead.
    - Forgetting the C side: C code that releases the GIL lets threads
      compute in parallel. ``zlib.compress`` releases it on every call; many
      NumPy operations do (NumPy's thread-safety page says so); ``hashlib``
      only for an input of at least 2 KiB (``HASHLIB_GIL_MINSIZE``, 2048
      bytes, in CPython's ``Modules/hashlib.h``; a hash object that has once
      been updated with that much keeps releasing it on every later
      ``update``). Pure Python never does.
    - Assuming it stays this way: free-threaded CPython (3.13t) has no GIL, and
      then CPU-bound threads do run in parallel (and races become more common).

Key takeaways:
    - CPU-bound pure Python: use processes (``ProcessPoolExecutor``,
      ``multiprocessing``). Threads never run it at the same time: with the
      switch interval raised so that nobody asks the running thread to let
      go, a second CPU-bound thread starts its loop only after the first has
      finished its own, while work that releases the GIL (hashing 1 MiB
      buffers) does overlap. (CPU time / wall time near 1 for threads and near the
      core count for processes is what an idle machine shows; a busy one
      shows less of both, so it is a demonstration, not a proof.)
    - I/O-bound: threads (or ``asyncio``) work well; every thread can be inside
      its blocking call at the same time, because the call releases the GIL.
    - The GIL changes hands at blocking calls, around C code that releases
      it, and on a switch request, which a thread makes only after it has
      waited ``sys.getswitchinterval()`` seconds for the GIL (``take_gil`` in
      CPython's ``Python/ceval_gil.c``); a thread nobody waits for is never
      asked to stop. Between those, one thread has the interpreter to
      itself. Once a request is pending, the holder's next release of any
      kind hands the GIL over for sure: it waits until another thread has it
      (``FORCE_SWITCHING``). That makes "does this C call release the GIL?"
      a yes/no question a test can answer: a loop of calls that hold it
      lets the waiting thread in only once the loop is over, one that
      releases it lets it in before. A spinning process starves nobody.
    - Go: goroutines run on all cores (``GOMAXPROCS``); Java threads run in
      parallel too. Python's equivalent of "use all cores" is processes.

What to look for in an answer:
    A strong answer separates CPU-bound from I/O-bound, explains the GIL as
    "one thread runs bytecode at a time; it is released on blocking calls and
    in C code that opts out, and handed over when another thread has waited a
    switch interval", picks processes for CPU work and threads or asyncio for
    I/O, and mentions what processes cost (start-up, pickling, memory).
    Follow-ups:
    - Why can a C extension make threads scale? (It releases the GIL around
      work that touches no Python objects. Ask which calls do: hashlib, for
      one, only from 2 KiB of input.)
    - How would you prove the GIL serializes threads without a stopwatch?
      (Raise the switch interval and watch a spinning thread lock every other
      thread out, or watch a second CPU-bound thread start only after the
      first is done. CPU time against wall time only suggests it.)
    - What is the convoy effect? (An I/O thread releases the GIL for every
      blocking call; a CPU-bound thread next to it takes the GIL meanwhile,
      and when the call returns the I/O thread must get it back. It waits a
      switch interval before it may even ask (the CPU-bound thread runs on
      meanwhile), and behind a C call that holds the GIL it waits until that
      call is over. Many short blocking calls each pay up to that wait.)
    - Can one process run Python on several cores without free threading?
      (Several interpreters, each with its own GIL: PEP 684 made that possible
      in 3.12, from the C API only; 3.14 adds ``concurrent.interpreters``
      (PEP 734) and ``concurrent.futures.InterpreterPoolExecutor``. Objects
      are not shared between interpreters; data is passed across.)
    - ``fork``, ``spawn`` or ``forkserver``? (``fork`` copies only the
      calling thread; a lock another thread held at that moment stays held
      in the child forever, so forking a process that has threads can
      deadlock, and since 3.12 ``os.fork`` warns with a
      ``DeprecationWarning`` when the process has other threads. ``spawn``
      starts a fresh interpreter and is the default on Windows and macOS;
      3.14 makes ``forkserver`` the default on Linux.)
    - Why does ``ProcessPoolExecutor().submit(lambda: 1)`` fail? (The call
      and its arguments are pickled to reach the worker, whatever the start
      method, and pickle stores a function by its importable name, which a
      lambda or a nested function does not have: the future raises
      ``PicklingError``, or ``AttributeError`` ("local object") for one
      defined inside a function. Use a module-level function.)
    - What does free-threading (PEP 703) change, and what does it not? (A
      separate build, ``python3.13t``, experimental in 3.13, runs without the
      GIL: CPU-bound threads run bytecode on several cores at once, and
      builtins such as ``list`` and ``dict`` lock per object so the
      interpreter stays consistent. It does not fix races in your code:
      check-then-act and ``+=`` were already wrong and now fail more often.
      C extensions must declare that they support it, otherwise importing one
      turns the GIL back on, and the CPython docs warn of a substantial
      single-threaded slowdown in 3.13. See ``concurrency.free_threading``.)

Complexity:
    ``n`` CPU-bound threads take about ``n`` times one thread's time (one core);
    ``n`` processes on ``c`` cores about ``n / min(n, c)`` times plus start-up.
    ``n`` I/O-bound threads waiting on replies take about one reply's time.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import operator
import select
import socket
import sys
import threading
import time
import types
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain
from multiprocessing.context import BaseContext
from typing import Any

__all__ = [
    "HASHLIB_GIL_MINSIZE",
    "CpuUse",
    "HandOff",
    "SpinResult",
    "burn",
    "concurrent_requests",
    "cpu_bound_overlap",
    "gil_enabled",
    "gil_handed_over",
    "hash_chunks",
    "measure_processes",
    "measure_threads",
    "spin",
    "spin_in_process",
    "spin_in_thread",
]


HASHLIB_GIL_MINSIZE = 2048  # break[wrong-threshold]  # break[threshold-too-low]
"""Bytes of input from which hashlib releases the GIL while it hashes.

CPython's own constant of that name, in ``Modules/hashlib.h``, which
``_hashopenssl.c`` compares an input's length with before it releases the GIL.
Python code cannot read it, so the lesson restates it and a test pins it from
both sides on 3.11, 3.12 and 3.13.
"""


def gil_enabled() -> bool:
    """True unless this is a free-threaded build running without the GIL.

    >>> isinstance(gil_enabled(), bool)
    True
    """
    check: Callable[[], bool] | None = getattr(sys, "_is_gil_enabled", None)
    return True if check is None else check()


def burn(iterations: int) -> int:
    """Pure-Python CPU work: a loop that never blocks and never calls into C for long.

    >>> burn(10)
    45
    """
    if iterations < 0:
        raise ValueError(f"iterations must be >= 0, got {iterations}")
    total = 0
    for i in range(iterations):
        total += i
    return total


@dataclass(frozen=True)
class CpuUse:
    """CPU seconds spent against wall seconds elapsed: the ratio is "cores in use".

    ``per_worker`` holds each worker's own CPU seconds and ``results`` what each
    worker's :func:`burn` returned, so a caller can check that every worker did
    its whole share.
    """

    cpu_seconds: float
    wall_seconds: float
    per_worker: tuple[float, ...] = ()
    results: tuple[int, ...] = ()

    @property
    def ratio(self) -> float:
        """CPU / wall. About 1 for one busy core, about 2 for two."""
        return self.cpu_seconds / self.wall_seconds if self.wall_seconds > 0 else 0.0


def hash_chunks(chunks: int) -> int:
    """C work that releases the GIL: hash a 1 MiB buffer ``chunks`` times; return the count.

    Each hash runs for about a millisecond with the GIL released, and the
    thread holds it only for the microseconds between two calls.

    >>> hash_chunks(2)
    2
    """
    if chunks < 0:
        raise ValueError(f"chunks must be >= 0, got {chunks}")
    buffer = bytes(1 << 20)
    for _ in range(chunks):
        hashlib.sha256(buffer)
    return chunks


def cpu_bound_overlap(
    workers: int, work: Callable[[], object], switch_interval: float = 1000.0
) -> int:
    """Release ``workers`` threads into ``work()`` at once; return how many were in it together.

    The switch interval is raised for the run, so a thread waiting for the
    GIL never asks the running one to let it go. Work that is pure Python
    then runs one thread after another and the answer is 1: the threads
    never run bytecode at the same time, so together they use one core at
    most. The answer exceeds 1 only if ``work`` releases the GIL (or there
    is no GIL): then a waiting thread gets in while the first is still
    working.
    """
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    steps: list[int] = []  # +1 when a worker enters work(), -1 when it leaves, in order
    go = threading.Event()

    def worker() -> None:
        go.wait()
        steps.append(+1)  # list.append is one C call: the order is exact
        work()
        steps.append(-1)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    previous = sys.getswitchinterval()
    sys.setswitchinterval(switch_interval)  # break[overlap-default-interval]
    try:
        for t in threads:
            t.start()
        go.set()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(previous)
    inside = peak = 0
    for step in steps:
        inside += step
        peak = max(peak, inside)
    return peak


def measure_threads(workers: int, iterations: int) -> CpuUse:
    """Run :func:`burn` on ``workers`` threads; return the process's CPU and wall time.

    A demonstration, not a test oracle: ``time.process_time`` counts every
    thread of this process, and on an idle machine the ratio stays near 1
    because only one thread runs bytecode at a time; on a busy machine it is
    lower, whatever the threads do (:func:`cpu_bound_overlap` is the proof).
    Each thread also reports its own ``time.thread_time``; those intervals lie
    inside the process's, so their sum can never exceed ``cpu_seconds``.
    """
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    cpu = [0.0] * workers
    results = [0] * workers

    def worker(slot: int) -> None:
        start = time.thread_time()
        results[slot] = burn(iterations)
        cpu[slot] = time.thread_time() - start

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu_seconds, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return CpuUse(cpu_seconds, wall, tuple(cpu), tuple(results))


def _burn_and_record(iterations: int, slot: int, cpu: Any, results: Any) -> None:
    """Child process body: burn, then record its result and this process's CPU seconds."""
    start = time.process_time()
    results[slot] = burn(iterations)
    cpu[slot] = time.process_time() - start


def measure_processes(workers: int, iterations: int, context: BaseContext | None = None) -> CpuUse:
    """Run :func:`burn` in ``workers`` processes; return their summed CPU time and the wall time.

    A demonstration, not a test oracle: on an idle machine with two cores the
    ratio approaches 2, but on a loaded one the processes share busy cores and it
    can be anything up to that. Each child measures its own CPU time, so the sum
    excludes process start-up.
    """
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    ctx = context if context is not None else multiprocessing.get_context()
    cpu, results = ctx.RawArray("d", workers), ctx.RawArray("q", workers)
    # typeshed declares Process only on the concrete context classes, not BaseContext.
    process = ctx.Process  # type: ignore[attr-defined]
    procs = [
        process(target=_burn_and_record, args=(iterations, i, cpu, results)) for i in range(workers)
    ]
    wall0 = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    wall = time.perf_counter() - wall0
    if any(p.exitcode != 0 for p in procs):
        raise RuntimeError(f"a worker failed: exit codes {[p.exitcode for p in procs]}")
    return CpuUse(sum(cpu), wall, tuple(cpu), tuple(results))


def spin(is_set: Callable[[], bool], limit: int) -> int:
    """Busy-wait: check ``is_set()`` up to ``limit`` times; return how many checks saw False.

    >>> spin(lambda: True, 10), spin(lambda: False, 10)
    (0, 10)
    """
    spun = 0
    while spun < limit and not is_set():
        spun += 1
    return spun


@dataclass(frozen=True)
class SpinResult:
    """How long a busy loop spun before it saw a flag that was set right after it started."""

    spun: int
    limit: int

    @property
    def saw_flag(self) -> bool:
        """Did the spinner see the flag before giving up?"""
        return self.spun < self.limit


def spin_in_thread(limit: int, switch_interval: float = 1000.0) -> SpinResult:
    """A thread spins on a flag that the main thread sets as soon as the spinner has started.

    With the switch interval raised far above the spin's length, the spinner is
    never asked to drop the GIL, so the main thread cannot run the one line that
    sets the flag: the spinner exhausts ``limit`` without seeing it. That is the
    GIL made visible: one thread runs Python at a time.
    """
    flag = [False]
    started = threading.Event()
    spun: list[int] = []

    def spinner() -> None:
        started.set()
        spun.append(spin(lambda: flag[0], limit))

    previous = sys.getswitchinterval()
    sys.setswitchinterval(switch_interval)  # break[default-switch-interval]
    try:
        thread = threading.Thread(target=spinner)
        thread.start()
        started.wait()
        flag[0] = True
        thread.join()
    finally:
        sys.setswitchinterval(previous)
    return SpinResult(spun[0], limit)


@dataclass(frozen=True)
class HandOff:
    """How far a worker's run of back-to-back C calls had got when the main thread got the GIL."""

    calls: int
    started_before: int

    @property
    def mid_run(self) -> bool:
        """Did the main thread get the GIL while the worker still had calls to make?"""
        return self.started_before < self.calls


def gil_handed_over(
    call: Callable[[Any], object],
    argument: object,
    calls: int,
    switch_interval: float = 0.001,
    timeout: float = 60.0,
) -> HandOff:
    """Run ``call(argument)`` ``calls`` times back to back in C on a worker: when did we get in?

    The worker's loop is C from start to end (a ``map`` drained by a
    zero-length ``deque``), so it never passes an eval-breaker check and can
    only lose the GIL where ``call`` itself releases it. This thread is woken
    from inside that loop, waits ``switch_interval`` for the GIL and then asks
    for it; from that moment the worker's next release hands the GIL over for
    sure (it waits until another thread holds it). This thread then notes how
    many calls had been started and ends the worker's loop. A ``call`` that
    holds the GIL lets it in only after the last call: ``started_before ==
    calls``, exactly, however busy the machine. One that releases it lets it
    in within a few calls. ``call`` must be C code: a Python function would
    pass eval-breaker checks of its own.
    """
    if calls < 1:
        raise ValueError(f"calls must be >= 1, got {calls}")
    if isinstance(call, (types.FunctionType, types.MethodType)):
        raise TypeError(f"call must be implemented in C, got the Python function {call!r}")
    items = [argument] * calls
    source = iter(items)
    woken = threading.Lock()
    woken.acquire()

    def worker() -> None:
        # iter(woken.release, None) calls release() once, gets None back and
        # stops: a start signal sent from inside the C loop itself.
        deque(map(call, chain(iter(woken.release, None), source)), maxlen=0)

    previous = sys.getswitchinterval()
    sys.setswitchinterval(switch_interval)
    try:
        thread = threading.Thread(target=worker)
        thread.start()
        if not woken.acquire(timeout=timeout):
            raise TimeoutError("the worker's loop never started")
        remaining = operator.length_hint(source)  # calls not yet started
        items.clear()  # the worker's loop ends at its next item
        thread.join()
    finally:
        sys.setswitchinterval(previous)
    return HandOff(calls, calls - remaining)


def _spin_child(flag: Any, started: Any, result: Any, limit: int) -> None:
    """Child process body: announce the start, spin on the shared flag, report the count."""
    started.set()
    result.value = spin(lambda: bool(flag.value), limit)


def spin_in_process(
    limit: int, context: BaseContext | None = None, timeout: float = 60.0
) -> SpinResult:
    """The same experiment with a process: the parent sets the flag while the child spins.

    The child has its own interpreter and GIL, and the operating system schedules
    the parent no matter what the child does, so the child sees the flag. Choose
    ``limit`` so that exhausting it takes seconds: the parent needs only to be
    scheduled once.
    """
    ctx = context if context is not None else multiprocessing.get_context()
    flag, result = ctx.RawValue("b", 0), ctx.RawValue("q", -1)
    started = ctx.Event()
    child = ctx.Process(  # type: ignore[attr-defined]  # see measure_processes
        target=_spin_child, args=(flag, started, result, limit)
    )
    child.start()
    try:
        if not started.wait(timeout):
            raise TimeoutError("the spinning child never started")
        flag.value = 1
    finally:
        child.join(timeout)
        if child.is_alive():
            child.terminate()
            child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"the spinning child failed with exit code {child.exitcode}")
    return SpinResult(int(result.value), limit)


def _round_trip(sock: socket.socket) -> bytes:
    """Client body: send a request, then block in ``recv`` until the reply comes."""
    sock.sendall(b"?")
    return sock.recv(1)


def concurrent_requests(clients: int, timeout: float = 5.0) -> int:
    """Prove that ``clients`` threads are all blocked in I/O at the same moment.

    Each client thread sends one request over its own socket and blocks in
    ``recv``. The server (this thread) replies to nobody until it holds a
    request from every client; so the replies can only come if every client is
    inside its blocking call at once. Returns that number. If fewer requests
    arrive within ``timeout`` seconds, the server gives up, closes its sockets
    (so no client stays blocked) and raises ``TimeoutError``.
    """
    if clients < 1:
        raise ValueError(f"clients must be >= 1, got {clients}")
    pairs = [socket.socketpair() for _ in range(clients)]
    servers = [s for s, _ in pairs]
    for _, c in pairs:
        c.settimeout(2 * timeout)  # the server always closes first; this is a backstop
    try:
        with ThreadPoolExecutor(max_workers=clients) as pool:  # break[one-worker]
            futures: list[Future[bytes]] = [pool.submit(_round_trip, c) for _, c in pairs]
            waiting = _collect_requests(servers, timeout)
            if len(waiting) < clients:
                for s in servers:
                    s.close()  # unblock every client before the pool joins them
                raise TimeoutError(
                    f"only {len(waiting)} of {clients} requests were in flight at once"
                )
            for s in servers:
                s.sendall(b"!")
            replies = [f.result() for f in futures]
    finally:
        for s, c in pairs:
            s.close()
            c.close()
    if replies != [b"!"] * clients:
        raise RuntimeError(f"unexpected replies: {replies!r}")
    return len(waiting)


def _collect_requests(servers: list[socket.socket], timeout: float) -> set[socket.socket]:
    """Read one request byte from each server socket until all have one or time runs out."""
    deadline = time.monotonic() + timeout
    waiting: set[socket.socket] = set()
    while len(waiting) < len(servers):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        ready, _, _ = select.select([s for s in servers if s not in waiting], [], [], remaining)
        for s in ready:
            if s.recv(1) == b"?":
                waiting.add(s)
    return waiting
