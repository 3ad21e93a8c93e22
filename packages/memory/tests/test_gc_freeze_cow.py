"""Tests for memory.gc_freeze_cow: freeze keeps the collector off the shared pages."""

from __future__ import annotations

import functools
import os
import sys

import pytest

from handbook.memory.gc_freeze_cow import Faults, fork_minor_faults

linux_fork = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not hasattr(os, "fork"),
    reason="needs fork and Linux minor-fault accounting",
)

# One subprocess per distinct call (about 0.15 s each), four in all.
faults = functools.cache(fork_minor_faults)


@linux_fork
def test_a_child_collection_copies_the_parents_pages_without_freeze() -> None:
    # 200,000 lists span well over 1,000 pages; each visited page is copied once. (This
    # assumes the kernel copies 4 KiB on a COW fault; one that copied a whole 2 MiB
    # transparent huge page per fault would show far fewer faults for the same work.)
    assert faults(freeze_in="nowhere").child > 1_000


@linux_fork
def test_freeze_before_fork_cuts_the_childs_page_copies_by_at_least_10x() -> None:
    assert faults(freeze_in="nowhere").child > 10 * faults(freeze_in="parent").child


@linux_fork
def test_freezing_early_in_the_child_spares_the_childs_pages_too() -> None:
    # gc.freeze() is an O(1) list splice: done before the child's first collection it works.
    assert faults(freeze_in="nowhere").child > 10 * faults(freeze_in="child").child


@linux_fork
def test_only_a_freeze_before_fork_spares_the_parents_pages() -> None:
    # Frozen only in the child, the parent's own collection still copies the shared pages.
    assert faults(freeze_in="child").parent > 1_000
    assert faults(freeze_in="child").parent > 10 * faults(freeze_in="parent").parent


@linux_fork
def test_freeze_does_not_stop_refcount_writes_from_copying_pages() -> None:
    # Touching every frozen object writes its refcount: pages copied again (3.12+ too).
    touched = faults(freeze_in="parent", touch=True)
    assert touched.child > 10 * faults(freeze_in="parent").child


def test_only_statically_allocated_objects_are_immortal() -> None:
    def immortal(obj: object) -> bool:
        return sys.getrefcount(obj) > 2**30  # 3.12+ immortal refcounts sit near 2**32

    runtime_interned = sys.intern("".join(["gc", "-freeze-", "cow"]))
    assert immortal(None) == (sys.version_info >= (3, 12))
    assert immortal(runtime_interned) == (sys.version_info[:2] == (3, 12))  # mortal in 3.13
    assert not immortal([])  # ordinary containers are never immortal: refcount writes copy


def test_bad_freeze_in_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="freeze_in must be"):
        fork_minor_faults(freeze_in="before")  # type: ignore[arg-type]


def test_without_linux_fork_the_error_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(RuntimeError, match="needs Linux"):
        fork_minor_faults(freeze_in="parent")


def test_faults_is_a_named_pair() -> None:
    assert Faults(child=1, parent=2) == (1, 2)
