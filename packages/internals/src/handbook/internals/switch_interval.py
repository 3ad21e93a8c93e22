"""The GIL switch interval: a waiting thread asks; the holder lets go at an eval-breaker check.

Why interviewers ask this:
    "When does CPython switch threads?" sorts candidates who say "every N
    bytecodes" (true only before 3.2) from those who know the mechanism. A
    thread that wants the GIL waits on a condition variable for
    ``sys.getswitchinterval()`` seconds (documented default 0.005); if the
    holder has not let go by then and no switch happened meanwhile, it sets
    a *drop request* (``take_gil``: ``Python/ceval_gil.h`` on 3.11,
    ``Python/ceval_gil.c`` on 3.12 and 3.13). The holder only notices at an
    *eval-breaker check*, and the interpreter checks only in a few places:
    ``RESUME`` (function entry), backward jumps (loops) and after calls (the
    instruction bodies are in ``Python/ceval.c`` on 3.11 and in
    ``Python/bytecodes.c`` from 3.12). Blocking calls (lock waits, sleeps,
    I/O) release the GIL whatever the interval.

Common pitfalls:
    - "The interpreter switches every few instructions." Nothing switches
      until a waiter has waited a whole interval. With the interval raised
      to 1000 s, a holder that spins a million checks inside its
      read-modify-write (about 50-90 ms per round, timed here on 3.11-3.13:
      ten or more default intervals) is never entered by a woken peer and
      loses nothing; at the 5 ms default or at 1 µs the peer asks,
      the holder lets go at the next backward jump, and every round loses
      exactly one update (``python_window_race``).
    - "``x.value += 1`` races all the time." Since 3.10/3.11 its bytecode
      (load, ``BINARY_OP``, store) holds no eval-breaker check between the
      load and the store, so the GIL cannot change hands inside it; lost
      updates need a call, a loop, a property or a blocking call in the
      window (or a free-threaded build). That is an implementation detail,
      not a promise: a short window with a check in it loses updates only
      when a waiter's request happens to be pending, so such races are rare
      and timing-dependent, never impossible.
    - Forgetting to restore the interval: it is process-wide, so a test that
      raises it and fails without ``finally`` slows every later test's threads.
    - Expecting nanosecond precision: the value is stored as whole
      microseconds, truncated; ``setswitchinterval(1e-9)`` reads back as 0.0
      (the waiter still waits at least 1 µs), and 0 or a negative value raises
      ``ValueError``.

Key takeaways:
    - ``sys.getswitchinterval()`` is 0.005 in a fresh interpreter (documented).
    - A blocking call in the window is a hand-over point at any interval: two
      threads that meet at a barrier between read and write lose exactly one
      update per round, at 1000 s as at 1 µs.
    - A window of pure Python is entered only after a waiter's interval runs
      out: the same spin loop is never entered at 1000 s and is entered every
      round at 5 ms and at 1 µs. The interval decides *when*, the checks in
      the window decide *where*.
    - Go: goroutines are preempted by the runtime (asynchronously since
      1.14) and run in parallel; Java threads are OS threads with no global
      lock. Neither has a "switch interval" knob.

What to look for in an answer:
    A strong answer names the switch interval and its default, the drop
    request set by a *waiting* thread, the eval-breaker checkpoints, and says
    that blocking calls release the GIL; it explains why a bare ``+=`` seldom
    loses updates today and refuses to treat that as thread safety.
    Follow-ups:
    - Why not switch every N instructions, as 2.x did (``sys.setcheckinterval``)?
      (Time-based requests from a waiter avoid useless switches when nobody
      waits, and stop a CPU-bound thread from starving others on multicore.)
    - What else trips the eval breaker? (Pending signals, which run Python
      handlers only in the main thread; async exceptions; pending calls;
      the GC in 3.12+.)
    - What does a tiny interval cost? (More hand-overs, each a condition
      variable round trip; CPU-bound threads get slower, not faster.)
    - What is ``FORCE_SWITCHING``? (After a drop request the releasing thread
      waits until another thread has taken the GIL, so it cannot grab it back.)

Complexity:
    ``increment_all(k, n, ...)``: O(k * n) increments; with a blocking pause,
    ``n`` rounds of a barrier of ``k`` threads. ``python_window_race(r, ...)``:
    ``r`` rounds of at most ``patience`` checks each; a round ends as soon as
    the peer has finished, so a small interval spins only until it asks.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = [
    "DEFAULT_SWITCH_INTERVAL",
    "HUGE",
    "PATIENCE",
    "WindowRace",
    "fresh_switch_interval",
    "increment_all",
    "python_window_race",
    "stored_interval",
    "switch_interval",
]

DEFAULT_SWITCH_INTERVAL = 0.005  # break[wrong-default]
"""Seconds; the documented default of ``sys.getswitchinterval()`` (3.2 onwards)."""

HUGE = 1000.0  # break[default-is-not-huge]
"""Seconds; far longer than any test runs, so a waiter never times out and never asks."""

PATIENCE = 1_000_000
"""Checks a holder spins in its window at most. One round at the huge interval took 46-87 ms
(``perf_counter`` around ``python_window_race(1)``, 3.11-3.13, five runs each): ten or more
default intervals, so only an interval that never runs out keeps the peer out."""


def fresh_switch_interval() -> float:
    """The switch interval of a newly started interpreter (a child process)."""
    code = "import sys; print(sys.getswitchinterval())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


@contextmanager
def switch_interval(seconds: float) -> Iterator[float]:
    """Set the process-wide switch interval for a block; restore the old one even on error.

    >>> with switch_interval(0.25) as stored:
    ...     stored
    0.25
    """
    previous = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield sys.getswitchinterval()
    finally:
        sys.setswitchinterval(previous)  # break[no-restore]


def stored_interval(requested: float) -> float:
    """What ``getswitchinterval`` reads back after ``setswitchinterval(requested)``.

    >>> stored_interval(1.5e-6), stored_interval(1e-9)
    (1e-06, 0.0)
    """
    with switch_interval(requested) as stored:
        return stored


def increment_all(
    threads: int,
    n: int,
    pause: Callable[[], object],
    interval: float = HUGE,
) -> int:
    """``threads`` threads each add 1 to a shared counter ``n`` times; return the total.

    Each increment is read, ``pause()``, write. A *blocking* pause (a barrier
    wait) releases the GIL, so other threads read the same value before the
    write, whatever the interval.
    """
    box = [0]

    def work() -> None:
        for _ in range(n):
            current = box[0]
            pause()  # break[pause-outside-window]
            box[0] = current + 1

    workers = [threading.Thread(target=work) for _ in range(threads)]
    with switch_interval(interval):
        for t in workers:
            t.start()
        for t in workers:
            t.join()
    return box[0]


@dataclass(frozen=True)
class WindowRace:
    """What ``python_window_race`` saw: increments tried, the final count, rounds entered."""

    attempts: int
    total: int
    peer_inside: int

    @property
    def lost(self) -> int:
        """Increments that were overwritten."""
        return self.attempts - self.total


def python_window_race(rounds: int, interval: float = HUGE, patience: int = PATIENCE) -> WindowRace:
    """Can a waiting thread get into a read-modify-write window that never blocks?

    Each round the holder (the calling thread) reads the counter, wakes the
    peer, spins in pure Python until the peer has done its own ``+= 1`` (at
    most ``patience`` checks), writes what it read plus one, then blocks
    until the peer's round is over. The woken peer needs the GIL; it gets it
    inside the window only if its ``interval`` runs out, its drop request is
    set and the spin loop's backward jump (an eval-breaker check) sees it.
    Then the holder's write overwrites the peer's: one lost update per round.
    """
    box = [0]
    peer_rounds = [0]
    # Plain locks, released by the other thread: acquire and release are C calls with
    # no eval-breaker check inside (threading.Semaphore is Python code full of them).
    go, done = threading.Lock(), threading.Lock()
    go.acquire()
    done.acquire()

    def peer() -> None:
        for _ in range(rounds):
            go.acquire()  # blocking, without the GIL; woken, it must wait for the GIL
            box[0] += 1  # no check between load and store: the peer's own += is not split
            peer_rounds[0] += 1
            done.release()

    inside = 0
    thread = threading.Thread(target=peer)
    with switch_interval(interval):
        thread.start()
        for r in range(rounds):
            current = box[0]
            go.release()
            checks = 0
            while peer_rounds[0] == r and checks < patience:  # break[no-check-in-window]
                checks += 1
            inside += peer_rounds[0] > r
            box[0] = current + 1
            done.acquire()  # blocking: a peer still waiting for the GIL gets it here
        thread.join()
    return WindowRace(attempts=2 * rounds, total=box[0], peer_inside=inside)
