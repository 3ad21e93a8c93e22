"""Small, exact simulations behind the operating-systems pages.

The pages in ``fundamentals/os`` make claims that are easiest to check on a
model: how many page faults FIFO, LRU and OPT take on a reference string, what
a scheduler's Gantt chart looks like, whether the Banker's algorithm finds a
safe sequence. This module holds those models, each small enough to read in one
sitting, plus two helpers that make kernel boundaries visible without a kernel:
``CountingRaw`` (every ``write`` that would be a system call) and
``atomic_write``/``naive_write`` (a crash injected at an exact byte).

The last section holds the demonstrations that need the real kernel (fork,
signals, ``/proc`` counters, locks held by another process). The tests run each
in a fresh interpreter with ``run_in_child``; standard library only, so that
interpreter starts in milliseconds.

Everything here is deterministic: ties are broken by the order the caller gave,
never by hashing or timing, so the doctests in the pages print the same tables
on every machine.
"""

from __future__ import annotations

import enum
import errno
import io
import json
import mmap
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

__all__ = [
    "Banker",
    "CountingRaw",
    "HandlerRaised",
    "Proc",
    "Schedule",
    "SimulatedCrash",
    "Slice",
    "Step",
    "Verdict",
    "atomic_write",
    "blocked_in_read",
    "cow_faults",
    "fault_count",
    "fcfs",
    "fifo",
    "find_cycle",
    "frame_table",
    "interrupt_blocked_read",
    "lock_probe",
    "lru",
    "naive_write",
    "opt",
    "posix_lock_deadlock",
    "priority",
    "round_robin",
    "run_in_child",
    "sjf",
    "srtf",
    "wait_for_graph",
    "write_syscalls",
]


# --------------------------------------------------------------------------
# Page replacement
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One memory reference: the page asked for and the frames right after it.

    ``frames[i]`` is the page in physical frame ``i`` (``None`` while empty). A
    faulting page is loaded into the frame its victim occupied, as in textbook
    tables, so a frame's column only changes on a fault.
    """

    page: int
    frames: tuple[int | None, ...]
    fault: bool
    evicted: int | None


def _check_reference(refs: Sequence[int], frames: int) -> None:
    if frames < 1:
        raise ValueError(f"frames must be at least 1, got {frames}")
    for page in refs:
        if isinstance(page, bool) or not isinstance(page, int) or page < 0:
            raise ValueError(f"page numbers must be non-negative ints, got {page!r}")


def _replay(
    refs: Sequence[int],
    frames: int,
    choose_victim: Callable[[int, list[int]], int],
    record: Callable[[int, Step], None] = lambda t, step: None,
) -> list[Step]:
    """Run a reference string; ``choose_victim(t, resident)`` picks the page to evict.

    ``record(t, step)`` is called after every reference so a policy can keep
    its own bookkeeping (load times, last use).
    """
    _check_reference(refs, frames)
    slots: list[int | None] = [None] * frames
    steps: list[Step] = []
    for t, page in enumerate(refs):
        evicted: int | None = None
        fault = page not in slots
        if fault:
            if None in slots:
                slots[slots.index(None)] = page
            else:
                resident = [p for p in slots if p is not None]
                evicted = choose_victim(t, resident)
                slots[slots.index(evicted)] = page
        steps.append(Step(page, tuple(slots), fault, evicted))
        record(t, steps[-1])
    return steps


def fifo(refs: Sequence[int], frames: int) -> list[Step]:
    """First in, first out: evict the page that was loaded longest ago.

    O(len(refs) * frames). Subject to Belady's anomaly: more frames can mean
    more faults.

    >>> fault_count(fifo([1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5], 3))
    9
    >>> fault_count(fifo([1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5], 4))
    10
    """
    loaded_at: dict[int, int] = {}

    def victim(t: int, resident: list[int]) -> int:
        return min(resident, key=loaded_at.__getitem__)

    def record(t: int, step: Step) -> None:
        if step.fault:
            loaded_at[step.page] = t

    return _replay(refs, frames, victim, record)


def lru(refs: Sequence[int], frames: int) -> list[Step]:
    """Least recently used: evict the page whose last use is furthest in the past.

    O(len(refs) * frames). A stack algorithm: never more faults with more frames.

    >>> fault_count(lru([7, 0, 1, 2, 0, 3, 0, 4], 3))
    6
    """
    last_use: dict[int, int] = {}

    def victim(t: int, resident: list[int]) -> int:
        return min(resident, key=last_use.__getitem__)

    def record(t: int, step: Step) -> None:
        last_use[step.page] = t

    return _replay(refs, frames, victim, record)


def opt(refs: Sequence[int], frames: int) -> list[Step]:
    """Belady's optimal policy: evict the page whose next use is furthest away.

    Needs the future, so no kernel can run it; it is the yardstick the others
    are measured against. Pages never used again go first, lowest frame first.
    O(len(refs)**2) here, which is fine for teaching-sized strings.

    >>> fault_count(opt([7, 0, 1, 2, 0, 3, 0, 4], 3))
    6
    """

    def victim(t: int, resident: list[int]) -> int:
        def next_use(page: int) -> int:
            for later in range(t + 1, len(refs)):
                if refs[later] == page:
                    return later
            return len(refs)  # never again: the perfect victim

        return max(resident, key=next_use)

    return _replay(refs, frames, victim)


def fault_count(steps: Iterable[Step]) -> int:
    """How many of the references faulted.

    >>> fault_count(fifo([1, 1, 2], 1))
    2
    """
    return sum(step.fault for step in steps)


def frame_table(steps: Sequence[Step]) -> str:
    """Render a frame-by-frame table: one column per reference, ``*`` marks a fault.

    >>> print(frame_table(fifo([1, 2, 1, 3], 2)))
    ref    1  2  1  3
    f0     1  1  1  3
    f1     .  2  2  2
    fault  *  *     *
    """
    if not steps:
        raise ValueError("frame_table needs at least one step")
    width = max(2, *(len(str(s.page)) for s in steps))

    def row(label: str, cells: Iterable[str]) -> str:
        return (label.ljust(5) + "".join(c.rjust(width + 1) for c in cells)).rstrip()

    lines = [row("ref", (str(s.page) for s in steps))]
    for i in range(len(steps[0].frames)):
        cells = ("." if s.frames[i] is None else str(s.frames[i]) for s in steps)
        lines.append(row(f"f{i}", cells))
    lines.append(row("fault", ("*" if s.fault else "" for s in steps)))
    return "\n".join(lines)


# --------------------------------------------------------------------------
# CPU scheduling
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Proc:
    """A process to schedule: CPU time needed, when it arrives, its priority.

    A *lower* ``priority`` number means more important, as in most textbooks
    (and Linux nice values).
    """

    name: str
    burst: int
    arrival: int = 0
    priority: int = 0


@dataclass(frozen=True)
class Slice:
    """The CPU ran ``name`` (``None``: idle) from ``start`` up to ``end``."""

    name: str | None
    start: int
    end: int

    @property
    def duration(self) -> int:
        """Length of the slice."""
        return self.end - self.start


@dataclass(frozen=True)
class Schedule:
    """The outcome of a scheduling policy: who ran when, and the derived metrics."""

    procs: tuple[Proc, ...]
    slices: tuple[Slice, ...]

    def _proc(self, name: str) -> Proc:
        for p in self.procs:
            if p.name == name:
                return p
        raise KeyError(f"no process named {name!r}")

    def completion(self, name: str) -> int:
        """When ``name`` finished."""
        self._proc(name)
        return max(s.end for s in self.slices if s.name == name)

    def turnaround(self, name: str) -> int:
        """Completion minus arrival: how long the caller waited for the answer."""
        return self.completion(name) - self._proc(name).arrival

    def waiting(self, name: str) -> int:
        """Time spent ready but not running: turnaround minus burst."""
        return self.turnaround(name) - self._proc(name).burst

    def response(self, name: str) -> int:
        """Time from arrival to first run: what an interactive user feels."""
        first = min(s.start for s in self.slices if s.name == name)
        return first - self._proc(name).arrival

    def average_wait(self) -> float:
        """Mean waiting time over all processes.

        >>> round(fcfs([Proc("A", 24), Proc("B", 3), Proc("C", 3)]).average_wait(), 2)
        17.0
        """
        return sum(self.waiting(p.name) for p in self.procs) / len(self.procs)

    def gantt(self, scale: int = 1) -> str:
        """A text Gantt chart: each slice is ``duration * scale`` characters wide.

        Slices are widened when a label would not fit, so the chart is a
        picture, not a ruler.

        >>> print(fcfs([Proc("A", 6), Proc("B", 3)]).gantt())
        |A     |B  |
        0      6   9
        """
        if scale < 1:
            raise ValueError(f"scale must be at least 1, got {scale}")
        top, bottom = "|", "0"
        for s in self.slices:
            label = s.name if s.name is not None else "idle"
            width = max(s.duration * scale, len(label) + 1, len(str(s.end)) + 1)
            top += label.ljust(width) + "|"
            bottom = bottom.ljust(len(top) - 1) + str(s.end)
        return top + "\n" + bottom


def _validate(procs: Sequence[Proc]) -> tuple[Proc, ...]:
    if not procs:
        raise ValueError("need at least one process to schedule")
    names = [p.name for p in procs]
    if len(set(names)) != len(names):
        raise ValueError(f"process names must be unique, got {names}")
    for p in procs:
        if p.burst < 1:
            raise ValueError(f"{p.name}: burst must be at least 1, got {p.burst}")
        if p.arrival < 0:
            raise ValueError(f"{p.name}: arrival must be non-negative, got {p.arrival}")
    return tuple(procs)


def _merge(slices: list[Slice]) -> tuple[Slice, ...]:
    """Join back-to-back slices of the same process (a preemption that kept it running)."""
    merged: list[Slice] = []
    for s in slices:
        if merged and merged[-1].name == s.name and merged[-1].end == s.start:
            merged[-1] = Slice(s.name, merged[-1].start, s.end)
        else:
            merged.append(s)
    return tuple(merged)


def _non_preemptive(procs: Sequence[Proc], key: Callable[[Proc], tuple[int, ...]]) -> Schedule:
    """Whenever the CPU is free, run the ready process with the smallest key to completion."""
    todo = list(_validate(procs))
    order = {p.name: i for i, p in enumerate(todo)}
    slices: list[Slice] = []
    now = 0
    while todo:
        ready = [p for p in todo if p.arrival <= now]
        if not ready:
            nxt = min(p.arrival for p in todo)
            slices.append(Slice(None, now, nxt))
            now = nxt
            continue
        chosen = min(ready, key=lambda p: (*key(p), p.arrival, order[p.name]))
        slices.append(Slice(chosen.name, now, now + chosen.burst))
        now += chosen.burst
        todo.remove(chosen)
    return Schedule(tuple(procs), _merge(slices))


def _preemptive(procs: Sequence[Proc], key: Callable[[Proc, int], tuple[int, ...]]) -> Schedule:
    """Always run the ready process with the smallest ``key(proc, remaining)``.

    Decisions are only needed when something arrives or finishes, so the clock
    jumps from event to event instead of ticking.
    """
    all_procs = _validate(procs)
    order = {p.name: i for i, p in enumerate(all_procs)}
    remaining = {p.name: p.burst for p in all_procs}
    slices: list[Slice] = []
    now = 0
    while remaining:
        pending = [p for p in all_procs if p.name in remaining]
        ready = [p for p in pending if p.arrival <= now]
        future = [p.arrival for p in pending if p.arrival > now]
        if not ready:
            slices.append(Slice(None, now, min(future)))
            now = min(future)
            continue
        chosen = min(ready, key=lambda p: (*key(p, remaining[p.name]), p.arrival, order[p.name]))
        until = now + remaining[chosen.name]
        if future:
            until = min(until, min(future))  # an arrival may preempt: decide again then
        slices.append(Slice(chosen.name, now, until))
        remaining[chosen.name] -= until - now
        if remaining[chosen.name] == 0:
            del remaining[chosen.name]
        now = until
    return Schedule(all_procs, _merge(slices))


def fcfs(procs: Sequence[Proc]) -> Schedule:
    """First come, first served: run in arrival order, each to completion.

    Ties in arrival keep the caller's order. O(n^2) here.

    >>> print(fcfs([Proc("P1", 24), Proc("P2", 3), Proc("P3", 3)]).gantt())
    |P1                      |P2 |P3 |
    0                        24  27  30
    """
    return _non_preemptive(procs, lambda p: ())


def sjf(procs: Sequence[Proc]) -> Schedule:
    """Shortest job first (non-preemptive): of the ready jobs, run the shortest.

    >>> sjf([Proc("P1", 24), Proc("P2", 3), Proc("P3", 3)]).average_wait()
    3.0
    """
    return _non_preemptive(procs, lambda p: (p.burst,))


def srtf(procs: Sequence[Proc]) -> Schedule:
    """Shortest remaining time first: SJF that preempts when a shorter job arrives.

    >>> s = srtf([Proc("long", 8), Proc("short", 2, arrival=1)])
    >>> [(x.name, x.start, x.end) for x in s.slices]
    [('long', 0, 1), ('short', 1, 3), ('long', 3, 10)]
    """
    return _preemptive(procs, lambda p, remaining: (remaining,))


def priority(procs: Sequence[Proc], *, preemptive: bool = False) -> Schedule:
    """Run the most important ready process (lowest ``priority`` number).

    >>> s = priority([Proc("batch", 5, priority=9), Proc("ui", 1, priority=0)])
    >>> [x.name for x in s.slices]
    ['ui', 'batch']
    """
    if preemptive:
        return _preemptive(procs, lambda p, remaining: (p.priority,))
    return _non_preemptive(procs, lambda p: (p.priority,))


def round_robin(procs: Sequence[Proc], quantum: int) -> Schedule:
    """Round robin: run each ready process for at most ``quantum``, then requeue it.

    Convention (as in most textbooks): processes that arrive during a quantum
    join the queue *before* the process whose quantum just expired.

    >>> s = round_robin([Proc("P1", 24), Proc("P2", 3), Proc("P3", 3)], quantum=4)
    >>> round(s.average_wait(), 2)
    5.67
    """
    if quantum < 1:
        raise ValueError(f"quantum must be at least 1, got {quantum}")
    all_procs = _validate(procs)
    arrivals = deque(sorted(all_procs, key=lambda p: p.arrival))  # stable: caller order on ties
    remaining = {p.name: p.burst for p in all_procs}
    ready: deque[Proc] = deque()
    slices: list[Slice] = []
    now = 0

    def admit(until: int) -> None:
        while arrivals and arrivals[0].arrival <= until:
            ready.append(arrivals.popleft())

    admit(now)
    while ready or arrivals:
        if not ready:
            nxt = arrivals[0].arrival
            slices.append(Slice(None, now, nxt))
            now = nxt
            admit(now)
            continue
        p = ready.popleft()
        run = min(quantum, remaining[p.name])
        slices.append(Slice(p.name, now, now + run))
        now += run
        remaining[p.name] -= run
        admit(now)  # newcomers first ...
        if remaining[p.name]:
            ready.append(p)  # ... then the preempted process goes to the back
    return Schedule(all_procs, _merge(slices))


# --------------------------------------------------------------------------
# Deadlock
# --------------------------------------------------------------------------


def find_cycle(graph: Mapping[str, Iterable[str]]) -> list[str] | None:
    """Return one cycle of a directed graph as ``[a, b, ..., a]``, or ``None``.

    In a wait-for graph an edge ``a -> b`` means "a waits for something b
    holds"; with single-instance resources a cycle *is* a deadlock. Iterative
    depth-first search with three colours, O(V + E).

    >>> find_cycle({"T1": ["T2"], "T2": ["T3"], "T3": ["T1"]})
    ['T1', 'T2', 'T3', 'T1']
    >>> find_cycle({"T1": ["T2"], "T2": []}) is None
    True
    """
    adjacency: dict[str, list[str]] = {}
    for node, targets in graph.items():
        adjacency.setdefault(node, []).extend(targets)
        for t in adjacency[node]:
            adjacency.setdefault(t, [])
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(adjacency, white)
    for root in adjacency:
        if colour[root] != white:
            continue
        path = [root]
        iters = [iter(adjacency[root])]
        colour[root] = grey
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                colour[path.pop()] = black
                iters.pop()
            elif colour[nxt] == grey:  # back edge: the path from nxt to here is a cycle
                return [*path[path.index(nxt) :], nxt]
            elif colour[nxt] == white:
                colour[nxt] = grey
                path.append(nxt)
                iters.append(iter(adjacency[nxt]))
    return None


def wait_for_graph(
    holds: Mapping[str, Iterable[str]], wants: Mapping[str, str]
) -> dict[str, list[str]]:
    """Collapse "who holds which lock" and "who wants which lock" into a wait-for graph.

    >>> wait_for_graph({"T1": ["A"], "T2": ["B"]}, {"T1": "B", "T2": "A"})
    {'T1': ['T2'], 'T2': ['T1']}
    """
    owner: dict[str, str] = {}
    for who, resources in holds.items():
        for r in resources:
            if r in owner:
                raise ValueError(f"{r!r} held by both {owner[r]!r} and {who!r}")
            owner[r] = who
    graph: dict[str, list[str]] = {who: [] for who in holds}
    for who, wanted in wants.items():
        graph.setdefault(who, [])
        if wanted in owner and owner[wanted] != who:
            graph[who].append(owner[wanted])
    return graph


class Verdict(enum.Enum):
    """What the Banker's algorithm says about a request."""

    GRANTED = "granted"
    UNAVAILABLE = "unavailable"  # not enough free right now: wait
    UNSAFE = "unsafe"  # free, but granting could deadlock: wait


Vector = tuple[int, ...]


def _le(a: Vector, b: Vector) -> bool:
    return all(x <= y for x, y in zip(a, b, strict=True))


def _add(a: Vector, b: Vector) -> Vector:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def _sub(a: Vector, b: Vector) -> Vector:
    return tuple(x - y for x, y in zip(a, b, strict=True))


class Banker:
    """Dijkstra's Banker's algorithm for multi-instance resources.

    A state is *safe* if some order lets every process obtain its declared
    maximum, finish and return everything. The banker only grants a request if
    the state afterwards is still safe. ``Banker`` is immutable: ``request``
    returns a new state.

    >>> b = Banker(available=(1,), maximum={"P": (2,)}, allocation={"P": (1,)})
    >>> b.safe_sequence()
    ['P']
    """

    def __init__(
        self,
        available: Sequence[int],
        maximum: Mapping[str, Sequence[int]],
        allocation: Mapping[str, Sequence[int]],
    ) -> None:
        self.available: Vector = tuple(available)
        self.maximum: dict[str, Vector] = {p: tuple(v) for p, v in maximum.items()}
        self.allocation: dict[str, Vector] = {p: tuple(v) for p, v in allocation.items()}
        self._check()

    def _check(self) -> None:
        width = len(self.available)
        if set(self.maximum) != set(self.allocation):
            raise ValueError("maximum and allocation must name the same processes")
        vectors = [("available", self.available)]
        vectors += [(f"maximum[{p}]", v) for p, v in self.maximum.items()]
        vectors += [(f"allocation[{p}]", v) for p, v in self.allocation.items()]
        for label, v in vectors:
            if len(v) != width:
                raise ValueError(f"{label} has {len(v)} resource types, expected {width}")
            if any(x < 0 for x in v):
                raise ValueError(f"{label} has a negative count: {v}")
        for p in self.maximum:
            if not _le(self.allocation[p], self.maximum[p]):
                raise ValueError(f"{p} holds more than its declared maximum")

    def need(self, process: str) -> Vector:
        """What ``process`` may still ask for: maximum minus allocation."""
        if process not in self.maximum:
            raise KeyError(f"unknown process {process!r}")
        return _sub(self.maximum[process], self.allocation[process])

    def is_safe_sequence(self, order: Sequence[str]) -> bool:
        """Replay ``order``: can each process in turn get its need, finish and release?"""
        if sorted(order) != sorted(self.maximum):
            return False
        work = self.available
        for p in order:
            if not _le(self.need(p), work):
                return False
            work = _add(work, self.allocation[p])
        return True

    def safe_sequence(self) -> list[str] | None:
        """A safe completion order, or ``None`` if the state is unsafe.

        Greedy is enough: finishing a process only ever adds to ``work``, so if
        any safe order exists, repeatedly running *any* process that fits finds
        one. O(n^2 * m) for n processes and m resource types.
        """
        work = self.available
        left = list(self.maximum)
        order: list[str] = []
        while left:
            runnable = next((p for p in left if _le(self.need(p), work)), None)
            if runnable is None:
                return None
            work = _add(work, self.allocation[runnable])
            left.remove(runnable)
            order.append(runnable)
        return order

    def is_safe(self) -> bool:
        """Whether some order lets every process finish."""
        return self.safe_sequence() is not None

    def request(self, process: str, amount: Sequence[int]) -> tuple[Verdict, Banker]:
        """Decide on ``process`` asking for ``amount`` more; return the verdict and new state.

        The state is unchanged unless the verdict is ``GRANTED``. Asking for
        more than the declared need is an error, not a wait.
        """
        req = tuple(amount)
        need = self.need(process)
        if len(req) != len(need) or any(x < 0 for x in req):
            raise ValueError(f"request must be {len(need)} non-negative counts, got {req}")
        if not _le(req, need):
            raise ValueError(f"{process} asked for {req}, more than its remaining need {need}")
        if not _le(req, self.available):
            return Verdict.UNAVAILABLE, self
        allocation = dict(self.allocation)
        allocation[process] = _add(allocation[process], req)
        after = Banker(_sub(self.available, req), self.maximum, allocation)
        if after.is_safe():
            return Verdict.GRANTED, after
        return Verdict.UNSAFE, self


# --------------------------------------------------------------------------
# Kernel boundaries without a kernel
# --------------------------------------------------------------------------


class CountingRaw(io.RawIOBase):
    """An in-memory raw stream that counts ``write`` calls, one per would-be syscall.

    ``max_chunk`` makes each write accept at most that many bytes, like a pipe
    or socket that is nearly full: a *short write*. ``io.BufferedWriter`` loops
    until everything is written; code that calls ``os.write`` once does not.

    >>> raw = CountingRaw()
    >>> with io.BufferedWriter(raw, buffer_size=64) as f:
    ...     for _ in range(10):
    ...         _ = f.write(b"0123456789")
    >>> len(raw.data), raw.calls
    (100, 2)
    """

    def __init__(self, max_chunk: int | None = None) -> None:
        super().__init__()
        if max_chunk is not None and max_chunk < 1:
            raise ValueError(f"max_chunk must be at least 1, got {max_chunk}")
        self.data = bytearray()
        self.calls = 0
        self.max_chunk = max_chunk

    def writable(self) -> bool:
        """Always writable."""
        return True

    def write(self, b: ReadableBuffer, /) -> int:
        """Accept up to ``max_chunk`` bytes of ``b``; return how many were taken."""
        self.calls += 1
        with memoryview(b) as view:
            chunk = view.cast("B")
            if self.max_chunk is not None:
                chunk = chunk[: self.max_chunk]
            self.data += chunk
            return len(chunk)


class SimulatedCrash(Exception):
    """Raised where the power was cut; nothing after that point ran."""


def naive_write(path: str | os.PathLike[str], data: bytes, *, crash_at: int | None = None) -> None:
    """Overwrite ``path`` in place: truncate, then write. A crash leaves a torn file.

    ``crash_at`` writes only that many bytes, then raises ``SimulatedCrash``.
    """
    with open(path, "wb") as f:  # the old content is gone from this line on
        if crash_at is not None:
            f.write(data[:crash_at])
            f.flush()
            raise SimulatedCrash(f"power cut after {crash_at} bytes")
        f.write(data)


def atomic_write(path: str | os.PathLike[str], data: bytes, *, crash_at: int | None = None) -> None:
    """Replace ``path`` so readers see the old file or the new one, never a mix.

    Write a temporary file *in the same directory* (``rename`` is only atomic
    within one file system), ``fsync`` it so its data is on disk before the
    name points at it, ``os.replace`` it over the target, then ``fsync`` the
    directory so the rename itself survives a crash.

    ``crash_at`` simulates a power cut after that many bytes of the temporary
    file: ``SimulatedCrash`` is raised before the rename and, as after a real
    crash, the temporary file is left behind.
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            if crash_at is not None:
                f.write(data[:crash_at])
                raise SimulatedCrash(f"power cut after {crash_at} bytes of {tmp}")
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except SimulatedCrash:
        raise  # a crashed process cleans nothing up
    except BaseException:
        os.unlink(tmp)
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# --------------------------------------------------------------------------
# Demonstrations on the real kernel, each run in a fresh interpreter
# --------------------------------------------------------------------------
#
# These fork, install signal handlers or read process-wide counters, so the
# tests never call them inside pytest: ``run_in_child`` starts
# ``python ossim.py <demo> <args>``, a small single-threaded interpreter where a
# misbehaving child cannot take the test session down and nothing else writes
# or faults while we measure. Linux is the reference platform.

CHILD_TIMEOUT = 60.0


def run_in_child(demo: str, *args: str, timeout: float = CHILD_TIMEOUT) -> Any:
    """Run the demonstration ``demo`` in a fresh interpreter; return its JSON result.

    Raises ``RuntimeError`` with the child's stderr if it fails, and
    ``subprocess.TimeoutExpired`` if it runs longer than ``timeout`` seconds.

    >>> run_in_child("lock-probe", "write-without-lock", os.devnull)
    'wrote'
    >>> run_in_child("no-such-demo")
    Traceback (most recent call last):
    ...
    RuntimeError: demo 'no-such-demo' exited with status 2: ...
    """
    proc = subprocess.run(
        [sys.executable, "-W", "error", __file__, demo, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"demo {demo!r} exited with status {proc.returncode}: {proc.stderr}")
    return json.loads(proc.stdout)


def _minor_faults() -> int:
    import resource  # POSIX only, like fcntl below: imported where needed

    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _touch_pages(m: mmap.mmap, pages: int, value: int) -> int:
    """Write one byte into each page; return the minor faults that cost."""
    before = _minor_faults()
    for i in range(pages):
        m[i * mmap.PAGESIZE] = value
    return _minor_faults() - before


def _read_pages(m: mmap.mmap, pages: int) -> int:
    """Read one byte from each page; return the minor faults that cost."""
    before = _minor_faults()
    total = 0
    for i in range(pages):
        total += m[i * mmap.PAGESIZE]
    return _minor_faults() - before


def _fork(body: Callable[[], None]) -> int:
    """Fork; the child runs ``body`` and leaves with ``os._exit`` (1 if it raised)."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            body()
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)  # never return into the parent's code
    return pid


def _exit_code(pid: int) -> int:
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def cow_faults(pages: int) -> dict[str, int]:
    """Fork over ``pages`` populated private pages; count minor faults on both sides.

    Every count is taken with ``getrusage`` inside the process it describes;
    the child reports through a pipe.
    """
    m = mmap.mmap(-1, pages * mmap.PAGESIZE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    if hasattr(mmap, "MADV_NOHUGEPAGE"):
        # With transparent huge pages one fault can map 512 pages at once,
        # which would hide the per-page story.
        m.madvise(mmap.MADV_NOHUGEPAGE)
    result = {"first_touch": _touch_pages(m, pages, 1), "rewrite": _touch_pages(m, pages, 2)}
    r, w = os.pipe()

    def child() -> None:
        os.close(r)
        counts = {
            "child_read": _read_pages(m, pages),
            "child_write": _touch_pages(m, pages, 3),
            "child_rewrite": _touch_pages(m, pages, 4),
            "child_sees": m[0],
        }
        os.write(w, json.dumps(counts).encode())

    pid = _fork(child)
    os.close(w)
    with os.fdopen(r, "rb") as reader:
        result.update(json.loads(reader.read() or b"{}"))
    result["child_exit"] = _exit_code(pid)
    result["parent_sees"] = m[0]
    result["parent_write_after_fork"] = _touch_pages(m, pages, 5)
    m.close()
    return result


def posix_lock_deadlock() -> dict[str, Any]:
    """Parent locks byte 0, child byte 1 of a file, then each asks for the other's byte.

    Linux checks the wait-for graph of POSIX record locks: exactly one of the
    two blocking requests fails with ``EDEADLK``; that process backs off and the
    other gets its lock.
    """
    import fcntl

    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(b"ab")
        path = f.name
    to_child_r, to_child_w = os.pipe()
    to_parent_r, to_parent_w = os.pipe()

    def take_second(fd: int, mine: int, other: int) -> str:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX, 1, other)  # blocking: F_SETLKW
        except OSError as exc:
            if exc.errno != errno.EDEADLK:
                raise
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, mine)  # the victim backs off
            return "EDEADLK"
        return "granted"

    def child() -> None:
        os.close(to_child_w)
        os.close(to_parent_r)
        fd = os.open(path, os.O_RDWR)
        fcntl.lockf(fd, fcntl.LOCK_EX, 1, 1)
        os.write(to_parent_w, b"1")  # I hold byte 1 ...
        os.read(to_child_r, 1)  # ... and the parent holds byte 0
        os.write(to_parent_w, take_second(fd, 1, 0).encode())

    pid = _fork(child)
    os.close(to_child_r)
    os.close(to_parent_w)  # so reading to EOF ends when the child exits
    try:
        fd = os.open(path, os.O_RDWR)
        if os.read(to_parent_r, 1) != b"1":
            raise RuntimeError("the child did not take its lock")
        fcntl.lockf(fd, fcntl.LOCK_EX, 1, 0)
        os.write(to_child_w, b"1")
        os.close(to_child_w)
        parent = take_second(fd, 0, 1)
        os.close(fd)  # releases the parent's locks, so a waiting child can finish
        with os.fdopen(to_parent_r, "rb") as reader:
            child_outcome = reader.read().decode()
    finally:
        code = _exit_code(pid)
        os.unlink(path)
    return {"parent": parent, "child": child_outcome, "child_exit": code}


def _syscw() -> int:
    """Write system calls made by this process so far (Linux task I/O accounting)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        key, _, value = line.partition(":")
        if key == "syscw":
            return int(value)
    raise RuntimeError("no syscw line in /proc/self/io")


def write_syscalls(records: int, record: bytes, buffer_size: int) -> dict[str, int]:
    """Write ``records`` copies of ``record`` three ways; count write syscalls for each."""
    result: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "out")
        before = _syscw()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        for _ in range(records):
            os.write(fd, record)
        os.close(fd)
        result["os.write"] = _syscw() - before

        before = _syscw()
        with open(path, "wb", buffering=buffer_size) as f:
            for _ in range(records):
                f.write(record)
        result["buffered"] = _syscw() - before

        before = _syscw()
        with open(path, "w", buffering=1) as text:  # line buffered, like stdout on a TTY
            for _ in range(records):
                text.write(record.decode())
        result["line_buffered"] = _syscw() - before
    return result


_SYSCALL_READ = {"x86_64": 0, "amd64": 0, "aarch64": 63, "arm64": 63}.get(platform.machine())


def blocked_in_read(tid: int, fd: int) -> bool:
    """Is thread ``tid`` of this process inside read(2) on ``fd`` right now?

    Reads ``/proc/self/task/<tid>/syscall``: the system call number and its
    arguments while the thread is blocked in one.
    """
    fields = Path(f"/proc/self/task/{tid}/syscall").read_text().split()
    if len(fields) < 2 or fields[0] in ("running", "-1"):
        return False
    number_ok = _SYSCALL_READ is None or int(fields[0]) == _SYSCALL_READ
    return number_ok and int(fields[1], 16) == fd


class HandlerRaised(Exception):
    """Raised by the signal handler in the variant of the demonstration where it raises."""


def interrupt_blocked_read(*, handler_raises: bool) -> dict[str, Any]:
    """Block the main thread in ``os.read`` on an empty pipe, signal it, then feed the pipe.

    A helper thread waits until ``/proc`` shows the main thread inside read(2)
    on the pipe, sends it ``SIGUSR1``, waits until the handler has run and only
    then writes the data. So the read was certainly interrupted, and it can only
    return the data if Python retried it after the handler (PEP 475).
    """
    r, w = os.pipe()
    main_tid, main_ident = threading.get_native_id(), threading.get_ident()
    handler_ran = threading.Event()
    report: dict[str, Any] = {"handler_ran": False, "was_blocked": False}

    def handler(signum: int, frame: object) -> None:
        report["handler_ran"] = True
        handler_ran.set()
        if handler_raises:
            raise HandlerRaised("the handler raised")

    def helper() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if blocked_in_read(main_tid, r):
                report["was_blocked"] = True
                break
            time.sleep(0.001)  # polling only: the outcome never depends on it
        signal.pthread_kill(main_ident, signal.SIGUSR1)
        if handler_ran.wait(timeout=10) and not handler_raises:
            os.write(w, b"payload")

    previous = signal.signal(signal.SIGUSR1, handler)
    thread = threading.Thread(target=helper)
    thread.start()
    try:
        report["read"] = os.read(r, 100).decode()
    except HandlerRaised:
        report["read"] = "HandlerRaised"
    except InterruptedError:
        report["read"] = "InterruptedError"
    finally:
        thread.join(timeout=20)
        signal.signal(signal.SIGUSR1, previous)
        os.close(r)
        os.close(w)
    return report


def lock_probe(kind: str, path: str) -> str:
    """From another process: try a non-blocking lock (or a plain write) on ``path``.

    ``kind`` is ``flock``, ``lockf`` or ``write-without-lock``; the answer is
    ``locked``, ``refused`` or ``wrote``.
    """
    import fcntl

    if kind == "write-without-lock":
        with open(path, "wb") as f:
            f.write(b"overwritten by a process that never asked\n")
        return "wrote"
    if kind not in ("flock", "lockf"):
        raise ValueError(f"unknown lock kind {kind!r}")
    with open(path, "r+b") as f:
        try:
            if kind == "flock":
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:
                fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # BlockingIOError for flock; EACCES or EAGAIN for lockf
            return "refused"
        return "locked"


_DEMOS: dict[str, Callable[..., object]] = {
    "cow-faults": lambda pages: cow_faults(int(pages)),
    "posix-lock-deadlock": posix_lock_deadlock,
    "write-syscalls": lambda n, record, size: write_syscalls(int(n), record.encode(), int(size)),
    "eintr": lambda: interrupt_blocked_read(handler_raises=False),
    "eintr-raise": lambda: interrupt_blocked_read(handler_raises=True),
    "lock-probe": lock_probe,
}


def _main(argv: Sequence[str]) -> int:
    if not argv or argv[0] not in _DEMOS:
        print(f"usage: ossim.py {{{','.join(_DEMOS)}}} [args...]", file=sys.stderr)
        return 2
    print(json.dumps(_DEMOS[argv[0]](*argv[1:])))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
