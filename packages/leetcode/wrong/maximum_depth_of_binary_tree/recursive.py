"""The recursive one-liner: one stack frame per level, so a path of 10**4 nodes passes
CPython's default recursion limit of 1000."""

from __future__ import annotations

from handbook.leetcode import TreeNode


def max_depth(root: TreeNode | None) -> int:
    if root is None:
        return 0
    return 1 + max(max_depth(root.left), max_depth(root.right))
