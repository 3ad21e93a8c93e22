"""``__new__`` makes the object, ``__init__`` fills it; immutables need ``__new__``, caches re-init.

Why interviewers ask this:
    "What is the difference between ``__new__`` and ``__init__``?" is asked
    to see whether a candidate knows what ``Cls(...)`` really does:
    ``type.__call__`` calls ``Cls.__new__(Cls, ...)`` for an object, then
    ``__init__`` on it, but only if the object's real type is ``Cls`` or
    a subclass of it.
    Every follow-up (subclassing ``str``, caching instances, singletons,
    pickling) falls out of that one rule. The singleton design itself is
    lesson ``patterns.singleton``; this one is the mechanics.

Common pitfalls:
    - Customising an immutable type in ``__init__``: by then the value is
      fixed. ``BrokenPoint(1, 2)`` (a ``tuple`` subclass with ``__init__(x,
      y)``) raises ``TypeError: tuple expected at most 1 argument, got 2``
      from ``tuple.__new__``, before ``__init__`` runs; ``BrokenSlug("Hello
      World")`` computes a slug in ``__init__`` and still equals ``"Hello
      World"``. ``super().__init__(value)`` there is a ``TypeError`` too
      (``object.__init__() takes exactly one argument``).
    - Caching instances in ``__new__`` while keeping an ``__init__``:
      ``CachedClient("db")`` returns the cached object, then ``__init__``
      runs on it again, opening another connection and resetting its
      ``sent`` counter on every call.
    - ``__new__`` returning something that is not an instance of the class
      (a plain ``int``, ``None``, a proxy): ``__init__`` is silently
      skipped, so whatever it sets is missing. A proxy whose ``__class__``
      claims to be ``Cls`` passes ``isinstance`` and still gets no
      ``__init__``.
    - Passing the constructor arguments on to ``object.__new__``
      (``super().__new__(cls, *args)``): a class that overrides ``__new__``
      gets ``TypeError: object.__new__() takes exactly one argument``.
    - An interned class that pickles or copies by default: protocol 2+
      (and ``copy``) rebuild it with ``cls.__new__(cls)`` and no arguments,
      a ``TypeError`` for ``__new__(cls, code)``; protocols 0 and 1 refuse
      a ``__slots__`` class without ``__getstate__`` at ``dumps``.
      ``Currency.__reduce__`` makes pickle and ``copy`` call
      ``Currency(code)``, which returns the interned object.

Key takeaways:
    - ``__new__`` is an implicit static method taking ``cls``; it returns
      the object. ``__init__`` returns ``None`` and can only mutate.
    - ``type.__call__`` runs ``__init__`` when ``type(obj)`` is ``cls`` or
      a subclass (CPython's ``PyObject_TypeCheck``, not ``isinstance``: a
      faked ``__class__`` or an ``__instancecheck__`` is ignored): an
      existing object gets it again; an instance of a subclass gets the
      *subclass's* ``__init__``; anything else gets none.
    - ``int``, ``str``, ``tuple``, ``bytes``, ``frozenset`` have no
      ``__init__`` of their own (it is ``object.__init__``): subclasses set
      their value in ``__new__`` (``Point``, ``Slug``, ``Port``); ``__init__``
      can still validate or add attributes, never change the value.
    - Fixes for the caching bug, by taste: no ``__init__`` at all, all work
      in ``__new__`` (``Currency``, a flyweight); a plain constructor plus a
      caching classmethod (``Client.shared``) or a ``functools.cache``
      factory (``client_for``); a guard in ``__init__`` (``GuardedClient``);
      or one module-level instance (``patterns.singleton``).
    - Java: a constructor cannot return another object: ``new Client()``
      is always a fresh ``Client`` or an exception, which is why caching
      goes through static factories (``Integer.valueOf`` always caches
      -128..127, per its Javadoc; the JLS requires boxing in that range to
      give the same object). Go has no constructors:
      ``NewClient(host) (*Client, error)`` is an ordinary function that may
      return a cached pointer, an interface or an error.

What to look for in an answer:
    The two-step protocol, who calls what, the real-type rule, and a
    concrete case for ``__new__`` (immutable subclass, interning), with a
    preference for a factory over ``__new__`` tricks. Follow-ups:
    - ``int("7")`` passes ``"7"`` to ``object.__init__`` too: why no
      ``TypeError``? (``int.__new__`` builds the value; ``object.__init__``
      ignores extra arguments when the type overrides ``__new__`` and not
      ``__init__``, and raises when ``__init__`` is overridden.)
    - Is the interning in ``Currency`` thread-safe? (``setdefault`` makes
      check-and-insert one dict call, so racing threads return whichever
      object was stored first; in CPython that holds because the dict
      operation is atomic for ``str`` keys, an implementation detail; the
      free-threaded 3.13t build keeps it atomic with a per-dict lock.)
    - Is ``Currency`` really immutable? (``__setattr__`` and
      ``__delattr__`` refuse, so ``usd.code = ...`` and ``del usd.code``
      raise; ``object.__setattr__(usd, "code", ...)`` still gets through,
      the same escape hatch ``dataclass(frozen=True)`` uses in its own
      ``__init__``. Python has no hard immutability for user classes.)
    - How do you stop an interning cache growing forever? (A bounded key
      space, like ISO currency codes; otherwise a
      ``weakref.WeakValueDictionary``, which needs a ``__weakref__`` slot.)
    - Metaclass ``__call__`` vs ``__new__``? (A metaclass ``__call__`` can
      skip ``__init__`` for cached objects, at the cost of a metaclass.)

Complexity:
    ``Currency(code)``: one ``upper()`` and one dict lookup once interned.
"""

from __future__ import annotations

import functools
import re
from typing import Any, ClassVar, NoReturn

__all__ = [
    "BrokenPoint",
    "BrokenSlug",
    "CachedClient",
    "Client",
    "Connection",
    "Currency",
    "GuardedClient",
    "Point",
    "Port",
    "Slug",
    "client_for",
]


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class BrokenPoint(tuple[float, float]):
    """The pitfall: ``tuple.__new__`` gets ``(x, y)`` and refuses two arguments."""

    def __init__(self, x: float, y: float) -> None:
        super().__init__()


class Point(tuple[float, float]):
    """The fix: build the tuple in ``__new__``.

    >>> p = Point(1, 2)
    >>> p, p.x, isinstance(p, tuple)
    ((1, 2), 1, True)
    """

    def __new__(cls, x: float, y: float) -> Point:
        return super().__new__(cls, (x, y))

    @property
    def x(self) -> float:
        """The first coordinate."""
        return self[0]


class BrokenSlug(str):
    """The pitfall: by ``__init__`` the string is fixed; the slug is computed and thrown away."""

    def __init__(self, text: str) -> None:
        text = _slugify(text)  # rebinding a local: the str value is already "Hello World"


class Slug(str):
    """The fix: normalise before the string exists.

    >>> Slug("Hello, World!")
    'hello-world'
    """

    def __new__(cls, text: str) -> Slug:
        return super().__new__(cls, _slugify(text))  # break[slug-in-init]


class Port(int):
    """An ``int`` that is a valid TCP port: checked once, in ``__new__``.

    >>> Port("8080") + 1
    8081
    """

    def __new__(cls, value: int | str) -> Port:
        port = super().__new__(cls, value)
        if not 1 <= port <= 65535:
            raise ValueError(f"port out of range: {value!r}")
        return port


class Connection:
    """A stand-in for a socket; ``opened`` counts every connection ever made."""

    opened: ClassVar[int] = 0

    def __init__(self, host: str) -> None:
        Connection.opened += 1
        self.host = host


class CachedClient:
    """The pitfall: one object per host from ``__new__``, but ``__init__`` re-runs on each call."""

    _by_host: ClassVar[dict[str, CachedClient]] = {}

    def __new__(cls, host: str) -> CachedClient:
        client = cls._by_host.get(host)
        if client is None:
            client = cls._by_host[host] = super().__new__(cls)
        return client

    def __init__(self, host: str) -> None:
        self.connection = Connection(host)  # another connection per call...
        self.sent = 0  # ...and the shared object's counter back to zero

    def send(self) -> None:
        """Pretend to send a request."""
        self.sent += 1


class GuardedClient(CachedClient):
    """Fix by guard: ``__init__`` returns early once this object was set up."""

    _by_host: ClassVar[dict[str, CachedClient]] = {}

    def __init__(self, host: str) -> None:
        if "connection" in vars(self):  # break[no-guard]
            return
        super().__init__(host)


class Client:
    """Fix by factory: ``Client(host)`` is an ordinary constructor, ``Client.shared`` caches."""

    _shared: ClassVar[dict[str, Client]] = {}

    def __init__(self, host: str) -> None:
        self.connection = Connection(host)
        self.sent = 0

    @classmethod
    def shared(cls, host: str) -> Client:
        """The one cached client for ``host``, created on first use."""
        client = cls._shared.get(host)
        if client is None:
            client = cls._shared[host] = cls(host)
        return client

    def send(self) -> None:
        """Pretend to send a request."""
        self.sent += 1


@functools.cache
def client_for(host: str) -> Client:
    """Fix by cached factory: the same ``Client`` per host, ``__init__`` run once."""
    return Client(host)


class Currency:
    """A flyweight: ``Currency("usd") is Currency("USD")``; immutable; no ``__init__`` to re-run.

    >>> Currency("usd") is Currency("USD"), Currency("eur")
    (True, Currency('EUR'))
    """

    __slots__ = ("code",)
    code: str
    _interned: ClassVar[dict[str, Currency]] = {}

    def __new__(cls, code: str) -> Currency:
        key = code.upper()
        found = cls._interned.get(key)
        if found is not None:
            return found
        if not re.fullmatch(r"[A-Z]{3}", key):
            raise ValueError(f"not an ISO 4217 code: {code!r}")
        obj = super().__new__(cls)  # break[args-to-object-new]
        object.__setattr__(obj, "code", key)
        return cls._interned.setdefault(key, obj)  # break[check-then-store]

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> NoReturn:  # break[no-delattr]
        raise AttributeError(f"{type(self).__name__} is immutable")  # del breaks the shared object

    def __reduce__(self) -> tuple[type[Currency], tuple[str]]:  # break[default-pickle]
        return (Currency, (self.code,))  # pickle and copy call Currency(code): interned again

    def __repr__(self) -> str:
        return f"Currency({self.code!r})"
