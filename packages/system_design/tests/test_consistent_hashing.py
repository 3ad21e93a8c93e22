"""Tests for system_design.consistent_hashing: 1/N of keys move on resize, vnodes even the load."""

from __future__ import annotations

import math
import os
import random
import statistics
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from functools import cache

import pytest

from handbook.system_design.consistent_hashing import (
    HashRing,
    ModNPlacement,
    moved_fraction,
    stable_hash,
)

KEYS = [f"key-{i}" for i in range(10_000)]
NODES = [f"node-{i}" for i in range(10)]


@cache
def ring(nodes: tuple[str, ...], vnodes: int) -> HashRing:
    """A shared, cached ring: tests only read it and must never add or remove a node."""
    built = HashRing(nodes, vnodes=vnodes)
    built._check()
    return built


def table_hash(table: dict[str, int]) -> HashRing:
    """A one-point-per-node ring whose hash is the given table (nodes are ``x#0`` keys)."""
    nodes = [name.removesuffix("#0") for name in table if name.endswith("#0")]
    return HashRing(nodes, vnodes=1, hash_fn=table.__getitem__)


def spread(r: HashRing) -> float:
    """Coefficient of variation (stdev / mean) of the keys per node."""
    counts = Counter(r.node_for(k) for k in KEYS)
    loads = [counts[n] for n in r.nodes]
    return statistics.pstdev(loads) / statistics.mean(loads)


def test_mod_n_moves_about_n_over_n_plus_1_of_the_keys_when_a_node_is_added() -> None:
    moved = moved_fraction(
        ModNPlacement(NODES).node_for, ModNPlacement([*NODES, "node-10"]).node_for, KEYS
    )
    # A key stays only if h % 10 == h % 11: 10 residues out of lcm(10, 11) = 110, so
    # it moves with probability 10/11. Binomial sd over 10,000 keys is 0.0029: 5 sd = 0.015.
    assert abs(moved - 10 / 11) < 0.015
    assert moved > 0.9


def test_the_ring_moves_about_1_over_n_plus_1_and_only_to_the_new_node() -> None:
    before, after = ring(tuple(NODES), 100), ring((*NODES, "node-10"), 100)
    moved = [k for k in KEYS if before.node_for(k) != after.node_for(k)]
    assert {after.node_for(k) for k in moved} == {"node-10"}
    # The new node's share is a sum of 100 random arcs, about (1/11) * (1 +- 1/sqrt(100)):
    # sd about 0.009; key sampling adds 0.003. The window is over 3 sd each side of 1/11.
    assert 0.06 < len(moved) / len(KEYS) < 0.12


def donors(vnodes: int) -> set[str]:
    """The nodes that hand keys to node-10 when it joins."""
    before, after = ring(tuple(NODES), vnodes), ring((*NODES, "node-10"), vnodes)
    return {before.node_for(k) for k in KEYS if before.node_for(k) != after.node_for(k)}


def test_a_joining_node_takes_keys_from_every_node_only_with_virtual_nodes() -> None:
    # One point splits one arc, so all its keys come from one neighbour.
    assert len(donors(1)) == 1
    # 100 points land in arcs of all 10 nodes (a node is missed with probability
    # 0.9**100 = 2.7e-5); measured 47-137 moved keys from each, so all 10 give keys.
    assert donors(100) == set(NODES)


def test_removing_a_node_moves_only_its_keys_and_each_to_its_next_distinct_node() -> None:
    before = ring(tuple(NODES), 100)
    after = HashRing([n for n in NODES if n != "node-3"], vnodes=100)
    after._check()
    for key in KEYS:
        owner = before.node_for(key)
        if owner == "node-3":
            assert after.node_for(key) == before.preference_list(key, 2)[1]
        else:
            assert after.node_for(key) == owner


def test_virtual_nodes_even_out_the_load_across_nodes() -> None:
    one, many = spread(ring(tuple(NODES), 1)), spread(ring(tuple(NODES), 100))
    # With v points per node a node's share has a coefficient of variation of
    # sqrt((N - 1) / (N v + 1)): 0.905 for v = 1, 0.095 for v = 100, plus about 0.03 of
    # key-sampling noise. This seeded ring measures 0.96 and 0.12 (ratio 7.8). A single
    # ring's CV is wide at v = 1: over 300 salted hash functions about 3% of rings measured
    # <= 0.5 (minimum 0.32), so 0.5 is a bound for this ring, not for every ring.
    assert one > 0.5
    assert many < 0.2
    assert one > 3 * many


def arc_spread(r: HashRing) -> float:
    """Coefficient of variation of the nodes' exact shares of the ring (their arc lengths)."""
    shares = dict.fromkeys(r.nodes, 0)
    previous = r._points[-1][0] - 2**64  # the first arc wraps around from the last point
    for h, node in r._points:
        shares[node] += h - previous
        previous = h
    return statistics.pstdev(shares.values()) / statistics.mean(shares.values())


def salted(salt: int) -> Callable[[str], int]:
    """Another stable hash function for each salt: an independent random ring."""
    return lambda key: stable_hash(f"salt{salt}:{key}")


def test_the_load_spread_shrinks_like_one_over_sqrt_vnodes() -> None:
    cv = {}
    for v in (1, 10, 100):
        rings = [HashRing(NODES, vnodes=v, hash_fn=salted(s)) for s in range(20)]
        cv[v] = statistics.mean(arc_spread(r) for r in rings)
        # Theory: sqrt((N - 1) / (N v + 1)) = 0.905, 0.299, 0.095. Over salts 0..399 in 20
        # blocks of 20 rings, the block mean measured 0.85-1.13x theory for every v; the
        # block used here (salts 0..19) gives 0.85, 0.91 and 1.00x. The window is 0.7-1.3x.
        theory = math.sqrt((len(NODES) - 1) / (len(NODES) * v + 1))
        assert 0.7 * theory < cv[v] < 1.3 * theory
    # 100x the points, about 10x less spread: 9.5x in theory, 8.1-11.6x over those blocks
    # (8.1x here).
    assert cv[1] > 5 * cv[100]


def test_a_key_past_the_last_point_wraps_around_to_the_first_point() -> None:
    r = table_hash({"a#0": 100, "b#0": 200, "k50": 50, "k150": 150, "k200": 200, "k250": 250})
    assert [r.node_for(k) for k in ("k50", "k150", "k200", "k250")] == ["a", "b", "b", "a"]


def test_the_preference_list_skips_further_points_of_a_node_already_chosen() -> None:
    r = HashRing(
        ["a", "b"],
        vnodes=2,
        hash_fn={"a#0": 10, "a#1": 20, "b#0": 30, "b#1": 40, "k": 5}.__getitem__,
    )
    assert r.preference_list("k", 2) == ["a", "b"]


def test_preference_lists_hold_distinct_nodes_starting_with_the_owner() -> None:
    r = ring(tuple(NODES[:5]), 100)
    for key in KEYS[:1000]:
        replicas = r.preference_list(key, 3)
        assert replicas[0] == r.node_for(key)
        assert len(set(replicas)) == 3
    assert sorted(r.preference_list("x", 5)) == sorted(NODES[:5])


def brute_force_owner(points: list[tuple[int, str]], h: int) -> str:
    at_or_after = [p for p in points if p[0] >= h]
    return min(at_or_after or points)[1]


def test_random_adds_and_removes_keep_the_invariants_and_match_a_brute_force_owner() -> None:
    rng = random.Random(7)
    r = HashRing(vnodes=8)
    model: set[str] = set()
    for step in range(60):
        node = f"n{rng.randrange(12)}"
        if node in model:
            r.remove_node(node)
            model.remove(node)
        else:
            r.add_node(node)
            model.add(node)
        r._check()
        assert r.nodes == model
        if model:
            points = [(stable_hash(f"{n}#{i}"), n) for n in model for i in range(8)]
            for key in (f"k{step}-{j}" for j in range(20)):
                assert r.node_for(key) == brute_force_owner(points, stable_hash(key))


def test_builtin_str_hash_is_salted_per_process_and_stable_hash_is_not() -> None:
    def builtin_hash(seed: str | None) -> str:
        # No -I or -E here: they make Python ignore PYTHON* variables, PYTHONHASHSEED too.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
        if seed is not None:
            env["PYTHONHASHSEED"] = seed
        code = "print(hash('user:42'))"
        return subprocess.run(
            [sys.executable, "-S", "-c", code],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    # The salt comes from PYTHONHASHSEED: the same seed gives the same value, another seed
    # another value.
    assert builtin_hash("1") == builtin_hash("1") != builtin_hash("2")
    # Without it the salt is random per process: two processes agree with probability
    # about 2**-64.
    assert builtin_hash(None) != builtin_hash(None)
    # BLAKE2b is specified by RFC 7693, so its value is fixed across processes and
    # versions: this constant was computed once and must never change.
    assert stable_hash("user:42") == 15647646390214308482


def test_bad_arguments_raise_clear_errors_and_leave_the_ring_unchanged() -> None:
    with pytest.raises(ValueError, match="vnodes"):
        HashRing(vnodes=0)
    with pytest.raises(TypeError, match="vnodes"):
        HashRing(vnodes=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one node"):
        ModNPlacement([])
    with pytest.raises(LookupError, match="no nodes"):
        HashRing().node_for("k")
    r = HashRing(["a", "b"], vnodes=4)
    before = list(r._points)
    with pytest.raises(ValueError, match="already"):
        r.add_node("a")
    with pytest.raises(KeyError):
        r.remove_node("zzz")
    with pytest.raises(ValueError, match="between 1 and 2"):
        r.preference_list("k", 3)
    with pytest.raises(ValueError, match="between 1 and 2"):
        r.preference_list("k", 0)
    with pytest.raises(ValueError, match="at least one key"):
        moved_fraction(r.node_for, r.node_for, [])
    assert r._points == before
    r._check()
