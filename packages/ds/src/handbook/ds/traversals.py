"""Tree traversals: pre-, in-, post- and level-order, recursive and with an explicit stack.

Why interviewers ask this:
    Half of all tree questions are a traversal in disguise: serialize a tree
    (pre-order), validate a BST or find its k-th smallest key (in-order), free
    or evaluate a tree bottom-up (post-order), find the right-side view or
    minimum depth (level-order). The recursive versions are three lines each;
    the interviewer wants the iterative ones too, because a degenerate tree of
    depth 10,000 overflows Python's recursion limit (1,000 by default) and
    production code cannot assume balanced input.

Common pitfalls:
    - Pushing children in the wrong order: a stack is LIFO, so for pre-order
      the *right* child goes on first, or the output visits right before left.
    - Iterative in-order that forgets to descend the left spine of each right
      child, or post-order that emits a node before its right subtree is done.
    - Level-order with a list and ``pop(0)``: O(n) per pop, O(n^2) in total.
      Use ``collections.deque``.
    - Raising the recursion limit instead of removing the recursion: deep
      enough input then crashes the interpreter instead of raising an error.

Key takeaways:
    - Pre-order: node, left, right. In-order: left, node, right (sorted for a
      BST). Post-order: left, right, node. Level-order: by depth, left to right.
    - Any recursive depth-first walk becomes a loop with an explicit stack whose
      size is the tree's height; memory is O(h) either way, but a list can grow
      to millions of entries while the call stack stops at the recursion limit.
    - Post-order with one stack: remember the last node emitted; a node is
      emitted when it has no right child or its right child was just emitted.
    - Level-order is breadth-first search: a FIFO queue, one level per pass.
    - Go and Java have no recursion limit as such, but a deep enough recursion
      still overflows the goroutine's or thread's stack (``StackOverflowError``).

What to look for in an answer:
    A strong answer writes all four orders, states which problems each solves,
    converts the recursion to an explicit stack without hesitation (correct push
    order, the "last visited" trick for post-order), uses a deque for BFS, and
    mentions the recursion limit unprompted. Follow-ups:
    - How do you traverse in-order in O(1) extra memory? (Morris traversal:
      temporarily thread each predecessor's right pointer back to the node.)
    - How would you serialize a tree so it can be rebuilt exactly? (Pre-order
      or level-order with explicit markers for missing children.)
    - Return the right-side view of a tree. (Level-order; keep the last value
      of each level.)

Complexity:
    Every traversal visits each node once: O(n) time. Extra memory: O(h) for the
    depth-first walks (h = height, n for a degenerate tree, log n when
    balanced), O(w) for level-order (w = widest level, up to n/2).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Generic, TypeVar

__all__ = [
    "TreeNode",
    "from_level_order",
    "inorder_iterative",
    "inorder_recursive",
    "level_order",
    "level_order_recursive",
    "postorder_iterative",
    "postorder_recursive",
    "preorder_iterative",
    "preorder_recursive",
]

T = TypeVar("T")


class TreeNode(Generic[T]):
    """A binary tree node: a value and two optional children.

    Not thread-safe to mutate. The traversal functions below only read the
    tree, so concurrent traversals are safe as long as no thread changes it.

    >>> TreeNode(2, TreeNode(1), TreeNode(3))
    TreeNode(2, TreeNode(1), TreeNode(3))
    >>> TreeNode(1, None, TreeNode(2, None, TreeNode(3, None, TreeNode(4))))
    TreeNode(1, None, TreeNode(2, None, TreeNode(3, ...)))
    """

    __slots__ = ("left", "right", "value")

    def __init__(
        self,
        value: T,
        left: TreeNode[T] | None = None,
        right: TreeNode[T] | None = None,
    ) -> None:
        self.value = value
        self.left = left
        self.right = right

    def __repr__(self) -> str:
        """Show the subtree three levels deep, then ``...``: safe on a 10,000-deep tree."""
        return _node_repr(self, _REPR_DEPTH)


_REPR_DEPTH = 3


def _node_repr(node: TreeNode[T] | None, depth: int) -> str:
    if node is None:
        return "None"
    if node.left is None and node.right is None:
        return f"TreeNode({node.value!r})"
    if depth == 1:
        return f"TreeNode({node.value!r}, ...)"
    left, right = _node_repr(node.left, depth - 1), _node_repr(node.right, depth - 1)
    return f"TreeNode({node.value!r}, {left}, {right})"


def from_level_order(values: Iterable[T | None]) -> TreeNode[T] | None:
    """Build a tree from level-order values, None marking a missing child (LeetCode style).

    O(n). Raises ValueError if the first value is None but more follow.

    >>> from_level_order([1, 2, 3, None, 4])
    TreeNode(1, TreeNode(2, None, TreeNode(4)), TreeNode(3))
    >>> from_level_order([]) is None
    True
    """
    items = iter(values)
    first = next(items, None)
    if first is None:
        if next(items, None) is not None:
            raise ValueError("level order starts with None (an empty tree) but has more values")
        return None
    root = TreeNode(first)
    parents: deque[TreeNode[T]] = deque([root])
    left_side = True
    for value in items:
        if not parents:
            raise ValueError("level order has a child value with no parent to attach to")
        parent = parents[0]
        child = TreeNode(value) if value is not None else None
        if left_side:
            parent.left = child
        else:
            parent.right = child
            parents.popleft()
        if child is not None:
            parents.append(child)
        left_side = not left_side
    return root


# ---- recursive: short, and limited by sys.getrecursionlimit() ------------------------


def preorder_recursive(root: TreeNode[T] | None) -> list[T]:
    """Node, left, right. O(n) time, O(h) call-stack depth: RecursionError when h ~ 1,000.

    >>> preorder_recursive(from_level_order([1, 2, 3, 4, 5]))
    [1, 2, 4, 5, 3]
    """
    if root is None:
        return []
    return [root.value, *preorder_recursive(root.left), *preorder_recursive(root.right)]


def inorder_recursive(root: TreeNode[T] | None) -> list[T]:
    """Left, node, right (sorted for a BST). O(n) time, O(h) depth: RecursionError when deep.

    >>> inorder_recursive(from_level_order([1, 2, 3, 4, 5]))
    [4, 2, 5, 1, 3]
    """
    if root is None:
        return []
    return [*inorder_recursive(root.left), root.value, *inorder_recursive(root.right)]


def postorder_recursive(root: TreeNode[T] | None) -> list[T]:
    """Left, right, node. O(n) time, O(h) depth: RecursionError when deep.

    >>> postorder_recursive(from_level_order([1, 2, 3, 4, 5]))
    [4, 5, 2, 3, 1]
    """
    if root is None:
        return []
    return [*postorder_recursive(root.left), *postorder_recursive(root.right), root.value]


def level_order_recursive(root: TreeNode[T] | None) -> list[list[T]]:
    """Values grouped by depth, left to right, by a depth-first walk. O(n); RecursionError.

    >>> level_order_recursive(from_level_order([1, 2, 3, 4, 5]))
    [[1], [2, 3], [4, 5]]
    """
    levels: list[list[T]] = []

    def visit(node: TreeNode[T] | None, depth: int) -> None:
        if node is None:
            return
        if depth == len(levels):
            levels.append([])
        levels[depth].append(node.value)
        visit(node.left, depth + 1)
        visit(node.right, depth + 1)

    visit(root, 0)
    return levels


# ---- iterative: an explicit stack or queue, any depth -------------------------------------


def preorder_iterative(root: TreeNode[T] | None) -> list[T]:
    """Node, left, right with an explicit stack. O(n) time, O(h) memory, any depth.

    >>> preorder_iterative(from_level_order([1, 2, 3, 4, 5]))
    [1, 2, 4, 5, 3]
    """
    out: list[T] = []
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        out.append(node.value)
        # LIFO: push the right child first so the left one is popped (visited) first.
        for child in (node.right, node.left):  # break[push-left-first]
            if child is not None:
                stack.append(child)
    return out


def inorder_iterative(root: TreeNode[T] | None) -> list[T]:
    """Left, node, right with an explicit stack. O(n) time, O(h) memory, any depth.

    The stack holds the left spine still to be emitted: go left as far as
    possible, emit the deepest node, then do the same for its right subtree.

    >>> inorder_iterative(from_level_order([1, 2, 3, 4, 5]))
    [4, 2, 5, 1, 3]
    """
    out: list[T] = []
    stack: list[TreeNode[T]] = []  # break[recurse-anyway]
    node = root
    while stack or node is not None:
        while node is not None:
            stack.append(node)
            node = node.left
        node = stack.pop()
        out.append(node.value)
        node = node.right
    return out


def postorder_iterative(root: TreeNode[T] | None) -> list[T]:
    """Left, right, node with one stack. O(n) time, O(h) memory, any depth.

    A node on top of the stack is emitted once its right subtree is done: it
    has no right child, or that child is the node emitted last.

    >>> postorder_iterative(from_level_order([1, 2, 3, 4, 5]))
    [4, 5, 2, 3, 1]
    """
    out: list[T] = []
    stack: list[TreeNode[T]] = []
    last: TreeNode[T] | None = None
    node = root
    while stack or node is not None:
        while node is not None:
            stack.append(node)
            node = node.left
        top = stack[-1]
        if top.right is not None and top.right is not last:
            node = top.right  # the right subtree is still to do
        else:
            out.append(top.value)
            last = stack.pop()
    return out


def level_order(root: TreeNode[T] | None) -> list[list[T]]:
    """Values grouped by depth, left to right: breadth-first with a deque. O(n), any depth.

    >>> level_order(from_level_order([1, 2, 3, 4, 5]))
    [[1], [2, 3], [4, 5]]
    """
    levels: list[list[T]] = []
    queue = deque([root] if root is not None else [])
    while queue:
        level: list[T] = []
        for _ in range(len(queue)):  # exactly the nodes of the current depth
            node = queue.popleft()
            level.append(node.value)
            if node.left is not None:
                queue.append(node.left)
            if node.right is not None:
                queue.append(node.right)
        levels.append(level)
    return levels
