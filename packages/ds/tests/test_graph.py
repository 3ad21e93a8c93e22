"""Tests for ds.graph: mutation semantics, traversals, and Dijkstra against Floyd-Warshall."""

from __future__ import annotations

import dataclasses
import itertools
import math
import random
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from handbook.ds.graph import CycleError, Graph

INF = math.inf


def random_graph(
    seed: int, n: int = 12, edges: int = 30, directed: bool = True, max_weight: int = 9
) -> Graph[int]:
    rng = random.Random(seed)
    g = Graph[int](directed=directed, vertices=range(n))
    for _ in range(edges):
        g.add_edge(rng.randrange(n), rng.randrange(n), rng.randint(0, max_weight))
    g._check()
    return g


def floyd_warshall(g: Graph[int], unit: bool = False) -> dict[tuple[int, int], float]:
    """All-pairs distances by brute force: the reference Dijkstra is checked against."""
    vs = g.vertices()
    d: dict[tuple[int, int], float] = {(u, v): 0 if u == v else INF for u in vs for v in vs}
    for u, v, w in g.edges():
        for a, b in [(u, v)] if g.directed else [(u, v), (v, u)]:
            cost = (0 if a == b else 1) if unit else w
            d[a, b] = min(d[a, b], cost)
    for k, i, j in itertools.product(vs, vs, vs):
        if d[i, k] + d[k, j] < d[i, j]:
            d[i, j] = d[i, k] + d[k, j]
    return d


def path_weight(g: Graph[int], path: list[int]) -> float:
    return sum(g.weight(a, b) for a, b in itertools.pairwise(path))


# --- mutation ----------------------------------------------------------------


def test_undirected_edges_are_symmetric() -> None:
    g = Graph[str]([("a", "b", 3), ("b", "c")])
    g._check()
    assert g.has_edge("b", "a")
    assert g.weight("b", "a") == 3
    assert g.neighbors("b") == ["a", "c"]
    assert g.edge_count == 2
    assert len(g) == 3
    g.add_edge("b", "a", 5)  # replaces the weight, no new edge
    assert g.weight("a", "b") == 5
    assert g.edge_count == 2
    g.remove_edge("b", "a")
    g._check()
    assert g.has_edge("a", "b") is False
    assert "a" in g
    assert g.edge_count == 1


def test_directed_edges_have_a_direction() -> None:
    g = Graph([(1, 2), (2, 3)], directed=True)
    assert g.has_edge(1, 2)
    assert g.has_edge(2, 1) is False
    assert g.neighbors(2) == [3]
    with pytest.raises(KeyError):
        g.remove_edge(2, 1)
    with pytest.raises(KeyError):
        g.weight(2, 1)
    g._check()
    assert g.edges() == [(1, 2, 1), (2, 3, 1)]


@pytest.mark.parametrize("directed", [False, True])
def test_remove_vertex_removes_its_edges(directed: bool) -> None:
    g = Graph([(1, 2), (2, 3), (3, 2), (2, 2), (4, 1)], directed=directed)
    g.remove_vertex(2)
    g._check()
    assert g.vertices() == [1, 3, 4]
    assert g.edges() == ([(4, 1, 1)] if directed else [(1, 4, 1)])
    assert g.edge_count == 1
    with pytest.raises(KeyError):
        g.remove_vertex(2)


@pytest.mark.parametrize("directed", [False, True])
def test_self_loops(directed: bool) -> None:
    g = Graph([(1, 1, 4)], directed=directed)
    assert g.edges() == [(1, 1, 4)]
    assert g.edge_count == 1
    assert g.has_cycle()
    g.remove_edge(1, 1)
    g._check()
    assert g.edge_count == 0
    assert g.has_cycle() is False


def test_unknown_vertices_raise_key_error() -> None:
    g = Graph([(1, 2)])
    for op in (g.neighbors, g.bfs, g.dfs, g.dijkstra, g.remove_vertex):
        with pytest.raises(KeyError):
            op(9)
    for args in [(9, 1), (1, 9)]:
        with pytest.raises(KeyError):
            g.shortest_path_unweighted(*args)
    assert g.has_edge(9, 1) is False
    assert 9 not in g


def test_bad_input_raises_and_changes_nothing() -> None:
    g = Graph([(1, 2)])
    snapshot = Graph([(1, 2)])
    bad_vertex: Any = [3]
    with pytest.raises(TypeError):
        g.add_edge(5, bad_vertex)  # 5 must not be added before the failure
    with pytest.raises(TypeError):
        g.add_vertex(bad_vertex)
    bad_weight: Any = "1"
    with pytest.raises(TypeError, match="weight must be an int or float"):
        g.add_edge(1, 3, bad_weight)
    with pytest.raises(TypeError, match="weight must be an int or float"):
        g.add_edge(1, 3, True)
    with pytest.raises(ValueError, match="NaN"):
        g.add_edge(1, 3, math.nan)
    g._check()
    assert g == snapshot
    assert g.vertices() == [1, 2]


# --- traversals --------------------------------------------------------------


def test_bfs_and_dfs_orders() -> None:
    g = Graph([(1, 2), (1, 3), (2, 4), (3, 4), (4, 5)])
    assert g.bfs(1) == [1, 2, 3, 4, 5]
    assert g.dfs(1) == [1, 2, 4, 3, 5]
    assert g.bfs(5) == [5, 4, 2, 3, 1]
    assert Graph([(1, 2)], directed=True).bfs(2) == [2]


def test_dfs_matches_recursive_definition_on_seeded_graphs() -> None:
    def recursive(g: Graph[int], v: int, seen: list[int]) -> list[int]:
        seen.append(v)
        for w in g.neighbors(v):
            if w not in seen:
                recursive(g, w, seen)
        return seen

    for seed in range(20):
        g = random_graph(seed, directed=seed % 2 == 0)
        assert g.dfs(0) == recursive(g, 0, [])


def test_long_chain_does_not_recurse() -> None:
    n = 20_000  # far beyond the default recursion limit
    g = Graph(((i, i + 1) for i in range(n - 1)), directed=True)
    assert g.dfs(0) == list(range(n))
    assert g.topological_sort() == list(range(n))
    assert g.dijkstra(0).distance[n - 1] == n - 1


def test_shortest_path_unweighted_matches_brute_force() -> None:
    for seed in range(15):
        g = random_graph(seed, edges=18, directed=seed % 2 == 0)
        hops = floyd_warshall(g, unit=True)
        for goal in g:
            path = g.shortest_path_unweighted(0, goal)
            if hops[0, goal] == INF:
                assert path is None
            else:
                assert path is not None
                assert path[0] == 0
                assert path[-1] == goal
                assert len(path) - 1 == hops[0, goal]
                assert all(g.has_edge(a, b) for a, b in itertools.pairwise(path))


# --- dijkstra ----------------------------------------------------------------


def test_dijkstra_prefers_light_path_over_heavy_edge() -> None:
    g = Graph([("a", "c", 10), ("a", "b", 1), ("b", "c", 1), ("c", "d", 1)], directed=True)
    sp = g.dijkstra("a")
    assert sp.distance == {"a": 0, "b": 1, "c": 2, "d": 3}
    assert sp.path_to("d") == ["a", "b", "c", "d"]


@pytest.mark.parametrize("directed", [True, False])
def test_dijkstra_matches_floyd_warshall(directed: bool) -> None:
    for seed in range(25):
        g = random_graph(seed, directed=directed)
        reference = floyd_warshall(g)
        for source in g:
            sp = g.dijkstra(source)
            assert sp.source == source
            for target in g:
                expected = reference[source, target]
                if expected == INF:
                    assert target not in sp.distance
                    with pytest.raises(KeyError):
                        sp.path_to(target)
                else:
                    assert sp.distance[target] == expected
                    path = sp.path_to(target)
                    assert path[0] == source
                    assert path[-1] == target
                    assert path_weight(g, path) == expected


def test_shortest_paths_is_frozen() -> None:
    paths = Graph([("a", "b", 2)]).dijkstra("a")
    for field, value in (("source", "b"), ("distance", {}), ("predecessor", {})):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(paths, field, value)
    with pytest.raises(dataclasses.FrozenInstanceError):
        del paths.distance
    assert paths == Graph([("a", "b", 2)]).dijkstra("a")  # unchanged, and equal by value
    assert paths.distance == {"a": 0, "b": 2}


def test_dijkstra_rejects_negative_weights() -> None:
    g = Graph([("a", "b", 1), ("b", "c", -2)], directed=True)
    with pytest.raises(ValueError, match=r"non-negative weights: 'b' -> 'c' is -2"):
        g.dijkstra("a")


def test_dijkstra_handles_unorderable_vertices() -> None:
    a, b, c = object(), object(), object()
    g = Graph([(a, b, 1), (a, c, 1), (b, c, 0)])  # equal distances force heap ties
    assert g.dijkstra(a).distance == {a: 0, b: 1, c: 1}


# --- topological sort, components, cycles ------------------------------------


def test_topological_sort_orders_every_edge_forward() -> None:
    for seed in range(20):
        rng = random.Random(seed)
        rank = list(range(15))
        rng.shuffle(rank)
        g = Graph[int](directed=True, vertices=range(15))
        for _ in range(40):
            u, v = rng.sample(range(15), 2)
            if rank[u] > rank[v]:
                u, v = v, u
            g.add_edge(u, v)
        order = g.topological_sort()
        assert sorted(order) == list(range(15))
        position = {v: i for i, v in enumerate(order)}
        assert all(position[u] < position[v] for u, v, _ in g.edges())
        assert g.has_cycle() is False


def test_topological_sort_names_a_cycle() -> None:
    g = Graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "b"), ("x", "a")], directed=True)
    with pytest.raises(CycleError, match="graph has a cycle: 'b' -> 'c' -> 'd' -> 'b'") as info:
        g.topological_sort()
    assert isinstance(info.value, ValueError)
    assert info.value.cycle == ["b", "c", "d", "b"]


def test_every_reported_cycle_is_a_real_cycle() -> None:
    found = 0
    for seed in range(30):
        g = random_graph(seed, n=10, edges=12)
        try:
            g.topological_sort()
        except CycleError as err:
            found += 1
            cycle = err.cycle
            assert cycle[0] == cycle[-1]
            assert len(set(cycle)) == len(cycle) - 1
            assert all(g.has_edge(u, v) for u, v in itertools.pairwise(cycle))
            assert g.has_cycle()
        else:
            assert g.has_cycle() is False
    assert found > 5  # the seeds do exercise the cycle path


def test_self_loop_is_a_one_vertex_cycle() -> None:
    with pytest.raises(CycleError) as info:
        Graph([(1, 2), (2, 2)], directed=True).topological_sort()
    assert info.value.cycle == [2, 2]


def test_direction_mismatch_raises_value_error() -> None:
    with pytest.raises(ValueError, match="needs a directed graph"):
        Graph([(1, 2)]).topological_sort()
    with pytest.raises(ValueError, match="needs an undirected graph"):
        Graph([(1, 2)], directed=True).connected_components()


def test_connected_components_and_undirected_cycles_match_brute_force() -> None:
    for seed in range(20):
        g = random_graph(seed, n=14, edges=10, directed=False)
        components = g.connected_components()
        assert sorted(v for c in components for v in c) == list(range(14))
        reach = floyd_warshall(g)
        for c in components:
            assert all(reach[c[0], v] < INF for v in c)
        assert all(reach[a[0], b[0]] == INF for a, b in itertools.combinations(components, 2))
        # A forest has exactly V - C edges; any more edge closes a cycle.
        assert g.has_cycle() is (g.edge_count > len(g) - len(components))


# --- value semantics -----------------------------------------------------------


def test_equality_and_repr() -> None:
    assert Graph([(1, 2, 3)]) == Graph([(2, 1, 3)])
    assert Graph([(1, 2, 3)]) != Graph([(1, 2, 4)])
    assert Graph([(1, 2)]) != Graph([(1, 2)], directed=True)
    assert Graph() != {}
    g = Graph([("a", "b", 2)], vertices=["c"], directed=True)
    assert repr(g) == "Graph(vertices=['c', 'a', 'b'], edges=[('a', 'b', 2)], directed=True)"
    assert eval(repr(g)) == g
    big = repr(Graph((i, i + 1) for i in range(50)))
    assert "9, ...], edges=[" in big
    assert big.endswith("(9, 10, 1), ...], directed=False)")


# --- stateful, against a plain dict of edges ---------------------------------

vertices = st.integers(0, 8)


class GraphMachine(RuleBasedStateMachine):
    """Random mutations against a model: a vertex set and a dict from edge key to weight."""

    directed = True

    def __init__(self) -> None:
        super().__init__()
        self.graph = Graph[int](directed=self.directed)
        self.vertices: set[int] = set()
        self.edges: dict[Any, float] = {}

    def key(self, u: int, v: int) -> Any:
        return (u, v) if self.directed else frozenset((u, v))

    @rule(v=vertices)
    def add_vertex(self, v: int) -> None:
        self.graph.add_vertex(v)
        self.vertices.add(v)

    @rule(u=vertices, v=vertices, w=st.integers(0, 5))
    def add_edge(self, u: int, v: int, w: int) -> None:
        self.graph.add_edge(u, v, w)
        self.vertices |= {u, v}
        self.edges[self.key(u, v)] = w

    @rule(u=vertices, v=vertices)
    def remove_edge(self, u: int, v: int) -> None:
        if self.key(u, v) in self.edges:
            self.graph.remove_edge(u, v)
            del self.edges[self.key(u, v)]
        else:
            with pytest.raises(KeyError):
                self.graph.remove_edge(u, v)

    @rule(v=vertices)
    def remove_vertex(self, v: int) -> None:
        if v in self.vertices:
            self.graph.remove_vertex(v)
            self.vertices.remove(v)
            self.edges = {k: w for k, w in self.edges.items() if v not in set(k)}
        else:
            with pytest.raises(KeyError):
                self.graph.remove_vertex(v)

    @invariant()
    def agrees_with_model(self) -> None:
        self.graph._check()
        assert set(self.graph) == self.vertices
        assert {self.key(u, v): w for u, v, w in self.graph.edges()} == self.edges
        assert self.graph.edge_count == len(self.edges)


class UndirectedGraphMachine(GraphMachine):
    directed = False


machine_settings = settings(max_examples=50, stateful_step_count=40, deadline=None)
TestGraphMachine = GraphMachine.TestCase
TestGraphMachine.settings = machine_settings
TestUndirectedGraphMachine = UndirectedGraphMachine.TestCase
TestUndirectedGraphMachine.settings = machine_settings
