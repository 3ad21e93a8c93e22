"""Mutable defaults: a default is evaluated once, at ``def`` time, and shared by every call.

Why interviewers ask this:
    "What does this print?" with ``def f(x, acc=[])`` called twice is among the
    most common Python screening questions. It checks that the candidate knows
    a ``def`` statement is executed: the default expressions run once, the
    resulting objects are stored on the function (``f.__defaults__``), and
    every call that omits the argument gets *that same object*.

Common pitfalls:
    - ``def append(item, bucket=[])``: the second call sees the first call's
      item, because both got the one list stored in ``__defaults__``. The same
      holds for ``{}``, ``set()``, or any mutable object, and for keyword-only
      defaults (stored in ``__kwdefaults__``).
    - Fixing it with ``if not bucket: bucket = []`` (or ``bucket = bucket or
      []``): a caller who passes their own *empty* list gets a new list instead,
      and their list is never filled (``append_with_truthiness_check``). Test
      ``is None``, not truthiness.
    - Using ``None`` as "argument not given" when ``None`` is also a value a
      caller may legitimately pass (a default of ``None`` for a setting):
      the function cannot tell the two apart. Use a private sentinel object.
    - Believing the default is re-evaluated per call, e.g. ``def log(at=time.time())``
      stamps every call with the time the ``def`` ran (usually import time).

Key takeaways:
    - Default expressions are evaluated once, when ``def`` runs; the objects
      live in ``f.__defaults__`` (positional) and ``f.__kwdefaults__``
      (keyword-only).
    - The idiom is ``bucket: list[int] | None = None`` then
      ``if bucket is None: bucket = []``, creating a fresh object per call.
    - When ``None`` is a valid value, use a private sentinel (``_MISSING =
      object()``; here an instance of a tiny class, so signatures show
      ``<missing>``) and test ``default is _MISSING``: no caller can pass that
      object by accident. Such a sentinel does not survive ``copy.deepcopy``
      or pickle (the copy is a new object, so ``is`` fails); a one-member
      ``Enum`` does, and type checkers can narrow on it (PEP 484).
    - A shared default is occasionally intended (a memo cache), but
      ``functools.cache`` says so explicitly, keeps the signature honest, and
      offers ``cache_info()`` and ``cache_clear()``; ``lru_cache(maxsize=N)``
      also bounds it.
    - Go and Java have no default arguments (Go uses option structs or
      functional options, Java overloads or builders), so the trap does not
      exist there; in Python ``dataclasses.field(default_factory=list)`` is
      the same fix for fields. A class attribute (``class C: items = []``) is
      the same trap again: one list, shared by every instance.

What to look for in an answer:
    The candidate predicts the shared list, explains *why* (defaults are
    evaluated at definition time and stored on the function object), writes the
    ``None`` fix with ``is None`` and mentions the sentinel for when ``None`` is
    meaningful. Follow-ups:
    - Why did Python choose definition-time evaluation? (A default is an
      ordinary expression evaluated when ``def`` executes, like every other
      expression in the statement; call-time evaluation would need the
      expression kept and re-run on each call, with its names resolved at call
      time. It is also what makes the memo and ``i=i`` idioms work. PEP 671
      proposed late-bound ``=>`` defaults; it has not been accepted.)
    - What does ``@dataclass class A: x: list = []`` do? (It raises
      ``ValueError: mutable default <class 'list'> for field x is not
      allowed: use default_factory`` when the class is created. Since 3.11
      the check rejects any unhashable default, not only list, dict and set.)
    - How would you spot this in a code review or CI? (Linters: ruff/flake8-bugbear
      B006 flags mutable defaults, B008 function calls in defaults.)
    - Is a module-level cache dict better than a default-argument cache? (It is
      still shared mutable state, but it is not in the signature, so callers
      cannot replace it by passing an argument; ``functools.cache`` is better
      still: it is explicit, inspectable, and clearable.)
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Final

__all__ = [
    "append_to_shared_default",
    "append_with_none_sentinel",
    "append_with_truthiness_check",
    "fib_cached",
    "fib_default_memo",
    "setting",
    "setting_none_means_missing",
]


def append_to_shared_default(item: int, bucket: list[int] = []) -> list[int]:  # noqa: B006
    """Pitfall: every call that omits ``bucket`` appends to the same list.

    >>> append_to_shared_default.__defaults__[0].clear()  # start clean for the doctest
    >>> append_to_shared_default(1)
    [1]
    >>> append_to_shared_default(2)
    [1, 2]
    >>> append_to_shared_default.__defaults__
    ([1, 2],)
    """
    bucket.append(item)
    return bucket


def append_with_none_sentinel(
    item: int,
    bucket: list[int] | None = None,  # break[shared-default]
) -> list[int]:
    """Fix: ``None`` means "not given", and a fresh list is made on each such call.

    >>> append_with_none_sentinel(1), append_with_none_sentinel(2)
    ([1], [2])
    """
    if bucket is None:  # break[truthiness-check]
        bucket = []
    bucket.append(item)
    return bucket


def append_with_truthiness_check(item: int, bucket: list[int] | None = None) -> list[int]:
    """Pitfall: "looks fixed", but a caller's own empty list is replaced, not filled.

    >>> mine: list[int] = []
    >>> append_with_truthiness_check(3, mine), mine
    ([3], [])
    """
    if not bucket:  # an empty list is falsy, just like None
        bucket = []
    bucket.append(item)
    return bucket


class _Missing:
    """The type of ``_MISSING``; its repr keeps signatures and help() readable."""

    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Final = _Missing()


def setting_none_means_missing(
    settings: Mapping[str, object], key: str, default: object = None
) -> object:
    """Pitfall: ``None`` doubles as "no default given", so ``default=None`` cannot be asked for.

    >>> setting_none_means_missing({}, "proxy", None)
    Traceback (most recent call last):
    ...
    KeyError: 'proxy'
    """
    if key in settings:
        return settings[key]
    if default is None:
        raise KeyError(key)
    return default


def setting(settings: Mapping[str, object], key: str, default: object = _MISSING) -> object:
    """Fix: a private sentinel means "not given"; ``None`` is an ordinary default.

    >>> setting({}, "proxy", None) is None
    True
    >>> setting({}, "proxy")
    Traceback (most recent call last):
    ...
    KeyError: 'proxy'
    """
    if key in settings:
        return settings[key]
    if default is _MISSING:  # break[none-as-missing]
        raise KeyError(key)
    return default


def fib_default_memo(n: int, _memo: dict[int, int] = {0: 0, 1: 1}) -> int:  # noqa: B006
    """A shared default on purpose: the memo persists across calls (works, but hides state).

    >>> fib_default_memo(30)
    832040
    """
    if n not in _memo:
        _memo[n] = fib_default_memo(n - 1) + fib_default_memo(n - 2)
    return _memo[n]


@functools.cache
def fib_cached(n: int) -> int:
    """The clearer memo: ``functools.cache``, with ``cache_info()`` and ``cache_clear()``.

    >>> fib_cached(30)
    832040
    """
    return n if n < 2 else fib_cached(n - 1) + fib_cached(n - 2)
