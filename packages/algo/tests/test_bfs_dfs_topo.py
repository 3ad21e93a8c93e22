"""Tests for algo.bfs_dfs_topo: exhaustive oracles on tiny graphs, work counted at growing sizes.

Oracles: every simple path on grids of at most 3 x 4 cells, Floyd-Warshall
for BFS distances, every permutation of at most 6 nodes for topological
order and cycles. The inputs come from seeded ``random.Random`` instances,
so every run sees the same graphs; sizes are kept small so this file runs
well under a second.
"""

from __future__ import annotations

import graphlib
import itertools
import random
import sys
from collections.abc import Iterator

import pytest

from handbook.algo.bfs_dfs_topo import (
    CycleError,
    ListQueue,
    Work,
    bfs,
    bfs_mark_on_dequeue,
    dfs_iterative,
    dfs_recursive,
    find_cycle,
    grid_shortest_path,
    has_cycle_one_visited_set,
    topological_sort,
)

Adj = dict[int, list[int]]
Cell = tuple[int, int]


def random_graph(rng: random.Random, n: int, p: float, loops: bool = False) -> Adj:
    """A directed graph on ``0..n-1``; each ordered pair is an edge with probability ``p``."""
    return {u: [v for v in range(n) if (loops or u != v) and rng.random() < p] for u in range(n)}


def sparse_graph(rng: random.Random, n: int, out: int) -> Adj:
    """A directed graph on ``0..n-1`` where each node has up to ``out`` random successors."""
    return {u: [v for v in rng.sample(range(n), min(n, out)) if v != u] for u in range(n)}


def edges(graph: Adj) -> list[tuple[int, int]]:
    return [(u, v) for u, vs in graph.items() for v in vs]


def floyd_warshall(graph: Adj) -> dict[tuple[int, int], float]:
    n = len(graph)
    d = {(i, j): 0.0 if i == j else float("inf") for i in range(n) for j in range(n)}
    for u, v in edges(graph):
        d[u, v] = min(d[u, v], 1.0)
    for k, i, j in itertools.product(range(n), repeat=3):
        d[i, j] = min(d[i, j], d[i, k] + d[k, j])
    return d


def valid_orders(graph: Adj) -> Iterator[tuple[int, ...]]:
    """Every permutation in which each edge u -> v has u first (brute force)."""
    for perm in itertools.permutations(graph):
        pos = {u: i for i, u in enumerate(perm)}
        if all(pos[u] < pos[v] for u, v in edges(graph)):
            yield perm


def reachable(graph: Adj, start: int) -> set[int]:
    seen, todo = {start}, [start]
    while todo:
        for v in graph[todo.pop()]:
            if v not in seen:
                seen.add(v)
                todo.append(v)
    return seen


def complete(n: int) -> Adj:
    return {u: [v for v in range(n) if v != u] for u in range(n)}


def complete_dag(n: int) -> Adj:
    return {u: [v for v in range(n) if v > u] for u in range(n)}


def ladder(layers: int) -> Adj:
    """Node 0, then ``layers`` layers of two nodes, each joined to both of the next (undirected)."""
    g: Adj = {0: [1, 2]}
    for layer in range(layers):
        a, b = 2 * layer + 1, 2 * layer + 2
        prev = [0] if layer == 0 else [a - 2, b - 2]
        nxt = [a + 2, b + 2] if layer < layers - 1 else []
        g[a] = prev + nxt
        g[b] = prev + nxt
    return g


# --- grid BFS -------------------------------------------------------------


def shortest_by_every_simple_path(grid: list[str], start: Cell, goal: Cell) -> int | None:
    best: int | None = None

    def walk(cell: Cell, seen: set[Cell]) -> None:
        nonlocal best
        if cell == goal:
            steps = len(seen) - 1
            best = steps if best is None else min(best, steps)
            return
        r, c = cell
        for nxt in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            nr, nc = nxt
            inside = 0 <= nr < len(grid) and 0 <= nc < len(grid[0])
            if inside and grid[nr][nc] != "#" and nxt not in seen:
                walk(nxt, seen | {nxt})

    walk(start, {start})
    return best


def test_grid_path_matches_every_simple_path_on_tiny_grids() -> None:
    rng = random.Random(81)
    found = 0
    for _ in range(250):
        rows, cols = rng.randint(1, 3), rng.randint(1, 4)
        grid = ["".join(rng.choice("..#") for _ in range(cols)) for _ in range(rows)]
        open_cells = [(r, c) for r in range(rows) for c in range(cols) if grid[r][c] == "."]
        if not open_cells:
            continue
        start, goal = rng.choice(open_cells), rng.choice(open_cells)
        path = grid_shortest_path(grid, start, goal)
        best = shortest_by_every_simple_path(grid, start, goal)
        if best is None:
            assert path is None
            continue
        found += 1
        assert path is not None
        assert len(path) - 1 == best
        assert (path[0], path[-1]) == (start, goal)
        assert all(grid[r][c] == "." for r, c in path)
        steps = itertools.pairwise(path)
        assert all(abs(r1 - r2) + abs(c1 - c2) == 1 for (r1, c1), (r2, c2) in steps)
    assert found > 100  # most cases have a path: the comparison is not vacuous


def test_grid_path_edge_cases_and_bad_input() -> None:
    assert grid_shortest_path(["..."], (0, 1), (0, 1)) == [(0, 1)]
    assert grid_shortest_path([".#", "#."], (0, 0), (1, 1)) is None  # no diagonal steps
    with pytest.raises(ValueError, match=r"start \(0, 1\) is not an open cell"):
        grid_shortest_path([".#"], (0, 1), (0, 0))
    with pytest.raises(ValueError, match=r"goal \(5, 0\) is not an open cell"):
        grid_shortest_path([".."], (0, 0), (5, 0))
    with pytest.raises(ValueError, match="same length"):
        grid_shortest_path(["..", "."], (0, 0), (0, 1))


def test_grid_bfs_queues_each_cell_once_at_growing_sizes() -> None:
    for rows, cols in ((1, 1), (3, 3), (10, 10), (30, 30)):
        w = Work()
        path = grid_shortest_path(["." * cols] * rows, (0, 0), (rows - 1, cols - 1), w)
        assert path is not None
        assert len(path) == rows + cols - 1
        # The far corner is the only cell at the largest distance, so every other
        # cell is dequeued first and checks its 4 neighbours: each cell queued once.
        assert w.pushed == rows * cols
        assert w.edges == 4 * (rows * cols - 1)
    rng = random.Random(87)
    for _ in range(50):
        grid = ["".join(rng.choice("...#") for _ in range(12)) for _ in range(12)]
        open_cells = [(r, c) for r in range(12) for c in range(12) if grid[r][c] == "."]
        if len(open_cells) < 2:
            continue
        w = Work()
        grid_shortest_path(grid, open_cells[0], open_cells[-1], w)
        assert w.pushed <= len(open_cells)
        assert w.edges <= 4 * w.pushed


# --- BFS: where to mark visited, which queue ------------------------------


def test_bfs_distances_match_floyd_warshall() -> None:
    rng = random.Random(82)
    for _ in range(120):
        n = rng.randint(1, 8)
        graph = random_graph(rng, n, rng.choice([0.15, 0.3, 0.5]))
        source = rng.randrange(n)
        d = floyd_warshall(graph)
        t = bfs(graph, source)
        expected = {v: int(d[source, v]) for v in range(n) if d[source, v] != float("inf")}
        assert t.dist == expected
        assert sorted(t.order) == sorted(expected)
        assert [t.dist[v] for v in t.order] == sorted(t.dist[v] for v in t.order)
        assert bfs_mark_on_dequeue(graph, source).dist == expected


def test_bfs_enqueues_each_reachable_node_once() -> None:
    for n in range(1, 9):
        w = Work()
        t = bfs(complete(n), 0, w)
        assert w.pushed == n
        assert t.order == list(range(n))
    w = Work()
    t = bfs(ladder(8), 0, w)
    assert w.pushed == 17
    assert t.dist == {0: 0} | {v: (v + 1) // 2 for v in range(1, 17)}


def test_marking_on_dequeue_queues_a_complete_graph_quadratically() -> None:
    for n in range(1, 11):
        early, late = Work(), Work()
        fixed, pitfall = bfs(complete(n), 0, early), bfs_mark_on_dequeue(complete(n), 0, late)
        assert early.pushed == n
        assert late.pushed == 1 + n * (n - 1) // 2
        assert (pitfall.order, pitfall.dist) == (fixed.order, fixed.dist)  # right, but wasteful


def test_bfs_work_is_linear_at_growing_sizes() -> None:
    rng = random.Random(83)
    for n in (10, 100, 1_000):
        graph = sparse_graph(rng, n, 2)
        w = Work()
        t = bfs(graph, 0, w)
        assert w.pushed == len(t.order) == len(reachable(graph, 0)) <= n
        assert w.edges == sum(len(graph[u]) for u in t.order) <= len(edges(graph))
        assert w.moves == 0


def test_list_pop0_moves_quadratically_and_deque_moves_nothing() -> None:
    for n in (10, 100, 1_000):
        star = {0: list(range(1, n + 1))}  # the source, then n leaves queued at once
        by_list, by_deque = Work(), Work()
        a = bfs(star, 0, by_list, ListQueue())
        b = bfs(star, 0, by_deque)
        assert a == b
        assert by_list.moves == n * (n - 1) // 2
        assert by_deque.moves == 0


def test_a_reused_list_queue_is_not_counted_twice() -> None:
    star = {0: list(range(1, 11))}
    queue: ListQueue[int] = ListQueue()
    first, second = Work(), Work()
    bfs(star, 0, first, queue)
    bfs(star, 0, second, queue)
    assert first.moves == second.moves == 10 * 9 // 2
    assert queue.moves == 2 * first.moves  # the queue's own total spans both runs


# --- DFS --------------------------------------------------------------------


def test_iterative_dfs_visits_in_the_recursive_order() -> None:
    rng = random.Random(84)
    for _ in range(200):
        n = rng.randint(1, 9)
        graph = random_graph(rng, n, rng.choice([0.2, 0.4]))
        source = rng.randrange(n)
        w = Work()
        order = dfs_iterative(graph, source, w)
        assert order == dfs_recursive(graph, source)
        assert set(order) == reachable(graph, source)
        assert w.pushed <= 1 + w.edges  # the stack may hold a node more than once
    # Two neighbours, the first with a child: a stack fed in listed order would pop "b" first.
    assert dfs_iterative({"s": ["a", "b"], "a": ["c"]}, "s") == ["s", "a", "c", "b"]
    # Worked by hand, independent of dfs_recursive: b is reached under a, so d,
    # though listed first by s's second branch, comes last (BFS gives s, a, d, b, c).
    hand = {"s": ["a", "d"], "a": ["b"], "b": ["c"], "d": ["b"]}
    assert dfs_iterative(hand, "s") == dfs_recursive(hand, "s") == ["s", "a", "b", "c", "d"]


def test_iterative_dfs_stack_holds_a_node_per_edge_and_three_colours_at_most_v() -> None:
    for n in range(1, 11):
        for graph in (complete(n), complete_dag(n)):
            w = Work()
            assert dfs_iterative(graph, 0, w) == list(range(n))
            # The k-th node visited pushes its n - k unvisited neighbours and nothing
            # is skipped until all n are visited.
            assert w.pushed == 1 + n * (n - 1) // 2
            assert w.peak == (n - 1) * (n - 2) // 2 + 1
        w = Work()
        assert find_cycle(complete_dag(n), w) is None
        assert w.peak == n  # the path 0, 1, ..., n - 1, one pair per grey node
        assert w.edges == n * (n - 1) // 2


def test_dfs_and_three_colour_work_is_linear_at_growing_sizes() -> None:
    rng = random.Random(88)
    for n in (10, 100, 1_000):
        graph = sparse_graph(rng, n, 3)
        w = Work()
        order = dfs_iterative(graph, 0, w)
        assert w.edges == sum(len(graph[u]) for u in order) <= len(edges(graph))
        assert w.pushed <= 1 + w.edges
        dag = {u: [v for v in vs if v > u] for u, vs in graph.items()}
        w = Work()
        assert find_cycle(dag, w) is None
        assert w.edges == len(edges(dag))  # each edge taken from its iterator once
        assert w.pushed == n
        assert w.peak <= n
        w = Work()
        assert find_cycle(graph, w) is not None
        assert w.edges <= len(edges(graph))
        assert w.peak <= n


def test_recursive_dfs_hits_the_recursion_limit_and_the_stack_does_not() -> None:
    assert sys.getrecursionlimit() == 1000  # CPython's default; nothing here raised it
    n = sys.getrecursionlimit() + 100
    path = {i: [i + 1] for i in range(n)}
    with pytest.raises(RecursionError):
        dfs_recursive(path, 0)
    assert dfs_iterative(path, 0) == list(range(n + 1))
    assert find_cycle(path) is None
    assert topological_sort(path) == list(range(n + 1))


def test_raising_the_recursion_limit_moves_the_wall_for_a_known_depth() -> None:
    n = sys.getrecursionlimit() + 100
    path = {i: [i + 1] for i in range(n)}
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(n + 200)
    try:
        assert dfs_recursive(path, 0) == list(range(n + 1))
        longer = {i: [i + 1] for i in range(n + 300)}
        with pytest.raises(RecursionError):  # one more input size and it is back
            dfs_recursive(longer, 0)
    finally:
        sys.setrecursionlimit(old)


def test_unknown_source_is_rejected() -> None:
    graph = {"a": ["b"]}
    assert bfs(graph, "b").order == ["b"]  # a node that only appears as a target is known
    for search in (bfs, bfs_mark_on_dequeue, dfs_recursive, dfs_iterative):
        with pytest.raises(ValueError, match="unknown source node 'z'"):
            search(graph, "z")


# --- cycles and topological order -------------------------------------------


def downstream_of_a_cycle(graph: Adj) -> set[int]:
    on_cycle = {u for u in graph if any(u in reachable(graph, v) for v in graph[u])}
    return set().union(*(reachable(graph, u) for u in on_cycle))


def test_find_cycle_and_topological_sort_match_brute_force() -> None:
    rng = random.Random(85)
    acyclic = 0
    for _ in range(250):
        n = rng.randint(1, 6)
        graph = random_graph(rng, n, rng.choice([0.1, 0.2, 0.35]), loops=rng.random() < 0.2)
        orders = set(valid_orders(graph))
        has_order = bool(orders)
        cycle = find_cycle(graph)
        assert (cycle is None) == has_order
        if cycle is not None:
            assert len(set(cycle)) == len(cycle)
            assert all(v in graph[u] for u, v in zip(cycle, cycle[1:] + cycle[:1], strict=True))
        if has_order:
            acyclic += 1
            w = Work()
            order = topological_sort(graph, w)
            assert tuple(order) in orders
            assert w.edges == len(edges(graph))
        else:
            with pytest.raises(CycleError) as err:
                topological_sort(graph)
            assert set(err.value.nodes) == downstream_of_a_cycle(graph)
            assert has_cycle_one_visited_set(graph)
    assert 50 < acyclic < 200  # both branches are exercised


def test_three_colours_do_not_take_a_diamond_for_a_cycle() -> None:
    diamond = {"a": ["b", "c"], "b": ["d"], "c": ["d"]}
    assert find_cycle(diamond) is None
    assert has_cycle_one_visited_set(diamond)  # the pitfall: c -> d reaches a finished node
    two_trees = {"x": ["y"], "z": ["y"]}  # a cross edge between DFS trees
    assert find_cycle(two_trees) is None
    assert has_cycle_one_visited_set(two_trees)
    assert find_cycle({"a": ["b"], "b": ["c", "d"], "d": ["b"]}) == ["b", "d"]
    assert find_cycle({"a": ["a"]}) == ["a"]


def test_kahn_reports_a_cycle_behind_a_valid_prefix() -> None:
    graph = {"a": ["b"], "b": ["c"], "c": ["b", "d"], "e": []}
    with pytest.raises(CycleError) as err:
        topological_sort(graph)
    assert err.value.nodes == ["b", "c", "d"]
    assert isinstance(err.value, ValueError)
    assert "'b', 'c', 'd'" in str(err.value)
    # The stdlib agrees that there is no order, with its own ValueError subclass.
    predecessors: dict[str, list[str]] = {v: [] for v in "abcde"}
    for u, vs in graph.items():
        for v in vs:
            predecessors[v].append(u)
    assert issubclass(graphlib.CycleError, ValueError)
    with pytest.raises(graphlib.CycleError):
        list(graphlib.TopologicalSorter(predecessors).static_order())


def test_kahn_examines_each_edge_once_at_growing_sizes() -> None:
    rng = random.Random(86)
    for n in (10, 100, 1_000):
        dag = {u: [v for v in vs if v > u] for u, vs in sparse_graph(rng, n, 4).items()}
        w = Work()
        order = topological_sort(dag, w)
        assert sorted(order) == list(range(n))
        pos = {u: i for i, u in enumerate(order)}
        assert all(pos[u] < pos[v] for u, v in edges(dag))
        assert w.edges == len(edges(dag))
