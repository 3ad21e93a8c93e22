"""Exceptions: the order of try/except/else/finally, domain hierarchies, and catching narrowly.

Why interviewers ask this:
    Error handling is where backend code goes wrong quietly. Interviewers ask
    "in what order do these clauses run?", "why not return None on failure?"
    and "what is wrong with ``except Exception: pass``?". Candidates coming from
    Go also get asked how ``errors.Is`` and ``errors.As`` translate, because the
    mapping is not one to one.

Common pitfalls:
    - Returning a sentinel (``None``, ``-1``, ``""``) for "not found": a caller
      who forgets to check carries on with a wrong value (``"Hello, None"``)
      instead of failing where the problem is.
    - ``except Exception`` around code that was only expected to raise one
      thing: a ``KeyError`` from a misspelt key is swallowed, and the function
      returns its default as if the input were bad. The bug becomes a wrong
      answer, not a traceback.
    - Go-style sentinel *instances* (``ERR_CLOSED = RuntimeError(...)`` raised
      again and again): every raise appends to the same ``__traceback__``, so
      it grows on each raise and keeps the frames alive. Raise a fresh instance
      of a class instead.
    - Expecting ``except NotFound`` to see through wrapping: after
      ``raise ServiceError(...) from err`` only the outer class is matched;
      ``__cause__`` is not searched (Go's ``errors.As`` does walk the chain).
    - Using the ``except ... as err`` name after the block: Python deletes it
      when the block ends, even if ``err`` was bound before the ``try``
      (otherwise exception, traceback, frame and the frame's ``err`` would form
      a reference cycle).

Key takeaways:
    - Order: ``try`` runs; on no error ``else`` runs, on a matching error its
      ``except`` runs, on any other error neither does; ``finally`` runs last on
      every path, after a ``return`` expression has been evaluated and before the
      function actually returns. Code in ``else`` is not guarded by the
      ``except`` clauses above it, which is the point of ``else``.
    - One base class per domain (``RepositoryError``), a subclass per condition
      (``NotFound``, ``Conflict``) carrying data as attributes. Callers catch
      the base class to handle every repository failure, or a subclass to
      handle one.
    - ``except SomeClass`` ~ Go's ``errors.As`` (match by type, get the value),
      but only on the exception itself; walking ``__cause__`` is manual
      (``find_cause``). Go's ``errors.Is`` (compare with a sentinel value) walks
      the chain too, so its equivalent is ``find_cause`` plus an equality check
      on an attribute (``err.key == 42``); exceptions compare by identity by
      default.
    - ``except Exception`` does not catch ``SystemExit``, ``KeyboardInterrupt``,
      ``GeneratorExit`` or ``asyncio.CancelledError`` (they derive from
      ``BaseException`` only). A bare ``except:`` or ``except BaseException:``
      that does not re-raise catches them too, and swallowing
      ``CancelledError`` means a cancelled task keeps running and returns
      normally, which breaks timeouts and ``TaskGroup`` shutdown.

What to look for in an answer:
    A strong candidate traces the clause order without hesitating, puts in
    ``try`` only the line that can raise the expected error, catches the
    narrowest class that describes it, and designs a small hierarchy so callers
    choose their granularity. They mention that swallowing is sometimes right at
    a boundary (a request handler), but then the error is logged with its
    traceback. Follow-ups:
    - What does ``finally`` do to a pending ``return``? (It runs after the
      return value is computed; a ``return`` inside ``finally`` replaces it and
      swallows any exception, which is why ruff flags it (B012) and why 3.14
      makes it a ``SyntaxWarning`` (PEP 765).)
    - Exceptions or return codes, for expected failures like "user not found"?
      (Exceptions with a specific class: the caller cannot ignore them by
      accident, and since 3.11 a ``try`` that raises nothing costs almost
      nothing ("zero-cost" exceptions, What's New in 3.11). For very hot,
      very common misses a
      ``dict.get``-style API with an explicit default is fine.)
    - How do you translate a driver error into a domain error without losing
      the cause, and what do ``raise`` and ``raise err`` do in a handler?
      (``raise NotFound(key) from err``: ``__cause__`` keeps the original and
      the traceback shows both. A bare ``raise`` re-raises the active exception
      with its traceback as it was; ``raise err`` re-raises the same object and
      adds the handler's line to its traceback. To add context without
      wrapping, ``err.add_note("user 5")`` (3.11) appends a line that the
      traceback prints under the message.)
    - A child of an ``asyncio.TaskGroup`` raises ``ValueError``; does
      ``except ValueError`` around the group catch it? (No: the group raises an
      ``ExceptionGroup`` holding the child's error. ``except* ValueError``
      (3.11) matches the ``ValueError`` members inside a group, and the rest of
      the group propagates.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

__all__ = [
    "DEFAULT_TIMEOUT",
    "Conflict",
    "NotFound",
    "RepositoryError",
    "UserRepository",
    "find_cause",
    "greeting_with_exception",
    "greeting_with_sentinel",
    "record_flow",
    "timeout_broad",
    "timeout_narrow",
    "timeout_narrow_same_typo",
]

T = TypeVar("T")
E = TypeVar("E", bound=BaseException)


def record_flow(action: Callable[[], T], events: list[str]) -> T | str:
    """Run ``action`` under try/except ValueError/else/finally, noting each step in ``events``.

    >>> events: list[str] = []
    >>> record_flow(lambda: 42, events), events
    (42, ['try', 'body-done', 'else', 'return-evaluated', 'finally'])
    >>> events = []
    >>> record_flow(lambda: int("x"), events), events
    ('handled', ['try', 'except', 'finally'])
    """
    events.append("try")
    try:
        result = action()
        events.append("body-done")
    except ValueError:
        events.append("except")
        return "handled"
    else:
        events.append("else")
        return _note(events, "return-evaluated", result)
    finally:
        events.append("finally")


def _note(events: list[str], event: str, value: T) -> T:
    """Append ``event`` and pass ``value`` through: shows when a return expression runs."""
    events.append(event)
    return value


class RepositoryError(Exception):
    """Base class of every failure of the repository: catch this to handle them all."""


class NotFound(RepositoryError):  # break[flat-hierarchy]
    """No record under ``key``."""

    def __init__(self, key: int) -> None:
        super().__init__(f"no user with id {key}")
        self.key = key


class Conflict(RepositoryError):
    """A record under ``key`` already exists."""

    def __init__(self, key: int) -> None:
        super().__init__(f"user {key} already exists")
        self.key = key


class UserRepository:
    """Users by id, in memory; failures are exceptions, never sentinel return values."""

    def __init__(self) -> None:
        self._names: dict[int, str] = {}

    def add(self, key: int, name: str) -> None:
        """Store ``name``; raise ``Conflict`` if ``key`` is taken."""
        if key in self._names:
            raise Conflict(key)
        self._names[key] = name

    def get(self, key: int) -> str:
        """Return the name; raise ``NotFound`` if there is none.

        >>> UserRepository().get(7)
        Traceback (most recent call last):
        ...
        handbook.basics.exceptions.NotFound: no user with id 7
        """
        try:
            return self._names[key]  # break[sentinel-get]
        except KeyError:
            raise NotFound(key) from None  # the KeyError is an implementation detail

    def find(self, key: int) -> str | None:
        """The sentinel style: ``None`` when missing, and nothing forces a check."""
        return self._names.get(key)


def greeting_with_sentinel(repo: UserRepository, key: int) -> str:
    """Pitfall: the caller forgets the ``None`` check and greets nobody.

    >>> greeting_with_sentinel(UserRepository(), 1)
    'Hello, None'
    """
    return f"Hello, {repo.find(key)}"


def greeting_with_exception(repo: UserRepository, key: int) -> str:
    """Fix: the same forgetful caller, but a missing user raises at the source."""
    return f"Hello, {repo.get(key)}"


def find_cause(exc: BaseException, cls: type[E]) -> E | None:
    """Go's ``errors.As`` in Python: the first exception of type ``cls`` in the chain.

    Follows ``__cause__`` (``raise ... from``) and, unless suppressed, the
    implicit ``__context__``, as tracebacks do.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:  # break[no-cycle-guard]
        if isinstance(current, cls):
            return current
        seen.add(id(current))
        if current.__cause__ is not None or current.__suppress_context__:
            current = current.__cause__
        else:
            current = current.__context__
    return None


DEFAULT_TIMEOUT = 30.0


def timeout_broad(settings: Mapping[str, str]) -> float:
    """Pitfall: a misspelt key plus ``except Exception`` returns the default, always.

    >>> timeout_broad({"timeout": "5"})
    30.0
    """
    try:
        return float(settings["timeuot"])  # misspelt on purpose: a KeyError every call
    except Exception:  # meant for "not a number", also hides the KeyError
        return DEFAULT_TIMEOUT


def timeout_narrow_same_typo(settings: Mapping[str, str]) -> float:
    """The same typo under a narrow handler: the ``KeyError`` escapes and names the key."""
    try:
        return float(settings["timeuot"])  # misspelt on purpose, as above
    except ValueError:  # break[catch-everything]
        return DEFAULT_TIMEOUT


def timeout_narrow(settings: Mapping[str, str]) -> float:
    """Fix: only the conversion that may fail is guarded, and only by ``ValueError``.

    >>> timeout_narrow({"timeout": "5"}), timeout_narrow({"timeout": "soon"})
    (5.0, 30.0)
    """
    raw = settings.get("timeout")
    if raw is None:
        return DEFAULT_TIMEOUT
    try:
        return float(raw)
    except ValueError:
        return DEFAULT_TIMEOUT
