"""Tests for ds.lru_cache: recency on a hit, the linked-list invariant, and a forced race.

The behaviour every cache shares is tested in test_caches_shared.py; here are the
LRU-specific claims and the thread-safety lesson.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

import pytest

from handbook.ds.lru_cache import LinkedLRUCache, LRUCache, SynchronizedCache

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


def test_a_use_while_iterating_is_detected() -> None:
    cache = LRUCache[int, int](3)
    for key in range(3):
        cache[key] = key
    keys = iter(cache)
    cache[next(keys)]  # a use moves the key: the ordered dict changes under the iterator
    with pytest.raises(RuntimeError):
        next(keys)


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


# --- every keyed operation of SynchronizedCache holds the lock -------------------------------


class BlockingKey:
    """A key whose first ``hash`` after ``arm()`` announces itself, then waits for ``release``.

    Hashing happens inside the wrapped cache's dict lookup, so a thread blocked here is
    inside whatever critical section the operation runs in.
    """

    def __init__(self) -> None:
        self.inside = threading.Event()
        self.release = threading.Event()
        self._armed = False

    def arm(self) -> None:
        self._armed = True

    def __hash__(self) -> int:
        if self._armed:
            self._armed = False
            self.inside.set()
            assert self.release.wait(WAIT), "the test never released the key"
        return 7


def ran_while_operation_was_inside(
    operation: Callable[[SynchronizedCache[Any, int], BlockingKey], object],
) -> tuple[list[int], list[object]]:
    """Run ``operation`` until it blocks inside the wrapped cache, then try ``len()`` alongside.

    Returns what the second thread's ``len()`` had returned by the time it was either
    waiting for the lock or done, and the operation's result. With the lock held the
    first list is empty: the second thread could only wait.
    """
    waiting_or_done = threading.Event()
    cache = SynchronizedCache(LRUCache[Any, int](4), lock=ContendedLock(waiting_or_done))
    key = BlockingKey()
    cache[key] = 1
    cache["other"] = 2
    key.arm()
    results: list[object] = []
    lengths: list[int] = []

    def second() -> None:
        lengths.append(len(cache))
        waiting_or_done.set()  # only reached first if nothing held the lock

    first, first_errors = run_in_thread(lambda: results.append(operation(cache, key)))
    threads = [first]
    try:
        assert key.inside.wait(WAIT), "the operation never hashed the key"
        other, second_errors = run_in_thread(second)
        threads.append(other)
        assert waiting_or_done.wait(WAIT)
        seen_while_inside = list(lengths)
    finally:
        key.release.set()
        for thread in threads:
            thread.join(WAIT)
    assert not any(thread.is_alive() for thread in threads)
    assert not first_errors
    assert not second_errors
    return seen_while_inside, results


def test_synchronized_peek_holds_the_lock() -> None:
    seen, results = ran_while_operation_was_inside(lambda cache, key: cache.peek(key))
    assert seen == [], "len() ran while peek was inside the cache"
    assert results == [1]


def test_synchronized_pop_holds_the_lock() -> None:
    seen, results = ran_while_operation_was_inside(lambda cache, key: cache.pop(key))
    assert seen == [], "len() ran while pop was inside the cache"
    assert results == [1]


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
