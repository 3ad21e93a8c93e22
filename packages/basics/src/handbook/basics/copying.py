"""Copying: ``*`` and shallow copies repeat references; ``deepcopy`` copies the graph, cycles too.

Why interviewers ask this:
    "Make a 3x3 grid" written as ``[[0] * 3] * 3`` is a classic bug: setting
    one cell sets a whole column. Interviewers use it to open the real
    question: what does a copy copy? A shallow copy makes a new outer
    container holding the same inner objects; a deep copy recreates the whole
    object graph, and must remember what it has already copied or it breaks
    shared references and loops forever on a cycle (the "clone a graph"
    exercise). Real code also needs the hooks: a deep copy of a client must
    not try to copy its socket or its lock.

Common pitfalls:
    - ``[[0] * cols] * rows``: ``*`` repeats references, so every row is the
      same list. Build each row separately: ``[[0] * cols for _ in
      range(rows)]``. (``[0] * cols`` is fine: ints are immutable.)
    - Believing ``list(x)``, ``x[:]``, ``x.copy()`` or ``copy.copy(x)`` copy
      nested data: they are shallow, and a change to an inner list shows in
      both.
    - A hand-written recursive deep copy without a memo: an object reached
      twice is copied twice (the sharing is lost), and a self-referential
      structure recurses until ``RecursionError``.
    - ``copy.deepcopy`` of an object holding a lock, socket or file: it falls
      back to the pickle protocol and raises ``TypeError`` ("cannot pickle
      '_thread.lock' object"); or, worse, copies something that should have
      stayed shared (a connection pool, a cache). ``copy.copy`` of the lock,
      socket or file itself raises the same way.
    - ``copy.copy`` of an instance copies its ``__dict__`` shallowly: the copy
      and the original share every mutable attribute.

Key takeaways:
    - Shallow copy: a new container, the same elements. Deep copy
      (``copy.deepcopy``): new containers all the way down; immutable atoms
      such as ints and strings are reused, which is safe.
    - ``deepcopy`` keeps a memo dict from ``id(original)`` to its copy and
      registers each copy *before* copying its contents, so shared objects
      stay shared in the copy and a cycle is copied as a cycle.
    - ``__copy__(self)`` and ``__deepcopy__(self, memo)`` customise the two;
      a ``__deepcopy__`` should put its clone in ``memo`` before recursing
      (else a part that refers back to the object gets a second clone) and
      pass ``memo`` on to ``copy.deepcopy`` for its parts (else an object
      reached both inside and outside it is copied twice). Copy ``vars(self)``
      rather than listing fields by hand, so an attribute added later, or by a
      subclass, is not silently dropped.
    - Go: assigning a struct copies it, but only shallowly (slices, maps and
      pointers inside still share), and there is no built-in deep copy.
      Java: ``Object.clone()`` is shallow by default; deep copies are written
      by hand (copy constructors).

What to look for in an answer:
    A strong candidate explains the grid bug as repeated references, says
    which copy operations are shallow, describes the memo and why it is
    filled before recursing, and knows the hooks for objects that own
    resources. Follow-ups:
    - Implement deep copy for nested lists and dicts that may contain
      cycles. (A recursive function with a dict keyed by ``id()``; register
      the new container before copying children; return the memo hit when an
      object is seen again. ``id`` keys are safe because the originals stay
      alive during the copy.)
    - Why does ``copy.deepcopy`` of a tuple of ints return the same tuple?
      (Nothing inside would change in the copy, and an immutable object can
      be shared safely; the copy module returns the original when every
      element copies to itself.)
    - How do you share a resource across deep copies? (Define
      ``__deepcopy__`` to copy the data and assign the resource as is; or
      keep the resource out of the object and pass it in.)
    - ``deepcopy`` shows up in a profile of a hot path; what instead? (Copy
      only what changes: build the new object with explicit constructors, or
      keep data immutable and derive changed versions with
      ``dataclasses.replace`` (``copy.replace`` from 3.13), or stop sharing
      the mutable state at all. A ``pickle`` round trip is often faster for
      plain data but fails on the same resources.)
    - Why does ``copy.deepcopy`` keep a list of originals in the memo (under
      the key ``id(memo)``, ``_keep_alive`` in ``Lib/copy.py``)? (An ``id``
      key is only safe while its object lives. A hook may deep copy a
      temporary, such as a dict it just built; if that died, a new object
      could reuse its id and wrongly get its copy from the memo. Keeping the
      originals alive for the whole copy prevents that.)

Complexity:
    A shallow copy is O(n) in the length of the outer container; a deep copy
    is O(V + E) over the objects and references reachable from it, plus the
    memo's O(V) memory.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

__all__ = [
    "Connection",
    "PlainSession",
    "Session",
    "deep_copy",
    "grid",
    "grid_by_multiplication",
    "naive_deep_copy",
]


def grid_by_multiplication(rows: int, cols: int) -> list[list[int]]:
    """The pitfall: ``*`` repeats one row object ``rows`` times.

    >>> g = grid_by_multiplication(3, 3)
    >>> g[0][0] = 1
    >>> g
    [[1, 0, 0], [1, 0, 0], [1, 0, 0]]
    """
    return [[0] * cols] * rows


def grid(rows: int, cols: int) -> list[list[int]]:
    """The fix: a new row list for every row.

    >>> g = grid(3, 3)
    >>> g[0][0] = 1
    >>> g
    [[1, 0, 0], [0, 0, 0], [0, 0, 0]]
    """
    return [[0] * cols for _ in range(rows)]  # break[grid-by-multiplication]


def naive_deep_copy(value: object) -> object:
    """The pitfall: recursive copy of lists and dicts with no memo.

    Shared inner objects are copied once per reference, and a cycle never ends.

    >>> shared = [1]
    >>> c = naive_deep_copy([shared, shared])
    >>> c[0] is c[1]  # type: ignore[index]
    False
    """
    if isinstance(value, list):
        items: list[object] = []
        for item in value:
            items.append(naive_deep_copy(item))
        return items
    if isinstance(value, dict):
        mapping: dict[object, object] = {}
        for key, item in value.items():
            mapping[key] = naive_deep_copy(item)
        return mapping
    return value


_ATOMS = (int, float, str, bytes, type(None))  # immutable: safe to share, as deepcopy does


def deep_copy(value: object, memo: dict[int, object] | None = None) -> object:
    """The fix: remember each copy by ``id`` of its original, before copying inside it.

    Handles lists, dicts (their keys are hashable and are reused) and the
    immutable atoms ``int`` (``bool`` included), ``float``, ``str``,
    ``bytes`` and ``None``, which are returned as they are. Raises
    ``TypeError`` for anything else rather than silently sharing it: a set,
    or a tuple that may hold a list, would otherwise reach the copy as the
    original object.

    >>> loop: list[object] = []
    >>> loop.append(loop)
    >>> c = deep_copy(loop)
    >>> c is loop, c[0] is c  # type: ignore[index]
    (False, True)
    """
    if memo is None:
        memo = {}
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, list):
        items: list[object] = []
        memo[id(value)] = items  # break[no-memo]
        for item in value:
            items.append(deep_copy(item, memo))
        return items
    if isinstance(value, dict):
        mapping: dict[object, object] = {}
        memo[id(value)] = mapping
        for key, item in value.items():
            mapping[key] = deep_copy(item, memo)
        return mapping
    if isinstance(value, _ATOMS):
        return value
    raise TypeError(f"deep_copy does not handle {type(value).__name__!r} values")


class Connection:
    """Stands in for a socket or pool: owns a lock, must never be copied."""

    def __init__(self, address: str) -> None:
        """Open (pretend to) a connection to ``address``."""
        self.address = address
        self.lock = threading.Lock()


class PlainSession:
    """The pitfall: no copy hooks. ``copy`` shares ``headers``; ``deepcopy`` copies the lock.

    >>> s = PlainSession(Connection("db:5432"), {"user": "ann"})
    >>> copy.copy(s).headers is s.headers
    True
    >>> copy.deepcopy(s)
    Traceback (most recent call last):
    TypeError: cannot pickle '_thread.lock' object
    """

    def __init__(self, connection: Connection, headers: dict[str, str]) -> None:
        """Use ``connection``; keep per-session ``headers``."""
        self.connection = connection
        self.headers = headers


class Session(PlainSession):
    """The fix: copies get their own headers and share the one connection.

    >>> s = Session(Connection("db:5432"), {"user": "ann"})
    >>> c, d = copy.copy(s), copy.deepcopy(s)
    >>> c.connection is s.connection is d.connection
    True
    >>> c.headers is s.headers, d.headers is s.headers
    (False, False)
    """

    def __copy__(self) -> Session:
        """Shallow copy: every attribute as it is, then a new headers dict."""
        clone = type(self).__new__(type(self))
        clone.__dict__.update(vars(self))
        clone.headers = dict(self.headers)
        return clone

    def __deepcopy__(self, memo: dict[int, Any]) -> Session:
        """Deep copy the data, share the connection; register in ``memo`` first."""
        clone = type(self).__new__(type(self))
        memo[id(self)] = clone  # break[no-memo-in-hook]
        data = {name: value for name, value in vars(self).items() if name != "connection"}
        clone.__dict__.update(copy.deepcopy(data, memo))  # break[memo-not-passed-on]
        clone.connection = self.connection  # break[deepcopy-the-connection]
        return clone
