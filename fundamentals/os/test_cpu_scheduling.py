"""os.cpu_scheduling: textbook averages, then invariants on seeded random workloads."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence

import pytest

from fundamentals.os.cpu_scheduling import (
    Proc,
    Schedule,
    Slice,
    fcfs,
    priority,
    round_robin,
    sjf,
    srtf,
)

Policy = Callable[[Sequence[Proc]], Schedule]

POLICIES: dict[str, Policy] = {
    "fcfs": fcfs,
    "sjf": sjf,
    "srtf": srtf,
    "rr1": lambda ps: round_robin(ps, quantum=1),
    "rr3": lambda ps: round_robin(ps, quantum=3),
    "priority": priority,
    "priority-preemptive": lambda ps: priority(ps, preemptive=True),
}
NON_PREEMPTIVE = {"fcfs", "sjf", "priority"}
SEEDS = range(150)
TEXTBOOK = [Proc("P1", 24), Proc("P2", 3), Proc("P3", 3)]


def workload(seed: int, *, n: int | None = None, together: bool = False) -> list[Proc]:
    """A reproducible random workload: small bursts, clustered arrivals, random priorities."""
    rng = random.Random(seed)
    count = n if n is not None else rng.randint(1, 7)
    return [
        Proc(
            f"P{i}",
            burst=rng.randint(1, 9),
            arrival=0 if together else rng.randint(0, 12),
            priority=rng.randint(0, 3),
        )
        for i in range(count)
    ]


def test_textbook_average_waits() -> None:
    assert fcfs(TEXTBOOK).average_wait() == 17
    assert sjf(TEXTBOOK).average_wait() == 3
    assert round(round_robin(TEXTBOOK, quantum=4).average_wait(), 2) == 5.67


def test_textbook_individual_waits() -> None:
    rr = round_robin(TEXTBOOK, quantum=4)
    assert [rr.waiting(p.name) for p in TEXTBOOK] == [6, 4, 7]
    assert [fcfs(TEXTBOOK).waiting(p.name) for p in TEXTBOOK] == [0, 24, 27]


def test_srtf_preempts_on_arrival() -> None:
    work = [Proc("P1", 8, 0), Proc("P2", 4, 1), Proc("P3", 9, 2), Proc("P4", 5, 3)]
    s = srtf(work)
    assert [(x.name, x.start, x.end) for x in s.slices] == [
        ("P1", 0, 1),
        ("P2", 1, 5),
        ("P4", 5, 10),
        ("P1", 10, 17),
        ("P3", 17, 26),
    ]
    assert s.average_wait() == 6.5


def test_round_robin_queues_newcomers_before_the_preempted_process() -> None:
    # B arrives exactly when A's first quantum ends: B goes first.
    s = round_robin([Proc("A", 4), Proc("B", 2, arrival=2)], quantum=2)
    assert [x.name for x in s.slices] == ["A", "B", "A"]


def test_idle_gap_is_shown_in_the_chart() -> None:
    s = fcfs([Proc("A", 2), Proc("B", 2, arrival=5)])
    assert s.gantt() == "|A |idle |B |\n0  2     5  7"


def check_schedule(name: str, procs: Sequence[Proc], s: Schedule, quantum: int | None) -> None:
    """What every correct schedule satisfies."""
    # The timeline starts at 0 and its slices tile it without gaps or overlaps.
    assert s.slices[0].start == 0
    for a, b in itertools.pairwise(s.slices):
        assert a.end == b.start
    assert all(x.duration > 0 for x in s.slices)
    for p in procs:
        mine = [x for x in s.slices if x.name == p.name]
        # Every process runs exactly its burst, never before it arrives.
        assert sum(x.duration for x in mine) == p.burst, (name, p)
        assert min(x.start for x in mine) >= p.arrival, (name, p)
        assert s.waiting(p.name) >= 0
        if name in NON_PREEMPTIVE:
            assert len(mine) == 1, f"{name} split {p.name}"
    # Work-conserving: the CPU idles only while nothing is ready.
    for x in s.slices:
        if x.name is None:
            assert not [
                p for p in procs if p.arrival <= x.start and s.completion(p.name) > x.start
            ], f"{name} idled with work ready"
    if quantum is not None:
        # A slice longer than one quantum means nobody else was waiting at its boundaries.
        for x in s.slices:
            if x.name is None:
                continue
            for boundary in range(x.start + quantum, x.end, quantum):
                waiting = [
                    p
                    for p in procs
                    if p.name != x.name
                    and p.arrival <= boundary
                    and s.completion(p.name) > boundary
                ]
                assert not waiting, f"{name}: {x} kept the CPU past a quantum"


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_invariants_on_seeded_random_workloads(name: str) -> None:
    quantum = {"rr1": 1, "rr3": 3}.get(name)
    for seed in SEEDS:
        procs = workload(seed)
        check_schedule(name, procs, POLICIES[name](procs), quantum)


def brute_force_best_wait(procs: Sequence[Proc]) -> float:
    """Best average wait over every non-preemptive order (all arrive at 0)."""
    best = float("inf")
    for order in itertools.permutations(procs):
        clock, total = 0, 0
        for p in order:
            total += clock
            clock += p.burst
        best = min(best, total / len(procs))
    return best


@pytest.mark.parametrize("seed", range(40))
def test_sjf_minimises_average_wait_for_simultaneous_arrivals(seed: int) -> None:
    procs = workload(seed, n=1 + seed % 6, together=True)
    assert sjf(procs).average_wait() == pytest.approx(brute_force_best_wait(procs))


def test_srtf_never_waits_longer_than_any_other_policy() -> None:
    for seed in SEEDS:
        procs = workload(seed)
        best = srtf(procs).average_wait()
        for name, policy in POLICIES.items():
            assert best <= policy(procs).average_wait() + 1e-9, (seed, name)


def test_round_robin_with_a_huge_quantum_is_fcfs() -> None:
    for seed in SEEDS:
        procs = workload(seed)
        assert round_robin(procs, quantum=10).slices == fcfs(procs).slices


def test_round_robin_bounds_response_time() -> None:
    # With n processes arriving together, nobody waits more than (n - 1) * q to start.
    for seed in SEEDS:
        procs = workload(seed, together=True)
        s = round_robin(procs, quantum=2)
        assert all(s.response(p.name) <= (len(procs) - 1) * 2 for p in procs)


def test_preemptive_priority_takes_the_cpu_from_a_less_important_job() -> None:
    procs = [Proc("batch", 6, arrival=0, priority=5), Proc("ui", 2, arrival=1, priority=0)]
    assert [x.name for x in priority(procs, preemptive=True).slices] == ["batch", "ui", "batch"]
    assert [x.name for x in priority(procs).slices] == ["batch", "ui"]


def test_long_job_starves_under_srtf_while_short_jobs_keep_coming() -> None:
    procs = [Proc("long", 5)] + [Proc(f"s{t}", 1, arrival=t) for t in range(1, 20)]
    s = srtf(procs)
    assert s.completion("long") == sum(p.burst for p in procs)  # last to finish
    assert s.response("long") == 0  # it started, then was preempted for 19 units


@pytest.mark.parametrize(
    ("procs", "message"),
    [
        ([], "at least one process"),
        ([Proc("A", 1), Proc("A", 2)], "unique"),
        ([Proc("A", 0)], "A: burst must be at least 1"),
        ([Proc("A", 1, arrival=-1)], "A: arrival must be non-negative"),
    ],
)
def test_schedulers_reject_bad_workloads(procs: list[Proc], message: str) -> None:
    for policy in (fcfs, sjf, srtf, priority, lambda ps: round_robin(ps, 2)):
        with pytest.raises(ValueError, match=message):
            policy(procs)


def test_round_robin_rejects_a_zero_quantum() -> None:
    with pytest.raises(ValueError, match="quantum must be at least 1"):
        round_robin([Proc("A", 1)], 0)


def test_schedule_metrics() -> None:
    s = fcfs([Proc("A", 4), Proc("B", 2, arrival=1)])
    assert s.slices == (Slice("A", 0, 4), Slice("B", 4, 6))
    assert (s.completion("B"), s.turnaround("B"), s.waiting("B"), s.response("B")) == (6, 5, 3, 3)
    with pytest.raises(KeyError, match="no process named 'C'"):
        s.completion("C")


def test_gantt_scale_and_validation() -> None:
    s = fcfs([Proc("A", 2), Proc("B", 1)])
    assert s.gantt(scale=3) == "|A     |B  |\n0      2   3"
    with pytest.raises(ValueError, match="scale must be at least 1"):
        s.gantt(scale=0)
