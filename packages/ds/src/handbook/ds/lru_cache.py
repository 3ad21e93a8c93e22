"""LRU cache: a hash map for O(1) lookup plus a recency order for O(1) eviction.

Why interviewers ask this:
    "Design an LRU cache with O(1) get and put" is asked everywhere because it
    forces two structures to cooperate: a hash map finds the entry, a doubly
    linked list keeps the recency order and unlinks any node in O(1). It then
    opens the production questions: memory per entry, what counts as a "use",
    eviction callbacks and thread-safety.

Common pitfalls:
    - Forgetting that a *read* is a use: ``cache[k]`` must move k to the most
      recent end, or hot keys get evicted (break it: ``no-refresh-on-hit``).
    - A singly linked list: unlinking needs the predecessor, so eviction or
      refresh becomes O(n). Doubly linked, with a sentinel, is O(1).
    - Storing only the value in the node: eviction must also delete the map
      entry, so the node needs its key.
    - Letting ``k in cache`` or a debugging ``repr`` count as a use.
    - The "pop and reinsert into a plain dict" trick: hits are fast, but
      evicting with ``next(iter(d))`` scans past every deleted entry at the
      front of the dict's entry array until the next resize compacts it, so
      an eviction costs O(capacity), not O(1). ``benchmarks/bench_ds.py``
      times it against ``LRUCache`` on a miss-only stream at two capacities
      (the package README's table): the gap grows with the capacity.
    - Assuming the GIL makes it thread-safe: ``value = d[k]`` then
      ``d.move_to_end(k)`` are two steps, and another thread can evict k in
      between (the forced interleaving in the tests corrupts the linked list).

Key takeaways:
    - ``LinkedLRUCache``: dict of key -> node, circular doubly linked list with
      a sentinel; least recent after the sentinel, most recent before it.
    - ``LRUCache`` (the one to use): one ``OrderedDict``, which *is* a dict plus
      a C doubly linked list: ``move_to_end`` on a use, ``popitem(last=False)``
      to evict. ``cachetools.LRUCache`` keeps a dict of values plus an
      ordered dict of keys; ``benchmarks/bench_ds.py`` compares the two on a
      Zipf stream (throughput) and a full cache (bytes per entry), and the
      package README's table has the ratios.
    - Thread-safety is a wrapper's job: ``SynchronizedCache`` holds one lock
      around every operation, including the compound ones (``pop``,
      ``setdefault``) that would otherwise interleave.
    - ``functools.lru_cache`` is the same idea for function results; Java's
      ``LinkedHashMap(accessOrder=true)`` + ``removeEldestEntry``; Go has no
      built-in: ``container/list`` + a map.

What to look for in an answer:
    A strong answer names both structures and why each is needed, keeps the
    key in the node, uses a sentinel, says what counts as a use, handles
    update-of-existing without eviction, and raises concurrency unprompted.
    Follow-ups:
    - How would you add a TTL? (Store an expiry; check on read with an injected
      clock; evict expired entries lazily or with a timer wheel.)
    - How do you make it scale across cores? (Shard by key hash, one lock per
      shard; or approximate LRU: CLOCK, sampled eviction as in Redis.)
    - When is LRU the wrong policy? (Scans flush it; frequency matters: LFU,
      ARC, W-TinyLFU as in Caffeine.)
    - Is ``functools.lru_cache`` thread-safe? (Its bookkeeping is: concurrent
      calls never corrupt it. But it does not make a caller wait for a result
      in progress: two threads that miss on the same key both call the
      function and each gets its own result; the one stored is the first to
      finish. So ``@lru_cache(maxsize=1)`` is no thread-safe singleton. For
      "call once per key" put a per-key lock or future in front
      ("single-flight"). The tests force the double call with events.)
    - Its knobs? (``maxsize=None`` is an unbounded dict with no recency list;
      ``typed=True`` caches ``f(3, 0)`` and ``f(3.0, 0)`` apart, which
      untyped share one entry (a lone int argument is its own key, so
      ``f(3)`` and ``f(3.0)`` never do); ``cache_info()`` reports hits,
      misses, maxsize and current size; ``cache_clear()`` empties it.)
    - What goes wrong with ``@lru_cache`` on a method? (The cache belongs to
      the class and its keys include ``self``, so it keeps every instance it
      has seen alive until evicted, forever with ``maxsize=None``; ruff's
      B019 warns. Cache per instance instead (wrap the bound method in
      ``__init__``; the instance and its cache then die together), or use
      ``functools.cached_property`` for a method without arguments.)
    - Should ``on_evict`` run under the cache's lock? (Here it does, so it
      sees a consistent cache, but every other caller waits while it runs,
      and a callback that takes a second lock can deadlock: it holds the
      cache lock and waits for the second while another thread holds the
      second and waits for the cache. The alternative: collect the evicted
      pairs under the lock and call back after releasing it.)

Complexity:
    ``LRUCache`` and ``LinkedLRUCache``: get, set, delete, ``in``, ``peek``:
    O(1). Iteration: O(n), from least to most recently used.
    ``SynchronizedCache`` adds one lock acquisition per operation.
"""

from __future__ import annotations

import threading
from abc import abstractmethod
from collections import OrderedDict
from collections.abc import (
    Callable,
    ItemsView,
    Iterator,
    KeysView,
    MutableMapping,
    ValuesView,
)
from contextlib import AbstractContextManager
from itertools import islice
from typing import Any, Generic, TypeVar, overload

from handbook.ds._inputs import validate_capacity

__all__ = ["BoundedCache", "LRUCache", "LinkedLRUCache", "SynchronizedCache"]

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")

_REPR_LIMIT = 10
_MISSING: Any = object()


def _no_pause() -> None:
    """The default pause point: do nothing, as in production code."""


class _PeekingItemsView(ItemsView[K, V]):
    """``cache.items()``: reads values with ``peek`` so that iterating is not a use."""

    __slots__ = ()
    _mapping: BoundedCache[K, V]

    def __iter__(self) -> Iterator[tuple[K, V]]:
        cache = self._mapping
        for key in cache:
            yield key, cache.peek(key)

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, tuple) or len(item) != 2:
            return False  # break[items-contain-keys]
        key, value = item
        try:
            found = self._mapping.peek(key)
        except KeyError:
            return False
        return found is value or bool(found == value)  # break[items-identity-only]


class _PeekingValuesView(ValuesView[V]):
    """``cache.values()``: reads values with ``peek`` so that iterating is not a use."""

    __slots__ = ()
    _mapping: BoundedCache[Any, V]

    def __iter__(self) -> Iterator[V]:
        cache = self._mapping
        for key in cache:
            yield cache.peek(key)

    def __contains__(self, value: object) -> bool:
        return any(v is value or v == value for v in self)  # break[values-identity-only]


class BoundedCache(MutableMapping[K, V]):
    """The interface every cache here shares: a mapping with a capacity and an eviction order.

    ``cache[k]``, ``get`` and assignment count as a use; ``k in cache``,
    ``peek``, ``len``, iteration, ``items()``, ``values()`` and ``repr`` do not.
    Iteration goes in eviction order: the first key is the next to be evicted.
    Inserting a new key into a full cache evicts one entry and then calls
    ``on_evict(key, value)``; ``del``, ``pop``, ``popitem`` and ``clear`` never
    call it. ``==`` compares contents with any mapping, as ``dict`` does.
    The implementations here are not thread-safe; ``SynchronizedCache`` wraps
    any of them to make it so.

    >>> caches = [LRUCache[str, int](1), LinkedLRUCache[str, int](1)]
    >>> [isinstance(cache, BoundedCache) for cache in caches]
    [True, True]
    """

    __slots__ = ()

    @property
    @abstractmethod
    def capacity(self) -> int:
        """The maximum number of entries."""

    @abstractmethod
    def peek(self, key: K) -> V:
        """The value for ``key`` without counting a use. KeyError if absent."""

    @abstractmethod
    def __contains__(self, key: object) -> bool:
        """True if ``key`` is cached, without counting a use."""

    def items(self) -> ItemsView[K, V]:
        """A view of ``(key, value)`` pairs in eviction order; not a use. O(1) to create.

        >>> c = LinkedLRUCache[str, int](2); c["a"] = 1; c["b"] = 2; list(c.items())
        [('a', 1), ('b', 2)]
        """
        return _PeekingItemsView(self)

    def values(self) -> ValuesView[V]:
        """A view of the values in eviction order; not a use. O(1) to create.

        >>> c = LinkedLRUCache[str, int](2); c["a"] = 1; c["b"] = 2; list(c.values())
        [1, 2]
        """
        return _PeekingValuesView(self)

    def __repr__(self) -> str:
        pairs = ", ".join(f"{k!r}: {v!r}" for k, v in islice(self.items(), _REPR_LIMIT))
        more = len(self) - _REPR_LIMIT
        if more > 0:
            pairs += f", ...<{more} more>"
        return f"{type(self).__name__}({self.capacity}, {{{pairs}}})"


class LRUCache(BoundedCache[K, V]):
    """A least-recently-used cache on one ``OrderedDict``: every operation O(1).

    The ordered dict keeps keys from least to most recently used:
    ``move_to_end`` records a use, ``popitem(last=False)`` evicts. See
    ``BoundedCache`` for what counts as a use. Not thread-safe: a hit is a
    lookup then a move, and a concurrent eviction between the two raises
    KeyError; wrap it in ``SynchronizedCache`` to share it between threads.

    >>> cache = LRUCache[str, int](2, on_evict=lambda k, v: print("evicted", k, v))
    >>> cache["a"] = 1; cache["b"] = 2
    >>> cache["a"]  # a use: "b" is now the least recently used
    1
    >>> cache["c"] = 3
    evicted b 2
    >>> cache
    LRUCache(2, {'a': 1, 'c': 3})
    >>> LRUCache(0)
    Traceback (most recent call last):
    ...
    ValueError: LRUCache capacity must be >= 1, got 0
    """

    __slots__ = ("_capacity", "_data", "_on_evict")

    def __init__(self, capacity: int, on_evict: Callable[[K, V], object] | None = None) -> None:
        self._capacity = validate_capacity(capacity, "LRUCache")
        self._data: OrderedDict[K, V] = OrderedDict()
        self._on_evict = on_evict

    @property
    def capacity(self) -> int:
        """The maximum number of entries. O(1).

        >>> LRUCache[str, int](3).capacity
        3
        """
        return self._capacity

    def __getitem__(self, key: K) -> V:
        """The value for ``key``, counted as a use. O(1).

        Raises KeyError if absent, TypeError if unhashable.

        >>> c = LRUCache[str, int](2); c["a"] = 1; c["a"]
        1
        """
        data = self._data
        value = data[key]
        data.move_to_end(key)  # break[no-refresh-on-hit]
        return value

    @overload
    def get(self, key: K, default: None = None) -> V | None: ...
    @overload
    def get(self, key: K, default: V | T) -> V | T: ...

    def get(self, key: K, default: object = None) -> object:
        """The value for ``key`` (a use), or ``default`` if absent. O(1). TypeError if unhashable.

        >>> c = LRUCache[str, int](2); c["a"] = 1; c.get("a"), c.get("z", 0)
        (1, 0)
        """
        data = self._data
        value = data.get(key, _MISSING)
        if value is _MISSING:
            return default
        data.move_to_end(key)
        return value

    def peek(self, key: K) -> V:
        """The value for ``key`` without counting a use. O(1). KeyError if absent.

        >>> c = LRUCache[str, int](2); c["a"] = 1; c["b"] = 2; c.peek("a"), list(c)
        (1, ['a', 'b'])
        """
        return self._data[key]

    def __setitem__(self, key: K, value: V) -> None:
        """Insert or update ``key`` (a use); a new key in a full cache evicts the LRU. O(1).

        ``on_evict`` runs after the cache is updated. TypeError if unhashable
        (the cache is then unchanged).

        >>> c = LRUCache[str, int](1); c["a"] = 1; c["b"] = 2; list(c)
        ['b']
        """
        data = self._data
        data[key] = value
        data.move_to_end(key)
        if len(data) > self._capacity:
            old_key, old_value = data.popitem(last=False)
            if self._on_evict is not None:
                self._on_evict(old_key, old_value)

    def __delitem__(self, key: K) -> None:
        """Remove ``key`` without calling ``on_evict``. O(1). KeyError if absent.

        >>> c = LRUCache[str, int](2); c["a"] = 1; del c["a"]; len(c)
        0
        """
        del self._data[key]

    def __contains__(self, key: object) -> bool:
        """True if ``key`` is cached; not a use. O(1). TypeError if unhashable."""
        return key in self._data

    def __len__(self) -> int:
        """Number of entries. O(1)."""
        return len(self._data)

    def __iter__(self) -> Iterator[K]:
        """Keys from least to most recently used. O(1) to start, O(n) in total.

        RuntimeError if a use happens meanwhile.
        """
        return iter(self._data)

    def keys(self) -> KeysView[K]:
        """A view of the keys, least recently used first. O(1) to create.

        >>> c = LRUCache[str, int](2); c["a"] = 1; c["b"] = 2; c["a"]; list(c.keys())
        1
        ['b', 'a']
        """
        return self._data.keys()

    def items(self) -> ItemsView[K, V]:
        """A view of ``(key, value)``, least recently used first; not a use. O(1) to create.

        >>> c = LRUCache[str, int](2); c["a"] = 1; c["b"] = 2; list(c.items())
        [('a', 1), ('b', 2)]
        """
        return self._data.items()

    def values(self) -> ValuesView[V]:
        """A view of the values, least recently used first; not a use. O(1) to create.

        >>> c = LRUCache[str, int](2); c["a"] = 1; c["b"] = 2; list(c.values())
        [1, 2]
        """
        return self._data.values()

    def popitem(self) -> tuple[K, V]:
        """Remove and return the least recently used entry, without ``on_evict``. O(1).

        KeyError if empty.

        >>> c = LRUCache[str, int](2); c["a"] = 1; c["b"] = 2; c.popitem()
        ('a', 1)
        """
        try:
            return self._data.popitem(last=False)
        except KeyError:
            raise KeyError("popitem(): LRUCache is empty") from None

    def clear(self) -> None:
        """Remove every entry, without ``on_evict``. O(n).

        >>> c = LRUCache[str, int](2); c["a"] = 1; c.clear(); len(c)
        0
        """
        self._data.clear()

    def _check(self) -> None:
        assert len(self._data) <= self._capacity, "more entries than capacity"
        assert self._capacity >= 1


class _Node(Generic[K, V]):
    """A linked-list node. It keeps its key so that eviction can delete the map entry."""

    __slots__ = ("key", "next", "prev", "value")

    key: K
    value: V
    prev: _Node[K, V]
    next: _Node[K, V]


class LinkedLRUCache(BoundedCache[K, V]):
    """The textbook LRU cache: a dict of key -> node and a circular doubly linked list.

    Least recently used sits right after the sentinel ``_root``, most recently
    used right before it. Same API and semantics as ``LRUCache`` (which is
    faster: its list is in C), down to iteration: a use, insert or delete
    while iterating raises RuntimeError at the iterator's next step, as the
    ordered dict does. ``pause`` is a test hook called inside a hit between
    the lookup and the relink, to force a thread switch there. Not
    thread-safe.

    >>> cache = LinkedLRUCache[str, int](2)
    >>> cache["a"] = 1; cache["b"] = 2; cache["a"]; cache["c"] = 3
    1
    >>> cache
    LinkedLRUCache(2, {'a': 1, 'c': 3})
    """

    __slots__ = ("_capacity", "_map", "_on_evict", "_pause", "_root", "_version")

    def __init__(
        self,
        capacity: int,
        on_evict: Callable[[K, V], object] | None = None,
        *,
        pause: Callable[[], None] = _no_pause,
    ) -> None:
        self._capacity = validate_capacity(capacity, "LinkedLRUCache")
        self._on_evict = on_evict
        self._pause = pause
        self._map: dict[K, _Node[K, V]] = {}
        root: _Node[K, V] = _Node()
        root.prev = root.next = root
        self._root = root
        # Bumped by every relink, so an iterator can tell that the list moved under it.
        self._version = 0

    @property
    def capacity(self) -> int:
        """The maximum number of entries. O(1)."""
        return self._capacity

    def _unlink(self, node: _Node[K, V]) -> None:
        node.prev.next = node.next
        node.next.prev = node.prev
        self._version += 1

    def _append(self, node: _Node[K, V]) -> None:
        """Link ``node`` as the most recently used: just before the sentinel."""
        root = self._root
        node.prev, node.next = root.prev, root
        root.prev.next = node
        root.prev = node
        self._version += 1

    def __getitem__(self, key: K) -> V:
        """The value for ``key``, counted as a use. O(1). KeyError if absent.

        >>> c = LinkedLRUCache[str, int](2); c["a"] = 1; c["a"]
        1
        """
        node = self._map[key]
        self._pause()  # the window: another thread may evict this node here
        self._unlink(node)
        self._append(node)
        return node.value

    def peek(self, key: K) -> V:
        """The value for ``key`` without counting a use. O(1). KeyError if absent.

        >>> c = LinkedLRUCache[str, int](2); c["a"] = 1; c.peek("a")
        1
        """
        return self._map[key].value

    def __setitem__(self, key: K, value: V) -> None:
        """Insert or update ``key`` (a use); a new key in a full cache evicts the LRU. O(1).

        >>> c = LinkedLRUCache[str, int](1); c["a"] = 1; c["b"] = 2; list(c)
        ['b']
        """
        node = self._map.get(key)  # TypeError for an unhashable key: nothing changed yet
        if node is not None:
            node.value = value
            self._unlink(node)
            self._append(node)
            return
        node = _Node()
        node.key, node.value = key, value
        self._map[key] = node
        self._append(node)
        if len(self._map) > self._capacity:
            victim = self._root.next
            self._unlink(victim)
            del self._map[victim.key]
            if self._on_evict is not None:
                self._on_evict(victim.key, victim.value)

    def __delitem__(self, key: K) -> None:
        """Remove ``key`` without calling ``on_evict``. O(1). KeyError if absent.

        >>> c = LinkedLRUCache[str, int](2); c["a"] = 1; del c["a"]; len(c)
        0
        """
        self._unlink(self._map.pop(key))

    def __contains__(self, key: object) -> bool:
        """True if ``key`` is cached; not a use. O(1)."""
        return key in self._map

    def __len__(self) -> int:
        """Number of entries. O(1)."""
        return len(self._map)

    def __iter__(self) -> Iterator[K]:
        """Keys from least to most recently used. O(1) to start, O(n) in total.

        RuntimeError if the cache is used, or gains or loses a key, meanwhile:
        a use moves the node the iterator stands on to the end of the list.

        >>> c = LinkedLRUCache[str, int](2); c["a"] = 1; c["b"] = 2; list(c)
        ['a', 'b']
        """
        root = self._root
        version = self._version
        node = root.next
        while node is not root:
            yield node.key
            if self._version != version:  # break[linked-iteration-ignores-uses]
                raise RuntimeError("LinkedLRUCache changed during iteration")
            node = node.next

    def _check(self) -> None:
        root, count = self._root, 0
        node = root.next
        while node is not root:
            assert node.prev.next is node, "a predecessor does not point back"
            assert node.next.prev is node, "a successor does not point back"
            assert self._map.get(node.key) is node, f"{node.key!r} is linked but not mapped"
            count += 1
            assert count <= len(self._map), "more linked nodes than mapped keys"
            node = node.next
        assert count == len(self._map), f"{len(self._map)} keys mapped, {count} linked"
        assert len(self._map) <= self._capacity, "more entries than capacity"


class SynchronizedCache(BoundedCache[K, V]):
    """A thread-safe wrapper: every operation on the wrapped cache runs under one lock.

    Compound operations (``pop``, ``setdefault``, ``popitem``, ``get``) are
    atomic too. Iteration, ``items()`` and ``values()`` work on a snapshot
    taken under the lock, so they never see a half-done update. ``on_evict``
    runs while the lock is held: every other caller waits until it returns,
    and the default ``threading.RLock`` lets it read the cache without
    deadlocking (a callback that takes some other lock can still deadlock
    against a thread holding that lock). The price: one lock acquisition per
    operation, and no parallelism (shard by key hash to scale).

    >>> cache = SynchronizedCache(LRUCache[str, int](2))
    >>> cache["a"] = 1; cache.setdefault("b", 2); cache.get("a")
    2
    1
    >>> list(cache), cache.capacity
    (['b', 'a'], 2)
    """

    __slots__ = ("_cache", "_lock")

    def __init__(
        self, cache: BoundedCache[K, V], lock: AbstractContextManager[Any] | None = None
    ) -> None:
        self._cache = cache
        self._lock: AbstractContextManager[Any] = threading.RLock() if lock is None else lock

    @property
    def capacity(self) -> int:
        """The wrapped cache's capacity. O(1).

        >>> SynchronizedCache(LRUCache[str, int](3)).capacity
        3
        """
        return self._cache.capacity

    def __getitem__(self, key: K) -> V:
        """``cache[key]`` under the lock (a use). O(1) plus the lock. KeyError if absent.

        >>> c = SynchronizedCache(LRUCache[str, int](2)); c["a"] = 1; c["a"]
        1
        """
        with self._lock:  # break[no-lock]
            return self._cache[key]

    def __setitem__(self, key: K, value: V) -> None:
        """``cache[key] = value`` under the lock (a use; may evict). O(1) plus the lock."""
        with self._lock:
            self._cache[key] = value

    def __delitem__(self, key: K) -> None:
        """``del cache[key]`` under the lock. O(1) plus the lock. KeyError if absent."""
        with self._lock:
            del self._cache[key]

    @overload
    def get(self, key: K, default: None = None) -> V | None: ...
    @overload
    def get(self, key: K, default: V | T) -> V | T: ...

    def get(self, key: K, default: object = None) -> object:
        """``cache.get(key, default)`` under the lock (a use when present). O(1) plus the lock.

        >>> SynchronizedCache(LRUCache[str, int](2)).get("z", 0)
        0
        """
        with self._lock:
            return self._cache.get(key, default)

    def peek(self, key: K) -> V:
        """``cache.peek(key)`` under the lock; not a use. O(1) plus the lock.

        KeyError if absent.

        >>> c = SynchronizedCache(LRUCache[str, int](2)); c["a"] = 1; c.peek("a")
        1
        """
        with self._lock:  # break[peek-without-lock]
            return self._cache.peek(key)

    @overload
    def pop(self, key: K) -> V: ...
    @overload
    def pop(self, key: K, default: V | T) -> V | T: ...

    def pop(self, key: K, default: object = _MISSING) -> object:
        """Remove ``key`` and return its value, atomically. O(1) plus the lock.

        KeyError if absent and no default.

        >>> c = SynchronizedCache(LRUCache[str, int](2)); c["a"] = 1; c.pop("a"), c.pop("a", 0)
        (1, 0)
        """
        with self._lock:  # break[pop-without-lock]
            if default is _MISSING:
                return self._cache.pop(key)
            return self._cache.pop(key, default)

    def popitem(self) -> tuple[K, V]:
        """Remove and return the next entry in eviction order, atomically. KeyError if empty.

        The wrapped cache's ``popitem`` cost (O(1) for ``LRUCache``) plus the lock.

        >>> c = SynchronizedCache(LRUCache[str, int](2)); c["a"] = 1; c["b"] = 2; c.popitem()
        ('a', 1)
        """
        with self._lock:
            return self._cache.popitem()

    def setdefault(self, key: K, default: V = None) -> V:  # type: ignore[assignment]
        """``cache[key]`` if present (a use), else insert ``default``; atomically.

        O(1) plus the lock.

        >>> c = SynchronizedCache(LRUCache[str, int](2)); c.setdefault("a", 1), c.setdefault("a", 2)
        (1, 1)
        """
        with self._lock:
            return self._cache.setdefault(key, default)

    def clear(self) -> None:
        """Remove every entry, atomically. O(n) under the lock.

        >>> c = SynchronizedCache(LRUCache[str, int](2)); c["a"] = 1; c.clear(); len(c)
        0
        """
        with self._lock:
            self._cache.clear()

    def __contains__(self, key: object) -> bool:
        """``key in cache`` under the lock; not a use. O(1) plus the lock."""
        with self._lock:
            return key in self._cache

    def __len__(self) -> int:
        """Number of entries. O(1) plus the lock."""
        with self._lock:
            return len(self._cache)

    def __iter__(self) -> Iterator[K]:
        """Iterate over a snapshot of the keys, in eviction order. O(n) under the lock."""
        with self._lock:
            return iter(list(self._cache))

    def items(self) -> ItemsView[K, V]:
        """A snapshot of the ``(key, value)`` pairs, in eviction order. O(n) under the lock.

        >>> c = SynchronizedCache(LRUCache[str, int](2)); c["a"] = 1; list(c.items())
        [('a', 1)]
        """
        with self._lock:  # break[items-without-lock]
            return dict(self._cache.items()).items()

    def values(self) -> ValuesView[V]:
        """A snapshot of the values, in eviction order. O(n) under the lock.

        >>> c = SynchronizedCache(LRUCache[str, int](2)); c["a"] = 1; list(c.values())
        [1]
        """
        with self._lock:
            return dict(self._cache.items()).values()

    def _check(self) -> None:
        with self._lock:
            check: Callable[[], None] | None = getattr(self._cache, "_check", None)
            if check is not None:
                check()
