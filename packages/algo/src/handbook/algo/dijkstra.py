"""Dijkstra with a heap and lazy deletion, Bellman-Ford as the oracle, paths, and 0-1 BFS.

Why interviewers ask this:
    Network delay time, cheapest route, path with minimum effort: weighted
    shortest paths are a staple of graph rounds. Interviewers want ``heapq``
    with ``(distance, node)`` entries and the stale-entry skip, the reason it
    fails on negative edges and what to use then, the path and not only its
    length, and the 0-1 BFS shortcut when every weight is 0 or 1.

Common pitfalls:
    - Dropping the stale-entry skip ``if d > dist[u]: continue``. ``heapq``
      has no decrease-key, so an improved node is pushed again and its old
      entry stays behind. Expanded when it comes out, it scans the node's
      edges again for nothing: the distances stay right, but more than E
      edges are examined (break it: ``no-stale-skip``).
    - Taking the first distance found as final, the BFS habit
      ``if v not in dist``: a node is often reached first along a heavier
      path, so only a strict improvement ``candidate < dist[v]`` may relax
      (break it: ``first-found-final``). Relaxing on ``<=`` re-pushes on
      ties instead, and a cycle of 0-weight edges then loops forever (break
      it: ``relax-on-ties``).
    - Negative edges. Dijkstra relies on "a popped node's distance is final";
      a negative edge can lower it afterwards. Stopping at the target can
      then return a wrong distance. Run to the end on a graph with no
      reachable negative cycle, this lazy version pushes improved nodes
      again and ends with the right distances, but it settles nodes more
      than once: on a chain of k two-way gadgets (2k + 1 nodes, 3k edges)
      the last node is settled 2^k times, so the bound is gone. With a
      reachable negative cycle it never ends: every lap lowers a distance
      and pushes again. ``dijkstra`` refuses negative weights unless
      ``check_weights=False``; use ``bellman_ford``.
    - Heap entries ``(d, node)`` with nodes that do not support ``<``: on a
      distance tie ``heapq`` compares the nodes and raises ``TypeError``. A
      counter as tie-breaker, ``(d, seq, node)``, never reaches the node.
    - 0-1 BFS pushing a 0-weight edge to the back: the deque is no longer in
      distance order, a node comes out before its distance is final and is
      settled again when it improves (break it: ``zero-to-back``).

Key takeaways:
    - Non-negative weights: nodes are settled in nondecreasing distance, each
      once. Every successful relaxation pushes one entry, so pushes <= E + 1,
      and each settled node's edges are examined once: O((V + E) log V).
    - Why a popped node is final: any other path to it leaves the settled
      set through a queued node whose distance is already >= the popped
      one, and non-negative edges cannot bring it back below.
    - Early exit: the target's distance is final as soon as it is popped.
    - Path: record the predecessor on each successful relaxation and walk
      back from the target; the path's weight is the distance.
    - Bellman-Ford relaxes every edge in at most V - 1 rounds, O(V * E),
      stopping after a round that changes nothing (a path whose edges are
      listed backwards needs all V - 1), and handles negative edges. A V-th
      round that still improves something proves a negative cycle reachable
      from the source; following predecessors V times from the improved node
      lands on a negative cycle.
    - Weights in {0, 1}: a deque replaces the heap, 0-edges to the front,
      1-edges to the back: O(V + E).
    - Go: ``container/heap`` wants a type implementing ``heap.Interface``;
      ``heap.Fix`` gives decrease-key if you track each node's index. Java's
      ``PriorityQueue`` has no decrease-key (``remove`` is O(n)), so lazy
      deletion is the usual choice there too.

What to look for in an answer:
    A strong candidate initialises only the source, pushes on every strict
    improvement, skips stale entries, states the non-negative precondition
    and the O((V + E) log V) bound, and keeps predecessors for the path.
    Follow-ups:
    - Why is 0-1 BFS correct? (The deque holds at most two distances, d at
      the front and d + 1 at the back; 0-edges keep d, 1-edges give d + 1, so
      the front is always a minimum, as a heap's would be.)
    - Dense graph, E close to V^2? (The O(V^2) array version without a heap
      beats O(E log V).)
    - Cheapest flight with at most k stops? (Bellman-Ford for k + 1 rounds,
      relaxing from a copy of the previous round's distances.)
    - All pairs? (Floyd-Warshall, O(V^3); or Dijkstra from every node on a
      sparse graph, after Johnson's reweighting if there are negative edges.)
    - Make negative weights non-negative by adding a constant to each edge?
      (No: a path of m edges gains m times the constant, so paths with more
      edges are penalised and the answer changes. Johnson's potentials,
      w(u, v) + h(u) - h(v) with h from one Bellman-Ford run, add the same
      h(s) - h(t) to every s-to-t path, so shortest paths are kept.)
    - Can you beat O(E log V)? (A Fibonacci heap's O(1) amortised
      decrease-key gives O(E + V log V); its constants are large, so binary
      heaps with lazy deletion are what gets used.)
    - Path with minimum effort (minimise the largest edge on the path)?
      (The same algorithm with ``max(d, w)`` in place of ``d + w``:
      extending a path never lowers its maximum, so a popped node is still
      final.)

Complexity:
    Dijkstra: O((V + E) log V) time, O(V + E) heap entries. The heap holds
    up to E + 1 entries, so each operation is O(log E), and without parallel
    edges E <= V^2 gives log E <= 2 log V. Bellman-Ford: O(V * E) time,
    O(V + E) space (this version copies the edge list; looping over the
    adjacency lists directly needs O(V)). 0-1 BFS: O(V + E).
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import deque
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

__all__ = [
    "NegativeCycleError",
    "ShortestPaths",
    "Work",
    "bellman_ford",
    "dijkstra",
    "zero_one_bfs",
]

N = TypeVar("N", bound=Hashable)
WeightedGraph = Mapping[N, Sequence[tuple[N, float]]]


@dataclass
class Work:
    """What a search did: heap or deque pushes and pops, edges examined, nodes settled in order."""

    pushes: int = 0
    pops: int = 0
    scans: int = 0
    settled: list[Any] = field(default_factory=list)


@dataclass
class ShortestPaths(Generic[N]):
    """Distances from ``source`` to every reached node, and each node's predecessor."""

    source: N
    dist: dict[N, float]
    parent: dict[N, N]

    def path(self, target: N) -> list[N] | None:
        """The nodes from ``source`` to ``target`` along predecessors; None if not reached.

        >>> dijkstra({"a": [("b", 1)], "b": [("c", 2)]}, "a").path("c")
        ['a', 'b', 'c']
        """
        if target not in self.dist:
            return None
        nodes = [target]
        while nodes[-1] != self.source:
            nodes.append(self.parent[nodes[-1]])
        return nodes[::-1]


class NegativeCycleError(ValueError):
    """``bellman_ford`` found a negative cycle reachable from the source; ``cycle`` lists it."""

    def __init__(self, source: Hashable, cycle: Sequence[Hashable]) -> None:
        self.cycle: list[Any] = list(cycle)
        hops = " -> ".join(repr(n) for n in [*self.cycle, self.cycle[0]])
        super().__init__(f"negative cycle reachable from {source!r}: {hops}")


def _nodes(graph: WeightedGraph[N]) -> list[N]:
    """Every node, keys first, then nodes that only appear as edge targets."""
    seen = dict.fromkeys(graph)
    for edges in graph.values():
        seen.update(dict.fromkeys(v for v, _ in edges))
    return list(seen)


def _check(graph: WeightedGraph[N], source: N, ok: Callable[[float], bool], need: str) -> None:
    if source not in _nodes(graph):
        raise ValueError(f"unknown source node {source!r}")
    for u, edges in graph.items():
        for v, weight in edges:
            if not ok(weight):
                raise ValueError(f"weight {weight} on edge {u!r} -> {v!r}: {need}")


def dijkstra(
    graph: WeightedGraph[N],
    source: N,
    *,
    target: N | None = None,
    work: Work | None = None,
    check_weights: bool = True,
) -> ShortestPaths[N]:
    """Shortest distances from ``source`` (weights >= 0), a binary heap with lazy deletion.

    With ``target`` the search stops once the target is popped: its distance
    and path are final, other entries may still be upper bounds. ``None``
    means no target; an unknown target raises ValueError.
    ``check_weights=False`` skips the O(E) weight check, to show what a
    negative edge does.

    >>> g = {"s": [("a", 4), ("b", 1)], "b": [("a", 2)]}
    >>> dijkstra(g, "s").dist
    {'s': 0, 'a': 3, 'b': 1}
    >>> dijkstra({"s": [("a", -1)]}, "s")
    Traceback (most recent call last):
    ...
    ValueError: weight -1 on edge 's' -> 'a': Dijkstra needs weights >= 0; use bellman_ford
    """
    if check_weights:
        _check(graph, source, lambda x: x >= 0, "Dijkstra needs weights >= 0; use bellman_ford")
    elif source not in _nodes(graph):
        raise ValueError(f"unknown source node {source!r}")
    if target is not None and target not in _nodes(graph):
        raise ValueError(f"unknown target node {target!r}")
    w = work if work is not None else Work()
    dist: dict[N, float] = {source: 0}
    parent: dict[N, N] = {}
    tie = itertools.count()  # never compare nodes: they need not support <
    heap: list[tuple[float, int, N]] = [(0, next(tie), source)]
    w.pushes += 1
    while heap:
        d, _, u = heapq.heappop(heap)
        w.pops += 1
        if d > dist[u]:  # an entry from before u improved: stale
            continue  # break[no-stale-skip]
        w.settled.append(u)
        if u == target:
            break
        for v, weight in graph.get(u, ()):
            w.scans += 1
            candidate = d + weight
            if candidate < dist.get(v, math.inf):  # break[first-found-final] # break[relax-on-ties]
                dist[v] = candidate
                parent[v] = u
                heapq.heappush(heap, (candidate, next(tie), v))  # break[sort-every-push]
                w.pushes += 1
    return ShortestPaths(source, dist, parent)


def bellman_ford(graph: WeightedGraph[N], source: N, work: Work | None = None) -> ShortestPaths[N]:
    """Shortest distances with any weights; NegativeCycleError if a reachable cycle is negative.

    >>> bellman_ford({"s": [("t", 2), ("b", 5)], "b": [("t", -4)]}, "s").dist
    {'s': 0, 't': 1, 'b': 5}
    >>> bellman_ford({"s": [("a", 1)], "a": [("b", -2)], "b": [("a", 1)]}, "s")
    Traceback (most recent call last):
    ...
    handbook.algo.dijkstra.NegativeCycleError: negative cycle reachable from 's': 'a' -> 'b' -> 'a'
    """
    nodes = _nodes(graph)
    if source not in nodes:
        raise ValueError(f"unknown source node {source!r}")
    w = work if work is not None else Work()
    edges = [(u, v, weight) for u, out in graph.items() for v, weight in out]
    dist: dict[N, float] = {source: 0}
    parent: dict[N, N] = {}
    for _ in range(len(nodes) - 1):
        changed = False
        for u, v, weight in edges:
            w.scans += 1
            if u in dist and dist[u] + weight < dist.get(v, math.inf):
                dist[v] = dist[u] + weight
                parent[v] = u
                changed = True
        if not changed:
            return ShortestPaths(source, dist, parent)
    for u, v, weight in edges:  # round V: any improvement now comes from a negative cycle
        w.scans += 1
        if u in dist and dist[u] + weight < dist.get(v, math.inf):
            parent[v] = u
            for _ in nodes:  # V steps back from v end on the cycle
                v = parent[v]
            cycle = [v]
            while parent[cycle[-1]] != v:
                cycle.append(parent[cycle[-1]])
            cycle.reverse()  # predecessors run against the edges
            first = min(range(len(cycle)), key=lambda i: nodes.index(cycle[i]))
            raise NegativeCycleError(source, cycle[first:] + cycle[:first])
    return ShortestPaths(source, dist, parent)


def zero_one_bfs(graph: WeightedGraph[N], source: N, work: Work | None = None) -> ShortestPaths[N]:
    """Shortest distances when every weight is 0 or 1: a deque instead of a heap, O(V + E).

    >>> zero_one_bfs({"s": [("a", 1), ("b", 0)], "b": [("a", 0)]}, "s").dist
    {'s': 0, 'a': 0, 'b': 0}
    """
    _check(graph, source, lambda x: x in (0, 1), "0-1 BFS needs weights 0 or 1")
    w = work if work is not None else Work()
    dist: dict[N, float] = {source: 0}
    parent: dict[N, N] = {}
    queue: deque[tuple[float, N]] = deque([(0, source)])
    w.pushes += 1
    while queue:
        d, u = queue.popleft()
        w.pops += 1
        if d > dist[u]:
            continue
        w.settled.append(u)
        for v, weight in graph.get(u, ()):
            w.scans += 1
            if d + weight < dist.get(v, math.inf):
                dist[v] = d + weight
                parent[v] = u
                w.pushes += 1
                if weight == 0:
                    queue.appendleft((d, v))  # break[zero-to-back]
                else:
                    queue.append((d + 1, v))
    return ShortestPaths(source, dist, parent)
