"""Scope and closures: where a name lives is decided at compile time; its value is read late.

Why interviewers ask this:
    Two classic "what does this print?" questions live here: a function that
    reads a global and then assigns it (``UnboundLocalError``), and
    ``[lambda: i for i in range(3)]`` (every lambda returns 2). Both test the
    same model: the compiler decides, per function, whether a name is local,
    enclosing, global or builtin (LEGB), and a closure keeps the *variable*,
    not the value it had when the closure was made.

Common pitfalls:
    - Assigning to a name anywhere in a function (even in a branch that never
      runs) makes it local in the *whole* function; reading it before the
      assignment raises ``UnboundLocalError``, a subclass of ``NameError``.
      ``x += 1`` is an assignment too.
    - Expecting a closure to capture the loop variable's current value: all
      closures made in a loop share one variable and see its last value. In
      Python ``for i in range(3)`` leaves ``i == 2``, so they all return 2.
    - Forgetting ``nonlocal`` in a counter closure: ``count += 1`` then raises
      ``UnboundLocalError`` instead of updating the enclosing ``count``.
    - Using class attributes inside a comprehension in the class body: the
      comprehension is a nested scope, and class scopes are not visible from
      nested scopes (only the first iterable is evaluated in the class body),
      so it raises ``NameError``. Method bodies are nested scopes too: in
      ``class C: n = 1`` a method that reads plain ``n`` raises ``NameError``;
      write ``self.n`` or ``C.n``.

Key takeaways:
    - LEGB: Local, Enclosing function, Global (module), Builtins. Whether a
      name is local is fixed when the function is compiled, by any binding of
      it in the body: assignment (also ``+=`` and ``:=``), ``import``,
      ``def``/``class``, a ``for``/``with``/``except ... as`` target, ``del``.
    - ``global name`` rebinds the module variable; ``nonlocal name`` rebinds
      the nearest enclosing function's variable. Mutating (``items.append``)
      needs neither: only rebinding does.
    - Late binding: a closure looks the variable up when it is *called*.
      Fixes: bind the value at definition time with a default argument
      (``lambda i=i: i``), ``functools.partial(f, i)``, or a factory function
      that gives each closure its own variable.
    - Go 1.22 changed ``for`` loops (in modules whose ``go.mod`` says
      ``go 1.22`` or later) to create a new variable per iteration, so
      closures made in a Go loop now capture 0, 1, 2; before 1.22 they shared
      one variable (3, 3, 3 for ``for i := 0; i < 3; i++``, because the
      shared ``i`` ends at 3). Python loops never create a new variable per
      iteration; the factory function is the Python spelling of Go 1.22.
    - Python 3 comprehensions have their own scope: the loop variable does not
      leak, and an outer variable of the same name is untouched. A plain ``for``
      loop does leak its variable into the function. Since 3.12 (PEP 709)
      list, dict and set comprehensions are inlined into the enclosing code
      (generator expressions are not), with the isolation kept; one visible
      change is that ``locals()`` inside one in a function also shows the
      function's names (3.11 shows only the comprehension's own, plus ``.0``).

What to look for in an answer:
    The candidate explains the compile-time local/non-local decision (not "the
    variable isn't defined yet"), fixes the counter with ``nonlocal`` and the
    loop with a default argument or ``partial``, and explains why the default
    argument works (it is evaluated when the lambda is created). Follow-ups:
    - Why doesn't ``items.append(x)`` on an enclosing list need ``nonlocal``?
      (It reads the name and mutates the object; only binding a name makes it
      local.)
    - What is the downside of the ``i=i`` default? (It becomes part of the
      signature: a caller can pass ``i`` and override it; a positional
      ``partial(f, i)`` or a factory hides it. A keyword ``partial(f, value=i)``
      can still be overridden with ``value=99``.)
    - ``from config import counter`` in another module, then a function in
      ``config`` does ``global counter; counter += 1``: what does the importer
      see? (Still the old value: ``from ... import`` copied the binding into
      the importer's namespace, and ``global`` rebinds only the module's own
      name. Read ``config.counter``, or call a function such as
      ``request_count()``.)
    - How does this bite in real code? (Callbacks registered in a loop,
      ``threading.Thread(target=lambda: work(i))``, or a list of handlers built
      per route: all see the last item.)
"""

from __future__ import annotations

import functools
from collections.abc import Callable

__all__ = [
    "LIMIT",
    "comprehension_variable_does_not_leak",
    "default_arg_callbacks",
    "for_loop_variable_leaks",
    "late_binding_callbacks",
    "limit_or_override",
    "limit_or_override_fixed",
    "make_counter",
    "make_counter_without_nonlocal",
    "partial_callbacks",
    "per_iteration_callbacks",
    "record_request",
    "request_count",
    "reset_requests",
]

LIMIT = 10
_requests = 0


def limit_or_override(override: int | None) -> int:
    """Pitfall: the assignment makes ``LIMIT`` local everywhere, so the read fails.

    >>> limit_or_override(5)
    5
    >>> limit_or_override(None)
    Traceback (most recent call last):
    ...
    UnboundLocalError: cannot access local variable 'LIMIT' where it is not associated with a value
    """
    if override is not None:
        LIMIT = override
    return LIMIT


def limit_or_override_fixed(override: int | None) -> int:
    """Fix: a different local name; the global is only read.

    >>> limit_or_override_fixed(None), limit_or_override_fixed(5)
    (10, 5)
    """
    return LIMIT if override is None else override  # break[assign-the-global]


def record_request() -> int:
    """Rebind a module variable with ``global``; return the new count."""
    global _requests
    _requests += 1
    return _requests


def request_count() -> int:
    """Read the module counter (reading needs no ``global``)."""
    return _requests


def reset_requests() -> None:
    """Set the module counter back to zero."""
    global _requests
    _requests = 0


def make_counter_without_nonlocal() -> Callable[[], int]:
    """Pitfall: ``count += 1`` assigns, so ``count`` is local to ``bump`` and unbound."""
    count = 0

    def bump() -> int:
        count += 1  # noqa: F823 - the UnboundLocalError is the point
        return count

    return bump


def make_counter() -> Callable[[], int]:
    """Fix: ``nonlocal`` rebinds the enclosing function's ``count``.

    >>> bump = make_counter()
    >>> bump(), bump(), bump()
    (1, 2, 3)
    """
    count = 0

    def bump() -> int:
        nonlocal count  # break[no-nonlocal]
        count += 1
        return count

    return bump


def late_binding_callbacks(n: int) -> list[Callable[[], int]]:
    """Pitfall: every lambda reads the one ``i``, after the loop has finished.

    >>> [f() for f in late_binding_callbacks(3)]
    [2, 2, 2]
    """
    return [lambda: i for i in range(n)]  # noqa: B023 - late binding is the lesson


def default_arg_callbacks(n: int) -> list[Callable[[], int]]:
    """Fix: the default argument is evaluated when each lambda is created.

    >>> [f() for f in default_arg_callbacks(3)]
    [0, 1, 2]
    """
    return [lambda i=i: i for i in range(n)]  # type: ignore[misc]  # break[late-binding]


def _identity(value: int) -> int:
    """Return ``value``; ``partial`` fixes it as the argument."""
    return value


def partial_callbacks(n: int) -> list[Callable[[], int]]:
    """Fix: a positional ``functools.partial`` stores the value and adds no parameter.

    >>> [f() for f in partial_callbacks(3)]
    [0, 1, 2]
    """
    return [functools.partial(_identity, i) for i in range(n)]


def _bound(value: int) -> Callable[[], int]:
    """A factory: each call has its own ``value`` variable for the closure to keep."""
    return lambda: value


def per_iteration_callbacks(n: int) -> list[Callable[[], int]]:
    """Fix, Go 1.22 style: a fresh variable per iteration, via the factory.

    >>> [f() for f in per_iteration_callbacks(3)]
    [0, 1, 2]
    """
    return [_bound(i) for i in range(n)]


def comprehension_variable_does_not_leak() -> str:
    """The comprehension's ``x`` is its own; the outer ``x`` keeps its value.

    >>> comprehension_variable_does_not_leak()
    'outer'
    """
    x = "outer"
    squares = [x * x for x in range(3)]
    assert squares == [0, 1, 4]
    return x


def for_loop_variable_leaks() -> int:
    """A ``for`` loop binds its target in the enclosing scope: it outlives the loop.

    >>> for_loop_variable_leaks()
    2
    """
    for x in range(3):  # noqa: B007 - only the leak matters
        pass
    return x
