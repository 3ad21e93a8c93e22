"""Merge Two Sorted Lists: the examples, the edge cases, an oracle on seeded inputs,
splicing checked by node identity, and a linear budget."""

from __future__ import annotations

import random

from handbook.leetcode import ListNode, build_list, list_values
from handbook.leetcode.testing import Solution, assert_time_budget, check, counted_ints, short

merge_two_lists = Solution("merge_two_sorted_lists", "merge_two_lists")


def merges_to(list1: list[int], list2: list[int], expected: list[int]) -> None:
    check(
        merge_two_lists,
        build_list(list1),
        build_list(list2),
        expected=build_list(expected),
        key=list_values,
    )


def nodes(head: ListNode | None) -> list[ListNode]:
    """The nodes of a list, head first (at most 10_000, so that a cycle cannot hang)."""
    out: list[ListNode] = []
    while head is not None and len(out) < 10_000:
        out.append(head)
        head = head.next
    return out


def test_the_statement_examples() -> None:
    merges_to([1, 2, 4], [1, 3, 4], [1, 1, 2, 3, 4, 4])
    merges_to([], [], [])
    merges_to([], [0], [0])


def test_the_rest_of_the_longer_list_is_kept() -> None:
    merges_to([1, 2], [3, 4, 5], [1, 2, 3, 4, 5])
    merges_to([5, 6, 7], [1], [1, 5, 6, 7])
    merges_to([0], [], [0])


def test_no_placeholder_node_leads_the_answer() -> None:
    merges_to([], [], [])
    merges_to([-3], [7], [-3, 7])
    merges_to([2], [1], [1, 2])


def test_equal_values_from_both_lists() -> None:
    merges_to([1, 1, 1], [1, 1], [1, 1, 1, 1, 1])
    merges_to([2, 2, 3], [2, 3, 3], [2, 2, 2, 3, 3, 3])


def test_the_limits_of_the_constraints() -> None:
    merges_to([-100] * 50, [100] * 50, [-100] * 50 + [100] * 50)
    evens, odds = list(range(-100, 0, 2)), list(range(-99, 1, 2))
    merges_to(evens, odds, sorted(evens + odds))


def test_the_answer_reuses_the_input_nodes() -> None:
    list1, list2 = build_list([1, 3, 5]), build_list([2, 4, 6, 8])
    given = nodes(list1) + nodes(list2)  # held, so that no id is reused
    merged = merge_two_lists(list1, list2)
    got = nodes(merged)
    new = sum(all(node is not old for old in given) for node in got)
    shown = f"merge_two_lists([1, 3, 5], [2, 4, 6, 8]) returned {short(merged)}"
    assert new == 0, (
        f"{shown}: {new} of its {len(got)} nodes are not input nodes; "
        "splice the given nodes together, do not copy them"
    )
    assert len(got) == len(given), f"{shown}: {len(got)} nodes, but {len(given)} were given"


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261203)
    for _ in range(300):
        list1 = sorted(rng.randint(-100, 100) for _ in range(rng.randint(0, 12)))
        list2 = sorted(rng.randint(-100, 100) for _ in range(rng.randint(0, 12)))
        merges_to(list1, list2, sorted(list1 + list2))  # the oracle: sort both together


def interleaved(n: int) -> tuple[ListNode | None, ListNode | None]:
    # Evens against odds: the merge alternates between the lists to the last node.
    # 256 nodes at most, so that a recursive solution (fine at LeetCode's 50 + 50
    # nodes) stays far from CPython's default limit of 1000 frames.
    return build_list(counted_ints(range(0, n, 2))), build_list(counted_ints(range(1, n, 2)))


def test_time_is_linear() -> None:
    assert_time_budget(merge_two_lists, interleaved, "O(n)", sizes=(16, 64, 256))
