"""Dicts: insertion order, no resizing while iterating, defaultdict/Counter/setdefault, ``|`` merge.

Why interviewers ask this:
    The dict is the workhorse of every backend service (JSON, caches, indexes,
    counters), and its edge cases are classic "what does this print?" material:
    is iteration ordered, what happens when you delete while looping, why did
    a ``defaultdict`` grow when you only looked, which side wins a merge.
    Candidates from Go expect random iteration order and free deletion during
    ``range``; candidates from Java expect ``ConcurrentModificationException``.
    Python fails fast like Java when the size changes, but detects less:
    Java's ``modCount`` counts every structural change, so a remove plus an
    add is caught, while CPython compares sizes and counts the keys it
    yielded, so an equal-size change can slip past.

Common pitfalls:
    - Deleting or adding keys inside ``for key in d``: ``RuntimeError:
      dictionary changed size during iteration``. Iterate over ``list(d)`` or
      build a new dict instead.
    - Believing the error always fires. Renaming keys in place
      (``d[new] = d.pop(old)``) keeps the size constant; CPython then raises
      "dictionary keys changed during iteration" (a check added in 3.8,
      bpo-36452) only if the iterator meets more keys than the dict had when
      the loop began, and by then some keys were skipped and others renamed
      twice. For some sizes the loop ends silently (``rename_keys_in_place``).
      The documentation of dict views allows both: iterating while adding or
      deleting "may raise a RuntimeError or fail to iterate over all
      entries".
    - ``dict.fromkeys(keys, [])`` stores *one* list under every key:
      appending under one key shows under all. Use ``{k: [] for k in keys}``.
    - Reading a missing key of a ``defaultdict`` *inserts* it: ``if
      index[user]:`` grows the index by one empty list per lookup. Use
      ``user in index`` or ``index.get(user)``.
    - ``d.get(key)`` cannot tell "missing" from "stored None"; use a sentinel
      or ``key in d``.
    - ``a | b`` lets the right side win: ``defaults | overrides``, never the
      reverse.

Key takeaways:
    - Insertion order is a language guarantee since Python 3.7 (in 3.6 it was a
      CPython implementation detail). Overwriting a key keeps its position;
      deleting and re-inserting moves it to the end. ``==`` ignores order
      (``OrderedDict`` compared with ``OrderedDict`` does not).
    - Changing the *values* of existing keys during iteration is safe.
    - ``defaultdict(factory)`` calls the factory and stores the result on any
      ``d[missing]`` read; ``get`` and ``in`` do not insert.
    - ``Counter`` returns 0 for a missing key *without* inserting it;
      ``most_common(k)`` gives the top ``k``.
    - ``d.setdefault(key, []).append(v)`` groups without a ``defaultdict``, but
      builds the default object on every call, even when the key exists.
    - ``a | b`` (3.9+) returns a new dict, right side wins on equal keys, and
      needs a dict on both sides; ``a |= pairs`` updates in place and, like
      ``update``, accepts any iterable of pairs. Before 3.9: ``{**a, **b}``
      (``dict(a, **b)`` only works when ``b``'s keys are strings).
    - ``keys()`` and ``items()`` are live, set-like views: ``a.keys() &
      b.keys()`` gives the common keys, ``a.items() - b.items()`` what
      changed.
    - Missing keys: ``get(key, default)`` for a default, ``try/except KeyError``
      when absence is exceptional, a ``__missing__`` method on a dict subclass
      to compute the value (called by ``d[key]`` only, not by ``get``).
    - Go: map iteration order is deliberately randomised, deleting during
      ``range`` is allowed, a missing key reads as the zero value (``v, ok :=
      m[k]`` tells them apart). Java: ``HashMap`` has no order
      (``LinkedHashMap`` keeps insertion order) and structural changes while
      iterating throw ``ConcurrentModificationException`` (best effort).

What to look for in an answer:
    A strong candidate states the 3.7 guarantee precisely, iterates over a
    snapshot when the loop mutates keys, knows that ``defaultdict`` reads
    write, and picks a missing-key strategy on purpose. Follow-ups:
    - How is insertion order kept cheaply? (CPython 3.6+ stores entries in a
      dense array in insertion order and uses a separate sparse index table of
      small integers; iteration walks the dense array.)
    - Why does the size check not catch every mutation? (It compares the size
      now with the size at the start; an equal-size change slips past, and
      the later "keys changed" check only counts how many keys were yielded.)
    - How do you build an LRU cache from a dict? (``OrderedDict``: on a hit
      ``move_to_end(key)``, and when full ``popitem(last=False)`` evicts the
      least recently used; or ``functools.lru_cache`` for a function. A plain
      dict can evict its oldest *inserted* key with ``next(iter(d))`` but
      cannot cheaply move a key to the end.)
    - How would you invert a dict whose values repeat? (Group: ``inv:
      defaultdict[V, list[K]]``, then ``inv[v].append(k)`` for each pair;
      ``{v: k for k, v in d.items()}`` silently keeps only the last key.)

Complexity:
    Lookup, insert and delete are O(1) on average, O(n) worst case (all keys
    colliding). ``a | b`` is O(len(a) + len(b)); ``a |= b`` is O(len(b)).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

__all__ = [
    "DefaultingConfig",
    "drop_matching",
    "drop_matching_unsafe",
    "empty_groups",
    "group_by_first_letter",
    "has_orders",
    "has_orders_probing",
    "merge_settings",
    "rename_keys_in_place",
    "top_words",
    "unique_in_order",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def unique_in_order(items: Iterable[K]) -> list[K]:
    """Drop duplicates, keep the first occurrence's position (insertion order, 3.7+).

    >>> unique_in_order(["b", "a", "b", "c", "a"])
    ['b', 'a', 'c']
    """
    return list(dict.fromkeys(items))


def drop_matching_unsafe(d: dict[K, V], doomed: Callable[[K], bool]) -> None:
    """The pitfall: delete while iterating the dict itself.

    >>> drop_matching_unsafe({1: "a", 2: "b"}, lambda k: k == 1)
    Traceback (most recent call last):
    RuntimeError: dictionary changed size during iteration
    """
    for key in d:
        if doomed(key):
            del d[key]


def drop_matching(d: dict[K, V], doomed: Callable[[K], bool]) -> None:
    """The fix: iterate over a snapshot of the keys, then delete freely.

    >>> d = {1: "a", 2: "b"}; drop_matching(d, lambda k: k == 1); d
    {2: 'b'}
    """
    for key in list(d):  # break[iterate-live-dict]
        if doomed(key):
            del d[key]


def rename_keys_in_place(d: dict[int, V], offset: int) -> None:
    """The subtle pitfall: rename every key while iterating; the size never changes.

    What happens depends on when CPython resizes the table (an implementation
    detail): the loop may finish silently, or rename some keys twice, skip
    others and only then raise. The outputs below are CPython's on 3.11-3.13;
    the matching tests are marked CPython-only.

    >>> d = {0: "a", 1: "b", 2: "c"}; rename_keys_in_place(d, 100); sorted(d)
    [100, 101, 102]
    >>> d = {0: "a", 1: "b", 2: "c", 3: "d"}; rename_keys_in_place(d, 100)
    Traceback (most recent call last):
    RuntimeError: dictionary keys changed during iteration
    >>> sorted(d)
    [2, 3, 200, 201]
    """
    for key in d:
        d[key + offset] = d.pop(key)


def merge_settings(defaults: dict[str, V], overrides: dict[str, V]) -> dict[str, V]:
    """A new dict: every default, replaced by an override where one is given.

    >>> merge_settings({"timeout": 5, "retries": 3}, {"timeout": 1})
    {'timeout': 1, 'retries': 3}
    """
    return defaults | overrides  # break[merge-left-wins]


def empty_groups(keys: Iterable[K]) -> dict[K, list[str]]:
    """A new, separate empty list per key (``dict.fromkeys(keys, [])`` would share one).

    >>> groups = empty_groups("ab"); groups["a"].append("x"); groups
    {'a': ['x'], 'b': []}
    >>> shared = dict.fromkeys("ab", []); shared["a"].append("x"); shared
    {'a': ['x'], 'b': ['x']}
    """
    return {key: [] for key in keys}  # break[fromkeys-shared]


def group_by_first_letter(words: Iterable[str]) -> dict[str, list[str]]:
    """Group words under their first letter with ``setdefault``.

    An empty word has no first letter: ``ValueError``.

    >>> group_by_first_letter(["apple", "bean", "avocado"])
    {'a': ['apple', 'avocado'], 'b': ['bean']}
    """
    groups: dict[str, list[str]] = {}
    for word in words:
        if not word:
            raise ValueError("cannot group an empty word")
        groups.setdefault(word[0], []).append(word)
    return groups


def has_orders_probing(index: defaultdict[str, list[int]], customer: str) -> bool:
    """The pitfall: ``index[customer]`` on a defaultdict inserts an empty list.

    >>> index = defaultdict(list, {"ann": [1]})
    >>> has_orders_probing(index, "bob"), sorted(index)
    (False, ['ann', 'bob'])
    """
    return bool(index[customer])


def has_orders(index: defaultdict[str, list[int]], customer: str) -> bool:
    """The fix: ``get`` never calls the default factory.

    >>> index = defaultdict(list, {"ann": [1]})
    >>> has_orders(index, "bob"), sorted(index)
    (False, ['ann'])
    """
    return bool(index.get(customer))  # break[defaultdict-probe]


def top_words(text: str, k: int) -> list[tuple[str, int]]:
    """The ``k`` most frequent words, ties in first-seen order.

    >>> top_words("to be or not to be", 2)
    [('to', 2), ('be', 2)]
    """
    return Counter(text.split()).most_common(k)


class DefaultingConfig(dict[str, str]):
    """A dict whose missing keys read as ``"<unset:key>"`` via ``__missing__``.

    ``__missing__`` is called by ``d[key]`` only; ``get`` and ``in`` ignore it,
    and, unlike ``defaultdict``, this one stores nothing.

    >>> c = DefaultingConfig(host="db")
    >>> c["host"], c["port"], c.get("port"), "port" in c
    ('db', '<unset:port>', None, False)
    """

    def __missing__(self, key: str) -> str:
        """Compute the value for a missing key; do not store it."""
        return f"<unset:{key}>"
