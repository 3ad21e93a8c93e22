"""os.cpu_scheduling: textbook averages, exhaustive optima, quotas, load average, queueing.

Everything but the last two tests runs in simulated time with seeded randomness;
those two read the real kernel (``/proc/loadavg``, ``/proc/<pid>/schedstat``).
"""

from __future__ import annotations

import itertools
import math
import os
import platform
import random
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path

import pytest

from fundamentals.os.cpu_scheduling import (
    DISPATCH,
    EXP_1,
    FIXED_1,
    Proc,
    Schedule,
    Slice,
    active_tasks,
    best_non_preemptive_wait,
    best_preemptive_wait,
    calc_load,
    cfs_bandwidth,
    erlang_c,
    fcfs,
    format_load,
    load_average,
    mm1_mean_wait,
    mm1_p99_wait,
    mm1_relative_error,
    mm1_wait_tail,
    mmc_mean_wait,
    parse_pressure,
    priority,
    round_robin,
    run_queue_waits,
    simulate_queue,
    simulate_servers,
    sjf,
    srtf,
)
from fundamentals.os.processes import call_in_subprocess

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads Linux's /proc and /proc/sys"
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
            ready = [p for p in procs if p.arrival <= x.start and s.completion(p.name) > x.start]
            assert ready == [], f"{name} idled with work ready"
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
                assert waiting == [], f"{name}: {x} kept the CPU past a quantum"


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_invariants_on_seeded_random_workloads(name: str) -> None:
    quantum = {"rr1": 1, "rr3": 3}.get(name)
    for seed in SEEDS:
        procs = workload(seed)
        check_schedule(name, procs, POLICIES[name](procs), quantum)


@pytest.mark.parametrize("seed", range(40))
def test_sjf_minimises_average_wait_for_simultaneous_arrivals(seed: int) -> None:
    procs = workload(seed, n=1 + seed % 6, together=True)
    assert sjf(procs).average_wait() == pytest.approx(best_non_preemptive_wait(procs))


def test_with_staggered_arrivals_sjf_loses_to_idling_and_to_srtf() -> None:
    # "long" starts at 0 because it is the only job there; "short" arrives at 1.
    work = [Proc("long", 8), Proc("short", 1, arrival=1)]
    # SJF never idles: long runs 0-8, short waits 7. Average (0 + 7) / 2.
    assert sjf(work).average_wait() == 3.5
    # Waiting one unit for short (idle 0-1, short 1-2, long 2-10): (2 + 0) / 2.
    assert best_non_preemptive_wait(work) == 1.0
    # SRTF preempts long at 1 (long 0-1, short 1-2, long 2-9): (1 + 0) / 2.
    assert srtf(work).average_wait() == 0.5 == best_preemptive_wait(work)


def small_workload(seed: int) -> list[Proc]:
    """Up to 4 jobs with bursts up to 4: small enough for the exhaustive preemptive search."""
    rng = random.Random(seed)
    return [
        Proc(f"P{i}", burst=rng.randint(1, 4), arrival=rng.randint(0, 6))
        for i in range(rng.randint(1, 4))
    ]


def test_srtf_matches_the_exhaustive_optimum_and_sjf_does_not() -> None:
    sjf_behind = 0
    for seed in range(120):
        procs = small_workload(seed)
        best = best_preemptive_wait(procs)
        assert srtf(procs).average_wait() == pytest.approx(best), seed
        best_np = best_non_preemptive_wait(procs)
        assert best <= best_np + 1e-9 <= sjf(procs).average_wait() + 2e-9, seed
        sjf_behind += sjf(procs).average_wait() > best_np + 1e-9
    # Some of these workloads really do punish SJF for never idling (as above).
    assert sjf_behind > 0


def test_exhaustive_searches_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="at most 8 jobs"):
        best_non_preemptive_wait([Proc(f"P{i}", 1) for i in range(9)])
    with pytest.raises(ValueError, match="at least one process"):
        best_preemptive_wait([])


def test_srtf_never_waits_longer_than_any_other_policy() -> None:
    # Larger workloads than the exhaustive search can take: SRTF still beats every policy here.
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


# --- CFS bandwidth control (cpu.max) -------------------------------------------


def test_parallel_burst_spends_the_quota_in_12_5_ms_then_stalls_the_period() -> None:
    # A request fans out to 4 threads of 20 ms CPU each, on 4 idle CPUs.
    unlimited = cfs_bandwidth([20] * 4, quota=None, period=100, cpus=4)
    assert unlimited.latency == 20
    assert unlimited.throttled == ()
    # cpu.max = "50000 100000": 50 ms of CPU per 100 ms. Four threads spend 4 ms of
    # quota per ms, so it is gone at 50 / 4 = 12.5 ms; each thread still needs
    # 7.5 ms, which it gets at the start of the next period: 100 + 7.5.
    limited = cfs_bandwidth([20] * 4, quota=50, period=100, cpus=4)
    assert limited.throttled == ((Fraction(25, 2), Fraction(100)),)
    assert limited.throttled_time == Fraction(175, 2)  # 87.5 ms with no thread running
    assert limited.latency == Fraction(215, 2)  # 107.5 ms instead of 20
    assert (limited.nr_periods, limited.nr_throttled) == (2, 1)


def test_a_quota_of_four_cpus_never_throttles_four_threads() -> None:
    run = cfs_bandwidth([20] * 4, quota=400, period=100, cpus=4)
    assert run.throttled == ()
    assert run.latency == 20


def test_long_run_share_is_quota_over_period() -> None:
    # One thread needing 1000 ms of CPU under 50/100 gets 50 ms per period:
    # 20 periods, the last one ending its work exactly as its quota runs out.
    run = cfs_bandwidth([1000], quota=50, period=100, cpus=1)
    assert run.latency == 1950  # 19 full periods + 50 ms
    assert (run.nr_periods, run.nr_throttled) == (20, 19)
    assert run.throttled_time == 19 * 50


def test_shorter_period_same_share_shorter_stalls_but_a_slower_burst() -> None:
    # Same 50% share as 5/10: each stall is 10 - 5/4 = 8.75 ms instead of 87.5 ms,
    # but 80 ms of CPU at 5 ms per period now needs 16 periods: 150 + 1.25.
    run = cfs_bandwidth([20] * 4, quota=5, period=10, cpus=4)
    assert max(end - start for start, end in run.throttled) == Fraction(35, 4)
    assert run.latency == Fraction(605, 4)  # 151.25
    assert (run.nr_periods, run.nr_throttled) == (16, 15)
    # So the burst is slower than with 50/100 (107.5 ms): shorter stalls, more of them.
    assert run.latency > cfs_bandwidth([20] * 4, quota=50, period=100, cpus=4).latency
    # A 40 ms burst fits in one 50 ms quota and is never throttled at 50/100 (done at
    # 10 ms); at 5/10 it needs 8 quotas: 7 periods + 5 / 4 = 71.25 ms.
    small = [10] * 4
    assert cfs_bandwidth(small, quota=50, period=100, cpus=4).latency == 10
    assert cfs_bandwidth(small, quota=5, period=10, cpus=4).latency == Fraction(285, 4)


def test_a_shorter_period_with_the_same_share_never_finishes_a_burst_sooner() -> None:
    # Shrinking period and quota by the same factor m, for a burst that starts with a
    # fresh quota: the long period finishes whatever is left for its last period at full
    # parallelism, the short one spreads the same work over several short periods with
    # stalls in between, so it can tie but never win. Checked on seeded random bursts,
    # thread counts, CPU counts and quotas (up to no throttling at all).
    rng = random.Random(7)
    ties = 0
    for _ in range(150):
        cpus = rng.randint(1, 8)
        work = [rng.randint(1, 60) for _ in range(rng.randint(1, 8))]
        period = rng.choice([20, 50, 100])
        quota = rng.randint(1, cpus * period)
        m = rng.choice([2, 4, 5, 10])
        long_run = cfs_bandwidth(work, quota=quota, period=period, cpus=cpus)
        short_run = cfs_bandwidth(
            work, quota=Fraction(quota, m), period=Fraction(period, m), cpus=cpus
        )
        assert short_run.latency >= long_run.latency, (work, quota, period, cpus, m)
        ties += short_run.latency == long_run.latency
    assert ties < 150  # and it is often strictly slower


def test_quota_pays_for_busy_cpus_not_for_runnable_threads() -> None:
    # 8 threads of 20 ms on 4 CPUs under 50/100: 4 run at a time, each at half speed
    # (they share the CPUs), and the quota burns at 4 ms per ms, one per busy CPU:
    # 50 ms of CPU per period. 160 ms of CPU = 3 full periods + 10 ms, which 4 busy
    # CPUs deliver in 2.5 ms of the fourth period: 302.5 ms.
    run = cfs_bandwidth([20] * 8, quota=50, period=100, cpus=4)
    assert run.latency == Fraction(605, 2)
    assert (run.nr_periods, run.nr_throttled) == (4, 3)
    # (Charging every runnable thread, 8 ms per ms, would halve the CPU time per period
    # and make it 6 periods + 2.5 ms = 602.5: threads would pay quota while waiting.)
    # A wider pool than the CPUs buys nothing under a quota: 4 threads of 40 ms, the same
    # 160 ms of CPU, finish at the same instant.
    assert cfs_bandwidth([40] * 4, quota=50, period=100, cpus=4).latency == run.latency


def test_more_threads_than_cpus_share_them() -> None:
    # 4 threads of 10 ms on 2 CPUs, no limit: each runs at half speed, done at 20.
    assert cfs_bandwidth([10] * 4, quota=None, period=100, cpus=2).finish == (Fraction(20),) * 4


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"work": []}, "at least one thread"),
        ({"work": [0]}, "positive work"),
        ({"quota": -1}, "quota must be positive"),
        ({"period": 0}, "period must be positive"),
        ({"cpus": 0}, "cpus must be at least 1"),
    ],
)
def test_cfs_bandwidth_rejects_bad_input(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"work": [1], "quota": 50, "period": 100, "cpus": 1, **kwargs}
    with pytest.raises(ValueError, match=message):
        cfs_bandwidth(**args)  # type: ignore[arg-type]


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="needs an affinity mask")
def test_python_sizes_pools_from_cpu_counts_that_ignore_any_quota() -> None:
    # A fresh interpreter told it has 2 CPUs: on 3.13 both counts and the pools follow;
    # before 3.13 there is no process_cpu_count and -X cpu_count is just an unknown option.
    probe = (
        "import os, concurrent.futures as cf;"
        "print(os.cpu_count(), getattr(os, 'process_cpu_count', None) is None,"
        " cf.ThreadPoolExecutor()._max_workers)"
    )
    out = subprocess.run(
        [sys.executable, "-X", "cpu_count=2", "-c", probe],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if sys.version_info >= (3, 13):
        assert out == ["2", "False", "6"]  # min(32, 2 + 4) threads
        assert os.process_cpu_count() == len(os.sched_getaffinity(0))
    else:
        host = os.cpu_count() or 1
        assert out == [str(host), "True", str(min(32, host + 4))]


@linux_only
def test_rt_throttling_knobs_exist_and_are_consistent() -> None:
    # The defaults (950000 of 1000000) are in kernel/sched/rt.c; a host may change them,
    # so this checks only that the knobs exist and make sense.
    runtime = int(Path("/proc/sys/kernel/sched_rt_runtime_us").read_text())
    period = int(Path("/proc/sys/kernel/sched_rt_period_us").read_text())
    assert period > 0
    assert runtime == -1 or 0 <= runtime <= period


# --- load average ------------------------------------------------------------------


def test_one_busy_task_for_a_minute_shows_a_load_of_0_63_not_1() -> None:
    # 12 samples, 5 s apart: each closes the gap to 1 by a factor e^(-5/60), so after
    # 60 s the 1-minute average is 1 - e^-1 = 0.632; the 15-minute one 1 - e^(-1/15).
    one, five, fifteen = load_average(["R"] * 12)
    assert one == "0.63"
    assert abs(float(fifteen) - (1 - math.exp(-1 / 15))) < 0.01
    assert float(five) < float(one)


def test_tasks_in_d_state_raise_the_load_on_an_idle_cpu() -> None:
    # Four tasks stuck in uninterruptible sleep (a hung NFS mount, a slow disk) use
    # no CPU at all, yet after 5 minutes the 1-minute load is 4 (1 - e^-5) = 3.97.
    assert active_tasks("DDDD") == 4
    assert active_tasks("SSSSZT") == 0  # sleeping, zombie, stopped: not counted
    one, _, _ = load_average(["DDDD"] * 60)
    assert abs(float(one) - 4 * (1 - math.exp(-5))) <= 0.02


def test_fixed_point_follows_the_continuous_formula() -> None:
    for count in (1, 3, 8):
        for samples in (1, 6, 12, 36, 120):
            one, five, fifteen = load_average(["R" * count] * samples)
            for shown, minutes in ((one, 1), (five, 5), (fifteen, 15)):
                exact = count * (1 - math.exp(-5 * samples / (60 * minutes)))
                assert abs(float(shown) - exact) <= 0.01 * count + 0.01, (count, samples)


def test_load_reaches_a_steady_count_exactly_and_decays_to_zero() -> None:
    load = 0
    for _ in range(200):
        load = calc_load(load, EXP_1, 2 * FIXED_1)
    assert format_load(load) == "2.00"  # rounding up on the way up makes this exact
    for _ in range(200):
        load = calc_load(load, EXP_1, 0)
    assert load == 0


@linux_only
def test_proc_loadavg_counts_the_reader_as_runnable() -> None:
    fields = Path("/proc/loadavg").read_text().split()
    assert len(fields) == 5
    assert all(float(x) >= 0 for x in fields[:3])
    running, total = (int(x) for x in fields[3].split("/"))
    assert 1 <= running <= total  # we are running while we read it


# --- queueing: Little's law and the knee near saturation -----------------------------

CUSTOMERS = 100_000
UTILISATIONS = (0.5, 0.9, 0.97)


def test_waits_grow_much_faster_than_utilisation() -> None:
    runs = {rho: simulate_queue(rho, CUSTOMERS, seed=1) for rho in UTILISATIONS}
    mean = {rho: q.mean_wait() for rho, q in runs.items()}
    p99 = {rho: q.p99_wait() for rho, q in runs.items()}
    # Superlinear: each step multiplies the wait by more than twice what it multiplies
    # utilisation by.
    # Theory (rho / (1 - rho)) says x9 from 0.5 to 0.9 and x3.6 from 0.9 to 0.97.
    for low, high in itertools.pairwise(UTILISATIONS):
        assert mean[high] / mean[low] > 2 * high / low, (low, high)
        assert p99[high] / p99[low] > 2 * high / low, (low, high)
    # From half-busy to 97% busy the p99 wait grows more than tenfold.
    assert p99[0.97] > 10 * p99[0.5]


# At 0.97 one standard error of a 100,000-customer run is 21%, so four of them would
# accept M/D/1's answer (half the wait) as well: that run shows growth, not the theory.
THEORY_UTILISATIONS = (0.5, 0.9)


@pytest.mark.parametrize("rho", THEORY_UTILISATIONS)
def test_simulation_agrees_with_mm1_theory(rho: float) -> None:
    q = simulate_queue(rho, CUSTOMERS, seed=1)
    # Mean time in system 1 / (1 - rho), within 4 standard errors of a run this long
    # (4.4% at 0.5, 25% at 0.9, where the waits are long and correlated).
    tolerance = 4 * mm1_relative_error(rho, CUSTOMERS)
    assert q.mean_time_in_system() == pytest.approx(1 / (1 - rho), rel=tolerance)
    # Wait = time in system - service: the same absolute error, so the same allowance.
    assert abs(q.mean_wait() - mm1_mean_wait(rho)) <= tolerance / (1 - rho)
    # The check has teeth: the same arrivals with fixed service times (M/D/1, time in
    # system 1 + rho / (2 (1 - rho)): 25% and 45% below M/M/1's) fall outside it.
    fixed = simulate_queue(rho, CUSTOMERS, seed=1, service="deterministic")
    assert fixed.mean_time_in_system() != pytest.approx(1 / (1 - rho), rel=tolerance)


def batch_tail(waits: Sequence[float], t: float, batches: int = 20) -> tuple[float, float]:
    """The fraction of waits longer than ``t``, and its standard error by batch means.

    Consecutive waits are correlated, so the binomial formula would understate the
    error; the fractions of 20 consecutive batches of 5,000 customers are nearly
    independent at these utilisations (each batch lasts many times the queue's
    relaxation time), so their spread estimates it honestly.
    """
    size = len(waits) // batches
    fractions = [
        sum(1 for w in waits[i * size : (i + 1) * size] if w > t) / size for i in range(batches)
    ]
    return statistics.fmean(fractions), statistics.stdev(fractions) / math.sqrt(batches)


def batch_means(waits: Sequence[float], batches: int = 20) -> list[float]:
    """Mean wait of each of ``batches`` consecutive batches (see ``batch_tail``)."""
    size = len(waits) // batches
    return [statistics.fmean(waits[i * size : (i + 1) * size]) for i in range(batches)]


@pytest.mark.parametrize("rho", THEORY_UTILISATIONS)
def test_wait_tail_follows_rho_exp_minus_one_minus_rho_t(rho: float) -> None:
    q = simulate_queue(rho, CUSTOMERS, seed=1)
    fixed = simulate_queue(rho, CUSTOMERS, seed=1, service="deterministic")
    # P(wait > 0) = rho for any service distribution: a Poisson arrival waits exactly
    # when the server is busy, and it sees the server busy rho of the time.
    for run in (q, fixed):
        share, error = batch_tail(run.waits(), 0.0)
        assert abs(share - rho) <= 4 * error
    # Beyond 0 the exponential tail is M/M/1's: at the theoretical p90 and p99 the
    # simulated share of longer waits is within 4 standard errors of 10% and 1% ...
    for p in (0.1, 0.01):
        t = math.log(rho / p) / (1 - rho)
        assert mm1_wait_tail(rho, t) == pytest.approx(p)
        share, error = batch_tail(q.waits(), t)
        assert abs(share - p) <= 4 * error, (p, share, error)
    # ... and M/D/1's tail is far thinner: at the p90 it is more than 4 errors short.
    t90 = math.log(rho / 0.1) / (1 - rho)
    share, error = batch_tail(fixed.waits(), t90)
    assert share < 0.1 - 4 * error


@pytest.mark.parametrize("rho", UTILISATIONS)
def test_littles_law_holds_on_the_simulated_queue(rho: float) -> None:
    q = simulate_queue(rho, CUSTOMERS, seed=1)
    area_side = q.mean_number_in_system()  # L, from the counting curves
    customer_side = q.arrival_rate() * q.mean_time_in_system()  # lambda * W, per customer
    bound = q.littles_law_gap_bound()
    # The two differ only by the stays that run past the end of the window.
    assert -1e-9 * area_side <= customer_side - area_side <= bound + 1e-9 * area_side
    # And at this length that edge is under 1% of L: the check has teeth.
    assert bound < 0.01 * area_side


def test_mm1_formulas_behind_the_prose() -> None:
    # 90% -> 97% busy: the idle fraction falls from 10% to 3% and the wait more than triples.
    assert mm1_mean_wait(0.97) / mm1_mean_wait(0.9) > 3
    # 60% -> 84% busy (traffic +40%): 1.5 -> 5.25 service times, 3.5 times longer.
    assert mm1_mean_wait(0.6) == pytest.approx(1.5)
    assert mm1_mean_wait(0.84) == pytest.approx(5.25)
    # The tail: P(wait > t) = rho * exp(-(1 - rho) t) is exactly 1% at the p99.
    for rho in UTILISATIONS:
        assert rho * math.exp(-(1 - rho) * mm1_p99_wait(rho)) == pytest.approx(0.01)


def test_less_variable_service_halves_the_queue() -> None:
    # Pollaczek-Khinchine: M/D/1 waits rho / (2 (1 - rho)), half of M/M/1, same arrivals.
    rho = 0.9
    fixed = simulate_queue(rho, CUSTOMERS, seed=1, service="deterministic")
    variable = simulate_queue(rho, CUSTOMERS, seed=1)
    assert fixed.arrivals == variable.arrivals
    # M/D/1's waits vary less than M/M/1's, so M/M/1's error bound is a safe tolerance.
    tolerance = 4 * mm1_relative_error(rho, CUSTOMERS)
    assert fixed.mean_wait() == pytest.approx(rho / (2 * (1 - rho)), rel=tolerance)
    assert fixed.mean_wait() < 0.75 * variable.mean_wait()


def test_one_shared_queue_beats_a_queue_per_worker() -> None:
    # Four workers, each 90% busy, the same arrivals and services for every policy.
    rho, servers = 0.9, 4
    mean = {
        d: statistics.fmean(simulate_servers(rho, CUSTOMERS, servers, seed=1, dispatch=d))
        for d in DISPATCH
    }
    shared = simulate_servers(rho, CUSTOMERS, servers, seed=1, dispatch="shared")
    error = statistics.stdev(batch_means(shared)) / math.sqrt(20)
    # One queue for all four is M/M/4: Erlang C gives a mean wait of 1.97 service times.
    assert abs(mean["shared"] - mmc_mean_wait(servers, rho)) <= 4 * error
    # A random worker's own queue is M/M/1 at 90%: rho / (1 - rho) = 9, within 4
    # standard errors (the run holds 100,000 customers over 4 independent queues).
    assert mean["random"] == pytest.approx(
        mm1_mean_wait(rho), rel=4 * mm1_relative_error(rho, CUSTOMERS)
    )
    # Committing on arrival can only lose to a shared queue (which never leaves a
    # worker idle while someone waits), the shortest queue beats two random choices,
    # and two choices beat one by far: most of the gain for a fraction of the probing.
    assert mean["shared"] < mean["least-outstanding"] < mean["two-choices"] < mean["random"]
    assert mean["two-choices"] < (mean["shared"] + mean["random"]) / 2


def test_erlang_c_sizes_a_connection_pool() -> None:
    # 500 requests per second, each holding a connection for 8 ms: Little's law says
    # 500 * 0.008 = 4 connections are busy on average. A pool of 4 is 100% busy and
    # its queue never drains; with exponential hold times Erlang C gives the share
    # of requests that must wait for a connection.
    offered = 500 * 0.008
    with pytest.raises(ValueError, match="needs more than 4 servers"):
        erlang_c(4, offered)
    waiting = {c: erlang_c(c, offered) for c in (5, 6, 8, 10)}
    assert waiting[5] > 0.5  # 80% busy: more than half of the requests queue
    assert 0.05 < waiting[8] < 0.06  # 50% busy: about one in 17
    assert waiting[10] < 0.01
    # One server: P(wait) is the utilisation, and the mean wait is M/M/1's.
    assert erlang_c(1, 0.9) == pytest.approx(0.9)
    assert mmc_mean_wait(1, 0.9) == pytest.approx(mm1_mean_wait(0.9))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"utilisation": 1.0}, "strictly between 0 and 1"),
        ({"customers": 0}, "at least one customer"),
        ({"servers": 1}, "at least two servers"),
        ({"dispatch": "round-robin"}, "dispatch must be one of"),
    ],
)
def test_simulate_servers_rejects_bad_input(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {
        "utilisation": 0.5,
        "customers": 10,
        "servers": 2,
        "seed": 1,
        "dispatch": "shared",
        **kwargs,
    }
    with pytest.raises(ValueError, match=message):
        simulate_servers(**args)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((0.0, 10), {}, "strictly between 0 and 1"),
        ((1.2, 10), {}, "strictly between 0 and 1"),
        ((0.5, 0), {}, "at least one customer"),
        ((0.5, 10), {"service": "pareto"}, "service must be"),
    ],
)
def test_simulate_queue_rejects_bad_input(
    args: tuple[float, int], kwargs: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        simulate_queue(*args, seed=1, **kwargs)


# --- run-queue latency on the real kernel -------------------------------------------


@linux_only
def test_two_cpu_hogs_pinned_to_one_cpu_wait_for_each_other() -> None:
    short = 25
    children = call_in_subprocess(run_queue_waits, [short, 2 * short])
    assert [child["work_ms"] for child in children] == [short, 2 * short]
    for child in children:
        # Both were confined to the same single CPU, and that is where they ran.
        assert child["cpus"] == [child["pinned_to"]]
        assert child["last_cpu"] == child["pinned_to"]
        # The first schedstat field is time on a CPU: it agrees with the CPU time the
        # child measured itself over the same stretch. Each child blocks for a moment
        # before both readings, and the kernel brings the counter up to date at every
        # switch, so they differ by the microseconds of the readings themselves; 2 ms
        # is room to spare. The children burn different amounts (25 and 50 ms), so the
        # waiting field could not pass for this one by symmetry.
        assert child["thread_ns"] >= child["work_ms"] * 1_000_000
        assert abs(child["on_cpu_ns"] - child["thread_ns"]) <= 2_000_000
    # From the moment the pipe wakes both until the first one finishes (at least 25 ms
    # of CPU later), both are runnable on one CPU and only one can run, so at every
    # instant at least one of them is waiting: the waits add up to at least 25 ms,
    # however loaded the machine is (other work only adds to both). Half of that
    # leaves room for the two wake-ups not being one instant.
    waited_ns = sum(child["waited_ns"] for child in children)
    assert waited_ns >= short * 1_000_000 // 2


@linux_only
def test_run_queue_waits_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="positive work"):
        run_queue_waits([10, 0])


@pytest.mark.skipif(
    not Path("/proc/pressure/cpu").exists(), reason="needs Linux 4.20+ with PSI enabled"
)
def test_cpu_pressure_reports_some_and_a_zero_system_wide_full() -> None:
    before = parse_pressure(Path("/proc/pressure/cpu").read_text())
    after = parse_pressure(Path("/proc/pressure/cpu").read_text())
    for line in (before, after):
        assert all(0 <= line["some"][avg] <= 100 for avg in ("avg10", "avg60", "avg300"))
    assert after["some"]["total"] >= before["some"]["total"]  # microseconds, cumulative
    major, minor = (int(x) for x in platform.release().split(".")[:2])
    if (major, minor) >= (5, 13):
        # "full" (every non-idle task stalled) is undefined for CPU at the system
        # level; since 5.13 the line is there for symmetry and always zero.
        assert before["full"] == {"avg10": 0.0, "avg60": 0.0, "avg300": 0.0, "total": 0.0}
    else:
        assert "full" not in before
