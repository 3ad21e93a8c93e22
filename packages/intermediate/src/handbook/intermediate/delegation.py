"""Delegation with ``__getattr__``: forwarding, what it cannot intercept, and its recursion trap.

Why interviewers ask this:
    Wrappers are a daily backend tool: a client that adds retries or metrics,
    a read-only view, a lazy proxy, a test double. "Wrap this object and
    change one method" tests whether a candidate knows composition versus
    inheritance, when ``__getattr__`` runs, and why ``len(proxy)`` fails while
    ``proxy.__len__()`` works. Readers from Go know the idea as struct
    embedding, which promotes the inner type's methods.

Common pitfalls:
    - Confusing ``__getattr__`` with ``__getattribute__``: the first runs only
      when normal lookup fails, the second on *every* access, including
      ``self._wrapped`` inside it, which recurses unless it calls
      ``object.__getattribute__``.
    - Expecting ``__getattr__`` to forward operators and built-ins:
      ``len(p)``, ``iter(p)``, ``p[k]``, ``p + q`` look the dunder up on the
      type, not the instance, and never call ``__getattr__``. Define the
      dunders you need on the wrapper.
    - Touching ``self._wrapped`` inside ``__getattr__``: ``copy.copy`` and
      ``pickle.loads`` create the object with ``__new__``, without
      ``__init__``, then ask it for ``__setstate__``; ``self._wrapped`` is
      missing, so ``__getattr__`` is called for it, and again, until
      ``RecursionError``.
    - A property (or any descriptor) on the wrapper that raises
      ``AttributeError`` inside, say from a typo: Python takes it as "not
      found" and calls ``__getattr__``, which forwards the name. The bug is
      masked and the wrapped object's attribute comes back instead. Let no
      ``AttributeError`` escape a property body (re-raise it as another error).
    - Expecting an override to catch the wrapped object's own internal calls:
      a forwarded method runs with the wrapped object as ``self``, so
      ``proxy.restock()`` calls the wrapped ``add``, not the proxy's.

Key takeaways:
    - Attribute lookup: ``type(obj).__getattribute__`` (data descriptors on the
      type, then the instance ``__dict__``, then the rest of the type); only if
      that raises ``AttributeError`` is ``__getattr__`` called. So the
      wrapper's own attributes and methods win, and everything else is
      forwarded: override a few, inherit the rest, without subclassing.
    - Special-method lookup skips the instance and ``__getattr__``: a proxy
      must define ``__len__``, ``__iter__``, ``__eq__``, ... itself. Even
      ``obj.__len__ = f`` on the instance is ignored by ``len(obj)``.
    - Make ``__getattr__`` safe on a half-built object: read the wrapped
      object from ``self.__dict__`` and raise ``AttributeError`` when it is not
      there yet; ``copy.copy`` and ``pickle`` then work.
    - Delegation has no late binding; inheritance does. An override in a
      subclass is seen by the parent's methods (``self.add`` finds it); an
      override in a wrapper is not. Go embedding behaves like delegation: the
      promoted method's receiver is the inner struct, there is no virtual
      dispatch back to the outer one. Java has no automatic forwarding at all
      (you write each method, or use ``java.lang.reflect.Proxy`` for
      interfaces).

What to look for in an answer:
    A strong candidate says "``__getattr__`` is the fallback", defines the
    dunders explicitly, guards ``__getattr__`` against the missing wrapped
    attribute, and knows that forwarded methods do not see the wrapper's
    overrides. Follow-ups:
    - When prefer inheritance? (When internal calls must hit your override,
      and you control construction; the template-method pattern needs it.)
    - How do you make ``isinstance(proxy, Inventory)`` true? (Subclass; or, if
      ``Inventory`` is an ABC, ``Inventory.register(AuditedProxy)``, since a
      plain class has no ``register``; or a ``__class__`` property as
      ``unittest.mock`` does: ``isinstance`` falls back to ``obj.__class__``,
      ``type(obj)`` does not. Often a ``Protocol`` is the better answer.)
    - What does ``proxy.name = "b"`` do? (``__getattr__`` is for reads only: the
      write lands in the proxy's ``__dict__``, and from then on shadows the
      wrapped attribute. Define ``__setattr__`` to forward it (write-through) or
      raise (read-only), setting the proxy's own fields with
      ``object.__setattr__``.)
    - What does ``dir(proxy)`` show, and how do you fix it for tab
      completion? (Only the wrapper's names; define ``__dir__`` to merge in
      ``dir(self._wrapped)``.)

Complexity:
    A forwarded access costs a failed normal lookup on the wrapper (instance
    dict and the whole MRO), a Python-level call to ``__getattr__``, then the
    lookup on the wrapped object; the wrapper's own attributes cost nothing
    extra.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

__all__ = [
    "AuditedByInheritance",
    "AuditedProxy",
    "DunderBlindProxy",
    "Inventory",
    "RecursingProxy",
]


class Inventory:
    """The wrapped object: stock counts per SKU; ``restock`` calls ``self.add``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._stock: dict[str, int] = {}

    def add(self, sku: str, quantity: int) -> None:
        """Add ``quantity`` units of ``sku``."""
        self._stock[sku] = self._stock.get(sku, 0) + quantity

    def count(self, sku: str) -> int:
        """Units of ``sku`` in stock (0 if unknown)."""
        return self._stock.get(sku, 0)

    def restock(self, skus: Iterable[str], quantity: int = 10) -> None:
        """Add ``quantity`` of each SKU, through ``self.add``."""
        for sku in skus:
            self.add(sku, quantity)

    def __len__(self) -> int:
        return len(self._stock)

    def __iter__(self) -> Iterator[str]:
        return iter(self._stock)


class AuditedByInheritance(Inventory):
    """Inheritance: the override is found by the parent's own ``self.add`` calls.

    >>> inv = AuditedByInheritance("depot")
    >>> inv.restock(["bolt", "nut"])
    >>> inv.audit
    ['add bolt 10', 'add nut 10']
    """

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.audit: list[str] = []

    def add(self, sku: str, quantity: int) -> None:
        """Record, then add."""
        self.audit.append(f"add {sku} {quantity}")
        super().add(sku, quantity)


class AuditedProxy:
    """Delegation: overrides ``add``, forwards everything else, defines its dunders.

    >>> proxy = AuditedProxy(Inventory("depot"))
    >>> proxy.add("bolt", 3)
    >>> proxy.count("bolt"), proxy.name, len(proxy), list(proxy), proxy.audit
    (3, 'depot', 1, ['bolt'], ['add bolt 3'])
    >>> proxy.restock(["nut"])  # runs on the wrapped object: not audited
    >>> proxy.count("nut"), proxy.audit
    (10, ['add bolt 3'])
    """

    def __init__(self, wrapped: Inventory) -> None:
        self._wrapped = wrapped
        self.audit: list[str] = []

    def add(self, sku: str, quantity: int) -> None:
        """Record, then forward."""
        self.audit.append(f"add {sku} {quantity}")
        self._wrapped.add(sku, quantity)

    def __getattr__(self, name: str) -> Any:  # break[getattribute]
        # Only reached when normal lookup failed. Read the wrapped object from
        # the instance dict: on an object built without __init__ (copy, pickle)
        # it is absent, and self._wrapped would call __getattr__ again, forever.
        try:
            wrapped = self.__dict__["_wrapped"]  # break[recursing-getattr]
        except KeyError:
            raise AttributeError(name) from None
        return getattr(wrapped, name)

    # __getattr__ never sees these: len() and iter() look on the type.
    def __len__(self) -> int:  # break[no-dunders]
        return len(self._wrapped)

    def __iter__(self) -> Iterator[str]:
        return iter(self._wrapped)


class DunderBlindProxy:
    """The pitfall: forwards by ``__getattr__`` only, so built-ins cannot see the dunders.

    >>> proxy = DunderBlindProxy(Inventory("depot"))
    >>> proxy.__len__()
    0
    >>> len(proxy)
    Traceback (most recent call last):
    TypeError: object of type 'DunderBlindProxy' has no len()
    """

    def __init__(self, wrapped: Inventory) -> None:
        self._wrapped = wrapped

    def __getattr__(self, name: str) -> Any:
        try:
            wrapped = self.__dict__["_wrapped"]
        except KeyError:
            raise AttributeError(name) from None
        return getattr(wrapped, name)


class RecursingProxy:
    """The pitfall: ``__getattr__`` reads ``self._wrapped``; fine until ``__init__`` is skipped.

    >>> import copy
    >>> RecursingProxy(Inventory("depot")).name
    'depot'
    >>> copy.copy(RecursingProxy(Inventory("depot")))
    Traceback (most recent call last):
    RecursionError: maximum recursion depth exceeded...
    """

    def __init__(self, wrapped: Inventory) -> None:
        self._wrapped = wrapped

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapped, name)
