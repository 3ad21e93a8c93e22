"""Tests for ds.traversals: the four orders agree recursive vs iterative; only loops go deep."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbook.ds.traversals import (
    TreeNode,
    from_level_order,
    inorder_iterative,
    inorder_recursive,
    level_order,
    level_order_recursive,
    postorder_iterative,
    postorder_recursive,
    preorder_iterative,
    preorder_recursive,
)

DEPTH = 10_000

#          1
#        /   \
#       2     3
#      / \     \
#     4   5     6
#        /
#       7
SAMPLE = [1, 2, 3, 4, 5, None, 6, None, None, 7]


def test_preorder_known_tree() -> None:
    tree = from_level_order(SAMPLE)
    assert preorder_iterative(tree) == [1, 2, 4, 5, 7, 3, 6]
    assert preorder_recursive(tree) == [1, 2, 4, 5, 7, 3, 6]


def test_inorder_known_tree() -> None:
    tree = from_level_order(SAMPLE)
    assert inorder_iterative(tree) == [4, 2, 7, 5, 1, 3, 6]
    assert inorder_recursive(tree) == [4, 2, 7, 5, 1, 3, 6]


def test_postorder_known_tree() -> None:
    tree = from_level_order(SAMPLE)
    assert postorder_iterative(tree) == [4, 7, 5, 2, 6, 3, 1]
    assert postorder_recursive(tree) == [4, 7, 5, 2, 6, 3, 1]


def test_level_order_known_tree() -> None:
    tree = from_level_order(SAMPLE)
    assert level_order(tree) == [[1], [2, 3], [4, 5, 6], [7]]
    assert level_order_recursive(tree) == [[1], [2, 3], [4, 5, 6], [7]]


def test_empty_tree() -> None:
    for walk in (preorder_iterative, inorder_iterative, postorder_iterative, preorder_recursive):
        assert walk(None) == []
    assert level_order(None) == level_order_recursive(None) == []


def test_from_level_order_rejects_orphans() -> None:
    with pytest.raises(ValueError, match="starts with None"):
        from_level_order([None, 1])
    with pytest.raises(ValueError, match="no parent"):
        from_level_order([1, None, None, 2])


# ---- depth: recursion hits the limit, loops do not --------------------------------------


def chain(depth: int, *, side: str) -> TreeNode[int]:
    """A degenerate tree: node i's only child is node i + 1, always on ``side``."""
    root = node = TreeNode(0)
    for value in range(1, depth):
        child = TreeNode(value)
        if side == "left":
            node.left = child
        else:
            node.right = child
        node = child
    return root


@pytest.fixture
def default_recursion_limit() -> Iterator[None]:
    """Pin CPython's default limit (1,000) so the test does not depend on the runner's."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


RECURSIVE: list[Callable[[TreeNode[int] | None], Any]] = [
    preorder_recursive,
    inorder_recursive,
    postorder_recursive,
    level_order_recursive,
]


@pytest.mark.usefixtures("default_recursion_limit")
@pytest.mark.parametrize("walk", RECURSIVE, ids=lambda f: f.__name__)
def test_recursive_walks_overflow_at_depth_10000(
    walk: Callable[[TreeNode[int] | None], Any],
) -> None:
    with pytest.raises(RecursionError):
        walk(chain(DEPTH, side="left"))


@pytest.mark.usefixtures("default_recursion_limit")
def test_iterative_inorder_handles_depth_10000() -> None:
    expected = list(range(DEPTH))
    assert inorder_iterative(chain(DEPTH, side="left")) == expected[::-1]
    assert inorder_iterative(chain(DEPTH, side="right")) == expected


@pytest.mark.usefixtures("default_recursion_limit")
@pytest.mark.parametrize("side", ["left", "right"])
def test_other_iterative_walks_handle_depth_10000(side: str) -> None:
    tree = chain(DEPTH, side=side)
    expected = list(range(DEPTH))
    assert preorder_iterative(tree) == expected
    assert postorder_iterative(tree) == expected[::-1]
    assert level_order(tree) == [[v] for v in expected]
    assert "TreeNode(2, ...)" in repr(tree)  # the repr stops at depth 3 instead of recursing


# ---- properties on arbitrary trees ------------------------------------------------------------


def trees() -> st.SearchStrategy[TreeNode[int] | None]:
    return st.recursive(
        st.none(),
        lambda children: st.builds(TreeNode, st.integers(0, 99), children, children),
        max_leaves=40,
    )


@given(trees())
def test_iterative_and_recursive_agree(tree: TreeNode[int] | None) -> None:
    assert preorder_iterative(tree) == preorder_recursive(tree)
    assert inorder_iterative(tree) == inorder_recursive(tree)
    assert postorder_iterative(tree) == postorder_recursive(tree)
    assert level_order(tree) == level_order_recursive(tree)
    pre = preorder_iterative(tree)
    assert sorted(inorder_iterative(tree)) == sorted(pre) == sorted(postorder_iterative(tree))
    assert sorted(v for level in level_order(tree) for v in level) == sorted(pre)


@given(st.lists(st.integers(), unique=True))
def test_inorder_of_a_bst_is_sorted(keys: list[int]) -> None:
    root: TreeNode[int] | None = None
    for key in keys:
        if root is None:
            root = TreeNode(key)
            continue
        node = root
        while True:
            side = "left" if key < node.value else "right"
            child = getattr(node, side)
            if child is None:
                setattr(node, side, TreeNode(key))
                break
            node = child
    assert inorder_iterative(root) == sorted(keys)
    if keys:
        assert preorder_iterative(root)[0] == keys[0]
        assert postorder_iterative(root)[-1] == keys[0]
