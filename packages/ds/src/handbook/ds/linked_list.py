"""Linked lists: reverse in place, find a cycle with two pointers, and a doubly linked list.

Why interviewers ask this:
    Pointer manipulation is where careful people and hurried people separate.
    "Reverse a linked list", "does it have a cycle?" and "find the middle" are
    short enough for a whiteboard and each has one line that is easy to get
    wrong: losing the rest of the list while reversing, moving the fast pointer
    one step instead of two, off-by-one on even lengths. The doubly linked list
    behind an LRU cache is the same skill with two pointers per node.

Common pitfalls:
    - Reversing without saving ``node.next`` first: the rest of the list is lost.
    - Floyd with the fast pointer moving one step: it "meets" the slow pointer
      at once, so every list looks cyclic (break it: ``fast-moves-one-step``).
    - Checking ``fast.next.next`` without checking ``fast.next``: AttributeError
      on even-length lists.
    - Unlinking a node from a doubly linked list but fixing only one direction:
      forward iteration looks right, ``reversed()`` still visits the removed node
      (break it: ``remove-forgets-prev``).
    - Detecting cycles with a ``set`` of visited nodes works but costs O(n)
      memory; Floyd's tortoise and hare is O(1).
    - Iterating while mutating: this ``LinkedList`` raises RuntimeError like a
      dict does (Java: ConcurrentModificationException).

Key takeaways:
    - Reverse: three pointers (previous, current, next), one pass, O(1) memory.
    - Floyd: slow moves 1, fast moves 2; they meet inside the cycle iff there
      is one. Reset one pointer to the head and move both by 1: they meet at the
      cycle's first node (the distances from head and from the meeting point to
      the cycle start are equal modulo the cycle length).
    - Middle: when fast reaches the end, slow is at the middle (the second of
      the two middles for even lengths).
    - A sentinel node (circular, always present) removes every "is the list
      empty / is this the head" special case from the doubly linked list.
    - Python's ``collections.deque`` is the practical choice; a linked list wins
      only when you hold node references and need O(1) removal from the middle
      (LRU caches, schedulers).

What to look for in an answer:
    A strong answer draws the pointers before writing code, handles the empty
    and one-node cases, states O(1) extra memory for reverse and Floyd, and can
    explain *why* Floyd finds the cycle start. Follow-ups:
    - How do you find the cycle's length? (Keep one pointer at the meeting
      point, walk the other round until it returns.)
    - Why is a linked list slow in practice despite O(1) inserts? (Pointer
      chasing, a cache miss per node, and in CPython on 64-bit a node object
      of 48 bytes (56 doubly linked) for each 8-byte list slot it replaces.)
    - How would you reverse in groups of k, or recursively, and what does the
      recursion cost? (O(n) stack: Python's recursion limit bites at ~1000.)

Complexity:
    ``reverse_list``, ``has_cycle``, ``cycle_start``, ``middle_node``: O(n)
    time, O(1) extra memory. ``LinkedList``: append/appendleft/pop/popleft O(1);
    ``remove``, ``in``, ``reverse``, ``==``: O(n).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

from handbook.ds._repr import preview as _preview

__all__ = [
    "LinkedList",
    "Node",
    "cycle_start",
    "from_values",
    "has_cycle",
    "middle_node",
    "reverse_list",
    "to_values",
]

T = TypeVar("T")


# ---------------------------------------------------------------------------
# The lesson: a singly linked node and the three classic two-pointer walks.
# ---------------------------------------------------------------------------


class Node(Generic[T]):
    """A singly linked list node: a value and the next node (or None)."""

    __slots__ = ("next", "value")

    def __init__(self, value: T, next: Node[T] | None = None) -> None:
        self.value = value
        self.next = next

    def __repr__(self) -> str:
        return f"Node({self.value!r})"


def from_values(values: Iterable[T]) -> Node[T] | None:
    """Build a singly linked list from ``values``; return its head (None when empty). O(n).

    >>> to_values(from_values([1, 2, 3]))
    [1, 2, 3]
    """
    items = list(values)
    head: Node[T] | None = None
    for value in reversed(items):
        head = Node(value, head)
    return head


def to_values(head: Node[T] | None, limit: int = 1_000_000) -> list[T]:
    """The values from ``head`` onward, stopping after ``limit`` nodes (cycles are finite). O(n).

    >>> to_values(None)
    []
    """
    values: list[T] = []
    node = head
    while node is not None and len(values) < limit:
        values.append(node.value)
        node = node.next
    return values


def reverse_list(head: Node[T] | None) -> Node[T] | None:
    """Reverse the list in place and return the new head. O(n) time, O(1) memory.

    >>> to_values(reverse_list(from_values([1, 2, 3])))
    [3, 2, 1]
    """
    previous: Node[T] | None = None
    node = head
    while node is not None:
        following = node.next  # save it before the link is turned round
        node.next = previous
        previous, node = node, following
    return previous


def has_cycle(head: Node[T] | None) -> bool:
    """Floyd's tortoise and hare: True if following ``next`` never reaches None. O(n), O(1) memory.

    >>> a = from_values([1, 2, 3]); has_cycle(a)
    False
    >>> a.next.next.next = a; has_cycle(a)
    True
    """
    return _meeting_point(head) is not None


def _meeting_point(head: Node[T] | None) -> Node[T] | None:
    """Where the slow and fast pointers meet inside a cycle, or None if there is no cycle."""
    slow = fast = head
    while fast is not None and fast.next is not None:
        assert slow is not None  # slow trails fast, so it cannot have run off the end
        slow = slow.next
        fast = fast.next.next  # break[fast-moves-one-step]
        if slow is fast:
            return slow
    return None


def cycle_start(head: Node[T] | None) -> Node[T] | None:
    """The first node of the cycle, or None if the list ends. O(n), O(1) memory.

    >>> a = from_values("abcd"); a.next.next.next.next = a.next
    >>> cycle_start(a).value
    'b'
    """
    meeting = _meeting_point(head)
    if meeting is None:
        return None
    # head -> start is k steps; meeting -> start is also k steps modulo the cycle length.
    node: Node[T] | None = head
    other: Node[T] | None = meeting
    while node is not other:
        assert node is not None
        assert other is not None
        node, other = node.next, other.next
    return node


def middle_node(head: Node[T] | None) -> Node[T] | None:
    """The middle node (the second of two middles for even lengths); None if empty. O(n).

    >>> middle_node(from_values([1, 2, 3])).value, middle_node(from_values([1, 2, 3, 4])).value
    (2, 3)
    """
    slow = fast = head
    while fast is not None and fast.next is not None:
        assert slow is not None
        slow = slow.next
        fast = fast.next.next
    return slow


# ---------------------------------------------------------------------------
# The library: a doubly linked list with a sentinel.
# ---------------------------------------------------------------------------


class _DNode(Generic[T]):
    """A doubly linked node. The sentinel is a ``_DNode`` whose ``value`` is never set."""

    __slots__ = ("next", "prev", "value")

    value: T
    prev: _DNode[T]
    next: _DNode[T]


class LinkedList(Generic[T]):
    """A doubly linked list with O(1) operations at both ends.

    A circular sentinel node sits between the last and the first item, so no
    operation needs an "is it empty?" branch. Equal to another ``LinkedList``
    with the same items in order. Mutating it while iterating raises
    RuntimeError at the iterator's next step. Not thread-safe.

    >>> xs = LinkedList([2, 3])
    >>> xs.appendleft(1); xs.append(4)
    >>> xs, list(reversed(xs)), 3 in xs, len(xs)
    (LinkedList([1, 2, 3, 4]), [4, 3, 2, 1], True, 4)
    """

    __slots__ = ("_len", "_root", "_version")

    def __init__(self, iterable: Iterable[T] = ()) -> None:
        root: _DNode[T] = _DNode()
        root.prev = root.next = root
        self._root = root
        self._len = 0
        self._version = 0  # bumped by every mutation; iterators compare it
        for item in iterable:
            self.append(item)

    def _link_before(self, successor: _DNode[T], value: T) -> None:
        node: _DNode[T] = _DNode()
        node.value = value
        node.prev, node.next = successor.prev, successor
        successor.prev.next = node
        successor.prev = node
        self._len += 1
        self._version += 1

    def _unlink(self, node: _DNode[T]) -> T:
        node.prev.next = node.next
        node.next.prev = node.prev  # break[remove-forgets-prev]
        self._len -= 1
        self._version += 1
        return node.value

    def append(self, item: T) -> None:
        """Add ``item`` at the end. O(1). Never raises.

        >>> xs = LinkedList([1]); xs.append(2); xs
        LinkedList([1, 2])
        """
        self._link_before(self._root, item)

    def appendleft(self, item: T) -> None:
        """Add ``item`` at the front. O(1). Never raises.

        >>> xs = LinkedList([1]); xs.appendleft(0); xs
        LinkedList([0, 1])
        """
        self._link_before(self._root.next, item)

    def pop(self) -> T:
        """Remove and return the last item. O(1). Raises IndexError if empty.

        >>> LinkedList([1, 2]).pop()
        2
        """
        if not self._len:
            raise IndexError("pop from an empty LinkedList")
        return self._unlink(self._root.prev)

    def popleft(self) -> T:
        """Remove and return the first item. O(1). Raises IndexError if empty.

        >>> LinkedList([1, 2]).popleft()
        1
        """
        if not self._len:
            raise IndexError("popleft from an empty LinkedList")
        return self._unlink(self._root.next)

    def remove(self, item: T) -> None:
        """Remove the first item equal to ``item``. O(n).

        Raises ValueError if there is none; an exception from ``__eq__``
        propagates and leaves the list unchanged.

        >>> xs = LinkedList("abca"); xs.remove("a"); xs
        LinkedList(['b', 'c', 'a'])
        """
        root = self._root
        node = root.next
        while node is not root:
            if node.value is item or node.value == item:
                self._unlink(node)
                return
            node = node.next
        raise ValueError(f"LinkedList.remove(x): {item!r} not in list")

    def reverse(self) -> None:
        """Reverse the list in place by swapping every node's two links. O(n). Never raises.

        >>> xs = LinkedList([1, 2, 3]); xs.reverse(); xs
        LinkedList([3, 2, 1])
        """
        node = self._root
        while True:  # the sentinel too, so the ends swap
            node.prev, node.next = node.next, node.prev
            node = node.prev  # the old next
            if node is self._root:
                break
        self._version += 1

    def __len__(self) -> int:
        """Number of items. O(1)."""
        return self._len

    def __iter__(self) -> Iterator[T]:
        """Iterate from first to last: O(1) per step. RuntimeError if mutated meanwhile."""
        return self._walk(forward=True)

    def __reversed__(self) -> Iterator[T]:
        """Iterate from last to first: O(1) per step. RuntimeError if mutated meanwhile."""
        return self._walk(forward=False)

    def _walk(self, *, forward: bool) -> Iterator[T]:
        root, version = self._root, self._version
        node = root.next if forward else root.prev
        while node is not root:
            yield node.value
            if self._version != version:
                raise RuntimeError("LinkedList mutated during iteration")
            node = node.next if forward else node.prev

    def __contains__(self, item: object) -> bool:
        """True if some item is ``item`` or equals it. O(n)."""
        return any(value is item or value == item for value in self)

    def __eq__(self, other: object) -> bool:
        """Same length and equal items in the same order. O(n)."""
        if not isinstance(other, LinkedList):
            return NotImplemented
        return self._len == other._len and all(a == b for a, b in zip(self, other, strict=True))

    def __repr__(self) -> str:
        return f"LinkedList({_preview(self, self._len)})"

    def _check(self) -> None:
        root = self._root
        count, node = 0, root.next
        while node is not root:
            assert node.prev.next is node, "a predecessor does not point back"
            assert node.next.prev is node, "a successor does not point back"
            count += 1
            assert count <= self._len, "more nodes forward than len() says"
            node = node.next
        assert count == self._len, f"len() is {self._len}, forward walk found {count}"
        assert root.next.prev is root
        assert root.prev.next is root
        backward, node = 0, root.prev
        while node is not root and backward <= self._len:
            backward += 1
            node = node.prev
        assert backward == self._len, f"len() is {self._len}, backward walk found {backward}"
