"""Attribute lookup: what ``obj.attr`` does, step by step, and where ``__getattr__`` comes in.

Why interviewers ask this:
    Proxies, lazy objects, mocks and config wrappers all hook attribute
    access, and each hook has a trap: an infinite recursion, an error that
    names the wrong attribute, a ``len(proxy)`` that ignores the proxy. A
    candidate who can recite the order (data descriptor, instance dict,
    non-data descriptor or class attribute, then ``__getattr__``) can debug
    them. Java and Go resolve fields and methods at compile time and have no
    per-access hook; the nearest things are Java's dynamic proxies
    (``InvocationHandler``, interfaces only) and Go's embedding.

Common pitfalls:
    - ``self.anything`` inside ``__getattribute__`` (``LeakyAccessLog``)
      calls ``__getattribute__`` again: ``RecursionError`` on the first
      access. Go through ``object.__getattribute__(self, name)``.
    - ``self._values`` inside ``__getattr__`` (``LeakyConfig``) is fine
      until ``_values`` is missing: then it calls ``__getattr__("_values")``
      for ever. ``copy.copy`` and ``pickle`` make exactly that object (built
      with ``__new__``, no ``__init__``) and ask it for ``__setstate__``:
      ``RecursionError``. Fetch your own state with
      ``object.__getattribute__`` (``Config``).
    - A property whose getter raises ``AttributeError`` (a typo, a missing
      optional attribute) on a class with ``__getattr__`` (``Profile``):
      the error is swallowed and ``__getattr__`` is called with the
      *property's* name, so the message says the property does not exist.
      Raise something else from the getter (``SafeProfile``).
    - Giving a proxy ``__getattr__`` and expecting ``len(proxy)``,
      ``proxy + 1`` or ``with proxy:`` to be forwarded: implicit special
      method calls look on the *type* only, so the proxy must define
      ``__len__`` and friends itself (``unittest.mock.MagicMock`` does).

Key takeaways:
    - ``obj.attr`` calls ``type(obj).__getattribute__(obj, "attr")``; for
      ``object.__getattribute__`` the steps (``generic_getattr`` models
      them) are: find ``attr`` on the type's MRO, first class wins; if that
      is a data descriptor (``__set__`` or ``__delete__``) *with*
      ``__get__``, call its ``__get__``; else a value in ``obj.__dict__``;
      else a non-data descriptor's ``__get__``; else the plain class
      attribute (a ``__set__``-only descriptor lands here: the descriptor
      object itself); else ``AttributeError``. Objects without an instance
      dict (``__slots__``, ``int``) skip the dict step.
    - Only the *first* hit on the MRO is classified: a plain class
      attribute in a subclass hides a base class's data descriptor, so the
      instance dict wins again.
    - ``__getattribute__`` runs on every *explicit* access (``obj.x``,
      ``getattr``); ``__getattr__`` only when
      the normal lookup raised ``AttributeError`` (``full_getattr``).
    - ``len(x)``, ``x + y`` and ``with x:`` look the method up on
      ``type(x)``: instance attributes are ignored, and neither the class's
      nor the metaclass's ``__getattribute__`` is called. An explicit
      ``x.__len__()`` is an ordinary lookup.

What to look for in an answer:
    The order above with why (data descriptors such as ``property`` must
    win so setters are honoured; the instance dict must beat methods so
    instances can override them), the difference between the two hooks,
    ``object.__getattribute__`` as the escape hatch, and the special-method
    shortcut. Follow-ups:
    - Why are special methods looked up on the type? (Speed, via type
      slots, and correctness: ``repr(int)`` must call ``type.__repr__``,
      not the unbound ``int.__repr__`` meant for instances.)
    - ``hasattr(obj, "x")`` with a ``__getattr__`` that raises ``KeyError``?
      (``hasattr`` only swallows ``AttributeError``: the ``KeyError``
      escapes. ``__getattr__`` must raise ``AttributeError``.)
    - Where does ``C.attr`` (on the class) look? (``type.__getattribute__``:
      the metaclass's data descriptors, then ``C``'s MRO, calling
      ``__get__(None, C)``, then the metaclass's other attributes.)
    - How would you write a transparent proxy? (``__getattr__`` forwarding
      to the target, plus every special method you need defined on the
      proxy class; ``__setattr__`` too if writes must forward; ``__dir__``
      so ``dir()`` and autocompletion show the target's names.)
    - And ``obj.x = v``? (``object.__setattr__``: a data descriptor's
      ``__set__`` found on the MRO first, else store in the instance dict.
      No non-data step and no ``__getattr__`` equivalent; a custom
      ``__setattr__`` runs on every assignment, including in ``__init__``.)
    - Module-level ``__getattr__``? (PEP 562, 3.7+: called only on a miss,
      like the class hook; used for lazy imports and deprecation warnings.)
    - How does ``super().x`` look up? (It searches ``type(self).__mro__``
      starting *after* the current class, then applies the same descriptor
      rules with ``obj=self``.)
    - Isn't all this slow? (CPython 3.11+ specialises ``LOAD_ATTR`` per call
      site, keyed on the type's version tag, so the MRO walk is skipped until
      the class changes; an implementation detail, not a guarantee.)
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AccessLog",
    "Config",
    "LeakyAccessLog",
    "LeakyConfig",
    "Profile",
    "SafeProfile",
    "find_on_type",
    "full_getattr",
    "generic_getattr",
]


def find_on_type(tp: type, name: str) -> tuple[bool, Any]:
    """The first class on ``tp.__mro__`` whose ``__dict__`` has ``name``: (found, value).

    >>> find_on_type(bool, "__add__") == (True, int.__add__)
    True
    """
    for klass in tp.__mro__:  # break[mro-last-wins]
        if name in vars(klass):
            return True, vars(klass)[name]
    return False, None


def generic_getattr(obj: object, name: str, trace: list[str] | None = None) -> Any:
    """A model of ``object.__getattribute__``; appends the deciding step to ``trace``.

    Raises ``AttributeError`` with CPython's message when every step misses.
    Simplification: the instance dict is read as
    ``object.__getattribute__(obj, "__dict__")``, which a class overriding
    ``__dict__`` (say, with a property) could fool; CPython uses the dict
    slot directly.

    >>> steps: list[str] = []
    >>> generic_getattr(3, "real", steps), steps
    (3, ['data descriptor'])
    """
    steps = trace if trace is not None else []
    tp = type(obj)
    found, attr = find_on_type(tp, name)
    get = find_on_type(type(attr), "__get__")[1] if found else None
    has_set = find_on_type(type(attr), "__set__")[0]
    has_delete = find_on_type(type(attr), "__delete__")[0]
    is_data = found and (has_set or has_delete)  # break[set-only-is-data]
    if get is not None and is_data:  # break[every-descriptor-wins]
        steps.append("data descriptor")
        return get(attr, obj, tp)
    try:
        instance_dict = object.__getattribute__(obj, "__dict__")
    except AttributeError:  # __slots__ or a builtin: no instance dict
        instance_dict = {}
    if name in instance_dict:
        steps.append("instance dict")
        return instance_dict[name]
    if get is not None:
        steps.append("non-data descriptor")
        return get(attr, obj, tp)
    if found:
        steps.append("class attribute")
        return attr
    raise AttributeError(f"{tp.__name__!r} object has no attribute {name!r}")


def full_getattr(obj: object, name: str, trace: list[str] | None = None) -> Any:
    """A model of ``obj.attr``: ``type(obj).__getattribute__``, then ``__getattr__`` on failure.

    >>> class Lazy:
    ...     def __getattr__(self, name: str) -> str:
    ...         return name.upper()
    >>> steps: list[str] = []
    >>> full_getattr(Lazy(), "spam", steps), steps
    ('SPAM', ['__getattr__'])
    """
    steps = trace if trace is not None else []
    tp = type(obj)
    getattribute = find_on_type(tp, "__getattribute__")[1]
    try:
        if getattribute is object.__getattribute__:
            return generic_getattr(obj, name, steps)
        steps.append("__getattribute__")
        return getattribute(obj, name)
    except AttributeError:  # break[catch-everything]
        found, hook = find_on_type(tp, "__getattr__")
        if not found:
            raise
        steps.append("__getattr__")
        return hook(obj, name)


class LeakyAccessLog:
    """The pitfall: records every attribute read through ``self``, which is itself a read."""

    def __init__(self) -> None:
        object.__setattr__(self, "reads", [])

    def __getattribute__(self, name: str) -> Any:
        self.reads.append(name)  # RecursionError: self.reads calls this method again
        return object.__getattribute__(self, name)


class AccessLog:
    """The fix: every read of the log itself goes through ``object.__getattribute__``.

    >>> log = AccessLog()
    >>> log.x = 1
    >>> log.x, log.reads
    (1, ['x'])
    """

    def __init__(self) -> None:
        self.reads: list[str] = []

    def __getattribute__(self, name: str) -> Any:
        reads = object.__getattribute__(self, "reads")  # break[self-inside-getattribute]
        if name != "reads":  # reading the log is not logged
            reads.append(name)
        return object.__getattribute__(self, name)


class LeakyConfig:
    """The pitfall: ``__getattr__`` reads ``self._values``, which may itself be missing."""

    def __init__(self, **values: object) -> None:
        self._values = dict(values)

    def __getattr__(self, name: str) -> object:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None


class Config:
    """The fix: fetch the state with ``object.__getattribute__``, which cannot re-enter.

    >>> Config(debug=True).debug
    True
    """

    def __init__(self, **values: object) -> None:
        self._values = dict(values)

    def __getattr__(self, name: str) -> object:
        values = object.__getattribute__(self, "_values")  # break[self-inside-getattr]
        try:
            return values[name]
        except KeyError:  # hasattr() and getattr(..., default) expect AttributeError
            raise AttributeError(f"{type(self).__name__!r} has no setting {name!r}") from None


class Profile:
    """The pitfall: an ``AttributeError`` inside a property becomes a call to ``__getattr__``."""

    def __init__(self, name: str, **extra: str) -> None:
        self.name = name
        self.extra = extra
        self.fallbacks: list[str] = []  # names __getattr__ was asked for

    def __getattr__(self, name: str) -> str:
        object.__getattribute__(self, "fallbacks").append(name)
        try:
            return str(object.__getattribute__(self, "extra")[name])
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r}"
            ) from None

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.team})"  # 'team' is an optional extra


class SafeProfile(Profile):
    """The fix: the getter turns its own ``AttributeError`` into an error that is not swallowed."""

    @property
    def display_name(self) -> str:
        try:
            return f"{self.name} ({self.team})"
        except AttributeError as exc:  # break[let-it-fall-through]
            raise RuntimeError(f"display_name failed: {exc}") from exc
