"""Tests for ds.heap: counted sifts prove the O(n) build; the heaps match a list model."""

from __future__ import annotations

import heapq
import importlib.util
import random
import sys
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import handbook.ds.heap as heap_module
from handbook.ds.heap import (
    Counts,
    IndexedPriorityQueue,
    MaxHeap,
    MinHeap,
    _undo_push,
    build_by_pushing,
    heapify_bottom_up,
    sift_down,
)

# Stateful runs are the slowest tests: a few dozen short programs each keep the suite fast.
MACHINE_SETTINGS = settings(max_examples=40, stateful_step_count=30, deadline=None)


def is_min_heap(items: list[Any]) -> bool:
    return all(not items[i] < items[(i - 1) // 2] for i in range(1, len(items)))


class Picky:
    """Compares with ints, except that comparing with ``refuse`` raises TypeError."""

    def __init__(self, value: float, refuse: int) -> None:
        self.value = value
        self.refuse = refuse

    def __lt__(self, other: object) -> bool:
        if other == self.refuse:
            raise TypeError(f"Picky refuses to compare with {other!r}")
        assert isinstance(other, int)
        return self.value < other

    def __gt__(self, other: object) -> bool:
        if other == self.refuse:
            raise TypeError(f"Picky refuses to compare with {other!r}")
        assert isinstance(other, int)
        return self.value > other


class CountingInt:
    """An int wrapper that counts every ``<``: evidence for the O(n) build."""

    calls = 0

    def __init__(self, value: int) -> None:
        self.value = value

    def __lt__(self, other: CountingInt) -> bool:
        CountingInt.calls += 1
        return self.value < other.value


def same_objects(a: list[Any], b: list[Any]) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


# --- the lesson: count the work --------------------------------------------------------------


def test_bottom_up_heapify_is_linear_and_pushing_is_n_log_n() -> None:
    n = 1023  # a perfect tree of height 9
    descending = list(range(n, 0, -1))  # the worst case for both builds
    built = list(descending)
    floyd = heapify_bottom_up(built)
    pushed, pushing = build_by_pushing(descending)
    assert is_min_heap(built)
    assert is_min_heap(pushed)
    # Floyd: every node sinks to a leaf; the heights of a perfect tree sum to n - 10.
    assert floyd.swaps == n - 10 == 1013
    assert floyd.comparisons == 2 * floyd.swaps
    # Pushing: every new item is the smallest and climbs to the root: sum of depths.
    assert pushing.swaps == sum((i + 1).bit_length() - 1 for i in range(n)) == 8194
    assert pushing.swaps > 8 * floyd.swaps


def test_heapify_bottom_up_produces_a_heap() -> None:
    items = list(range(15, 0, -1))
    heapify_bottom_up(items)
    assert is_min_heap(items), items
    assert sorted(items) == list(range(1, 16))


@given(st.lists(st.integers(), max_size=200))
def test_heapify_bottom_up_is_a_heap_with_fewer_than_n_swaps(values: list[int]) -> None:
    items = list(values)
    counts = heapify_bottom_up(items)
    assert is_min_heap(items)
    assert sorted(items) == sorted(values)
    assert counts.swaps <= len(values)
    assert counts.comparisons <= 2 * len(values)


# --- MinHeap / MaxHeap -----------------------------------------------------------------------


@given(st.lists(st.integers()), st.lists(st.integers()))
def test_min_heap_pops_in_sorted_order(initial: list[int], pushed: list[int]) -> None:
    h = MinHeap(initial)
    for x in pushed:
        h.push(x)
        h._check()
    assert [h.pop() for _ in range(len(h))] == sorted(initial + pushed)


@given(st.lists(st.text(max_size=3)))
def test_max_heap_pops_any_comparable_items_largest_first(values: list[str]) -> None:
    h = MaxHeap(values)
    h._check()
    assert [h.pop() for _ in range(len(h))] == sorted(values, reverse=True)


def test_key_orders_by_key_and_keeps_insertion_order_for_ties() -> None:
    # Insertion order differs from the items' own order within each length ("cc" before "bb",
    # "d" before "a"), so ties broken by comparing the items would come out the other way.
    words = ["cc", "d", "bb", "a", "eee"]
    h = MinHeap(words, key=len)
    assert [h.pop() for _ in range(5)] == ["d", "a", "cc", "bb", "eee"]
    m = MaxHeap(words, key=len)
    assert [m.pop() for _ in range(5)] == ["eee", "cc", "bb", "d", "a"]


@given(st.lists(st.text(alphabet="abc", max_size=3), max_size=30))
def test_with_a_key_equal_keys_come_out_first_in_first_out(words: list[str]) -> None:
    h = MinHeap(words[: len(words) // 2], key=len)  # half built at once, half pushed
    for word in words[len(words) // 2 :]:
        h.push(word)
    # sorted() is stable: among equal lengths it keeps the insertion order.
    assert [h.pop() for _ in range(len(h))] == sorted(words, key=len)


class Tagged:
    """Ordered by ``priority`` alone, so two Tagged with one priority are equal to ``<``."""

    def __init__(self, priority: int, tag: str) -> None:
        self.priority = priority
        self.tag = tag

    def __lt__(self, other: Tagged) -> bool:
        return self.priority < other.priority


def test_without_a_key_equal_items_lose_their_insertion_order() -> None:
    h = MinHeap[Tagged]()
    for tag in "abcd":
        h.push(Tagged(1, tag))  # never smaller than its parent: the list stays [a, b, c, d]
    # pop() returns a and moves d to the root; heapq then sifts the hole down into the
    # *right* child on a tie (``not left < right``), so c climbs to the root before b.
    assert [h.pop().tag for _ in range(4)] == ["a", "c", "b", "d"]
    keyed = MinHeap[Tagged](key=lambda t: t.priority)
    for tag in "abcd":
        keyed.push(Tagged(1, tag))
    assert [keyed.pop().tag for _ in range(4)] == ["a", "b", "c", "d"]


def test_key_means_items_are_never_compared() -> None:
    h = MinHeap[dict[str, int]](key=lambda d: d["p"])
    for p in (2, 1, 2, 1):
        h.push({"p": p})
    h._check()
    assert [h.pop()["p"] for _ in range(4)] == [1, 1, 2, 2]


def comparisons_to_build(values: list[int]) -> tuple[int, int]:
    """``<`` calls made by ``MinHeap(values)`` (heapify) and by pushing the values one by one."""
    items = [CountingInt(v) for v in values]
    CountingInt.calls = 0
    MinHeap(items)
    heapified = CountingInt.calls
    CountingInt.calls = 0
    pushed = MinHeap[CountingInt]()
    for item in items:
        pushed.push(item)
    return heapified, CountingInt.calls


def test_building_from_an_iterable_is_linear_and_pushing_is_not() -> None:
    n = 2000
    heapified, pushed = comparisons_to_build(list(range(n, 0, -1)))
    # heapq.heapify sinks each parent to a leaf (one comparison per level, between the
    # children) and lets it climb back (at most one per level): at most twice the sum
    # of the node heights, which is below n.
    assert heapified < 2 * n
    # Descending input: each pushed item is the new minimum and climbs to the root, one
    # comparison per level of its depth.
    assert pushed == sum((i + 1).bit_length() - 1 for i in range(n)) == 17_964
    # So pushing costs more than 4 * 2n > 4x the heapify here, and the gap grows with
    # log2(n): n(log2 n - 2) against at most 2n.
    assert pushed > 4 * (2 * n) > 4 * heapified


def test_on_random_input_pushing_is_cheap_too() -> None:
    rng = random.Random(7)
    n = 2000
    values = [rng.randrange(10_000) for _ in range(n)]
    heapified, pushed = comparisons_to_build(values)
    assert heapified < 2 * n  # the same bound as for any input
    # heapq's push is the lesson's sift-up: one comparison per level climbed, plus the
    # one that stops the climb (none for an item that reaches the root).
    _, counts = build_by_pushing(values)
    assert pushed == counts.comparisons
    # Repeated random pushes climb about 1.26 levels each. Over 300 seeds of this input
    # (n = 2,000, values below 10,000) the swaps per push average 1.257 and the
    # comparisons 2.253, both with a standard deviation of 0.033 between seeds: the bands
    # below are about 4.5 of those either side. Porter and Simon's 1.61 levels (one
    # insertion into a *random* heap) would mean some 2.6n comparisons, outside the band,
    # and the n log2 n worst case (about 11n here) is far outside it.
    assert 1.1 * n < counts.swaps < 1.4 * n
    assert 2.1 * n < pushed < 2.4 * n


def textbook_pop_comparisons(values: list[int]) -> int:
    """Comparisons for n pops that sift the moved item down until it fits (2 per level)."""
    heap = list(values)
    heapify_bottom_up(heap)
    counts = Counts()
    while heap:
        last = heap.pop()
        if heap:
            heap[0] = last
            sift_down(heap, 0, counts)
    return counts.comparisons


def test_heapq_pop_sifts_to_a_leaf_and_saves_comparisons() -> None:
    rng = random.Random(3)
    n = 1000
    values = rng.sample(range(10**6), n)
    items = [CountingInt(v) for v in values]
    heapq.heapify(items)
    CountingInt.calls = 0
    popped = [heapq.heappop(items).value for _ in range(n)]
    bottom_up = CountingInt.calls
    assert popped == sorted(values)
    textbook = textbook_pop_comparisons(values)
    # The textbook pop pays two comparisons per level the moved item sinks (which child
    # is smaller, then is it smaller than the item); heapq pays one per level on the way
    # to a leaf, at least as deep, plus a short climb back: never below half. The item
    # came from the bottom, so it sinks nearly all the way and the climb is short: over
    # 50 seeds the ratio is 0.579 (standard deviation 0.001; CPython's comment in
    # Lib/heapq.py reports 8,680 against 14,996 for the same n).
    assert 0.5 * textbook < bottom_up < 0.65 * textbook


def test_peek_pushpop_replace() -> None:
    h = MinHeap([5, 3, 8])
    assert h.peek() == 3
    assert h.pushpop(1) == 1  # smaller than everything: returned at once
    assert h.pushpop(4) == 3
    assert h.replace(0) == 4
    h._check()
    assert [h.pop() for _ in range(len(h))] == [0, 5, 8]
    assert MinHeap[int]().pushpop(7) == 7


@pytest.mark.parametrize("cls", [MinHeap, MaxHeap])
def test_empty_heap_errors_name_the_heap(cls: type[MinHeap[int]]) -> None:
    h = cls()
    name = cls.__name__
    with pytest.raises(IndexError, match=f"pop from an empty {name}"):
        h.pop()
    with pytest.raises(IndexError, match=f"peek at an empty {name}"):
        h.peek()
    with pytest.raises(IndexError, match=f"replace on an empty {name}"):
        h.replace(1)
    assert len(h) == 0
    assert not h


def test_repr_shows_items_and_key() -> None:
    assert repr(MinHeap([2, 1])) == "MinHeap([1, 2])"
    assert repr(MaxHeap([1, 2])) == "MaxHeap([2, 1])"
    assert repr(MinHeap(["a"], key=len)) == "MinHeap(['a'], key=<built-in function len>)"
    assert repr(MinHeap(range(30))).endswith("...<20 more>])")


# --- exception safety ------------------------------------------------------------------------


def test_failed_push_leaves_heap_exactly_as_it_was() -> None:
    h = MinHeap(range(31))
    before = list(h._heap)
    # -1 climbs past 15, 7, 3 and 1, then refuses to compare with the root 0.
    with pytest.raises(TypeError, match="refuses"):
        h.push(Picky(-1, refuse=0))  # type: ignore[arg-type]
    assert same_objects(h._heap, before)
    h._check()


def test_bare_heapq_push_is_not_exception_safe() -> None:
    heap: list[Any] = list(range(31))
    new = Picky(-1, refuse=0)
    with pytest.raises(TypeError):
        heapq.heappush(heap, new)
    assert heapq.heappush is heap_module._C_PUSH  # CPython's C _heapq, as in production
    # The C push swaps the item up past 15, 7, 3 and 1: it stays in the list, in slot 1.
    assert len(heap) == 32
    assert heap[1] is new
    assert heap[3] == 1  # each slot on the path below it holds its old parent
    assert heap[31] == 15


@pytest.fixture
def pure_heapq(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A fresh ``heapq`` with the C ``_heapq`` blocked: Lib/heapq.py's own Python code."""
    spec = importlib.util.find_spec("heapq")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with monkeypatch.context() as blocked:
        blocked.setitem(sys.modules, "_heapq", None)  # makes "from _heapq import *" fail
        spec.loader.exec_module(module)
    assert module.heappush is not heapq.heappush
    return module


def test_pure_python_heappush_drops_the_item_instead(pure_heapq: ModuleType) -> None:
    heap = list(range(31))
    with pytest.raises(TypeError, match="refuses"):
        pure_heapq.heappush(heap, Picky(-1, refuse=0))
    # It moves a hole up: 15, 7, 3 and 1 each moved down a slot before the comparison
    # with the root raised, and the item itself was never written. 1 is now in slot 1
    # (untouched) and slot 3 (moved), and the item is nowhere.
    assert len(heap) == 32
    assert not any(isinstance(x, Picky) for x in heap)
    assert heap[1] == heap[3] == 1
    assert sorted(heap) == sorted([*range(31), 1])


def test_undo_push_stops_at_the_root_when_the_item_is_gone(pure_heapq: ModuleType) -> None:
    heap = list(range(31))
    new = Picky(-1, refuse=0)
    with pytest.raises(TypeError):
        pure_heapq.heappush(heap, new)
    with pytest.raises(RuntimeError, match="dropped the new item"):
        _undo_push(heap, new)  # walks 31, 15, 7, 3, 1, 0, finds nothing, and says so


def test_heaps_stay_exception_safe_with_a_pure_python_heapq(
    pure_heapq: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("heappush", "heappop", "heappushpop", "heapreplace"):
        monkeypatch.setattr(heap_module, name, getattr(pure_heapq, name))
    h = MinHeap(range(31))
    before = list(h._heap)
    with pytest.raises(TypeError, match="refuses"):
        h.push(Picky(-1, refuse=0))  # type: ignore[arg-type]
    assert same_objects(h._heap, before)
    for method in ("replace", "pushpop"):
        with pytest.raises(TypeError, match="refuses"):
            getattr(h, method)(Picky(0.5, refuse=1))
        assert same_objects(h._heap, before)
    h.push(-1)
    assert [h.pop() for _ in range(3)] == [-1, 0, 1]
    h._check()
    partial: MinHeap[Any] = MinHeap([0])
    partial.push(Partial(5))
    partial.push(Partial(6))
    before = list(partial._heap)
    with pytest.raises(TypeError, match="Partial"):
        partial.pop()  # the two Partials below the root cannot be ordered
    assert same_objects(partial._heap, before)


def test_failed_push_of_an_incomparable_type_changes_nothing() -> None:
    h: MinHeap[Any] = MinHeap([1, 2, 3])
    before = list(h._heap)
    with pytest.raises(TypeError):
        h.push("x")
    assert same_objects(h._heap, before)
    m: MaxHeap[Any] = MaxHeap([1, 2, 3])
    with pytest.raises(TypeError):
        m.push("x")
    m._check()
    assert [m.pop() for _ in range(3)] == [3, 2, 1]


def test_failed_key_push_changes_nothing() -> None:
    h = MinHeap[Any]([[1], [2]], key=lambda x: x[0])
    with pytest.raises(IndexError):
        h.push([])  # the key function itself raises
    with pytest.raises(TypeError):
        h.push(["x"])  # the key cannot be compared
    h._check()
    assert [h.pop() for _ in range(2)] == [[1], [2]]


@pytest.mark.parametrize("method", ["replace", "pushpop"])
def test_failed_replace_and_pushpop_keep_the_same_items(method: str) -> None:
    h = MinHeap(range(31))
    # 0 leaves; the new item sinks to a leaf, climbs back and refuses the new minimum 1.
    with pytest.raises(TypeError, match="refuses"):
        getattr(h, method)(Picky(0.5, refuse=1))
    h._check()
    assert sorted(h._heap) == list(range(31))
    assert h.peek() == 0


class Partial:
    """Compares with ints only: two Partials in one heap can never be ordered."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __lt__(self, other: object) -> bool:
        if isinstance(other, Partial):
            raise TypeError("Partial cannot compare with Partial")
        assert isinstance(other, int)
        return self.value < other

    def __gt__(self, other: object) -> bool:
        assert isinstance(other, int)
        return self.value > other


def test_failed_pop_keeps_every_item() -> None:
    h: MinHeap[Any] = MinHeap([0])
    a, b = Partial(5), Partial(6)
    h.push(a)
    h.push(b)  # each only met the root 0
    with pytest.raises(TypeError, match="Partial"):
        h.pop()
    assert len(h) == 3
    assert any(x is a for x in h._heap)
    assert any(x is b for x in h._heap)
    assert h.peek() == 0


# --- stateful model tests --------------------------------------------------------------------


def heap_machine(
    cls: type[MinHeap[int]] | type[MaxHeap[int]], largest_first: bool
) -> type[RuleBasedStateMachine]:
    class HeapMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.heap = cls()
            self.model: list[int] = []

        def expected_first(self) -> int:
            return max(self.model) if largest_first else min(self.model)

        @rule(x=st.integers(-20, 20))
        def push(self, x: int) -> None:
            self.heap.push(x)
            self.model.append(x)

        @precondition(lambda self: self.model)
        @rule()
        def pop(self) -> None:
            first = self.expected_first()
            assert self.heap.pop() == first
            self.model.remove(first)

        @rule(x=st.integers(-20, 20))
        def pushpop(self, x: int) -> None:
            self.model.append(x)
            first = self.expected_first()
            assert self.heap.pushpop(x) == first
            self.model.remove(first)

        @precondition(lambda self: self.model)
        @rule(x=st.integers(-20, 20))
        def replace(self, x: int) -> None:
            first = self.expected_first()
            assert self.heap.replace(x) == first
            self.model.remove(first)
            self.model.append(x)

        @precondition(lambda self: self.model)
        @rule()
        def failed_push(self) -> None:
            before = list(self.heap._heap)
            with pytest.raises(TypeError):
                self.heap.push("x")  # type: ignore[arg-type]
            assert same_objects(self.heap._heap, before)

        @invariant()
        def matches_model(self) -> None:
            self.heap._check()
            assert len(self.heap) == len(self.model)
            if self.model:
                assert self.heap.peek() == self.expected_first()

    return HeapMachine


TestMinHeapMachine = heap_machine(MinHeap, largest_first=False).TestCase
TestMinHeapMachine.settings = MACHINE_SETTINGS
TestMaxHeapMachine = heap_machine(MaxHeap, largest_first=True).TestCase
TestMaxHeapMachine.settings = MACHINE_SETTINGS


# --- IndexedPriorityQueue --------------------------------------------------------------------


def test_indexed_queue_decrease_and_increase_key() -> None:
    q = IndexedPriorityQueue[str, int]()
    for key, p in zip("abcdefg", [5, 3, 8, 1, 9, 7, 4], strict=True):
        q[key] = p
        q._check()
    q["c"] = 0  # decrease: sifts up to the root
    q._check()
    assert q.peek() == ("c", 0)
    q["c"] = 10  # increase: sifts down to a leaf
    q._check()
    assert q["c"] == 10
    assert [q.pop() for _ in range(len(q))] == [
        ("d", 1), ("b", 3), ("g", 4), ("a", 5), ("f", 7), ("e", 9), ("c", 10),
    ]  # fmt: skip


def test_indexed_queue_delete_anywhere() -> None:
    rng = random.Random(3)
    q = IndexedPriorityQueue[int, int]()
    model = {}
    for key in range(40):
        model[key] = q[key] = rng.randrange(100)
    for key in [0, 39, 17, 5, 38, 1]:  # the root, the last slot, the middle
        del q[key]
        del model[key]
        q._check()
        assert key not in q
    assert [q.pop()[1] for _ in range(len(q))] == sorted(model.values())


def test_indexed_queue_errors() -> None:
    q = IndexedPriorityQueue[Any, int]()
    with pytest.raises(IndexError, match="pop from an empty IndexedPriorityQueue"):
        q.pop()
    with pytest.raises(IndexError, match="peek at an empty IndexedPriorityQueue"):
        q.peek()
    with pytest.raises(KeyError):
        q["missing"]
    with pytest.raises(KeyError):
        del q["missing"]
    q["a"] = 1
    with pytest.raises(TypeError):
        q[["unhashable"]] = 2
    with pytest.raises(TypeError):
        [] in q  # noqa: B015
    q._check()
    assert len(q) == 1
    assert q.peek() == ("a", 1)


def test_indexed_queue_incomparable_priority_changes_nothing() -> None:
    q = IndexedPriorityQueue[int, Any]()
    for key in range(15):
        q[key] = key * 10
    before = (list(q._keys), list(q._prios), dict(q._pos))
    with pytest.raises(TypeError, match="refuses"):
        q[99] = Picky(-1, refuse=0)  # climbs three levels, then fails at the root
    with pytest.raises(TypeError, match="refuses"):
        q[14] = Picky(-1, refuse=0)  # the same for a change of priority
    with pytest.raises(TypeError):
        q[3] = "x"
    q._check()
    assert (q._keys, q._prios, q._pos) == before


def test_indexed_queue_repr() -> None:
    q = IndexedPriorityQueue[str, int]()
    q["a"] = 2
    q["b"] = 1
    assert repr(q) == "IndexedPriorityQueue({'b': 1, 'a': 2})"
    for i in range(20):
        q[str(i)] = i
    assert repr(q).endswith("...<12 more>})")


def test_indexed_queue_runs_dijkstra() -> None:
    graph = {"s": {"a": 4, "b": 1}, "b": {"a": 2, "t": 6}, "a": {"t": 1}, "t": {}}
    dist: dict[str, int] = {}
    q = IndexedPriorityQueue[str, int]()
    q["s"] = 0
    while q:
        node, d = q.pop()
        dist[node] = d
        for nxt, w in graph[node].items():
            if nxt not in dist and (nxt not in q or d + w < q[nxt]):
                q[nxt] = d + w  # insert or decrease-key
    assert dist == {"s": 0, "b": 1, "a": 3, "t": 4}


class IndexedQueueMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.q = IndexedPriorityQueue[int, int]()
        self.model: dict[int, int] = {}

    @rule(key=st.integers(0, 9), priority=st.integers(-10, 10))
    def set_priority(self, key: int, priority: int) -> None:
        self.q[key] = priority
        self.model[key] = priority

    @rule(key=st.integers(0, 9))
    def delete(self, key: int) -> None:
        if key in self.model:
            del self.q[key]
            del self.model[key]
        else:
            with pytest.raises(KeyError):
                del self.q[key]

    @precondition(lambda self: self.model)
    @rule()
    def pop(self) -> None:
        key, priority = self.q.pop()
        assert priority == min(self.model.values())
        assert self.model.pop(key) == priority

    @invariant()
    def matches_model(self) -> None:
        self.q._check()
        assert len(self.q) == len(self.model)
        for key, priority in self.model.items():
            assert key in self.q
            assert self.q[key] == priority


TestIndexedQueueMachine = IndexedQueueMachine.TestCase
TestIndexedQueueMachine.settings = MACHINE_SETTINGS
