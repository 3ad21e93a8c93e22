"""The documentation bar of the public API, checked rather than promised.

Every public method and property of every exported class says what it does,
its complexity (an ``O(...)``) and shows itself in a doctest; the container
protocol methods (``len``, ``in``, iteration, indexing, ``==``) say what they do
and their complexity. Any exception a method raises itself is named in its
docstring. Exempt: abstract interface methods (their implementations carry the
documentation) and methods a decorator generated (a dataclass's ``__eq__``).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import handbook.ds as ds

PROTOCOL = {
    "__getitem__",
    "__setitem__",
    "__delitem__",
    "__contains__",
    "__len__",
    "__iter__",
    "__reversed__",
    "__eq__",
}


def _function(member: object) -> Callable[..., Any] | None:
    """The plain function behind a method, property, staticmethod or classmethod."""
    if isinstance(member, property):
        return member.fget
    if isinstance(member, (staticmethod, classmethod)):
        return member.__func__
    if inspect.isfunction(member):
        return member
    return None


def _generated(func: Callable[..., Any]) -> bool:
    """Whether a decorator wrote ``func`` (a dataclass's ``__eq__``): it has no source file."""
    return func.__code__.co_filename.startswith("<")


def _own_attributes(cls: type) -> dict[str, object]:
    """The attributes ``cls`` has from its own classes (itself or a handbook.ds base)."""
    found: dict[str, object] = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__.startswith("handbook.ds"):
            found.update(vars(klass))
    return found


def _members() -> Iterator[tuple[str, Callable[..., Any], bool]]:
    """(qualified name, function, is it a named public member) for every checked member."""
    for name in ds.__all__:
        cls = getattr(ds, name)
        if not inspect.isclass(cls):
            continue
        for attr, member in _own_attributes(cls).items():
            public = not attr.startswith("_")
            if not public and attr not in PROTOCOL:
                continue
            func = _function(member)
            if func is None or getattr(func, "__isabstractmethod__", False):
                continue
            if _generated(func):
                continue
            yield f"{name}.{attr}", func, public


MEMBERS = sorted(_members(), key=lambda m: m[0])
IDS = [qualname for qualname, _, _ in MEMBERS]


def raised_names(func: Callable[..., Any]) -> set[str]:
    """Names of the exception classes a function raises by name in its own body.

    >>> def f(x: int) -> None:
    ...     if x:
    ...         raise ValueError("x")
    ...     try:
    ...         pass
    ...     except KeyError:
    ...         raise
    >>> sorted(raised_names(f))
    ['ValueError']
    """
    tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id.endswith(("Error", "Exception")):
                names.add(exc.id)
    return names


def test_the_audit_covers_the_api() -> None:
    checked = {qualname.split(".")[0] for qualname in IDS}
    classes = {name for name in ds.__all__ if inspect.isclass(getattr(ds, name))}
    # Exceptions and result records have no methods of their own to document.
    assert classes - checked <= {"CycleError", "ShortestPaths"}
    assert len(MEMBERS) > 150


@pytest.mark.parametrize(("qualname", "func", "public"), MEMBERS, ids=IDS)
def test_member_states_what_it_does_and_its_complexity(
    qualname: str, func: Callable[..., Any], public: bool
) -> None:
    doc = inspect.getdoc(func) or ""
    assert doc.strip(), f"{qualname} has no docstring"
    assert "O(" in doc, f"{qualname} does not state its complexity"
    if public:
        assert ">>>" in doc, f"{qualname} has no doctest"


@pytest.mark.parametrize(("qualname", "func", "public"), MEMBERS, ids=IDS)
def test_member_names_every_exception_it_raises(
    qualname: str, func: Callable[..., Any], public: bool
) -> None:
    doc = inspect.getdoc(func) or ""
    unnamed = sorted(name for name in raised_names(func) if name not in doc)
    assert not unnamed, f"{qualname} raises {unnamed} without saying so"


def _written_init(cls: type) -> bool:
    """Whether ``cls`` has an ``__init__`` written in handbook.ds (not a dataclass's)."""
    init = _own_attributes(cls).get("__init__")
    return inspect.isfunction(init) and not _generated(init)


CLASSES = sorted(
    (name, cls)
    for name in ds.__all__
    if inspect.isclass(cls := getattr(ds, name)) and _written_init(cls)
)


@pytest.mark.parametrize(("name", "cls"), CLASSES, ids=[name for name, _ in CLASSES])
def test_constructor_errors_are_named_in_the_class_or_init_docstring(name: str, cls: type) -> None:
    init = _own_attributes(cls)["__init__"]
    assert inspect.isfunction(init)
    doc = (inspect.getdoc(cls) or "") + (inspect.getdoc(init) or "")
    unnamed = sorted(exc for exc in raised_names(init) if exc not in doc)
    assert not unnamed, f"{name}(...) raises {unnamed} without saying so"


STRUCTURES = sorted(
    (name, cls)
    for name in ds.__all__
    if inspect.isclass(cls := getattr(ds, name)) and not issubclass(cls, BaseException)
)


@pytest.mark.parametrize(("name", "cls"), STRUCTURES, ids=[name for name, _ in STRUCTURES])
def test_class_docstring_shows_it_and_says_whether_it_is_thread_safe(name: str, cls: type) -> None:
    doc = inspect.getdoc(cls) or ""
    assert ">>>" in doc, f"{name} has no doctest in its class docstring"
    assert "thread" in doc.lower(), f"{name} does not say whether it is thread-safe"
