"""The shared simulation module: its API, its error messages and its renderers.

The claims of each page are tested beside the page (``test_<topic>.py``); this
module pins what the pages rely on: bad input gets a clear error, renderers
produce stable text, and the child-process runner reports failures.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import ossim
from ossim import (
    Banker,
    CountingRaw,
    Proc,
    Slice,
    fcfs,
    fifo,
    find_cycle,
    frame_table,
    lru,
    opt,
    priority,
    round_robin,
    run_in_child,
    sjf,
    srtf,
    wait_for_graph,
)


def test_public_names() -> None:
    assert sorted(ossim.__all__) == sorted(
        [
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
    )
    assert all(hasattr(ossim, name) for name in ossim.__all__)


# --- page replacement ----------------------------------------------------------


@pytest.mark.parametrize("policy", [fifo, lru, opt])
def test_page_replacement_rejects_bad_input(policy: object) -> None:
    assert callable(policy)
    with pytest.raises(ValueError, match="frames must be at least 1"):
        policy([1, 2], 0)
    with pytest.raises(ValueError, match="non-negative ints"):
        policy([1, -2], 2)
    with pytest.raises(ValueError, match="non-negative ints"):
        policy([1, True], 2)


def test_empty_reference_string_has_no_steps() -> None:
    assert fifo([], 3) == []
    with pytest.raises(ValueError, match="at least one step"):
        frame_table([])


def test_frame_table_widens_columns_for_big_page_numbers() -> None:
    table = frame_table(lru([100, 7, 100], 1))
    assert table.splitlines() == [
        "ref   100   7 100",
        "f0    100   7 100",
        "fault   *   *   *",
    ]


def test_opt_evicts_the_page_never_used_again() -> None:
    steps = opt([1, 2, 3, 1], 2)
    assert steps[2].evicted == 2  # 1 is needed again, 2 never is


# --- scheduling ------------------------------------------------------------------


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


# --- deadlock ----------------------------------------------------------------------


def test_find_cycle_handles_nodes_only_named_as_targets() -> None:
    assert find_cycle({"A": ["B"]}) is None
    assert find_cycle({"A": ["B"], "B": ["C"], "C": ["B"]}) == ["B", "C", "B"]


def test_wait_for_graph_rejects_a_lock_held_twice() -> None:
    with pytest.raises(ValueError, match="held by both"):
        wait_for_graph({"T1": ["A"], "T2": ["A"]}, {})


def test_wait_for_graph_ignores_free_locks_and_own_locks() -> None:
    assert wait_for_graph({"T1": ["A"]}, {"T1": "A", "T2": "B"}) == {"T1": [], "T2": []}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"available": (1,), "maximum": {"P": (1,)}, "allocation": {}}, "same processes"),
        ({"available": (1, 1), "maximum": {"P": (1,)}, "allocation": {"P": (0,)}}, "expected 2"),
        ({"available": (-1,), "maximum": {"P": (1,)}, "allocation": {"P": (0,)}}, "negative"),
        ({"available": (1,), "maximum": {"P": (1,)}, "allocation": {"P": (2,)}}, "more than its"),
    ],
)
def test_banker_rejects_inconsistent_states(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Banker(**kwargs)  # type: ignore[arg-type]


def test_banker_request_validation() -> None:
    bank = Banker(available=(2, 2), maximum={"P": (2, 2)}, allocation={"P": (0, 0)})
    with pytest.raises(KeyError, match="unknown process 'Q'"):
        bank.request("Q", (1, 1))
    with pytest.raises(ValueError, match="2 non-negative counts"):
        bank.request("P", (1,))
    with pytest.raises(ValueError, match="2 non-negative counts"):
        bank.request("P", (-1, 0))
    assert not bank.is_safe_sequence(["P", "P"])


# --- kernel boundaries ---------------------------------------------------------------


def test_counting_raw_rejects_a_zero_chunk() -> None:
    with pytest.raises(ValueError, match="max_chunk must be at least 1"):
        CountingRaw(max_chunk=0)


def test_counting_raw_accepts_any_buffer() -> None:
    raw = CountingRaw()
    assert raw.write(memoryview(b"abc")) == 3
    assert raw.write(bytearray(b"de")) == 2
    assert bytes(raw.data) == b"abcde"
    assert raw.calls == 2
    with io.BufferedWriter(raw) as f:
        f.write(b"f")
    assert raw.calls == 3


def test_run_in_child_reports_a_failing_demo(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="unknown lock kind 'bogus'"):
        run_in_child("lock-probe", "bogus", str(tmp_path))
    with pytest.raises(RuntimeError, match=r"usage: ossim\.py"):
        run_in_child("no-such-demo")


def test_lock_probe_on_a_free_file(tmp_path: Path) -> None:
    path = tmp_path / "free"
    path.touch()
    assert run_in_child("lock-probe", "flock", str(path)) == "locked"
    assert run_in_child("lock-probe", "lockf", str(path)) == "locked"
    assert json.dumps(ossim.lock_probe("flock", str(path))) == '"locked"'
