"""ABCs refuse to instantiate incomplete subclasses; a runtime Protocol checks member names only.

Why interviewers ask this:
    "How do you define an interface in Python?" has two answers, and the
    difference is the question. An ``abc.ABC`` is nominal, like Java's
    ``implements``: a class must inherit from it, and it cannot be
    instantiated until every abstract method is overridden. A
    ``typing.Protocol`` is structural, like a Go interface: anything with the
    right methods fits, checked by a type checker. ``@runtime_checkable``
    adds ``isinstance`` support, and interviewers probe whether you know how
    little that check proves.

Common pitfalls:
    - Expecting the missing-method error at class definition: an incomplete
      ABC subclass is created fine; ``TypeError`` comes at instantiation and
      names the missing methods (wording differs: 3.11 "Can't instantiate
      abstract class HalfCache with abstract method put", 3.12+ "... without
      an implementation for abstract method 'put'").
    - Trusting ``isinstance(obj, SomeProtocol)`` with ``@runtime_checkable``:
      it checks that each member *name* exists, never the signature, the
      return type, or even that a method is callable. An object whose
      ``close`` takes two required arguments passes, then fails when called.
    - Relying on ``__getattr__`` to satisfy a runtime protocol: since 3.12
      the check uses ``inspect.getattr_static``, so attributes that only
      ``__getattr__`` provides no longer count (they did on 3.11).
    - ``isinstance`` against a Protocol without ``@runtime_checkable`` raises
      ``TypeError``.

Key takeaways:
    - ABC: inheritance plus ``@abstractmethod``; incompleteness is caught at
      the first instantiation, with every missing name in the message
      (``__abstractmethods__`` holds them).
    - Protocol: no inheritance needed; mypy checks full signatures
      statically. The runtime ``isinstance`` only checks that each member
      exists (``hasattr`` on 3.11, ``inspect.getattr_static`` on 3.12+).
    - 3.12 changed runtime-checkable ``isinstance`` to look members up with
      ``inspect.getattr_static``: ``__getattr__`` is no longer consulted and
      properties are no longer evaluated (3.11 ran the property getter, so a
      getter raising ``AttributeError`` made the check False and any other
      exception propagated out of ``isinstance``).
    - A member set to ``None`` on the class counts as "explicitly not
      implemented": ``isinstance`` is False.
    - An ABC can ship implementation: subclass ``collections.abc.Mapping``,
      write ``__getitem__``, ``__iter__`` and ``__len__``, and inherit
      ``get``, ``keys``, ``items``, ``__contains__`` and ``__eq__``
      (``FrozenConfig``). A Protocol gives nothing to a class that does not
      inherit from it.
    - Abstract properties and class methods stack ``@abstractmethod``
      innermost: ``@property`` then ``@abstractmethod`` above the ``def``.
    - Go's interfaces are implicit like Protocols but checked by the
      compiler, signatures included (``var _ Closer = (*File)(nil)`` asserts
      it). Java's ``implements`` is explicit and checked at compile time, like
      an ABC checked earlier.

What to look for in an answer:
    A strong candidate picks an ABC when shared implementation or a registry
    of subclasses matters and a Protocol for duck-typed parameters (and to
    describe third-party types they cannot change), and says the runtime check
    is a coarse guard, not a proof, and not free: a runtime-protocol
    ``isinstance`` looks up every member, far slower than a nominal check,
    so keep it out of hot paths. Follow-ups:
    - How do you make a class that does not inherit count as an ABC's
      subclass? (``SomeABC.register(cls)`` (a virtual subclass; no methods are
      checked) or a ``__subclasshook__``, as ``collections.abc.Iterable`` does
      for anything with ``__iter__``.)
    - Why can ``issubclass`` not be used with some runtime protocols? (A
      protocol with data members (non-method attributes or properties) raises
      ``TypeError`` from ``issubclass``: instance attributes are not visible
      on the class.)
    - How do you check a signature at runtime if you really must?
      (``inspect.signature(obj.method).bind(*args)`` raises ``TypeError`` when
      the arguments do not fit; usually a type checker in CI is the answer.)
"""

from __future__ import annotations

import abc
import inspect
from collections.abc import Callable, Iterator, Mapping
from typing import Protocol, runtime_checkable

__all__ = [
    "Cache",
    "Closer",
    "DictCache",
    "DynamicCloser",
    "FrozenConfig",
    "HalfCache",
    "HasSize",
    "LazySize",
    "NotCallableClose",
    "WrongSignatureCloser",
    "accepts_arguments",
    "can_close",
]


class Cache(abc.ABC):
    """A nominal interface: subclasses must implement ``get`` and ``put``."""

    @abc.abstractmethod
    def get(self, key: str) -> str | None:
        """Return the value for ``key``, or None."""

    @abc.abstractmethod  # break[forget-abstract]
    def put(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``."""


class HalfCache(Cache):
    """The pitfall: defined without error, but it cannot be instantiated.

    >>> HalfCache()
    Traceback (most recent call last):
    TypeError: Can't instantiate abstract class HalfCache ...put...
    """

    def get(self, key: str) -> str | None:
        """Always a miss."""
        return None


class DictCache(Cache):
    """A complete implementation.

    >>> c = DictCache(); c.put("k", "v"); c.get("k")
    'v'
    """

    def __init__(self) -> None:
        """Start empty."""
        self._data: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        """Return the stored value, or None."""
        return self._data.get(key)

    def put(self, key: str, value: str) -> None:
        """Store the value."""
        self._data[key] = value


class FrozenConfig(Mapping[str, str]):
    """Three methods written, the rest of the read-only dict API inherited from the ABC.

    >>> c = FrozenConfig({"host": "db"})
    >>> c.get("port", "5432"), "host" in c, list(c.items()), c == {"host": "db"}
    ('5432', True, [('host', 'db')], True)
    """

    def __init__(self, values: Mapping[str, str]) -> None:
        """Copy ``values``: later changes to the source do not leak in."""
        self._values = dict(values)

    def __getitem__(self, key: str) -> str:
        """The value, or ``KeyError`` (which the inherited ``get`` relies on)."""
        return self._values[key]  # break[getitem-swallows-keyerror]

    def __iter__(self) -> Iterator[str]:
        """The keys, in insertion order."""
        return iter(self._values)

    def __len__(self) -> int:
        """How many keys."""
        return len(self._values)


@runtime_checkable  # break[not-runtime-checkable]
class Closer(Protocol):
    """Anything with a ``close()`` method; ``isinstance`` checks the name only."""

    def close(self) -> None:
        """Release the resource."""


class WrongSignatureCloser:
    """The pitfall: ``close`` needs two arguments, yet ``isinstance(x, Closer)`` is True.

    >>> isinstance(WrongSignatureCloser(), Closer)
    True
    >>> WrongSignatureCloser().close()
    Traceback (most recent call last):
    TypeError: WrongSignatureCloser.close() missing 2 required positional arguments: ...
    """

    def close(self, force: bool, timeout: float) -> None:
        """Needs arguments that ``Closer.close`` never passes."""


class NotCallableClose:
    """Even a non-callable attribute named ``close`` satisfies the runtime check.

    >>> isinstance(NotCallableClose(), Closer)
    True
    """

    close = 5


class DynamicCloser:
    """``close`` exists only through ``__getattr__``: True on 3.11, False on 3.12+."""

    def __getattr__(self, name: str) -> Callable[[], None]:
        """Answer every missing attribute with a no-op function."""

        def noop() -> None:
            """Do nothing."""

        return noop


@runtime_checkable
class HasSize(Protocol):
    """A protocol with a data member (a property): ``isinstance`` only, no ``issubclass``."""

    @property
    def size(self) -> int:
        """How many items."""
        ...


class LazySize:
    """A property with a side effect: 3.11's ``isinstance`` runs it, 3.12+ does not."""

    def __init__(self) -> None:
        """Count getter calls."""
        self.calls = 0

    @property
    def size(self) -> int:
        """Record the call and return 3."""
        self.calls += 1
        return 3


def accepts_arguments(func: Callable[..., object], *args: object) -> bool:
    """Whether ``func(*args)`` would bind: the signature check Protocols skip at runtime.

    Some built-ins have no introspectable signature: ``inspect.signature``
    raises ``ValueError`` for ``next`` on 3.11-3.13, and for a generator's
    ``close`` on 3.11 and 3.12 (3.13 gives it one). "Cannot tell" returns
    True: the call itself will decide.

    >>> accepts_arguments(WrongSignatureCloser().close)
    False
    >>> accepts_arguments(DictCache().get, "k")
    True
    >>> accepts_arguments(next, iter([]))  # no signature: cannot tell
    True
    """
    try:
        signature = inspect.signature(func)
    except ValueError:  # break[no-signature-crash]
        return True
    try:
        signature.bind(*args)
    except TypeError:
        return False
    return True


def can_close(obj: object) -> bool:
    """Whether ``obj.close()`` can really be called: the name, callability and signature.

    >>> can_close(DictCache()), can_close(NotCallableClose()), can_close(WrongSignatureCloser())
    (False, False, False)
    >>> import io
    >>> can_close(io.StringIO()), can_close(x for x in ())
    (True, True)

    ``isinstance(obj, Closer)`` is not needed: ``callable`` already rejects a
    missing ``close`` and the ``close = None`` opt-out.
    """
    close = getattr(obj, "close", None)
    return callable(close) and accepts_arguments(close)  # break[trust-isinstance]
