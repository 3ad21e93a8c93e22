"""Generators: lazy until ``next``; ``send``, ``throw``, ``close``; ``yield from``; streaming.

Why interviewers ask this:
    "Process a 50 GB log file" and "what does this generator print?" both test
    whether a candidate knows that a generator function returns an object and
    runs *nothing* until asked, one step per ``next``. Backend code leans on
    that for streaming (file and socket readers, paginated APIs, ETL stages)
    and interviewers probe the less-known half too: ``send``, ``throw``,
    ``close`` with ``GeneratorExit`` and cleanup in ``finally``, and the value a
    generator ``return``s, which ``yield from`` hands back.

Common pitfalls:
    - Expecting work at call time: ``numbers()`` only builds the generator;
      even the code before the first ``yield`` runs on the first ``next``.
    - ``send(value)`` to a generator that has not started raises
      ``TypeError``: prime it with ``next(gen)`` (or ``send(None)``) first.
    - A too-broad ``except`` (``BaseException``, a bare ``except:``) inside a
      generator's loop catches the ``GeneratorExit`` that ``close()`` raises at
      the paused ``yield``; the generator yields again and ``close()`` raises
      ``RuntimeError: generator ignored GeneratorExit``. ``except Exception``
      is safe: ``GeneratorExit`` derives from ``BaseException`` for exactly
      this reason.
    - A bare ``next(it)`` inside a generator on an exhausted ``it``: the
      ``StopIteration`` does not end the generator quietly; since 3.7
      (PEP 479) it becomes ``RuntimeError: generator raised StopIteration``.
      Use ``next(it, default)`` or a ``for`` loop (``heads_unsafe`` next to
      ``heads``).
    - Re-yielding with ``for x in sub: yield x`` instead of ``yield from sub``:
      the subgenerator's ``return`` value is lost, and ``send``/``throw`` are
      not forwarded to it: the loop always calls ``next(sub)`` (a sent value
      is dropped, ``sub`` sees None), and a thrown exception is raised in the
      outer generator, never inside ``sub``.
    - One list-building stage in a pipeline (``[... for ...]``, ``list(...)``,
      ``sorted``) makes the whole stream resident in memory again.

Key takeaways:
    - Calling a generator function runs none of its body; each ``next`` runs
      it up to the next ``yield``. When the body ends, ``next`` raises
      ``StopIteration`` whose ``.value`` is the ``return`` value.
    - ``gen.send(v)`` resumes the paused ``yield`` with ``v`` as its value;
      ``gen.throw(exc)`` raises ``exc`` there; ``gen.close()`` raises
      ``GeneratorExit`` there, so ``finally`` blocks run. ``close`` is also
      what happens when an unfinished generator is garbage-collected.
      Versions: from 3.13 ``close()`` returns the value the generator
      ``return``s on ``GeneratorExit`` (None before); since 3.12 the
      three-argument ``throw(type, value, tb)`` warns ``DeprecationWarning``.
    - ``result = yield from sub`` passes every item, ``send`` and ``throw``
      through to ``sub`` and evaluates to ``sub``'s return value.
    - A chain of generator stages holds a constant number of items whatever
      the input size; the list-building equivalent holds all of them.
      (Measured here by counting live objects, which relies on CPython
      freeing an object as soon as its last reference goes: reference
      counting is an implementation detail, PyPy frees later.)
    - Go: since 1.23, range-over-func iterators (``iter.Seq``, whose
      ``yield`` returns false when the loop stops early) are the closest
      thing, and ``iter.Pull`` gives pull-style ``next``/``stop``, the
      counterparts of ``next()`` and ``close()``. The older pattern, a
      goroutine writing to a channel, leaks the goroutine if nobody drains or
      cancels it. Java: ``Iterator``/``Stream`` are lazy too, but there is no
      ``send``.

What to look for in an answer:
    A strong candidate says "lazy, one item at a time, resumable frame",
    reaches for ``finally`` (or a ``with`` inside the generator) for cleanup,
    knows ``close`` and ``GeneratorExit`` by name, and spots the list-building
    stage in a streaming pipeline. Follow-ups:
    - Can you iterate a generator twice? (No: it is its own iterator and is
      exhausted after one pass; call the function again or keep a list.)
    - What happens to a ``with open(...)`` inside a generator abandoned
      halfway? (The file closes when the generator is closed or collected;
      call ``close()`` or use ``contextlib.closing`` to make that prompt.)
    - In ``(x for x in a if x in b)``, when are ``a`` and ``b`` looked up?
      (``a``, the outermost iterable, at creation; ``b`` at each step, so
      rebinding ``b`` later changes the result and rebinding ``a`` does not.)
    - Is a generator thread-safe? (No: a second ``next`` while one is
      running raises ``ValueError: generator already executing``; share it
      behind a lock or feed a ``queue.Queue`` instead.)
    - Why did ``async def`` replace generator-based coroutines? (``send`` and
      ``yield from`` were the mechanism; ``await`` made the intent explicit
      and stopped a coroutine from being confused with an iterator.)

Complexity:
    A pipeline of k generator stages over n items: O(n * k) time, O(k) items
    held at once; the list version holds O(n).
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar, cast

__all__ = [
    "Item",
    "Tracker",
    "averager",
    "drain",
    "eager_total",
    "heads",
    "heads_unsafe",
    "keep_even",
    "lazy_total",
    "numbers",
    "read_batch",
    "read_items",
    "scale",
    "stubborn_worker",
    "sum_batches",
    "worker",
]

Y = TypeVar("Y")
R = TypeVar("R")


def numbers(limit: int, log: list[str]) -> Iterator[int]:
    """Yield 0..limit-1, logging each step, to show when the body runs.

    >>> log: list[str] = []
    >>> gen = numbers(3, log)
    >>> log
    []
    >>> next(gen), log
    (0, ['started', 'yield 0'])
    """
    log.append("started")
    for i in range(limit):
        log.append(f"yield {i}")
        yield i
    log.append("finished")


def averager() -> Generator[float | None, float | None, float | None]:
    """A running average driven by ``send``; sending None ends it with the final average.

    >>> avg = averager()
    >>> next(avg) is None  # prime: run to the first yield
    True
    >>> avg.send(10), avg.send(20)
    (10.0, 15.0)
    >>> avg.send(None)
    Traceback (most recent call last):
    ...
    StopIteration: 15.0
    """
    total, count = 0.0, 0
    average: float | None = None
    while True:
        value = yield average
        if value is None:
            return average
        total += value
        count += 1
        average = total / count


def worker(log: list[str]) -> Generator[str, str, None]:
    """Takes tasks by ``send``; a ValueError thrown in skips a task; close() runs cleanup."""
    log.append("open")
    try:
        while True:
            try:
                task = yield "ready"
                log.append(f"did {task}")
            except ValueError as exc:  # break[broad-except]
                log.append(f"skipped: {exc}")
    finally:
        log.append("closed")


def stubborn_worker(log: list[str]) -> Generator[str, str, None]:
    """The pitfall: ``except BaseException`` also catches GeneratorExit and yields again.

    Only sending ``"quit"`` ends it, since ``close()`` cannot.
    """
    while True:
        try:
            task = yield "ready"
            if task == "quit":
                return
            log.append(f"did {task}")
        except BaseException as exc:  # too broad: GeneratorExit is a BaseException
            log.append(f"ignored {type(exc).__name__}")


def heads_unsafe(sources: Iterable[Iterable[Y]]) -> Iterator[Y]:
    """The pitfall: yield the first item of each source with a bare ``next``.

    >>> list(heads_unsafe([[1, 2], [], [3]]))
    Traceback (most recent call last):
    ...
    RuntimeError: generator raised StopIteration
    """
    for source in sources:
        yield next(iter(source))


def heads(sources: Iterable[Iterable[Y]]) -> Iterator[Y]:
    """The fix: skip empty sources with ``next(it, sentinel)``.

    >>> list(heads([[1, 2], [], [3]]))
    [1, 3]
    """
    missing = object()
    for source in sources:
        head = next(iter(source), missing)  # break[bare-next]
        if head is not missing:
            yield cast(Y, head)


def read_batch(batch: Iterable[int]) -> Generator[int, None, int]:
    """Yield each number of the batch; return their sum."""
    total = 0
    for n in batch:
        total += n
        yield n
    return total


def sum_batches(batches: Iterable[Iterable[int]]) -> Generator[int, None, list[int]]:
    """Yield every number of every batch; return the per-batch sums ``yield from`` handed back.

    >>> items, sums = drain(sum_batches([[1, 2], [3, 4, 5]]))
    >>> items, sums
    ([1, 2, 3, 4, 5], [3, 12])
    """
    sums = []
    for batch in batches:
        total = yield from read_batch(batch)  # break[loop-instead-of-yield-from]
        sums.append(total)
    return sums


def drain(gen: Generator[Y, None, R]) -> tuple[list[Y], R]:
    """Run ``gen`` to the end; return what it yielded and the ``StopIteration.value``."""
    items: list[Y] = []
    while True:
        try:
            items.append(next(gen))
        except StopIteration as stop:
            return items, stop.value


@dataclass
class Tracker:
    """Counts ``Item`` objects: how many exist now, and the most that ever existed at once."""

    alive: int = 0
    peak: int = 0


class Item:
    """A record that reports its birth and death to a ``Tracker``.

    ``__del__`` runs when the last reference goes: immediately on CPython
    (reference counting), an implementation detail.
    """

    def __init__(self, value: int, tracker: Tracker) -> None:
        self.value = value
        self.tracker = tracker
        tracker.alive += 1
        tracker.peak = max(tracker.peak, tracker.alive)

    def __del__(self) -> None:
        self.tracker.alive -= 1


def read_items(n: int, tracker: Tracker) -> Iterator[Item]:
    """The source: n records, made one at a time as they are asked for."""
    for i in range(n):
        yield Item(i, tracker)


def keep_even(items: Iterable[Item]) -> Iterator[Item]:
    """A filtering stage."""
    return (item for item in items if item.value % 2 == 0)  # break[eager-stage]


def scale(items: Iterable[Item], factor: int) -> Iterator[Item]:
    """A transforming stage: a new record per input record."""
    for item in items:
        yield Item(item.value * factor, item.tracker)


def lazy_total(n: int, tracker: Tracker) -> int:
    """Sum of 10 * every even value below n, streamed through generator stages.

    >>> tracker = Tracker()
    >>> lazy_total(10, tracker), tracker.alive
    (200, 0)
    """
    return sum(item.value for item in scale(keep_even(read_items(n, tracker)), 10))


def eager_total(n: int, tracker: Tracker) -> int:
    """The same sum, with every stage building a list first."""
    records = list(read_items(n, tracker))
    evens = [item for item in records if item.value % 2 == 0]
    scaled = [Item(item.value * 10, tracker) for item in evens]
    return sum(item.value for item in scaled)
