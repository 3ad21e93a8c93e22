"""Goes level by level but assumes a root exists: the empty tree raises AttributeError."""

from __future__ import annotations

from handbook.leetcode import TreeNode


def max_depth(root: TreeNode) -> int:
    depth = 0
    level = [root]
    while level:
        depth += 1
        level = [child for node in level for child in (node.left, node.right) if child is not None]
    return depth
