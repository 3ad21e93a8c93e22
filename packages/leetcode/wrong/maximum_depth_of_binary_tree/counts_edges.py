"""Puts the root at depth 0 and so counts edges (the height), one less than the nodes."""

from __future__ import annotations

from handbook.leetcode import TreeNode


def max_depth(root: TreeNode | None) -> int:
    if root is None:
        return 0
    deepest = 0
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        for child in (node.left, node.right):
            if child is not None:
                stack.append((child, depth + 1))
    return deepest
