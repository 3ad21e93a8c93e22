"""Records each node's parent, then walks up to the root from every node and keeps the
longest walk: O(n h) time, O(n^2) on a tree that is one long path."""

from __future__ import annotations

from handbook.leetcode import TreeNode


def max_depth(root: TreeNode | None) -> int:
    if root is None:
        return 0
    parent: dict[TreeNode, TreeNode | None] = {root: None}
    stack = [root]
    while stack:
        node = stack.pop()
        for child in (node.left, node.right):
            if child is not None:
                parent[child] = node
                stack.append(child)
    deepest = 0
    for start in parent:
        depth = 0
        walker: TreeNode | None = start
        while walker is not None:
            depth += 1
            walker = parent[walker]
        deepest = max(deepest, depth)
    return deepest
