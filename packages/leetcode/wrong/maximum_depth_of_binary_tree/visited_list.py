"""An iterative depth-first search that remembers the nodes it has visited in a list, as a
graph search would: ``node in visited`` scans the list, so the search is O(n^2)."""

from __future__ import annotations

from handbook.leetcode import TreeNode


def max_depth(root: TreeNode | None) -> int:
    if root is None:
        return 0
    visited: list[TreeNode] = []
    stack = [(root, 1)]
    deepest = 0
    while stack:
        node, depth = stack.pop()
        if node in visited:
            continue
        visited.append(node)
        deepest = max(deepest, depth)
        for child in (node.left, node.right):
            if child is not None:
                stack.append((child, depth + 1))
    return deepest
