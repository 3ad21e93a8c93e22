"""One behaviour suite for every bounded cache: LRU, linked LRU, LFU and the synchronized wrapper.

Each test is parametrized over the caches; where the policies differ the scenario is
chosen so that LRU and LFU agree (the victim is the least recently used key among
keys used equally often). The stateful tests run each cache against a plain model.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any, Protocol

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from handbook.ds.lfu_cache import LFUCache
from handbook.ds.lru_cache import BoundedCache, LinkedLRUCache, LRUCache, SynchronizedCache

Evict = Callable[[Any, Any], object] | None


class Factory(Protocol):
    def __call__(self, capacity: int, on_evict: Evict = None) -> BoundedCache[Any, Any]: ...


def synchronized_lru(capacity: int, on_evict: Evict = None) -> BoundedCache[Any, Any]:
    return SynchronizedCache(LRUCache(capacity, on_evict))


FACTORIES: dict[str, Factory] = {
    "LRUCache": LRUCache,
    "LinkedLRUCache": LinkedLRUCache,
    "LFUCache": LFUCache,
    "SynchronizedCache": synchronized_lru,
}

cache_types = pytest.mark.parametrize("make", list(FACTORIES.values()), ids=list(FACTORIES))


def check(cache: BoundedCache[Any, Any]) -> None:
    cache._check()  # type: ignore[attr-defined]


class Recorder:
    """An ``on_evict`` callback that remembers what it was called with."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, Any]] = []

    def __call__(self, key: Any, value: Any) -> None:
        self.calls.append((key, value))


# --- construction ----------------------------------------------------------------------------


@cache_types
@pytest.mark.parametrize("capacity", [0, -1])
def test_rejects_capacity_below_one(make: Factory, capacity: int) -> None:
    with pytest.raises(ValueError, match=f"capacity must be >= 1, got {capacity}"):
        make(capacity)


@cache_types
@pytest.mark.parametrize("capacity", [1.5, "2", None])
def test_rejects_non_integer_capacity(make: Factory, capacity: Any) -> None:
    with pytest.raises(TypeError, match=f"capacity must be an int, got {type(capacity).__name__}"):
        make(capacity)


# --- the mapping API -------------------------------------------------------------------------


@cache_types
def test_behaves_as_a_mapping(make: Factory) -> None:
    cache = make(3)
    cache["a"] = 1
    cache["b"] = 2
    check(cache)
    assert cache["a"] == 1
    assert cache.get("b") == 2
    assert cache.get("z") is None
    assert cache.get("z", 0) == 0
    assert "a" in cache
    assert "z" not in cache
    assert len(cache) == 2
    assert cache == {"a": 1, "b": 2}
    assert dict(cache.items()) == {"a": 1, "b": 2}
    assert sorted(cache.values()) == [1, 2]
    assert ("a", 1) in cache.items()
    assert ("a", 2) not in cache.items()
    assert 2 in cache.values()
    assert 3 not in cache.values()
    del cache["a"]
    assert cache.pop("b") == 2
    assert cache.pop("b", "gone") == "gone"
    check(cache)
    assert len(cache) == 0
    assert not cache
    assert cache.capacity == 3


@cache_types
def test_missing_keys_raise_key_error(make: Factory) -> None:
    cache = make(2)
    cache["a"] = 1
    for operation in (
        lambda: cache["z"],
        lambda: cache.peek("z"),
        lambda: cache.pop("z"),
        lambda: cache.__delitem__("z"),
    ):
        with pytest.raises(KeyError):
            operation()
    check(cache)
    assert cache == {"a": 1}


@cache_types
def test_unhashable_keys_raise_type_error_and_change_nothing(make: Factory) -> None:
    cache = make(2)
    cache["a"] = 1
    cache["b"] = 2
    before = list(cache.items())
    for operation in (
        lambda: cache.__setitem__([], 3),
        lambda: cache[[]],
        lambda: cache.get([]),
        lambda: cache.peek([]),
        lambda: [] in cache,
        lambda: cache.__delitem__([]),
    ):
        with pytest.raises(TypeError):
            operation()
    check(cache)
    assert list(cache.items()) == before


@cache_types
def test_items_hold_pairs_and_views_find_equal_values(make: Factory) -> None:
    cache = make(3)
    cache[5] = [50]  # a list: an equal copy is a different object
    cache[6] = [60]
    items: Any = cache.items()  # Any: the point is to ask about things that are not pairs
    values = cache.values()
    assert (5 in items) is False  # a key is not an item
    assert ((5,) in items) is False
    assert ((5, [50], 0) in items) is False
    assert ((5, [50]) in items) is True  # an equal copy, not the stored list itself
    assert ((5, [60]) in items) is False
    assert ((7, [50]) in items) is False
    assert ([60] in values) is True
    assert ([70] in values) is False
    cache[7] = [70]  # containment checks were not uses: 5 is still the next victim
    assert list(cache) == [5, 6, 7]


# --- what counts as a use --------------------------------------------------------------------


@cache_types
def test_in_peek_iteration_and_repr_are_not_uses(make: Factory) -> None:
    cache = make(2)
    cache["a"] = 1
    cache["b"] = 2
    assert "a" in cache
    assert cache.peek("a") == 1
    assert list(cache) == ["a", "b"]
    assert list(cache.items()) == [("a", 1), ("b", 2)]
    assert list(cache.values()) == [1, 2]
    repr(cache)
    cache["c"] = 3  # "a" is still the least recently (and least often) used
    check(cache)
    assert "a" not in cache
    assert list(cache.keys()) == ["b", "c"]


@cache_types
@pytest.mark.parametrize("use", ["getitem", "get", "update"])
def test_reads_and_updates_are_uses(make: Factory, use: str) -> None:
    cache = make(2)
    cache["a"] = 1
    cache["b"] = 2
    if use == "getitem":
        assert cache["a"] == 1
    elif use == "get":
        assert cache.get("a") == 1
    else:
        cache["a"] = 10
    cache["c"] = 3  # now "b" is the least recently and least often used
    check(cache)
    assert "b" not in cache
    assert set(cache) == {"a", "c"}


@cache_types
def test_update_does_not_evict(make: Factory) -> None:
    evicted = Recorder()
    cache = make(2, on_evict=evicted)
    cache["a"] = 1
    cache["b"] = 2
    cache["a"] = 10
    cache["b"] = 20
    check(cache)
    assert evicted.calls == []
    assert cache == {"a": 10, "b": 20}


# --- eviction --------------------------------------------------------------------------------


@cache_types
def test_on_evict_only_for_capacity_evictions(make: Factory) -> None:
    evicted = Recorder()
    cache = make(2, on_evict=evicted)
    for key in "abcd":
        cache[key] = key.upper()
    assert evicted.calls == [("a", "A"), ("b", "B")]
    del cache["c"]
    cache.pop("d")
    cache["e"] = "E"
    cache.popitem()
    cache["f"] = "F"
    cache.clear()
    assert evicted.calls == [("a", "A"), ("b", "B")]
    check(cache)


@cache_types
def test_on_evict_error_propagates_after_the_cache_is_consistent(make: Factory) -> None:
    def explode(key: Any, value: Any) -> None:
        raise RuntimeError(f"cannot evict {key}")

    cache = make(1, on_evict=explode)
    cache["a"] = 1
    with pytest.raises(RuntimeError, match="cannot evict a"):
        cache["b"] = 2
    check(cache)
    assert cache == {"b": 2}


@cache_types
def test_first_key_in_iteration_is_always_the_next_victim(make: Factory) -> None:
    rng = random.Random(11)
    evicted = Recorder()
    cache = make(5, on_evict=evicted)
    for _ in range(500):
        key = rng.randrange(12)
        if rng.random() < 0.5:
            cache.get(key)
            continue
        victim = next(iter(cache)) if len(cache) == cache.capacity and key not in cache else None
        cache[key] = key
        if victim is not None:
            assert evicted.calls[-1] == (victim, victim)
        assert len(cache) <= cache.capacity
    check(cache)
    assert len(evicted.calls) > 50


@cache_types
def test_popitem_removes_the_next_victim(make: Factory) -> None:
    cache = make(3)
    cache["a"] = 1
    cache["b"] = 2
    cache["a"] = 3
    assert cache.popitem() == ("b", 2)
    assert cache.popitem() == ("a", 3)
    check(cache)
    with pytest.raises(KeyError):
        cache.popitem()


@cache_types
def test_capacity_one_keeps_the_latest(make: Factory) -> None:
    cache = make(1)
    for i in range(5):
        cache[i] = i
        check(cache)
        assert list(cache.items()) == [(i, i)]


# --- repr and equality -----------------------------------------------------------------------


@cache_types
def test_repr_shows_contents_in_eviction_order_and_truncates(make: Factory) -> None:
    cache = make(20)
    cache["a"] = 1
    cache["b"] = 2
    name = type(cache).__name__
    assert repr(cache) == f"{name}(20, {{'a': 1, 'b': 2}})"
    for i in range(20):
        cache[i] = i
    assert repr(cache).endswith("...<10 more>})")


@cache_types
def test_equality_is_mapping_equality(make: Factory) -> None:
    one, other = make(2), make(5)
    one["a"] = other["a"] = 1
    assert one == other == {"a": 1}
    other["b"] = 2
    assert one != other
    not_a_mapping: object = [("a", 1)]
    assert one != not_a_mapping


# --- stateful: every cache against a plain model ---------------------------------------------


class LRUModel:
    """A list of keys from least to most recent, and a dict of values."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.order: list[int] = []
        self.values: dict[int, int] = {}

    def use(self, key: int) -> None:
        self.order.remove(key)
        self.order.append(key)

    def insert(self, key: int, value: int) -> int | None:
        victim = None
        if len(self.order) == self.capacity:
            victim = self.order.pop(0)
            del self.values[victim]
        self.order.append(key)
        self.values[key] = value
        return victim

    def delete(self, key: int) -> None:
        self.order.remove(key)
        del self.values[key]

    def eviction_order(self) -> list[int]:
        return list(self.order)


class LFUModel:
    """A dict of key -> (count, last use tick); the victim is the minimum, found by a scan."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.stats: dict[int, tuple[int, int]] = {}
        self.values: dict[int, int] = {}
        self.tick = 0

    def _now(self) -> int:
        self.tick += 1
        return self.tick

    def use(self, key: int) -> None:
        count, _ = self.stats[key]
        self.stats[key] = (count + 1, self._now())

    def insert(self, key: int, value: int) -> int | None:
        victim = None
        if len(self.stats) == self.capacity:
            victim = self.eviction_order()[0]
            self.delete(victim)
        self.stats[key] = (1, self._now())
        self.values[key] = value
        return victim

    def delete(self, key: int) -> None:
        del self.stats[key]
        del self.values[key]

    def eviction_order(self) -> list[int]:
        return sorted(self.stats, key=self.stats.__getitem__)


def cache_machine(make: Factory, model_type: type[LRUModel | LFUModel]) -> type[Any]:
    keys = st.integers(0, 6)

    class CacheMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.evicted = Recorder()
            self.cache = make(3, on_evict=self.evicted)
            self.model = model_type(3)

        @rule(key=keys, value=st.integers())
        def set(self, key: int, value: int) -> None:
            self.cache[key] = value
            if key in self.model.values:
                self.model.values[key] = value
                self.model.use(key)
                return
            victim = self.model.insert(key, value)
            if victim is not None:
                assert self.evicted.calls.pop()[0] == victim
            assert not self.evicted.calls

        @rule(key=keys)
        def getitem(self, key: int) -> None:
            if key in self.model.values:
                assert self.cache[key] == self.model.values[key]
                self.model.use(key)
            else:
                with pytest.raises(KeyError):
                    self.cache[key]

        @rule(key=keys)
        def get(self, key: int) -> None:
            assert self.cache.get(key, "missing") == self.model.values.get(key, "missing")
            if key in self.model.values:
                self.model.use(key)

        @rule(key=keys)
        def peek_and_contains(self, key: int) -> None:
            assert (key in self.cache) == (key in self.model.values)
            if key in self.model.values:
                assert self.cache.peek(key) == self.model.values[key]

        @rule(key=keys)
        def delete(self, key: int) -> None:
            if key in self.model.values:
                del self.cache[key]
                self.model.delete(key)
            else:
                with pytest.raises(KeyError):
                    del self.cache[key]

        @precondition(lambda self: self.model.values)
        @rule()
        def popitem(self) -> None:
            victim = self.model.eviction_order()[0]
            assert self.cache.popitem() == (victim, self.model.values[victim])
            self.model.delete(victim)

        @invariant()
        def matches_model(self) -> None:
            check(self.cache)
            assert list(self.cache) == self.model.eviction_order()
            assert dict(self.cache.items()) == self.model.values
            assert len(self.cache) == len(self.model.values) <= 3

    CacheMachine.__name__ = f"{type(make(1)).__name__}Machine"
    return CacheMachine


MACHINE_SETTINGS = settings(max_examples=40, stateful_step_count=40, deadline=None)

TestLRUCacheMachine = cache_machine(LRUCache, LRUModel).TestCase
TestLRUCacheMachine.settings = MACHINE_SETTINGS
TestLinkedLRUCacheMachine = cache_machine(LinkedLRUCache, LRUModel).TestCase
TestLinkedLRUCacheMachine.settings = MACHINE_SETTINGS
TestLFUCacheMachine = cache_machine(LFUCache, LFUModel).TestCase
TestLFUCacheMachine.settings = MACHINE_SETTINGS
TestSynchronizedCacheMachine = cache_machine(synchronized_lru, LRUModel).TestCase
TestSynchronizedCacheMachine.settings = MACHINE_SETTINGS
