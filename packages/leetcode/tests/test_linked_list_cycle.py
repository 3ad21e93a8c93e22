"""Linked List Cycle: the examples, every small shape of list, an oracle on seeded
inputs, the input left unchanged, and O(1) extra memory."""

from __future__ import annotations

import random

from handbook.leetcode import ListNode, build_list
from handbook.leetcode.testing import Solution, assert_constant_space, check

has_cycle = Solution("linked_list_cycle", "has_cycle")


def oracle(head: ListNode | None) -> bool:
    """Walk and remember every node by identity: obviously right, O(n) memory."""
    seen: set[int] = set()
    while head is not None:
        if id(head) in seen:
            return True
        seen.add(id(head))
        head = head.next
    return False


def test_the_statement_examples() -> None:
    check(has_cycle, build_list([3, 2, 0, -4], pos=1), expected=True)
    check(has_cycle, build_list([1, 2], pos=0), expected=True)
    check(has_cycle, build_list([1], pos=-1), expected=False)


def test_the_empty_list() -> None:
    check(has_cycle, None, expected=False)


def test_a_node_linked_to_itself() -> None:
    check(has_cycle, build_list([1], pos=0), expected=True)
    check(has_cycle, build_list([1, 2, 3], pos=2), expected=True)


def test_lists_of_odd_length_without_a_cycle() -> None:
    for n in (1, 3, 5, 101):
        check(has_cycle, build_list(range(n)), expected=False)


def test_lists_of_even_length_without_a_cycle() -> None:
    for n in (2, 4, 100):
        check(has_cycle, build_list(range(n)), expected=False)


def test_repeated_values_are_not_a_cycle() -> None:
    check(has_cycle, build_list([1, 1]), expected=False)
    check(has_cycle, build_list([7, 3, 7, 3, 7]), expected=False)
    check(has_cycle, build_list([0, 0, 0], pos=1), expected=True)


def test_every_length_and_every_pos_up_to_12() -> None:
    for n in range(1, 13):
        for pos in range(-1, n):
            check(has_cycle, build_list(range(n), pos), expected=pos >= 0)


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261205)
    for _ in range(300):
        values = [rng.randint(-(10**5), 10**5) for _ in range(rng.randint(0, 40))]
        pos = rng.randint(-1, len(values) - 1) if rng.random() < 0.6 else -1
        head = build_list(values, pos)
        check(has_cycle, head, expected=oracle(head))


def test_the_list_is_unchanged_after_the_call() -> None:
    for values, pos in (([3, 2, 0, -4], 1), ([1, 2, 3], -1), ([5], 0), ([8, 9], -1)):
        head = build_list(values, pos)
        nodes: list[ListNode] = []
        node = head
        for _ in values:
            assert node is not None
            nodes.append(node)
            node = node.next
        links = [(n.val, n.next) for n in nodes]
        check(has_cycle, head, expected=pos >= 0)
        after = [(n.val, n.next) for n in nodes]
        changed = [
            i
            for i, ((val, link), (now_val, now_link)) in enumerate(zip(links, after, strict=True))
            if val != now_val or link is not now_link
        ]
        assert not changed, (
            f"has_cycle(build_list({values}, pos={pos})) changed the list: the values "
            f"went from {[v for v, _ in links]} to {[v for v, _ in after]}, and the links "
            f"of the nodes at {changed} were touched; a check must leave its input as it was"
        )


def without_a_cycle(n: int) -> tuple[ListNode | None]:
    return (build_list(range(n)),)


def one_big_cycle(n: int) -> tuple[ListNode | None]:
    return (build_list(range(n), pos=0),)


def test_extra_memory_is_constant() -> None:
    # 64 and 4096 nodes: a set of the nodes seen grows by well over 100 KB.
    assert_constant_space(has_cycle, without_a_cycle)
    assert_constant_space(has_cycle, one_big_cycle)
