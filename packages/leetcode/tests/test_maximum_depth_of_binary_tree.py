"""Maximum Depth of Binary Tree: the examples, the edge cases, an oracle on seeded random
trees, a path of 10**4 nodes (which the constraints allow and recursion cannot reach under
CPython's default limit), and a linear budget."""

from __future__ import annotations

import random

from handbook.leetcode import TreeNode, build_tree
from handbook.leetcode.testing import CountedInt, Solution, assert_time_budget, check

max_depth = Solution("maximum_depth_of_binary_tree", "max_depth")


def oracle(root: TreeNode | None) -> int:
    """The definition itself, recursively: obviously right, and the random trees are shallow."""
    if root is None:
        return 0
    return 1 + max(oracle(root.left), oracle(root.right))


def random_tree(rng: random.Random, n: int) -> TreeNode | None:
    """A tree of ``n`` nodes of random shape: each new node hangs on a random free place."""
    if n == 0:
        return None
    root = TreeNode(rng.randint(-100, 100))
    free: list[tuple[TreeNode, str]] = [(root, "left"), (root, "right")]
    for _ in range(n - 1):
        parent, side = free.pop(rng.randrange(len(free)))
        child = TreeNode(rng.randint(-100, 100))
        setattr(parent, side, child)
        free += [(child, "left"), (child, "right")]
    return root


_COUNTED = CountedInt(0)


def _one_operation() -> None:
    # CountedInt counts each comparison made with it while count_operations runs.
    _COUNTED.__eq__(0)


class CountedTreeNode(TreeNode):
    """A TreeNode counted each time it is compared or hashed, as CountedInt is: then
    ``node in visited`` on a list costs the nodes it scans. It compares by identity, as
    TreeNode does."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        _one_operation()
        return self is other

    def __hash__(self) -> int:
        _one_operation()
        return object.__hash__(self)


def zigzag_path(n: int, node_type: type[TreeNode] = TreeNode) -> TreeNode:
    """``n`` nodes, each the only child of the one before, alternately left and right."""
    root = node = node_type(0)
    for i in range(1, n):
        child = node_type(i % 201 - 100)
        if i % 2:
            node.left = child
        else:
            node.right = child
        node = child
    return root


def test_the_statement_examples() -> None:
    check(max_depth, build_tree([3, 9, 20, None, None, 15, 7]), expected=3)
    check(max_depth, build_tree([1, None, 2]), expected=2)


def test_the_empty_tree_has_depth_0() -> None:
    check(max_depth, None, expected=0)


def test_depth_counts_nodes_not_edges() -> None:
    check(max_depth, build_tree([5]), expected=1)
    check(max_depth, build_tree([1, 2]), expected=2)
    check(max_depth, build_tree([1, 2, 3]), expected=2)


def test_the_deepest_leaf_may_be_on_the_right() -> None:
    check(max_depth, build_tree([1, None, 2]), expected=2)
    check(max_depth, build_tree([1, 2, 3, None, None, 4, None, None, 5]), expected=4)


def test_a_left_leaning_tree() -> None:
    check(max_depth, build_tree([1, 2, None, 3, None, 4]), expected=4)
    check(max_depth, build_tree([-100, 100, 0, -1, None, None, None, 7]), expected=4)


def test_a_path_of_10_000_nodes_needs_no_deep_recursion() -> None:
    # The constraints allow 10**4 nodes, all on one path; CPython's default recursion
    # limit is 1000 frames, so a solution that recurses once per level fails here.
    check(max_depth, zigzag_path(10_000), expected=10_000)


def test_matches_the_oracle_on_seeded_random_trees() -> None:
    rng = random.Random(20261206)
    for _ in range(300):
        root = random_tree(rng, rng.randint(0, 40))
        check(max_depth, root, expected=oracle(root))


def counted_path(n: int) -> tuple[TreeNode]:
    return (zigzag_path(n, CountedTreeNode),)


def test_time_is_linear() -> None:
    # A path is the worst case for walking up to the root from every node, and the nodes
    # count each comparison, so a visited list costs the nodes it scans (x10.6 to x11 from
    # 128 to 512 nodes). 512 at most, so that a recursive solution stays below CPython's
    # default limit of 1000 frames here and fails only the 10**4-node test, which names why.
    assert_time_budget(max_depth, counted_path, "O(n)", sizes=(32, 128, 512))
