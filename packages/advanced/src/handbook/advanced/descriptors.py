"""Descriptors: data ones beat the instance dict, which beats non-data ones; methods bind this way.

Why interviewers ask this:
    ``property``, methods, ``classmethod``, ``staticmethod``, ``__slots__``
    and ORM columns are descriptors: an object on the *class* that
    takes over ``obj.attr`` through ``__get__``/``__set__``/``__delete__``.
    "Why does ``self`` get passed?", "why can't I assign to this property?"
    and "write a reusable validated field" all have the same answer. Java and
    Go have no equivalent hook on field access (Java writes getters/setters
    or generates them with Lombok; Go exports a field or writes methods), so
    candidates coming from them often only know ``property``.

Common pitfalls:
    - Keeping the value on the descriptor (``SharedField``): there is one
      descriptor per *class*, so every instance reads the last value any
      instance wrote. Store per-instance state in the instance (``Field``
      uses ``obj.__dict__`` under its own name).
    - Expecting an instance attribute to shadow a ``property``: ``property``
      defines ``__set__`` (and ``__delete__``) even with no setter, so it is
      a data descriptor; ``obj.x = 1`` raises ``AttributeError`` and even a
      value written straight into ``obj.__dict__`` is never read.
    - Assuming ``functools.cached_property`` computes once under threads:
      3.11 held one ``RLock`` per attribute (shared by every instance, so
      unrelated instances waited on each other); 3.12 removed the lock, so
      two threads can both run the function and the last write wins.
    - ``isinstance(True, int)`` is true: an ``int`` field accepts ``True``
      unless it rejects ``bool`` on purpose (``Field`` does, for ``int`` and
      its subclasses only; ``Field(object)`` or ``Field(bool)`` accept it).

Key takeaways:
    - A descriptor is an object whose *type* defines ``__get__``,
      ``__set__`` or ``__delete__`` (an object in the instance dict is never
      one). With ``__set__`` or ``__delete__`` it is a *data* descriptor and
      wins over the instance ``__dict__``; with only ``__get__`` it is
      *non-data* and the instance ``__dict__`` wins over it. A data
      descriptor with no ``__get__`` still takes every write, but a read
      falls through to the instance dict, or returns the descriptor itself.
    - Functions are non-data descriptors: ``C.f`` is the plain function,
      ``c.f`` is ``f.__get__(c, C)``, a new bound method (``__self__``,
      ``__func__``) on every access. That is why ``c.f = 1`` can replace a
      method on one instance.
    - ``__set_name__(owner, name)`` is called by ``type.__new__`` for each
      attribute of the class body, so a field learns its name without
      repeating it; a descriptor attached later (``C.x = Field(...)``) is
      not told.
    - ``cached_property`` is non-data: the first read stores the value in
      the instance ``__dict__``, which then wins, so later reads never call
      the descriptor; ``del obj.attr`` clears it and assignment overrides it.
      It needs an instance ``__dict__`` (``TypeError`` with ``__slots__``).
    - ORMs are descriptors: SQLAlchemy's ``InstrumentedAttribute`` is a data
      descriptor that tracks changes, and on the class (``User.name``) it
      returns itself, whose operators build SQL expressions
      (``User.name == "ann"``); Django's
      ``DeferredAttribute`` (plain model fields) defines only ``__get__``:
      the loaded value sits in the instance ``__dict__`` and the descriptor
      runs only for a deferred field, to load it.

What to look for in an answer:
    The data/non-data rule with the reason (assignment must go through a
    setter; a cache must be able to shadow its computer), ``__get__(None,
    owner)`` returning the descriptor, per-instance storage, ``__set_name__``.
    Follow-ups:
    - Why does ``obj.method is obj.method`` give ``False``? (Each access calls
      ``function.__get__`` and builds a new bound method; they compare equal.
      For the same reason ``weakref.ref(obj.method)`` is dead at once on
      CPython (nothing holds the temporary method): use
      ``weakref.WeakMethod``.)
    - Where do ``__slots__`` values live? (In fixed slots on the instance,
      reached through a ``member_descriptor`` on the class, a data
      descriptor.)
    - Why store the value in ``obj.__dict__`` under the field's own name?
      (The data descriptor still wins on reads, ``vars(obj)`` shows plain
      data, and no ``_x`` name can clash; reading ``getattr(obj, name)``
      inside ``__get__`` instead would recurse forever.)
    - Make ``cached_property`` compute once under threads? (A lock per
      instance and attribute, double-checked, or compute eagerly.)
    - How does ``classmethod`` work? (Its ``__get__`` binds to the owner
      class instead of the instance. ``staticmethod.__get__`` returns the
      plain function. ``@classmethod`` over ``@property`` gave a class
      property on 3.9-3.12, deprecated in 3.11, and since 3.13 gives a bound
      method instead: another version trap.)
    - Write ``property`` in pure Python. (``__get__`` returns ``self`` when
      ``obj is None``, else ``fget(obj)``; ``__set__`` raises
      ``AttributeError`` when ``fset`` is None; ``setter()`` returns a *new*
      property, which is why the setter must reuse the same name.)
    - Does a descriptor put in the instance dict work? (No: only attributes
      found on the type are descriptors; ``obj.__dict__["x"] = Field(int)``
      is returned as a plain object.)
    - Where does a descriptor keep per-instance state under ``__slots__``?
      (In a private slot, or a ``weakref.WeakKeyDictionary`` keyed by the
      instance, which must be hashable and weak-referenceable; never a
      plain dict keyed by instance, which leaks.)
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

__all__ = ["Field", "PlainFunction", "SharedField", "is_data_descriptor"]

T = TypeVar("T")


def is_data_descriptor(attr: object) -> bool:
    """True if ``type(attr)`` defines ``__set__`` or ``__delete__`` (looked up on the type).

    Walks ``type(attr).__mro__`` as CPython does, so a ``__set__`` on the
    instance itself or on the type's metaclass does not count.

    >>> is_data_descriptor(property()), is_data_descriptor(lambda: 0)
    (True, False)
    """
    return any("__set__" in vars(k) or "__delete__" in vars(k) for k in type(attr).__mro__)


class SharedField:
    """The pitfall: the value lives on the descriptor, one per class, shared by all instances."""

    def __init__(self) -> None:
        self.value: object = None

    def __get__(self, obj: object, owner: type | None = None) -> object:
        return self.value

    def __set__(self, obj: object, value: object) -> None:
        self.value = value


class Field(Generic[T]):
    """A typed field with optional bounds; the value lives in each instance's ``__dict__``.

    The check is ``isinstance``: a ``float`` field rejects an ``int``, although
    type checkers accept ``int`` where ``float`` is declared.

    >>> class Order:
    ...     qty = Field(int, minimum=1)
    >>> o = Order()
    >>> o.qty = 3
    >>> o.qty, vars(o)
    (3, {'qty': 3})
    >>> o.qty = 0
    Traceback (most recent call last):
    ...
    ValueError: Order.qty must be >= 1, got 0
    """

    def __init__(self, kind: type[T], *, minimum: Any = None, maximum: Any = None) -> None:
        """``TypeError`` if ``kind`` is not a type; ``ValueError`` if ``minimum > maximum``."""
        if not isinstance(kind, type):
            raise TypeError(f"Field kind must be a type, got {kind!r}")
        if minimum is not None and maximum is not None and minimum > maximum:
            raise ValueError(f"Field minimum {minimum!r} is greater than maximum {maximum!r}")
        self.kind = kind
        self.minimum = minimum
        self.maximum = maximum
        self.name = "<unnamed>"
        self.label = "<unnamed>"

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name  # break[no-set-name]
        self.label = f"{owner.__name__}.{name}"

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Field[T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...
    def __get__(self, obj: object, owner: type | None = None) -> Field[T] | T:
        if obj is None:
            return self  # on the class: the field itself, for introspection
        try:
            value: T = obj.__dict__[self.name]
        except KeyError:
            raise AttributeError(f"{self.label} is not set") from None
        return value

    def __set__(self, obj: object, value: T) -> None:
        rejected = not isinstance(value, self.kind)
        if issubclass(self.kind, int) and not issubclass(self.kind, bool):
            # True and False are ints to isinstance; only an int field rejects them.
            rejected = rejected or isinstance(value, bool)  # break[accept-bool]
        if rejected:
            got = type(value).__name__
            raise TypeError(f"{self.label} must be {self.kind.__name__}, got {got}")
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"{self.label} must be >= {self.minimum}, got {value!r}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"{self.label} must be <= {self.maximum}, got {value!r}")
        obj.__dict__[self.name] = value  # break[setattr-in-set]

    def __delete__(self, obj: object) -> None:
        try:
            del obj.__dict__[self.name]
        except KeyError:  # like a plain attribute: deleting an unset one is an error
            raise AttributeError(f"{self.label} is not set") from None


class PlainFunction:
    """What ``def`` gives you, rebuilt: a non-data descriptor that binds on instance access.

    >>> class Greeter:
    ...     hello = PlainFunction(lambda self, who: f"{type(self).__name__} greets {who}")
    >>> Greeter().hello("ann")
    'Greeter greets ann'
    """

    def __init__(self, func: Callable[..., Any]) -> None:
        self.func = func

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self.func  # like C.f: the plain function, no binding
        return types.MethodType(self.func, obj)  # break[no-binding]
