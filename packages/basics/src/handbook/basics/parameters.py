"""Parameters: keyword-only ``*``, positional-only ``/``, ``*args``/``**kwargs`` and unpacking.

Why interviewers ask this:
    Signatures are API design. Interviewers show ``def f(a, /, b, *, c)`` and
    ask which calls are legal, or ask how to write a decorator that forwards
    any arguments, or why ``dict`` and ``str.format`` can take a keyword
    argument named ``self``. A candidate who reads signatures fluently, and
    knows which ``TypeError`` each misuse raises, designs safer APIs.

Common pitfalls:
    - Optional flags and tunables left positional: ``connect("db", 5432, 3)``
      meant three retries but set a three-second timeout. Nothing fails. Making
      them keyword-only (after ``*``) turns the slip into a ``TypeError``.
    - A wrapper that forwards ``*args`` but forgets ``**kwargs`` (or the other
      way round): when the dropped parameters have defaults, the defaults are
      used, silently (without defaults the call fails loudly with "missing 1
      required ... argument").
    - A forwarding decorator without ``@functools.wraps``: the result is named
      ``wrapper``, has no docstring, and ``inspect.signature`` shows
      ``(*args, **kwargs)``. ``wraps`` copies ``__name__``, ``__doc__`` and
      friends and sets ``__wrapped__``, which ``signature`` follows.
    - A function taking ``**fields`` whose own first parameter is
      positional-or-keyword: a field with the same name (``template=...``)
      collides and raises "got multiple values for argument". Positional-only
      (``/``) removes the collision.
    - Renaming a positional-or-keyword parameter breaks every caller who
      passed it by name; the parameter name is part of the public API unless
      it is positional-only.
    - Two ``**`` mappings with the same key in one call raise ``TypeError``
      ("multiple values for keyword argument"); a dict display ``{**a, **b}``
      instead lets the later one win.

Key takeaways:
    - ``def f(pos_only, /, either, *, kw_only)``: parameters before ``/`` can
      only be passed by position, after ``*`` (or ``*args``) only by keyword.
    - ``*args`` collects extra positionals into a new tuple and ``**kwargs``
      extra keywords into a new dict, on every call; ``f(*xs)`` and ``f(**m)``
      spread an iterable and a string-keyed mapping into a call. Go's
      ``f(xs...)`` passes the slice itself (the callee can write to the
      caller's array), Python always builds a fresh tuple.
    - The misuse errors are all ``TypeError`` (message shapes, the same in
      3.11-3.13 for Python functions): "takes from 1 to 2 positional arguments
      but 3 were given", "missing 1 required keyword-only argument",
      "got some positional-only arguments passed as keyword arguments",
      "got an unexpected keyword argument", "got multiple values for argument",
      "argument after * must be an iterable", "argument after ** must be a
      mapping", "keywords must be strings". 3.13 added a hint to the
      unexpected-keyword one: "Did you mean 'timeout'?".
    - Positional-only parameters let a library rename them freely and let
      ``**kwargs`` accept any key, including the parameter's own name: that
      is why ``dict(self=1)`` works.
    - Go has no keyword or default arguments (option structs, functional
      options); Java has neither (overloads, builders). Keyword-only
      parameters are Python's built-in equivalent of an options struct.

What to look for in an answer:
    The candidate classifies every parameter of ``f(a, /, b, *, c)``, uses
    keyword-only parameters for flags and tunables, forwards with
    ``*args, **kwargs`` (and types it with ``ParamSpec``), and gives the
    API-evolution reason for ``/`` rather than "it's faster". Follow-ups:
    - How do you type a decorator that forwards arbitrary arguments, and one
      that supplies the first argument itself? (``P = ParamSpec("P")``;
      ``Callable[P, R]`` in, ``*args: P.args, **kwargs: P.kwargs`` in the
      wrapper. A decorator that injects, say, a connection takes
      ``Callable[Concatenate[Connection, P], R]`` and returns
      ``Callable[P, R]``.)
    - Is ``def f(*, a=1, b)`` legal? (Yes: a keyword-only parameter without a
      default may follow one with a default, because keywords are matched by
      name. ``def f(a=1, b)`` is a ``SyntaxError``: "non-default argument
      follows default argument" on 3.11, "parameter without a default follows
      parameter with a default" from 3.12.)
    - Why does ``call_with_log(log, func, /, *args, **kwargs)`` put ``/``
      after ``func``? (So a forwarded keyword argument named ``func`` or
      ``log`` goes into ``kwargs`` instead of colliding.)
    - Which builtins are positional-only and how do you see it?
      (``inspect.signature(len)`` shows ``(obj, /)``; ``len(obj=[])`` raises
      "takes no keyword arguments".)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import ParamSpec, TypeVar

__all__ = [
    "call_with_log",
    "collect",
    "connect",
    "connect_all_positional",
    "merge_layers",
    "passthrough",
    "passthrough_without_wraps",
    "render",
    "render_without_slash",
    "scale_named_v1",
    "scale_named_v2",
    "scale_positional_v1",
    "scale_positional_v2",
]

P = ParamSpec("P")
R = TypeVar("R")


def connect_all_positional(
    host: str, port: int = 5432, timeout: float = 10.0, retries: int = 3
) -> dict[str, object]:
    """Pitfall: every tunable is positional, so a misplaced value is accepted.

    >>> connect_all_positional("db", 5432, 3)["timeout"]  # meant: retries=3
    3
    """
    return {"host": host, "port": port, "timeout": timeout, "retries": retries}


def connect(
    host: str,
    port: int = 5432,
    *,  # break[drop-keyword-only]
    timeout: float = 10.0,
    retries: int = 3,
) -> dict[str, object]:
    """Fix: tunables after ``*`` must be named at the call site.

    >>> connect("db", retries=5)["retries"]
    5
    >>> connect("db", 5432, 3)
    Traceback (most recent call last):
    ...
    TypeError: connect() takes from 1 to 2 positional arguments but 3 were given
    """
    return {"host": host, "port": port, "timeout": timeout, "retries": retries}


def render_without_slash(template: str, **fields: object) -> str:
    """Pitfall: a field called ``template`` collides with the parameter.

    >>> render_without_slash("{name}", name="ada")
    'ada'
    >>> render_without_slash("{template}", template="x")
    Traceback (most recent call last):
    ...
    TypeError: render_without_slash() got multiple values for argument 'template'
    """
    return template.format(**fields)


def render(
    template: str,
    /,  # break[drop-positional-only]
    **fields: object,
) -> str:
    """Fix: ``template`` is positional-only, so ``**fields`` may hold any key.

    >>> render("{template}", template="x")
    'x'
    """
    return template.format(**fields)


def scale_named_v1(value: float, factor: float) -> float:
    """Version 1 of a public function with positional-or-keyword parameters."""
    return value * factor


def scale_named_v2(amount: float, factor: float) -> float:
    """Version 2 renames ``value``: callers who wrote ``value=`` now break."""
    return amount * factor


def scale_positional_v1(value: float, /, factor: float) -> float:
    """Version 1 with ``value`` positional-only: its name is not part of the API."""
    return value * factor


def scale_positional_v2(amount: float, /, factor: float) -> float:
    """Version 2 renames it; every call that v1 accepted still works."""
    return amount * factor


def collect(*args: object, **kwargs: object) -> tuple[tuple[object, ...], dict[str, object]]:
    """Return what ``*args`` and ``**kwargs`` received: a new tuple and a new dict.

    >>> collect(1, *[2, 3], x=4, **{"y": 5})
    ((1, 2, 3), {'x': 4, 'y': 5})
    """
    return args, kwargs


def call_with_log(log: list[str], func: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Forward any arguments to ``func`` and note the call in ``log``.

    >>> log: list[str] = []
    >>> call_with_log(log, connect, "db", timeout=1.5)["timeout"], log
    (1.5, ["connect(('db',), {'timeout': 1.5})"])
    """
    log.append(f"{getattr(func, '__name__', func)}({args}, {kwargs})")
    return func(*args, **kwargs)  # break[forget-kwargs]


def passthrough_without_wraps(func: Callable[P, R]) -> Callable[P, R]:
    """Pitfall: a decorator that forwards everything but loses the name, doc and signature.

    >>> passthrough_without_wraps(connect).__name__
    'wrapper'
    """

    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return func(*args, **kwargs)

    return wrapper


def passthrough(func: Callable[P, R]) -> Callable[P, R]:
    """Fix: ``functools.wraps`` copies the metadata and records ``__wrapped__``.

    >>> passthrough(connect).__name__
    'connect'
    """

    @functools.wraps(func)  # break[forget-wraps]
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return func(*args, **kwargs)

    return wrapper


def merge_layers(*layers: Mapping[str, object]) -> dict[str, object]:
    """Merge settings layers left to right with a dict display: later keys win.

    >>> merge_layers({"timeout": 1, "host": "a"}, {"timeout": 2})
    {'timeout': 2, 'host': 'a'}
    """
    merged: dict[str, object] = {}
    for layer in layers:
        merged = {**merged, **layer}
    return merged
