"""Tests for memory.finding_leaks: snapshot diffs name the line, referrers name the holder."""

from __future__ import annotations

import ctypes
import functools
import gc
import inspect
import sys
import tracemalloc
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from handbook.memory import finding_leaks
from handbook.memory.finding_leaks import (
    LRUCache,
    Response,
    bounded_lookup,
    clear_leaky_cache,
    leaky_lookup,
)

CALLER_MARK = "# " + "caller-site"  # built so that only the marked line contains it
MODULE_FILE = str(Path(inspect.getfile(finding_leaks)).resolve())


def marker_line(func: Callable[..., object], marker: str) -> int:
    """The file line number of the one line in ``func`` that contains ``marker``."""
    lines, first = inspect.getsourcelines(func)
    hits = [first + i for i, line in enumerate(lines) if marker in line]
    assert len(hits) == 1, hits
    return hits[0]


@pytest.fixture
def tracing() -> Iterator[None]:
    """tracemalloc on (one frame) for the test, off afterwards unless it was already on."""
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    clear_leaky_cache()
    try:
        yield
    finally:
        clear_leaky_cache()
        if started:
            tracemalloc.stop()


def same_file(filename: str) -> bool:
    return str(Path(filename).resolve()) == MODULE_FILE


def test_a_snapshot_diff_points_at_the_exact_line_of_the_leak(tracing: None) -> None:
    before = tracemalloc.take_snapshot()
    for i in range(500):
        leaky_lookup(f"user-{i}")
    after = tracemalloc.take_snapshot()
    top = after.compare_to(before, "lineno")[0]
    frame = top.traceback[0]
    assert same_file(frame.filename)
    assert frame.lineno == marker_line(leaky_lookup, "# leak-site")
    # Each entry holds a Response and a body of 16 * len(key) bytes, at least 100 bytes:
    assert top.size_diff > 500 * 100
    assert top.count_diff >= 500  # at least one block per entry, net


def test_one_frame_charges_a_helpers_allocation_to_the_helper(tracing: None) -> None:
    before = tracemalloc.take_snapshot()
    held = [finding_leaks._render(f"user-{i}") for i in range(300)]
    after = tracemalloc.take_snapshot()
    top = after.compare_to(before, "lineno")[0]
    assert same_file(top.traceback[0].filename)  # not this test file's line
    assert top.traceback[0].lineno == marker_line(finding_leaks._render, "return Response")
    assert len(held) == 300


@pytest.mark.skipif(tracemalloc.is_tracing(), reason="needs to choose the frame count itself")
def test_more_frames_and_traceback_grouping_show_the_caller() -> None:
    tracemalloc.start(5)
    try:
        before = tracemalloc.take_snapshot()
        held = [finding_leaks._render(f"user-{i}") for i in range(300)]  # caller-site
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    top = after.compare_to(before, "traceback")[0]
    lines = {(str(Path(f.filename).resolve()), f.lineno) for f in top.traceback}
    here = str(Path(__file__).resolve())
    caller = marker_line(test_more_frames_and_traceback_grouping_show_the_caller, CALLER_MARK)
    assert (here, caller) in lines
    assert len(held) == 300


def test_get_referrers_names_the_dict_that_holds_a_leaked_object() -> None:
    clear_leaky_cache()
    try:
        leaked = leaky_lookup("suspect")
        holders = gc.get_referrers(leaked)
        assert any(h is finding_leaks._RESPONSES for h in holders)
        clear_leaky_cache()
        assert len(finding_leaks._RESPONSES) == 0  # the clear really empties it
        assert leaky_lookup("suspect") is not leaked  # so the next lookup renders again
    finally:
        clear_leaky_cache()


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="dict untracking is CPython's")
def test_get_referrers_misses_an_untracked_dict() -> None:
    body = ("x" * 100).encode()
    only_atoms: dict[str, bytes] = {"k": body}
    with_instance: dict[str, object] = {"k": body, "r": Response("r", b"")}
    assert not gc.is_tracked(only_atoms)  # str keys and bytes values only
    assert gc.is_tracked(with_instance)
    holders = gc.get_referrers(body)
    assert not any(h is only_atoms for h in holders)
    assert any(h is with_instance for h in holders)


def test_peak_stays_above_current_after_a_big_temporary_is_freed(tracing: None) -> None:
    tracemalloc.reset_peak()
    start_current, _ = tracemalloc.get_traced_memory()
    temp = [None] * 200_000  # one block of 200,000 pointers
    del temp
    current, peak = tracemalloc.get_traced_memory()
    size = 200_000 * ctypes.sizeof(ctypes.c_void_p)
    assert peak - start_current >= size  # the peak remembers the temporary
    assert current - start_current < size // 10  # the current size does not hold it


def test_a_bounded_cache_stays_flat_while_the_leaky_one_grows(tracing: None) -> None:
    cache = LRUCache(100)

    def bounded(key: str) -> None:
        if cache.get(key) is None:
            cache.put(key, finding_leaks._render(key))

    def growth(step: Callable[[str], object], first: int, n: int) -> int:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(first, first + n):
            step(f"user-{i}")
        return tracemalloc.get_traced_memory()[0] - before

    growth(bounded, 0, 200)  # warm up: fill the cache to its bound
    flat = growth(bounded, 200, 1_000)
    leaky = growth(leaky_lookup, 0, 1_000)
    cache._check()
    assert len(cache) == 100
    # Every new entry replaces an evicted one of the same size, so the bounded
    # cache's total barely moves (allow 16 KiB for allocator and dict noise);
    # the leaky one keeps every one of the 1,000 entries (over 100 bytes each).
    assert flat < 16 * 1024
    assert leaky > 1_000 * 100
    assert leaky > 10 * max(flat, 1)


def test_gc_collect_does_not_free_a_cache(tracing: None) -> None:
    gc.collect()  # first free any garbage left by earlier code, so it is not counted below
    before = tracemalloc.get_traced_memory()[0]
    first = leaky_lookup("user-0")
    for i in range(1, 1_000):
        leaky_lookup(f"user-{i}")
    grown = tracemalloc.get_traced_memory()[0] - before
    gc.collect()
    after_collect = tracemalloc.get_traced_memory()[0] - before
    assert len(finding_leaks._RESPONSES) == 1_000  # every entry is still reachable
    assert leaky_lookup("user-0") is first
    assert grown > 1_000 * 100  # over 100 bytes per entry, as above
    assert after_collect > grown - grown // 10  # the collection freed almost nothing


def test_lru_cache_on_a_method_keeps_self_alive() -> None:
    class Service:
        @functools.lru_cache(maxsize=128)  # noqa: B019 - the pitfall on purpose
        def lookup(self, key: str) -> str:
            return key.upper()

    service = Service()
    assert service.lookup("a") == "A"
    alive = weakref.ref(service)
    del service
    gc.collect()
    assert alive() is not None  # the cache's key holds the instance
    Service.lookup.cache_clear()
    gc.collect()
    assert alive() is None  # once the entry goes, so does the instance


def test_lru_cache_with_maxsize_keeps_at_most_maxsize_entries() -> None:
    bounded_lookup.cache_clear()
    try:
        for i in range(600):
            bounded_lookup(f"user-{i}")
        assert bounded_lookup.cache_info().currsize == 256
    finally:
        bounded_lookup.cache_clear()


def test_lru_cache_class_evicts_the_least_recently_used() -> None:
    cache = LRUCache(3)
    for key in "abc":
        cache.put(key, key.upper())
        cache._check()
    assert cache.get("a") == "A"  # "a" is now the most recent
    cache.put("d", "D")
    cache._check()
    assert cache.keys() == ["c", "a", "d"]  # "b" was the least recently used
    assert cache.get("b") is None
    cache.put("c", "C2")  # an update refreshes recency and does not grow
    assert (len(cache), cache.keys()) == (3, ["a", "d", "c"])


def test_lru_cache_class_update_in_a_full_cache_evicts_nothing() -> None:
    cache = LRUCache(3)
    for key in "abc":
        cache.put(key, key.upper())
    cache.put("b", "B2")  # "b" is neither the oldest nor the newest key
    cache._check()
    assert (len(cache), cache.keys()) == (3, ["a", "c", "b"])
    assert [cache.get(k) for k in "acb"] == ["A", "C", "B2"]


def test_lru_cache_class_get_tells_a_stored_falsy_value_from_a_miss() -> None:
    cache = LRUCache(3)
    cache.put("zero", 0)
    cache.put("none", None)
    assert cache.get("zero", "miss") == 0
    assert cache.get("none", "miss") is None
    assert cache.get("absent", "miss") == "miss"
    assert cache.get("absent") is None  # the default default
    assert cache.keys() == ["zero", "none"]  # the hits refreshed recency in that order


@pytest.mark.parametrize("maxsize", [0, -1])
def test_lru_cache_class_rejects_a_bound_below_one(maxsize: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        LRUCache(maxsize)


@pytest.mark.parametrize("maxsize", [2.5, True, "3"])
def test_lru_cache_class_rejects_a_bound_that_is_not_an_int(maxsize: object) -> None:
    with pytest.raises(TypeError, match="must be an int"):
        LRUCache(maxsize)  # type: ignore[arg-type]


@pytest.mark.skipif(sys.platform != "linux", reason="uses the C library's malloc via ctypes")
def test_tracemalloc_does_not_see_malloc_outside_pythons_allocators(tracing: None) -> None:
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    size = 1 << 20
    before = tracemalloc.get_traced_memory()[0]
    block = libc.malloc(size)
    after = tracemalloc.get_traced_memory()[0]
    try:
        assert block
        assert after - before < size // 16  # 1 MiB allocated, only ctypes' small objects seen
    finally:
        libc.free(block)
