"""LeetCode-style problems to practise on, each with tests that check your own solution.

Each problem is a module of this package (``handbook list leetcode``) holding its
statement, hints and a reference solution; ``handbook practice <slug>`` copies
the problem's stub to ``practice/<slug>.py`` and runs the problem's tests
against it. ``ListNode`` and ``TreeNode`` are LeetCode's node shapes.
"""

from handbook.leetcode._nodes import (
    ListNode,
    TreeNode,
    build_list,
    build_tree,
    list_values,
    tree_values,
)

__all__ = ["ListNode", "TreeNode", "build_list", "build_tree", "list_values", "tree_values"]
