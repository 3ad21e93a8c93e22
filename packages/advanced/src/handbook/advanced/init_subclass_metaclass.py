"""Class-creation hooks: ``__init_subclass__`` for registries; metaclasses only where needed.

Why interviewers ask this:
    Frameworks run code when a ``class`` statement runs: ORMs collect
    fields, serializers register formats, test runners find cases. Asked
    "how would you make every subclass register itself?", a candidate who
    knows the language answers with ``__init_subclass__`` and class
    keywords, and keeps metaclasses for the few jobs a hook on the parent
    cannot do. This lesson is the mechanics; the registry design (reload,
    abstract bases, entry points) is lesson ``patterns.registry``.

Common pitfalls:
    - Expecting ``__init_subclass__`` to run for the class that defines it.
      ``type.__new__`` looks the hook up with ``super(cls, cls)``, which
      skips the new class itself, so it runs for every subclass and never
      for the defining class. ``SplitRegistryCodec`` creates its registry
      "on the first call": each *direct* subclass gets a dict of its own,
      the base has none, and its duplicate check only ever looks at the new
      class's own empty dict, so two siblings both take the name "x". A
      grandchild finds its parent's dict through ``hasattr`` and writes
      into it instead. Create shared state in the base's body
      (``Codec.registry``).
    - Overwriting a duplicate name silently: the last import wins. Raise
      from the hook instead: the ``class`` statement then fails, its name is
      never bound, and the registry keeps the first class.
    - Validating in a descriptor's ``__set_name__`` instead, and catching
      the wrong exception type: 3.11 wraps the error in ``RuntimeError
      ("Error calling __set_name__ ...")`` with the original as
      ``__cause__``; 3.12 and 3.13 raise the original with that text as a
      note. An error from ``__init_subclass__`` propagates unwrapped.
    - Swallowing class keywords: a hook that does not pass ``**kwargs`` on
      starves the next hook in the MRO; a keyword nobody takes reaches
      ``object.__init_subclass__``, which raises ``TypeError:
      X.__init_subclass__() takes no keyword arguments``.
    - A metaclass "to keep definition order": a class namespace is ordered
      since 3.6 (PEP 520) and ``dict`` order is a language guarantee since
      3.7, so ``vars(cls)`` already lists attributes in definition order.
    - Two bases with unrelated metaclasses (``Enum`` and ``ABC``, or your
      ``StrictBase`` and ``ABC``): ``TypeError: metaclass conflict: the
      metaclass of a derived class must be a (non-strict) subclass of the
      metaclasses of all its bases``. Python never combines them for you.
    - A duplicate-definition check that flags every rebinding: the
      ``@x.setter`` idiom rebinds ``x`` on purpose (to a property); only a
      function replacing a function is the copy-paste bug; ``handler =
      None`` followed by ``def handler`` is accepted too.

Key takeaways:
    - ``class Json(Codec, name="json")``: keywords other than ``metaclass=``
      go to the metaclass's ``__prepare__``, ``__new__`` and ``__init__``,
      and ``type.__new__`` forwards them to ``__init_subclass__``, which is
      an implicit classmethod.
    - Order, once per class statement: ``__prepare__``, the body runs into
      that namespace, the metaclass ``__new__`` calls ``type.__new__``,
      which creates the class, calls ``__set_name__`` on each attribute
      that has one, then ``__init_subclass__``; last, the metaclass
      ``__init__``.
    - A metaclass is needed to run on the class object itself, base
      included (``StrictMeta`` sees ``StrictBase``; ``Codec``'s hook never
      sees ``Codec``), for ``__prepare__`` (the body's assignments, in
      order, including rebindings the final dict cannot show), and for
      methods on the class object (``len(Color)`` on an ``Enum`` is
      ``EnumType.__len__``; a member has no ``len``).
    - Fix a conflict with a derived metaclass: ``class
      StrictABCMeta(StrictMeta, ABCMeta)`` and ``metaclass=StrictABCMeta``.
      When one metaclass already subclasses the other, Python picks the
      most derived one by itself.
    - Java: ``ServiceLoader`` reads ``META-INF/services`` files (often
      generated from an annotation such as ``@AutoService``); it has no
      names, it yields every provider and your code picks. Go: a driver
      calls ``sql.Register("postgres", ...)`` in its ``init()``, the program
      opts in with a blank import, and a second registration of a name
      panics ("sql: Register called twice for driver ..."): the same
      refuse-duplicates rule, made explicit.

What to look for in an answer:
    The candidate reaches for ``__init_subclass__`` first, knows it runs
    at import (class creation), refuses duplicates, forwards ``**kwargs``,
    and can name a job that needs a metaclass. Follow-ups:
    - Why is ``Codec`` not in its own registry? (The hook runs for
      subclasses only; register the base explicitly if it is usable, or
      use a metaclass ``__init__``.)
    - How would you catch a test method pasted twice, ``def
      test_login`` above another ``def test_login``? (The second silently
      replaces the first, so one test never runs. ``__prepare__`` can
      return a dict that refuses the rebinding; linters catch it
      statically: pyflakes says "redefinition of unused 'test_login' from
      line N", flake8 reports that as F811, and ruff's rule F811 is
      ``redefined-while-unused``.)
    - What does your namespace do with ``@typing.overload``? (Each stub
      binds the name to a function, so a naive check rejects overloads;
      skip names whose old value is an overload stub, or leave it to the
      linter.)
    - How do you keep an intermediate abstract base out of the registry?
      (Make ``name`` optional, ``name: str | None = None``, and skip
      registration when it is ``None``, or take an ``abstract=True``
      keyword.)
    - Why not a class decorator, ``@register("json")``? (It is explicit
      and needs no base class, but it is opt-in per class and runs after
      the class exists: a forgotten decorator fails silently, a hook on
      the base cannot be forgotten.)
    - Why do libraries avoid metaclasses? (A user combining your base with
      another library's gets a metaclass conflict; ``__init_subclass__``
      composes through ``super()``.)
"""

from __future__ import annotations

import json
from abc import ABCMeta
from types import FunctionType
from typing import Any, ClassVar

__all__ = [
    "STRICT_CLASSES",
    "Codec",
    "DuplicateDefinitionError",
    "DuplicateNameError",
    "Json",
    "SplitRegistryCodec",
    "StrictABCMeta",
    "StrictBase",
    "StrictMeta",
]


class DuplicateNameError(ValueError):
    """Two codecs tried to register the same name."""


class SplitRegistryCodec:
    """The pitfall: the registry is made "on the first hook call", which never runs for the base."""

    registry: ClassVar[dict[str, type[SplitRegistryCodec]]]

    def __init_subclass__(cls, *, name: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not hasattr(cls, "registry"):  # "first subclass: create it"
            cls.registry = {}  # lands on the subclass, so each sibling gets its own dict
        if name in cls.registry:  # looks only at this sibling's dict
            raise DuplicateNameError(f"codec name {name!r} is taken")
        cls.registry[name] = cls


class Codec:
    """The fix: the shared registry lives in the base's body; the hook refuses duplicates.

    >>> Codec.registry["json"] is Json
    True
    >>> "Codec" in [c.__name__ for c in Codec.registry.values()]  # the hook never saw Codec
    False
    """

    registry: ClassVar[dict[str, type[Codec]]] = {}
    name: ClassVar[str]

    def __init_subclass__(cls, *, name: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)  # break[drop-kwargs]
        existing = cls.registry.get(name)
        if existing is not None:  # break[overwrite-duplicates]
            raise DuplicateNameError(
                f"codec name {name!r} is taken by {existing.__module__}.{existing.__qualname__};"
                f" {cls.__module__}.{cls.__qualname__} must choose another"
            )
        cls.name = name
        cls.registry[name] = cls

    def encode(self, value: object) -> str:
        """Render ``value``."""
        raise NotImplementedError


class Json(Codec, name="json"):
    """Registered by ``Codec.__init_subclass__`` when this statement ran."""

    def encode(self, value: object) -> str:
        """JSON text for ``value``."""
        return json.dumps(value)


class DuplicateDefinitionError(TypeError):
    """A class body defined the same function name twice."""


class _NoRedefinition(dict[str, object]):
    """A class-body namespace: every ``def``/assignment in the body calls ``__setitem__``."""

    def __init__(self, class_name: str) -> None:
        super().__init__()
        self.class_name = class_name

    def __setitem__(self, key: str, value: object) -> None:
        replaces_a_function = isinstance(self.get(key), FunctionType)
        if replaces_a_function and isinstance(value, FunctionType):  # break[any-rebinding]
            raise DuplicateDefinitionError(
                f"{self.class_name}.{key} is defined twice; the first definition would be lost"
            )
        super().__setitem__(key, value)


STRICT_CLASSES: list[str] = []  # every class StrictMeta created, the base included


class StrictMeta(type):
    """What ``__init_subclass__`` cannot do: a custom body namespace, a hook on the base."""

    @classmethod
    def __prepare__(mcs, name: str, bases: tuple[type, ...], /, **kwargs: Any) -> dict[str, object]:
        return _NoRedefinition(name)  # break[plain-namespace]

    def __init__(
        cls, name: str, bases: tuple[type, ...], ns: dict[str, Any], /, **kwargs: Any
    ) -> None:
        super().__init__(name, bases, ns, **kwargs)
        STRICT_CLASSES.append(cls.__qualname__)


class StrictBase(metaclass=StrictMeta):
    """Subclass to get the duplicate-definition check; ``STRICT_CLASSES`` lists this class too."""


class StrictABCMeta(StrictMeta, ABCMeta):
    """The derived metaclass that lets a class have both ``StrictBase`` and ``abc.ABC`` as bases."""
