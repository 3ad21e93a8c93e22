"""Tests for intermediate.function_tools: counted cache hits, dispatch by MRO, and a leaked self."""

from __future__ import annotations

import functools
import gc
import sys
import threading
import weakref
from collections.abc import Iterator
from decimal import Decimal

import pytest

from handbook.intermediate.function_tools import (
    PerInstanceRateTable,
    RateTable,
    describe,
    greet,
    hello,
    make_cached_double,
    make_cached_scale,
    total,
    total_without_initial,
)

# --- partial --------------------------------------------------------------------------


def test_partial_freezes_arguments_and_frozen_keywords_can_be_overridden() -> None:
    assert hello("Ana") == "Hello, Ana."
    assert hello("Ana", punctuation="?") == "Hello, Ana?"
    assert (hello.func, hello.args, hello.keywords) == (greet, ("Hello",), {"punctuation": "."})


def test_a_frozen_positional_argument_cannot_be_overridden() -> None:
    # "Hi" does not replace "Hello": it is appended after it, one argument too many.
    with pytest.raises(TypeError, match="positional arguments"):
        hello("Hi", "Ana")  # type: ignore[call-arg]


# --- singledispatch -------------------------------------------------------------------


def test_singledispatch_picks_by_the_first_arguments_type() -> None:
    assert describe(7) == "int 7"
    assert describe(2.5) == "number 2.5"
    assert describe(Decimal("1.5")) == "number 1.5"  # the union annotation registered both
    assert describe("x") == "object 'x'"  # unregistered: the base implementation


def test_singledispatch_walks_the_mro_to_the_closest_registration() -> None:
    class Port(int):
        pass

    assert describe(Port(80)) == "int 80"
    assert describe.dispatch(Port) is describe.dispatch(int)
    assert describe(True) == "bool True"  # bool is an int, but bool is registered
    assert bool in describe.registry


def test_singledispatchmethod_dispatches_on_the_argument_after_self() -> None:
    class Formatter:
        @functools.singledispatchmethod
        def fmt(self, value: object) -> str:
            return "object"

        @fmt.register
        def _(self, value: int) -> str:
            return "int"

    assert Formatter().fmt(3) == "int"
    assert Formatter().fmt("3") == "object"


def test_singledispatch_annotations_must_be_classes() -> None:
    @functools.singledispatch
    def f(value: object) -> str:
        return "object"

    with pytest.raises(TypeError, match="is not a class"):

        @f.register
        def _(value: list[int]) -> str:
            return "list"


# --- lru_cache ------------------------------------------------------------------------


def test_cache_info_counts_hits_and_misses() -> None:
    scale, computed = make_cached_scale()
    assert [scale(2, 3), scale(2, 3), scale(4, 3), scale(2, 3)] == [6, 6, 12, 6]
    info = scale.cache_info()
    assert (info.hits, info.misses, info.currsize) == (2, 2, 2)
    assert computed == [(2, 3), (4, 3)]  # the body ran once per miss
    scale.cache_clear()
    assert scale.cache_info().currsize == 0


def test_maxsize_evicts_the_least_recently_used_entry() -> None:
    scale, computed = make_cached_scale(maxsize=2)
    scale(1, 1)
    scale(2, 1)
    scale(1, 1)  # hit: 1 becomes the most recently used
    scale(3, 1)  # full: evicts 2, the least recently used
    scale(1, 1)  # still cached
    scale(2, 1)  # recomputed
    assert computed == [(1, 1), (2, 1), (3, 1), (2, 1)]
    info = scale.cache_info()
    assert (info.hits, info.misses, info.maxsize, info.currsize) == (2, 4, 2, 2)


def test_untyped_cache_returns_the_int_result_for_an_equal_float() -> None:
    scale, computed = make_cached_scale()
    assert scale(3, 2) == 6
    result = scale(3.0, 2)
    assert type(result) is int
    assert scale.cache_info().hits == 1
    assert computed == [(3, 2)]


def test_typed_caches_int_and_float_separately() -> None:
    scale, computed = make_cached_scale(typed=True)
    assert type(scale(3, 2)) is int
    assert type(scale(3.0, 2)) is float
    assert computed == [(3, 2), (3.0, 2)]
    assert scale.cache_info().misses == 2


def test_keyword_order_and_spelling_make_separate_entries() -> None:
    scale, computed = make_cached_scale()
    scale(x=1, factor=2)
    scale(factor=2, x=1)
    scale(1, 2)
    assert scale.cache_info().misses == 3
    assert len(computed) == 3


def test_cpython_keys_a_lone_int_argument_apart_from_an_equal_float() -> None:
    # Implementation detail of CPython's key function (int and str fast path).
    double = make_cached_double()
    assert type(double(3)) is int
    assert type(double(3.0)) is float
    assert double.cache_info().misses == 2


def test_a_cached_mutable_result_is_shared_by_every_caller() -> None:
    @functools.cache
    def roles(user: str) -> list[str]:
        return ["reader"]

    @functools.cache
    def roles_frozen(user: str) -> tuple[str, ...]:
        return ("reader",)

    mine = roles("ana")
    mine.append("admin")  # one caller edits "its" list ...
    assert roles("ana") == ["reader", "admin"]  # ... and the cache now says admin
    assert roles("ana") is mine
    assert roles.__wrapped__("ana") == ["reader"]  # the function itself is fine
    with pytest.raises(AttributeError):
        roles_frozen("ana").append("admin")  # type: ignore[attr-defined]
    assert roles_frozen("ana") == ("reader",)


def test_wrapped_bypasses_the_cache_and_parameters_are_visible() -> None:
    scale, computed = make_cached_scale(maxsize=8, typed=True)
    scale(2, 3)
    assert scale.__wrapped__(2, 3) == 6
    assert computed == [(2, 3), (2, 3)]  # the body ran again, outside the cache
    assert scale.cache_info().misses == 1
    assert scale.cache_info().hits == 0
    assert scale.cache_parameters() == {"maxsize": 8, "typed": True}


def test_cache_arguments_must_be_hashable() -> None:
    scale, _ = make_cached_scale()
    with pytest.raises(TypeError, match="unhashable"):
        scale([1], 2)  # type: ignore[arg-type]


# --- a cache on a method keeps self alive ----------------------------------------------


@pytest.fixture
def gc_paused() -> Iterator[None]:
    """Only explicit gc.collect() calls run the cycle collector during the test."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def test_lru_cache_on_a_method_keeps_the_instance_alive() -> None:
    table = RateTable(1.5)
    assert table.rate("EUR") == 6.0
    ref = weakref.ref(table)
    del table
    gc.collect()
    assert ref() is not None  # the class-wide cache's key still holds it
    RateTable.rate.cache_clear()
    gc.collect()
    assert ref() is None


def test_method_cache_is_shared_by_all_instances() -> None:
    RateTable.rate.cache_clear()
    a, b = RateTable(1.0), RateTable(2.0)
    a.rate("EUR")
    b.rate("EUR")
    assert RateTable.rate.cache_info().currsize == 2  # one class cache, keyed by self


@pytest.mark.usefixtures("gc_paused")
def test_a_per_instance_cache_dies_with_its_instance() -> None:
    table = PerInstanceRateTable(1.5)
    assert table.rate("EUR") == 6.0
    assert table.rate("EUR") == 6.0
    assert table.rate.cache_info().hits == 1
    ref = weakref.ref(table)
    del table
    assert ref() is not None  # instance -> cache -> bound method -> instance: a cycle
    gc.collect()
    assert ref() is None  # nothing outside the cycle holds it


@pytest.mark.usefixtures("gc_paused")
def test_cached_property_stores_on_the_instance_and_dies_with_it() -> None:
    class Report:
        def __init__(self) -> None:
            self.runs = 0

        @functools.cached_property
        def body(self) -> str:
            self.runs += 1
            return "expensive"

    report = Report()
    assert (report.body, report.body, report.runs) == ("expensive", "expensive", 1)
    assert report.__dict__["body"] == "expensive"
    ref = weakref.ref(report)
    del report
    assert ref() is None  # no cycle, no class-level cache: freed at del


def test_cached_property_needs_an_instance_dict() -> None:
    class Slotted:
        __slots__ = ("x",)

        @functools.cached_property
        def body(self) -> str:
            return "expensive"

    with pytest.raises(TypeError, match="No '__dict__' attribute"):
        _ = Slotted().body


def test_cached_property_lock_was_removed_in_3_12() -> None:
    inside = threading.Event()
    release = threading.Event()
    runs: list[str] = []

    class Report:
        @functools.cached_property
        def body(self) -> str:
            runs.append(threading.current_thread().name)
            if threading.current_thread().name == "worker":
                inside.set()
                assert release.wait(timeout=10)  # a safety net, never reached when correct
            return "expensive"

    report = Report()
    worker = threading.Thread(target=lambda: report.body, name="worker", daemon=True)
    worker.start()
    assert inside.wait(timeout=10)  # the worker is now inside the getter
    if sys.version_info >= (3, 12):
        assert report.body == "expensive"  # no lock: this thread runs the getter too
    else:
        lock = Report.__dict__["body"].lock  # one RLock per property, for all instances
        assert not lock.acquire(blocking=False)  # held by the worker: we would wait
    release.set()
    worker.join(timeout=10)
    assert not worker.is_alive()
    expected = ["worker", "MainThread"] if sys.version_info >= (3, 12) else ["worker"]
    assert runs == expected


def test_per_instance_caches_are_separate() -> None:
    a, b = PerInstanceRateTable(1.0), PerInstanceRateTable(2.0)
    assert (a.rate("EUR"), b.rate("EUR")) == (4.0, 8.0)
    assert a.rate.cache_info().currsize == b.rate.cache_info().currsize == 1


# --- reduce ---------------------------------------------------------------------------


def test_reduce_folds_left_from_the_initial_value() -> None:
    assert total([3, 4, 5]) == 12
    assert total([]) == 0
    steps: list[tuple[str, int]] = []

    def step(acc: str, item: int) -> str:
        steps.append((acc, item))
        return f"({acc}+{item})"

    assert functools.reduce(step, [1, 2, 3], "0") == "(((0+1)+2)+3)"
    assert steps[0] == ("0", 1)


def test_reduce_without_initial_fails_on_an_empty_input() -> None:
    assert total_without_initial([3, 4]) == 7
    with pytest.raises(TypeError, match="empty iterable with no initial value"):
        total_without_initial([])
