"""Maximum Depth of Binary Tree.

Given the root of a binary tree, return its maximum depth: the number of nodes
on the longest path from the root down to a leaf. The tests write a tree in
level order with None for a missing child: build_tree([3, 9, 20, None, None, 15, 7]).

Example 1: root = [3, 9, 20, None, None, 15, 7]  ->  3
Example 2: root = [1, None, 2]                   ->  2

Constraints: the tree has 0 to 10**4 nodes; -100 <= Node.val <= 100.

The tests run on a plain CPython, with its default recursion limit (1000), and
the constraints allow a tree that is one path of 10**4 nodes: a recursive
solution is correct, but it fails that test, on purpose. The tests also count
the operations your solution makes (O(n) expected).
"""

from __future__ import annotations

from handbook.leetcode import TreeNode


def max_depth(root: TreeNode | None) -> int:
    """The number of nodes on the longest path from ``root`` down to a leaf."""
    # TODO: write your solution, then run: uv run handbook practice maximum_depth_of_binary_tree
    raise NotImplementedError("max_depth is not written yet")
