"""Exception groups: several errors raised at once as a tree; ``except*`` handles them by type.

Why interviewers ask this:
    Concurrency produces several failures at once: five requests fan out,
    two time out and one is refused. Before 3.11 Python could raise only one
    of them (``asyncio.gather`` raises the first). ``ExceptionGroup`` carries
    them all, and ``except*`` handles each type inside it. The usual source,
    ``asyncio.TaskGroup``, fails fast: it cancels the other tasks at the
    first failure, so its group holds only the failures raised before the
    cancellation took hold, never the ``CancelledError``s. Interviewers ask
    how ``except*`` differs from ``except`` (each handler runs at most once,
    with a *group*) and what happens to the part nobody handled. Go readers
    know the idea as ``errors.Join``.

Common pitfalls:
    - ``except ValueError:`` around code that raises a group containing a
      ValueError: the group is not a ValueError, so it goes straight past.
    - Expecting ``except* ValueError as eg`` to bind one exception: ``eg`` is
      always a group, even for a single match, and even when the code raised
      a naked ValueError (it arrives wrapped, with an empty message).
    - Forgetting the remainder: exceptions no ``except*`` clause matched are
      re-raised as a group after the handlers run, with the original nesting.
    - Subclassing ExceptionGroup without overriding ``derive``: ``split``,
      ``subgroup`` and ``except*`` then build plain ExceptionGroups, and the
      subclass (and its extra fields) is lost on the partial results.

Key takeaways:
    - An ``except*`` clause runs at most once, with a group of every matching
      leaf, in the same nesting as the original (message, tree shape,
      ``__traceback__``, ``__cause__``, ``__context__``, ``__notes__`` copied:
      ``except*`` gets its parts from the group's ``split`` method).
      Several clauses can run for one group, in order; each leaf goes to the
      first clause that matches it.
    - A naked exception raised into ``except*`` is wrapped as
      ``ExceptionGroup("", [exc])`` if a clause matches it; if none does, it
      propagates naked, unwrapped.
    - ``eg.subgroup(cond)`` keeps the matching leaves (``None`` if none
      match); ``eg.split(cond)`` returns ``(match, rest)``. ``cond`` is a type,
      a tuple of types, or a predicate. The predicate is called on the group
      itself and on nested groups too, not only on leaves: True for a group
      keeps that whole group.
    - ``BaseExceptionGroup`` may hold ``KeyboardInterrupt`` and friends;
      ``ExceptionGroup`` only ``Exception`` subclasses (TypeError otherwise)
      and is what ``except Exception`` catches. ``BaseExceptionGroup(msg,
      excs)`` returns an ExceptionGroup when every member is an Exception.
      ``except* Exception`` takes the Exception leaves and lets a
      ``BaseExceptionGroup`` of the rest (a ``KeyboardInterrupt``, a
      ``CancelledError``) propagate.
    - Go: ``errors.Join(errs...)`` builds a tree that ``errors.Is`` and
      ``errors.As`` search depth first; ``contains`` and ``leaves`` here are
      the Python equivalents. Go has no ``except*``: you test for each kind.

What to look for in an answer:
    A strong candidate says where groups come from (``asyncio.TaskGroup``,
    which cancels the rest at the first failure; ``trio`` nurseries; a batch
    that keeps going after a failure), explains that ``except*`` splits the
    group and each handler gets a group, and knows the unhandled rest is
    re-raised. Follow-ups:
    - A handler inside ``except*`` raises a new exception. What propagates?
      (If part of the group went unhandled, a new group holding the raised
      exception and that rest, the new one with the handled group as its
      ``__context__``. If nothing is left over, the new exception on its
      own, unwrapped. A bare ``raise`` instead puts the matched part back
      where it was in the original tree.)
    - ``TaskGroup`` or ``gather``? (``TaskGroup`` cancels the other tasks at
      the first failure and raises an ExceptionGroup. ``gather`` raises the
      first exception and leaves the other tasks running, unawaited;
      ``gather(return_exceptions=True)`` returns exceptions as results, and
      ``run_all`` here is that, then raising a group.)
    - Can you mix ``except`` and ``except*`` in one ``try``, or ``return`` from
      an ``except*`` block? (No: both are SyntaxErrors; and ``except*
      ExceptionGroup`` is a TypeError at run time.)
    - How do you check "did any task fail with a timeout?" (``eg.subgroup(
      TimeoutError) is not None``, which searches nested groups too, like
      ``errors.Is``. To ignore them instead: ``except* TimeoutError: pass``,
      or from 3.12 ``contextlib.suppress(TimeoutError)``, which drops those
      leaves and re-raises the rest; 3.11's ``suppress`` ignores groups.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

__all__ = [
    "contains",
    "handle_by_type",
    "handle_value_errors",
    "leaves",
    "run_all",
]

T = TypeVar("T")


def handle_by_type(group: BaseException, log: list[str]) -> None:
    """Raise ``group`` into two ``except*`` clauses; each logs once what it received.

    >>> log: list[str] = []
    >>> group = ExceptionGroup("batch", [ValueError("a"), KeyError("k"), ValueError("b")])
    >>> handle_by_type(group, log)
    >>> log  # doctest: +NORMALIZE_WHITESPACE
    ["ValueError: ExceptionGroup('batch', [ValueError('a'), ValueError('b')])",
     "KeyError: ExceptionGroup('batch', [KeyError('k')])"]
    """
    try:
        raise group
    except* ValueError as eg:
        log.append(f"ValueError: {eg!r}")
    except* KeyError as eg:
        log.append(f"KeyError: {eg!r}")


def handle_value_errors(group: BaseException, log: list[str]) -> None:
    """Handle the ValueErrors of ``group``; anything else is re-raised after the handler.

    >>> log: list[str] = []
    >>> handle_value_errors(ExceptionGroup("batch", [ValueError("a"), OSError("b")]), log)
    Traceback (most recent call last):
    ...
    ExceptionGroup: batch (1 sub-exception)
    >>> log
    ['handled 1 ValueError(s)']
    """
    try:
        raise group
    except* ValueError as eg:  # break[plain-except]
        log.append(f"handled {len(leaves(eg))} ValueError(s)")


def _check_group(group: object) -> None:
    """TypeError unless ``group`` is an exception group."""
    if not isinstance(group, BaseExceptionGroup):
        raise TypeError(f"expected an exception group, got {type(group).__name__}")


def leaves(group: BaseExceptionGroup[BaseException]) -> list[BaseException]:
    """Every non-group exception in the tree, depth first (the order ``errors.Is`` searches).

    >>> leaves(ExceptionGroup("outer", [ValueError(1), ExceptionGroup("inner", [KeyError(2)])]))
    [ValueError(1), KeyError(2)]
    >>> leaves(ValueError(1))
    Traceback (most recent call last):
    ...
    TypeError: expected an exception group, got ValueError
    """
    _check_group(group)
    found: list[BaseException] = []
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            found.extend(leaves(exc))  # break[flat-leaves]
        else:
            found.append(exc)
    return found


def contains(group: BaseExceptionGroup[BaseException], kind: type[BaseException]) -> bool:
    """True if any leaf, at any depth, is a ``kind``: Go's ``errors.Is`` on a joined error.

    >>> contains(ExceptionGroup("outer", [ExceptionGroup("inner", [TimeoutError()])]), OSError)
    True
    """
    _check_group(group)
    return group.subgroup(kind) is not None


def run_all(tasks: Sequence[Callable[[], T]]) -> list[T]:
    """Run every task even if some fail, then raise all failures together.

    This is ``gather(return_exceptions=True)`` followed by raising a group,
    unlike a TaskGroup, which cancels the remaining tasks at the first failure.

    >>> run_all([lambda: 1, lambda: 2])
    [1, 2]
    >>> run_all([lambda: 1, lambda: int("x"), lambda: {}["k"]])
    Traceback (most recent call last):
    ...
    ExceptionGroup: 2 of 3 tasks failed (2 sub-exceptions)
    """
    results: list[T] = []
    errors: list[Exception] = []
    for task in tasks:
        try:
            results.append(task())
        except Exception as exc:
            errors.append(exc)  # break[fail-fast]
    if errors:
        message = f"{len(errors)} of {len(tasks)} tasks failed"
        raise ExceptionGroup(message, errors)  # break[raise-first]
    return results
