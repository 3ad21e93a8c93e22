"""Truthiness: ``if x:`` asks "non-zero, non-empty?"; ``if x is not None:`` asks "given at all?".

Why interviewers ask this:
    ``retries = retries or 3`` looks idiomatic and hides a bug: a caller who
    passes ``0`` to disable retries gets three. Interviewers use it to check
    that you know which values are falsy, how a class decides its own truth
    value (``__bool__``, then ``__len__``), and that "missing" and "empty" are
    different questions. Readers coming from Go know the mirror-image trap: a
    nil ``*T`` stored in an ``error`` interface is not ``== nil``.

Common pitfalls:
    - ``x or default`` (or ``if not x: x = default``) for an optional
      argument: ``0``, ``0.0``, ``""``, ``[]`` and ``{}`` are falsy like
      ``None``, so a deliberate zero or empty value is silently replaced.
      ``if timeout:`` on a ``datetime.timedelta`` is the same bug:
      ``timedelta(0)`` is falsy.
    - Checking ``is not None`` on an object that stands for "nothing": a
      validator that always returns an error collection, empty when the
      input is fine. ``errors is not None`` is always True, so every request
      is rejected; this is Go's typed nil (``err != nil`` on an interface
      holding a nil pointer) in Python form. Fix: ask the object (``if
      errors:``), or have the validator return ``None`` when it found nothing,
      as the Go fix returns a literal ``nil``.
    - ``__bool__`` returning something other than a bool (``return
      len(self.items)``): ``bool(obj)`` and ``if obj:`` raise ``TypeError``.
    - ``if not rows:`` on a generator or iterator: it has neither
      ``__bool__`` nor ``__len__``, so it is truthy even when empty or
      exhausted, and the "nothing found" branch never runs. Build a list,
      or ask ``any(...)`` / ``next(it, None)``.
    - Assuming truthy values "look" true: ``"0"``, ``"False"``, ``[0]``,
      ``[None]`` and ``float("nan")`` are all truthy.

Key takeaways:
    - Falsy: ``None``, ``False``, zero of every numeric type (``0``, ``0.0``,
      ``0j``, ``Decimal(0)``, ``Fraction(0)``), ``timedelta(0)``, and empty
      containers and sequences (``""``, ``b""``, ``[]``, ``()``, ``{}``,
      ``set()``, ``range(0)``). Everything else is truthy unless its class
      says otherwise.
    - ``bool(obj)`` calls ``__bool__`` if the class defines it (it must return
      a bool); otherwise ``__len__`` (falsy when 0); with neither, the object
      is truthy. When both exist, ``__bool__`` wins. Like every special
      method, it is looked up on the type: ``obj.__bool__ = ...`` on an
      instance changes nothing.
    - Use ``is None`` when the question is "was a value given?"; use
      truthiness when the question is "is there anything in it?" and the
      object defines what that means.
    - ``and`` and ``or`` return one of their operands, not a bool, and stop
      early: ``0 or 30`` is ``30``, ``[] and anything`` is ``[]``.
    - Go and Java have no truthiness: a condition must be a ``bool``, so the
      code says ``n != 0``, ``len(s) > 0`` or ``p != nil`` explicitly.
      (History: until Python 3.5, ``datetime.time(0)``, midnight, was falsy.)

What to look for in an answer:
    A strong candidate lists the falsy values, rewrites ``x or default`` as
    ``default if x is None else x`` for optional numbers and strings, knows
    the ``__bool__``/``__len__`` order, and says out loud whether a check
    means "missing" or "empty". Follow-ups:
    - What is the truth value of an object with ``__len__`` returning 0 and
      ``__bool__`` returning True? (True: ``__bool__`` is consulted first and
      ``__len__`` is never called. Both are looked up on the type, so
      assigning ``obj.__bool__`` on an instance has no effect.)
    - Why do NumPy arrays and pandas frames raise on ``if arr:``? ("any or
      all?" is ambiguous. NumPy raises ``ValueError`` for any size other
      than 1, and for empty arrays too since NumPy 2.2 (before, a deprecation
      warning and False); pandas raises for every Series and DataFrame,
      whatever its size. Say ``.any()`` or ``.all()``, and ``arr.size > 0``
      or ``df.empty`` for emptiness. Not tested here: the handbook has no
      dependencies; checked by hand with NumPy 2.4.)
    - What are ``all([])`` and ``any([])``? (True and False: "every item
      passed" holds vacuously for no items, so a "no check failed" gate
      passes on an empty batch. Check for emptiness first when no data is an
      error.)
    - Why is ``True + True == 2``? (``bool`` is a subclass of ``int`` with
      ``True == 1`` and ``False == 0``, equal hashes included, so
      ``{1: "a", True: "b"}`` has one key, and ``isinstance(True, int)``
      lets a bool through an int check unless you exclude it.)
    - How would you design a result type so callers cannot confuse "empty"
      with "missing"? (Return ``None`` only for missing, an empty collection
      for none found; or raise for the error case; type hints
      ``list[T] | None`` make the caller handle both.)
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "DEFAULT_RETRIES",
    "Batch",
    "BoolAndLen",
    "NoTruthMethods",
    "ValidationErrors",
    "has_overdue",
    "has_overdue_lazily",
    "rejects",
    "rejects_unless_none",
    "retry_budget",
    "retry_budget_or",
    "validate",
]

DEFAULT_RETRIES = 3


def retry_budget_or(retries: int | None = None) -> int:
    """The pitfall: ``or`` replaces every falsy value, including a deliberate 0.

    >>> retry_budget_or(), retry_budget_or(5), retry_budget_or(0)
    (3, 5, 3)
    """
    return retries or DEFAULT_RETRIES


def retry_budget(retries: int | None = None) -> int:
    """The fix: only a missing value (``None``) gets the default.

    Raises ``TypeError`` for a non-int (a bool included) and ``ValueError``
    for a negative count.

    >>> retry_budget(), retry_budget(5), retry_budget(0)
    (3, 5, 0)
    >>> retry_budget(-1)
    Traceback (most recent call last):
    ValueError: retries must be >= 0, got -1
    """
    if retries is None:  # break[or-default]
        return DEFAULT_RETRIES
    if isinstance(retries, bool) or not isinstance(retries, int):
        raise TypeError(f"retries must be an int, got {type(retries).__name__}")
    if retries < 0:
        raise ValueError(f"retries must be >= 0, got {retries}")
    return retries


class Batch:
    """A container with ``__len__`` only: empty means falsy.

    >>> bool(Batch()), bool(Batch(["job"]))
    (False, True)
    """

    def __init__(self, items: list[str] | None = None) -> None:
        """Hold ``items`` (a fresh list when omitted)."""
        self.items: list[str] = [] if items is None else items

    def __len__(self) -> int:
        """The number of items; ``bool()`` falls back to it."""
        return len(self.items)


class BoolAndLen:
    """``__bool__`` and ``__len__`` disagree; ``__bool__`` wins and ``__len__`` is not called.

    >>> obj = BoolAndLen()
    >>> len(obj), bool(obj), obj.len_calls
    (0, True, 1)
    """

    def __init__(self) -> None:
        """Start with no recorded ``__len__`` calls."""
        self.len_calls = 0

    def __bool__(self) -> bool:
        """Always True."""
        return True

    def __len__(self) -> int:
        """Always 0, counting how often it is asked."""
        self.len_calls += 1
        return 0


class NoTruthMethods:
    """Neither ``__bool__`` nor ``__len__``: every instance is truthy.

    >>> bool(NoTruthMethods())
    True
    """


def has_overdue_lazily(ages_in_days: Iterable[int]) -> bool:
    """The pitfall: a generator is truthy even when it will yield nothing.

    >>> has_overdue_lazily([1, 2, 3])
    True
    """
    overdue = (age for age in ages_in_days if age > 30)
    return bool(overdue)


def has_overdue(ages_in_days: Iterable[int]) -> bool:
    """The fix: build the list (or ask ``any``), then its emptiness means something.

    >>> has_overdue([1, 2, 3]), has_overdue([1, 45])
    (False, True)
    """
    overdue = [age for age in ages_in_days if age > 30]  # break[generator-is-truthy]
    return bool(overdue)


class ValidationErrors:
    """What a validator found: falsy when it found nothing, yet never ``None``.

    >>> errors = ValidationErrors(())
    >>> bool(errors), errors is None
    (False, False)
    """

    def __init__(self, problems: tuple[str, ...]) -> None:
        """Keep the problems found, possibly none."""
        self.problems = problems

    def __bool__(self) -> bool:
        """True when there is at least one problem."""
        return len(self.problems) > 0  # break[bool-returns-int]


def validate(payload: dict[str, object]) -> ValidationErrors:
    """Check a request payload; always return an error collection, empty if all is well."""
    problems = [f"missing field {name!r}" for name in ("id", "email") if name not in payload]
    return ValidationErrors(tuple(problems))


def rejects_unless_none(payload: dict[str, object]) -> bool:
    """The pitfall (Go's typed nil): ``is not None`` on an object that is never None.

    >>> rejects_unless_none({"id": 1, "email": "a@example.com"})  # a valid payload
    True
    """
    return validate(payload) is not None


def rejects(payload: dict[str, object]) -> bool:
    """The fix: ask the object whether it holds anything.

    >>> rejects({"id": 1, "email": "a@example.com"}), rejects({"id": 1})
    (False, True)
    """
    return bool(validate(payload))  # break[typed-nil]
