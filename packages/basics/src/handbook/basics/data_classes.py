"""Dataclasses: shallow frozen, slots, default_factory, compare=False, validation replace re-runs.

Why interviewers ask this:
    Dataclasses are how modern Python code declares DTOs, config objects and
    value types, and each option answers a real design question: can this
    change after creation (``frozen``), can a typo create a new attribute
    (``slots``), is a default shared (``default_factory``), which fields
    define equality (``compare``), where does validation live
    (``__post_init__``). Interviewers like "what is wrong with this
    dataclass?" because the failures are silent.

Common pitfalls:
    - A mutable default: ``tags: list[str] = []`` raises ``ValueError:
      mutable default <class 'list'> for field tags is not allowed: use
      default_factory`` when the class is created. Since 3.11 the check is
      "the default's class is unhashable" (``type(default).__hash__ is
      None``), so ``bytearray`` and an instance of a non-frozen dataclass are
      caught too, while a list subclass that defines ``__hash__`` now slips
      through; 3.10 and earlier checked ``isinstance(default, (list, dict,
      set))``.
    - Trusting that check to catch every mutable default: an instance of an
      ordinary (hashable) class passes, and every object built from the class
      shares that one instance (``SharedHistory``).
    - Believing ``frozen=True`` makes the object immutable: it blocks
      assignment to fields (``FrozenInstanceError``, a subclass of
      ``AttributeError``), but a list field can still be appended to, and such
      an object raises ``TypeError`` when hashed.
    - A typo'd attribute (``p.nmae = ...``) on a normal dataclass silently
      creates a new attribute; ``slots=True`` (3.10+) has no ``__dict__``, so
      it raises ``AttributeError`` instead.
    - Putting validation in a factory function: ``dataclasses.replace`` calls
      ``__init__`` and so ``__post_init__``, but never your factory.
    - Trusting ``__post_init__`` to guard every object: ``copy.copy``,
      ``copy.deepcopy`` and ``pickle.loads`` restore the fields without
      calling ``__init__``, and ``object.__setattr__`` writes past
      ``frozen``. An object unpickled from a cache or a queue, written by
      older code, skips today's checks: validate at that boundary.
    - A subclass adding a field without a default to a base with defaults:
      ``TypeError: non-default argument 'b' follows default argument`` (the
      generated ``__init__`` lists the base's fields first). Fix with
      ``@dataclass(kw_only=True)`` or a ``KW_ONLY`` marker (3.10+).

Key takeaways:
    - ``field(default_factory=list)`` builds a new default per instance.
    - ``frozen=True`` with tuple/frozenset fields gives a hashable value
      object; a ``@dataclass`` with the default ``eq=True`` and not frozen
      sets ``__hash__`` to ``None``.
    - ``field(compare=False)`` leaves a field out of ``__eq__`` (and out of
      the generated ``__hash__``): timestamps, caches, connections.
    - ``__post_init__`` runs after the generated ``__init__``: validate there
      and every path through ``__init__`` (the constructor, ``replace``,
      ``copy.replace`` on 3.13) is checked.
    - The generated ``__eq__`` compares only instances of the very same
      class: ``Sub(1) != Base(1)``, even when ``Sub`` adds no field.
    - ``asdict`` recurses into fields and deep-copies lists and dicts: the
      result is safe to mutate, but costly for big nested objects.
    - ``replace(obj, **changes)`` builds a new object through ``__init__``; a
      field declared ``init=False`` cannot be passed to it (``ValueError`` on
      3.11 and 3.12, ``TypeError`` on 3.13). 3.13 adds ``copy.replace`` for
      dataclasses (they gain ``__replace__``).
    - ``slots=True`` builds a new class; zero-argument ``super()`` inside its
      methods fails with ``TypeError`` on 3.11-3.13, because the method's
      ``__class__`` cell still names the original class.
    - Go and Java: a Go struct is a value type copied on assignment, with no
      constructor hook (validation lives in a ``NewX`` function that a struct
      literal bypasses); Java records are shallowly immutable, like
      ``frozen``, and validate in a compact constructor.

What to look for in an answer:
    A strong candidate explains why a mutable default is dangerous (one
    object, created once at class definition), knows what the ``ValueError``
    does and does not catch, calls ``frozen`` shallow, and validates in
    ``__post_init__``. Follow-ups:
    - How do you set a derived field on a frozen dataclass in
      ``__post_init__``? (``object.__setattr__(self, "name", value)``, which
      bypasses the frozen ``__setattr__`` (``FrozenDoubled``); or make it a
      property.)
    - When would you not use a dataclass? (When you need validation and
      coercion of untrusted input: a schema library, or a plain class with an
      explicit ``__init__``; when invariants span methods, not fields.)
    - What does ``slots=True`` buy besides typo safety? (Smaller instances
      and slightly faster attribute access, since there is no per-instance
      dict; the cost is no dynamic attributes and, before 3.14, the
      ``super()`` caveat.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "Doubled",
    "Endpoint",
    "FrozenDoubled",
    "FrozenWithList",
    "History",
    "LooseEndpoint",
    "Order",
    "OwnHistory",
    "Price",
    "SharedHistory",
    "Tagged",
    "UncheckedPrice",
    "make_unchecked_price",
]


@dataclass(frozen=True)
class FrozenWithList:
    """The pitfall: frozen is shallow; the list inside can still change.

    >>> f = FrozenWithList("x", [])
    >>> f.tags.append("oops"); f
    FrozenWithList(name='x', tags=['oops'])
    """

    name: str
    tags: list[str]


@dataclass(frozen=True)
class Tagged:
    """The fix: frozen fields that are themselves immutable (a tuple).

    >>> t = Tagged("x", ("a",))
    >>> t.name = "y"
    Traceback (most recent call last):
    dataclasses.FrozenInstanceError: cannot assign to field 'name'
    """

    name: str
    tags: tuple[str, ...] = ()


class History:
    """An append-only event list: hashable (plain class), yet mutable."""

    def __init__(self) -> None:
        """Start empty."""
        self.events: list[str] = []


@dataclass
class SharedHistory:
    """The pitfall the mutable-default check misses: one History for every instance.

    >>> SharedHistory().history is SharedHistory().history
    True
    """

    history: History = History()  # noqa: RUF009 (the pitfall on show)


@dataclass
class OwnHistory:
    """The fix: ``default_factory`` calls ``History()`` once per instance.

    >>> OwnHistory().history is OwnHistory().history
    False

    A list, dict or set default is refused outright, when the class is created:

    >>> @dataclass
    ... class Basket:
    ...     tags: list[str] = []
    Traceback (most recent call last):
    ValueError: mutable default <class 'list'> for field tags is not allowed: use default_factory
    """

    history: History = field(default_factory=History)  # break[shared-instance-default]


@dataclass
class LooseEndpoint:
    """The pitfall: a normal dataclass accepts any new attribute.

    >>> e = LooseEndpoint("db", 5432); e.prot = 1; e.prot
    1
    """

    host: str
    port: int


@dataclass(slots=True)  # break[no-slots]
class Endpoint:
    """The fix: ``slots=True`` (3.10+): no ``__dict__``, a typo'd attribute raises.

    >>> e = Endpoint("db", 5432)
    >>> e.prot = 1
    Traceback (most recent call last):
    AttributeError: 'Endpoint' object has no attribute 'prot'...
    """

    host: str
    port: int


@dataclass(frozen=True)
class Order:
    """A value object whose identity ignores when it was fetched.

    >>> Order("o-1", 3, fetched_at=1.0) == Order("o-1", 3, fetched_at=2.0)
    True
    """

    order_id: str
    quantity: int
    fetched_at: float = field(default=0.0, compare=False)  # break[compare-everything]


@dataclass(frozen=True)
class UncheckedPrice:
    """The pitfall: validated only by ``make_unchecked_price``, which ``replace`` skips.

    >>> import dataclasses
    >>> dataclasses.replace(make_unchecked_price(100, "EUR"), cents=-1)
    UncheckedPrice(cents=-1, currency='EUR')
    """

    cents: int
    currency: str


def make_unchecked_price(cents: int, currency: str) -> UncheckedPrice:
    """A factory that validates; only callers who use it are checked."""
    if cents < 0:
        raise ValueError(f"price must be non-negative, got {cents}")
    return UncheckedPrice(cents, currency)


@dataclass(frozen=True)
class Price:
    """The fix: validated in ``__post_init__``, so ``replace`` cannot build a bad one.

    >>> import dataclasses
    >>> p = Price(100, "EUR")
    >>> dataclasses.replace(p, cents=250)
    Price(cents=250, currency='EUR')
    >>> dataclasses.replace(p, cents=-1)
    Traceback (most recent call last):
    ValueError: price must be non-negative, got -1
    """

    cents: int
    currency: str

    def __post_init__(self) -> None:
        """Require int cents >= 0 and a currency of exactly 3 ASCII capitals (``"EUR"``).

        ``TypeError`` for a wrong type (``bool`` and ``float`` cents included),
        ``ValueError`` for a wrong value.
        """
        if type(self.cents) is not int:
            raise TypeError(f"cents must be an int, got {type(self.cents).__name__}")
        if not isinstance(self.currency, str):
            raise TypeError(f"currency must be a str, got {type(self.currency).__name__}")
        if self.cents < 0:  # break[reject-zero]
            raise ValueError(f"price must be non-negative, got {self.cents}")
        # Not isupper(): "E1R".isupper() is True (one cased letter, none lower).
        if re.fullmatch(r"[A-Z]{3}", self.currency) is None:  # break[isupper-check]
            raise ValueError(f"currency must be 3 upper-case letters, got {self.currency!r}")


@dataclass
class Doubled:
    """A field computed in ``__post_init__`` (``init=False``); ``replace`` recomputes it.

    >>> import dataclasses
    >>> dataclasses.replace(Doubled(2), base=5)
    Doubled(base=5, twice=10)
    """

    base: int
    twice: int = field(init=False)

    def __post_init__(self) -> None:
        """Derive ``twice`` from ``base``."""
        self.twice = 2 * self.base


@dataclass(frozen=True)
class FrozenDoubled:
    """The frozen variant: ``__post_init__`` sets the derived field through ``object.__setattr__``.

    >>> FrozenDoubled(4)
    FrozenDoubled(base=4, twice=8)
    """

    base: int
    twice: int = field(init=False)

    def __post_init__(self) -> None:
        """Derive ``twice``; plain ``self.twice = ...`` would raise FrozenInstanceError."""
        object.__setattr__(self, "twice", 2 * self.base)
