"""os.deadlock: cycle detection, the Banker's algorithm, and real deadlocks that never hang.

The thread demonstration forces the deadlock with a barrier and detects it with
``acquire(timeout=...)``: the timeout never decides the outcome, because the
lock wanted is held until both threads have given up. The POSIX-lock
demonstration (``deadlock.posix_lock_deadlock``) forks, so it runs in a fresh
interpreter.
"""

from __future__ import annotations

import itertools
import random
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from fundamentals.os.deadlock import (
    Banker,
    Verdict,
    find_cycle,
    in_lock_order,
    pool_requests,
    posix_lock_deadlock,
    safe_pool_size,
    wait_for_graph,
)
from fundamentals.os.processes import call_in_subprocess

GIVE_UP_AFTER = 0.2  # seconds; any value works, the wanted lock is never released in time


def textbook() -> Banker:
    return Banker(
        available=(3, 3, 2),
        maximum={
            "P0": (7, 5, 3),
            "P1": (3, 2, 2),
            "P2": (9, 0, 2),
            "P3": (2, 2, 2),
            "P4": (4, 3, 3),
        },
        allocation={
            "P0": (0, 1, 0),
            "P1": (2, 0, 0),
            "P2": (3, 0, 2),
            "P3": (2, 1, 1),
            "P4": (0, 0, 2),
        },
    )


# --- wait-for graphs -------------------------------------------------------


def is_cycle(graph: dict[str, list[str]], cycle: Sequence[str]) -> bool:
    return (
        len(cycle) >= 2
        and cycle[0] == cycle[-1]
        and all(b in graph.get(a, []) for a, b in itertools.pairwise(cycle))
    )


def has_cycle_by_kahn(graph: dict[str, list[str]]) -> bool:
    """Independent check: a graph is acyclic iff repeatedly removing sources empties it."""
    nodes = set(graph) | {t for ts in graph.values() for t in ts}
    indegree = dict.fromkeys(nodes, 0)
    for ts in graph.values():
        for t in ts:
            indegree[t] += 1
    sources = [n for n in nodes if indegree[n] == 0]
    removed = 0
    while sources:
        n = sources.pop()
        removed += 1
        for t in graph.get(n, []):
            indegree[t] -= 1
            if indegree[t] == 0:
                sources.append(t)
    return removed < len(nodes)


def test_two_threads_in_opposite_order_form_a_cycle() -> None:
    graph = wait_for_graph({"T1": ["A"], "T2": ["B"]}, {"T1": "B", "T2": "A"})
    assert find_cycle(graph) == ["T1", "T2", "T1"]


def test_self_loop_and_long_cycle() -> None:
    assert find_cycle({"T": ["T"]}) == ["T", "T"]
    ring = {f"T{i}": [f"T{(i + 1) % 5}"] for i in range(5)}
    cycle = find_cycle(ring)
    assert cycle is not None
    assert is_cycle(ring, cycle)
    assert len(cycle) == 6


def test_a_thread_blocked_by_a_deadlock_is_not_part_of_its_cycle() -> None:
    # T3 waits for T1, which is deadlocked with T2. The search starts at T3, so
    # the cycle it must find does not pass through its starting point.
    graph = wait_for_graph({"T3": [], "T1": ["A"], "T2": ["B"]}, {"T3": "A", "T1": "B", "T2": "A"})
    assert graph == {"T3": ["T1"], "T1": ["T2"], "T2": ["T1"]}
    assert find_cycle(graph) == ["T1", "T2", "T1"]


def test_blocked_but_not_deadlocked() -> None:
    # A chain of waits ending at a process that runs is not a deadlock.
    assert find_cycle({"T1": ["T2"], "T2": ["T3"], "T3": []}) is None


def test_find_cycle_agrees_with_kahns_algorithm_on_random_graphs() -> None:
    for seed in range(300):
        rng = random.Random(seed)
        n = rng.randint(1, 7)
        graph = {f"T{i}": [f"T{j}" for j in range(n) if rng.random() < 0.25] for i in range(n)}
        cycle = find_cycle(graph)
        assert (cycle is not None) == has_cycle_by_kahn(graph), seed
        if cycle is not None:
            assert is_cycle(graph, cycle), seed


# --- Banker's algorithm ----------------------------------------------------


def test_textbook_state_is_safe_and_the_sequence_replays() -> None:
    bank = textbook()
    order = bank.safe_sequence()
    assert order is not None
    assert sorted(order) == ["P0", "P1", "P2", "P3", "P4"]
    assert bank.is_safe_sequence(order)
    # The order printed in textbooks is safe too; not every order is.
    assert bank.is_safe_sequence(["P1", "P3", "P4", "P2", "P0"])
    assert bank.is_safe_sequence(["P0", "P1", "P2", "P3", "P4"]) is False  # P0 needs 7 4 3


def test_unsafe_state_is_reported_unsafe() -> None:
    # The textbook state after granting P1 (1,0,2) and then, wrongly, P0 (0,2,0).
    bank = Banker(
        available=(2, 1, 0),
        maximum=textbook().maximum,
        allocation={**textbook().allocation, "P1": (3, 0, 2), "P0": (0, 3, 0)},
    )
    assert bank.safe_sequence() is None
    assert bank.is_safe() is False
    assert not any(bank.is_safe_sequence(p) for p in itertools.permutations(bank.maximum))


def test_request_leading_to_an_unsafe_state_is_denied() -> None:
    verdict, bank = textbook().request("P1", (1, 0, 2))
    assert verdict is Verdict.GRANTED
    assert bank.available == (2, 3, 0)
    assert bank.is_safe()
    verdict, after = bank.request("P0", (0, 2, 0))
    assert verdict is Verdict.UNSAFE
    assert after is bank  # nothing changed
    verdict, after = bank.request("P4", (3, 3, 0))
    assert verdict is Verdict.UNAVAILABLE
    assert after is bank


def test_request_beyond_the_declared_maximum_is_an_error() -> None:
    with pytest.raises(ValueError, match="more than its remaining need"):
        textbook().request("P3", (1, 1, 1))


def random_state(rng: random.Random) -> Banker:
    kinds, procs = rng.randint(1, 3), rng.randint(1, 5)
    maximum = {f"P{i}": tuple(rng.randint(0, 5) for _ in range(kinds)) for i in range(procs)}
    allocation = {p: tuple(rng.randint(0, m) for m in v) for p, v in maximum.items()}
    available = tuple(rng.randint(0, 4) for _ in range(kinds))
    return Banker(available, maximum, allocation)


def test_safe_sequence_exists_exactly_when_some_order_replays() -> None:
    outcomes = set()
    for seed in range(200):
        bank = random_state(random.Random(seed))
        order = bank.safe_sequence()
        orders = itertools.permutations(bank.maximum)
        assert (order is not None) == any(bank.is_safe_sequence(p) for p in orders), seed
        if order is not None:
            assert bank.is_safe_sequence(order), seed
        outcomes.add(order is None)
    assert outcomes == {True, False}, "the random states should include safe and unsafe ones"


def test_granted_requests_never_leave_a_safe_state() -> None:
    verdicts = set()
    for seed in range(100):
        rng = random.Random(seed)
        bank = random_state(rng)
        if not bank.is_safe():  # enough free to cover every maximum: trivially safe
            free = tuple(sum(col) for col in zip(*bank.maximum.values(), strict=True))
            bank = Banker(free, bank.maximum, bank.allocation)
        assert bank.is_safe(), seed
        for _ in range(20):
            p = rng.choice(list(bank.maximum))
            verdict, bank = bank.request(p, tuple(rng.randint(0, n) for n in bank.need(p)))
            verdicts.add(verdict)
            assert bank.is_safe(), (seed, verdict)
    assert verdicts == set(Verdict), "the walk should see every kind of verdict"


# --- real threads ----------------------------------------------------------


@dataclass
class LockRun:
    """What two locking threads ended up with."""

    got_second: dict[str, bool]
    holds: dict[str, list[str]]  # what each held when it asked for its second lock
    wants: dict[str, str]


def run_two_lockers(order_1: Sequence[str], order_2: Sequence[str]) -> LockRun:
    """Two threads take locks A and B in the given orders; report what happened.

    The worst interleaving the orders allow is forced. When the threads start
    with different locks, a barrier makes each hold its first lock before
    either asks for its second, and a second barrier makes each keep it until
    both have tried. When they start with the same lock, no interleaving lets
    each hold one: whoever gets it first finds the second lock free.
    """
    force = order_1[0] != order_2[0]
    locks = {"A": threading.Lock(), "B": threading.Lock()}
    both_hold_first = threading.Barrier(2, timeout=10)
    both_tried = threading.Barrier(2, timeout=10)
    run = LockRun(got_second={}, holds={}, wants={})

    def worker(name: str, first: str, second: str) -> None:
        with locks[first]:
            if force:
                both_hold_first.wait()
            run.holds[name] = [first]
            run.wants[name] = second
            got = locks[second].acquire(timeout=GIVE_UP_AFTER)
            run.got_second[name] = got
            if got:
                locks[second].release()
            if force:
                both_tried.wait()

    threads = [
        threading.Thread(target=worker, args=("T1", *order_1)),
        threading.Thread(target=worker, args=("T2", *order_2)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert [t.is_alive() for t in threads] == [False, False], "a worker hung"
    return run


def test_opposite_lock_order_deadlocks_and_the_timeout_detects_it() -> None:
    run = run_two_lockers(("A", "B"), ("B", "A"))
    assert run.got_second == {"T1": False, "T2": False}
    # Both held one lock and wanted the other's at the same time: a cycle.
    cycle = find_cycle(wait_for_graph(run.holds, run.wants))
    assert cycle is not None
    assert sorted(cycle[:-1]) == ["T1", "T2"]


def test_one_global_lock_order_never_deadlocks() -> None:
    # transfer(A, B) and transfer(B, A) at once, each locking in the global order.
    run = run_two_lockers(in_lock_order("A", "B"), in_lock_order("B", "A"))
    assert run.got_second == {"T1": True, "T2": True}
    assert run.holds == {"T1": ["A"], "T2": ["A"]}  # both start with A, one after the other


# --- real processes: the kernel's own deadlock detector ----------------------


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="relies on Linux's EDEADLK check for fcntl locks"
)
def test_kernel_detects_posix_lock_deadlock_between_processes() -> None:
    result = call_in_subprocess(posix_lock_deadlock)
    assert result["child_exit"] == 0
    # Whichever asked second closed the cycle: exactly one request was refused.
    assert sorted([result["parent"], result["child"]]) == ["EDEADLK", "granted"]


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
    assert bank.is_safe_sequence(["P", "P"]) is False


# --- a connection pool: hold and wait on a counted resource -----------------


@pytest.mark.parametrize(("requests", "per_request"), [(4, 2), (3, 3)])
def test_a_pool_of_exactly_the_held_connections_deadlocks(requests: int, per_request: int) -> None:
    # Every request holds per_request - 1 connections and waits for one more;
    # the pool has no more, and no one gives anything back while waiting.
    pool = requests * (per_request - 1)
    result = pool_requests(pool, requests, per_request, give_up_after=GIVE_UP_AFTER)
    assert result == {"served": 0, "gave_up": requests}


@pytest.mark.parametrize(("requests", "per_request"), [(4, 2), (3, 3), (5, 1)])
def test_one_connection_more_than_can_be_held_lets_every_request_finish(
    requests: int, per_request: int
) -> None:
    # The same forced worst case, waiting without a deadline: one spare
    # connection lets one request finish, which frees enough for the next.
    pool = safe_pool_size(requests, per_request)
    assert pool_requests(pool, requests, per_request) == {"served": requests, "gave_up": 0}


def test_pool_requests_rejects_impossible_setups() -> None:
    with pytest.raises(ValueError, match="cannot give 4 requests 1 connections each"):
        pool_requests(3, 4, 2)
    with pytest.raises(ValueError, match="need concurrency and per_request >= 1"):
        safe_pool_size(0, 2)


def test_a_lock_is_not_reentrant_an_rlock_is() -> None:
    # The one-thread deadlock: a function holding a Lock calls another that
    # takes it again. The Lock does not know who holds it, so the second
    # acquire would wait for ever (a non-blocking one simply fails); CPython
    # does not detect it. An RLock counts its owner's acquisitions.
    lock = threading.Lock()
    with lock:
        assert lock.acquire(blocking=False) is False
    rlock = threading.RLock()
    with rlock:
        assert rlock.acquire(blocking=False) is True
        rlock.release()
