"""Maximum Depth of Binary Tree: count the levels, one breadth-first sweep at a time.

Given the root of a binary tree, return its maximum depth: the number of nodes
on the longest path from the root down to a leaf. The tests (and LeetCode) write
a tree in level order with ``None`` for a missing child.

Example 1: ``root = [3, 9, 20, None, None, 15, 7]`` gives ``3``.
Example 2: ``root = [1, None, 2]`` gives ``2``.

Constraints: the tree has 0 to 10**4 nodes; ``-100 <= Node.val <= 100``.

The tests run on a plain CPython, with its default recursion limit (1000), and
the constraints allow a tree that is one path of 10**4 nodes: a recursive
solution is correct, but it fails that test, on purpose. The tests also count
the operations your solution makes (O(n) expected).

Why interviewers ask this:
    It is the warm-up for every tree question: can the candidate define the
    answer recursively (one more than the deeper subtree), handle the empty
    tree, and say what the recursion costs. The follow-up "what if the tree is
    very deep?" separates those who know that recursion uses a stack frame per
    level from those who do not, and leads to the iterative traversals
    (breadth-first by levels, or depth-first with an explicit stack).

Common pitfalls:
    - Counting edges instead of nodes: starting the root at depth 0 gives
      the textbook height (a single node has height 0), one less than the
      depth asked for here. ``[1]`` must give 1.
    - Following only the left children, as if the tree were complete: the
      deepest leaf may be anywhere. ``[1, None, 2]`` must give 2, not 1.
    - Forgetting the empty tree: ``root`` may be ``None`` (0 nodes is
      allowed), and ``None.left`` raises ``AttributeError``. The answer is 0.
    - Walking up to the root from every node (after recording each node's
      parent in a dict) and keeping the longest walk: O(n h), which is O(n^2)
      on a tree that is one long path.
    - A ``visited`` list copied from a graph search: a tree has no cycles,
      so nothing needs remembering, and ``node in visited`` scans the list,
      O(n^2) in all. (The tests' nodes count each comparison made with them,
      so the scan is counted.)
    - The recursive one-liner on a deep tree. 10**4 nodes may form a single
      path, 10**4 levels deep, and CPython's default recursion limit is 1000
      frames (``sys.getrecursionlimit()`` on 3.11, 3.12 and 3.13), so it
      raises ``RecursionError`` on an input the constraints allow. The tests
      reject it on purpose. Recursive solutions are commonly posted as
      accepted on LeetCode; its judge's limit is not documented.
    - Raising the limit is not a reliable fix. Since 3.11 most calls from
      Python to Python use no C stack, so with ``sys.setrecursionlimit(20_000)``
      the one-liner ``1 + max(max_depth(root.left), max_depth(root.right))``
      does measure the 10**4-node path. Write the same recursion with a
      generator, ``1 + max(max_depth(c) for c in (root.left, root.right))``,
      and each level also runs through the C code of ``max()`` and the
      generator. On 3.12 and 3.13 a C recursion guard that the setting does
      not move limits that: it stops at 499 levels on 3.12.1 and at 4999 on
      3.13.0, even with the limit at 10**6. On 3.11.7 the setting still
      guards the C stack: with
      the limit at 200,000 it measures the 10**4 path, and with 10**6 a path
      of 20,000 levels overflows the C stack and the process dies with a
      segfault. (Measured by bisecting the deepest path that returns, on
      3.11.7, 3.12.1 and 3.13.0 with an 8 MiB stack.) The setting is also
      global to the process. Keep your own stack.

Key takeaways:
    - The definition is recursive: ``depth(None) == 0`` and
      ``depth(node) == 1 + max(depth(node.left), depth(node.right))``. Say it
      first; it is the proof that any traversal you write is right.
    - The reference is iterative, and the tests reject the recursive version,
      on purpose: a default interpreter cannot run it on every tree the
      constraints allow, and production code gets trees it did not choose.
      Recursion is fine to present in an interview as long as you name the
      depth limit and can write the loop.
    - Breadth-first by levels: replace the current level with its children
      until it is empty, and count the rounds. Each node is touched once.

What to look for in an answer:
    - Rubric: the recursive definition with the empty tree as its base case;
      nodes, not edges, counted; O(n) time; the space stated as O(h) for
      recursion or a depth-first stack and O(w) for breadth-first (h the
      height, w the widest level); the deep-tree problem named unprompted.
    - Follow-up: "The tree is 100,000 levels deep." Model answer: no
      recursion; a depth-first stack of ``(node, depth)`` pairs or
      breadth-first by levels. ``sys.setrecursionlimit`` is a workaround, not
      a fix: the one-liner with the limit raised to 200,000 does measure a
      100,000-node path (measured on 3.11.7, 3.12.1 and 3.13.0), but the
      setting is global, and a recursion through a builtin is stopped by the
      C recursion guard whatever the limit (see the pitfalls).
    - Follow-up: "Minimum depth instead (LeetCode 111)." Model answer:
      breadth-first and stop at the first leaf, a node with no children; the
      recursive version must not take ``min`` over a missing child, or a node
      with one child would count as a leaf.
    - Follow-up: "Is the tree balanced (LeetCode 110)?" Model answer: one
      post-order pass that returns each subtree's height, or -1 as soon as two
      sibling heights differ by more than one; O(n) instead of the O(n log n)
      to O(n^2) of calling the depth function at every node.

Complexity:
    O(n) time: every node is put in a level once. O(w) extra space for the
    widest level, at most about n / 2 nodes (the leaves of a complete tree);
    a chain needs O(1).
"""

from __future__ import annotations

from handbook.leetcode import TreeNode

DIFFICULTY = "Easy"
TAGS = ("tree", "depth-first search", "breadth-first search", "binary tree")
HINTS = (
    "The depth of a tree is one more than the depth of its deeper subtree, and "
    "the empty tree has depth 0. That definition is the whole answer; the rest "
    "is how to evaluate it.",
    "A path of 10**4 nodes is allowed, deeper than Python's default recursion "
    "limit. Go level by level instead: the children of one level are the next "
    "level, and the depth is the number of levels.",
)


def max_depth(root: TreeNode | None) -> int:
    """The number of nodes on the longest path from ``root`` down to a leaf.

    >>> from handbook.leetcode import build_tree
    >>> max_depth(build_tree([3, 9, 20, None, None, 15, 7]))
    3
    >>> max_depth(build_tree([1, None, 2]))
    2
    >>> max_depth(None)
    0
    """
    if root is None:
        return 0
    depth = 0
    level = [root]
    while level:
        depth += 1
        level = [child for node in level for child in (node.left, node.right) if child is not None]
    return depth
