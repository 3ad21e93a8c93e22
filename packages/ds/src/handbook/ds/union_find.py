"""Disjoint sets with union by size and path compression, and the hop counts that justify both.

Why interviewers ask this:
    Union-find (disjoint-set union) answers "are these two things connected?"
    while connections keep arriving: Kruskal's minimum spanning tree, grouping
    accounts that share an email, detecting a cycle as edges are added, counting
    islands online. It is twenty lines of code, yet the two optimizations are
    what interviewers probe: without them ``find`` walks a long chain of parent
    pointers and the structure degrades to O(n) per operation.

Common pitfalls:
    - Linking root to root in a fixed direction ("always put a under b"): a
      sequence of unions builds a chain, and ``find`` on its tail walks n - 1
      parent pointers. Attach the smaller tree under the larger one.
    - Linking the *elements* instead of their roots (``parent[a] = b``): it
      silently splits sets that were already merged.
    - Recursive ``find`` with path compression: a long chain overflows the
      recursion limit before it gets compressed. Use two loops.
    - Believing ``find`` is read-only: path compression writes, so even
      "queries" race when two threads share the structure.
    - Expecting deletion or splitting: union-find only merges. To split, rebuild.

Key takeaways:
    - Each set is a tree; its root names the set. ``find`` follows parent
      pointers to the root; ``union`` links one root under the other.
    - Union by size alone bounds every tree's height by log2(n): a node only
      gets one level deeper when its set at least doubles. ``_check`` asserts
      that bound.
    - Path compression alone makes repeated finds on the same path cost one hop.
    - Both together give O(alpha(n)) amortized per operation, where the inverse
      Ackermann function alpha is below 5 for any n that fits in memory.
    - The ``hops`` counter makes these claims testable by counting, not timing.
    - Go/Java: two int arrays (parent, size) indexed by element id; map objects
      to ids first. Here a dict does that mapping for any hashable element.

What to look for in an answer:
    A strong answer stores a parent pointer per element, unions roots (not
    elements), names union by size or rank and path compression, states the
    log2(n) height bound with its doubling argument and the near-constant
    amortized cost, and mentions that union returning "already connected" is
    how Kruskal and cycle detection use it. Follow-ups:
    - Why is the height at most log2(n) with union by size? (A node's depth
      grows only when its tree is merged into one at least as large, so its
      set size doubles each time; it can double at most log2(n) times.)
    - How would you support "undo the last union"? (Union by size without path
      compression, and a stack of the links made: O(log n) find, O(1) undo.)
    - How do you track a per-set aggregate such as the set's sum or maximum?
      (Keep it at the root and combine the two roots' values in ``union``.)

Complexity:
    ``add``: O(1). ``find``, ``union``, ``connected``: O(alpha(n)) amortized with
    both optimizations, O(log n) worst case with union by size alone, O(n) with
    neither. ``count`` and ``len``: O(1). Memory: O(n).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from typing import Generic, TypeVar

__all__ = ["UnionFind"]

T = TypeVar("T", bound=Hashable)

_REPR_LIMIT = 10


class UnionFind(Generic[T]):
    """A partition of hashable elements into disjoint sets that can only merge.

    ``union_by_size`` and ``path_compression`` are on by default; switching
    them off exists to measure what each one buys (see ``hops``). Two
    structures are equal when they partition the same elements the same way.

    Elements must be hashable: an unhashable one raises ``TypeError`` and
    leaves the structure unchanged. Not thread-safe, not even for concurrent
    ``find`` calls, because path compression rewrites parent pointers.

    >>> uf = UnionFind("abcd")
    >>> uf.union("a", "b"), uf.union("b", "a")
    (True, False)
    >>> uf.connected("a", "b"), uf.connected("a", "c"), uf.count
    (True, False, 3)
    """

    __slots__ = ("_count", "_hops", "_parent", "_path_compression", "_size", "_union_by_size")

    def __init__(
        self,
        iterable: Iterable[T] = (),
        *,
        union_by_size: bool = True,
        path_compression: bool = True,
    ) -> None:
        """Start with each element of ``iterable`` in a set of its own. O(n).

        Raises ``TypeError`` if an element is unhashable.

        >>> UnionFind([1, 2, 2]).count
        2
        """
        self._parent: dict[T, T] = {}
        self._size: dict[T, int] = {}  # only roots have an entry
        self._count = 0
        self._hops = 0
        self._union_by_size = union_by_size
        self._path_compression = path_compression
        for x in iterable:
            self.add(x)

    def add(self, x: T) -> bool:
        """Add ``x`` as a singleton set; return False if it was already present. O(1).

        Raises ``TypeError`` if ``x`` is unhashable.

        >>> uf = UnionFind[int]()
        >>> uf.add(1), uf.add(1), len(uf)
        (True, False, 1)
        """
        if x in self._parent:
            return False
        self._parent[x] = x
        self._size[x] = 1
        self._count += 1
        return True

    def find(self, x: T) -> T:
        """Return the representative (root) of the set containing ``x``.

        O(alpha(n)) amortized. Raises ``KeyError`` if ``x`` was never added and
        ``TypeError`` if it is unhashable.

        >>> uf = UnionFind([1, 2, 3])
        >>> _ = uf.union(1, 2)
        >>> uf.find(1) == uf.find(2) != uf.find(3)
        True
        >>> uf.find(9)
        Traceback (most recent call last):
        ...
        KeyError: 9
        """
        parent = self._parent
        if x not in parent:
            raise KeyError(x)
        root = x
        hops = 0
        while parent[root] != root:
            root = parent[root]
            hops += 1
        self._hops += hops
        if self._path_compression:
            # Second pass: point every node on the path straight at the root,
            # so the next find from any of them costs one hop.
            while x != root:
                parent[x], x = root, parent[x]  # break[no-path-compression]
        return root

    def union(self, a: T, b: T) -> bool:
        """Merge the sets of ``a`` and ``b``; return True if they were separate.

        Unknown elements are added first. O(alpha(n)) amortized. Raises
        ``TypeError`` if either element is unhashable (nothing is added then).

        >>> uf = UnionFind[str]()
        >>> uf.union("x", "y"), uf.union("y", "x"), len(uf), uf.count
        (True, False, 2, 1)
        """
        hash(a)  # fail on an unhashable element before adding either one
        hash(b)
        self.add(a)
        self.add(b)
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False  # break[bare-return]
        size = self._size
        if self._union_by_size and size[ra] < size[rb]:
            ra, rb = rb, ra  # break[no-union-by-size]
        # Link root rb under root ra: ra's tree is at least as large as rb's,
        # so rb's nodes get one level deeper only as their set doubles.
        self._parent[rb] = ra
        size[ra] += size.pop(rb)
        self._count -= 1
        return True

    def connected(self, a: T, b: T) -> bool:
        """Return whether ``a`` and ``b`` are in the same set. O(alpha(n)) amortized.

        Raises ``KeyError`` if either was never added.

        >>> uf = UnionFind([1, 2])
        >>> uf.connected(1, 2)
        False
        """
        return self.find(a) == self.find(b)

    def set_size(self, x: T) -> int:
        """Return the number of elements in the set containing ``x``. O(alpha(n)) amortized.

        Raises ``KeyError`` if ``x`` was never added.

        >>> uf = UnionFind(range(5))
        >>> _ = uf.union(0, 1), uf.union(1, 2)
        >>> uf.set_size(2), uf.set_size(4)
        (3, 1)
        """
        return self._size[self.find(x)]

    def groups(self) -> list[list[T]]:
        """Return the sets as lists, each in insertion order, ordered by first element. O(n).

        >>> uf = UnionFind("abcde")
        >>> _ = uf.union("a", "c"), uf.union("e", "b")
        >>> uf.groups()
        [['a', 'c'], ['b', 'e'], ['d']]
        """
        by_root: dict[T, list[T]] = {}
        for x in self._parent:
            by_root.setdefault(self.find(x), []).append(x)
        return list(by_root.values())

    @property
    def count(self) -> int:
        """The number of disjoint sets. O(1).

        >>> UnionFind("ab").count
        2
        """
        return self._count

    @property
    def hops(self) -> int:
        """Parent pointers followed by ``find`` since construction: the cost measure. O(1).

        >>> uf = UnionFind([1, 2], path_compression=False)
        >>> _ = uf.union(1, 2)
        >>> before = uf.hops; _ = uf.find(2); uf.hops - before
        1
        """
        return self._hops

    def __len__(self) -> int:
        """Return the number of elements. O(1).

        >>> len(UnionFind("abc"))
        3
        """
        return len(self._parent)

    def __contains__(self, x: object) -> bool:
        """Return whether ``x`` was added. O(1).

        >>> 1 in UnionFind([1]), 2 in UnionFind([1])
        (True, False)
        """
        return x in self._parent

    def __iter__(self) -> Iterator[T]:
        """Yield the elements in insertion order. O(n).

        >>> list(UnionFind([3, 1, 2]))
        [3, 1, 2]
        """
        return iter(self._parent)

    def __eq__(self, other: object) -> bool:
        """Equal when both partition the same elements into the same sets. O(n).

        >>> a, b = UnionFind([1, 2, 3]), UnionFind([3, 2, 1])
        >>> _ = a.union(1, 2), b.union(2, 1)
        >>> a == b
        True
        """
        if not isinstance(other, UnionFind):
            return NotImplemented
        if self._count != other._count or self._parent.keys() != other._parent.keys():
            return False
        mine = {frozenset(g) for g in self.groups()}
        return mine == {frozenset(g) for g in other.groups()}

    def __repr__(self) -> str:
        """Show the sets, truncated after 10 of them.

        >>> uf = UnionFind([1, 2, 3])
        >>> _ = uf.union(1, 3)
        >>> uf
        UnionFind(sets=[[1, 3], [2]])
        """
        groups = self.groups()
        name = type(self).__name__
        if len(groups) > _REPR_LIMIT:
            inner = ", ".join(map(repr, groups[:_REPR_LIMIT]))
            return f"{name}(sets=[{inner}, ...], count={len(groups)})"
        return f"{name}(sets={groups!r})"

    def _check(self) -> None:
        """Assert the invariants: parents known, trees acyclic, sizes and count exact.

        With union by size, every tree's height is at most log2 of its size.
        """
        parent = self._parent
        members: dict[T, int] = {}
        for x in parent:
            assert parent[x] in parent, f"parent of {x!r} is unknown"
            node, depth = x, 0
            while parent[node] != node:
                node = parent[node]
                depth += 1
                assert depth <= len(parent), f"cycle of parent pointers through {x!r}"
            members[node] = members.get(node, 0) + 1
            if self._union_by_size:
                # height <= log2(size)  <=>  2 ** height <= size
                assert 2**depth <= self._size[node], f"{x!r} is too deep: {depth}"
        assert members == self._size, f"sizes {self._size} != members {members}"
        assert self._count == len(members), f"count {self._count} != {len(members)} roots"
