"""The MRO and ``super()``: the C3 order of a diamond, cooperative ``__init__``, impossible orders.

Why interviewers ask this:
    Mixins are everywhere in Python backends (Django class-based views, DRF,
    ``socketserver.ThreadingMixIn``), and they only work if every class calls
    ``super()`` cooperatively. "Which ``__init__`` runs, in what order, how many
    times?" separates candidates who know that ``super()`` means "next in the
    MRO of the instance's type" from those who think it means "my parent".

Common pitfalls:
    - Calling parents by name (``Cached.__init__(self)``,
      ``Logged.__init__(self)``) in a diamond: the shared base's ``__init__``
      runs once per path, here twice, resetting its state or opening a
      resource twice.
    - One class in the chain calling its base by name instead of ``super()``:
      the MRO is cut there and the classes after it (here ``Logged``) never
      run their ``__init__``. Silently when they were left at their defaults;
      if a caller passed one of their keywords, it is left over and the
      root's ``object.__init__`` raises ``TypeError``.
    - Forwarding only some arguments: a class that calls
      ``super().__init__(trace=trace)`` and drops ``**kwargs`` starves the
      classes after it, which fail with ``TypeError`` (missing argument).
    - Positional parameters in a cooperative ``__init__``: you do not know
      which class comes next, so only keyword arguments are safe to pass on.
    - Listing a base before its own subclass (``class Bad(Component, Cached)``):
      no order can satisfy both, and class creation raises ``TypeError``.

Key takeaways:
    - The MRO is the C3 linearisation: a class comes before its bases, bases
      keep the order they are listed in, and each parent's own MRO is
      preserved. For ``class Service(Cached, Logged)`` with both deriving from
      ``Component``: Service, Cached, Logged, Component, object.
    - ``super()`` looks up the next class after the current one in
      ``type(self).__mro__``: inside ``Service``, ``Cached``'s ``super()`` is
      ``Logged``, a sibling it has never heard of. Alone, it is ``Component``.
    - Cooperative ``__init__``: keyword-only parameters, take what is yours,
      pass ``**kwargs`` on, and let the root call ``object.__init__`` with what
      is left; a misspelt keyword then reaches ``object`` and raises
      ``TypeError``. Every ``__init__`` runs exactly once.
    - The wording of the MRO error changed: 3.11 and 3.12 break the message
      across two lines ("... resolution\\norder (MRO) ..."), 3.13 writes one
      line. Match it loosely.
    - Java has single inheritance of classes (interfaces with default methods
      may clash, and the compiler makes you override); Go has no inheritance
      at all: an embedded struct's methods are promoted, and an ambiguous name
      at the same depth is a compile error when used, not an MRO.

What to look for in an answer:
    A strong candidate writes the MRO of a diamond by hand, explains that
    ``super()`` follows the instance's MRO, writes a keyword-only cooperative
    ``__init__`` with ``**kwargs``, and can say why a direct parent call runs the
    shared base twice. Follow-ups:
    - How do you combine a class that does not call ``super()`` (a third-party
      base) with cooperative ones? (Listed last, it sits just before
      ``object``, and the root's ``super().__init__(**kwargs)`` calls it with the
      leftovers: that works only if it takes exactly those, and one that takes
      ``**options`` silently swallows a misspelt keyword. The robust answer is
      an adapter: a subclass with keyword-only parameters that calls the
      legacy ``__init__`` by name and passes the rest on with ``super()``.)
    - Why must a mixin such as Django's ``LoginRequiredMixin`` be listed
      before ``View``? (Its ``dispatch`` must come first in the MRO to run and
      then call ``super().dispatch()``; listed after, ``View.dispatch``
      answers and the mixin never runs. ``super()`` in a classmethod,
      ``__new__`` or ``__init_subclass__`` follows the same MRO, of ``cls``.)
    - Why does zero-argument ``super()`` work without naming the class? (The
      compiler gives methods that use it a ``__class__`` cell; ``super()`` reads
      it and the first argument, ``self``. A function defined outside a class
      and attached later has no cell: ``RuntimeError: super(): __class__ cell
      not found``.)
    - Where does ``object`` sit in every MRO, and why must the root not pass
      leftover kwargs? (Last; ``object.__init__`` takes no arguments, so
      leftovers mean a caller passed something nobody consumed.)

Complexity:
    The MRO is normally computed once, at class creation (again only if
    ``__bases__`` is reassigned; a metaclass may override ``mro()``); lookup walks it
    (CPython caches lookups per type, an implementation detail).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "Cached",
    "Component",
    "LegacyCached",
    "LegacyComponent",
    "LegacyLogged",
    "LegacyService",
    "Logged",
    "Service",
    "bases_in_wrong_order",
    "mro_names",
]


def mro_names(cls: type) -> list[str]:
    """The class's method resolution order, as names.

    >>> mro_names(Service)
    ['Service', 'Cached', 'Logged', 'Component', 'object']
    """
    return [c.__name__ for c in cls.__mro__]


class Component:
    """The shared root of the diamond: owns ``name``, ends the chain at ``object``."""

    def __init__(self, *, trace: list[str], name: str, **kwargs: Any) -> None:
        trace.append("Component")
        self.name = name
        super().__init__(**kwargs)  # object.__init__ rejects anything left over


class Cached(Component):
    """A mixin-like layer that owns ``cache_size`` and passes the rest on."""

    def __init__(self, *, trace: list[str], cache_size: int = 128, **kwargs: Any) -> None:
        trace.append("Cached")
        self.cache_size = cache_size
        super().__init__(trace=trace, **kwargs)  # break[call-parent-by-name]


class Logged(Component):
    """A second layer that owns ``level``."""

    def __init__(self, *, trace: list[str], level: str = "INFO", **kwargs: Any) -> None:
        trace.append("Logged")
        self.level = level
        super().__init__(trace=trace, **kwargs)  # break[drop-kwargs]


class Service(Cached, Logged):
    """The bottom of the diamond: one ``super()`` call reaches every class once.

    >>> trace: list[str] = []
    >>> s = Service(trace=trace, name="users", cache_size=16, level="DEBUG")
    >>> trace
    ['Service', 'Cached', 'Logged', 'Component']
    >>> s.name, s.cache_size, s.level
    ('users', 16, 'DEBUG')
    """

    def __init__(self, *, trace: list[str], **kwargs: Any) -> None:
        trace.append("Service")
        super().__init__(trace=trace, **kwargs)  # break[init-each-parent]


class LegacyComponent:
    """The pitfall's root: counts how often it is initialised."""

    def __init__(self, trace: list[str], name: str) -> None:
        trace.append("LegacyComponent")
        self.name = name


class LegacyCached(LegacyComponent):
    """Calls its parent by name: fine alone, wrong in a diamond."""

    def __init__(self, trace: list[str], name: str, cache_size: int = 128) -> None:
        trace.append("LegacyCached")
        LegacyComponent.__init__(self, trace, name)
        self.cache_size = cache_size


class LegacyLogged(LegacyComponent):
    """Also calls its parent by name."""

    def __init__(self, trace: list[str], name: str, level: str = "INFO") -> None:
        trace.append("LegacyLogged")
        LegacyComponent.__init__(self, trace, name)
        self.level = level


class LegacyService(LegacyCached, LegacyLogged):
    """The pitfall: initialises both parents by name, so the root runs twice.

    >>> trace: list[str] = []
    >>> _ = LegacyService(trace, "users")
    >>> trace
    ['LegacyService', 'LegacyCached', 'LegacyComponent', 'LegacyLogged', 'LegacyComponent']
    """

    def __init__(self, trace: list[str], name: str) -> None:
        trace.append("LegacyService")
        LegacyCached.__init__(self, trace, name)
        LegacyLogged.__init__(self, trace, name)


def bases_in_wrong_order() -> type:
    """The pitfall: a base listed before its own subclass; C3 cannot order them.

    ``Component`` must precede ``Cached`` (the listed order) and follow it (a
    class precedes its bases), so no MRO exists.

    >>> bases_in_wrong_order()
    Traceback (most recent call last):
    TypeError: Cannot create a consistent method resolution order (MRO) for bases Component, Cached
    """
    return type("Bad", (Component, Cached), {})
