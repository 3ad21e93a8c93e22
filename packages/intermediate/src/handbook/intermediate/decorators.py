"""Decorators: ``functools.wraps``, decorator factories, stacking order and class decorators.

Why interviewers ask this:
    "Write a retry decorator" is a standard live-coding warm-up, and it tests
    more than it seems: closures, ``*args/**kwargs`` forwarding, what
    ``@functools.wraps`` preserves, the extra level of nesting a decorator
    *with arguments* needs, and in which order stacked decorators run (auth
    above or below a cache is a real production bug). Class decorators
    (registries, added methods) show whether a candidate knows a decorator is
    just ``name = deco(name)`` applied to any object.

Common pitfalls:
    - Omitting ``@functools.wraps(func)``: the wrapper keeps its own
      ``__name__`` (``"wrapper"``) and ``__doc__`` (None), has no
      ``__wrapped__``, and ``inspect.signature`` reports ``(*args, **kwargs)``.
      Logs, ``help()``, pytest fixtures and web routers keyed by name all see
      the wrong function.
    - ``@retry`` where ``@retry()`` or ``@retry(times=3)`` was meant: the
      function is passed to the *factory* as ``times``, and the decorated name
      is bound to the inner ``decorate`` function. Unless the factory checks
      its options (``retry`` does, ``retry_unguarded`` does not), nothing
      fails at definition; the first call fails or returns a function
      instead of a result.
    - Reading a stack of decorators as "top runs last": the one nearest the
      ``def`` is applied first, so it ends up innermost; at call time the
      top one runs first and returns last.
    - A class decorator that forgets ``return cls`` (the name becomes None), or
      that returns a wrapper function (``isinstance(x, Cls)`` then raises
      ``TypeError`` because ``Cls`` is no longer a class).

Key takeaways:
    - ``@deco`` above ``def f`` is equivalent to ``f = deco(f)``, run once,
      at definition time, with two differences: the decorator expression is
      evaluated *before* the ``def``, and ``f`` is never bound to the
      undecorated function. A decorator with arguments is a factory:
      ``f = factory(args)(f)``: three levels of functions.
    - ``functools.wraps`` copies ``__module__``, ``__name__``,
      ``__qualname__``, ``__doc__``, ``__annotations__`` (and ``__type_params__``
      on 3.12+), updates ``__dict__`` and sets ``__wrapped__``;
      ``inspect.signature`` follows ``__wrapped__`` to report the real
      signature.
    - ``@a`` over ``@b`` over ``def f`` is ``f = a(b(f))``: the expressions
      are evaluated top-down (``a`` then ``b``), applied bottom-up (``b``
      first, so it runs innermost); ``a`` sees every call first.
    - A class decorator receives the class and should return it (possibly
      modified, possibly registered), so it stays a class.
    - Go has no decorators: the same idea is a higher-order function
      (``func Logged(h http.HandlerFunc) http.HandlerFunc``) or middleware
      chaining, where the order is just as significant. Java's closest
      relatives are annotations read by a framework (Spring AOP proxies).

What to look for in an answer:
    A strong candidate writes a retry decorator with ``wraps``, forwards
    ``*args, **kwargs``, re-raises the last exception after the final attempt,
    only catches the exceptions it was told to, and can explain the extra
    nesting for arguments. Follow-ups:
    - How do you make ``@retry`` work both with and without parentheses?
      (Accept ``func=None`` plus keyword-only options; if ``func`` is given,
      decorate it at once, else return the decorator: ``retry_either``.)
    - Your cache and your permission check are both decorators; which goes on
      top? (The check: if the cache is outermost and its key does not include
      the caller's identity, a cached answer is returned to a caller who never
      passes the check.)
    - Add exponential backoff with jitter; how do you test it without
      sleeping? (Inject ``sleep`` and a seeded ``random.Random`` as
      parameters, record the delays a fake ``sleep`` was given and assert on
      them. Retry only idempotent operations: a retried non-idempotent POST
      can charge a card twice.)
    - Does your retry work on an ``async def``? (No, and nothing fails: the
      sync wrapper returns the coroutine at once, and the exception comes out
      at ``await``, outside the ``try``, after one attempt. Write an
      ``async def`` wrapper that awaits inside the loop, or dispatch on
      ``inspect.iscoroutinefunction``.)
    - Why does my decorator break on methods? (A function wrapper works on a
      method because functions are descriptors: ``obj.method`` binds
      ``self``. A class with ``__call__`` used as a decorator is not a
      descriptor, so ``self`` is never passed unless it defines ``__get__``
      returning a bound version, e.g. ``functools.partial(self, obj)``.)
    - How does a test reach the undecorated function? (``f.__wrapped__``,
      which ``wraps`` sets; ``inspect.unwrap`` follows the whole chain.)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar, overload

__all__ = [
    "REGISTRY",
    "FlakyService",
    "Greeter",
    "counted",
    "counted_without_wraps",
    "make_fetch",
    "register",
    "retry",
    "retry_either",
    "retry_unguarded",
    "trace",
    "traced_handler",
    "with_repr",
]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def counted_without_wraps(func: Callable[P, R]) -> Callable[P, R]:
    """The pitfall: a call counter whose wrapper hides the wrapped function.

    >>> def area(width: int, height: int) -> int:
    ...     "Width times height."
    ...     return width * height
    >>> plain = counted_without_wraps(area)
    >>> plain(2, 3), plain.__name__, plain.__doc__
    (6, 'wrapper', None)
    """

    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        wrapper.calls += 1  # type: ignore[attr-defined]
        return func(*args, **kwargs)

    wrapper.calls = 0  # type: ignore[attr-defined]
    return wrapper


def counted(func: Callable[P, R]) -> Callable[P, R]:
    """The fix: the same counter with ``functools.wraps``, so it looks like ``func``.

    The counter is not thread-safe: ``wrapper.calls += 1`` is a read then a
    write, so two threads can lose an update; guard it with a lock if
    threads call the function.

    >>> import inspect
    >>> def area(width: int, height: int) -> int:
    ...     "Width times height."
    ...     return width * height
    >>> wrapped = counted(area)
    >>> wrapped(2, 3), wrapped.__name__, wrapped.__doc__
    (6, 'area', 'Width times height.')
    >>> list(inspect.signature(wrapped).parameters), wrapped.__wrapped__ is area
    (['width', 'height'], True)
    """

    @functools.wraps(func)  # break[no-wraps]
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        wrapper.calls += 1  # type: ignore[attr-defined]
        return func(*args, **kwargs)

    wrapper.calls = 0  # type: ignore[attr-defined]
    return wrapper


def retry_unguarded(
    times: int = 3, exceptions: tuple[type[Exception], ...] = (ConnectionError,)
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """The pitfall: a retry factory that trusts its options.

    Written as bare ``@retry_unguarded``, the function lands in ``times``,
    nothing fails at definition, and the name is bound to ``decorate``:

    >>> @retry_unguarded
    ... def ping() -> str:
    ...     return "pong"
    >>> ping.__name__
    'decorate'
    >>> ping()
    Traceback (most recent call last):
    ...
    TypeError: ...decorate() missing 1 required positional argument: 'func'
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == times:
                        raise
            raise AssertionError("unreachable: the loop returns or raises")

        return wrapper

    return decorate


def retry(
    times: int = 3, exceptions: tuple[type[Exception], ...] = (ConnectionError,)
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A decorator factory: retry ``exceptions`` up to ``times`` attempts, then re-raise.

    Use it *called*: ``@retry()`` or ``@retry(times=5)``. The options are
    checked when the factory is called, so the bare form fails at definition:

    >>> @retry
    ... def ping() -> str:
    ...     return "pong"
    Traceback (most recent call last):
    ...
    TypeError: retry() takes options, not a function; write @retry() or @retry(times=3)

    Raises TypeError when ``times`` is not an int, ValueError when it is below 1.
    """
    if not isinstance(times, int):  # the annotation is a promise, not a check
        if callable(times):  # type: ignore[unreachable]
            raise TypeError(
                "retry() takes options, not a function; write @retry() or @retry(times=3)"
            )
        raise TypeError(f"times must be an int, got {type(times).__name__}")
    if times < 1:
        raise ValueError(f"times must be at least 1, got {times}")
    return retry_unguarded(times, exceptions)


@overload
def retry_either(func: Callable[P, R], *, times: int = ...) -> Callable[P, R]: ...
@overload
def retry_either(
    func: None = ..., *, times: int = ...
) -> Callable[[Callable[P, R]], Callable[P, R]]: ...
def retry_either(
    func: Callable[P, R] | None = None, *, times: int = 3
) -> Callable[P, R] | Callable[[Callable[P, R]], Callable[P, R]]:
    """Works as ``@retry_either`` and as ``@retry_either(times=5)``.

    Options are keyword-only, so a positional argument can only be the function.

    >>> @retry_either
    ... def ping() -> str:
    ...     return "pong"
    >>> ping(), ping.__name__
    ('pong', 'ping')
    """
    decorate = retry(times)  # break[ignore-times]
    if func is None:
        return decorate
    return decorate(func)


def trace(label: str, log: list[str]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Record when the factory is evaluated, the decorator applied, the wrapper entered and left."""
    log.append(f"eval {label}")

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        log.append(f"apply {label}")

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            log.append(f"enter {label}")
            try:
                return func(*args, **kwargs)
            finally:
                log.append(f"leave {label}")

        return wrapper

    return decorate


def traced_handler(log: list[str]) -> Callable[[], str]:
    """Define a handler under two stacked ``trace`` decorators and return it.

    >>> log: list[str] = []
    >>> handler = traced_handler(log)
    >>> log
    ['eval outer', 'eval inner', 'apply inner', 'apply outer']
    >>> handler()
    'ok'
    >>> log[4:]
    ['enter outer', 'enter inner', 'body', 'leave inner', 'leave outer']
    """

    @trace("outer", log)
    @trace("inner", log)
    def handler() -> str:
        log.append("body")
        return "ok"

    return handler


REGISTRY: dict[str, type] = {}


def register(name: str) -> Callable[[type[T]], type[T]]:
    """A class decorator factory: record the class under ``name`` and return it unchanged.

    Raises ValueError when ``name`` is taken.
    """

    def decorate(cls: type[T]) -> type[T]:
        if name in REGISTRY:
            raise ValueError(f"{name!r} is already registered to {REGISTRY[name].__name__}")
        REGISTRY[name] = cls
        return cls  # break[forgot-return-cls]

    return decorate


class FlakyService:
    """Fails the first ``failures`` calls with ConnectionError, then answers."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def get(self, key: str) -> str:
        """Return ``"value:<key>"`` once the planned failures are used up."""
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionError(f"attempt {self.calls} failed")
        return f"value:{key}"


def make_fetch(service: FlakyService) -> Callable[[str], str]:
    """A fetch function that survives up to two failures in a row.

    >>> fetch = make_fetch(FlakyService(failures=2))
    >>> fetch("user:1")
    'value:user:1'
    """

    @retry(times=3)  # break[bare-retry]
    def fetch(key: str) -> str:
        return service.get(key)

    return fetch


def with_repr(cls: type[T]) -> type[T]:
    """A class decorator that adds a ``__repr__`` built from the instance's attributes."""

    def __repr__(self: object) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({fields})"

    cls.__repr__ = __repr__  # type: ignore[method-assign]
    return cls


@register("greeter")
@with_repr
class Greeter:
    """A registered class with an added ``__repr__``.

    >>> Greeter("Ada")
    Greeter(name='Ada')
    >>> REGISTRY["greeter"] is Greeter
    True
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def greet(self) -> str:
        """Return a greeting."""
        return f"hello, {self.name}"
