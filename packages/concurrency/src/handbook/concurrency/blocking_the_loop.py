"""One blocking call in a coroutine freezes every task on the loop; ``asyncio.to_thread`` fixes it.

Why interviewers ask this:
    "Our async service answers health checks slowly whenever a report is being
    generated" is a classic production incident, and the cause is almost always
    a synchronous call (``time.sleep``, ``requests.get``, a sync DB driver, a big
    ``json.loads``) inside an ``async def``. The event loop is one thread that
    runs one task at a time and only switches at an ``await``; code that does
    not ``await`` keeps the thread, and every other task waits. Candidates who
    understand cooperative scheduling spot this immediately and know the fix.

Common pitfalls:
    - Thinking ``async def`` makes a function non-blocking. It only makes it
      *able* to yield; the body still runs on the loop thread until an ``await``.
    - Calling ``time.sleep`` instead of ``await asyncio.sleep`` in a retry loop.
    - Using a sync client (``requests``, ``psycopg2``) from a coroutine. Use an
      async client, or push the call to a thread with ``asyncio.to_thread``.
    - Offloading CPU-bound pure-Python work to a thread and expecting a speed-up:
      the loop stays responsive, but the GIL still serializes the work. Use a
      ``ProcessPoolExecutor`` (``loop.run_in_executor``) for that.
    - Measuring the stall with wall-clock thresholds in a test. Count what the
      other tasks *did* instead: here, the ticks of a heartbeat task.

Key takeaways:
    - A task gives the loop back only at an ``await`` that actually suspends.
      Between two such points, nothing else on that loop runs: no timers, no
      I/O callbacks, no other requests.
    - ``await asyncio.to_thread(fn, *args)`` runs ``fn`` in the default thread
      pool and suspends the caller; the loop keeps serving other tasks until the
      thread is done. ``loop.run_in_executor(pool, fn)`` is the general form.
    - Make the mistake loud: a blocking helper can refuse to run on the loop
      thread (:func:`assert_not_on_event_loop`), and ``asyncio.run(...,
      debug=True)`` logs every callback slower than ``slow_callback_duration``.
    - Go has no such trap: a blocking goroutine parks and the runtime runs others
      on other threads. Java's virtual threads are close to Go; a Netty/Vert.x
      event loop has exactly this trap ("don't block the event loop").

What to look for in an answer:
    A strong answer explains that asyncio is cooperative and single-threaded,
    that a task switch happens only at an ``await`` that suspends, names the
    symptom (every other task's latency grows by the blocking time), fixes it
    with an async library or ``asyncio.to_thread``/``run_in_executor``, and knows
    the fix for CPU-bound work is a process pool. Follow-ups:
    - How would you find the blocking call in production? (asyncio debug mode and
      ``slow_callback_duration``, a watchdog task that measures its own lag,
      py-spy dumps of the loop thread.)
    - Why is ``await asyncio.sleep(0)`` useful in a long pure-Python loop inside a
      coroutine? (It yields: other tasks run between chunks of work.)
    - What happens to the default executor at shutdown? (``asyncio.run`` waits
      for it with ``shutdown_default_executor``: a stuck thread delays exit.)

Complexity:
    While a coroutine blocks for ``t`` seconds, every other task's latency grows
    by ``t``: the ticker below takes 0 turns instead of one turn per loop pass.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

__all__ = [
    "Ticker",
    "assert_not_on_event_loop",
    "call_off_loop",
    "call_on_loop",
    "fetch_report",
    "ticks_during",
]

P = ParamSpec("P")
T = TypeVar("T")


def fetch_report(seconds: float) -> str:
    """A blocking call: stands in for a sync HTTP client or database driver.

    >>> fetch_report(0)
    'report'
    """
    if seconds < 0:
        raise ValueError(f"seconds must be >= 0, got {seconds}")
    time.sleep(seconds)
    return "report"


async def call_on_loop(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """The bug: run a blocking function on the event loop thread.

    The coroutine never suspends, so no other task runs until ``fn`` returns.

    >>> asyncio.run(call_on_loop(fetch_report, 0))
    'report'
    """
    return fn(*args, **kwargs)


async def call_off_loop(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """The fix: run a blocking function in a worker thread while the loop keeps turning.

    >>> asyncio.run(call_off_loop(fetch_report, 0))
    'report'
    """
    return await asyncio.to_thread(fn, *args, **kwargs)  # break[block-the-loop]


def assert_not_on_event_loop() -> None:
    """Raise ``RuntimeError`` if called on a thread that is running an event loop.

    A blocking helper that calls this first turns "the service is slow" into a
    stack trace that names the culprit (Android does the same for network calls
    on the UI thread).

    >>> assert_not_on_event_loop()  # plain code: no loop here, nothing happens
    >>> async def misuse() -> None:
    ...     assert_not_on_event_loop()
    >>> asyncio.run(misuse())
    Traceback (most recent call last):
    ...
    RuntimeError: blocking call on the event loop thread ...
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(
        f"blocking call on the event loop thread {threading.current_thread().name!r} "
        f"({loop!r}): use asyncio.to_thread"
    )


class Ticker:
    """A heartbeat task: counts one tick per turn it gets on the loop.

    Each tick ends with ``await asyncio.sleep(0)``, which yields to the loop and
    puts the ticker back at the end of the ready queue. So the tick count is the
    number of loop passes the ticker was allowed to take: a direct, countable
    measure of how responsive the loop is, with no clock involved.
    """

    def __init__(self) -> None:
        self.ticks = 0
        self._stopped = False
        self._milestones: list[tuple[int, threading.Event]] = []

    def milestone(self, ticks: int) -> threading.Event:
        """An event (safe to wait on from any thread) set once ``ticks`` ticks have happened."""
        if ticks < 1:
            raise ValueError(f"ticks must be >= 1, got {ticks}")
        reached = threading.Event()
        if self.ticks >= ticks:
            reached.set()
        self._milestones.append((ticks, reached))
        return reached

    async def run(self) -> None:
        """Tick until :meth:`stop` is called."""
        while not self._stopped:
            self.ticks += 1
            for target, reached in self._milestones:
                if self.ticks >= target:
                    reached.set()
            await asyncio.sleep(0)

    def stop(self) -> None:
        """Make :meth:`run` return at its next turn."""
        self._stopped = True


async def ticks_during(
    call: Callable[[], Awaitable[T]], ticker: Ticker | None = None
) -> tuple[T, int]:
    """Await ``call()`` next to a running :class:`Ticker`; return its result and the ticks it saw.

    The count is taken from the ticker's own counter just before and just after
    ``call()``, so it does not depend on how fast the machine is: a call that
    never suspends sees exactly 0 ticks.

    >>> async def polite() -> str:
    ...     await asyncio.sleep(0)
    ...     return "done"
    >>> result, ticks = asyncio.run(ticks_during(polite))
    >>> result, ticks >= 1
    ('done', True)
    """
    ticker = ticker if ticker is not None else Ticker()
    heartbeat = asyncio.create_task(ticker.run())
    try:
        await asyncio.sleep(0)  # the ticker takes its first turn before we start counting
        before = ticker.ticks
        result = await call()
        return result, ticker.ticks - before
    finally:
        ticker.stop()
        await heartbeat
