"""Tests for ds.lru_cache: recency on a hit, the linked-list invariant, and a forced race.

The behaviour every cache shares is tested in test_caches_shared.py; here are the
LRU-specific claims and the thread-safety lesson.
"""

from __future__ import annotations

import functools
import gc
import threading
import weakref
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, Protocol

import pytest

from handbook.ds.lru_cache import BoundedCache, LinkedLRUCache, LRUCache, SynchronizedCache

WAIT = 10.0  # generous: only a scheduling bug would ever reach it


def test_hit_refreshes_recency() -> None:
    cache = LRUCache[str, int](2)
    cache["a"] = 1
    cache["b"] = 2
    assert cache["a"] == 1  # "a" becomes the most recently used
    cache["c"] = 3
    cache._check()
    assert "a" in cache, "a hit must protect the key from the next eviction"
    assert list(cache) == ["a", "c"]


def test_iteration_runs_least_to_most_recent() -> None:
    cache = LRUCache[int, int](4)
    for key in range(4):
        cache[key] = key
    cache[1]
    cache.get(0)
    cache[2] = 20
    assert list(cache) == [3, 1, 0, 2]
    assert list(cache.items()) == [(3, 3), (1, 1), (0, 0), (2, 20)]


BOTH_LRU = pytest.mark.parametrize("make", [LRUCache, LinkedLRUCache], ids=lambda c: c.__name__)

CHANGES: dict[str, Callable[[BoundedCache[int, int], int], object]] = {
    "use": lambda cache, key: cache[key],
    "get": lambda cache, key: cache.get(key),
    "update": lambda cache, key: cache.__setitem__(key, -1),
    "insert": lambda cache, key: cache.__setitem__(99, 99),
    "delete": lambda cache, key: cache.__delitem__(key),
}


@BOTH_LRU
@pytest.mark.parametrize("change", list(CHANGES.values()), ids=list(CHANGES))
def test_a_use_or_change_while_iterating_is_detected(
    make: Callable[[int], BoundedCache[int, int]],
    change: Callable[[BoundedCache[int, int], int], object],
) -> None:
    cache = make(3)
    for key in range(3):
        cache[key] = key
    keys = iter(cache)
    change(cache, next(keys))  # the first key moves (or another comes or goes) meanwhile
    with pytest.raises(RuntimeError):
        list(keys)


def test_linked_cache_iteration_notices_that_its_node_moved() -> None:
    cache = LinkedLRUCache[int, int](3)
    for key in range(3):
        cache[key] = key
    keys = iter(cache)
    first = next(keys)
    assert cache[first] == 0  # a use: node 0 moves to the end, next to the sentinel
    # Walking on from node 0 would now reach the sentinel at once and stop after one
    # key of three, silently. The version check turns that into an error.
    with pytest.raises(RuntimeError, match="changed during iteration"):
        list(keys)
    assert list(cache) == [1, 2, 0]


@BOTH_LRU
def test_peeking_while_iterating_is_fine(make: Callable[[int], BoundedCache[int, int]]) -> None:
    cache = make(3)
    for key in range(3):
        cache[key] = key
    seen = []
    for key in cache:
        seen.append((key, cache.peek(key), key in cache))  # not uses: nothing moves
    assert seen == [(0, 0, True), (1, 1, True), (2, 2, True)]


def test_popitem_on_empty_names_the_cache() -> None:
    with pytest.raises(KeyError, match="LRUCache is empty"):
        LRUCache[int, int](1).popitem()


def test_linked_cache_check_catches_a_node_linked_twice() -> None:
    cache = LinkedLRUCache[str, int](3)
    cache["a"] = 1
    cache["b"] = 2
    cache._check()
    node = cache._map["a"]
    cache._append(node)  # linked again without unlinking: the list is now corrupt
    with pytest.raises(AssertionError):
        cache._check()


def test_linked_cache_views_hold_pairs_and_find_equal_values() -> None:
    # LinkedLRUCache (like LFUCache) uses the shared peeking views; LRUCache uses its
    # OrderedDict's own. Values are lists, so an equal copy is never the stored object.
    cache = LinkedLRUCache[int, list[int]](2)
    cache[5] = [50]
    items: Any = cache.items()  # Any: a non-pair is a legal question, if a silly one
    assert (5 in items) is False  # a key is not a (key, value) pair
    assert ((5, [50]) in cache.items()) is True
    assert ([50] in cache.values()) is True


# --- the thread-safety lesson: one forced interleaving ---------------------------------------


class PauseOnce:
    """A pause hook: the first call announces itself and waits until ``release`` is set."""

    def __init__(self, release: threading.Event) -> None:
        self.paused = threading.Event()
        self.release = release
        self._used = False

    def __call__(self) -> None:
        if self._used:
            return
        self._used = True
        self.paused.set()
        assert self.release.wait(WAIT), "the other thread never ran"


class ContendedLock:
    """A lock that sets ``contended`` when a thread has to wait for it."""

    def __init__(self, contended: threading.Event) -> None:
        self._lock = threading.Lock()
        self.contended = contended

    def __enter__(self) -> None:
        if self._lock.acquire(blocking=False):
            return
        self.contended.set()
        self._lock.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._lock.release()


def run_in_thread(target: Callable[[], object]) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def body() -> None:
        try:
            target()
        except BaseException as exc:  # pragma: no cover - surfaced by the caller
            errors.append(exc)

    thread = threading.Thread(target=body)
    thread.start()
    return thread, errors


def test_unsynchronized_hit_racing_an_eviction_corrupts_the_list() -> None:
    go_on = threading.Event()
    pause = PauseOnce(go_on)
    cache = LinkedLRUCache[str, int](2, pause=pause)
    cache["a"] = 1
    cache["b"] = 2
    reader, errors = run_in_thread(lambda: cache["a"])  # finds "a", then pauses
    assert pause.paused.wait(WAIT)
    cache["c"] = 3  # "a" is still the least recent: evicted while the reader holds its node
    go_on.set()
    reader.join(WAIT)
    assert not reader.is_alive()
    assert not errors
    # The reader relinked a node that is no longer in the map: a ghost entry.
    assert list(cache) == ["b", "c", "a"]
    assert "a" not in cache
    with pytest.raises(AssertionError, match="linked but not mapped"):
        cache._check()


def test_synchronized_cache_serializes_the_same_interleaving() -> None:
    other_thread_waiting_or_done = threading.Event()
    pause = PauseOnce(other_thread_waiting_or_done)
    lock = ContendedLock(other_thread_waiting_or_done)
    cache = SynchronizedCache(LinkedLRUCache[str, int](2, pause=pause), lock=lock)
    cache["a"] = 1
    cache["b"] = 2
    reader, read_errors = run_in_thread(lambda: cache["a"])
    assert pause.paused.wait(WAIT)

    def write() -> None:
        cache["c"] = 3
        other_thread_waiting_or_done.set()  # only reached first if nothing held it back

    writer, write_errors = run_in_thread(write)
    reader.join(WAIT)
    writer.join(WAIT)
    assert not reader.is_alive()
    assert not writer.is_alive()
    assert not read_errors
    assert not write_errors
    cache._check()
    assert list(cache) == ["a", "c"]  # the hit finished first, so "b" was the victim


def test_synchronized_compound_operations_and_snapshots() -> None:
    cache = SynchronizedCache(LRUCache[str, int](3))
    assert cache.setdefault("a", 1) == 1
    assert cache.setdefault("a", 5) == 1
    cache["b"] = 2
    keys = iter(cache)
    items = cache.items()
    cache["c"] = 3  # the snapshots taken above do not change
    assert list(keys) == ["a", "b"]
    assert list(items) == [("a", 1), ("b", 2)]
    assert list(cache.values()) == [1, 2, 3]
    assert cache.popitem() == ("a", 1)
    assert cache.peek("b") == 2


def test_synchronized_on_evict_may_read_the_cache() -> None:
    seen: list[int] = []
    holder: list[SynchronizedCache[str, int]] = []

    def on_evict(key: str, value: int) -> None:
        seen.append(len(holder[0]))  # re-enters the lock: fine with the default RLock

    cache = SynchronizedCache(LRUCache[str, int](1, on_evict=on_evict))
    holder.append(cache)
    cache["a"] = 1
    cache["b"] = 2
    assert seen == [1]


# --- every operation of SynchronizedCache holds the lock ------------------------------------


class Gate:
    """Once armed, the first ``wait_here()`` announces itself, then waits for ``release``."""

    def __init__(self) -> None:
        self.inside = threading.Event()
        self.release = threading.Event()
        self._armed = False

    def arm(self) -> None:
        self._armed = True

    def wait_here(self) -> None:
        if self._armed:
            self._armed = False
            self.inside.set()
            assert self.release.wait(WAIT), "the test never released the gate"


class BlockingKey(Gate):
    """A key whose hash waits at the gate.

    Hashing happens inside the wrapped cache's dict lookup, so a thread blocked here is
    inside whatever critical section the operation runs in.
    """

    def __hash__(self) -> int:
        self.wait_here()
        return 7


class GatedCache(BoundedCache[Any, int]):
    """An ``LRUCache`` in a wrapper whose every method first passes the gate.

    ``SynchronizedCache`` calls the wrapped cache only inside its critical sections, so a
    thread held at the gate is inside one; this reaches the methods that hash no key.
    """

    def __init__(self, capacity: int) -> None:
        self.gate = Gate()
        self._inner = LRUCache[Any, int](capacity)

    @property
    def capacity(self) -> int:
        return self._inner.capacity

    def peek(self, key: Any) -> int:
        self.gate.wait_here()
        return self._inner.peek(key)

    def __getitem__(self, key: Any) -> int:
        self.gate.wait_here()
        return self._inner[key]

    def __setitem__(self, key: Any, value: int) -> None:
        self.gate.wait_here()
        self._inner[key] = value

    def __delitem__(self, key: Any) -> None:
        self.gate.wait_here()
        del self._inner[key]

    def __contains__(self, key: object) -> bool:
        self.gate.wait_here()
        return key in self._inner

    def __len__(self) -> int:
        self.gate.wait_here()
        return len(self._inner)

    def __iter__(self) -> Iterator[Any]:
        self.gate.wait_here()
        return iter(self._inner)

    def items(self) -> Any:
        self.gate.wait_here()
        return self._inner.items()

    def values(self) -> Any:
        self.gate.wait_here()
        return self._inner.values()

    def popitem(self) -> tuple[Any, int]:
        self.gate.wait_here()
        return self._inner.popitem()

    def clear(self) -> None:
        self.gate.wait_here()
        self._inner.clear()

    def _check(self) -> None:
        self._inner._check()


class Armable(Protocol):
    inside: threading.Event
    release: threading.Event

    def arm(self) -> None: ...


def len_beside_a_blocked_call(
    cache: SynchronizedCache[Any, int],
    gate: Armable,
    waiting_or_done: threading.Event,
    operation: Callable[[], object],
) -> tuple[list[int], list[object]]:
    """Run ``operation`` until it blocks at ``gate``, then try ``len()`` alongside.

    Returns what the second thread's ``len()`` had returned by the time it was either
    waiting for the lock or done, and the operation's result. With the lock held the
    first list is empty: the second thread could only wait.
    """
    gate.arm()
    results: list[object] = []
    lengths: list[int] = []

    def second() -> None:
        lengths.append(len(cache))
        waiting_or_done.set()  # only reached first if nothing held the lock

    first, first_errors = run_in_thread(lambda: results.append(operation()))
    threads = [first]
    try:
        assert gate.inside.wait(WAIT), "the operation never reached the gate"
        other, second_errors = run_in_thread(second)
        threads.append(other)
        assert waiting_or_done.wait(WAIT)
        seen_while_inside = list(lengths)
    finally:
        gate.release.set()
        for thread in threads:
            thread.join(WAIT)
    assert not any(thread.is_alive() for thread in threads)
    assert not first_errors
    assert not second_errors
    return seen_while_inside, results


def ran_while_operation_was_inside(
    operation: Callable[[SynchronizedCache[Any, int], BlockingKey], object],
) -> tuple[list[int], list[object]]:
    """``len_beside_a_blocked_call`` for a keyed operation, blocked hashing its key."""
    waiting_or_done = threading.Event()
    cache = SynchronizedCache(LRUCache[Any, int](4), lock=ContendedLock(waiting_or_done))
    key = BlockingKey()
    cache[key] = 1
    cache["other"] = 2
    return len_beside_a_blocked_call(cache, key, waiting_or_done, lambda: operation(cache, key))


def ran_while_gated(
    operation: Callable[[SynchronizedCache[Any, int]], object],
) -> tuple[list[int], list[object]]:
    """``len_beside_a_blocked_call`` for any operation, blocked on entering the wrapped cache."""
    waiting_or_done = threading.Event()
    inner = GatedCache(4)
    cache = SynchronizedCache(inner, lock=ContendedLock(waiting_or_done))
    cache["a"] = 1
    cache["b"] = 2
    return len_beside_a_blocked_call(cache, inner.gate, waiting_or_done, lambda: operation(cache))


def test_synchronized_peek_holds_the_lock() -> None:
    seen, results = ran_while_operation_was_inside(lambda cache, key: cache.peek(key))
    assert seen == [], "len() ran while peek was inside the cache"
    assert results == [1]


def test_synchronized_pop_holds_the_lock() -> None:
    seen, results = ran_while_operation_was_inside(lambda cache, key: cache.pop(key))
    assert seen == [], "len() ran while pop was inside the cache"
    assert results == [1]


def test_synchronized_items_holds_the_lock() -> None:
    seen, results = ran_while_gated(lambda cache: list(cache.items()))
    assert seen == [], "len() ran while items() was copying the cache"
    assert results == [[("a", 1), ("b", 2)]]


KEYED_OPERATIONS: dict[str, Callable[[SynchronizedCache[Any, int], BlockingKey], object]] = {
    "getitem": lambda cache, key: cache[key],
    "get": lambda cache, key: cache.get(key),
    "contains": lambda cache, key: key in cache,
    "setitem": lambda cache, key: cache.__setitem__(key, 10),
    "delitem": lambda cache, key: cache.__delitem__(key),
    "setdefault": lambda cache, key: cache.setdefault(key, 10),
    "pop-default": lambda cache, key: cache.pop(key, 0),
}


@pytest.mark.parametrize("operation", list(KEYED_OPERATIONS.values()), ids=list(KEYED_OPERATIONS))
def test_every_keyed_operation_holds_the_lock(
    operation: Callable[[SynchronizedCache[Any, int], BlockingKey], object],
) -> None:
    seen, _ = ran_while_operation_was_inside(operation)
    assert seen == []


WholeCacheOperation = Callable[[SynchronizedCache[Any, int]], object]

# Every other method that takes the lock (items() has its own test above), with its result.
WHOLE_CACHE_OPERATIONS: dict[str, tuple[WholeCacheOperation, object]] = {
    "iter": (lambda cache: list(iter(cache)), ["a", "b"]),
    "values": (lambda cache: list(cache.values()), [1, 2]),
    "popitem": (lambda cache: cache.popitem(), ("a", 1)),
    "clear": (lambda cache: cache.clear(), None),
    "len": (len, 2),
}


@pytest.mark.parametrize(
    ("operation", "expected"),
    list(WHOLE_CACHE_OPERATIONS.values()),
    ids=list(WHOLE_CACHE_OPERATIONS),
)
def test_every_whole_cache_operation_holds_the_lock(
    operation: WholeCacheOperation, expected: object
) -> None:
    seen, results = ran_while_gated(operation)
    assert seen == []
    assert results == [expected]


def test_synchronized_on_evict_runs_under_the_lock_and_holds_up_everyone() -> None:
    waiting_or_done = threading.Event()
    gate = Gate()
    inner = LRUCache[str, int](1, on_evict=lambda key, value: gate.wait_here())
    cache = SynchronizedCache(inner, lock=ContendedLock(waiting_or_done))
    cache["a"] = 1
    seen, _ = len_beside_a_blocked_call(
        cache, gate, waiting_or_done, lambda: cache.__setitem__("b", 2)
    )
    assert seen == [], "len() ran while on_evict was running"
    assert cache == {"b": 2}


# --- functools.lru_cache: the follow-ups -----------------------------------------------------


def test_functools_lru_cache_may_call_the_function_twice_for_one_key() -> None:
    entered = threading.Event()
    release = threading.Event()
    calls: list[int] = []

    @functools.lru_cache(maxsize=8)
    def load(x: int) -> list[int]:
        calls.append(x)
        if len(calls) == 1:  # the first caller stays inside until released
            entered.set()
            assert release.wait(WAIT)
        return [x]

    results: list[list[int]] = []
    first, errors = run_in_thread(lambda: results.append(load(1)))
    assert entered.wait(WAIT)  # the first call is running: nothing is cached yet
    second = load(1)  # so this is a miss too, and the function runs again
    release.set()
    first.join(WAIT)
    assert not first.is_alive()
    assert not errors
    assert calls == [1, 1]
    info = load.cache_info()
    assert (info.hits, info.misses, info.currsize) == (0, 2, 1)  # the bookkeeping is intact
    # Two different result objects; the cache keeps the one stored first (the second
    # caller finished first), and the first caller got its own.
    assert results[0] == second
    assert results[0] is not second
    assert load(1) is second


def test_functools_lru_cache_options_and_statistics() -> None:
    @functools.cache  # lru_cache(maxsize=None)
    def unbounded(x: int) -> int:
        return x * 2

    unbounded(1)
    unbounded(1)
    unbounded(2)
    assert unbounded.cache_info() == (1, 2, None, 2)  # hits, misses, maxsize, currsize
    unbounded.cache_clear()
    assert unbounded.cache_info() == (0, 0, None, 0)

    @functools.lru_cache(maxsize=4)
    def kind(x: float, y: int) -> str:
        return type(x).__name__

    @functools.lru_cache(maxsize=4, typed=True)
    def typed_kind(x: float, y: int) -> str:
        return type(x).__name__

    # (3, 0) == (3.0, 0) with equal hashes: one key, so the first answer is reused.
    assert (kind(3, 0), kind(3.0, 0)) == ("int", "int")
    assert (typed_kind(3, 0), typed_kind(3.0, 0)) == ("int", "float")
    assert typed_kind.cache_info().currsize == 2

    # "Usually" equivalent, say the docs: a lone int or str argument is its own key,
    # and any other lone argument is wrapped in a tuple, so 3 and (3.0,) never match.
    @functools.lru_cache(maxsize=4)
    def lone(x: float) -> str:
        return type(x).__name__

    assert (lone(3), lone(3.0)) == ("int", "float")


def test_functools_lru_cache_on_a_method_keeps_instances_alive() -> None:
    class Report:
        @functools.cache  # noqa: B019 (the leak is the point)
        def total(self, n: int) -> int:
            return 2 * n

    report = Report()
    assert report.total(3) == 6
    alive = weakref.ref(report)
    del report
    gc.collect()
    assert alive() is not None  # the class's cache holds (self, 3) as a key
    Report.total.cache_clear()
    assert alive() is None

    class PerInstance:
        def __init__(self) -> None:
            self.total = functools.cache(self._total)

        def _total(self, n: int) -> int:
            return 2 * n

    each = PerInstance()
    assert each.total(3) == 6
    gone = weakref.ref(each)
    del each
    gc.collect()  # instance -> its cache -> bound method -> instance: a cycle, collected
    assert gone() is None
