"""Properties, classmethods and staticmethods; ``cached_property`` lost its lock in 3.12.

Why interviewers ask this:
    Validated attributes (``@property`` with a setter), alternate
    constructors (``from_json``, ``parse``) and "when would you use a
    staticmethod?" come up in every object-design round. The sharp follow-up
    is concurrency: is ``functools.cached_property`` thread-safe? The answer
    changed in 3.12, and both old and new behaviour surprise people.

Common pitfalls:
    - Storing the value before validating it: a rejected set then leaves the
      object in the invalid state the exception was meant to prevent.
    - ``__init__`` writing ``self._celsius`` directly: construction skips the
      setter's check, so ``Temperature(-500)`` is accepted.
    - An alternate constructor written as ``@staticmethod`` that calls the
      base class by name: ``Euro.parse_static(...)`` returns a ``Money``, not
      a ``Euro``. ``@classmethod`` gets ``cls`` and builds the subclass.
    - Assuming ``cached_property`` computes once under threads. On 3.12+ two
      threads that miss the cache together both run the function. On
      3.8-3.11 it did compute once, but behind a single ``RLock`` per
      ``cached_property`` object, that is per class attribute: a slow first
      access on one instance blocked the first access on *every* instance.
    - A setter under another name: ``@x.setter`` over ``def set_x`` binds the
      new property (getter and setter) to ``set_x``, and ``x`` stays
      read-only (``AttributeError: ... has no setter``). Reuse the name.
    - ``@classmethod`` stacked over ``@property`` for a "class property":
      3.9-3.12 chain the descriptors (``C.name`` runs the getter with the
      class), 3.11 deprecated it, 3.13 removed it: ``C.name`` silently
      becomes a bound method. Use a small descriptor whose ``__get__`` calls
      the function with ``owner``, or a property on a metaclass.
    - ``cached_property`` on a class with ``__slots__`` (and no ``__dict__``
      slot): the first access raises ``TypeError``; it caches in the instance
      ``__dict__``.

Key takeaways:
    - A property is a data descriptor: ``obj.celsius = v`` calls the setter,
      so validation lives in one place; route ``__init__`` through it too.
      Validate first, assign last: a failed set changes nothing.
    - ``@classmethod`` receives the class it was called on, so alternate
      constructors and factory methods work for subclasses. ``@staticmethod``
      receives nothing; it is a plain function namespaced in the class, which
      subclasses can override and callers reach through ``cls``/``self``.
      With no override in view, a module-level function is the usual choice.
    - ``cached_property`` is a non-data descriptor: after the first access the
      value sits in ``obj.__dict__`` and the descriptor is not consulted again;
      ``del obj.attr`` forgets it. 3.8-3.11 took a per-descriptor RLock on
      every cache miss; 3.12 removed it (no lock at all), so guard the
      computation yourself when "exactly once" matters: a per-instance lock and
      a re-check under it (``LockedReport``).
    - Java has no properties: getters/setters by convention, static factory
      methods (which, like a staticmethod, name the class). Go uses
      ``NewThing`` constructor functions and ``sync.Once`` for compute-once.

What to look for in an answer:
    A strong candidate validates in the setter and in ``__init__`` through
    it, picks ``classmethod`` for alternate constructors and says why
    (``cls``), and knows ``cached_property`` gives no compute-once guarantee on
    3.12+. Follow-ups:
    - Why was the lock removed? (It was one lock per property shared by all
      instances, so unrelated objects contended; and a getter that waited for
      another thread which itself needed a first access of the same property,
      on any instance, deadlocked. The 3.12 functools docs note the change.)
    - How do you make a lazily computed attribute compute exactly once per
      instance? (A per-instance ``threading.Lock`` with a re-read of the cache
      under the lock: double-checked locking; or compute eagerly in
      ``__init__``.)
    - Why not ``@property`` over ``@functools.lru_cache`` on a method? (The
      cache lives on the class function, shared by all instances and keyed
      by ``self``: the instances must be hashable, and the cache keeps every
      one of them alive until evicted, a memory leak. ``cached_property``
      stores the value on the instance and dies with it.)
    - Implement ``property`` yourself. (A class with ``__set_name__`` to
      learn the attribute name, ``__get__(self, obj, owner)`` returning
      itself when ``obj`` is None and calling the getter otherwise, and
      ``__set__`` calling the setter or raising AttributeError; defining
      ``__set__`` is what makes it a data descriptor that beats
      ``obj.__dict__``.)
    - Can you assign to a ``cached_property``? (Yes, it has no ``__set__``:
      the assignment lands in ``__dict__`` and wins; a plain ``property``
      without a setter raises AttributeError.)
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar, Self

__all__ = [
    "ABSOLUTE_ZERO_C",
    "Euro",
    "LockedReport",
    "Money",
    "Report",
    "SlottedReport",
    "Temperature",
]

ABSOLUTE_ZERO_C = -273.15

_AMOUNT = re.compile(r"([0-9]+)(?:\.([0-9]{1,2}))?")


def _to_cents(text: str, clean: Callable[[str], str]) -> int:
    """Parse ``[-]<symbol>units[.dd]`` into cents; one ValueError for anything else."""
    body = text.strip()
    sign = -1 if body.startswith("-") else 1
    match = _AMOUNT.fullmatch(clean(body.removeprefix("-")))
    if match is None:
        raise ValueError(f"not an amount like 12.34 or -0.50: {text!r}")
    units, decimals = match.group(1), match.group(2) or ""
    return sign * (int(units) * 100 + int(decimals.ljust(2, "0")))


class Temperature:
    """A temperature that cannot go below absolute zero.

    >>> t = Temperature(20.0)
    >>> t.celsius = -300
    Traceback (most recent call last):
    ...
    ValueError: -300 °C is below absolute zero
    >>> t.celsius
    20.0
    """

    def __init__(self, celsius: float) -> None:
        self.celsius = celsius  # break[init-bypasses-setter]

    @property
    def celsius(self) -> float:
        """The temperature in degrees Celsius."""
        return self._celsius

    @celsius.setter
    def celsius(self, value: float) -> None:
        if value < ABSOLUTE_ZERO_C:  # break[assign-before-check]
            raise ValueError(f"{value} °C is below absolute zero")
        self._celsius = value

    @property
    def fahrenheit(self) -> float:
        """Read-only, derived from Celsius."""
        return self._celsius * 9 / 5 + 32


@dataclass(frozen=True)
class Money:
    """An amount in cents; ``symbol`` and ``clean`` are what subclasses change."""

    cents: int
    symbol: ClassVar[str] = "$"

    @staticmethod
    def clean(text: str) -> str:
        """Strip spaces and a dollar sign: a plain function kept in the class."""
        return text.strip().removeprefix("$")

    @classmethod
    def parse(cls, text: str) -> Self:
        """Build an instance of the class it is called on from ``"12.34"``.

        >>> Euro.parse("€3.5"), Money.parse("-$0.50")
        (Euro(cents=350), Money(cents=-50))

        Accepts an optional leading ``-``, the class's symbol, digits and at
        most two decimals (ASCII digits only); raises ValueError otherwise.
        """
        return cls(_to_cents(text, cls.clean))  # break[hard-coded-class]

    @staticmethod
    def parse_static(text: str) -> Money:
        """The pitfall: a static constructor names the base class, so subclasses get a Money.

        >>> Euro.parse_static("3.50")
        Money(cents=350)
        """
        return Money(_to_cents(text, Money.clean))

    def __str__(self) -> str:
        """``-$1.50`` style: the sign first, then the magnitude, so parse() reads it back."""
        sign = "-" if self.cents < 0 else ""
        units, cents = divmod(abs(self.cents), 100)  # break[floor-divide-negative]
        return f"{sign}{self.symbol}{units}.{cents:02d}"


class Euro(Money):
    """Overrides the symbol and the staticmethod ``clean``; inherits ``parse``."""

    symbol: ClassVar[str] = "€"

    @staticmethod
    def clean(text: str) -> str:
        """Strip spaces and a euro sign."""
        return text.strip().removeprefix("€")


def _nothing(calls: int) -> None:
    """The default hook: do nothing."""


class Report:
    """An expensive total behind ``functools.cached_property``.

    ``on_compute`` runs inside the computation with the number of computations
    so far, so tests can hold a thread there. ``computations`` is a list
    because ``list.append`` is atomic where ``+= 1`` is a read and a write.

    >>> r = Report()
    >>> r.total, r.total, len(r.computations), "total" in vars(r)
    (42, 42, 1, True)
    """

    def __init__(self, on_compute: Callable[[int], object] = _nothing) -> None:
        self._on_compute = on_compute
        self.computations: list[str] = []

    @cached_property
    def total(self) -> int:
        """Computed on first access, then read from the instance ``__dict__``."""
        self.computations.append(threading.current_thread().name)
        self._on_compute(len(self.computations))
        return 42


class SlottedReport:
    """The pitfall: ``__slots__`` leaves no ``__dict__`` for ``cached_property``."""

    __slots__ = ("data",)

    def __init__(self) -> None:
        self.data = [1, 2, 3]

    @cached_property
    def total(self) -> int:
        """Raises TypeError on access: there is nowhere to cache it."""
        return sum(self.data)


class LockedReport:
    """Compute-once on every version: a per-instance lock and a re-read under it.

    Different instances never wait for each other (unlike 3.11's class-wide
    lock). ``lock`` can be replaced by any context manager, for tests.

    >>> r = LockedReport()
    >>> r.total, r.total, len(r.computations)
    (42, 42, 1)
    """

    def __init__(
        self,
        on_compute: Callable[[int], object] = _nothing,
        lock: AbstractContextManager[object] | None = None,
    ) -> None:
        self._on_compute = on_compute
        self._lock: AbstractContextManager[object] = lock or threading.Lock()
        self._total: int | None = None
        self.computations: list[str] = []

    @property
    def total(self) -> int:
        """The total, computed by the first caller; later callers wait, then reuse it."""
        seen = self._total
        if seen is None:
            with self._lock:  # break[lock-per-call]
                seen = self._total  # break[no-recheck]
                if seen is None:
                    self.computations.append(threading.current_thread().name)
                    self._on_compute(len(self.computations))
                    seen = self._total = 42
        return seen
