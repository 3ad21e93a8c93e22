"""Walks down the left children only, as if the tree were complete."""

from __future__ import annotations

from handbook.leetcode import TreeNode


def max_depth(root: TreeNode | None) -> int:
    depth = 0
    node = root
    while node is not None:
        depth += 1
        node = node.left
    return depth
