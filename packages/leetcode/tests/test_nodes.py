"""ListNode and TreeNode helpers: LeetCode's notation converts both ways, bad input is refused."""

from __future__ import annotations

import random

import pytest

import handbook.leetcode
from handbook.leetcode import ListNode, TreeNode, build_list, build_tree, list_values, tree_values


def test_the_public_names_are_pinned() -> None:
    assert handbook.leetcode.__all__ == [
        "ListNode",
        "TreeNode",
        "build_list",
        "build_tree",
        "list_values",
        "tree_values",
    ]


def test_lists_round_trip() -> None:
    for values in ([], [1], [1, 2, 2, -3]):
        assert list_values(build_list(values)) == values


def test_a_cycle_links_the_tail_to_pos_and_is_not_walked_for_ever() -> None:
    head = build_list([3, 2, 0, -4], pos=1)
    assert head is not None
    assert head.next is not None
    assert head.next.next is not None
    tail = head.next.next.next
    assert tail is not None
    assert tail.next is head.next
    with pytest.raises(ValueError, match="the list has a cycle"):
        list_values(head)
    assert repr(head) == "ListNode([3, 2, 0, -4, ... (cycle)])"


@pytest.mark.parametrize("pos", [-2, 4])
def test_a_pos_outside_the_list_is_refused(pos: int) -> None:
    with pytest.raises(ValueError, match="pos must be -1 or an index"):
        build_list([1, 2, 3, 4], pos=pos)


def test_nodes_compare_by_identity_like_leetcodes() -> None:
    assert ListNode(1) != ListNode(1)
    assert len({ListNode(1), ListNode(1)}) == 2
    assert TreeNode(1) != TreeNode(1)


def test_trees_round_trip_in_level_order() -> None:
    rng = random.Random(7)
    for _ in range(200):
        values: list[int | None] = [rng.randint(0, 9)]
        # Random level-order lists: a None child never gets children of its own.
        open_slots = 2
        while open_slots and len(values) < 30:
            value = rng.randint(0, 9) if rng.random() < 0.7 else None
            values.append(value)
            open_slots += (2 if value is not None else 0) - 1
        while values and values[-1] is None:
            values.pop()
        assert tree_values(build_tree(values)) == values


def test_a_child_without_a_parent_is_refused() -> None:
    with pytest.raises(ValueError, match="None root"):
        build_tree([None, 1])
    with pytest.raises(ValueError, match="has no parent"):
        build_tree([1, None, None, 2])


def test_long_values_are_shortened_in_the_repr() -> None:
    assert repr(build_list(range(30))).endswith("19, ...])")
    assert repr(build_tree([1, 2, 3])) == "TreeNode([1, 2, 3])"
