"""Caches that do not keep objects alive: weak dicts, ``finalize``, and the ``lru_cache`` trap.

Why interviewers ask this:
    A memoised method that "leaks every request object" is a classic
    production bug and a favourite code-review question. The candidate
    should see that a cache is a strong reference, say what ``lru_cache``
    on a method holds, and pick the right weak structure: an identity map
    (``WeakValueDictionary``), side data for objects they do not own
    (``WeakKeyDictionary``), or cleanup at death (``weakref.finalize``).

Common pitfalls:
    - ``@functools.lru_cache`` on a method (``LeakyPricer``): ``self`` is part
      of every cache key, and the cache lives on the class, so instances stay
      alive until ``cache_clear()`` or eviction (the default ``maxsize`` is
      128 entries; ``maxsize=None`` or ``@cache`` never evicts). ``del`` and
      ``gc.collect()`` do not free them.
    - "Fixing" it with ``self.price = lru_cache()(self.price)`` in
      ``__init__``: the instance holds the wrapper, which holds the bound
      method, which holds the instance. That is a cycle: freed only when the
      cycle collector runs (see ``memory.refcount_vs_cycles``).
    - A ``WeakKeyDictionary`` whose value refers to its key: the dict holds
      the value strongly, so the key never dies and the entry never goes.
    - ``weakref.finalize(obj, obj.close)``: the bound method holds ``obj``,
      so it never becomes unreachable and the finalizer runs only at exit.
      Pass what the cleanup needs (a file descriptor, a log) instead.
    - Expecting a ``WeakValueDictionary`` to *retain* anything: an entry
      lasts only while someone else holds the value. It is an identity map,
      not an LRU.
    - Weak references to builtins: ``int``, ``str``, ``bytes``, ``tuple``,
      ``list``, ``dict``, ``float`` and ``None`` raise ``TypeError``
      (``set``, ``frozenset``, functions and plain instances work).
      Subclasses of ``list``, ``dict``, ``str`` and ``float`` can be
      referenced weakly; subclasses of ``int``, ``tuple`` and ``bytes``
      cannot (checked on 3.11-3.13; see the follow-up on why). A
      class with ``__slots__`` needs a ``__weakref__`` slot, as
      ``memory.slots`` shows with ``WeakPoint``.

Key takeaways:
    - Per-instance memo (``Pricer``: a dict attribute, or
      ``functools.cached_property`` for a computed attribute) dies with the
      instance, by refcount, at ``del``, on CPython.
    - ``WeakValueDictionary`` (``IdentityMap``): one live object per key;
      when the last outside reference goes, the entry vanishes and the next
      lookup builds a new one.
    - ``WeakKeyDictionary`` (``Annotations``): data about objects you do not
      own, without changing their class or keeping them alive. Keys are
      compared by ``==`` and ``hash``, so it suits identity-compared objects.
    - ``weakref.finalize``: runs at most once (a second call returns
      ``None``), ``alive`` says whether it is still pending, ``detach()``
      cancels it and hands back the object and callback, and with
      ``atexit=True`` (the default) a pending one runs when the interpreter
      exits.
    - Keying a module-level cache by ``id(obj)`` is a trap: the int key does
      not keep ``obj`` alive and is not removed when ``obj`` dies, so the
      stale entry stays. The docs say that two objects with non-overlapping
      lifetimes may have the same ``id()``, so a new object can get the old
      entry (advice: on CPython a freed address is often reused soon, but
      when is not something a test can rely on). Key by the object in a
      ``WeakKeyDictionary`` instead; its entry goes when the object dies.
    - Go 1.24 added the ``weak`` package (``weak.Make``, ``Pointer.Value``)
      for the same canonicalising maps, with ``runtime.AddCleanup`` to drop
      map entries; before that, a Go cache was typically a strong map with explicit
      eviction. Java has ``WeakHashMap`` (weak keys, the
      ``WeakKeyDictionary`` analogue), ``WeakReference`` and ``Cleaner``.

What to look for in an answer:
    The candidate says who holds whom: the cache holds ``self``, the value
    holds the key, the callback holds the object. They prove a leak with a
    ``weakref.ref`` that is still alive after ``del``, not with RSS.
    Follow-ups:
    - Why does ``lru_cache`` on a method keep ``self``? (The wrapper is one
      class attribute; ``self`` is the first positional argument, so it is
      in every key, and the cache holds its keys strongly.)
    - When is ``lru_cache`` on a method acceptable? (Few, long-lived
      instances such as a singleton, or a small ``maxsize`` so eviction
      bounds what is held.)
    - ``cached_property`` and ``__slots__``? (It writes to the instance
      ``__dict__``, so a slotted class without ``__dict__`` cannot use it.)
    - Why can you not weakly reference an ``int``? (Builtins such as
      ``int``, ``str``, ``float`` and ``tuple`` have no weakref list slot,
      which saves memory in objects that are very numerous. A subclass
      normally gets a ``__weakref__`` slot, which is why subclasses of
      ``str`` and ``float`` work. ``int``, ``tuple`` and ``bytes`` are
      variable-size types (``__itemsize__ != 0``: their items sit at the end
      of the object), and CPython cannot add that slot to them, so even
      their subclasses cannot be referenced weakly, and
      ``__slots__ = ("__weakref__",)`` raises ``TypeError``. Wrap the value
      in an object.)
    - What runs a ``finalize`` callback? (The object's death, or a direct
      call, or interpreter exit if ``atexit`` is true: once, whichever
      comes first.)
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable

__all__ = [
    "Annotations",
    "Connection",
    "IdentityMap",
    "LeakyPricer",
    "Pricer",
    "weakly_referenceable",
]


class LeakyPricer:
    """The pitfall: ``lru_cache`` on a method; the class-wide cache keeps ``self`` alive."""

    def __init__(self, rate: int) -> None:
        self.rate = rate

    @functools.lru_cache  # noqa: B019 (this warning is the lesson)
    def price(self, cents: int) -> int:
        """Price with a markup; memoised in one cache shared by all instances."""
        return cents * self.rate


class Pricer:
    """The fix: the memo is an attribute, so it dies with the instance.

    >>> p = Pricer(3)
    >>> p.price(10), p.price(10), p.computed
    (30, 30, 1)
    """

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.computed = 0
        self._memo: dict[int, int] = {}  # break[lru-cache-in-init]

    def price(self, cents: int) -> int:
        """Price with a markup, computed once per argument for this instance."""
        try:
            return self._memo[cents]
        except KeyError:
            self.computed += 1
            result = self._memo[cents] = cents * self.rate
            return result


class Record:
    """A weak-referenceable value for ``IdentityMap`` (plain instances are)."""

    def __init__(self, key: str) -> None:
        self.key = key


class IdentityMap:
    """One live ``Record`` per key; an entry vanishes when nobody else holds its record.

    >>> ids = IdentityMap()
    >>> a = ids.get("user:1")
    >>> ids.get("user:1") is a, ids.created
    (True, 1)
    """

    def __init__(self, factory: Callable[[str], Record] = Record) -> None:
        self._factory = factory
        self._live: weakref.WeakValueDictionary[str, Record]
        self._live = weakref.WeakValueDictionary()  # break[strong-identity-map]
        self.created = 0

    def get(self, key: str) -> Record:
        """The live record for ``key``, built by the factory if none is alive."""
        record = self._live.get(key)
        if record is None:
            record = self._live[key] = self._factory(key)
            self.created += 1
        return record

    def __len__(self) -> int:
        return len(self._live)


class Annotations:
    """Notes attached to objects we do not own, without keeping those objects alive."""

    def __init__(self) -> None:
        self._notes: weakref.WeakKeyDictionary[object, list[str]]
        self._notes = weakref.WeakKeyDictionary()  # break[strong-annotations]

    def add(self, obj: object, note: str) -> None:
        """Attach ``note`` to ``obj`` (``TypeError`` if ``obj`` is not weakly referenceable)."""
        self._notes.setdefault(obj, []).append(note)

    def notes(self, obj: object) -> list[str]:
        """The notes on ``obj``, oldest first."""
        return list(self._notes.get(obj, []))

    def __len__(self) -> int:
        return len(self._notes)


def _release(fd: int, log: list[int]) -> None:
    log.append(fd)  # stands in for os.close(fd)


class Connection:
    """Releases its descriptor exactly once: on ``close()``, at death, or at exit."""

    def __init__(self, fd: int, log: list[int]) -> None:
        self.fd = fd
        # The callback gets fd and log, never self: holding self would keep it alive.
        self._finalizer = weakref.finalize(self, _release, fd, log)  # break[finalize-bound-method]

    def close(self) -> None:
        """Release now; later calls and the object's death do nothing more."""
        self._finalizer()

    @property
    def closed(self) -> bool:
        """True once the release has run."""
        return not self._finalizer.alive


def weakly_referenceable(obj: object) -> bool:
    """Whether ``weakref.ref(obj)`` works.

    >>> weakly_referenceable(Record("k")), weakly_referenceable(42), weakly_referenceable([])
    (True, False, False)
    """
    try:
        weakref.ref(obj)
    except TypeError:
        return False
    return True
