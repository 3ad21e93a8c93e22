"""Tests for internals.immortals: getrefcount's off-by-one, refcount movement, PEP 683."""

from __future__ import annotations

import itertools
import mmap
import sys
import sysconfig

import pytest

from handbook.internals.immortals import (
    IMMORTAL_OBJECTS,
    IMMORTAL_REFCNT,
    INTERNED_STRINGS_IMMORTAL,
    expected_growth,
    header_page_after_fork,
    is_immortal,
    pagemap_readable,
    refcount_growth,
)

SINGLETONS: list[object] = [None, True, False, 0, -5, 256, (), Ellipsis]


def test_getrefcount_counts_its_own_argument() -> None:
    x = object()
    held_by_one_name = sys.getrefcount(x)
    assert held_by_one_name >= 2  # the name x plus the argument's temporary reference
    y = x
    assert sys.getrefcount(x) == held_by_one_name + 1
    del y
    # An object made inside the call has no name: it reports less than x does.
    unnamed = sys.getrefcount(object())  # outside the assert: pytest's rewrite would name it
    assert unnamed < held_by_one_name


def test_an_ordinary_object_grows_by_exactly_the_references_added() -> None:
    for obj in [object(), [1, 2], int("257"), "".join(["ab", "cd"])]:
        assert refcount_growth(obj, extra=100) == 100
        assert refcount_growth(obj, extra=7) == 7
        assert not is_immortal(obj)


def test_dropping_the_references_brings_the_count_back() -> None:
    x = object()
    before = sys.getrefcount(x)
    refcount_growth(x, extra=50)
    assert sys.getrefcount(x) == before


def test_immortal_objects_exist_from_312() -> None:
    assert IMMORTAL_OBJECTS is (sys.version_info >= (3, 12))


@pytest.mark.parametrize("obj", SINGLETONS, ids=repr)
def test_singletons_refcount_stops_moving_from_312(obj: object) -> None:
    growth = refcount_growth(obj, extra=100)
    assert growth == expected_growth(100, singleton=True)
    if sys.version_info >= (3, 12):
        assert growth == 0
        assert is_immortal(obj)
    else:
        assert growth == 100  # 3.11: every object's count moves
        assert not is_immortal(obj)


def test_none_refcount_is_a_huge_constant_from_312() -> None:
    if sys.version_info >= (3, 12):
        before = sys.getrefcount(None)
        assert before >= 2**30 - 1  # _Py_IMMORTAL_REFCNT on 32-bit 3.12; 2**32 - 1 on 64-bit
        refs = [None] * 1000
        assert sys.getrefcount(None) == before
        del refs
    else:
        # An ordinary count: large (None is everywhere) but far from the
        # immortal range, and it moves with the references we add.
        assert sys.getrefcount(None) < 2**30
        assert refcount_growth(None, extra=1000) == 1000


def test_an_int_outside_the_small_int_cache_is_mortal_everywhere() -> None:
    # int("257") is a new object each time (the cache stops at 256).
    big = int("257")
    assert refcount_growth(big) == expected_growth(100, singleton=False) == 100


def test_a_large_refcount_is_not_immortality() -> None:
    popular = object()
    fans = [popular] * 5000  # a big count, yet every new reference still moves it
    assert sys.getrefcount(popular) > 5000
    assert not is_immortal(popular)
    del fans


@pytest.mark.parametrize("obj", SINGLETONS, ids=repr)
def test_getrefcount_reports_one_fixed_value_for_every_immortal(obj: object) -> None:
    if IMMORTAL_REFCNT is None:  # 3.11: no immortals; 3.14+ and free-threaded: other values
        assert not IMMORTAL_OBJECTS or sys.version_info >= (3, 14)
        return
    refs = [obj] * 1000
    assert sys.getrefcount(obj) == IMMORTAL_REFCNT
    del refs
    assert sys.getrefcount(obj) == IMMORTAL_REFCNT
    assert is_immortal(obj)  # the movement test agrees with the fixed value


def test_immortal_refcnt_is_uint_max_on_64_bit_312_and_313() -> None:
    if (3, 12) <= sys.version_info < (3, 14) and sys.maxsize > 2**32:
        expected = None if sysconfig.get_config_var("Py_GIL_DISABLED") else 2**32 - 1
        assert expected == IMMORTAL_REFCNT
    if sys.version_info < (3, 12):
        assert IMMORTAL_REFCNT is None
    assert not hasattr(sys, "_is_immortal") or sys.version_info >= (3, 14)


def test_static_strings_are_immortal_from_312() -> None:
    # The empty string and one-character Latin-1 strings are statically
    # allocated singletons: asking for them at run time returns the singleton.
    for text in ["".join([]), chr(97), chr(233)]:
        assert refcount_growth(text) == expected_growth(100, singleton=True)


_SERIAL = itertools.count()


def _runtime_string() -> str:
    """A new string built at run time, equal to no literal and to no earlier call."""
    return "-".join(["interned", "at", "run", "time", str(next(_SERIAL))])


def test_sys_intern_is_immortal_only_on_3120_to_3126() -> None:
    interned = sys.intern(_runtime_string())
    copy = "".join(list(interned))
    assert copy == interned
    assert copy is not interned
    assert sys.intern(copy) is interned  # interning returns the one stored object
    growth = refcount_growth(interned)
    if INTERNED_STRINGS_IMMORTAL:
        assert growth == 0  # measured on 3.12.1
        assert IMMORTAL_REFCNT is None or sys.getrefcount(interned) == IMMORTAL_REFCNT
    else:
        assert growth == 100  # 3.11, 3.13.0 (and 3.12.7+): interned, yet mortal
        assert sys.getrefcount(interned) < 2**30
    if sys.version_info >= (3, 13):
        assert sys._is_interned(interned)  # interned all the same


def test_interned_strings_gate_matches_the_measured_versions() -> None:
    version = sys.version_info[:3]
    if version < (3, 12) or version == (3, 13, 0):
        assert not INTERNED_STRINGS_IMMORTAL
    if version == (3, 12, 1):
        assert INTERNED_STRINGS_IMMORTAL


def _small_int_alone_on_a_page() -> int:
    """A small int whose header sits on a page holding nothing but small ints.

    -5..256 live in one static array (CPython detail), 262 objects of equal
    size: more than two pages, so at least one page lies wholly inside it.
    """
    stride = id(-4) - id(-5)
    assert all(id(n + 1) - id(n) == stride for n in range(-5, 256))
    first, end = id(-5), id(256) + stride
    page = -(-first // mmap.PAGESIZE) * mmap.PAGESIZE  # first page boundary in the array
    assert page + mmap.PAGESIZE <= end
    n = -5 + -(-(page - first) // stride)  # first int whose header starts on that page
    assert page <= id(n) < page + mmap.PAGESIZE
    return n


needs_pagemap = pytest.mark.skipif(
    sys.platform != "linux" or not pagemap_readable(),
    reason="needs Linux /proc/self/pagemap and os.fork",
)


@needs_pagemap
def test_taking_a_reference_in_a_forked_child_copies_the_page() -> None:
    # 64 MiB is above glibc's largest mmap threshold, so the object gets
    # pages of its own: nothing else lives on its header's page.
    big = bytes(64 << 20)
    assert header_page_after_fork(big, take_reference=False) == (False, False)
    assert header_page_after_fork(big, take_reference=True) == (False, True)


@needs_pagemap
def test_small_ints_pages_stay_shared_in_a_forked_child_from_312() -> None:
    n = _small_int_alone_on_a_page()
    before, after = header_page_after_fork(n, take_reference=True)
    if IMMORTAL_OBJECTS:
        assert (before, after) == (False, False)  # the incref wrote nothing
    else:
        assert after  # 3.11: the incref wrote the header, the page was copied
