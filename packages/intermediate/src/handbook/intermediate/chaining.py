"""Chaining: ``raise ... from`` sets ``__cause__``; a raise inside ``except`` sets ``__context__``.

Why interviewers ask this:
    Backend code translates low-level errors into domain errors at every
    layer (a ``KeyError`` becomes ``ConfigError``, an ``OSError`` becomes
    ``StorageUnavailable``). Interviewers want to see the translation keep
    the root cause for whoever reads the traceback at 3 a.m., and to hear the
    difference between a deliberate cause and an accident in a handler. Go
    readers know this as ``fmt.Errorf("...: %w", err)`` and ``errors.Unwrap``.

Common pitfalls:
    - Raising a new exception in ``except`` without ``from``: the original is
      kept as ``__context__``, but the traceback says "During handling of the
      above exception, another exception occurred:", which reads as a bug in
      the handler rather than a translation.
    - ``from None`` out of habit: the traceback no longer shows the root
      cause. The original is still stored in ``__context__`` (only
      ``__suppress_context__`` is set), but nobody reading the log sees it.
    - Walking only ``__cause__`` (thinking of Go's ``Unwrap``): implicitly
      chained exceptions live in ``__context__`` and are missed.
    - Logging ``str(exc)`` or ``repr(exc)``: neither mentions the chain.
      ``traceback.format_exception(exc)`` (what ``logger.exception`` prints)
      includes every link.

Key takeaways:
    - ``raise New(...) from exc`` sets ``New.__cause__ = exc`` and
      ``__suppress_context__ = True``; ``__context__`` is set too, as for any
      exception raised while another is being handled.
    - Raising inside ``except`` (or ``finally``) without ``from`` sets only
      ``__context__``: implicit chaining, which Python does on its own.
    - ``from None`` sets ``__cause__ = None`` and ``__suppress_context__ =
      True``; the traceback then prints neither link.
    - The traceback prints ``__cause__`` under "The above exception was the
      direct cause of the following exception:", else an unsuppressed
      ``__context__`` under "During handling of the above exception, another
      exception occurred:".
    - ``exc.add_note(text)`` (3.11+) appends to ``exc.__notes__``; the notes
      are printed after the exception's message. Use it to add context
      (which item, which shard) without changing the exception's type.
    - Go: ``%w`` is explicit wrapping only, and ``errors.Unwrap`` returns the
      wrapped error (for a single ``%w``), like ``__cause__``; ``errors.Is``/``errors.As`` walk the
      chain, as ``find_in_chain`` does here. Python also chains implicitly.

What to look for in an answer:
    A strong candidate uses ``raise DomainError(...) from exc`` at layer
    boundaries, can name both attributes and both traceback sentences, uses
    ``from None`` only for noise, and maps the idea to Go's ``%w``. Follow-ups:
    - Does ``from None`` delete the original exception? (No: ``__context__``
      still holds it; only the display is suppressed.)
    - How do you test that an error was caused by a ``KeyError``? (Assert on
      ``exc.__cause__``, or walk the chain like ``errors.As``.)
    - Why is ``e`` undefined after ``except E as e:``? (Python deletes the
      name at the end of the handler: the exception holds its traceback,
      the traceback holds the frame, and the frame would hold the exception,
      a cycle. Keep it with another name if you need it. Storing exceptions
      in a list or a cache keeps every frame and its locals alive through
      ``__traceback__``, and more through ``__context__`` links.)
    - A handler's cleanup raises while the original error propagates: what
      does the caller get? (The new exception, with the original as its
      ``__context__``; the original is not lost, but it is no longer the one
      ``except`` clauses match on.)
"""

from __future__ import annotations

from typing import TypeVar

__all__ = [
    "ConfigError",
    "chain",
    "find_in_chain",
    "parse_all",
    "port_hidden",
    "port_implicit",
    "port_translated",
    "unwrap",
]

E = TypeVar("E", bound=BaseException)


class ConfigError(Exception):
    """A domain error: the configuration is unusable."""


def port_translated(config: dict[str, str]) -> int:
    """The fix: translate the KeyError and name it as the cause.

    >>> try:
    ...     port_translated({})
    ... except ConfigError as exc:
    ...     type(exc.__cause__).__name__, exc.__suppress_context__
    ('KeyError', True)
    """
    try:
        return int(config["port"])
    except KeyError as exc:
        raise ConfigError("missing setting 'port'") from exc  # break[no-from]  # break[from-none]


def port_implicit(config: dict[str, str]) -> int:
    """The pitfall: no ``from``; the KeyError is only the implicit ``__context__``.

    >>> try:
    ...     port_implicit({})
    ... except ConfigError as exc:
    ...     exc.__cause__, type(exc.__context__).__name__
    (None, 'KeyError')
    """
    try:
        return int(config["port"])
    except KeyError:
        raise ConfigError("missing setting 'port'")  # noqa: B904  (the pitfall shown)


def port_hidden(config: dict[str, str]) -> int:
    """``from None``: the traceback hides the KeyError, but ``__context__`` still holds it.

    >>> try:
    ...     port_hidden({})
    ... except ConfigError as exc:
    ...     exc.__cause__, exc.__suppress_context__, type(exc.__context__).__name__
    (None, True, 'KeyError')
    """
    try:
        return int(config["port"])
    except KeyError:
        raise ConfigError("missing setting 'port'") from None


def unwrap(exc: BaseException) -> BaseException | None:
    """The next exception the traceback would print, like Go's ``errors.Unwrap``.

    ``__cause__`` if set, otherwise ``__context__`` unless it is suppressed.
    """
    if exc.__cause__ is not None:
        return exc.__cause__
    if exc.__suppress_context__:
        return None
    return exc.__context__  # break[cause-only]


def chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and every exception below it, outermost first (stops on a cycle).

    Raising never makes a ``__context__`` cycle (CPython cuts it), but
    ``raise a from b`` after ``raise b from a`` makes a ``__cause__`` cycle.

    >>> try:
    ...     port_translated({"port": "http"})
    ... except ValueError as exc:
    ...     [type(e).__name__ for e in chain(exc)]
    ['ValueError']
    >>> try:
    ...     port_implicit({})
    ... except ConfigError as exc:
    ...     [type(e).__name__ for e in chain(exc)]
    ['ConfigError', 'KeyError']
    """
    seen: set[int] = set()
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        found.append(current)
        current = unwrap(current)
    return found


def find_in_chain(exc: BaseException, kind: type[E]) -> E | None:
    """The first exception of type ``kind`` in the chain, like Go's ``errors.As``.

    >>> try:
    ...     port_translated({})
    ... except ConfigError as exc:
    ...     find_in_chain(exc, KeyError)
    KeyError('port')
    """
    for link in chain(exc):
        if isinstance(link, kind):
            return link
    return None


def parse_all(values: list[str]) -> list[int]:
    """Parse every value; on failure, note which item failed without changing the type.

    >>> try:
    ...     parse_all(["1", "x"])
    ... except ValueError as exc:
    ...     exc.__notes__
    ['while parsing item 2 of 2']
    """
    parsed = []
    for index, value in enumerate(values):
        try:
            parsed.append(int(value))
        except ValueError as exc:
            exc.add_note(f"while parsing item {index + 1} of {len(values)}")  # break[zero-based]
            raise
    return parsed
