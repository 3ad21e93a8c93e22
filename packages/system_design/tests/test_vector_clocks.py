"""Tests for system_design.vector_clocks: a partial order, siblings for concurrent writes only."""

from __future__ import annotations

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from handbook.system_design.vector_clocks import LWWRegister, VectorClock, VersionedStore

clocks = st.dictionaries(st.sampled_from("abc"), st.integers(0, 3)).map(VectorClock.of)
# No Phase.explain: after a failure it traces every line run (sys.settrace before 3.12),
# which costs seconds per broken test; shrinking still reports a minimal example.
SETTINGS = settings(
    derandomize=True,
    deadline=None,
    max_examples=25,
    report_multiple_bugs=False,
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
)


def vc(**counts: int) -> VectorClock:
    return VectorClock.of(counts)


def test_happened_before_after_equal_and_concurrent() -> None:
    assert vc(a=1).compare(vc(a=1, b=1)) == "before"
    assert vc(a=2, b=1).compare(vc(a=1, b=1)) == "after"
    assert vc(a=1).compare(vc(a=1)) == "equal"
    assert vc(a=2).compare(vc(a=1, b=1)) == "concurrent"
    assert vc(a=1) < vc(a=1, b=1)
    assert not vc(a=1) < vc(a=1)
    assert vc(a=1, b=1) > vc(a=1)
    assert vc(a=1) >= vc(a=1)
    assert not vc(a=1) >= vc(b=1)
    assert not vc(a=1) > vc(a=1)
    assert not vc(a=1) > vc(a=1, b=1)


def test_the_order_is_not_total() -> None:
    a, b = vc(a=1), vc(b=1)
    assert not a <= b
    assert not b <= a


@SETTINGS
@given(clocks, clocks, clocks)
def test_le_is_a_partial_order(a: VectorClock, b: VectorClock, c: VectorClock) -> None:
    assert a <= a
    if a <= b and b <= a:
        assert a == b
    if a <= b and b <= c:
        assert a <= c


@SETTINGS
@given(clocks, clocks)
def test_compare_is_antisymmetric(a: VectorClock, b: VectorClock) -> None:
    mirror = {"before": "after", "after": "before", "equal": "equal", "concurrent": "concurrent"}
    assert b.compare(a) == mirror[a.compare(b)]
    assert (a.compare(b) == "equal") == (a == b)


@SETTINGS
@given(clocks, clocks, clocks)
def test_merge_is_the_least_upper_bound(a: VectorClock, b: VectorClock, c: VectorClock) -> None:
    m = a.merge(b)
    assert a <= m
    assert b <= m
    if a <= c and b <= c:
        assert m <= c
    assert m == b.merge(a)
    assert a.merge(a) == a
    assert a.merge(b.merge(c)) == m.merge(c)


def test_a_single_number_orders_concurrent_clocks() -> None:
    a, b = vc(a=2), vc(b=1)
    total = sum(a.as_dict().values()), sum(b.as_dict().values())
    assert total[0] > total[1]  # a summed clock calls a "later"...
    assert a.compare(b) == "concurrent"  # ...though neither saw the other


def test_concurrent_writes_become_siblings_and_lww_loses_one() -> None:
    store, lww = VersionedStore(), LWWRegister()
    _, ctx = store.get("cart")  # both clients read the empty cart
    store.put("cart", "milk", ctx, node="a")
    store.put("cart", "eggs", ctx, node="b")
    lww.put("milk", timestamp=1.0)
    lww.put("eggs", timestamp=2.0)
    values, merged = store.get("cart")
    assert values == ["milk", "eggs"]
    assert merged == vc(a=1, b=1)
    assert lww.value == "eggs"  # "milk" was acknowledged and is gone
    lww.put("butter", timestamp=2.0)  # a tie keeps the value already there
    assert lww.value == "eggs"


def test_a_causally_later_write_replaces_instead_of_becoming_a_sibling() -> None:
    store = VersionedStore()
    first = store.put("k", "v1", VectorClock(), node="a")
    values, ctx = store.get("k")
    assert (values, ctx) == (["v1"], first)
    second = store.put("k", "v2", ctx, node="b")
    assert first.compare(second) == "before"
    assert store.get("k") == (["v2"], vc(a=1, b=1))


def test_writing_back_with_the_merged_context_resolves_siblings() -> None:
    store = VersionedStore()
    store.put("k", "x", VectorClock(), node="a")
    store.put("k", "y", VectorClock(), node="b")
    values, ctx = store.get("k")
    clock = store.put("k", "+".join(values), ctx, node="a")
    assert store.get("k") == (["x+y"], clock)
    assert clock == vc(a=2, b=1)


def test_a_write_without_its_read_context_does_not_replace() -> None:
    store = VersionedStore()
    store.put("k", "v1", VectorClock(), node="a")
    store.put("k", "v2", VectorClock(), node="a")  # forgot the context it read
    assert store.get("k")[0] == ["v1", "v2"]


def test_concurrent_writes_on_one_node_get_fresh_counters() -> None:
    store = VersionedStore()
    store.put("k", "v1", VectorClock(), node="a")
    seen, ctx = store.get("k")  # client X sees only v1
    assert seen == ["v1"]
    store.put("k", "v2", VectorClock(), node="a")  # client Y, concurrent, same coordinator
    store.put("k", "v1-edited", ctx, node="a")  # X writes back: replaces v1, not v2
    assert sorted(store.get("k")[0]) == ["v1-edited", "v2"]


# One step of a history: the coordinating node, and how many steps back the client read.
steps = st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 4)), max_size=12)


@SETTINGS
@given(steps)
def test_store_keeps_exactly_the_writes_no_later_write_saw(history: list[tuple[str, int]]) -> None:
    store = VersionedStore()
    snapshots = [store.get("k")]  # what a client reading after step i sees
    live: set[str] = set()
    for i, (node, back) in enumerate(history):
        seen, ctx = snapshots[max(0, len(snapshots) - 1 - back)]
        value = f"w{i}"
        store.put("k", value, ctx, node)
        live = (live - set(seen)) | {value}
        snapshots.append(store.get("k"))
        assert set(store.get("k")[0]) == live


def test_bad_clocks_and_names_are_refused() -> None:
    with pytest.raises(ValueError, match="sorted by node name"):
        VectorClock((("b", 1), ("a", 1)))
    with pytest.raises(ValueError, match="sorted by node name"):
        VectorClock((("a", 1), ("a", 2)))
    with pytest.raises(ValueError, match="positive int"):
        VectorClock.of({"a": -1})
    with pytest.raises(ValueError, match="positive int"):
        VectorClock((("a", 1.5),))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="positive int"):
        VectorClock((("a", True),))
    with pytest.raises(ValueError, match="non-empty"):
        VectorClock().increment("")
    with pytest.raises(ValueError, match="non-empty"):
        VersionedStore().put("k", "v", VectorClock(), node="")
