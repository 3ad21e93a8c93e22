"""Tests for memory.weak_caches: lru_cache keeps self, weak dicts, finalize, weakref limits."""

from __future__ import annotations

import functools
import gc
import subprocess
import sys
import textwrap
import weakref
from collections.abc import Iterator

import pytest

from handbook.memory.weak_caches import (
    Annotations,
    Connection,
    IdentityMap,
    LeakyPricer,
    Pricer,
    Record,
    weakly_referenceable,
)

cpython_only = pytest.mark.skipif(
    sys.implementation.name != "cpython", reason="freeing at del is CPython refcounting"
)


@pytest.fixture
def gc_off() -> Iterator[None]:
    """Automatic collection off for the test, restored (flag and thresholds) even on failure."""
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    gc.disable()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if enabled:
            gc.enable()


class Thing:
    """A plain, weak-referenceable object."""


@cpython_only
def test_lru_cache_on_a_method_keeps_self_alive_until_cache_clear() -> None:
    LeakyPricer.price.cache_clear()
    pricer = LeakyPricer(3)
    assert pricer.price(10) == 30
    probe = weakref.ref(pricer)
    del pricer
    gc.collect()
    assert probe() is not None  # the class-wide cache holds it in a key
    LeakyPricer.price.cache_clear()
    assert probe() is None  # the last reference was the cache key (refcount frees it)


@cpython_only
def test_eviction_after_maxsize_other_calls_releases_it_too() -> None:
    LeakyPricer.price.cache_clear()
    assert LeakyPricer.price.cache_parameters()["maxsize"] == 128  # the default
    first = LeakyPricer(2)
    first.price(1)
    probe = weakref.ref(first)
    del first
    keep = LeakyPricer(3)
    for cents in range(127):
        keep.price(cents)
    assert probe() is not None  # 128 entries: still in the cache
    try:
        keep.price(1000)
        assert probe() is None  # the least recently used entry, its key, was evicted
    finally:
        LeakyPricer.price.cache_clear()


@cpython_only
def test_an_unbounded_cache_on_a_method_never_evicts() -> None:
    class Unbounded:
        @functools.cache  # noqa: B019 (the pitfall under test)
        def f(self, x: int) -> int:
            return x

    first = Unbounded()
    first.f(0)
    probe = weakref.ref(first)
    del first
    other = Unbounded()
    try:
        for x in range(200):  # well past lru_cache's default 128
            other.f(x)
        gc.collect()
        assert Unbounded.f.cache_parameters()["maxsize"] is None
        assert probe() is not None  # maxsize=None: nothing is ever evicted
    finally:
        Unbounded.f.cache_clear()
    assert probe() is None


def test_lru_cache_wrapped_in_init_is_a_cycle_freed_only_by_gc(gc_off: None) -> None:
    class SelfCaching:
        def __init__(self) -> None:
            self.lookup = functools.lru_cache(maxsize=None)(self._lookup)

        def _lookup(self, x: int) -> int:
            return x

    obj = SelfCaching()
    obj.lookup(1)
    probe = weakref.ref(obj)
    del obj
    assert probe() is not None  # instance -> wrapper -> bound method -> instance
    gc.collect(0)  # created with gc off, so still in the youngest generation
    assert probe() is None


@cpython_only
def test_a_per_instance_memo_dies_with_the_instance_at_del(gc_off: None) -> None:
    pricer = Pricer(3)
    assert [pricer.price(10), pricer.price(10), pricer.price(5)] == [30, 30, 15]
    assert pricer.computed == 2
    probe = weakref.ref(pricer)
    del pricer
    assert probe() is None  # no cycle, no class-level cache: refcount frees it


def test_each_pricer_has_its_own_memo() -> None:
    cheap, dear = Pricer(2), Pricer(5)
    assert (cheap.price(10), dear.price(10)) == (20, 50)
    assert (cheap.computed, dear.computed) == (1, 1)


@cpython_only
def test_cached_property_computes_once_and_dies_with_the_instance(gc_off: None) -> None:
    class Doc:
        def __init__(self, text: str) -> None:
            self.text = text
            self.computed = 0

        @functools.cached_property
        def words(self) -> int:
            self.computed += 1
            return len(self.text.split())

    doc = Doc("a b c")
    assert (doc.words, doc.words, doc.computed) == (3, 3, 1)
    assert doc.__dict__["words"] == 3  # stored in the instance dict, not on the class
    probe = weakref.ref(doc)
    del doc
    assert probe() is None


def test_cached_property_needs_an_instance_dict() -> None:
    class Slotted:
        __slots__ = ()

        @functools.cached_property
        def value(self) -> int:
            return 1

    with pytest.raises(TypeError, match="__dict__"):
        _ = Slotted().value


@cpython_only
def test_an_identity_map_gives_one_object_per_key_while_it_is_alive() -> None:
    ids = IdentityMap()
    first = ids.get("u1")
    assert ids.get("u1") is first
    assert (ids.created, len(ids)) == (1, 1)
    del first
    assert len(ids) == 0  # the entry vanished with its last outside reference
    ids.get("u1")
    assert ids.created == 2  # so a later lookup builds a new one: not a cache that retains


@cpython_only
def test_annotations_do_not_keep_their_objects_alive() -> None:
    notes = Annotations()
    thing = Thing()
    notes.add(thing, "seen")
    notes.add(thing, "checked")
    assert notes.notes(thing) == ["seen", "checked"]
    probe = weakref.ref(thing)
    del thing
    assert probe() is None
    assert len(notes) == 0


def test_the_notes_returned_are_a_copy() -> None:
    notes = Annotations()
    thing = Thing()
    notes.add(thing, "seen")
    got = notes.notes(thing)
    got.append("forged")
    got.clear()
    assert notes.notes(thing) == ["seen"]  # the caller cannot change what is stored
    assert notes.notes(Thing()) == []


def test_annotations_reject_objects_that_cannot_be_weakly_referenced() -> None:
    notes = Annotations()
    with pytest.raises(TypeError, match="weak reference"):
        notes.add(42, "n")
    assert len(notes) == 0


@cpython_only
def test_an_id_keyed_cache_keeps_a_stale_entry_a_weak_key_one_does_not() -> None:
    by_id: dict[int, str] = {}
    by_obj: weakref.WeakKeyDictionary[Thing, str] = weakref.WeakKeyDictionary()
    thing = Thing()
    by_id[id(thing)] = by_obj[thing] = "result for thing"
    probe = weakref.ref(thing)
    del thing
    assert probe() is None  # the int key never kept it alive
    assert len(by_id) == 1  # but its entry is still there, under an id free for reuse
    assert len(by_obj) == 0  # the weak-keyed entry went with the object


def test_a_weak_key_entry_whose_value_holds_the_key_never_goes() -> None:
    table: weakref.WeakKeyDictionary[Thing, list[object]] = weakref.WeakKeyDictionary()
    thing = Thing()
    table[thing] = [thing]  # the value, held strongly by the dict, refers to the key
    probe = weakref.ref(thing)
    del thing
    gc.collect()
    try:
        assert probe() is not None
        assert len(table) == 1
    finally:
        table.clear()


def test_weak_key_dictionary_matches_keys_by_equality() -> None:
    class Key:
        def __init__(self, k: int) -> None:
            self.k = k

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Key) and other.k == self.k

        def __hash__(self) -> int:
            return hash(self.k)

    table: weakref.WeakKeyDictionary[Key, str] = weakref.WeakKeyDictionary()
    a, b = Key(1), Key(1)
    table[a] = "from a"
    assert table[b] == "from a"  # a different object, same entry


@cpython_only
def test_a_connection_releases_once_whether_closed_or_dropped() -> None:
    log: list[int] = []
    conn = Connection(7, log)
    before = conn.closed
    conn.close()
    conn.close()
    assert (before, conn.closed) == (False, True)
    del conn
    assert log == [7]  # once, though close ran twice and the object died
    dropped = Connection(8, log)
    del dropped
    assert log == [7, 8]  # released at death, by refcount


def test_a_finalizer_holding_a_bound_method_keeps_its_object_alive() -> None:
    calls: list[str] = []

    class Resource:
        def close(self) -> None:
            calls.append("closed")

    res = Resource()
    fin = weakref.finalize(res, res.close)
    probe = weakref.ref(res)
    del res
    gc.collect()
    try:
        assert probe() is not None  # the finalizer's registry holds the bound method
        assert calls == []
    finally:
        fin.detach()


@cpython_only
def test_finalize_runs_at_most_once_and_detach_cancels_it() -> None:
    log: list[str] = []
    thing = Thing()
    fin = weakref.finalize(thing, log.append, "ran")
    pending = fin.alive
    assert fin.atexit  # on by default
    assert fin() is None
    assert (pending, fin.alive, log) == (True, False, ["ran"])
    assert fin() is None  # a second call does nothing
    assert log == ["ran"]
    other = Thing()
    fin2 = weakref.finalize(other, log.append, "never")
    detached = fin2.detach()
    assert detached is not None
    assert detached[0] is other
    assert detached[1] == log.append  # the callback, handed back uncalled
    assert detached[2] == ("never",)
    assert detached[3] == {}
    assert not fin2.alive
    assert fin2.detach() is None
    probe = weakref.ref(other)
    del other, detached
    assert probe() is None  # it died (CPython refcount) and the callback did not run
    assert log == ["ran"]


def test_a_pending_finalizer_runs_at_exit_unless_atexit_is_false() -> None:
    # Needs a fresh interpreter: the claim is about interpreter shutdown.
    script = textwrap.dedent(
        """
        import weakref
        class T: pass
        keep = [T(), T()]
        weakref.finalize(keep[0], print, "exit-ran")
        quiet = weakref.finalize(keep[1], print, "should-not-print")
        quiet.atexit = False
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=20
    )
    assert done.stdout.split() == ["exit-ran"]


@pytest.mark.parametrize(
    "obj", [1, "s", b"b", 1.5, (1,), [1], {"k": 1}, None], ids=lambda o: type(o).__name__
)
def test_common_builtins_cannot_be_weakly_referenced(obj: object) -> None:
    assert not weakly_referenceable(obj)
    with pytest.raises(TypeError):
        weakref.ref(obj)


def test_sets_functions_instances_and_some_builtin_subclasses_can() -> None:
    class L(list[int]):
        pass

    class D(dict[str, int]):
        pass

    class S(str):
        pass

    objs: tuple[object, ...] = (set(), frozenset(), len, Record("k"), L(), D(), S("x"))
    for obj in objs:
        assert weakly_referenceable(obj), obj


def test_subclasses_of_int_and_tuple_still_cannot() -> None:
    class Int(int):
        pass

    class T(tuple[int, ...]):
        pass

    class B(bytes):
        pass

    class F(float):
        pass

    assert not weakly_referenceable(Int(1))
    assert not weakly_referenceable(T((1,)))
    assert not weakly_referenceable(B(b"x"))
    assert weakly_referenceable(F(1.5))  # float has no weakref slot, its subclass gets one


@pytest.mark.parametrize("base", [int, tuple, bytes], ids=lambda t: t.__name__)
def test_variable_size_builtins_cannot_get_a_weakref_slot(base: type) -> None:
    assert base.__itemsize__ != 0  # items stored at the end of the object
    with pytest.raises(TypeError, match="nonempty __slots__"):
        type("WithSlot", (base,), {"__slots__": ("__weakref__",)})


@pytest.mark.parametrize("base", [str, float, list, dict], ids=lambda t: t.__name__)
def test_fixed_size_builtins_get_one_in_a_subclass(base: type) -> None:
    assert base.__itemsize__ == 0
    sub = type("WithSlot", (base,), {"__slots__": ("__weakref__",)})
    assert weakly_referenceable(sub())
