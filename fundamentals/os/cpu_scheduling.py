"""CPU scheduling simulated: textbook policies, CPU quotas, load average and queueing delay.

The code behind ``cpu_scheduling.md``. Each policy returns a ``Schedule`` of
time slices; waiting and turnaround times are derived from it. Ties go to the
process listed first, so every chart is deterministic. ``cfs_bandwidth``
replays a container's ``cpu.max`` quota, ``load_average`` the kernel's
fixed-point load average, ``simulate_queue`` a single-server queue and
``simulate_servers`` several servers fed by one queue or by a balancer: all
of them count simulated time and seed their randomness, so every number they
print is reproducible. ``run_queue_waits`` is the one demonstration on the real
kernel; it forks, so the tests run it in a fresh interpreter
(``call_in_subprocess``).
"""

from __future__ import annotations

import functools
import heapq
import itertools
import json
import math
import os
import random
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from fundamentals.os.processes import exit_code, fork_child, read_all


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
        # Run it until it finishes or the next arrival, which may preempt it.
        until = min([now + remaining[chosen.name], *future])  # break[srtf-no-preemption]
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

    Optimal for average wait only when every job is there from the start: it
    never idles, so a long job that starts just before a short one arrives
    makes the short one wait (see ``best_non_preemptive_wait``).

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
# Exhaustive optima, to check the policies against
# --------------------------------------------------------------------------


def best_non_preemptive_wait(procs: Sequence[Proc]) -> float:
    """The lowest average wait of any non-preemptive schedule, idle gaps allowed.

    Every non-preemptive schedule runs the jobs in some order, and starting each
    one as soon as its predecessor ends and it has arrived never hurts, so trying
    every order is exhaustive. O(n! * n): at most 8 jobs.

    >>> best_non_preemptive_wait([Proc("long", 8), Proc("short", 1, arrival=1)])
    1.0
    """
    all_procs = _validate(procs)
    if len(all_procs) > 8:
        raise ValueError(f"at most 8 jobs for an exhaustive search, got {len(all_procs)}")
    best = math.inf
    for order in itertools.permutations(all_procs):
        now = total = 0
        for p in order:
            start = max(now, p.arrival)
            total += start - p.arrival
            now = start + p.burst
        best = min(best, total)
    return best / len(all_procs)


def best_preemptive_wait(procs: Sequence[Proc]) -> float:
    """The lowest average wait of any schedule that may switch jobs at every whole time unit.

    A memoised search over (time, remaining work); exponential in the number of
    jobs, for checking small workloads. The CPU never idles while a job is
    ready: giving that unit to a ready job finishes nothing later.

    >>> best_preemptive_wait([Proc("long", 8), Proc("short", 1, arrival=1)])
    0.5
    """
    all_procs = _validate(procs)
    arrivals = tuple(p.arrival for p in all_procs)

    @functools.cache
    def least_total_completion(now: int, remaining: tuple[int, ...]) -> int:
        pending = [i for i, r in enumerate(remaining) if r]
        if not pending:
            return 0
        ready = [i for i in pending if arrivals[i] <= now]
        if not ready:
            return least_total_completion(min(arrivals[i] for i in pending), remaining)
        best = math.inf
        for i in ready:
            rest = list(remaining)
            rest[i] -= 1
            done_now = now + 1 if rest[i] == 0 else 0
            best = min(best, done_now + least_total_completion(now + 1, tuple(rest)))
        return int(best)

    total = least_total_completion(0, tuple(p.burst for p in all_procs))
    # waiting = completion - arrival - burst, summed over the jobs
    return (total - sum(p.arrival + p.burst for p in all_procs)) / len(all_procs)


# --------------------------------------------------------------------------
# CFS bandwidth control: a container's cpu.max quota
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class BandwidthRun:
    """What ``cfs_bandwidth`` simulated, in milliseconds, with ``cpu.stat``'s counters."""

    finish: tuple[Fraction, ...]
    """When each thread had received all the CPU time it needed."""
    throttled: tuple[tuple[Fraction, Fraction], ...]
    """The intervals during which the quota was spent and no thread of the group ran."""
    nr_periods: int
    """Enforcement periods in which the group had work (``cpu.stat`` ``nr_periods``)."""
    nr_throttled: int
    """Periods in which it ran out of quota (``cpu.stat`` ``nr_throttled``)."""

    @property
    def latency(self) -> Fraction:
        """When the last thread finished: the request's latency if it needs them all."""
        return max(self.finish)

    @property
    def throttled_time(self) -> Fraction:
        """Total time spent throttled (``cpu.stat`` ``throttled_usec``, in ms here)."""
        return sum((end - start for start, end in self.throttled), Fraction(0))


def cfs_bandwidth(
    work: Sequence[int | Fraction],
    *,
    quota: int | Fraction | None,
    period: int | Fraction,
    cpus: int,
) -> BandwidthRun:
    """Run one cgroup's threads under ``cpu.max = "<quota> <period>"`` on ``cpus`` idle CPUs.

    Thread ``i`` is runnable from time 0 until it has had ``work[i]`` ms of CPU.
    At most ``cpus`` threads run at once (more share the CPUs equally). The
    group's runtime pays for CPU time used, one ms per busy CPU per ms, so
    threads waiting for a CPU cost nothing; once a period's ``quota`` is
    spent, the whole group is throttled until the next period refills it.
    ``quota=None`` is ``cpu.max = "max"``: no limit. Unused quota is not carried
    over (``cpu.max.burst`` 0, the default). Exact arithmetic with ``Fraction``.

    The kernel hands out runtime to each CPU in slices
    (``sched_cfs_bandwidth_slice_us``, 5 ms by default) and notices an empty pool
    at the next tick or switch, so real throttling starts a little off these
    instants; the budget per period is the same.

    >>> run = cfs_bandwidth([20, 20, 20, 20], quota=50, period=100, cpus=4)
    >>> float(run.latency), [(float(a), float(b)) for a, b in run.throttled]
    (107.5, [(12.5, 100.0)])
    >>> cfs_bandwidth([1], quota=0, period=100, cpus=1)
    Traceback (most recent call last):
    ...
    ValueError: quota must be positive (or None for no limit), got 0
    """
    if not work or any(w <= 0 for w in work):
        raise ValueError(f"need at least one thread, each with positive work, got {list(work)}")
    if quota is not None and quota <= 0:
        raise ValueError(f"quota must be positive (or None for no limit), got {quota}")
    if period <= 0:
        raise ValueError(f"period must be positive, got {period}")
    if cpus < 1:
        raise ValueError(f"cpus must be at least 1, got {cpus}")
    remaining = [Fraction(w) for w in work]
    finish = [Fraction(0)] * len(work)
    now, period_end = Fraction(0), Fraction(period)
    budget = None if quota is None else Fraction(quota)
    throttled: list[tuple[Fraction, Fraction]] = []
    nr_periods, nr_throttled = 1, 0
    while any(remaining):
        running = [i for i, r in enumerate(remaining) if r]
        busy = min(cpus, len(running))  # CPUs in use
        rate = Fraction(busy, len(running))  # CPU-ms per ms, for each running thread
        # The quota pays for CPU time used: one ms per busy CPU per ms. Threads
        # waiting for a CPU in the group's run queue cost nothing.
        charge = busy  # break[charge-per-thread]
        # Advance to the next event: a thread finishes, the period ends, or the quota runs out.
        step = min(min(remaining[i] for i in running) / rate, period_end - now)
        if budget is not None:
            step = min(step, budget / charge)  # break[no-quota]
        now += step
        for i in running:
            remaining[i] -= rate * step
            if not remaining[i]:
                finish[i] = now
        if budget is not None:
            budget -= charge * step
            if budget <= 0 and any(remaining) and now < period_end:
                throttled.append((now, period_end))
                nr_throttled += 1
                now = period_end
        if now == period_end and any(remaining):
            period_end += period
            nr_periods += 1
            budget = None if quota is None else Fraction(quota)
    return BandwidthRun(tuple(finish), tuple(throttled), nr_periods, nr_throttled)


# --------------------------------------------------------------------------
# Load average: the kernel's fixed-point arithmetic
# --------------------------------------------------------------------------

FSHIFT = 11
"""Bits of fraction in the kernel's fixed-point load (``include/linux/sched/loadavg.h``)."""
FIXED_1 = 1 << FSHIFT
"""1.0 in that fixed point."""
EXP_1, EXP_5, EXP_15 = 1884, 2014, 2037
"""``FIXED_1 / exp(5 s / 1, 5, 15 min)``: the decay per 5-second sample."""
LOAD_FREQ_SECONDS = 5
"""The kernel folds a new sample in every ``LOAD_FREQ`` = 5 s (plus one tick)."""


def active_tasks(states: str) -> int:
    """What one load-average sample counts: tasks running or runnable (R) and in D sleep.

    ``states`` holds one ``/proc/<pid>/stat`` state letter per task. The kernel
    adds each run queue's ``nr_running`` and ``nr_uninterruptible``
    (``calc_load_fold_active`` in ``kernel/sched/loadavg.c``); sleeping (S),
    stopped and zombie tasks do not count.

    >>> active_tasks("RRSDDZ")
    4
    """
    return sum(1 for s in states if s in "RD")  # break[load-ignores-d-state]


def calc_load(load: int, exp: int, active: int) -> int:
    """One fold of the exponentially damped average, exactly as ``calc_load`` in the kernel.

    ``load`` and ``active`` are fixed-point (``FIXED_1`` is 1.0); rounding up
    while the load rises lets a steady count reach itself exactly.

    >>> calc_load(0, EXP_1, 1 * FIXED_1)  # one runnable task, first sample
    164
    """
    new = load * exp + active * (FIXED_1 - exp)
    if active >= load:
        new += FIXED_1 - 1
    return new // FIXED_1


def format_load(load: int) -> str:
    """Print a fixed-point load the way ``/proc/loadavg`` does: rounded to two decimals.

    >>> format_load(FIXED_1), format_load(164)
    ('1.00', '0.08')
    """
    load += FIXED_1 // 200  # + 0.005, as fs/proc/loadavg.c asks get_avenrun() to add
    return f"{load >> FSHIFT}.{((load & (FIXED_1 - 1)) * 100) >> FSHIFT:02d}"


def load_average(samples: Iterable[str]) -> tuple[str, str, str]:
    """The 1, 5 and 15 minute load averages after these 5-second samples, from zero.

    Each sample is the state letters of the tasks at that instant (see
    ``active_tasks``).

    >>> load_average(["R"] * 12)  # one CPU-bound task for one minute
    ('0.63', '0.18', '0.06')
    """
    loads = [0, 0, 0]
    for states in samples:
        active = active_tasks(states) * FIXED_1
        loads = [
            calc_load(x, e, active) for x, e in zip(loads, (EXP_1, EXP_5, EXP_15), strict=True)
        ]
    one, five, fifteen = (format_load(x) for x in loads)
    return one, five, fifteen


def parse_pressure(text: str) -> dict[str, dict[str, float]]:
    """Parse a PSI file (``/proc/pressure/cpu``, a cgroup's ``cpu.pressure``) into its lines.

    Each line is ``some`` or ``full``, then ``avg10``, ``avg60`` and ``avg300``
    (percent of wall time stalled, over 10 s, 60 s and 300 s) and ``total``
    (microseconds stalled since boot, or since the cgroup was created).

    >>> parse_pressure("some avg10=1.50 avg60=0.40 avg300=0.10 total=12345\\n")
    {'some': {'avg10': 1.5, 'avg60': 0.4, 'avg300': 0.1, 'total': 12345.0}}
    >>> parse_pressure("most avg10=1.50")
    Traceback (most recent call last):
    ...
    ValueError: not a pressure line: 'most avg10=1.50'
    """
    lines: dict[str, dict[str, float]] = {}
    for line in text.splitlines():
        kind, *fields = line.split()
        pairs = dict(field.partition("=")[::2] for field in fields)
        if kind not in ("some", "full") or set(pairs) != {"avg10", "avg60", "avg300", "total"}:
            raise ValueError(f"not a pressure line: {line!r}")
        lines[kind] = {name: float(value) for name, value in pairs.items()}
    return lines


# --------------------------------------------------------------------------
# Queueing: why latency explodes near saturation
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRun:
    """One simulated single-server FIFO queue: when each customer arrived, started, left.

    Times are in mean service times (read them as ms if a request takes 1 ms).
    """

    arrivals: tuple[float, ...]
    starts: tuple[float, ...]
    departures: tuple[float, ...]

    def waits(self) -> list[float]:
        """Time each customer spent queued before service began."""
        return [s - a for a, s in zip(self.arrivals, self.starts, strict=True)]

    def mean_wait(self) -> float:
        """Mean time in the queue (W_q)."""
        return math.fsum(self.waits()) / len(self.arrivals)

    def p99_wait(self) -> float:
        """The 99th percentile of time in the queue (nearest rank)."""
        ranked = sorted(self.waits())
        return ranked[math.ceil(0.99 * len(ranked)) - 1]

    def mean_time_in_system(self) -> float:
        """Mean time from arrival to departure (W): queueing plus service."""
        total = math.fsum(d - a for a, d in zip(self.arrivals, self.departures, strict=True))
        return total / len(self.arrivals)

    @property
    def horizon(self) -> float:
        """The observation window is [0, horizon]: up to the last arrival."""
        return self.arrivals[-1]

    def arrival_rate(self) -> float:
        """Customers that arrived per unit of time in the window (lambda)."""
        return len(self.arrivals) / self.horizon

    def mean_number_in_system(self) -> float:
        """Time-average number of customers present over the window (L).

        N(t) = A(t) - D(t): arrivals so far minus departures so far. Its
        integral over [0, T] is the area between the two counting curves,
        the sum of (T - a) over arrivals minus the sum of (T - d) over
        departures before T. No customer's arrival is matched with its
        departure here; ``mean_time_in_system`` does that.
        """
        end = self.horizon
        left = self.departures  # break[l-counts-queue-only]
        area = math.fsum(end - a for a in self.arrivals) - math.fsum(
            end - d for d in left if d <= end
        )
        return area / end

    def littles_law_gap_bound(self) -> float:
        """How far L may fall below lambda * W because the window ends while customers are inside.

        Over [0, T], lambda * W counts every arrival's whole stay, L only the
        part before T: the gap is the time still to come for those present at T,
        at most (number present at T) * (last departure - T) / T. It shrinks as
        the window grows; Little's law is exact in the limit.
        """
        end = self.horizon
        present = sum(1 for d in self.departures if d > end)
        return present * (self.departures[-1] - end) / end


@functools.lru_cache(maxsize=8)
def simulate_queue(
    utilisation: float, customers: int, *, seed: int, service: str = "exponential"
) -> QueueRun:
    """A single-server FIFO queue with Poisson arrivals: M/M/1 (or M/D/1), mean service 1.

    Customers arrive at rate ``utilisation``, so the server is busy that
    fraction of the time. ``service`` is ``exponential`` or ``deterministic``
    (every service takes exactly 1). The same seed draws the same numbers at
    every utilisation (only the arrival rate rescales them), so comparisons
    between utilisations are not blurred by luck. O(customers); cached, since
    the page and its tests ask for the same runs.

    >>> q = simulate_queue(0.5, 3, seed=1)
    >>> len(q.arrivals), q.starts[0] == q.arrivals[0]  # the first customer never waits
    (3, True)
    >>> simulate_queue(1.0, 10, seed=1)
    Traceback (most recent call last):
    ...
    ValueError: utilisation must be strictly between 0 and 1, got 1.0
    """
    if not 0 < utilisation < 1:
        raise ValueError(f"utilisation must be strictly between 0 and 1, got {utilisation}")
    if customers < 1:
        raise ValueError(f"need at least one customer, got {customers}")
    if service not in ("exponential", "deterministic"):
        raise ValueError(f"service must be 'exponential' or 'deterministic', got {service!r}")
    exponential = service == "exponential"
    rng = random.Random(seed)
    draw, log = rng.random, math.log
    arrivals, starts, departures = [], [], []
    now = free_at = 0.0
    for _ in range(customers):
        now += -log(1.0 - draw()) / utilisation
        work = -log(1.0 - draw())  # drawn either way, so both services see the same arrivals
        start = now if now > free_at else free_at
        free_at = start + (work if exponential else 1.0)  # break[service-without-variance]
        arrivals.append(now)
        starts.append(start)
        departures.append(free_at)
    return QueueRun(tuple(arrivals), tuple(starts), tuple(departures))


def mm1_mean_wait(utilisation: float) -> float:
    """Mean time queued in an M/M/1 queue with mean service 1: rho / (1 - rho).

    >>> round(mm1_mean_wait(0.9), 2)
    9.0
    """
    return utilisation / (1 - utilisation)


def mm1_p99_wait(utilisation: float) -> float:
    """99th percentile of time queued in M/M/1: P(wait > t) = rho * exp(-(1 - rho) t).

    >>> round(mm1_p99_wait(0.9), 1)
    45.0
    """
    return max(0.0, math.log(100 * utilisation)) / (1 - utilisation)


def mm1_wait_tail(utilisation: float, t: float) -> float:
    """P(wait > t) in M/M/1 with mean service 1: rho * exp(-(1 - rho) t), for t >= 0.

    At t = 0 it is rho: an arrival waits at all exactly when the server is busy,
    and Poisson arrivals see the time average (that much holds for any service
    distribution). The exponential decay is M/M/1's own.

    >>> mm1_wait_tail(0.9, 0.0), round(mm1_wait_tail(0.9, mm1_p99_wait(0.9)), 6)
    (0.9, 0.01)
    >>> mm1_wait_tail(0.9, -1)
    Traceback (most recent call last):
    ...
    ValueError: t must be non-negative, got -1
    """
    if t < 0:
        raise ValueError(f"t must be non-negative, got {t}")
    return utilisation * math.exp(-(1 - utilisation) * t)


def mm1_relative_error(utilisation: float, customers: int) -> float:
    """One relative standard error of a run's mean time in system, for an M/M/1 queue.

    The time-average number in system has asymptotic variance
    2 rho (1 + rho) / (1 - rho)^4 per unit time (mean service 1; see Whitt,
    "Planning queueing simulations", Management Science, 1989). Divided by the
    squared mean (rho / (1 - rho))^2 and the run length n / rho, that is
    2 (1 + rho) / ((1 - rho)^2 n), and by Little's law the same holds for the
    mean time in system. Near saturation successive customers' waits are so
    correlated that a long run is worth few independent samples.

    >>> round(mm1_relative_error(0.5, 100_000), 3), round(mm1_relative_error(0.97, 100_000), 2)
    (0.011, 0.21)
    """
    return math.sqrt(2 * (1 + utilisation) / ((1 - utilisation) ** 2 * customers))


DISPATCH = ("shared", "random", "two-choices", "least-outstanding")
"""How ``simulate_servers`` places arrivals: one shared queue, or a queue per server."""


@functools.lru_cache(maxsize=8)
def simulate_servers(
    utilisation: float, customers: int, servers: int, *, seed: int, dispatch: str
) -> tuple[float, ...]:
    """Each customer's wait with ``servers`` identical servers, each busy ``utilisation``.

    Poisson arrivals at rate ``servers * utilisation``, exponential service of
    mean 1. ``dispatch`` decides where an arrival queues:

    - ``shared``: one FIFO queue; whichever server frees up first takes the
      next customer (M/M/c);
    - ``random``: the queue of a server picked at random (each server is then an
      M/M/1 queue of its own);
    - ``two-choices``: of two servers picked at random, the one with fewer
      customers waiting or in service;
    - ``least-outstanding``: the server with the fewest customers.

    The last three commit a customer to a server on arrival, without knowing
    how long the jobs ahead will take. The same seed draws the same arrivals
    and services for every policy. O(customers * servers); cached.

    >>> waits = simulate_servers(0.5, 4, 2, seed=1, dispatch="shared")
    >>> len(waits), waits[0]  # the first customer finds every server free
    (4, 0.0)
    >>> simulate_servers(0.5, 4, 2, seed=1, dispatch="round-robin")
    Traceback (most recent call last):
    ...
    ValueError: dispatch must be one of (...), got 'round-robin'
    """
    if not 0 < utilisation < 1:
        raise ValueError(f"utilisation must be strictly between 0 and 1, got {utilisation}")
    if customers < 1:
        raise ValueError(f"need at least one customer, got {customers}")
    if servers < 2:
        raise ValueError(f"need at least two servers to compare dispatch, got {servers}")
    if dispatch not in DISPATCH:
        raise ValueError(f"dispatch must be one of {DISPATCH}, got {dispatch!r}")
    rng = random.Random(seed)
    route = random.Random(f"{seed}-route")  # separate, so routing never shifts the arrivals
    rate = servers * utilisation
    free = [0.0] * servers  # shared: when each server next becomes free (a heap)
    free_at = [0.0] * servers  # per-server queues: when each finishes its queue
    present: list[deque[float]] = [deque() for _ in range(servers)]  # their departures to come
    waits: list[float] = []

    def customers_at(s: int, now: float) -> int:
        """Customers waiting at or served by server ``s`` at ``now``: those not yet departed."""
        queue = present[s]
        while queue and queue[0] <= now:
            queue.popleft()
        return len(queue)

    now = 0.0
    for _ in range(customers):
        now += -math.log(1.0 - rng.random()) / rate
        work = -math.log(1.0 - rng.random())
        if dispatch == "shared":
            start = max(now, heapq.heappop(free))  # break[shared-queue]
            heapq.heappush(free, start + work)
            waits.append(start - now)
            continue
        if dispatch == "random":
            server = route.randrange(servers)
        elif dispatch == "two-choices":
            a = route.randrange(servers)
            b = (a + 1 + route.randrange(servers - 1)) % servers  # a different server
            server = a if customers_at(a, now) <= customers_at(b, now) else b
        else:
            server = min(range(servers), key=lambda s: customers_at(s, now))
        customers_at(server, now)  # drop its departed customers before adding this one
        start = max(now, free_at[server])
        free_at[server] = start + work
        present[server].append(free_at[server])
        waits.append(start - now)
    return tuple(waits)


def erlang_c(servers: int, offered_load: float) -> float:
    """The probability that an arrival has to wait in M/M/c (Erlang's C formula).

    ``offered_load`` is the arrival rate times the mean service time: the
    number of servers busy on average (Little's law). It must be below
    ``servers``, or the queue grows without bound.

    >>> round(erlang_c(1, 0.9), 6)  # one server: it waits whenever the server is busy
    0.9
    >>> round(erlang_c(4, 3.6), 3)  # four servers, each 90% busy
    0.788
    >>> erlang_c(4, 4.0)
    Traceback (most recent call last):
    ...
    ValueError: offered load 4.0 needs more than 4 servers
    """
    if servers < 1:
        raise ValueError(f"need at least one server, got {servers}")
    if not 0 <= offered_load < servers:
        raise ValueError(f"offered load {offered_load} needs more than {servers} servers")
    a = offered_load
    busy_all = a**servers / math.factorial(servers) * servers / (servers - a)
    return busy_all / (math.fsum(a**k / math.factorial(k) for k in range(servers)) + busy_all)


def mmc_mean_wait(servers: int, utilisation: float) -> float:
    """Mean time queued in M/M/c with mean service 1: C(c, a) / (c (1 - rho)), a = c * rho.

    >>> round(mmc_mean_wait(1, 0.9), 6) == round(mm1_mean_wait(0.9), 6)
    True
    >>> round(mmc_mean_wait(4, 0.9), 2)
    1.97
    """
    return erlang_c(servers, servers * utilisation) / (servers * (1 - utilisation))


# --------------------------------------------------------------------------
# Run-queue latency on the real kernel
# --------------------------------------------------------------------------


def schedstat(pid: int | str = "self") -> tuple[int, int, int]:
    """``/proc/<pid>/schedstat``: ns on a CPU, ns runnable but waiting for one, timeslices.

    The second number is the task's run-queue latency, summed. Linux with
    ``CONFIG_SCHED_INFO``; elsewhere ``OSError``.

    >>> on_cpu, waited, slices = schedstat()
    >>> on_cpu > 0 and slices > 0
    True
    """
    with open(f"/proc/{pid}/schedstat") as f:
        fields = [int(x) for x in f.read().split()]
    on_cpu, waited, slices = fields  # break[schedstat-fields-swapped]
    return on_cpu, waited, slices


def last_cpu() -> int:
    """The CPU this process last ran on: field 39 (``processor``) of ``/proc/self/stat``.

    >>> last_cpu() in os.sched_getaffinity(0)
    True
    """
    with open("/proc/self/stat") as f:
        stat = f.read()
    # The command name (field 2) may hold spaces and parentheses: count from the last ")".
    return int(stat[stat.rindex(")") + 2 :].split()[36])


def run_queue_waits(work_ms: Sequence[int]) -> list[dict[str, Any]]:
    """CPU-bound children pinned together to one CPU; child ``i`` burns ``work_ms[i]`` ms of CPU.

    Each child reports, over the same stretch of its life: its ``schedstat``
    deltas (``on_cpu_ns``, ``waited_ns``), the CPU time it measured itself
    (``thread_ns``, ``time.thread_time_ns``), its affinity mask (``cpus``), the
    CPU it last ran on (``last_cpu``) and the one they were all pinned to
    (``pinned_to``). All of them block on one pipe until the parent closes it,
    so they become runnable together. Returned in the order of ``work_ms``.
    Forks: call it in a fresh interpreter.
    """
    if not work_ms or any(w <= 0 for w in work_ms):
        raise ValueError(f"need at least one child, each with positive work, got {list(work_ms)}")
    cpu = min(os.sched_getaffinity(0))
    go_r, go_w = os.pipe()
    ready_r, ready_w = os.pipe()
    out_r, out_w = os.pipe()

    def child(index: int, work: int) -> None:
        os.close(go_w)
        os.sched_setaffinity(0, {cpu})  # break[no-pinning]
        # schedstat's time on a CPU is brought up to date when the task is switched
        # out (and at ticks); block for a moment first, so that the reading is exact
        # to within the microseconds since the task was switched back in.
        time.sleep(0.001)
        on_cpu, waited, _ = schedstat()
        used = time.thread_time_ns()
        os.write(ready_w, b".")
        os.read(go_r, 1)  # returns b"" when the parent closes go_w
        start = time.thread_time_ns()
        while time.thread_time_ns() - start < work * 1_000_000:
            pass
        time.sleep(0.001)  # the same at the end
        on_cpu_after, waited_after, _ = schedstat()
        used_after = time.thread_time_ns()
        line = {
            "index": index,
            "work_ms": work,
            "on_cpu_ns": on_cpu_after - on_cpu,
            "waited_ns": waited_after - waited,
            "thread_ns": used_after - used,
            "cpus": sorted(os.sched_getaffinity(0)),
            "last_cpu": last_cpu(),
            "pinned_to": cpu,
        }
        os.write(out_w, (json.dumps(line) + "\n").encode())

    pids = [fork_child(functools.partial(child, index, work)) for index, work in enumerate(work_ms)]
    for fd in (go_r, ready_w, out_w):
        os.close(fd)
    for _ in pids:
        os.read(ready_r, 1)  # every child has read its counters and is about to block
    os.close(ready_r)
    os.close(go_w)  # one event wakes them all
    codes = [exit_code(pid) for pid in pids]
    if any(codes):
        raise RuntimeError(f"a CPU-bound child failed: exit codes {codes}")
    lines = [json.loads(line) for line in read_all(out_r).decode().splitlines()]
    return sorted(lines, key=lambda line: int(line["index"]))
