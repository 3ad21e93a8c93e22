"""BFS, DFS and topological sort: grid shortest paths, where to mark visited, colours, Kahn.

Why interviewers ask this:
    Islands, word ladders, rotting oranges, course schedule, build order: a
    large share of interview problems are a traversal in disguise. Interviewers
    want BFS for shortest paths in an unweighted graph (and why DFS does not
    give them), the visited mark in the right place, an iterative DFS for
    graphs deeper than the recursion limit, cycle detection in a *directed*
    graph, and a topological order that reports the cycle when there is none.

Common pitfalls:
    - Marking a node visited when it leaves the queue instead of when it
      enters: until it is dequeued, every other neighbour enqueues it again.
      On a complete graph of ``n`` nodes that is ``1 + n(n-1)/2`` entries
      instead of ``n`` (``bfs_mark_on_dequeue``). Without the skip of
      duplicates on dequeue it is worse: copies multiply level by level and
      overwrite distances (break it: ``mark-on-dequeue``).
    - ``list.pop(0)`` as the queue. CPython's list is an array of pointers,
      and ``list_pop_impl`` (``Objects/listobject.c``) removes a non-last item
      through ``list_ass_slice``, a ``memmove`` of the tail: ``n`` pops from
      a queue holding ``n`` move ``n(n-1)/2`` pointers (``ListQueue`` models
      that count; it does not measure CPython). ``collections.deque.popleft``
      moves none.
    - Iterative DFS pushing neighbours in their listed order: the stack pops
      the last one first, so the visit order is not the recursive one (break
      it: ``push-in-order``).
    - One visited set for directed cycle detection: in the diamond
      ``a->b->d, a->c->d`` the edge ``c->d`` reaches a finished node, which is
      no cycle (``has_cycle_one_visited_set`` says there is one). Only an edge
      to a node still on the current path closes a cycle (break it:
      ``one-visited-set``).
    - Kahn's algorithm that only checks for an empty result: a cycle behind a
      valid prefix leaves its nodes out of a non-empty "order" silently. Count
      the output instead (break it: ``empty-means-cycle``).
    - Recursive DFS on a long path: CPython's default recursion limit is 1000
      frames, so a path of about 1000 nodes (fewer, by the frames already on
      the stack) raises ``RecursionError``.

Key takeaways:
    - BFS dequeues nodes in nondecreasing distance, so the first time it
      reaches a node is along a shortest path (unweighted). Record the parent
      then, and walk parents back for the path.
    - Mark on enqueue: every reachable node enters the queue once and every
      edge is examined once, from its tail: O(V + E).
    - Iterative DFS visits in the recursive order when it pushes neighbours
      in reverse and marks on *pop*, skipping nodes already visited. The
      price: a node waits on the stack once per edge into it, up to 1 + E
      entries (``(n-1)(n-2)/2 + 1`` at once on a complete graph). A stack of
      ``(node, iterator)`` pairs, as in ``find_cycle``, holds at most V.
    - Directed cycles need three colours: white (unseen), grey (on the current
      path), black (finished). An edge to a grey node closes a cycle.
    - Kahn's: repeatedly output a node of in-degree 0. If fewer than V come
      out, the rest are exactly the nodes on a cycle or downstream of one;
      report them. The stdlib has it: ``graphlib.TopologicalSorter`` raises
      ``graphlib.CycleError``, a ``ValueError``.
    - Go: a slice queue ``q = q[1:]`` reslices without moving elements (the
      consumed prefix stays in the backing array until ``append`` reallocates).
      Java: use ``ArrayDeque``; ``ArrayList.remove(0)`` shifts like ``pop(0)``.

What to look for in an answer:
    A strong candidate picks BFS for "fewest steps" and says why, marks on
    enqueue without being asked, keeps a parent map for the path, uses three
    colours (or Kahn's count) for directed cycles, and gives O(V + E), or
    O(R * C) for a grid. Follow-ups:
    - Why does DFS not find shortest paths? (It follows one branch to the end,
      so a node can first be reached along a long detour; BFS goes by layers.)
    - Cycle detection in an *undirected* graph? (One visited set is enough
      there, but skip the edge back to the parent, once: a second, parallel
      edge to it is a cycle; or use union-find.)
    - Several starting points, e.g. rotting oranges? (Multi-source BFS:
      enqueue all sources at distance 0.)
    - The lexicographically smallest topological order? (Kahn's with a
      min-heap instead of a FIFO: each node is pushed and popped once and
      edges only decrement counters, so O(V log V + E).)
    - Topological sort with DFS? (Reverse post-order of the three-colour
      search: append a node when it turns black, reverse at the end; an edge
      to a grey node means a cycle and no order.)
    - Why not just raise ``sys.setrecursionlimit``? (It works for a depth
      you know in advance, but the input decides the depth, the setting is
      process-wide, and each frame costs more memory than a stack entry. An
      explicit stack is bounded only by memory, and is the answer in Java
      too, where deep recursion throws ``StackOverflowError``.)
    - Number of islands, flood fill? (Loop over the cells; from each open
      cell not yet seen, run a BFS or DFS that marks its whole component;
      the number of runs is the count. O(R * C).)
    - Word ladder too slow? (Bidirectional BFS: grow the smaller frontier
      one layer at a time and stop when it touches the other side: about
      2 b^(d/2) nodes instead of b^d for branching b and distance d.)

Complexity:
    BFS, three-colour search and Kahn's: O(V + E) time, O(V) space. The
    mark-on-pop iterative DFS: O(V + E) time and up to 1 + E stack entries.
    A grid of R rows and C columns has V = R * C and E <= 4V. With ``pop(0)``
    BFS adds up to O(V^2) element moves.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

__all__ = [
    "CycleError",
    "DequeQueue",
    "FifoQueue",
    "ListQueue",
    "Traversal",
    "Work",
    "bfs",
    "bfs_mark_on_dequeue",
    "dfs_iterative",
    "dfs_recursive",
    "find_cycle",
    "grid_shortest_path",
    "has_cycle_one_visited_set",
    "topological_sort",
]

N = TypeVar("N", bound=Hashable)
T = TypeVar("T")
Graph = Mapping[N, Sequence[N]]
Cell = tuple[int, int]
WHITE, GREY, BLACK = 0, 1, 2


@dataclass
class Work:
    """Counted operations: entries pushed on a queue or stack, edges examined, elements moved.

    ``peak`` is the most entries a DFS stack held at once.
    """

    pushed: int = 0
    edges: int = 0
    moves: int = 0
    peak: int = 0


@dataclass
class Traversal(Generic[N]):
    """What a BFS found: nodes in the order dequeued, and each one's distance in edges."""

    order: list[N]
    dist: dict[N, int]


class FifoQueue(Protocol[T]):
    """The queue BFS needs, with a count of the elements its pops moved."""

    moves: int

    def append(self, item: T) -> None:
        """Add ``item`` at the back."""

    def popleft(self) -> T:
        """Remove and return the front item."""

    def __len__(self) -> int:
        """The number of items waiting."""


class ListQueue(Generic[T]):
    """A FIFO on a list with ``pop(0)``, counting the pointers each pop shifts.

    A model of CPython's list: an array, so removing the front moves every
    remaining pointer one slot left (a ``memmove``), as many as are left.

    >>> q = ListQueue[int]()
    >>> for x in range(4):
    ...     q.append(x)
    >>> [q.popleft() for _ in range(4)], q.moves
    ([0, 1, 2, 3], 6)
    """

    def __init__(self) -> None:
        self._items: list[T] = []
        self.moves = 0

    def append(self, item: T) -> None:
        """Add ``item`` at the back: amortised O(1)."""
        self._items.append(item)

    def popleft(self) -> T:
        """Remove the front item: O(n), every later pointer moves."""
        item = self._items.pop(0)
        self.moves += len(self._items)
        return item

    def __len__(self) -> int:
        """The number of items waiting."""
        return len(self._items)


class DequeQueue(Generic[T]):
    """A FIFO on ``collections.deque``: blocks of slots linked both ways, nothing moves.

    ``popleft`` advances an index into the first block (releasing the block
    when it empties), so ``moves`` stays 0 in this model: O(1) per pop.
    """

    def __init__(self) -> None:
        self._items: deque[T] = deque()
        self.moves = 0

    def append(self, item: T) -> None:
        """Add ``item`` at the back: O(1)."""
        self._items.append(item)

    def popleft(self) -> T:
        """Remove the front item: O(1), no element moves."""
        return self._items.popleft()

    def __len__(self) -> int:
        """The number of items waiting."""
        return len(self._items)


def _nodes(graph: Graph[N]) -> list[N]:
    """Every node, keys first, then nodes that only appear as edge targets."""
    seen = dict.fromkeys(graph)
    for targets in graph.values():
        seen.update(dict.fromkeys(targets))
    return list(seen)


def _require(graph: Graph[N], source: N) -> None:
    if source not in graph and all(source not in ts for ts in graph.values()):
        raise ValueError(f"unknown source node {source!r}")


def grid_shortest_path(
    grid: Sequence[str], start: Cell, goal: Cell, work: Work | None = None
) -> list[Cell] | None:
    """Fewest 4-neighbour steps from ``start`` to ``goal`` avoiding ``#``; None if walled off.

    Cells are ``(row, column)``; the path includes both ends.

    >>> grid_shortest_path(["..#", "#..", "..."], (0, 0), (2, 0))
    [(0, 0), (0, 1), (1, 1), (2, 1), (2, 0)]
    >>> grid_shortest_path([".#."], (0, 0), (0, 2)) is None
    True
    >>> grid_shortest_path([".#"], (0, 0), (0, 1))
    Traceback (most recent call last):
    ...
    ValueError: goal (0, 1) is not an open cell of the grid
    """
    width = len(grid[0]) if grid else 0
    if any(len(row) != width for row in grid):
        raise ValueError("the grid's rows must all have the same length")

    def is_open(cell: Cell) -> bool:
        r, c = cell
        return 0 <= r < len(grid) and 0 <= c < width and grid[r][c] != "#"

    for name, cell in (("start", start), ("goal", goal)):
        if not is_open(cell):
            raise ValueError(f"{name} {cell} is not an open cell of the grid")
    w = work if work is not None else Work()
    parent: dict[Cell, Cell | None] = {start: None}  # marked on enqueue
    queue: deque[Cell] = deque([start])
    w.pushed += 1
    while queue:
        cell = queue.popleft()
        if cell == goal:
            path = [cell]
            while (back := parent[path[-1]]) is not None:
                path.append(back)
            return path[::-1]
        r, c = cell
        for nxt in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            w.edges += 1
            if nxt not in parent and is_open(nxt):
                parent[nxt] = cell
                queue.append(nxt)
                w.pushed += 1
    return None


def bfs(
    graph: Graph[N], source: N, work: Work | None = None, queue: FifoQueue[N] | None = None
) -> Traversal[N]:
    """Breadth-first from ``source``, marking on enqueue: each node queued once.

    >>> t = bfs({"s": ["a", "b"], "a": ["c"], "b": ["c"]}, "s")
    >>> t.order, t.dist["c"]
    (['s', 'a', 'b', 'c'], 2)
    """
    _require(graph, source)
    w = work if work is not None else Work()
    q: FifoQueue[N] = queue if queue is not None else DequeQueue()
    moves_before = q.moves  # a reused queue has counted earlier runs already
    order: list[N] = []
    dist = {source: 0}  # a node is marked (has a distance) from the moment it is queued
    q.append(source)
    w.pushed += 1
    while q:
        u = q.popleft()
        order.append(u)
        for v in graph.get(u, ()):
            w.edges += 1
            if v not in dist:  # break[mark-on-dequeue]
                dist[v] = dist[u] + 1
                q.append(v)
                w.pushed += 1
    w.moves += q.moves - moves_before
    return Traversal(order, dist)


def bfs_mark_on_dequeue(graph: Graph[N], source: N, work: Work | None = None) -> Traversal[N]:
    """The pitfall: "visited" is set on dequeue, so a waiting node is queued again and again.

    The answer is still right (duplicates are skipped when they come out);
    the queue just takes up to 1 + E pushes (the source, then one per edge)
    instead of V.

    >>> w = Work()
    >>> k4 = {u: [v for v in "abcd" if v != u] for u in "abcd"}
    >>> bfs_mark_on_dequeue(k4, "a", w).order, w.pushed
    (['a', 'b', 'c', 'd'], 7)
    """
    _require(graph, source)
    w = work if work is not None else Work()
    visited: set[N] = set()
    order: list[N] = []
    dist: dict[N, int] = {}
    queue: deque[tuple[N, int]] = deque([(source, 0)])
    w.pushed += 1
    while queue:
        u, d = queue.popleft()
        if u in visited:
            continue
        visited.add(u)
        order.append(u)
        dist[u] = d
        for v in graph.get(u, ()):
            w.edges += 1
            if v not in visited:
                queue.append((v, d + 1))
                w.pushed += 1
    return Traversal(order, dist)


def dfs_recursive(graph: Graph[N], source: N) -> list[N]:
    """Depth-first preorder by recursion: the reference order (one frame per depth level).

    >>> dfs_recursive({"s": ["a", "b"], "a": ["c"]}, "s")
    ['s', 'a', 'c', 'b']
    """
    _require(graph, source)
    order: list[N] = []
    seen: set[N] = set()

    def visit(u: N) -> None:
        seen.add(u)
        order.append(u)
        for v in graph.get(u, ()):
            if v not in seen:
                visit(v)

    visit(source)
    return order


def dfs_iterative(graph: Graph[N], source: N, work: Work | None = None) -> list[N]:
    """Depth-first preorder with an explicit stack, in the same order as ``dfs_recursive``.

    Neighbours go on in reverse so the first listed comes off first; a node
    is marked when popped, and pushed again copies are skipped then. So the
    stack can hold up to 1 + E entries (``work.peak`` records the most).

    >>> dfs_iterative({"s": ["a", "b"], "a": ["c"]}, "s")
    ['s', 'a', 'c', 'b']
    """
    _require(graph, source)
    w = work if work is not None else Work()
    order: list[N] = []
    seen: set[N] = set()
    stack = [source]
    w.pushed += 1
    w.peak = max(w.peak, 1)
    while stack:
        u = stack.pop()
        if u in seen:
            continue
        seen.add(u)
        order.append(u)
        for v in reversed(graph.get(u, ())):  # break[push-in-order]
            w.edges += 1
            if v not in seen:
                stack.append(v)
                w.pushed += 1
        w.peak = max(w.peak, len(stack))
    return order


def find_cycle(graph: Graph[N], work: Work | None = None) -> list[N] | None:
    """A directed cycle (its nodes in order; the last has an edge to the first), or None.

    Three colours, iteratively (no recursion limit): a grey node is on the
    current path, a black one is finished and can never close a cycle. The
    stack holds ``(node, iterator)`` pairs, only grey nodes, so at most V;
    each edge is taken from its iterator once.

    >>> find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]})
    ['a', 'b', 'c']
    >>> find_cycle({"a": ["b", "c"], "b": ["d"], "c": ["d"]}) is None
    True
    """
    w = work if work is not None else Work()
    colour: dict[N, int] = {}
    for root in _nodes(graph):
        if colour.get(root, WHITE) != WHITE:
            continue
        colour[root] = GREY
        stack: list[tuple[N, Iterator[N]]] = [(root, iter(graph.get(root, ())))]
        w.pushed += 1
        w.peak = max(w.peak, 1)
        while stack:
            u, edges = stack[-1]
            for v in edges:
                w.edges += 1
                state = colour.get(v, WHITE)
                if state == GREY:  # break[one-visited-set]
                    cycle: list[N] = []
                    for node, _ in reversed(stack):  # walk the path back down to v
                        cycle.append(node)
                        if node == v:
                            break
                    return cycle[::-1]
                if state == WHITE:
                    colour[v] = GREY
                    stack.append((v, iter(graph.get(v, ()))))
                    w.pushed += 1
                    w.peak = max(w.peak, len(stack))
                    break
            else:
                colour[u] = BLACK
                stack.pop()
    return None


def has_cycle_one_visited_set(graph: Graph[N]) -> bool:
    """The pitfall: any edge to an already visited node is taken for a cycle.

    >>> has_cycle_one_visited_set({"a": ["b", "c"], "b": ["d"], "c": ["d"]})
    True
    """
    visited: set[N] = set()
    for root in _nodes(graph):
        if root in visited:
            continue
        visited.add(root)
        stack: list[tuple[N, Iterator[N]]] = [(root, iter(graph.get(root, ())))]
        while stack:
            for v in stack[-1][1]:
                if v in visited:
                    return True
                visited.add(v)
                stack.append((v, iter(graph.get(v, ()))))
                break
            else:
                stack.pop()
    return False


class CycleError(ValueError):
    """``topological_sort`` found a cycle; ``nodes`` are those on a cycle or downstream of one."""

    def __init__(self, nodes: Sequence[Hashable]) -> None:
        self.nodes = list(nodes)
        names = ", ".join(repr(n) for n in self.nodes)
        super().__init__(f"nodes on or behind a cycle: {names}")


def topological_sort(graph: Graph[N], work: Work | None = None) -> list[N]:
    """Kahn's algorithm: every edge ``u -> v`` has ``u`` before ``v``; CycleError if impossible.

    >>> topological_sort({"shirt": ["tie"], "tie": ["jacket"], "trousers": ["jacket"]})
    ['shirt', 'trousers', 'tie', 'jacket']
    >>> topological_sort({"a": ["b"], "b": ["c"], "c": ["b", "d"]})
    Traceback (most recent call last):
    ...
    handbook.algo.bfs_dfs_topo.CycleError: nodes on or behind a cycle: 'b', 'c', 'd'
    """
    w = work if work is not None else Work()
    indegree = dict.fromkeys(_nodes(graph), 0)
    for targets in graph.values():
        for v in targets:
            indegree[v] += 1
    ready = deque(u for u, d in indegree.items() if d == 0)
    order: list[N] = []
    while ready:
        u = ready.popleft()
        order.append(u)
        for v in graph.get(u, ()):
            w.edges += 1
            indegree[v] -= 1
            if indegree[v] == 0:
                ready.append(v)
    if len(order) < len(indegree):  # break[empty-means-cycle]
        raise CycleError([u for u, d in indegree.items() if d > 0])
    return order
