"""Tests for memory.refcount_vs_cycles: refcount frees at del, cycles wait for gc, PEP 442."""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Iterator

import pytest

from handbook.memory.refcount_vs_cycles import Phoenix, StrongTreeNode, TreeNode, gc_paused

cpython_only = pytest.mark.skipif(
    sys.implementation.name != "cpython", reason="freeing at del is CPython refcounting"
)


@pytest.fixture(autouse=True)
def restore_gc_state() -> Iterator[None]:
    """Every test leaves gc as it found it (enabled flag, thresholds, debug flags)."""
    enabled, thresholds, debug = gc.isenabled(), gc.get_threshold(), gc.get_debug()
    try:
        yield
    finally:
        gc.set_debug(debug)
        gc.set_threshold(*thresholds)
        if enabled:
            gc.enable()
        else:
            gc.disable()


class Plain:
    """A weak-referenceable object with an attribute to build cycles from."""

    other: object = None


@cpython_only
def test_an_acyclic_object_dies_at_del_and_its_finalizer_runs_then() -> None:
    ran: list[str] = []
    obj = Plain()
    probe = weakref.ref(obj)
    weakref.finalize(obj, ran.append, "finalized")
    with gc_paused():  # no collector involved: refcount alone frees it
        del obj
        assert probe() is None
        assert ran == ["finalized"]


def test_objects_in_a_cycle_survive_del_until_gc_collect() -> None:
    ran: list[str] = []
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()  # no automatic collection can fire in here
        a, b = Plain(), Plain()
        a.other, b.other = b, a
        probe = weakref.ref(a)
        weakref.finalize(a, ran.append, "a")
        del a, b
        assert probe() is not None  # each keeps the other's count at one
        assert ran == []
        gc.collect()
        assert probe() is None
        assert ran == ["a"]


def _fail_while_paused() -> None:
    with gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")


def test_gc_paused_restores_automatic_collection_even_on_error() -> None:
    gc.enable()
    with pytest.raises(RuntimeError, match="boom"):
        _fail_while_paused()
    assert gc.isenabled()
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()  # it restores, it does not force on


def test_a_cycle_with_del_is_collected_each_del_runs_once_and_gc_garbage_stays_empty() -> None:
    log: list[str] = []
    with gc_paused():
        a, b = Phoenix("a", log), Phoenix("b", log)
        a.other, b.other = b, a
        probe = weakref.ref(a)
        del a, b
        assert log == []
        # Generation numbers as on 3.11-3.13 (all generational): re-check on 3.14,
        # whose incremental collector changes what collect(0)/collect(1) reach.
        gc.collect(0)
        assert sorted(log) == ["a", "b"]  # order inside a cycle is not specified
        assert probe() is None
        assert not any(isinstance(x, Phoenix) for x in gc.garbage)  # PEP 442, 3.4+


def test_a_resurrected_object_never_gets_del_called_a_second_time() -> None:
    log: list[str] = []
    keep: list[Phoenix] = []
    with gc_paused():
        a, b = Phoenix("a", log, keep), Phoenix("b", log)
        a.other, b.other = b, a
        del a, b
        # Generation numbers as on 3.11-3.13 (all generational): re-check on 3.14.
        gc.collect(0)  # made while paused, so still in the youngest generation
        assert [p.name for p in keep] == ["a"]  # __del__ stored self: it is alive again
        assert keep[0].other is not None
        assert keep[0].other.name == "b"
        probe = weakref.ref(keep[0].other)
        keep.clear()  # drop the resurrected cycle
        gc.collect(1)  # survivors of the first collection moved up one generation
        assert probe() is None  # collected this time
        assert sorted(log) == ["a", "b"]  # and no __del__ ran again


def test_debug_saveall_is_what_fills_gc_garbage_now() -> None:
    with gc_paused():
        a, b = Plain(), Plain()
        a.other, b.other = b, a
        ids = {id(a), id(b)}
        del a, b
        already = len(gc.garbage)
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            # youngest generation only (3.11-3.13 semantics; re-check on 3.14)
            gc.collect(0)  # the youngest generation only: no other test's garbage
            saved = [x for x in gc.garbage[already:] if id(x) in ids and isinstance(x, Plain)]
            assert len(saved) == 2
        finally:
            gc.set_debug(0)
            del gc.garbage[already:]


@cpython_only
def test_a_strong_parent_pointer_keeps_a_tree_alive_after_del() -> None:
    with gc_paused():
        root = StrongTreeNode("root")
        child = StrongTreeNode("child", root)
        probe = weakref.ref(root)
        del root, child
        assert probe() is not None
        gc.collect(0)  # 3.11-3.13 generations; re-check on 3.14
        assert probe() is None


@cpython_only
def test_a_weak_parent_pointer_frees_the_tree_at_del() -> None:
    with gc_paused():
        root = TreeNode("root")
        child = TreeNode("child", root)
        assert child.parent is root
        probes = [weakref.ref(root), weakref.ref(child)]
        del root, child
        assert [p() for p in probes] == [None, None]  # no collector needed


@cpython_only
def test_a_child_sees_no_parent_once_the_parent_is_gone() -> None:
    root = TreeNode("root")
    orphan = TreeNode("orphan", root)
    root.children.clear()  # the orphan keeps no strong reference to root
    del root
    assert orphan.parent is None


def test_atomic_objects_are_not_tracked_by_the_cycle_collector() -> None:
    assert not gc.is_tracked(12345)
    assert not gc.is_tracked("text")
    assert gc.is_tracked([])
    assert gc.is_tracked(Plain())
