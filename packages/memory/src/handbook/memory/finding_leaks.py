"""Find a leak with ``tracemalloc`` snapshots and ``gc.get_referrers``, then bound the cache.

Why interviewers ask this:
    "Memory climbs all day and the pod is OOM-killed at night" is the most
    common memory incident in Python services, and the cause is usually an
    unbounded cache: a module-level dict that gains an entry per request.
    The candidate should go from symptom (RSS over time) to line of code
    (a snapshot diff) to owner (who holds the object) to a fix with proof
    (memory stays flat over many iterations).

Common pitfalls:
    - Reading one snapshot: the biggest allocator is often legitimate. Take
      two snapshots around the suspect workload and compare them
      (``snapshot.compare_to(old, "lineno")``): the growth names the line.
    - Tracing with one frame (``tracemalloc.start()``) and blaming the
      helper: an allocation is charged to the innermost Python line running
      when it happens, so a leak built in a helper points into the helper.
      ``tracemalloc.start(10)`` and ``compare_to(old, "traceback")`` show
      the callers.
    - Expecting ``gc.get_referrers`` to find every holder: it only sees
      containers the cycle collector tracks. On CPython 3.11-3.13 a dict
      holding only atomic values (``str`` keys, ``bytes`` values) is
      untracked, so the dict that leaks them is not reported
      (``test_get_referrers_misses_an_untracked_dict``).
    - Trusting tracemalloc as the whole story: it sees only memory from
      Python's allocators. A C extension calling ``malloc`` directly is
      invisible to it; compare its total with the process RSS over time.
    - "Fixing" with ``gc.collect()`` calls: a cache entry is reachable,
      so no collector frees it; the dict keeps every entry and the traced
      memory does not drop (``test_gc_collect_does_not_free_a_cache``).
      Bound the cache instead.

Key takeaways:
    - ``leaky_lookup`` is the leak: an unbounded module-level dict, one
      entry per distinct key. The snapshot diff's top statistic points at
      its exact line (the tests compute the line from a marker comment).
    - ``gc.get_referrers(obj)`` named the holder: the ``_RESPONSES`` dict.
    - ``tracemalloc.get_traced_memory()`` returns ``(current, peak)``;
      a large temporary raises the peak but not the current size, and
      ``tracemalloc.reset_peak()`` (3.9+) starts a new window.
    - The fix is a bound: ``LRUCache`` (an ``OrderedDict``: ``move_to_end``
      on a hit, ``popitem(last=False)`` when full) or
      ``functools.lru_cache(maxsize=N)``. Over 1,000 distinct keys past the
      bound, the traced memory then grows by less than a fixed bound (16
      KiB), while the leaky version grows with every key (tests assert both).
    - Other tools (advice, not tested here): ``objgraph`` (counts by type,
      ``show_growth``, back-reference graphs), ``memray`` (native and
      Python allocations, flame graphs, live mode), ``py-spy dump``
      (stacks of a running process, no memory data), ``guppy3``/heapy
      (heap partitions by type). In production, chart RSS over time first;
      start tracemalloc via ``PYTHONTRACEMALLOC=N`` or ``-X tracemalloc``
      only on one instance, because it slows every allocation.
    - Go: ``net/http/pprof`` heap profiles (``go tool pprof -base old new``
      diffs ``inuse_space`` by stack), the same two-snapshot idea. Java:
      a heap dump (``jmap -dump`` or ``-XX:+HeapDumpOnOutOfMemoryError``)
      opened in Eclipse MAT, whose dominator tree and "path to GC roots"
      answer "who holds it", as ``gc.get_referrers`` does here.

What to look for in an answer:
    Measure before guessing; diff two snapshots; find the owner; fix with a
    bound and show it holds. Follow-ups:
    - RSS grows but tracemalloc is flat: why? (Native allocations from C
      extensions, fragmentation and memory the allocator keeps for reuse:
      pymalloc returns an arena to the OS only when all of it is free. glibc
      malloc serves large requests (from 128 KiB by default; the threshold
      rises at run time) with ``mmap`` and unmaps them at once on ``free``,
      but its ``brk`` heap shrinks only from the top (past
      ``M_TRIM_THRESHOLD``), so one live chunk near the top pins the freed
      memory below it; its other arenas fragment the same way.)
    - Why does RSS not drop after you clear the cache? (Same reasons: freed
      memory is reused by the process before it goes back to the OS.)
    - How do you find a leak without restarting the service? (Expose a
      debug endpoint that takes snapshots, or attach ``memray`` or a
      debugger; ``py-spy dump`` shows what it is doing, not what it holds.)
    - How do you size the bound? (From the hit rate you need and the
      per-entry size measured with tracemalloc; add a TTL when entries go
      stale.)
    - Why is ``functools.lru_cache`` on a method a leak? (The cache lives on
      the class's function and its keys hold ``self``, so every instance
      stays alive until its entries are evicted, or forever with
      ``maxsize=None``. ``test_lru_cache_on_a_method_keeps_self_alive``
      shows it. Cache per instance, or key on an id the instance owns.)
    - What else holds objects without a cache? (A stored exception: its
      ``__traceback__`` holds every frame and so their locals;
      ``sys.last_traceback`` in an interactive session; reference cycles,
      freed only when the cycle collector runs. A
      ``weakref.WeakValueDictionary`` is an alternative to a bound when
      entries should live only while someone else uses them.)

Complexity:
    ``LRUCache.get`` and ``put`` are O(1); memory is O(maxsize) entries.
"""

from __future__ import annotations

import functools
from collections import OrderedDict

__all__ = ["LRUCache", "Response", "bounded_lookup", "clear_leaky_cache", "leaky_lookup"]


class Response:
    """A rendered response: the kind of object a per-request cache holds."""

    __slots__ = ("body", "key")

    def __init__(self, key: str, body: bytes) -> None:
        self.key = key
        self.body = body


def _render(key: str) -> Response:
    return Response(key, key.encode() * 16)


_RESPONSES: dict[str, Response] = {}  # the leak: nothing ever removes an entry


def leaky_lookup(key: str) -> Response:
    """Render once per key and keep the result forever (the pitfall).

    >>> leaky_lookup("a") is leaky_lookup("a")
    True
    >>> clear_leaky_cache()
    """
    if key not in _RESPONSES:
        _RESPONSES[key] = Response(key, key.encode() * 16)  # leak-site  # break[in-a-helper]
    return _RESPONSES[key]


def clear_leaky_cache() -> None:
    """Empty the leaky cache (tests call it so they do not depend on each other)."""
    _RESPONSES.clear()


class LRUCache:
    """At most ``maxsize`` entries; a put into a full cache evicts the least recently used.

    >>> cache = LRUCache(2)
    >>> cache.put("a", 1); cache.put("b", 2); cache.get("a")
    1
    >>> cache.put("c", 3)  # evicts "b": "a" was used more recently
    >>> cache.get("b", "miss"), list(cache.keys())
    ('miss', ['a', 'c'])

    Raises ``TypeError`` when ``maxsize`` is not an ``int`` (``bool``
    included) and ``ValueError`` when it is below 1.
    """

    def __init__(self, maxsize: int) -> None:
        if isinstance(maxsize, bool) or not isinstance(maxsize, int):
            raise TypeError(f"maxsize must be an int, not {type(maxsize).__name__}")
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.maxsize = maxsize
        self._data: OrderedDict[str, object] = OrderedDict()

    def get(self, key: str, default: object = None) -> object:
        """The value for ``key`` (now the most recently used), or ``default``. O(1).

        A stored ``None`` or other falsy value is a hit, not a miss: pass a
        ``default`` of your own to tell them apart.

        >>> cache = LRUCache(2)
        >>> cache.put("zero", 0)
        >>> cache.get("zero", "miss"), cache.get("absent", "miss")
        (0, 'miss')
        """
        if key not in self._data:
            return default
        self._data.move_to_end(key)  # break[no-recency-on-hit]
        return self._data[key]

    def put(self, key: str, value: object) -> None:
        """Store ``value``, evicting the least recently used entry if full. O(1)."""
        self._data[key] = value  # break[evict-before-insert]
        self._data.move_to_end(key)
        if len(self._data) > self.maxsize:  # break[evict-one-early]
            self._data.popitem(last=False)  # break[evict-newest]

    def keys(self) -> list[str]:
        """Keys from least to most recently used."""
        return list(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def _check(self) -> None:
        assert len(self._data) <= self.maxsize, (len(self._data), self.maxsize)


@functools.lru_cache(maxsize=256)
def bounded_lookup(key: str) -> Response:
    """The one-line fix for a pure function: the standard library's bounded LRU.

    >>> bounded_lookup("a") is bounded_lookup("a")
    True
    """
    return _render(key)
