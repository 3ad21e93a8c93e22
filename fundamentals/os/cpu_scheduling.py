"""CPU scheduling simulated: FCFS, SJF, SRTF, priority and round robin as Gantt charts.

The code behind ``cpu_scheduling.md``. Each policy returns a ``Schedule`` of
time slices; waiting and turnaround times are derived from it. Ties go to the
process listed first, so every chart is deterministic.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass


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
