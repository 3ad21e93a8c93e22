"""Tests for memory.dict_growth: deletes keep the table, rebuilds free it, key sharing."""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest

from handbook.memory.dict_growth import BoundedCache, burst_then_trim, make_record_class, rebuilt
from handbook.memory.testing import traced_growth

cpython_only = pytest.mark.skipif(
    sys.implementation.name != "cpython", reason="dict layout is a CPython detail"
)


def per_instance(factory: Callable[[], object], n: int = 2_000) -> float:
    """Average traced bytes per object for ``n`` objects (the holder list excluded)."""
    holder: list[object] = [None] * n

    def fill() -> None:
        for i in range(n):
            holder[i] = factory()

    grown, _ = traced_growth(fill)
    return grown / n


@cpython_only
@pytest.mark.parametrize("how", ["del", "pop", "popitem"])
def test_deleting_keys_does_not_shrink_the_table(how: str) -> None:
    peak = sys.getsizeof({i: i for i in range(20_000)})
    trimmed = burst_then_trim(20_000, 10, how)
    assert len(trimmed) == 10
    assert sys.getsizeof(trimmed) == peak  # the same table, 19,990 entries gone
    trimmed.clear()
    assert sys.getsizeof(trimmed) * 100 < peak  # only clear() drops the table


def test_burst_then_trim_rejects_an_unknown_way_to_trim() -> None:
    with pytest.raises(ValueError, match="how must be one of"):
        burst_then_trim(10, 1, "remove")


@cpython_only
def test_copy_clones_the_whole_table_of_a_popitem_trimmed_dict() -> None:
    d = burst_then_trim(20_000, 10, "popitem")
    peak = sys.getsizeof({i: i for i in range(20_000)})
    # popitem() lowers dk_nentries: no dead entries, so PyDict_Copy's
    # density test (ma_used >= 2/3 of dk_nentries) passes and it clones the
    # whole 20,000-key table for 10 keys (measured 589,912 B on 3.11-3.13).
    assert sys.getsizeof(d.copy()) == peak
    assert sys.getsizeof(rebuilt(d)) * 100 < peak
    # dict(d) clones only a table that is not oversized: this one it rebuilds.
    assert sys.getsizeof(dict(d)) * 100 < peak


@cpython_only
def test_dict_of_d_can_keep_the_peak_size() -> None:
    d = {i: i for i in range(100)}
    for i in range(15):
        del d[i]
    # 85 live keys: dict(d) reinserts into a table presized from the live
    # count, which comes out at the original 256 slots (4,688 B on 3.11-3.13);
    # the comprehension grows from empty and stops at 128 slots (2,264 B).
    assert sys.getsizeof(dict(d)) == sys.getsizeof(d)
    assert sys.getsizeof(rebuilt(d)) < sys.getsizeof(d)
    assert rebuilt(d) == d


@cpython_only
def test_a_trimmed_cache_still_holds_its_peak_memory() -> None:
    grown, trimmed = traced_growth(lambda: burst_then_trim(20_000, 10))
    # Ten small ints and a dict: a fresh one takes well under 2 KB. The trimmed
    # dict still traces its whole 20,000-key table (measured about 590 KB):
    # at least 8 bytes of index per slot and 8 per entry pointer, a loose bound.
    assert grown > 20_000 * 8
    fresh, _ = traced_growth(lambda: rebuilt(trimmed))
    assert fresh * 100 < grown  # the rebuild is over a hundred times smaller


@cpython_only
def test_a_comprehension_rebuild_always_compacts_but_copy_may_not() -> None:
    d = {i: i for i in range(1000)}
    for i in range(320):  # 32% dead: still "dense" for PyDict_Copy (680 >= 2/3 of 1000)
        del d[i]
    # 680 live keys fit a 1024-slot table (2/3 usable: 682); 1000 keys needed 2048.
    assert sys.getsizeof(d.copy()) == sys.getsizeof(d)  # cloned, dead entries and all
    assert sys.getsizeof(rebuilt(d)) < sys.getsizeof(d)
    assert rebuilt(d) == d
    assert list(rebuilt(d)) == list(d)  # same items, same order
    for i in range(320, 900):  # now 90% dead: copy() rebuilds too
        del d[i]
    assert sys.getsizeof(d.copy()) < sys.getsizeof(d)
    assert sys.getsizeof(rebuilt(d)) < sys.getsizeof(d)


@cpython_only
def test_churn_resizes_from_the_live_count_and_shrinks_the_table() -> None:
    d = burst_then_trim(20_000, 10)
    peak = sys.getsizeof(d)
    for k in range(10**6, 10**6 + 100):  # a few writes: fit in the free entries
        d[k] = k
    assert sys.getsizeof(d) == peak
    for k in range(10**7, 10**7 + 20_000):  # steady churn: add one, drop one
        d[k] = k
        del d[k]
    # The entries array filled up, so an insert resized the table, sized
    # from ma_used (110 live keys), not from the peak.
    assert len(d) == 110
    assert sys.getsizeof(d) * 50 < peak


def test_a_bounded_cache_keeps_at_most_maxsize_entries_in_lru_order() -> None:
    c = BoundedCache(3)
    for k in "abc":
        c.put(k, k)
    assert c.get("a") == "a"  # a is now the most recently used
    c.put("d", "d")
    assert c.keys() == ["c", "a", "d"]  # b, the least recently used, was evicted
    c.put("c", "C")  # an update is a use too
    c.put("e", "e")
    assert c.keys() == ["d", "c", "e"]
    assert c.get("c") == "C"
    with pytest.raises(KeyError):
        c.get("b")
    with pytest.raises(ValueError, match="at least 1"):
        BoundedCache(0)


@pytest.mark.parametrize("maxsize", [2.5, "3", None])
def test_a_bounded_cache_wants_an_int_maxsize(maxsize: object) -> None:
    with pytest.raises(TypeError, match="maxsize must be an int"):
        BoundedCache(maxsize)  # type: ignore[arg-type]


@cpython_only
def test_a_bounded_cache_does_not_keep_a_bursts_memory() -> None:
    def burst() -> BoundedCache:
        c = BoundedCache(100)
        for k in range(10_000):
            c.put(k, k)
        return c

    grown, c = traced_growth(burst)
    assert isinstance(c, BoundedCache)
    assert len(c) == 100
    unbounded, _ = traced_growth(lambda: {k: k for k in range(10_000)})
    # 100 entries against 10,000: even with OrderedDict's linked list and
    # some resize slack the bounded cache is far below a tenth.
    assert grown * 10 < unbounded


@cpython_only
def test_instances_share_keys_whatever_the_assignment_order() -> None:
    same_cls = make_record_class()
    swapped_cls = make_record_class()
    flip = [0]

    def swapped() -> object:
        obj: object = object.__new__(swapped_cls)
        flip[0] ^= 1
        names = ("a", "b", "c") if flip[0] else ("c", "b", "a")
        for name in names:
            setattr(obj, name, 1)
        return obj

    same = per_instance(lambda: same_cls(1, 2, 3))
    mixed = per_instance(swapped)
    # Set outside __init__, in two orders. 3.11-3.13 keep an insertion order
    # per instance, so both use the
    # shared keys (measured equal). 5% allows for allocator noise only.
    assert abs(mixed - same) <= 0.05 * same
    assert sys.getsizeof(vars(swapped())) == sys.getsizeof(vars(same_cls(1, 2, 3)))
    # Shared-key dicts are smaller than an ordinary dict with the same items.
    assert sys.getsizeof(vars(same_cls(1, 2, 3))) < sys.getsizeof({"a": 1, "b": 2, "c": 3})


@cpython_only
def test_stray_attribute_names_make_later_instances_bigger() -> None:
    clean_cls = make_record_class()
    spoiled_cls = make_record_class()
    for j in range(40):  # per-instance names, e.g. setattr(obj, user_field, ...)
        setattr(spoiled_cls(0, 0, 0), f"extra{j}", j)
    clean = per_instance(lambda: clean_cls(1, 2, 3))
    spoiled = per_instance(lambda: spoiled_cls(1, 2, 3))
    # Each later instance carries room for the class's grown key table or a
    # dict of its own: measured 2.2-2.3x on 3.11-3.13 (about 216 B against
    # 90-98 B per instance). 1.3 is the margin.
    assert spoiled >= 1.3 * clean, f"spoiled/clean = {spoiled / clean:.2f}"
    assert sys.getsizeof(vars(spoiled_cls(1, 2, 3))) > sys.getsizeof(vars(clean_cls(1, 2, 3)))
