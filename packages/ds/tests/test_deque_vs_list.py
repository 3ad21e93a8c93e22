"""Tests for ds.deque_vs_list: counted moves prove the costs; the classes match list models."""

from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from handbook.ds.deque_vs_list import (
    GrowableRingQueue,
    Queue,
    RingBuffer,
    ShiftingArrayQueue,
    Stack,
)

# --- the lesson: count element moves, never time --------------------------------------------

# Stateful runs are the slowest tests: a few dozen short programs each keep the suite fast.
MACHINE_SETTINGS = settings(max_examples=40, stateful_step_count=30, deadline=None)


@pytest.mark.parametrize("n", [1, 10, 200])
def test_draining_a_shifting_array_from_the_front_is_quadratic(n: int) -> None:
    q = ShiftingArrayQueue[int]()
    for i in range(n):
        q.push(i)
    assert [q.pop_front() for _ in range(n)] == list(range(n))
    assert q.moves == n * (n - 1) // 2


@pytest.mark.parametrize("n", [1, 10, 200, 1000])
def test_ring_queue_pops_move_nothing_and_growth_is_linear(n: int) -> None:
    q = GrowableRingQueue[int]()
    for i in range(n):
        q.push(i)
    moves_after_pushes = q.moves
    assert moves_after_pushes < 2 * n  # 8 + 16 + ... < 2n: doubling makes growth amortized O(1)
    assert [q.pop_front() for _ in range(n)] == list(range(n))
    assert q.moves == moves_after_pushes  # popleft-style pops never move an element


def test_ring_queue_keeps_fifo_order_across_wraparound_and_growth() -> None:
    q = GrowableRingQueue[int]()
    capacity = GrowableRingQueue.INITIAL_CAPACITY
    for i in range(capacity):
        q.push(i)
    assert [q.pop_front() for _ in range(3)] == [0, 1, 2]
    for i in range(capacity, capacity + 4):  # wraps around, fills up, then grows with head == 3
        q.push(i)
    assert [q.pop_front() for _ in range(len(q))] == list(range(3, capacity + 4))


def test_lesson_queues_raise_on_empty_pop() -> None:
    with pytest.raises(IndexError, match="empty ShiftingArrayQueue"):
        ShiftingArrayQueue[int]().pop_front()
    with pytest.raises(IndexError, match="empty GrowableRingQueue"):
        GrowableRingQueue[int]().pop_front()


# --- Stack -----------------------------------------------------------------------------------


def test_stack_is_lifo_and_iterates_top_to_bottom() -> None:
    s = Stack([1, 2])
    s.push(3)
    s._check()
    assert list(s) == [3, 2, 1]
    assert s.peek() == 3
    assert len(s) == 3
    assert s.pop() == 3
    assert s == Stack([1, 2])
    assert s != Stack([2, 1])
    assert s != [1, 2]
    assert bool(s)
    assert not Stack()


def test_stack_empty_errors_name_the_stack() -> None:
    s = Stack[int]()
    with pytest.raises(IndexError, match="pop from an empty Stack"):
        s.pop()
    with pytest.raises(IndexError, match="peek at an empty Stack"):
        s.peek()
    s._check()
    assert len(s) == 0


def test_stack_repr_shows_contents_and_truncates() -> None:
    assert repr(Stack([1, 2])) == "Stack([1, 2])"
    big = repr(Stack(range(1000)))
    assert big.startswith("Stack([0, 1, 2,")
    assert big.endswith("...<990 more>])")


# --- Queue -----------------------------------------------------------------------------------


def test_queue_is_fifo_and_iterates_front_to_back() -> None:
    q = Queue([1, 2])
    q.enqueue(3)
    q._check()
    assert list(q) == [1, 2, 3]
    assert q.peek() == 1
    assert q.dequeue() == 1
    assert q == Queue([2, 3])
    assert q != Queue([3, 2])
    assert len(q) == 2
    assert repr(q) == "Queue([2, 3])"
    assert not Queue()


def test_queue_empty_errors_name_the_queue() -> None:
    q = Queue[int]()
    with pytest.raises(IndexError, match="dequeue from an empty Queue"):
        q.dequeue()
    with pytest.raises(IndexError, match="peek at an empty Queue"):
        q.peek()
    q._check()


@pytest.mark.parametrize(
    "clone", [copy.copy, copy.deepcopy, lambda q: pickle.loads(pickle.dumps(q))]
)
def test_queue_copies_enqueue_into_their_own_deque(clone: object) -> None:
    original = Queue([1])
    duplicate = clone(original)  # type: ignore[operator]
    duplicate.enqueue(2)
    duplicate._check()
    assert list(original) == [1]
    assert list(duplicate) == [1, 2]


# --- RingBuffer ------------------------------------------------------------------------------


def test_ring_buffer_overwrites_oldest() -> None:
    r = RingBuffer[int](3)
    for i in range(3):
        r.append(i)
        r._check()
    assert r.full
    assert list(r) == [0, 1, 2]
    for i in range(3, 8):
        r.append(i)
        r._check()
        assert list(r) == [i - 2, i - 1, i]
        assert [r[0], r[1], r[2]] == [i - 2, i - 1, i]
        assert [r[-3], r[-1]] == [i - 2, i]


def test_ring_buffer_indexing_errors() -> None:
    r = RingBuffer(4, "ab")
    assert r.full is False
    assert len(r) == 2
    assert r.capacity == 4
    for bad in (2, -3):
        with pytest.raises(IndexError, match="out of range"):
            r[bad]
    with pytest.raises(TypeError):
        r["0"]  # type: ignore[index]
    r._check()


@pytest.mark.parametrize("capacity", [0, -1])
def test_ring_buffer_rejects_bad_capacity(capacity: int) -> None:
    with pytest.raises(ValueError, match="capacity must be >= 1"):
        RingBuffer[int](capacity)


def test_ring_buffer_rejects_non_integer_capacity() -> None:
    with pytest.raises(TypeError, match="RingBuffer capacity must be an int, got float"):
        RingBuffer[int](2.5)  # type: ignore[arg-type]


def test_ring_buffer_equality_and_repr() -> None:
    assert RingBuffer(2, "abc") == RingBuffer(2, "bc")
    assert RingBuffer(2, "bc") != RingBuffer(3, "bc")
    assert RingBuffer(2, "bc") != ["b", "c"]
    assert repr(RingBuffer(2, "abc")) == "RingBuffer(2, ['b', 'c'])"
    assert repr(RingBuffer(20, range(15))).endswith("...<5 more>])")


# --- stateful property tests against plain lists ---------------------------------------------


class StackMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.stack = Stack[int]()
        self.model: list[int] = []

    @rule(x=st.integers())
    def push(self, x: int) -> None:
        self.stack.push(x)
        self.model.append(x)

    @precondition(lambda self: self.model)
    @rule()
    def pop(self) -> None:
        assert self.stack.pop() == self.model.pop()

    @precondition(lambda self: not self.model)
    @rule()
    def pop_empty(self) -> None:
        with pytest.raises(IndexError):
            self.stack.pop()

    @invariant()
    def matches_model(self) -> None:
        self.stack._check()
        assert list(self.stack) == self.model[::-1]
        assert len(self.stack) == len(self.model)
        if self.model:
            assert self.stack.peek() == self.model[-1]


class QueueMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.queue = Queue[int]()
        self.model: list[int] = []

    @rule(x=st.integers())
    def enqueue(self, x: int) -> None:
        self.queue.enqueue(x)
        self.model.append(x)

    @precondition(lambda self: self.model)
    @rule()
    def dequeue(self) -> None:
        assert self.queue.dequeue() == self.model.pop(0)

    @precondition(lambda self: not self.model)
    @rule()
    def dequeue_empty(self) -> None:
        with pytest.raises(IndexError):
            self.queue.dequeue()

    @invariant()
    def matches_model(self) -> None:
        self.queue._check()
        assert list(self.queue) == self.model
        if self.model:
            assert self.queue.peek() == self.model[0]


class RingBufferMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.capacity = 3
        self.ring = RingBuffer[int](self.capacity)
        self.model: list[int] = []

    @rule(x=st.integers())
    def append(self, x: int) -> None:
        self.ring.append(x)
        self.model = [*self.model, x][-self.capacity :]

    @rule(i=st.integers(min_value=-5, max_value=5))
    def index(self, i: int) -> None:
        if -len(self.model) <= i < len(self.model):
            assert self.ring[i] == self.model[i]
        else:
            with pytest.raises(IndexError):
                self.ring[i]

    @invariant()
    def matches_model(self) -> None:
        self.ring._check()
        assert list(self.ring) == self.model
        assert self.ring.full is (len(self.model) == self.capacity)


TestStackMachine = StackMachine.TestCase
TestStackMachine.settings = MACHINE_SETTINGS
TestQueueMachine = QueueMachine.TestCase
TestQueueMachine.settings = MACHINE_SETTINGS
TestRingBufferMachine = RingBufferMachine.TestCase
TestRingBufferMachine.settings = MACHINE_SETTINGS
