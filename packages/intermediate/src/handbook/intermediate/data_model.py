"""The data model: ``__eq__``/``__hash__``, ``NotImplemented``, ordering, ``__repr__``, containers.

Why interviewers ask this:
    "Make this class usable as a dict key", "why is ``a == b`` but ``b != a``?"
    and "make ``in`` and ``len`` work on it" all test whether a candidate knows
    the protocols Python calls behind operators. The bugs are quiet: a set that
    holds two equal objects, an equality that depends on the operand order, a
    log line full of ``<object at 0x7f...>``.

Common pitfalls:
    - Hashing raw fields while ``__eq__`` compares a normalised value:
      ``Ratio(1, 2) == Ratio(2, 4)`` but their hashes differ, so a set keeps
      both and a dict lookup with the other one misses.
    - Defining ``__eq__`` and expecting the class to stay hashable: Python sets
      ``__hash__ = None`` in that class (and in a subclass that overrides only
      ``__eq__``), so ``hash(obj)`` raises ``TypeError: unhashable type``.
    - Returning ``False`` from ``__eq__`` for a type you do not know: Python
      takes that as the answer and never asks the other operand, so
      ``a == b`` and ``b == a`` disagree. Return ``NotImplemented``.
    - ``total_ordering`` on a class without ``__eq__``: ``==`` is then
      identity, the derived ``<=`` is "``<`` or ``==``" and ``>`` is "not ``<``
      and ``!=``", so two equal, distinct versions are each *greater* than the
      other and not ``<=`` each other.
    - Mutating a key after inserting it: the set looks in the bucket of the
      new hash and compares with the new value, so it finds the object under
      neither the new value nor the old one.
    - Defining only ``__str__``: containers, logs of containers, debuggers and
      the REPL show ``repr``, and ``repr`` of a list is its elements' reprs.
    - Expecting ``in`` to need ``__contains__``: without it Python iterates
      (``__iter__``), and without that it calls ``__getitem__(0)``,
      ``__getitem__(1)``, ... until ``IndexError``. Correct, but O(n).

Key takeaways:
    - Contract: ``a == b`` implies ``hash(a) == hash(b)``. Unequal objects may
      collide. Hash exactly what ``__eq__`` compares, normalised the same way,
      and only immutable state (``Ratio`` is read-only: ``__slots__`` plus
      properties).
    - ``@dataclass`` follows the same rule: with its default ``eq=True`` it
      sets ``__hash__ = None``. ``frozen=True`` makes it read-only and
      hashable; ``unsafe_hash=True`` hashes mutable fields and trusts you.
    - A binary dunder returns ``NotImplemented`` for an operand it does not
      understand. For ``a == b`` Python then tries the reflected
      ``b.__eq__(a)``; if both decline, ``==`` falls back to identity (``is``)
      while ``<`` raises ``TypeError``. ``!=`` inverts ``__eq__`` by default.
    - ``functools.total_ordering`` derives the other three comparisons from
      ``__eq__`` plus one of ``__lt__``/``__le__``/``__gt__``/``__ge__``
      (``@dataclass(order=True)`` is the other way).
    - ``__repr__`` is for the developer: unambiguous, ideally
      ``Type(field=value)``. ``str`` of a container uses its elements' reprs.
    - ``__len__``, ``__iter__`` and ``__contains__`` make a class a
      ``collections.abc.Collection`` (``isinstance`` is True through the ABC's
      subclass hook, no inheritance): ``len()``, ``for`` and ``in`` work, and
      ``bool()`` falls back to ``__len__``. Write ``__contains__`` when you can
      answer faster than a scan. Built-in containers test ``x is e or x == e``,
      so ``nan in [nan]`` is True although ``nan == nan`` is False.
    - Go has no operator overloading: ``==`` on structs compares fields, and a
      struct is a map key only if all its fields are comparable. Java's
      ``equals``/``hashCode`` contract is the same rule as here, but forgetting
      ``hashCode`` there silently falls back to identity instead of raising.

What to look for in an answer:
    A strong candidate states the hash contract in one sentence, hashes a tuple
    of the fields ``__eq__`` uses, returns ``NotImplemented`` (not ``False``, not
    ``raise``) for foreign types, and knows that defining ``__eq__`` removes the
    hash. Follow-ups:
    - Why should a mutable object not be hashable? (If a field in the hash
      changes after insertion, the object sits in the wrong bucket and the set
      cannot find it; that is why ``list`` is unhashable.)
    - When does Python call the right operand's method first? (When the right
      operand's type is a proper subclass of the left's. For comparisons that
      is enough, even if the subclass inherits ``__eq__`` unchanged; for
      arithmetic such as ``+`` the subclass must also override ``__radd__``.)
    - Is a ``__hash__`` that returns a constant correct? (Yes, equal objects
      hash equal; but every key collides, so lookups degrade to O(n).)
    - ``isinstance`` or ``type(other) is type(self)`` in ``__eq__``, for
      ``Point`` and ``ColoredPoint``? (With ``isinstance`` a red and a blue
      point both equal the plain one but not each other: not transitive.
      Symmetry survives, unlike Java's ``equals``, because the subclass's
      overriding ``__eq__`` runs first in both orders. For an equivalence
      relation, compare only the same class and return ``NotImplemented``
      otherwise, as ``@dataclass`` does.)

Complexity:
    ``Playlist.__contains__`` is O(1) on average via a set: it calls ``__eq__``
    only on entries with the same full hash, usually none for a miss (counted
    in the tests); the ``__iter__`` and ``__getitem__`` fallbacks are O(n).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator

__all__ = [
    "IndexedOnly",
    "IterableOnly",
    "Meters",
    "Millimeters",
    "OnlyEq",
    "OnlyStr",
    "Playlist",
    "Ratio",
    "RatioRawHash",
    "StrictMeters",
    "Version",
]


class Ratio:
    """A read-only fraction kept as written (``2/4`` stays ``2/4``), compared by value.

    >>> Ratio(1, 2) == Ratio(2, 4), len({Ratio(1, 2), Ratio(2, 4)})
    (True, 1)
    """

    __slots__ = ("_den", "_num")  # no __dict__: num and den cannot be rebound

    def __init__(self, num: int, den: int) -> None:
        if not isinstance(num, int) or not isinstance(den, int):
            raise TypeError(f"numerator and denominator must be int, got {num!r}, {den!r}")
        if den <= 0:
            raise ValueError(f"denominator must be positive, got {den}")
        self._num, self._den = num, den

    @property
    def num(self) -> int:
        """The numerator, as written."""
        return self._num

    @property
    def den(self) -> int:
        """The denominator, as written (positive)."""
        return self._den

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ratio):
            return NotImplemented
        return self.num * other.den == other.num * self.den

    def __hash__(self) -> int:
        g = math.gcd(self.num, self.den)
        return hash((self.num // g, self.den // g))  # break[hash-raw-fields]

    def __repr__(self) -> str:
        return f"Ratio({self.num}, {self.den})"


class RatioRawHash(Ratio):
    """The pitfall: equal by value, hashed by the raw fields, so equal objects hash apart.

    >>> RatioRawHash(1, 2) == RatioRawHash(2, 4), len({RatioRawHash(1, 2), RatioRawHash(2, 4)})
    (True, 2)
    """

    def __hash__(self) -> int:
        return hash((self.num, self.den))


class OnlyEq:
    """Defines ``__eq__`` and nothing else: Python sets ``OnlyEq.__hash__`` to None.

    >>> OnlyEq.__hash__ is None
    True
    >>> hash(OnlyEq(1))
    Traceback (most recent call last):
    TypeError: unhashable type: 'OnlyEq'
    """

    def __init__(self, key: int) -> None:
        self.key = key

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OnlyEq):
            return NotImplemented
        return self.key == other.key


class _Length:
    """A length that records every ``__eq__`` call in a shared trace."""

    def __init__(self, value: int, trace: list[str] | None = None) -> None:
        self.value = value
        self.trace = trace if trace is not None else []

    def _record(self) -> None:
        self.trace.append(f"{type(self).__name__}.__eq__")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value})"


class Meters(_Length):
    """The fix: compares with ``Meters``, declines anything else with ``NotImplemented``.

    >>> calls: list[str] = []
    >>> Meters(1, calls) == Millimeters(1000, calls)
    True
    >>> calls
    ['Meters.__eq__', 'Millimeters.__eq__']
    """

    def __eq__(self, other: object) -> bool:
        self._record()
        if isinstance(other, Meters):
            return self.value == other.value
        return NotImplemented  # break[return-false]


class StrictMeters(_Length):
    """The pitfall: answers ``False`` for a type it does not know, so no one else is asked.

    >>> calls: list[str] = []
    >>> StrictMeters(1, calls) == Millimeters(1000, calls)
    False
    >>> calls
    ['StrictMeters.__eq__']
    >>> Millimeters(1000) == StrictMeters(1)
    True
    """

    def __eq__(self, other: object) -> bool:
        self._record()
        if isinstance(other, StrictMeters):
            return self.value == other.value
        return False


class Millimeters(_Length):
    """Knows both metre classes, so it can answer the reflected ``__eq__`` for them."""

    def __eq__(self, other: object) -> bool:
        self._record()
        if isinstance(other, Millimeters):
            return self.value == other.value
        if isinstance(other, Meters | StrictMeters):
            return self.value == other.value * 1000
        return NotImplemented


@functools.total_ordering
class Version:
    """``__eq__`` and ``__lt__`` written; ``total_ordering`` derives ``<=``, ``>``, ``>=``.

    >>> sorted([Version(1, 10), Version(1, 2), Version(0, 9)])
    [Version(0, 9), Version(1, 2), Version(1, 10)]
    >>> Version(1, 2) <= Version(1, 2), Version(2, 0) > Version(1, 10)
    (True, True)
    """

    def __init__(self, major: int, minor: int) -> None:
        self.major, self.minor = major, minor

    def __eq__(self, other: object) -> bool:  # break[no-eq]
        if not isinstance(other, Version):
            return NotImplemented
        return (self.major, self.minor) == (other.major, other.minor)

    def __hash__(self) -> int:
        return hash((self.major, self.minor))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return (self.major, self.minor) < (other.major, other.minor)

    def __repr__(self) -> str:
        return f"Version({self.major}, {self.minor})"


class OnlyStr:
    """The pitfall: a friendly ``__str__`` and no ``__repr__``; containers ignore it.

    >>> print(OnlyStr("bob"))
    user bob
    >>> print([OnlyStr("bob")])
    [<...OnlyStr object at 0x...>]
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return f"user {self.name}"


class Playlist:
    """A container: ``len``, iteration in order, and O(1) ``in`` through a set.

    ``iterations`` counts calls to ``__iter__`` so the tests can prove ``in``
    does not scan.

    >>> p = Playlist(["intro", "verse", "outro"])
    >>> len(p), list(p), "verse" in p, "bridge" in p, p
    (3, ['intro', 'verse', 'outro'], True, False, Playlist(['intro', 'verse', 'outro']))
    """

    def __init__(self, songs: Iterable[str]) -> None:
        self._songs = list(songs)
        self._members = set(self._songs)
        self.iterations = 0

    def __len__(self) -> int:
        return len(self._songs)

    def __iter__(self) -> Iterator[str]:
        self.iterations += 1
        return iter(self._songs)

    def __contains__(self, song: object) -> bool:
        return song in self._members  # break[scan-contains]  # break[list-contains]

    def __repr__(self) -> str:
        return f"Playlist({self._songs!r})"


class IterableOnly:
    """Only ``__iter__``: ``in`` still works, by iterating until a match.

    >>> box = IterableOnly([10, 20, 30])
    >>> 20 in box, box.yielded
    (True, 2)
    """

    def __init__(self, items: Iterable[int]) -> None:
        self._items = list(items)
        self.yielded = 0

    def __iter__(self) -> Iterator[int]:
        for item in self._items:
            self.yielded += 1
            yield item


class IndexedOnly:
    """Only ``__getitem__``: ``in`` and ``for`` use the old sequence protocol.

    >>> box = IndexedOnly([10, 20, 30])
    >>> 99 in box, box.indices
    (False, [0, 1, 2, 3])
    """

    def __init__(self, items: Iterable[int]) -> None:
        self._items = list(items)
        self.indices: list[int] = []

    def __getitem__(self, index: int) -> int:
        self.indices.append(index)
        return self._items[index]  # IndexError at the end stops the scan
