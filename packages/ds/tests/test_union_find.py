"""Tests for ds.union_find: semantics, and hop counts showing what each optimization buys."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from handbook.ds.union_find import UnionFind

N = 1024


def build_chain(uf: UnionFind[int], n: int) -> None:
    """union(i + 1, i) for each i: the order that turns naive linking into a chain."""
    for i in range(n - 1):
        assert uf.union(i + 1, i)
    uf._check()


def hops_of(uf: UnionFind[int], x: int) -> int:
    before = uf.hops
    uf.find(x)
    return uf.hops - before


def test_basic_semantics() -> None:
    uf = UnionFind(range(5))
    assert (len(uf), uf.count) == (5, 5)
    assert uf.union(0, 1) is True
    assert uf.union(3, 4) is True
    assert uf.union(1, 4) is True
    assert uf.union(0, 3) is False
    uf._check()
    assert uf.count == 2
    assert uf.connected(0, 4) is True
    assert uf.connected(0, 2) is False
    assert uf.set_size(3) == 4
    assert uf.set_size(2) == 1
    assert uf.groups() == [[0, 1, 3, 4], [2]]
    assert list(uf) == [0, 1, 2, 3, 4]
    assert 4 in uf
    assert 5 not in uf


def test_union_adds_unknown_elements() -> None:
    uf = UnionFind[str]()
    assert uf.union("a", "b") is True
    assert uf.union("c", "c") is False
    uf._check()
    assert (len(uf), uf.count) == (3, 2)
    assert uf.add("a") is False


def test_unknown_elements_raise_key_error() -> None:
    uf = UnionFind([1])
    for op in (uf.find, uf.set_size):
        with pytest.raises(KeyError):
            op(2)
    with pytest.raises(KeyError):
        uf.connected(1, 2)
    assert list(uf) == [1]


@pytest.mark.parametrize("bad", [[1], {2}, {"k": 3}])
def test_unhashable_raises_type_error_and_changes_nothing(bad: Any) -> None:
    uf = UnionFind([1, 2])
    with pytest.raises(TypeError):
        uf.union(7, bad)  # 7 must not be added before the failure
    with pytest.raises(TypeError):
        uf.union(bad, 7)
    with pytest.raises(TypeError):
        uf.add(bad)
    with pytest.raises(TypeError):
        uf.find(bad)
    uf._check()
    assert list(uf) == [1, 2]
    assert uf.count == 2


def test_naive_linking_builds_a_chain_of_n_hops() -> None:
    """The baseline: no optimization, and the tail of the chain is n - 1 hops deep."""
    uf = UnionFind(range(N), union_by_size=False, path_compression=False)
    build_chain(uf, N)
    assert hops_of(uf, 0) == N - 1
    assert hops_of(uf, 0) == N - 1  # and it stays that deep


def test_union_by_size_bounds_find_to_log2_n_hops() -> None:
    uf = UnionFind(range(N), path_compression=False)
    build_chain(uf, N)
    worst = max(hops_of(uf, x) for x in range(N))
    assert worst <= math.log2(N)  # 10 for 1024, instead of 1023


def test_union_by_size_bound_holds_for_random_unions() -> None:
    rng = random.Random(2024)
    uf = UnionFind(range(N), path_compression=False)
    for _ in range(3 * N):
        uf.union(rng.randrange(N), rng.randrange(N))
    uf._check()  # asserts height <= log2(size) for every tree
    assert max(hops_of(uf, x) for x in range(N)) <= math.log2(N)


def test_path_compression_makes_repeat_finds_one_hop() -> None:
    uf = UnionFind(range(N), union_by_size=False)
    build_chain(uf, N)  # still a chain: union's finds only touch the roots
    assert hops_of(uf, 0) == N - 1  # the first walk pays for the whole path...
    uf._check()
    # ...and leaves every node on it pointing at the root.
    assert max(hops_of(uf, x) for x in range(N)) <= 1


def test_both_optimizations_cost_under_two_hops_per_find() -> None:
    rng = random.Random(7)
    uf = UnionFind(range(N))
    finds = 0
    for _ in range(5 * N):
        uf.union(rng.randrange(N), rng.randrange(N))
        finds += 2
    for x in range(N):
        uf.find(x)
        finds += 1
    uf._check()
    assert uf.count == 1
    assert uf.hops < 2 * finds


def test_equality_and_repr() -> None:
    a, b = UnionFind([1, 2, 3]), UnionFind([3, 1, 2])
    a.union(1, 2)
    b.union(2, 1)
    assert a == b
    b.union(3, 1)
    assert a != b
    assert UnionFind([1]) != UnionFind([2])
    assert UnionFind([1]) != [1]
    assert repr(a) == "UnionFind(sets=[[1, 2], [3]])"
    big = repr(UnionFind(range(100)))
    assert big.endswith("[9], ...], count=100)")
    assert len(big) < 120


class UnionFindMachine(RuleBasedStateMachine):
    """Random add/union/find sequences against a model: element -> frozenset of its set."""

    def __init__(self) -> None:
        super().__init__()
        self.uf = UnionFind[int]()
        self.model: dict[int, frozenset[int]] = {}

    @rule(x=st.integers(0, 30))
    def add(self, x: int) -> None:
        assert self.uf.add(x) is (x not in self.model)
        self.model.setdefault(x, frozenset([x]))

    @rule(a=st.integers(0, 30), b=st.integers(0, 30))
    def union(self, a: int, b: int) -> None:
        sa = self.model.setdefault(a, frozenset([a]))
        sb = self.model.setdefault(b, frozenset([b]))
        assert self.uf.union(a, b) is (sa is not sb)
        merged = sa | sb
        for x in merged:
            self.model[x] = merged

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def connected(self, data: st.DataObject) -> None:
        keys = sorted(self.model)
        a, b = data.draw(st.sampled_from(keys)), data.draw(st.sampled_from(keys))
        assert self.uf.connected(a, b) is (b in self.model[a])
        assert self.uf.set_size(a) == len(self.model[a])

    @rule(x=st.integers(31, 40))
    def find_unknown(self, x: int) -> None:
        with pytest.raises(KeyError):
            self.uf.find(x)

    @invariant()
    def agrees_with_model(self) -> None:
        self.uf._check()
        assert len(self.uf) == len(self.model)
        assert self.uf.count == len(set(self.model.values()))
        assert {frozenset(g) for g in self.uf.groups()} == set(self.model.values())


TestUnionFindMachine = UnionFindMachine.TestCase
TestUnionFindMachine.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
