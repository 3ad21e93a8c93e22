"""Tests for memory.profiling: cProfile and pstats, timeit, tracemalloc lines, sys.monitoring."""

from __future__ import annotations

import cProfile
import gc
import inspect
import pstats
import sys
import time
import timeit

import pytest

from handbook.memory import profiling
from handbook.memory.profiling import (
    count_calls,
    gc_enabled_while_timing,
    hottest_function,
    make_big_list,
    top_allocating_line,
    workload,
)

needs_monitoring = pytest.mark.skipif(sys.version_info < (3, 12), reason="sys.monitoring is 3.12+")


def test_cprofile_names_the_function_doing_most_of_the_work() -> None:
    # hot runs 1,000 times the loop iterations of cold (about 30 ms of CPU
    # against 50 us). The profiler's clock is thread CPU time, so a pause of
    # the process (load, CPU quota, VM steal) adds nothing to cold's own
    # time; with the default wall clock one pause longer than hot's whole
    # run, landing in cold's microseconds, would flip the ranking.
    assert hottest_function(workload, "tottime") == "hot"
    assert hottest_function(workload, "cumtime") == "workload"  # it includes both callees


def test_hottest_function_profiles_with_the_timer_it_is_given() -> None:
    reads = 0

    def timer() -> float:
        nonlocal reads
        reads += 1
        return time.thread_time()

    assert hottest_function(workload, timer=timer) == "hot"
    assert reads > 0  # the CPU clock was really used, not cProfile's wall clock


@pytest.mark.parametrize("key", ["ncalls", "calls", "TOTTIME", ""])
def test_hottest_function_rejects_an_unknown_key(key: str) -> None:
    with pytest.raises(ValueError, match="key must be one of"):
        hottest_function(workload, key)


def test_hottest_function_says_when_none_of_its_functions_ran() -> None:
    with pytest.raises(ValueError, match="none of hot, cold and workload"):
        hottest_function(lambda: sum(range(10)))


def test_cprofile_is_deterministic_and_counts_every_call() -> None:
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [profiling.cold(10) for _ in range(137)])
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    calls = {key[2]: value[0] for key, value in stats.items()}  # total calls
    assert calls["cold"] == 137  # every call traced, none sampled


def test_timeit_runs_the_statement_number_times_repeat_times_with_gc_off() -> None:
    flags = gc_enabled_while_timing(number=4, repeat=3)
    assert len(flags) == 12
    assert not any(flags)  # Timer.timeit disables gc around the timing loop


def test_gc_can_be_reenabled_for_timing_through_setup() -> None:
    assert all(gc_enabled_while_timing(setup="gc.enable()"))


def test_timeit_restores_the_gc_state_afterwards() -> None:
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        timeit.repeat("pass", number=10, repeat=2)
        assert gc.isenabled()
        results = timeit.repeat("pass", number=10, repeat=5)
        assert len(results) == 5  # one total per measurement: take min(results)
    finally:
        if not was_enabled:
            gc.disable()


def test_tracemalloc_points_at_the_line_that_builds_the_big_list() -> None:
    lines, first = inspect.getsourcelines(make_big_list)
    (offset,) = [i for i, line in enumerate(lines) if "# the big one" in line]
    assert top_allocating_line(make_big_list) == first + offset


def test_tracemalloc_line_is_looked_up_in_this_module_only() -> None:
    # The 4 MB bytearray is allocated on a line of this test file and is
    # bigger than the whole big list (about 1.4 MB): only the filter on the
    # lesson module's file keeps it out of the answer.
    lines, first = inspect.getsourcelines(make_big_list)
    (offset,) = [i for i, line in enumerate(lines) if "# the big one" in line]
    assert top_allocating_line(lambda: (make_big_list(), bytearray(4_000_000))) == first + offset


@pytest.mark.skipif(sys.platform != "linux", reason="perf trampoline is Linux only")
def test_perf_trampoline_exists_from_3_12_on_linux() -> None:
    if sys.version_info >= (3, 12):
        assert callable(sys.activate_stack_trampoline)
        assert not sys.is_stack_trampoline_active()  # off unless -X perf or activated
    else:
        assert not hasattr(sys, "activate_stack_trampoline")


@needs_monitoring
def test_sys_monitoring_counts_function_starts() -> None:
    counts = count_calls(lambda: [workload(2_000) for _ in range(3)])
    assert counts["workload"] == 3
    assert counts["hot"] == 3
    assert counts["cold"] == 3


def test_count_calls_gives_its_tool_id_back_clean() -> None:
    if sys.version_info < (3, 12):
        pytest.skip("sys.monitoring is 3.12+")
    else:
        mon = sys.monitoring
        for _ in range(2):  # a leaked tool id would make the second call raise
            assert count_calls(lambda: workload(2_000))["hot"] == 1
        assert mon.get_tool(4) is None
        # free_tool_id alone keeps the events and the callback (3.12, 3.13):
        # count_calls must have switched both off before freeing the id.
        mon.use_tool_id(4, "test-probe")
        try:
            assert mon.get_events(4) == 0
            assert mon.register_callback(4, mon.events.PY_START, None) is None
        finally:
            mon.free_tool_id(4)


def test_cprofile_uses_sys_monitoring_from_3_12() -> None:
    if sys.version_info < (3, 12):
        pytest.skip("sys.monitoring is 3.12+")
    else:
        mon = sys.monitoring
        assert mon.get_tool(mon.PROFILER_ID) is None
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            in_use = mon.get_tool(mon.PROFILER_ID)
        finally:
            profiler.disable()
        assert in_use is not None  # cProfile registered itself as the profiler tool


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.11 only")
def test_sys_monitoring_is_absent_on_3_11() -> None:
    assert not hasattr(sys, "monitoring")
    with pytest.raises(NotImplementedError):
        count_calls(workload)
