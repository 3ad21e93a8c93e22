"""Context managers: ``__exit__`` runs on every exit; its return value decides if an error survives.

Why interviewers ask this:
    "How do you make sure a connection is closed?" is asked in every backend
    loop, and ``with`` is the Python answer. The follow-up separates people who
    use ``with`` from people who can write a context manager: what ``__exit__``
    receives, what its return value means, and why a ``@contextmanager``
    generator needs ``try/finally``. Readers coming from Go want the mapping to
    ``defer``; from Java, to try-with-resources.

Common pitfalls:
    - Returning a truthy value from ``__exit__`` by accident. ``return
      self.closed`` or ``return self.conn.close()`` (a ``close`` that reports
      True when it closed something) suppresses *every* exception raised in the
      block: the code after the ``with`` runs as if the block had succeeded.
    - A ``@contextmanager`` generator without ``try/finally`` around ``yield``.
      The block's exception is thrown into the generator *at the yield*, so
      the cleanup written after it never runs; the connection stays open.
    - Cleaning up in ``except Exception:`` instead of ``finally:`` inside the
      generator: cleanup is skipped on success, and an exception caught there
      and not re-raised is suppressed, exactly like a truthy ``__exit__``.
    - Expecting ``__exit__`` to run when ``__enter__`` raises. It does not: the
      ``with`` never started, so ``__enter__`` must undo its own partial work.
    - Raising from ``__exit__``: the new exception replaces the block's, which
      survives only as its ``__context__``. Java instead keeps the body's
      exception and attaches the ``close()`` failure to it as *suppressed*.

Key takeaways:
    - ``with cm as x:`` calls ``x = cm.__enter__()``, then on *every* exit
      (normal, ``return``, ``break``, exception) ``cm.__exit__(type, value,
      traceback)``; on a normal exit the three arguments are ``None``. Both
      methods are looked up on the *type*: setting ``obj.__exit__`` on an
      instance does nothing, and ``with obj:`` raises TypeError.
    - Only a truthy return value suppresses the exception. Return ``None``
      (fall off the end) unless swallowing is the purpose, and then match
      named types only, as ``contextlib.suppress(FileNotFoundError)`` does.
      From 3.12, ``suppress`` also looks inside an ``ExceptionGroup``: it
      swallows the matching leaves and re-raises a group of the rest. 3.11's
      ``suppress``, like ``SuppressOnly`` here, lets any group through.
    - ``@contextmanager``: the code before ``yield`` is ``__enter__``, the
      yielded value is the ``as`` target, the code after is ``__exit__``. The
      exception is re-raised at the ``yield``: wrap it in ``try/finally``.
    - ``with a, b:`` (or nested ``with``) exits in reverse order, last in first
      out, like Go's ``defer`` and Java's try-with-resources. But ``with`` is
      *block*-scoped, while ``defer`` is *function*-scoped: a ``defer`` inside a
      loop holds every resource until the function returns, a ``with`` inside
      a loop releases each one before the next iteration.

What to look for in an answer:
    A strong candidate writes ``__enter__``/``__exit__`` from memory, says that
    ``__exit__`` gets the exception and that a truthy return swallows it, wraps
    the generator's ``yield`` in ``try/finally`` without being asked, and
    relates ``with`` to ``defer`` and try-with-resources including the scope
    difference. Follow-ups:
    - What does ``with open(p) as f: return f.read()`` do? (``__exit__`` runs
      after the return value is computed and before the function returns: the
      file is closed, the value is returned.)
    - How does this look in asyncio code (a DB session, an HTTP client)?
      (``async with`` awaits ``__aenter__`` and ``__aexit__``, with the same
      arguments and the same truthy-return rule; ``@asynccontextmanager``
      is the generator form. A plain ``with`` on an async-only manager is a
      TypeError.)
    - Can one ``@contextmanager`` object be used twice? (No: it wraps a
      single generator run. Call the function again for a new one; reusing
      the object raises AttributeError in 3.11-3.13, an implementation
      detail. A generator that yields twice raises ``RuntimeError("generator
      didn't stop")`` when the ``with`` exits.)
    - How would you manage a list of files whose length you only know at run
      time? (``contextlib.ExitStack``: ``enter_context`` each one; the exitstack
      lesson.)
    - Your ``__exit__`` must log the error and let it propagate: should it
      re-raise it? (No: return ``None`` and the original propagates as it
      was. Re-raising the same object only adds the ``__exit__`` frame to its
      traceback; raising anything else replaces it.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

__all__ = [
    "Closing",
    "Connection",
    "LeakyClosing",
    "SuppressOnly",
    "connection",
    "connection_without_finally",
    "open_two",
]


class Connection:
    """A fake connection that records ``open <name>`` and ``close <name>`` in a log.

    >>> log: list[str] = []
    >>> conn = Connection("db", log)
    >>> conn.close(), conn.close(), log
    (True, False, ['open db', 'close db'])
    """

    def __init__(self, name: str, log: list[str]) -> None:
        """Open the connection (record it)."""
        self.name = name
        self.log = log
        self.closed = False
        log.append(f"open {name}")

    def close(self) -> bool:
        """Close; return True if this call closed it, False if it was already closed."""
        if self.closed:
            return False
        self.closed = True
        self.log.append(f"close {self.name}")
        return True


class LeakyClosing:
    """The pitfall: ``__exit__`` returns what ``close()`` returned, True, and so swallows errors.

    >>> log: list[str] = []
    >>> with LeakyClosing(Connection("db", log)):
    ...     raise ValueError("lost")
    >>> log
    ['open db', 'close db']
    """

    def __init__(self, conn: Connection) -> None:
        """Take ownership of an open connection."""
        self.conn = conn

    def __enter__(self) -> Connection:
        """Return the connection for the ``as`` target."""
        return self.conn

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        """Close, and (the bug) return close()'s True: the exception is suppressed."""
        return self.conn.close()


class Closing:
    """The fix: ``__exit__`` closes and returns None, so the block's exception propagates.

    >>> log: list[str] = []
    >>> with Closing(Connection("db", log)):
    ...     raise ValueError("kept")
    Traceback (most recent call last):
    ...
    ValueError: kept
    >>> log
    ['open db', 'close db']
    """

    def __init__(self, conn: Connection) -> None:
        """Take ownership of an open connection."""
        self.conn = conn

    def __enter__(self) -> Connection:
        """Return the connection for the ``as`` target."""
        return self.conn

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close; return nothing, so an exception from the block is not suppressed."""
        self.conn.close()  # break[return-close-result]


class SuppressOnly:
    """Suppress on purpose, only the named exception types (like 3.11's ``contextlib.suppress``).

    >>> with SuppressOnly(KeyError):
    ...     {}["missing"]
    >>> with SuppressOnly(KeyError):
    ...     pass
    >>> with SuppressOnly(KeyError):
    ...     int("x")
    Traceback (most recent call last):
    ...
    ValueError: invalid literal for int() with base 10: 'x'
    """

    def __init__(self, *types: type[BaseException]) -> None:
        """Remember the types to swallow; TypeError unless each is an exception class."""
        for kind in types:
            if not (isinstance(kind, type) and issubclass(kind, BaseException)):
                raise TypeError(f"SuppressOnly expects exception classes, got {kind!r}")
        self.types = types

    def __enter__(self) -> None:
        """Nothing to set up."""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        """True (suppress) only for an exception of one of the named types."""
        matched = exc_type is not None and issubclass(exc_type, self.types)  # break[no-none-check]
        return matched  # noqa: RET504  # break[suppress-all]


@contextmanager
def connection_without_finally(name: str, log: list[str]) -> Iterator[Connection]:
    """The pitfall: cleanup after a bare ``yield`` is skipped when the block raises.

    >>> log: list[str] = []
    >>> with connection_without_finally("db", log):
    ...     raise ValueError("boom")
    Traceback (most recent call last):
    ...
    ValueError: boom
    >>> log
    ['open db']
    """
    conn = Connection(name, log)
    yield conn  # the block's exception is thrown in here and ends the generator
    conn.close()


@contextmanager
def connection(name: str, log: list[str]) -> Iterator[Connection]:
    """The fix: ``try/finally`` around ``yield`` closes on success and on error.

    >>> log: list[str] = []
    >>> with connection("db", log):
    ...     raise ValueError("boom")
    Traceback (most recent call last):
    ...
    ValueError: boom
    >>> log
    ['open db', 'close db']
    """
    conn = Connection(name, log)
    try:
        yield conn
    finally:  # break[except-instead-of-finally]
        conn.close()


def open_two(first: str, second: str, log: list[str]) -> None:
    """Open two connections in one ``with``; they close last in, first out, like ``defer``.

    >>> log: list[str] = []
    >>> open_two("a", "b", log)
    >>> log
    ['open a', 'open b', 'body', 'close b', 'close a']
    """
    with connection(first, log), connection(second, log):
        log.append("body")
