"""A skip list: a sorted set whose search visits O(log n) nodes, balanced by coin flips.

Why interviewers ask this:
    A skip list is the balanced search tree you can write on a whiteboard: a
    sorted linked list plus "express lanes", where each node is promoted to the
    next lane with probability p. No rotations, no colour rules, yet search,
    insert and delete take expected O(log n). Redis's larger sorted sets and
    LevelDB's memtable use one, and lock-free skip lists back Java's
    ``ConcurrentSkipListMap``. Interviewers ask it to see whether you can
    reason about *expected* cost and randomness, and whether you can keep
    several levels of pointers consistent on insert and delete.

Common pitfalls:
    - Searching each level from the head again instead of dropping down from
      where the previous level stopped: that throws away the express lanes.
    - Forgetting to record the predecessor at *every* level before splicing in
      a new node: the upper lanes then skip it or point past the end.
    - Unseeded randomness in tests: the shape changes run to run, so a test
      about cost becomes a flaky test. Inject the generator.
    - Comparing with ``==`` and ``<`` inconsistently, or storing NaN: the
      order must be a strict total order. Here only ``<`` is ever called,
      ``==`` between two skip lists included: items are the same when neither
      is below the other, so a type that defines only ``__lt__`` works.
    - Drawing a level before checking for a duplicate: it wastes randomness
      and makes the shape depend on rejected inserts.

Key takeaways:
    - Level i holds roughly n * p**i nodes, so there are about log_{1/p}(n)
      levels, and on each a search visits about 1/p nodes: (1 - p)/p moves
      right plus the one that sends it down. That is (1/p) log_{1/p}(n)
      visits, expected O(log n). ``search_cost`` counts them, so the tests
      check the claim by counting, never by timing.
    - With p = 0 every node stays on level 0 and the structure is a sorted
      linked list: a search visits about n/2 nodes.
    - Randomness replaces rebalancing: the expected shape does not depend on
      the insertion order, so sorted input (a naive BST's worst case) is
      harmless: the tests build from ascending and shuffled input alike.
    - Go: no standard type; Java: ``ConcurrentSkipListSet``; Python's usual
      choice for a sorted set is ``sortedcontainers.SortedList``.

What to look for in an answer:
    A strong answer draws the levels, walks a search (right while the next
    key is smaller, else down), records the update path for insert and
    delete, derives the expected node counts per level and the O(log n)
    expected cost (with an O(n) worst case of tiny probability), and mentions
    seeding the generator to test it. Follow-ups:
    - Why do concurrent maps prefer skip lists to balanced trees? (Insert and
      delete change a few local pointers, which compare-and-swap can do
      without a global rebalance.)
    - How would you get the k-th smallest item in O(log n)? (Store each
      forward pointer's span: the number of level-0 nodes it skips.)
    - What does p = 1/4 instead of 1/2 change? (Memory: 1 / (1 - p)
      pointers per node, 1.33 instead of 2. Not the expected search cost:
      (1/p) log_{1/p}(n) is 2 log2(n) for both, twice the visits per level
      on half as many levels (p = 1/e would minimise it, at 1.88 log2(n)).
      What grows is the spread between searches: in the tests, on 10,000
      items, both average about 25 visits, but with a standard deviation of
      7.9 against 5.0 and a longest search of 57 against 41. Redis's sorted
      sets (``ZSKIPLIST_P`` 0.25) and LevelDB's memtable (``kBranching`` 4)
      both take 1/4.)
    - How does Redis store a sorted set? (Small ones, up to 128 entries of
      at most 64 bytes (``zset-max-listpack-entries`` and ``-value``;
      "ziplist" before Redis 7), are one flat listpack sorted by score and
      scanned linearly. Bigger ones become a skip list ordered by (score,
      member), whose pointers store their span so that ZRANK is O(log n),
      plus a dict from member to score for O(1) ZSCORE.)
    - How does a treap compare? (Also randomised: each key draws a random
      priority and the tree is a BST by key and a heap by priority. With
      distinct priorities that tree is unique: the priorities fix its shape
      whatever the insertion order, so sorted keys are not its worst case and
      its expected depth is O(log n). It restores the heap order with
      rotations where a skip list only relinks.)

Complexity:
    ``add``, ``discard``, ``remove``, ``in``: expected O(log n), worst O(n).
    Iteration: O(n). Memory: expected n / (1 - p) forward pointers.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar, cast

from handbook.ds._inputs import Comparable

__all__ = ["SkipList"]

MAX_LEVEL = 32
_REPR_LIMIT = 10


T = TypeVar("T", bound=Comparable)


class _Node(Generic[T]):
    """An item and its forward pointers, one per level the node takes part in."""

    __slots__ = ("forward", "item")

    def __init__(self, item: T, level: int) -> None:
        self.item = item
        self.forward: list[_Node[T] | None] = [None] * level


class SkipList(Generic[T]):
    """A sorted set of mutually comparable items, backed by a skip list.

    Pass ``rng`` (a seeded ``random.Random``) for a reproducible shape; ``p``
    is the probability of promoting a node one level up. Only ``<`` is used
    to compare items; an item that cannot be compared with the stored ones
    raises ``TypeError`` and leaves the list unchanged. Two skip lists are
    equal when their items pair up in order as equivalent (neither below the
    other), the same test ``add`` uses to reject a duplicate. Not thread-safe.

    >>> s = SkipList([5, 1, 3], rng=random.Random(0))
    >>> s.add(2); s.discard(5)
    >>> list(s), 3 in s, 5 in s
    ([1, 2, 3], True, False)
    """

    __slots__ = ("_head", "_len", "_level", "_p", "_rng")

    def __init__(
        self,
        items: Iterable[T] = (),
        *,
        rng: random.Random | None = None,
        p: float = 0.5,
    ) -> None:
        """Build a skip list holding ``items``. Expected O(n log n).

        Raises ``ValueError`` unless ``0 <= p < 1`` and ``TypeError`` if items
        are not mutually comparable.

        >>> SkipList([2, 1, 2], rng=random.Random(1))
        SkipList([1, 2])
        """
        if not isinstance(p, (int, float)) or not 0.0 <= p < 1.0:
            raise ValueError(f"p must be in [0, 1), got {p!r}")
        self._rng = rng if rng is not None else random.Random()
        self._p = float(p)
        # The head holds only forward pointers: one list entry per possible level.
        self._head: list[_Node[T] | None] = [None] * MAX_LEVEL
        self._level = 1  # number of levels in use
        self._len = 0
        for item in items:
            self.add(item)

    def _random_level(self) -> int:
        level = 1
        while level < MAX_LEVEL and self._rng.random() < self._p:
            level += 1
        return level

    def _predecessors(self, item: T) -> tuple[list[list[_Node[T] | None]], int]:
        """Return, for each level in use, the forward list to patch, and the nodes visited.

        The forward list at level i belongs to the last node whose item is < ``item``
        (or is the head). Comparisons happen here, before anything is mutated.
        """
        update: list[list[_Node[T] | None]] = [self._head] * self._level
        forward = self._head
        visits = 0
        for level in range(self._level - 1, -1, -1):
            nxt = forward[level]
            while nxt is not None:
                visits += 1
                if not nxt.item < item:
                    break
                forward = nxt.forward
                nxt = forward[level]
            update[level] = forward
        return update, visits

    @staticmethod
    def _match(update: list[list[_Node[T] | None]], item: T) -> _Node[T] | None:
        """Return the node equal to ``item`` right after the level-0 predecessor, if any."""
        candidate = update[0][0] if update else None
        # candidate.item >= item is known, so it equals item unless item < candidate.item.
        if candidate is not None and not item < candidate.item:
            return candidate
        return None

    def add(self, item: T) -> None:
        """Add ``item``; adding an item already present does nothing. Expected O(log n).

        Raises ``TypeError`` if ``item`` cannot be compared with the stored items
        (the list is unchanged).

        >>> s = SkipList[int](rng=random.Random(0))
        >>> s.add(3); s.add(3); s.add(1)
        >>> list(s)
        [1, 3]
        """
        update, _ = self._predecessors(item)
        if self._match(update, item) is not None:
            return
        level = self._random_level()  # break[single-level]
        node = _Node(item, level)
        while len(update) < level:  # new levels start at the head
            update.append(self._head)
        for i in range(level):
            node.forward[i] = update[i][i]
            update[i][i] = node
        self._level = max(self._level, level)
        self._len += 1

    def discard(self, item: T) -> None:
        """Remove ``item`` if present. Expected O(log n).

        Raises ``TypeError`` if ``item`` cannot be compared with the stored items.

        >>> s = SkipList([1, 2], rng=random.Random(0))
        >>> s.discard(7); s.discard(1)
        >>> list(s)
        [2]
        """
        update, _ = self._predecessors(item)
        node = self._match(update, item)
        if node is None:
            return
        for i, nxt in enumerate(node.forward):
            update[i][i] = nxt
        while self._level > 1 and self._head[self._level - 1] is None:
            self._level -= 1
        self._len -= 1

    def remove(self, item: T) -> None:
        """Remove ``item``. Expected O(log n).

        Raises ``KeyError`` if it is absent and ``TypeError`` if it cannot be
        compared with the stored items; the list is then unchanged.

        >>> s = SkipList([1], rng=random.Random(0))
        >>> s.remove(1)
        >>> s.remove(1)
        Traceback (most recent call last):
        ...
        KeyError: 1
        """
        before = self._len
        self.discard(item)
        if self._len == before:
            raise KeyError(item)

    def __contains__(self, item: object) -> bool:
        """Return whether ``item`` is stored. Expected O(log n).

        Raises ``TypeError`` if ``item`` cannot be compared with the stored items.

        >>> 2 in SkipList([1, 2], rng=random.Random(0))
        True
        """
        key = cast(T, item)
        update, _ = self._predecessors(key)
        return self._match(update, key) is not None

    def search_cost(self, item: T) -> int:
        """Return how many nodes a search for ``item`` visits: the cost the lesson measures.

        Expected O(log n). Raises ``TypeError`` like :meth:`add`.

        >>> SkipList(range(100), rng=random.Random(0), p=0).search_cost(50)
        51
        """
        return self._predecessors(item)[1]

    @property
    def levels(self) -> int:
        """The number of levels in use (1 for an empty list). O(1).

        >>> SkipList[int](rng=random.Random(0)).levels
        1
        """
        return self._level

    def __iter__(self) -> Iterator[T]:
        """Yield the items in ascending order. O(n).

        >>> list(SkipList("skip", rng=random.Random(0)))
        ['i', 'k', 'p', 's']
        """
        for node in self._nodes():
            yield node.item

    def __len__(self) -> int:
        """Return the number of items. O(1).

        >>> len(SkipList([1, 1, 2], rng=random.Random(0)))
        2
        """
        return self._len

    def __eq__(self, other: object) -> bool:
        """Equal when the items pair up in order as equivalent, by ``<`` alone. O(n).

        Two items are equivalent when neither is below the other, as for
        duplicates in ``add``; the shapes do not matter. Items that cannot be
        compared make the lists unequal (no TypeError).

        >>> SkipList([1, 2], rng=random.Random(1)) == SkipList([2, 1], rng=random.Random(2))
        True
        """
        if not isinstance(other, SkipList):
            return NotImplemented
        if self._len != other._len:
            return False
        for a, b in zip(self, other, strict=True):
            try:
                if a < b or b < a:  # break[items-equal-by-eq]
                    return False
            except TypeError:
                return False
        return True

    def __repr__(self) -> str:
        """Show the items in order, truncated after 10.

        >>> SkipList(range(20), rng=random.Random(0))
        SkipList([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ...], len=20)
        """
        shown: list[T] = []
        for item in self:
            if len(shown) == _REPR_LIMIT:
                inner = ", ".join(map(repr, shown))
                return f"{type(self).__name__}([{inner}, ...], len={self._len})"
            shown.append(item)
        return f"{type(self).__name__}({shown!r})"

    def _nodes(self) -> Iterator[_Node[T]]:
        """Yield the level-0 nodes in order (for tests that inspect the shape)."""
        node = self._head[0]
        while node is not None:
            yield node
            node = node.forward[0]

    def _check(self) -> None:
        """Assert the invariants: each level is sorted and a subsequence of the one below."""
        assert 1 <= self._level <= MAX_LEVEL
        assert all(f is None for f in self._head[self._level :]), "pointer above top level"
        assert self._level == 1 or self._head[self._level - 1] is not None, "empty top level"
        # The nodes tall enough for the current level, in order: level 0 holds
        # every node, and each level above holds exactly the nodes that reach it.
        expected: list[_Node[T]] = []
        for level in range(self._level):
            lane: list[_Node[T]] = []
            node = self._head[level]
            while node is not None:
                assert len(node.forward) > level, "node linked above its height"
                if lane:
                    assert lane[-1].item < node.item, f"level {level} out of order"
                lane.append(node)
                node = node.forward[level]
            if level == 0:
                assert len(lane) == self._len, f"{len(lane)} nodes, _len says {self._len}"
            else:
                assert lane == expected, f"level {level} is not the nodes tall enough for it"
            expected = [n for n in lane if len(n.forward) > level + 1]
        assert not expected, "a node is taller than the levels in use"
