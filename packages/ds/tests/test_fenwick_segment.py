"""Tests for ds.fenwick_segment: both trees against brute force, bounds, exception safety."""

from __future__ import annotations

import operator
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from handbook.ds.fenwick_segment import FenwickTree, SegmentTree

SIZES = [0, 1, 2, 3, 7, 8, 13, 64, 100]


def random_ranges(rng: random.Random, n: int, count: int) -> list[tuple[int, int]]:
    pairs = []
    for _ in range(count):
        a, b = rng.randint(0, n), rng.randint(0, n)
        pairs.append((min(a, b), max(a, b)))
    return pairs


# --- FenwickTree -------------------------------------------------------------


def test_fenwick_matches_brute_force_on_seeded_updates() -> None:
    for n in SIZES:
        check_fenwick_against_brute_force(n)


def check_fenwick_against_brute_force(n: int) -> None:
    rng = random.Random(n)
    ft, plain = FenwickTree(n), [0] * n
    for _ in range(3 * n):
        i, delta = rng.randrange(n), rng.randint(-50, 50)
        ft.add(i, delta)
        plain[i] += delta
    ft._check()
    assert list(ft) == plain
    for i in range(n + 1):
        assert ft.prefix_sum(i) == sum(plain[:i])
    for lo, hi in random_ranges(rng, n, 50):
        assert ft.range_sum(lo, hi) == sum(plain[lo:hi])


def test_fenwick_linear_build_equals_incremental_adds() -> None:
    rng = random.Random(1000)
    for n in SIZES:
        values = [rng.randint(-9, 9) for _ in range(n)]
        built = FenwickTree.from_values(values)
        built._check()
        incremental = FenwickTree(n)
        for i, v in enumerate(values):
            incremental.add(i, v)
        assert built._tree == incremental._tree
        assert built == incremental


def test_fenwick_item_access() -> None:
    ft = FenwickTree.from_values([3, 1, 4])
    ft[1] = 10
    ft._check()
    assert (ft[0], ft[1], ft[2]) == (3, 10, 4)
    assert ft.range_sum(0, 3) == 17
    assert len(ft) == 3


def test_fenwick_bad_size() -> None:
    with pytest.raises(ValueError, match="n must be >= 0"):
        FenwickTree(-1)
    with pytest.raises(TypeError, match="n must be an int"):
        FenwickTree(2.0)  # type: ignore[arg-type]


def test_fenwick_bad_arguments_raise_and_change_nothing() -> None:
    ft = FenwickTree.from_values([1, 2, 3])
    for i in (-1, 3):
        with pytest.raises(IndexError, match="out of range"):
            ft.add(i, 1)
        with pytest.raises(IndexError):
            ft[i] = 1
        with pytest.raises(IndexError):
            _ = ft[i]
    for i in (-1, 4):
        with pytest.raises(IndexError, match="out of range"):
            ft.prefix_sum(i)
    with pytest.raises(IndexError, match="hi=4"):
        ft.range_sum(0, 4)
    with pytest.raises(ValueError, match="lo=2 > hi=1"):
        ft.range_sum(2, 1)
    bad: Any = 1.5
    with pytest.raises(TypeError, match="delta must be an int"):
        ft.add(0, bad)
    with pytest.raises(TypeError, match="value must be an int"):
        ft[0] = bad
    with pytest.raises(TypeError, match="index must be an int"):
        ft.add(bad, 1)
    with pytest.raises(TypeError, match="values must be ints"):
        FenwickTree.from_values([1, bad])
    ft._check()
    assert list(ft) == [1, 2, 3]


def test_fenwick_equality_and_repr() -> None:
    assert FenwickTree(2) == FenwickTree.from_values([0, 0])
    assert FenwickTree(2) != FenwickTree(3)
    assert FenwickTree(1) != [0]
    assert repr(FenwickTree.from_values([1, 2])) == "FenwickTree.from_values([1, 2])"
    assert eval(repr(FenwickTree.from_values([1, 2]))) == FenwickTree.from_values([1, 2])
    assert repr(FenwickTree(50)).endswith("0, ...], len=50)")


# --- SegmentTree -------------------------------------------------------------


@pytest.mark.parametrize("n", SIZES)
def test_sum_min_max_match_brute_force(n: int) -> None:
    rng = random.Random(n)
    values = [rng.randint(-100, 100) for _ in range(n)]
    trees: list[SegmentTree[Any]] = [
        SegmentTree.for_sum(values),
        SegmentTree.for_min(values),
        SegmentTree.for_max(values),
    ]
    for _ in range(2 * n):
        i, v = rng.randrange(n), rng.randint(-100, 100)
        values[i] = v
        for tree in trees:
            tree.update(i, v)
    for tree in trees:
        tree._check()
        assert list(tree) == values
    sums, mins, maxes = trees
    for lo, hi in random_ranges(rng, n, 60):
        part = values[lo:hi]
        assert sums.query(lo, hi) == sum(part)
        assert mins.query(lo, hi) == min(part, default=float("inf"))
        assert maxes.query(lo, hi) == max(part, default=float("-inf"))


def test_non_commutative_combine_keeps_index_order() -> None:
    """String concatenation is associative but not commutative: order must be kept."""
    for n in SIZES:
        check_concatenation(n)


def check_concatenation(n: int) -> None:
    rng = random.Random(n)
    letters = [chr(ord("a") + i % 26) for i in range(n)]
    tree = SegmentTree(letters, operator.add, "")
    for _ in range(n):
        i = rng.randrange(n)
        letters[i] = letters[i].upper()
        tree[i] = letters[i]
    tree._check()
    for lo in range(n + 1):
        for hi in range(lo, n + 1):
            assert tree.query(lo, hi) == "".join(letters[lo:hi])


@given(st.lists(st.text(alphabet="xyz", max_size=2), max_size=40), st.data())
@settings(max_examples=150, deadline=None)
def test_segment_query_matches_join(items: list[str], data: st.DataObject) -> None:
    tree = SegmentTree(items, operator.add, "")
    tree._check()
    lo = data.draw(st.integers(0, len(items)))
    hi = data.draw(st.integers(lo, len(items)))
    assert tree.query(lo, hi) == "".join(items[lo:hi])


def test_segment_empty_range_is_identity() -> None:
    assert SegmentTree.for_sum([1, 2]).query(1, 1) == 0
    assert SegmentTree.for_min([]).query(0, 0) == float("inf")
    assert SegmentTree([[1]], operator.add, []).query(0, 0) == []


def test_segment_failed_update_leaves_tree_unchanged() -> None:
    tree = SegmentTree.for_min([5, 3, 8, 1, 9])
    bad: Any = "not a number"
    with pytest.raises(TypeError):
        tree.update(2, bad)  # min("not a number", 5) raises halfway up the path
    tree._check()
    assert list(tree) == [5, 3, 8, 1, 9]
    assert tree.query(0, 5) == 1


def test_segment_bad_indexes() -> None:
    tree = SegmentTree.for_sum([1, 2, 3])
    for i in (-1, 3):
        with pytest.raises(IndexError, match="out of range"):
            tree.update(i, 0)
        with pytest.raises(IndexError):
            _ = tree[i]
    with pytest.raises(IndexError, match="lo=-1"):
        tree.query(-1, 2)
    with pytest.raises(ValueError, match="lo=3 > hi=0"):
        tree.query(3, 0)
    with pytest.raises(TypeError, match="lo must be an int"):
        tree.query("0", 1)  # type: ignore[arg-type]
    assert list(tree) == [1, 2, 3]


def test_segment_equality_and_repr() -> None:
    assert SegmentTree.for_sum([1, 2]) == SegmentTree.for_sum([1, 2])
    assert SegmentTree.for_sum([1, 2]) != SegmentTree.for_sum([2, 1])
    assert SegmentTree.for_min([1, 2]) != SegmentTree.for_max([1, 2])
    assert SegmentTree.for_sum([1]) != [1]
    assert repr(SegmentTree.for_max([2, 1])) == "SegmentTree([2, 1], combine=max, identity=-inf)"
    assert repr(SegmentTree.for_sum(range(30))).startswith(
        "SegmentTree([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ...], len=30, combine=add"
    )


# --- stateful, against a plain list ------------------------------------------


class RangeMachine(RuleBasedStateMachine):
    """Both trees driven by the same point updates, checked against a list."""

    def __init__(self) -> None:
        super().__init__()
        self.plain: list[int] = []
        self.fenwick = FenwickTree(0)
        self.concat = SegmentTree[str]([], operator.add, "")

    @initialize(values=st.lists(st.integers(-20, 20), max_size=25))
    def build(self, values: list[int]) -> None:
        self.plain = list(values)
        self.fenwick = FenwickTree.from_values(values)
        self.concat = SegmentTree([f"{v}," for v in values], operator.add, "")

    @precondition(lambda self: bool(self.plain))
    @rule(data=st.data(), delta=st.integers(-20, 20))
    def add(self, data: st.DataObject, delta: int) -> None:
        i = data.draw(st.integers(0, len(self.plain) - 1))
        self.plain[i] += delta
        self.fenwick.add(i, delta)
        self.concat[i] = f"{self.plain[i]},"

    @rule(data=st.data())
    def query(self, data: st.DataObject) -> None:
        lo = data.draw(st.integers(0, len(self.plain)))
        hi = data.draw(st.integers(lo, len(self.plain)))
        assert self.fenwick.range_sum(lo, hi) == sum(self.plain[lo:hi])
        assert self.concat.query(lo, hi) == "".join(f"{v}," for v in self.plain[lo:hi])

    @rule(i=st.integers(-3, 30))
    def out_of_range_add_changes_nothing(self, i: int) -> None:
        if not 0 <= i < len(self.plain):
            with pytest.raises(IndexError):
                self.fenwick.add(i, 1)

    @invariant()
    def agrees_with_list(self) -> None:
        self.fenwick._check()
        self.concat._check()
        assert list(self.fenwick) == self.plain


TestRangeMachine = RangeMachine.TestCase
TestRangeMachine.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
