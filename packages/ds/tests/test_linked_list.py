"""Tests for ds.linked_list: the two-pointer walks on singly linked nodes; LinkedList vs a list."""

from __future__ import annotations

import struct
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from handbook.ds.linked_list import (
    LinkedList,
    Node,
    _DNode,
    cycle_start,
    from_values,
    has_cycle,
    middle_node,
    reverse_list,
    to_values,
)

# Stateful runs are the slowest tests: a few dozen short programs each keep the suite fast.
MACHINE_SETTINGS = settings(max_examples=40, stateful_step_count=30, deadline=None)


def with_cycle(n: int, start: int) -> tuple[Node[int], Node[int]]:
    """A list 0..n-1 whose last node points back to node ``start``; returns (head, that node)."""
    head = from_values(range(n))
    assert head is not None
    nodes = [head]
    while nodes[-1].next is not None:
        nodes.append(nodes[-1].next)
    nodes[-1].next = nodes[start]
    return head, nodes[start]


# --- the lesson ------------------------------------------------------------------------------


@given(st.lists(st.integers(), max_size=30))
def test_reverse_list_reverses_in_place(values: list[int]) -> None:
    head = from_values(values)
    nodes = []
    node = head
    while node is not None:
        nodes.append(node)
        node = node.next
    new_head = reverse_list(head)
    assert to_values(new_head) == values[::-1]
    if nodes:
        assert new_head is nodes[-1]  # the same nodes, relinked: O(1) extra memory


def test_has_cycle_is_false_for_every_acyclic_length() -> None:
    for n in range(12):
        assert has_cycle(from_values(range(n))) is False, f"a list of {n} nodes has no cycle"
        assert cycle_start(from_values(range(n))) is None


@pytest.mark.parametrize(("n", "start"), [(1, 0), (2, 0), (2, 1), (5, 0), (5, 2), (10, 9), (11, 4)])
def test_floyd_finds_the_cycle_and_its_first_node(n: int, start: int) -> None:
    head, first = with_cycle(n, start)
    assert has_cycle(head)
    assert cycle_start(head) is first


@pytest.mark.parametrize(("n", "middle"), [(1, 0), (2, 1), (3, 1), (4, 2), (7, 3), (8, 4)])
def test_middle_node_takes_the_second_middle_on_even_lengths(n: int, middle: int) -> None:
    node = middle_node(from_values(range(n)))
    assert node is not None
    assert node.value == middle


def test_helpers_on_empty_and_cyclic_lists() -> None:
    assert from_values([]) is None
    assert middle_node(None) is None
    assert reverse_list(None) is None
    head, _ = with_cycle(3, 0)
    assert to_values(head, limit=7) == [0, 1, 2, 0, 1, 2, 0]
    assert repr(head) == "Node(0)"


# --- LinkedList ------------------------------------------------------------------------------


def test_linked_list_both_ends() -> None:
    xs = LinkedList([2, 3])
    xs.appendleft(1)
    xs.append(4)
    xs._check()
    assert list(xs) == [1, 2, 3, 4]
    assert list(reversed(xs)) == [4, 3, 2, 1]
    assert xs.popleft() == 1
    assert xs.pop() == 4
    xs._check()
    assert xs == LinkedList([2, 3])
    assert len(xs) == 2


def test_empty_pops_raise_index_error_naming_the_list() -> None:
    xs = LinkedList[int]()
    with pytest.raises(IndexError, match="pop from an empty LinkedList"):
        xs.pop()
    with pytest.raises(IndexError, match="popleft from an empty LinkedList"):
        xs.popleft()
    xs._check()
    assert not xs


def test_remove_unlinks_in_both_directions() -> None:
    xs = LinkedList([1, 2, 3, 2])
    xs.remove(2)
    xs._check()
    assert list(xs) == [1, 3, 2]
    assert list(reversed(xs)) == [2, 3, 1]


def test_remove_missing_raises_value_error_and_changes_nothing() -> None:
    xs = LinkedList([1, 2])
    with pytest.raises(ValueError, match="not in list"):
        xs.remove(5)
    xs._check()
    assert list(xs) == [1, 2]


class ExplodingEq:
    def __eq__(self, other: object) -> bool:
        raise RuntimeError("cannot compare")

    __hash__ = object.__hash__


def test_remove_with_raising_eq_leaves_the_list_unchanged() -> None:
    xs: LinkedList[object] = LinkedList([1, 2])
    with pytest.raises(RuntimeError, match="cannot compare"):
        xs.remove(ExplodingEq())
    xs._check()
    assert list(xs) == [1, 2]


def test_reverse_and_membership() -> None:
    xs = LinkedList("abc")
    xs.reverse()
    xs._check()
    assert list(xs) == ["c", "b", "a"]
    assert list(reversed(xs)) == ["a", "b", "c"]
    assert "b" in xs
    assert "z" not in xs
    empty = LinkedList[int]()
    empty.reverse()
    empty._check()
    assert list(empty) == []


def test_equality_and_repr() -> None:
    assert LinkedList([1, 2]) == LinkedList([1, 2])
    assert LinkedList([1, 2]) != LinkedList([2, 1])
    assert LinkedList([1]) != LinkedList([1, 1])
    assert LinkedList([1]) != [1]
    assert repr(LinkedList("ab")) == "LinkedList(['a', 'b'])"
    assert repr(LinkedList(range(12))).endswith("...<2 more>])")


def test_mutation_during_iteration_raises() -> None:
    xs = LinkedList([1, 2, 3])
    it = iter(xs)
    assert next(it) == 1
    xs.append(4)
    with pytest.raises(RuntimeError, match="mutated during iteration"):
        next(it)


class LinkedListMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.xs = LinkedList[int]()
        self.model: list[int] = []

    @rule(x=st.integers(0, 5))
    def append(self, x: int) -> None:
        self.xs.append(x)
        self.model.append(x)

    @rule(x=st.integers(0, 5))
    def appendleft(self, x: int) -> None:
        self.xs.appendleft(x)
        self.model.insert(0, x)

    @precondition(lambda self: self.model)
    @rule()
    def pop(self) -> None:
        assert self.xs.pop() == self.model.pop()

    @precondition(lambda self: self.model)
    @rule()
    def popleft(self) -> None:
        assert self.xs.popleft() == self.model.pop(0)

    @rule(x=st.integers(0, 5))
    def remove(self, x: int) -> None:
        if x in self.model:
            self.xs.remove(x)
            self.model.remove(x)
        else:
            with pytest.raises(ValueError, match="not in list"):
                self.xs.remove(x)

    @rule()
    def reverse(self) -> None:
        self.xs.reverse()
        self.model.reverse()

    @invariant()
    def matches_model(self) -> None:
        self.xs._check()
        assert list(self.xs) == self.model
        assert list(reversed(self.xs)) == self.model[::-1]
        assert len(self.xs) == len(self.model)


TestLinkedListMachine = LinkedListMachine.TestCase
TestLinkedListMachine.settings = MACHINE_SETTINGS


def test_a_node_costs_six_words_where_a_list_slot_costs_one() -> None:
    pointer = struct.calcsize("P")  # 8 on a 64-bit build
    # A __slots__ object: reference count and type (2 words) plus one word per slot, and
    # getsizeof adds the 2-word header the cyclic garbage collector keeps in front of it.
    assert sys.getsizeof(Node(0)) == (2 + 2 + 2) * pointer  # next, value: 48 bytes
    assert sys.getsizeof(_DNode[int]()) == (2 + 2 + 3) * pointer  # next, prev, value: 56 bytes
    slots = [None] * 1000
    assert sys.getsizeof(slots) - sys.getsizeof([]) == 1000 * pointer
