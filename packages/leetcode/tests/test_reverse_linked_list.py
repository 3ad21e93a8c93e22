"""Reverse Linked List: the examples, the edge cases, an oracle on seeded inputs, and the
longest list the constraints allow, which a recursive solution cannot reach."""

from __future__ import annotations

import random

from handbook.leetcode import build_list, list_values
from handbook.leetcode.testing import Solution, check

reverse_list = Solution("reverse_linked_list", "reverse_list")


def reverses(values: list[int]) -> None:
    # The oracle: Python's own reversal of the values.
    check(reverse_list, build_list(values), expected=build_list(values[::-1]), key=list_values)


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


def test_every_node_is_kept() -> None:
    reverses([4, 8, 15, 16, 23, 42])
    reverses(list(range(100)))


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
