"""Reverse Linked List: the examples, the edge cases, an oracle on seeded inputs, the input's
own nodes relinked, the longest list the constraints allow (which a recursive solution
cannot reach under CPython's default recursion limit), and a linear budget."""

from __future__ import annotations

import random

from handbook.leetcode import ListNode, build_list, list_values
from handbook.leetcode.testing import Solution, assert_time_budget, check, counted_ints, short

reverse_list = Solution("reverse_linked_list", "reverse_list")


def reverses(values: list[int]) -> None:
    # The oracle: Python's own reversal of the values.
    check(reverse_list, build_list(values), expected=build_list(values[::-1]), key=list_values)


def nodes(head: ListNode | None, most: int) -> list[ListNode]:
    """The nodes of a list, head first; at most ``most``, so that a cycle cannot hang."""
    out: list[ListNode] = []
    while head is not None and len(out) < most:
        out.append(head)
        head = head.next
    return out


def relinks(values: list[int]) -> None:
    """The answer must be the input's own nodes in reverse order: the old tail first."""
    head = build_list(values)
    given = nodes(head, len(values))  # held, so that no id is reused
    answer = reverse_list(head)
    got = nodes(answer, len(values) + 1)
    shown = f"reverse_list(build_list({short(values)})) returned {short(answer)}"
    new = sum(all(node is not old for old in given) for node in got)
    assert new == 0, (
        f"{shown}: {new} of its {len(got)} nodes are not input nodes; relink the given "
        "nodes, do not copy them (a copy costs O(n) extra memory)"
    )
    if got and got[0] is not given[-1]:
        which = next(i for i, node in enumerate(given) if node is got[0])
        raise AssertionError(
            f"{shown}: its head is the node at index {which} of the input, not the old "
            f"tail (index {len(values) - 1}); turn the links around, do not move the values"
        )
    assert len(got) == len(given), f"{shown}: {len(got)} nodes, but {len(given)} were given"
    assert all(node is old for node, old in zip(got, reversed(given), strict=True)), (
        f"{shown}: its nodes are not the input's nodes in reverse order"
    )


def test_the_statement_examples() -> None:
    reverses([1, 2, 3, 4, 5])
    reverses([1, 2])
    reverses([])


def test_one_node() -> None:
    reverses([7])
    reverses([-5000])


def test_the_new_head_is_the_old_tail() -> None:
    reverses([1, 2, 3])
    reverses([10, 20])
    relinks([1, 2, 3])
    relinks([10, 20])


def test_every_node_is_kept() -> None:
    reverses([4, 8, 15, 16, 23, 42])
    reverses(list(range(100)))


def test_the_nodes_are_relinked_not_copied() -> None:
    relinks([4, 8, 15, 16, 23, 42])
    relinks([5, 5, 5])


def test_duplicates_and_negative_values() -> None:
    reverses([3, 3, 3])
    reverses([-1, 0, -1, 2])
    reverses([5000, -5000, 0])


def test_5000_nodes_need_no_deep_recursion() -> None:
    # The constraints allow 5000 nodes; CPython's default recursion limit is 1000
    # frames, so a solution that recurses once per node raises RecursionError here.
    reverses([(i * 37) % 10001 - 5000 for i in range(5000)])


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261204)
    for _ in range(300):
        reverses([rng.randint(-5000, 5000) for _ in range(rng.randint(0, 30))])


def a_list(n: int) -> tuple[ListNode | None]:
    return (build_list(counted_ints(range(n))),)


def test_time_is_linear() -> None:
    # 256 nodes at most, so that a recursive reversal stays below CPython's default
    # limit of 1000 frames here and fails only the 5000-node test, which names why.
    assert_time_budget(reverse_list, a_list, "O(n)", sizes=(16, 64, 256))
