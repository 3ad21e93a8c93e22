"""Registry: subclasses self-register by key in ``__init_subclass__``; entry points across packages.

Why interviewers ask this:
    "Add a new export format without touching the dispatcher" is the open/closed
    principle in one sentence, and backend code is full of it: serializers,
    payment providers, CLI subcommands, storage backends. Interviewers want the
    ``if fmt == "json": ... elif ...`` chain replaced by a lookup table that
    fills itself, and they probe the edges: duplicate keys, abstract base
    classes that must not be registered, cooperative ``__init_subclass__``,
    and how plugins in *other* distributions are found (entry points).

Common pitfalls:
    - Letting a duplicate key overwrite silently (``registry[key] = cls``): the
      plugin imported last wins, and which one that is depends on import
      order. Raise, naming both classes.
    - A duplicate check that forgets ``importlib.reload`` (a dev server's
      autoreload, a notebook): reloading a plugin module runs its ``class``
      statements again, so the module's own new class collides with its old
      one and the reload fails with ``DuplicateKeyError``. Here a class with
      the same ``__module__`` and ``__qualname__`` replaces the old entry (an
      explicit ``override=True`` keyword is the other common answer). Objects
      made before the reload are still instances of the old class, and a
      ``from plugin import Cls`` elsewhere still holds it. Reloading the
      module that defines the family root makes a new root with an empty
      registry: its plugins are missing until their modules are reloaded too.
    - Registering abstract intermediate classes (a shared ``TextExporter``
      base) as if they were usable plugins; give them an opt-out.
    - Forgetting ``super().__init_subclass__(**kwargs)``: another base class's
      hook in the MRO (a mixin that also registers or validates) never runs.
    - Expecting registration without import: a subclass registers when its
      ``class`` statement runs, so a plugin module nobody imports is not in the
      registry. Inside one code base, import the plugin package explicitly;
      across distributions, that is what entry points are for.
    - Keeping one registry dict on a shared base for unrelated families:
      ``root=True`` here gives each family its own dict.

Key takeaways:
    - ``__init_subclass__`` (PEP 487, 3.6) runs on the parent for every new
      subclass, with the class keywords (``class Json(Exporter, key="json")``):
      a registry without a metaclass or decorator.
    - Lookups of an unknown key raise ``KeyError`` listing the known keys.
    - Entry points are the packaging-level registry: a distribution declares
      ``[project.entry-points."<group>"] name = "module:attr"`` and
      ``importlib.metadata.entry_points(group=...)`` lists them for the whole
      environment by reading each distribution's ``entry_points.txt``,
      without importing any plugin module; ``EntryPoint.load()`` imports on
      demand. Versions: with no argument, ``entry_points()`` returns
      ``SelectableGroups`` on 3.11 (its dict interface warns
      ``DeprecationWarning``) and ``EntryPoints`` from 3.12.
    - Java: ``java.util.ServiceLoader`` with ``META-INF/services`` is the
      entry-point equivalent. Go: packages register in their ``init()``
      (``database/sql.Register``, ``image.RegisterFormat``) and the program
      opts in with a blank import ``import _ "github.com/lib/pq"``, which is
      the "import to register" rule made explicit.

What to look for in an answer:
    A strong candidate builds the table, refuses duplicates loudly, keeps
    abstract bases out, calls ``super().__init_subclass__``, and knows where
    registration happens (at class creation, so at import). Follow-ups:
    - Why not a metaclass? (It works, but metaclasses conflict when two bases
      have different ones; ``__init_subclass__`` composes through ``super``.)
    - Decorator registration (``@register("json")``) vs ``__init_subclass__``?
      (A decorator works for functions and third-party classes and is explicit;
      the hook cannot be forgotten by a subclass author.)
    - How do tests avoid polluting a global registry? (A fresh root per test,
      or a fixture that snapshots and restores the dict.)
    - Is an entry point loaded at install time? (No: installing writes
      metadata (``entry_points.txt``); the module is imported only by
      ``EntryPoint.load()``.)

Complexity:
    Registration and lookup: O(1) dict operations.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from importlib.metadata import EntryPoint
from typing import Any, ClassVar, TypeVar, cast

__all__ = [
    "CsvExporter",
    "DuplicateKeyError",
    "Exporter",
    "JsonExporter",
    "Plugin",
    "TextExporter",
    "load_entry_points",
]


P = TypeVar("P", bound="Plugin")


class DuplicateKeyError(ValueError):
    """Two classes of one family tried to register the same key."""


def _is_redefinition(existing: type[Plugin], cls: type[Plugin]) -> bool:
    """Whether ``cls`` is the same class statement run again (``importlib.reload``)."""
    old = (existing.__module__, existing.__qualname__)
    return old == (cls.__module__, cls.__qualname__)  # break[ignore-module]


def _check_free(registry: Mapping[str, type[Plugin]], key: str, cls: type[Plugin]) -> None:
    existing = registry.get(key)
    if existing is None or _is_redefinition(existing, cls):  # break[reload-is-a-duplicate]
        return
    raise DuplicateKeyError(
        f"key {key!r} is already registered by {existing.__qualname__};"
        f" {cls.__qualname__} cannot reuse it"
    )


class Plugin:
    """Base of self-registering families.

    ``class Family(Plugin, root=True)`` starts a family with its own registry;
    ``class Member(Family, key="k")`` registers; ``abstract=True`` opts out.
    A class with the same module and qualified name as the registered one
    (its module was reloaded) replaces it; any other class with a taken key
    raises ``DuplicateKeyError``.
    """

    registry: ClassVar[dict[str, type[Plugin]]]
    key: ClassVar[str]

    def __init_subclass__(
        cls, *, key: str | None = None, root: bool = False, abstract: bool = False, **kwargs: Any
    ) -> None:
        super().__init_subclass__(**kwargs)  # break[no-super]
        if root:
            cls.registry = {}
            return
        if abstract:  # break[register-abstract]
            return
        if key is None:
            raise TypeError(f"{cls.__qualname__} needs key=... (or abstract=True)")
        _check_free(cls.registry, key, cls)  # break[overwrite-duplicates]
        cls.key = key
        cls.registry[key] = cls

    @classmethod
    def lookup(cls: type[P], key: str) -> type[P]:
        """The registered class for ``key``; ``KeyError`` names the known keys."""
        try:
            return cast("type[P]", cls.registry[key])
        except KeyError:
            known = ", ".join(sorted(cls.registry)) or "none"
            raise KeyError(f"no {cls.__qualname__} for {key!r}; known: {known}") from None


class Exporter(Plugin, root=True):
    """A family: turn rows into text."""

    def export(self, rows: Iterable[Mapping[str, object]]) -> str:
        """Render ``rows``."""
        raise NotImplementedError


class JsonExporter(Exporter, key="json"):
    """Rows as a JSON array.

    >>> Exporter.lookup("json")().export([{"a": 1}])
    '[{"a": 1}]'
    """

    def export(self, rows: Iterable[Mapping[str, object]]) -> str:
        """Render ``rows`` as JSON."""
        return json.dumps([dict(r) for r in rows])


class TextExporter(Exporter, abstract=True):
    """An abstract intermediate: shared line-joining, not a format of its own."""

    separator: ClassVar[str]

    def export(self, rows: Iterable[Mapping[str, object]]) -> str:
        """One line per row, values joined by ``separator``."""
        return "\n".join(self.separator.join(str(v) for v in r.values()) for r in rows)


class CsvExporter(TextExporter, key="csv"):
    """Comma-joined values (no quoting: a demo, use ``csv`` for real data).

    >>> Exporter.lookup("csv")().export([{"a": 1, "b": 2}])
    '1,2'
    """

    separator = ","


def load_entry_points(entry_points: Iterable[EntryPoint]) -> dict[str, object]:
    """Import each entry point's target on demand, keyed by its name.

    >>> ep = EntryPoint(name="dumps", value="json:dumps", group="handbook.demo")
    >>> load_entry_points([ep])["dumps"]([1])
    '[1]'
    """
    loaded: dict[str, object] = {}
    for ep in entry_points:
        if ep.name in loaded:
            raise DuplicateKeyError(f"entry point {ep.name!r} declared twice in {ep.group!r}")
        loaded[ep.name] = ep.load()
    return loaded
