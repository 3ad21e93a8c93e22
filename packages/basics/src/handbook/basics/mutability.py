"""Mutability: a tuple fixes which objects it holds, not what those objects contain.

Why interviewers ask this:
    ``t = ([],); t[0] += [1]`` is a favourite "what happens?" question
    because both obvious answers are wrong: it raises ``TypeError`` *and* the
    list inside is changed. Explaining it needs the two steps of augmented
    assignment. The same idea (an immutable container can hold mutable
    objects) explains why such a tuple cannot be a dict key, and leads to the
    hashing contract every backend engineer relies on when using dicts and
    sets as indexes and caches.

Common pitfalls:
    - ``t[0] += [1]`` on a tuple holding a list: the list is extended first
      (``list.__iadd__`` mutates in place), then storing the result back
      into ``t[0]`` fails because a tuple does not support item assignment.
      You get the exception and the mutation. Call the method instead:
      ``t[0].extend([1])`` has no store step.
    - Calling a tuple "constant": its elements' identities are fixed, but a
      list inside it can change, and with it the tuple's value (``==``).
    - Using a tuple that holds a list as a dict key or set member: ``hash()``
      raises ``TypeError: unhashable type: 'list'``, at run time.
    - Trusting ``isinstance(x, collections.abc.Hashable)``: it checks the type
      (``tuple`` defines ``__hash__``), so it says True for ``([],)``, whose
      ``hash()`` raises. The only real test is calling ``hash``.
    - A tuple key for a relation that has no order (an undirected edge, a
      pair of users): ``("a", "b")`` and ``("b", "a")`` are different keys.

Key takeaways:
    - ``x[i] += y`` runs as: get ``x[i]``; compute ``item += y`` (in place
      when the item supports it); store the result with ``x[i] = result``.
      The store happens even when the in-place step already did the work.
    - A tuple's hash combines its elements' hashes, so a tuple is hashable
      only when all of its elements are: ``([1],)`` is built fine and fails
      later, at ``hash()``. A ``frozenset`` hashes its elements while it is
      built, so ``frozenset([[1]])`` fails at once and every frozenset that
      exists is hashable. Mutable built-ins (``list``, ``dict``, ``set``)
      set ``__hash__`` to ``None``: a key whose hash changes after insertion
      is lost in its bucket (``ContentHashed`` below: ``key in d`` turns
      False while the key is still in ``d``).
    - Use ``tuple`` for an ordered key, ``frozenset`` for an unordered one
      (``frozenset({"a", "b"}) == frozenset({"b", "a"})``, same hash). A
      frozenset collapses a self-pair (``pair_key("a", "a")`` has one
      element); ``tuple(sorted((a, b)))`` is the other canonical key and
      keeps two slots.
    - Go checks key types at compile time: slices, maps and functions are not
      comparable, so a struct with a slice field cannot be a map key; an
      ``interface{}`` key holding a slice compiles and panics at run time
      ("hash of unhashable type"). Java lets any object be a ``HashMap`` key
      and loses entries whose ``hashCode`` changes after insertion;
      ``List.of`` is unmodifiable but its elements need not be.

What to look for in an answer:
    A strong candidate predicts both the exception and the mutation, explains
    them with the get / in-place add / store sequence, says that
    immutability is shallow, and connects hashability to "the hash must not
    change while the object is a key". Follow-ups:
    - Why is a list not hashable when a user-defined class instance is? (The
      default ``__hash__`` of a class is identity-based and never changes;
      a list's equality depends on its contents, and equal objects must have
      equal hashes, so a content hash could change while it is a key. The
      same rule bites classes: defining ``__eq__`` without ``__hash__`` sets
      ``__hash__`` to ``None``, and instances stop working as keys; see
      ``basics.hashing_sets``.)
    - How would you make a hashable record with a list field? (Store a tuple
      instead, or a frozen dataclass whose fields are all hashable; for a set,
      a ``frozenset``.)
    - Does ``t[0].append(1)`` raise? (No: it calls a method of the list and
      never assigns to the tuple.)

Complexity:
    ``hash`` of a tuple or frozenset of n elements is O(n). CPython caches a
    frozenset's hash after the first call; 3.11-3.13 do not cache a tuple's,
    so every ``hash(t)`` hashes each element again. A dict lookup is O(1) on
    average plus the cost of hashing the key.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import NoReturn, Self

__all__ = [
    "ContentHashed",
    "LoggingList",
    "ReadOnlyPair",
    "extend_first",
    "extend_first_with_plus_equals",
    "is_hashable",
    "looks_hashable",
    "ordered_pair_key",
    "pair_key",
    "trace_augmented_assignment",
]


def extend_first_with_plus_equals(pair: tuple[list[int], str], values: list[int]) -> None:
    """The pitfall: ``+=`` through a tuple raises ``TypeError`` after mutating the list.

    >>> t = ([], "tag")
    >>> extend_first_with_plus_equals(t, [1])
    Traceback (most recent call last):
    TypeError: 'tuple' object does not support item assignment
    >>> t
    ([1], 'tag')
    """
    pair[0] += values


def extend_first(pair: tuple[list[int], str], values: list[int]) -> None:
    """The fix: call the list's method; nothing is assigned to the tuple.

    >>> t = ([], "tag")
    >>> extend_first(t, [1])
    >>> t
    ([1], 'tag')
    """
    pair[0].extend(values)  # break[plus-equals-through-tuple]


class LoggingList:
    """A list-like value whose in-place add, like ``list.__iadd__``, extends itself."""

    def __init__(self, log: list[str]) -> None:
        """Start empty, writing events to ``log``."""
        self.items: list[int] = []
        self.log = log

    def __iadd__(self, other: Iterable[int]) -> Self:
        """Extend in place and return ``self``, logging the step."""
        self.log.append("in-place add")
        self.items.extend(other)
        return self


class ReadOnlyPair:
    """A container that, like a tuple, allows reading ``[i]`` but refuses ``[i] = v``."""

    def __init__(self, first: LoggingList, log: list[str]) -> None:
        """Hold ``first`` at index 0, writing events to ``log``."""
        self._first = first
        self.log = log

    def __getitem__(self, index: int) -> LoggingList:
        """Return the item, logging the step."""
        self.log.append("get item")
        return self._first

    def __setitem__(self, index: int, value: object) -> NoReturn:
        """Refuse, as a tuple does, after logging the attempt."""
        self.log.append("store item")
        raise TypeError("ReadOnlyPair does not support item assignment")


def trace_augmented_assignment() -> tuple[list[str], list[int], bool]:
    """Run ``box[0] += [1]`` on a tuple-like box; return the steps, the list, and whether it raised.

    >>> steps, contents, raised = trace_augmented_assignment()
    >>> steps
    ['get item', 'in-place add', 'store item']
    >>> contents, raised
    ([1], True)
    """
    log: list[str] = []
    inner = LoggingList(log)
    box = ReadOnlyPair(inner, log)
    try:
        box[0] += [1]
    except TypeError:
        raised = True
    else:
        raised = False
    return log, inner.items, raised


def looks_hashable(value: object) -> bool:
    """The pitfall: the ``Hashable`` ABC checks the type, not the contents.

    >>> looks_hashable(([],))
    True
    """
    return isinstance(value, Hashable)


def is_hashable(value: object) -> bool:
    """The fix: a value is hashable when ``hash()`` succeeds on it.

    >>> is_hashable((1, "a")), is_hashable(([],)), is_hashable(frozenset({1}))
    (True, False, True)
    """
    try:
        hash(value)  # break[abc-hashable]
    except TypeError:
        return False
    return True


def ordered_pair_key(a: str, b: str) -> tuple[str, str]:
    """The pitfall for a symmetric relation: a tuple key remembers the order.

    >>> ordered_pair_key("a", "b") == ordered_pair_key("b", "a")
    False
    """
    return (a, b)


def pair_key(a: str, b: str) -> frozenset[str]:
    """The fix: a frozenset is hashable and ignores order.

    >>> distances = {pair_key("Paris", "Lyon"): 465}
    >>> distances[pair_key("Lyon", "Paris")]
    465
    """
    return frozenset((a, b))  # break[ordered-pair-key]


class ContentHashed:
    """What a hashable list would be: hash and equality follow mutable contents.

    >>> key = ContentHashed([1])
    >>> index = {key: "v"}
    >>> key.items.append(2)  # the hash changes; the entry stays in the old bucket
    >>> key in index, any(k is key for k in index)
    (False, True)
    """

    def __init__(self, items: list[int]) -> None:
        """Hold ``items``, which the caller may keep changing."""
        self.items = items

    def __eq__(self, other: object) -> bool:
        """Equal when the contents are equal, as lists are."""
        return isinstance(other, ContentHashed) and self.items == other.items

    def __hash__(self) -> int:
        """Hash the current contents: a different hash after every change."""
        return hash(tuple(self.items))
