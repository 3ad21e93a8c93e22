"""Linked List Cycle: the examples, every small shape of list, an oracle on seeded
inputs, the longest lists the constraints allow, the input left unchanged, a linear
budget and O(1) extra memory."""

from __future__ import annotations

import random
import sys
import types
from pathlib import Path
from typing import Any

from handbook.leetcode import ListNode, build_list
from handbook.leetcode.testing import (
    ComplexityError,
    Solution,
    assert_constant_space,
    assert_time_budget,
    check,
)

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


def test_the_longest_list_without_a_cycle() -> None:
    # 10**4 nodes, the most the constraints allow, and the tests above stop at 101. A walk
    # capped at 10**4 steps ("more steps than nodes means a loop") is one step short here.
    check(has_cycle, build_list(range(10_000)), expected=False)


def test_10_000_nodes_need_no_deep_recursion() -> None:
    # CPython's default recursion limit is 1000 frames; a recursion that takes one call
    # per node, or per step of the slow pointer, nests 10**4 calls on this cycle.
    check(has_cycle, build_list(range(10_000), pos=0), expected=True)


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


def tail_to_itself(n: int) -> tuple[ListNode | None]:
    return (build_list(range(n), pos=n - 1),)


def test_time_is_linear() -> None:
    # An O(1)-memory check that walks the nodes before each node again, asking whether
    # its next is one of them, is O(n^2) on all three shapes.
    for make in (without_a_cycle, one_big_cycle, tail_to_itself):
        assert_time_budget(has_cycle, make, "O(n)")


def nested_calls(head: ListNode | None) -> int:
    """How deep calls to the solution file's functions nest while ``has_cycle(head)`` runs.

    tracemalloc cannot see this memory: since 3.11 the interpreter keeps Python frames on
    its own stack, allocated outside the allocators tracemalloc hooks, so a recursion
    that holds a frame per node shows a peak of 0 bytes."""
    filename = has_cycle.filename
    function = has_cycle.function()
    depth = deepest = 0

    def profile(frame: types.FrameType, event: str, arg: Any) -> None:
        nonlocal depth, deepest
        if frame.f_code.co_filename != filename:
            return
        if event == "call":
            depth += 1
            deepest = max(deepest, depth)
        elif event == "return":  # also when the frame ends by an exception
            depth -= 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        function(head)
    finally:
        sys.setprofile(previous)
    return deepest


def test_extra_memory_is_constant() -> None:
    # 64 and 1024 nodes: a set of the nodes seen grows by 38 KB (2 KB allowed). No larger:
    # an O(n^2) solution, which test_time_is_linear rejects, runs here to the end: 0.2 to
    # 0.3 s at 1024 nodes, 4 to 5 s at 4096 (rescans_the_prefix.py, 3.11.7 and 3.13.0).
    sizes = (64, 1024)
    for make, shape in ((without_a_cycle, "without a cycle"), (one_big_cycle, "one big cycle")):
        assert_constant_space(has_cycle, make, sizes)
        depths = [nested_calls(*make(n)) for n in sizes]
        if depths[-1] > depths[0]:
            raise ComplexityError(
                f"has_cycle on a list {shape}: calls in {Path(has_cycle.filename).name} "
                f"nest {depths[0]} deep at {sizes[0]} nodes and {depths[-1]} deep at "
                f"{sizes[-1]}; every call still waiting keeps a frame, so that is O(n) extra "
                "memory, however little each frame holds"
            )
