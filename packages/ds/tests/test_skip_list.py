"""Tests for ds.skip_list: sorted-set semantics, exception safety, and O(log n) by counting."""

from __future__ import annotations

import math
import random
import statistics
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from handbook.ds.skip_list import SkipList

N = 10_000


def descending(n: int, rng: random.Random, p: float = 0.5) -> SkipList[int]:
    """Build {0..n-1} inserting largest first: each insert lands at the front, so even
    the one-level (linked list) variant builds in O(n)."""
    return SkipList(range(n - 1, -1, -1), rng=rng, p=p)


def mean_search_cost(s: SkipList[int], queries: int, seed: int) -> float:
    rng = random.Random(seed)
    costs = [s.search_cost(rng.randrange(len(s))) for _ in range(queries)]
    return sum(costs) / len(costs)


def test_search_visits_o_log_n_nodes() -> None:
    s = descending(N, random.Random(42))
    s._check()
    rng = random.Random(1)
    costs = [s.search_cost(rng.randrange(N)) for _ in range(500)]
    log_n = math.log2(N)  # 13.3
    # Pugh's expected cost with p = 1/2 is about 2*log2(n) + 2, i.e. ~28.6 here.
    assert sum(costs) / len(costs) < 3 * log_n
    assert max(costs) < 8 * log_n
    assert log_n - 3 <= s.levels <= 3 * log_n


def test_p_one_quarter_costs_no_more_visits_but_spreads_them_wider() -> None:
    log_n = math.log2(N)
    costs = {}
    for p in (0.5, 0.25):
        s = descending(N, random.Random(42), p=p)
        rng = random.Random(1)
        costs[p] = [s.search_cost(rng.randrange(N)) for _ in range(2000)]
        # Expected visits (1/p) log_{1/p}(n): 1/p per level (the (1 - p)/p moves right
        # and the visit that sends the search down) on log_{1/p}(n) levels.
        expected = (1 / p) * math.log(N) / math.log(1 / p)
        assert math.isclose(expected, 2 * log_n)  # the same 26.6 for both
        # One list's mean depends on its shape: over 8 seeds these means ranged from
        # 23.1 to 27.4, so the band allows 20% below and 10% above.
        assert 0.8 * expected < statistics.fmean(costs[p]) < 1.1 * expected
    # Minimising (1/p) / log2(1/p) gives p = 1/e: e * ln 2 = 1.88 visits per log2(n).
    per_bit = {p: (1 / p) / math.log2(1 / p) for p in (0.5, 0.25, 1 / math.e)}
    assert per_bit[0.5] == per_bit[0.25] == 2
    assert math.isclose(per_bit[1 / math.e], math.e * math.log(2))
    assert round(per_bit[1 / math.e], 2) == 1.88
    quarter, half = costs[0.25], costs[0.5]
    # What p = 1/4 costs is variance: the moves per level are geometric with variance
    # (1 - p)/p**2, so the total variance is 12 * 6.6 = 80 against 2 * 13.3 = 27, and
    # the standard deviation about 1.7 times as large (8.9 against 5.2). Here it is 7.9
    # against 5.0, and the longest search 57 against 41.
    assert statistics.pstdev(quarter) > 1.3 * statistics.pstdev(half)
    assert max(quarter) > max(half)


def test_p_zero_is_a_linked_list_with_n_over_2_visits() -> None:
    s = descending(N, random.Random(42), p=0.0)
    assert s.levels == 1
    mean = mean_search_cost(s, 500, seed=1)
    assert 0.4 * N < mean < 0.6 * N  # about n/2: every search walks level 0


def test_expected_cost_does_not_depend_on_insertion_order() -> None:
    ascending = SkipList(range(2000), rng=random.Random(3))
    shuffled_items = list(range(2000))
    random.Random(4).shuffle(shuffled_items)
    shuffled = SkipList(shuffled_items, rng=random.Random(3))
    assert ascending == shuffled
    for s in (ascending, shuffled):
        s._check()
        assert mean_search_cost(s, 200, seed=5) < 3 * math.log2(2000)


@pytest.mark.parametrize(("p", "expected"), [(0.5, 2.0), (0.25, 4 / 3)])
def test_forward_pointers_per_node_average_one_over_one_minus_p(p: float, expected: float) -> None:
    s = descending(N, random.Random(6), p=p)
    # A node's height is geometric: P(height >= k) = p**(k - 1), mean 1 / (1 - p).
    mean = sum(len(node.forward) for node in s._nodes()) / len(s)
    assert abs(mean - expected) < 0.05  # the mean of 10,000 heights: std 0.014 at p = 1/2


def test_same_seed_same_shape() -> None:
    a = SkipList(range(100), rng=random.Random(9))
    b = SkipList(range(100), rng=random.Random(9))
    heights = [[len(n.forward) for n in lst._nodes()] for lst in (a, b)]
    assert heights[0] == heights[1]


def test_sorted_set_semantics() -> None:
    s = SkipList[int](rng=random.Random(0))
    for x in [5, 1, 9, 1, 3]:
        s.add(x)
        s._check()
    assert list(s) == [1, 3, 5, 9]
    assert len(s) == 4
    assert 3 in s
    assert 4 not in s
    s.discard(4)
    s.discard(3)
    s.remove(9)
    s._check()
    assert list(s) == [1, 5]
    with pytest.raises(KeyError):
        s.remove(9)
    assert list(s) == [1, 5]


def test_levels_shrink_when_tall_nodes_go() -> None:
    s = SkipList(range(64), rng=random.Random(0))
    for x in range(64):
        s.remove(x)
        s._check()
    assert s.levels == 1
    assert len(s) == 0
    assert list(s) == []


@pytest.mark.parametrize("bad", ["a", None, (1,), [1]])
def test_incomparable_item_raises_type_error_and_changes_nothing(bad: Any) -> None:
    s = SkipList([1, 2, 3], rng=random.Random(0))
    before = [len(n.forward) for n in s._nodes()]
    for op in (s.add, s.discard, s.remove, s.search_cost):
        with pytest.raises(TypeError):
            op(bad)
    with pytest.raises(TypeError):
        _ = bad in s
    s._check()
    assert list(s) == [1, 2, 3]
    assert [len(n.forward) for n in s._nodes()] == before


def test_incomparable_item_does_not_consume_randomness() -> None:
    rng_a, rng_b = random.Random(11), random.Random(11)
    a, b = SkipList([1, 2], rng=rng_a), SkipList([1, 2], rng=rng_b)
    with pytest.raises(TypeError):
        a.add("x")  # type: ignore[arg-type]
    a.add(1)  # duplicates draw no level either
    assert rng_a.getstate() == rng_b.getstate()
    assert a == b


@pytest.mark.parametrize("p", [-0.1, 1.0, 2, float("nan")])
def test_bad_probability(p: float) -> None:
    with pytest.raises(ValueError, match="p must be in"):
        SkipList[int](p=p)


class LessOnly:
    """Ordered by ``__lt__`` alone: ``==`` is the default identity test."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __lt__(self, other: LessOnly) -> bool:
        return self.value < other.value


def test_equality_uses_the_same_order_as_the_duplicate_check() -> None:
    s = SkipList([LessOnly(1)], rng=random.Random(0))
    s.add(LessOnly(1))  # not below 1 and 1 not below it: a duplicate, ignored
    assert len(s) == 1
    assert LessOnly(1) != LessOnly(1)  # object.__eq__: two objects, not equal
    # Equality asks the question add asks, so one LessOnly(1) equals another.
    assert s == SkipList([LessOnly(1)], rng=random.Random(1))
    assert s != SkipList([LessOnly(2)], rng=random.Random(1))
    assert SkipList([1, 2]) == SkipList([1.0, 2.0])  # 1 and 1.0: neither is below the other
    mixed: SkipList[Any] = SkipList(["a"])
    assert SkipList([1]) != mixed  # 1 < "a" raises TypeError: unequal, no error


def test_equality_and_repr() -> None:
    assert SkipList([1, 2], rng=random.Random(1)) == SkipList([2, 1], rng=random.Random(2))
    assert SkipList([1, 2]) != SkipList([1, 2, 3])
    assert SkipList([1]) != [1]
    assert repr(SkipList(["b", "a"])) == "SkipList(['a', 'b'])"
    assert eval(repr(SkipList([3, 1]))) == SkipList([1, 3])
    assert repr(SkipList(range(100))).endswith("9, ...], len=100)")
    with pytest.raises(TypeError):
        hash(SkipList())


@given(st.lists(st.integers(-50, 50)), st.integers(0, 2**32))
@settings(max_examples=150, deadline=None)
def test_matches_sorted_set(items: list[int], seed: int) -> None:
    s = SkipList(items, rng=random.Random(seed))
    s._check()
    assert list(s) == sorted(set(items))


class SkipListMachine(RuleBasedStateMachine):
    """Random add/discard/remove sequences against a plain ``set``."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = SkipList[int](rng=random.Random(0), p=0.5)
        self.model: set[int] = set()

    @rule(x=st.integers(-20, 20))
    def add(self, x: int) -> None:
        self.skip.add(x)
        self.model.add(x)

    @rule(x=st.integers(-20, 20))
    def discard(self, x: int) -> None:
        self.skip.discard(x)
        self.model.discard(x)

    @rule(x=st.integers(-20, 20))
    def remove(self, x: int) -> None:
        if x in self.model:
            self.skip.remove(x)
            self.model.remove(x)
        else:
            with pytest.raises(KeyError):
                self.skip.remove(x)

    @rule(x=st.integers(-20, 20))
    def contains(self, x: int) -> None:
        assert (x in self.skip) == (x in self.model)

    @rule()
    def incomparable(self) -> None:
        if self.model:
            with pytest.raises(TypeError):
                self.skip.add("x")  # type: ignore[arg-type]

    @invariant()
    def agrees_with_model(self) -> None:
        self.skip._check()
        assert len(self.skip) == len(self.model)
        assert list(self.skip) == sorted(self.model)


TestSkipListMachine = SkipListMachine.TestCase
TestSkipListMachine.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
