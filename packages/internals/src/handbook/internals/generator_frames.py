"""Generator frames: the states a generator passes through and the frame that keeps locals alive.

Why interviewers ask this:
    "Where does a generator keep its local variables between ``next`` calls?"
    On 3.11+ the answer is: in an interpreter frame (the C struct
    ``_PyInterpreterFrame``) stored inside the generator object itself, on
    the heap, so it survives between calls. The Python-level frame object
    you see as ``gi_frame`` is created lazily, the first time something asks
    for it (``gi_frame``, a traceback, a tracer); until then it does not
    exist. That explains both the magic (resumable code, coroutines) and a
    real production leak: a half-consumed generator parked in a list or a
    cache holds every object its frame references. Debugging asyncio ("why
    is this task stuck?") uses the same introspection:
    ``inspect.getcoroutinestate``, ``cr_await``, the line a frame is paused
    on. (``send``/``throw``/``close``/``yield from`` themselves are in the
    intermediate ``generators`` lesson.)

Common pitfalls:
    - Parking a half-consumed generator: ``first_leaky`` takes one item and
      leaves the generator suspended, so its frame, and the buffer it
      allocated, stay alive as long as anyone holds the generator. ``first``
      closes it: the locals are released at once (on CPython, when nobody
      kept the frame object; other implementations free later).
    - Assuming a generator frame is always there: ``gi_frame`` is None once
      the generator has finished, raised or been closed, including a
      generator closed before it ever started.
    - Keeping the frame object: ``frame = gen.gi_frame`` taken while the
      generator is suspended outlives the generator, and when the generator
      ends CPython normally moves the locals into that frame object instead
      of dropping them. Measured with a buffer only the frame references:
      after the generator is exhausted or raises, the buffer stays alive
      while ``frame`` is held on 3.11.7, 3.12.1 and 3.13.0; on 3.12.1 and
      3.13.0 the frame's ``f_back`` then becomes the frame that ran the
      generator to its end, which stays alive too (None on 3.11.7). After
      ``close()`` (or dropping the last reference to the generator) the
      buffer stays alive on 3.11.7 and 3.12.1 but is freed on 3.13.0, whose
      ``close()`` clears the locals in place (gh-118272) and leaves the
      kept frame object pointing at the cleared slots: reading its
      ``f_locals`` then reads freed memory (gh-125723, fixed in a later 3.13
      patch). The gh-118272 change was also backported to 3.12, so the
      ``close()`` answer differs between patch releases. Do not rely on
      either: drop the frame object, or call ``frame.clear()`` on the
      finished frame (``clear_kept_frame``). On 3.11/3.12 an ``f_locals``
      dict read earlier is a snapshot of its own and keeps the values until
      the frame object dies, even after ``frame.clear()``.
    - Writing through ``gi_frame.f_locals``: on 3.11 and 3.12 it is a
      snapshot dict and the write is lost; from 3.13 (PEP 667) it is a
      write-through ``FrameLocalsProxy`` and the write changes the local.
      Debuggers rely on that; application code should not.
    - ``gi_frame.clear()`` on a *suspended* generator: 3.11 and 3.12 close
      the generator; 3.13 raises ``RuntimeError`` (clear it only once it is
      finished, or call ``gen.close()``).

Key takeaways:
    - ``inspect.getgeneratorstate`` walks GEN_CREATED (made, body not
      started), GEN_RUNNING (the body is executing: seen by the body itself,
      by code it calls, or by any other thread while the body is running),
      GEN_SUSPENDED (paused at a ``yield``) and GEN_CLOSED (returned,
      raised, or closed). The flags behind it are ``gi_running`` and
      ``gi_suspended`` (present on 3.11, 3.12 and 3.13) and ``gi_frame``
      being None. Resuming a running generator from another thread raises
      ``ValueError: generator already executing``
      (``state_seen_from_another_thread``).
    - Coroutines mirror that: ``inspect.getcoroutinestate`` gives
      CORO_CREATED/RUNNING/SUSPENDED/CLOSED from ``cr_running``,
      ``cr_suspended`` and ``cr_frame``; ``cr_await`` is what a suspended
      coroutine is blocked in (the inner coroutine for ``await inner()``,
      the iterator ``__await__`` returned otherwise), as ``gi_yieldfrom`` is
      the iterator a generator delegates to.
    - The frame object is made on demand and then cached: before anyone
      reads ``gi_frame`` the generator references no frame object at all
      (``gc.get_referents`` shows none); afterwards ``gen.gi_frame is
      gen.gi_frame`` and the generator references it.
    - A suspended frame is a plain object: ``gi_frame.f_lineno`` is the line
      it is paused on, ``gi_frame.f_locals`` (or
      ``inspect.getgeneratorlocals``) its variables, and ``f_back`` is None
      because nobody is running it.
    - Locals live as long as the frame data: a weak reference to an object
      only a suspended generator holds stays alive until the generator is
      closed, exhausted or collected, and longer if someone kept the frame
      object (see the pitfall above).
    - Go: a goroutine's stack is the closest thing and the program gets no
      handle on it: no state query, only text dumps of all stacks
      (``runtime.Stack``, ``pprof``). Java threads have ``getState()`` and
      ``getStackTrace()``; virtual threads (Java 21) move a suspended stack
      to the heap, much as a generator keeps its frame in the heap object.

What to look for in an answer:
    The candidate says "the frame lives on the heap, inside the generator,
    not on the C stack", names the four states, knows that an abandoned
    generator holds its locals until closed or collected, and reaches for
    ``close()`` or ``contextlib.closing`` when taking only part of a stream.
    Follow-ups:
    - How do you tell a task is stuck and where? (``task.get_coro()``, then
      its ``cr_await`` chain and ``cr_frame.f_lineno``; or
      ``task.print_stack()``.)
    - Who can observe GEN_RUNNING? (Only code that runs while the body is
      executing: the body, something it calls, or another thread during
      that time. Between ``next`` calls the generator is created, suspended
      or closed; a second thread calling ``next`` meanwhile gets
      ``ValueError: generator already executing``.)
    - Is there a frame object for every generator? (Not on 3.11+: the frame
      data lives in the generator; a ``PyFrameObject`` is allocated only
      when asked for, which is part of why 3.11 calls got cheaper.)
    - What happens to an unstarted coroutine that is garbage collected?
      (``RuntimeWarning: coroutine ... was never awaited``; ``close()`` it
      first to say you mean it.)
    - Does a suspended generator pin the objects its frame refers to in a
      reference cycle? (Yes until the cycle collector runs; closing breaks
      it deterministically.)

Complexity:
    A suspended generator costs one frame: its locals and evaluation stack,
    O(size of the frame), however many items it will still yield.
"""

from __future__ import annotations

import gc
import inspect
import threading
import types
from collections.abc import Callable, Coroutine, Generator
from contextlib import suppress
from types import FrameType, GeneratorType
from typing import Any, TypeVar

__all__ = [
    "Buffer",
    "clear_kept_frame",
    "coroutine_states",
    "first",
    "first_leaky",
    "generator_states",
    "has_frame_object",
    "paused_line",
    "reader",
    "state_seen_from_another_thread",
]

T = TypeVar("T")


class Buffer:
    """A stand-in for something big (a file buffer, a page of rows); weak-referenceable."""

    def __init__(self, items: list[int]) -> None:
        self.items = items


def reader(make: Callable[[], Buffer]) -> Generator[int, None, None]:
    """Allocate a buffer in the frame, then yield its items one by one."""
    buffer = make()
    for item in buffer.items:  # noqa: UP028 (a loop, so the frame holds ``item``)
        yield item


def first_leaky(gen: Generator[T, None, None]) -> T:
    """The pitfall: take the first item and leave the generator suspended."""
    return next(gen)


def first(gen: Generator[T, None, None]) -> T:
    """The fix: take the first item, then close the generator so its frame lets go.

    >>> gen = reader(lambda: Buffer([7, 8]))
    >>> first(gen), gen.gi_frame
    (7, None)
    """
    try:
        return next(gen)
    finally:
        gen.close()  # break[no-close]


def generator_states() -> list[str]:
    """The states one generator passes through, including one seen from inside its body.

    >>> generator_states()
    ['GEN_CREATED', 'GEN_RUNNING', 'GEN_SUSPENDED', 'GEN_CLOSED']
    """
    states: list[str] = []
    holder: list[Generator[None, None, None]] = []

    def body() -> Generator[None, None, None]:
        states.append(inspect.getgeneratorstate(holder[0]))
        yield

    gen = body()
    holder.append(gen)
    states.append(inspect.getgeneratorstate(gen))
    next(gen)
    states.append(inspect.getgeneratorstate(gen))
    with suppress(StopIteration):
        next(gen)  # break[last-yield-is-the-end]
    states.append(inspect.getgeneratorstate(gen))
    return states


def state_seen_from_another_thread(timeout: float = 5.0) -> tuple[str, str]:
    """What another thread sees while a generator's body runs in a worker thread.

    Returns the state the main thread reads and the error it gets when it
    tries to resume the same generator. Events pin the interleaving: the
    body signals that it has started and then blocks until the main thread
    has looked, so the answer never depends on scheduling. ``timeout`` only
    turns a broken handshake into an error instead of a hang.

    >>> state_seen_from_another_thread()
    ('GEN_RUNNING', 'generator already executing')
    """
    entered = threading.Event()
    release = threading.Event()

    def body() -> Generator[None, None, None]:
        entered.set()
        release.wait(timeout)
        yield

    gen = body()
    worker = threading.Thread(target=next, args=(gen,))
    worker.start()
    try:
        if not entered.wait(timeout):
            raise RuntimeError("the worker never started the generator")
        state = inspect.getgeneratorstate(gen)  # break[look-after-join]
        try:
            next(gen, None)
        except ValueError as exc:
            error = str(exc)
        else:
            error = ""
    finally:
        release.set()
        worker.join(timeout)
    gen.close()
    return state, error


def has_frame_object(gen: GeneratorType[Any, Any, Any]) -> bool:
    """Whether a frame object exists for ``gen``, found without creating one.

    Reading ``gen.gi_frame`` would answer "yes" by allocating it; the
    collector's view of what the generator references does not.

    >>> gen = reader(lambda: Buffer([1]))
    >>> has_frame_object(gen)
    False
    >>> gen.gi_frame is not None, has_frame_object(gen)
    (True, True)
    """
    return any(isinstance(ref, FrameType) for ref in gc.get_referents(gen))  # break[ask-gi-frame]


def clear_kept_frame(frame: FrameType) -> None:
    """Release the locals a finished generator left in a frame object someone kept.

    Raises ``RuntimeError`` on 3.13+ if the generator is still suspended
    (3.11 and 3.12 close it instead).

    >>> gen = reader(lambda: Buffer([1]))
    >>> frame = gen.gi_frame
    >>> list(gen), sorted(frame.f_locals)
    ([1], ['buffer', 'item', 'make'])
    >>> clear_kept_frame(frame)
    >>> sorted(frame.f_locals)
    []
    """
    frame.clear()  # break[keep-kept-frame]


@types.coroutine
def _pause() -> Generator[None, None, None]:
    """A bare suspension point, what an event loop's future does under ``await``."""
    yield


def coroutine_states() -> list[str]:
    """The same walk for a coroutine, driven by hand with ``send`` (no event loop).

    >>> coroutine_states()
    ['CORO_CREATED', 'CORO_RUNNING', 'CORO_SUSPENDED', 'CORO_CLOSED']
    """
    states: list[str] = []
    holder: list[Coroutine[Any, Any, None]] = []

    async def body() -> None:
        states.append(inspect.getcoroutinestate(holder[0]))
        await _pause()

    coro = body()
    holder.append(coro)
    states.append(inspect.getcoroutinestate(coro))
    coro.send(None)  # runs to the yield inside _pause
    states.append(inspect.getcoroutinestate(coro))
    with suppress(StopIteration):
        coro.send(None)
    states.append(inspect.getcoroutinestate(coro))
    return states


def paused_line(gen: GeneratorType[Any, Any, Any]) -> int | None:
    """The line (relative to the ``def``) a generator is paused on; None once it is done.

    Before the first ``next`` it is the ``def`` line itself (0).

    >>> gen = reader(lambda: Buffer([1]))
    >>> paused_line(gen), next(gen), paused_line(gen)
    (0, 1, 4)
    >>> list(gen), paused_line(gen)
    ([], None)
    """
    frame: FrameType | None = gen.gi_frame
    if frame is None:  # break[suspended-means-alive]
        return None
    line: int = frame.f_lineno - gen.gi_code.co_firstlineno
    return line
