"""Tests for algo.dijkstra: Bellman-Ford and exhaustive oracles, heap and edge work counted.

Dijkstra is checked against Bellman-Ford, Bellman-Ford against every simple
path and simple cycle of graphs with at most 5 nodes, and 0-1 BFS against
Dijkstra. Inputs come from seeded ``random.Random`` instances (the same
graphs on every run) and stay small, so this file runs well under a second.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random

import pytest

from handbook.algo.dijkstra import (
    NegativeCycleError,
    ShortestPaths,
    Work,
    bellman_ford,
    dijkstra,
    zero_one_bfs,
)

WAdj = dict[int, list[tuple[int, float]]]


def random_graph(rng: random.Random, n: int, out: int, weights: list[int]) -> WAdj:
    """Nodes ``0..n-1``, up to ``out`` edges from each (parallel edges and self-loops allowed)."""
    return {
        u: [(rng.randrange(n), rng.choice(weights)) for _ in range(rng.randint(0, out))]
        for u in range(n)
    }


def edge_count(graph: WAdj) -> int:
    return sum(len(out) for out in graph.values())


def lightest(graph: WAdj, u: int, v: int) -> float:
    return min(weight for x, weight in graph[u] if x == v)


def assert_paths_are_real(graph: WAdj, result: ShortestPaths[int]) -> None:
    """Every reached node's path starts at the source and weighs exactly its distance."""
    for v, d in result.dist.items():
        path = result.path(v)
        assert path is not None
        assert path[0] == result.source
        assert path[-1] == v
        assert sum(lightest(graph, a, b) for a, b in itertools.pairwise(path)) == d


def simple_paths(graph: WAdj, source: int) -> dict[int, float]:
    """The lightest simple path to every node (brute force over all of them)."""
    best: dict[int, float] = {}

    def walk(u: int, weight: float, seen: frozenset[int]) -> None:
        best[u] = min(best.get(u, weight), weight)
        for v, w in graph[u]:
            if v not in seen:
                walk(v, weight + w, seen | {v})

    walk(source, 0, frozenset({source}))
    return best


def negative_cycles(graph: WAdj, nodes: set[int]) -> bool:
    """True if some simple cycle through ``nodes`` only has negative weight (brute force)."""
    for k in range(1, len(nodes) + 1):
        for cycle in itertools.permutations(sorted(nodes), k):
            hops = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
            exists = all(any(x == v for x, _ in graph[u]) for u, v in hops)
            if exists and sum(lightest(graph, u, v) for u, v in hops) < 0:
                return True
    return False


class CountedFloat(float):
    """A float that counts every comparison made on it (heap sifts and relaxations)."""

    calls = 0

    def _count(self) -> None:
        CountedFloat.calls += 1

    def __add__(self, other: float) -> CountedFloat:
        return CountedFloat(float(self) + float(other))

    def __radd__(self, other: float) -> CountedFloat:
        return CountedFloat(float(other) + float(self))

    def __lt__(self, other: float) -> bool:
        self._count()
        return float(self) < float(other)

    def __gt__(self, other: float) -> bool:
        self._count()
        return float(self) > float(other)

    def __eq__(self, other: object) -> bool:
        self._count()
        return isinstance(other, int | float) and float(self) == float(other)

    def __hash__(self) -> int:
        return hash(float(self))


class TooMuchWork(Exception):
    """Raised by ``BoundedList`` once a search has settled more nodes than allowed."""


class BoundedList(list[object]):
    """A ``Work.settled`` list that stops a search after ``limit`` settles."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def append(self, item: object) -> None:
        if len(self) >= self.limit:
            raise TooMuchWork(f"settled {len(self)} nodes and still going")
        super().append(item)


def gadget_chain(k: int) -> WAdj:
    """Nodes 0..k on a chain; each hop i -> i+1 has a 0 edge and a detour via node k+1+i.

    The detour weighs 2^(k-i) out and -2^(k-i+1) back, so it is popped after
    everything downstream and then lowers node i+1 by 2^(k-i): each label of
    node i gives node i+1 two labels, each strictly better than the last.
    """
    graph: WAdj = {k: []}
    for i in range(k):
        x = 2 ** (k - i)
        graph[i] = [(i + 1, 0), (k + 1 + i, x)]
        graph[k + 1 + i] = [(i + 1, -2 * x)]
    return graph


# --- Dijkstra -----------------------------------------------------------------


def test_dijkstra_matches_bellman_ford_on_non_negative_graphs() -> None:
    rng = random.Random(91)
    for _ in range(150):
        n = rng.randint(1, 12)
        graph = random_graph(rng, n, 4, list(range(10)))
        source = rng.randrange(n)
        result = dijkstra(graph, source)
        assert result.dist == bellman_ford(graph, source).dist
        assert_paths_are_real(graph, result)
        target = rng.randrange(n)
        early = dijkstra(graph, source, target=target)  # early exit: the target is final
        assert early.dist.get(target) == result.dist.get(target)
        if target in result.dist:
            path = early.path(target)
            assert path is not None
            assert (
                sum(lightest(graph, a, b) for a, b in itertools.pairwise(path))
                == early.dist[target]
            )


def test_dijkstra_settles_each_node_once_in_distance_order() -> None:
    graph: WAdj = {0: [(1, 10), (2, 1)], 2: [(1, 1)], 1: [(3, 1)]}  # node 1 improves: 10, then 2
    w = Work()
    assert dijkstra(graph, 0, work=w).dist == {0: 0, 1: 2, 2: 1, 3: 3}
    assert w.settled == [0, 2, 1, 3]
    assert (w.pushes, w.pops) == (5, 5)  # the stale (10, 1) is pushed and popped, never expanded
    assert w.scans == 4 == edge_count(graph)
    rng = random.Random(92)
    for _ in range(100):
        graph = random_graph(rng, 10, 4, list(range(6)))
        w = Work()
        dist = dijkstra(graph, 0, work=w).dist
        assert sorted(w.settled) == sorted(dist)  # each reached node settled exactly once
        assert [dist[v] for v in w.settled] == sorted(dist.values())
        assert w.scans == sum(len(graph[v]) for v in dist) <= edge_count(graph)


def test_dijkstra_heap_work_at_growing_sizes() -> None:
    rng = random.Random(93)
    for n in (10, 100, 1_000, 5_000):
        graph = random_graph(rng, n, 6, list(range(1, 50)))
        edges = edge_count(graph)
        w = Work()
        dist = dijkstra(graph, 0, work=w).dist
        assert w.pushes == w.pops <= edges + 1  # one push per successful relaxation
        assert w.scans <= edges
        assert len(w.settled) == len(dist) <= n


def test_heap_entries_need_a_tie_breaker_for_unorderable_nodes() -> None:
    a, b, c, d = object(), object(), object(), object()
    graph = {a: [(b, 1), (c, 1)], b: [(d, 1)], c: [(d, 1)]}  # b and c tie at distance 1
    assert dijkstra(graph, a).dist == {a: 0, b: 1, c: 1, d: 2}
    heap: list[tuple[int, object]] = []
    heapq.heappush(heap, (1, b))
    with pytest.raises(TypeError, match="'<' not supported"):
        heapq.heappush(heap, (1, c))  # the tie makes heapq compare the nodes


def test_a_negative_edge_breaks_dijkstra_and_not_bellman_ford() -> None:
    graph: WAdj = {0: [(1, 2), (2, 5)], 2: [(1, -4)], 1: [(3, 1)]}  # 0 -> 2 -> 1 weighs 1
    assert bellman_ford(graph, 0).dist == {0: 0, 1: 1, 2: 5, 3: 2}
    with pytest.raises(ValueError, match=r"weight -4 on edge 2 -> 1: Dijkstra needs weights >= 0"):
        dijkstra(graph, 0)
    # Popped at 2, node 1 is taken as final: the early exit answers 2, not 1.
    assert dijkstra(graph, 0, target=1, check_weights=False).dist[1] == 2
    # Run to the end (no negative cycle here), the lazy version re-pushes node 1 and
    # ends right, but settles nodes 1 and 3 twice and examines more edges than E.
    w = Work()
    assert dijkstra(graph, 0, work=w, check_weights=False).dist == {0: 0, 1: 1, 2: 5, 3: 2}
    assert w.settled == [0, 1, 3, 2, 1, 3]
    assert w.scans > edge_count(graph)


def test_negative_edges_can_make_the_lazy_version_settle_exponentially_often() -> None:
    for k in range(1, 9):
        graph = gadget_chain(k)
        assert (len(graph), edge_count(graph)) == (2 * k + 1, 3 * k)
        w = Work()
        result = dijkstra(graph, 0, work=w, check_weights=False)
        assert result.dist == bellman_ford(graph, 0).dist  # no negative cycle: ends right
        # Node i and its detour are settled once per label of node i, 2^i times, and
        # scan 2 + 1 edges: 3 * (2^k - 1) scans for 3k edges.
        assert [w.settled.count(i) for i in range(k + 1)] == [2**i for i in range(k + 1)]
        assert w.scans == 3 * (2**k - 1)


def test_a_reachable_negative_cycle_keeps_the_lazy_version_going() -> None:
    graph: WAdj = {0: [(1, 1)], 1: [(2, -3)], 2: [(1, 1)]}  # the lap 1 -> 2 -> 1 weighs -2
    with pytest.raises(NegativeCycleError):
        bellman_ford(graph, 0)
    w = Work(settled=BoundedList(1_000))
    with pytest.raises(TooMuchWork):  # 3 nodes, 3 edges, and 1000 settles are not enough
        dijkstra(graph, 0, work=w, check_weights=False)
    assert w.settled[1:7] == [1, 2, 1, 2, 1, 2]  # every lap settles the cycle again


def test_heap_comparisons_grow_as_pushes_times_log() -> None:
    # Each heappush sifts up at most log2(P) levels and each heappop at most 2 * log2(P),
    # one tuple comparison per level, and a tuple comparison calls == and then < on
    # the distances: at most 6 * P * log2(P) calls, plus one per scan and per pop.
    rng = random.Random(98)
    for n in (10, 100, 1_000):
        graph = {
            u: [(v, CountedFloat(weight)) for v, weight in out]
            for u, out in random_graph(rng, n, 6, list(range(1, 50))).items()
        }
        CountedFloat.calls = 0
        w = Work()
        result = dijkstra(graph, 0, work=w)
        assert w.pushes > n // 2  # most of the graph was reached: the bound is not vacuous
        bound = 6 * w.pushes * max(1.0, math.log2(w.pushes)) + w.scans + w.pops
        assert w.pushes <= CountedFloat.calls <= bound
        assert result.dist == bellman_ford(graph, 0).dist


def test_zero_weight_cycles_end_because_only_strict_improvements_relax() -> None:
    graph: WAdj = {0: [(1, 0), (0, 0)], 1: [(0, 0), (2, 1)], 2: [(2, 0)]}
    w = Work()
    assert dijkstra(graph, 0, work=w).dist == {0: 0, 1: 0, 2: 1}
    assert w.settled == [0, 1, 2]
    assert w.pushes == 3


def test_early_exit_stops_at_the_target() -> None:
    graph: WAdj = {0: [(1, 1), (2, 5)], 1: [], 2: [(3, 1)]}
    whole, early = Work(), Work()
    dijkstra(graph, 0, work=whole)
    assert dijkstra(graph, 0, target=1, work=early).dist == {0: 0, 1: 1, 2: 5}
    assert (whole.settled, early.settled) == ([0, 1, 2, 3], [0, 1])
    assert early.scans == 2 < whole.scans == 3
    with pytest.raises(ValueError, match="unknown target node 9"):
        dijkstra(graph, 0, target=9)


def test_bad_input_gets_a_clear_error() -> None:
    graph: WAdj = {0: [(1, 1)]}
    for search in (dijkstra, bellman_ford, zero_one_bfs):
        with pytest.raises(ValueError, match="unknown source node 7"):
            search(graph, 7)
    with pytest.raises(ValueError, match="unknown source node 7"):
        dijkstra(graph, 7, check_weights=False)
    with pytest.raises(ValueError, match=r"weight 2 on edge 0 -> 1: 0-1 BFS needs weights 0 or 1"):
        zero_one_bfs({0: [(1, 2)]}, 0)
    assert dijkstra(graph, 1).dist == {1: 0}  # a node that is only a target is known
    assert dijkstra(graph, 1).path(0) is None


# --- Bellman-Ford ---------------------------------------------------------------


def test_bellman_ford_matches_every_simple_path_and_cycle() -> None:
    rng = random.Random(94)
    raised = 0
    for _ in range(300):
        n = rng.randint(1, 5)
        graph = random_graph(rng, n, 3, [-3, -1, 0, 1, 2, 4, 6])
        source = rng.randrange(n)
        reach = set(simple_paths(graph, source))
        if negative_cycles(graph, reach):
            raised += 1
            with pytest.raises(NegativeCycleError) as err:
                bellman_ford(graph, source)
            cycle = err.value.cycle
            hops = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
            assert len(set(cycle)) == len(cycle)
            assert set(cycle) <= reach
            assert sum(lightest(graph, u, v) for u, v in hops) < 0
            assert isinstance(err.value, ValueError)
        else:
            result = bellman_ford(graph, source)
            assert result.dist == simple_paths(graph, source)
            assert_paths_are_real(graph, result)
            # Negative edges but no negative cycle: the lazy Dijkstra, run to the end,
            # re-pushes what improves and still ends right (its bound is what is lost).
            assert dijkstra(graph, source, check_weights=False).dist == result.dist
    assert 30 < raised < 270  # both branches are exercised


def test_bellman_ford_ignores_an_unreachable_negative_cycle_and_counts_its_work() -> None:
    graph: WAdj = {0: [(1, 3)], 2: [(3, -5)], 3: [(2, 1)]}
    assert bellman_ford(graph, 0).dist == {0: 0, 1: 3}
    with pytest.raises(NegativeCycleError, match="reachable from 2: 2 -> 3 -> 2"):
        bellman_ford(graph, 2)
    rng = random.Random(95)
    for n in (5, 20, 80):
        graph = random_graph(rng, n, 3, list(range(10)))
        w = Work()
        bellman_ford(graph, 0, w)
        assert w.scans <= n * edge_count(graph)  # V - 1 rounds, then one check round


def test_bellman_ford_needs_all_v_minus_1_rounds_on_a_path_listed_backwards() -> None:
    for n in (3, 5, 20, 80):
        backwards: WAdj = {u: [(u + 1, 1)] for u in reversed(range(n - 1))}
        forwards: WAdj = {u: [(u + 1, 1)] for u in range(n - 1)}
        slow, fast = Work(), Work()
        assert bellman_ford(backwards, 0, slow).dist == {v: v for v in range(n)}
        assert bellman_ford(forwards, 0, fast).dist == {v: v for v in range(n)}
        # Backwards, each round relaxes one more edge: V - 1 rounds, then the check round.
        assert slow.scans == n * edge_count(backwards)
        # Forwards, one round relaxes them all and a second changes nothing.
        assert fast.scans == 2 * edge_count(forwards)


# --- 0-1 BFS ----------------------------------------------------------------------


def test_zero_one_bfs_matches_dijkstra() -> None:
    rng = random.Random(96)
    for _ in range(200):
        n = rng.randint(1, 12)
        graph = random_graph(rng, n, 4, [0, 1])
        source = rng.randrange(n)
        result = zero_one_bfs(graph, source)
        assert result.dist == dijkstra(graph, source).dist
        assert_paths_are_real(graph, result)


def test_zero_one_bfs_settles_each_node_once_in_distance_order() -> None:
    graph: WAdj = {0: [(1, 1), (2, 0)], 2: [(1, 0)], 1: [(3, 1)]}
    w = Work()
    assert zero_one_bfs(graph, 0, w).dist == {0: 0, 1: 0, 2: 0, 3: 1}
    assert w.settled == [0, 2, 1, 3]
    assert w.scans == edge_count(graph)
    rng = random.Random(97)
    for n in (10, 100, 1_000):
        graph = random_graph(rng, n, 4, [0, 1])
        w = Work()
        dist = zero_one_bfs(graph, 0, w).dist
        assert sorted(w.settled) == sorted(dist)
        assert [dist[v] for v in w.settled] == sorted(dist.values())
        assert w.scans == sum(len(graph[v]) for v in dist) <= edge_count(graph)
        assert w.pushes <= edge_count(graph) + 1
