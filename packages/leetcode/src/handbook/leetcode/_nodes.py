"""LeetCode's ``ListNode`` and ``TreeNode``, and helpers that build them from lists and back.

LeetCode writes a linked list as ``[1, 2, 3]`` and a binary tree in level order
with ``None`` for a missing child (``[3, 9, 20, None, None, 15, 7]``); these
helpers convert between that notation and the node classes, so that tests and a
learner's REPL session can use the notation of the problem statements.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Sequence

__all__ = ["ListNode", "TreeNode", "build_list", "build_tree", "list_values", "tree_values"]

# A list longer than this, walked by list_values, is taken to be a cycle.
_MAX_NODES = 1_000_000


class ListNode:
    """A node of a singly linked list, with LeetCode's fields ``val`` and ``next``.

    Nodes compare and hash by identity, as on LeetCode: a cycle check may put
    nodes in a set.

    >>> ListNode(1, ListNode(2))
    ListNode([1, 2])
    """

    __slots__ = ("next", "val")

    def __init__(self, val: int = 0, next: ListNode | None = None) -> None:
        self.val = val
        self.next = next

    def __repr__(self) -> str:
        values: list[str] = []
        seen: set[int] = set()
        node: ListNode | None = self
        while node is not None:
            if id(node) in seen:
                values.append("... (cycle)")
                break
            if len(values) == 20:
                values.append("...")
                break
            seen.add(id(node))
            values.append(repr(node.val))
            node = node.next
        return f"ListNode([{', '.join(values)}])"


class TreeNode:
    """A node of a binary tree, with LeetCode's fields ``val``, ``left`` and ``right``.

    >>> TreeNode(1, None, TreeNode(2))
    TreeNode([1, None, 2])
    """

    __slots__ = ("left", "right", "val")

    def __init__(
        self, val: int = 0, left: TreeNode | None = None, right: TreeNode | None = None
    ) -> None:
        self.val = val
        self.left = left
        self.right = right

    def __repr__(self) -> str:
        values = tree_values(self)
        shown = ", ".join(repr(v) for v in values[:20]) + (", ..." if len(values) > 20 else "")
        return f"TreeNode([{shown}])"


def build_list(values: Iterable[int], pos: int = -1) -> ListNode | None:
    """The linked list of ``values``; with ``pos >= 0`` the tail links back to node ``pos``
    (LeetCode's notation for a cycle). ``None`` for no values.

    >>> list_values(build_list([1, 2, 3]))
    [1, 2, 3]
    >>> head = build_list([3, 2, 0, -4], pos=1)
    >>> head.next.next.next.next is head.next
    True

    Raises ValueError when ``pos`` is not -1 nor an index of ``values``.
    """
    nodes = [ListNode(v) for v in values]
    if not -1 <= pos < len(nodes):
        raise ValueError(f"pos must be -1 or an index of the {len(nodes)} values, got {pos}")
    for node, following in itertools.pairwise(nodes):
        node.next = following
    if pos >= 0:
        nodes[-1].next = nodes[pos]
    return nodes[0] if nodes else None


def list_values(head: ListNode | None) -> list[int]:
    """The values of a linked list, head first.

    >>> list_values(None)
    []

    Raises ValueError when the list has a cycle, instead of walking it for ever.
    """
    values: list[int] = []
    seen: set[int] = set()
    node = head
    while node is not None:
        if id(node) in seen or len(values) > _MAX_NODES:
            raise ValueError(f"the list has a cycle (after {len(values)} nodes)")
        seen.add(id(node))
        values.append(node.val)
        node = node.next
    return values


def build_tree(values: Sequence[int | None]) -> TreeNode | None:
    """The binary tree of a level-order list with ``None`` for a missing child.

    >>> build_tree([3, 9, 20, None, None, 15, 7]).right.left.val
    15
    >>> build_tree([]) is None
    True

    Raises ValueError when a child is given for a missing node's place.
    """
    if not values or values[0] is None:
        if any(v is not None for v in values):
            raise ValueError("a tree with a None root cannot have other nodes")
        return None
    root = TreeNode(values[0])
    parents: deque[TreeNode] = deque([root])
    index = 1
    while index < len(values):
        if not parents:
            if any(v is not None for v in values[index:]):
                raise ValueError(f"value at index {index} has no parent in level order")
            break
        parent = parents.popleft()
        for side in ("left", "right"):
            if index < len(values) and values[index] is not None:
                child = TreeNode(values[index])  # type: ignore[arg-type]
                setattr(parent, side, child)
                parents.append(child)
            index += 1
    return root


def tree_values(root: TreeNode | None) -> list[int | None]:
    """The level-order list of a tree, ``None`` for missing children, trailing ``None`` cut.

    >>> tree_values(build_tree([1, None, 2, 3]))
    [1, None, 2, 3]
    """
    out: list[int | None] = []
    queue: deque[TreeNode | None] = deque([root])
    while queue:
        node = queue.popleft()
        if node is None:
            out.append(None)
            continue
        out.append(node.val)
        queue.append(node.left)
        queue.append(node.right)
    while out and out[-1] is None:
        out.pop()
    return out
