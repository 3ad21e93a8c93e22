"""Singleton: racing threads make one instance only with a lock; a module is often the better one.

Why interviewers ask this:
    "Implement a singleton" is a warm-up that separates candidates quickly.
    The weak answer is a ``__new__`` override with ``if cls._instance is
    None``; the strong one notices that check-then-create is a race between
    threads, fixes it with a lock (double-checked so the common path stays
    cheap), then says that in Python a module-level object usually does the
    job, and that global instances make tests leak state into each other.

Common pitfalls:
    - Check-then-create without a lock (``UnsafeLazy``): two threads can both
      see "no instance yet" and both construct one. The window is the whole
      constructor, so a slow constructor (opening a pool, reading config)
      makes it wide. The GIL does not help: it protects bytecodes, not your
      two-step check and assignment.
    - Double-checked locking without the second check inside the lock: the
      thread that waited on the lock constructs a second instance anyway.
    - ``None`` as the "not created yet" marker: a factory that legitimately
      returns ``None`` (no config file, feature off) is re-run on every call.
      Use a private sentinel object instead.
    - A lock created inside the method (``with threading.Lock():``) protects
      nothing: each caller gets its own lock.
    - ``__new__``-based singletons still run ``__init__`` on every ``Cls()``
      call, silently resetting the state the "one instance" holds
      (``NewSingleton``).
    - Tests that share a global instance leak state into each other: one test
      enables a flag and a later test, run in that order only, sees it.
      ``from module import instance`` also keeps a stale reference after a
      reset rebinds the global: call an accessor instead.

Key takeaways:
    - ``Lazy`` (double-checked locking) creates exactly one instance even
      when a second thread passes the outer check while the first is still
      constructing; ``UnsafeLazy`` creates two under the same interleaving.
    - A module's top level runs once per interpreter: later imports, even
      from a thread that arrives while the first one is still running the
      module body, get the cached module from ``sys.modules``. The import
      system does double-checked locking itself (``_find_and_load`` in
      ``importlib._bootstrap``, 3.11-3.13: look in ``sys.modules``, take the
      module's lock, look again). ``importlib.reload`` runs the body again
      and builds a new object, so "one per process" is a convention of the
      import system, not a guarantee of the language.
    - For tests, prefer dependency injection (pass the object in, default to
      the shared one) or an explicit reset hook; both make each test start
      from a fresh instance.
    - Java: an ``enum`` singleton or the holder-class idiom (class
      initialisation is thread-safe by the JVM spec); double-checked locking
      there needs a ``volatile`` field. Go: ``sync.Once`` (or
      ``sync.OnceValue`` since 1.21) is the idiom.

What to look for in an answer:
    A strong candidate names the race (check-then-act), adds a lock and the
    second check, explains why the outer check exists (no lock on the hot
    path once created), then questions the pattern: a module attribute, a
    ``functools.cache``-decorated factory, or injecting one instance from the
    composition root. Follow-ups:
    - Is ``@functools.cache`` on a zero-argument factory a thread-safe
      singleton? (It returns one cached value afterwards, but two threads
      racing on the first call may both run the factory: the cache does not
      hold a lock during the call.)
    - Why is the outer, unlocked check safe in CPython? (Reading and writing
      one attribute is atomic with respect to other threads, and the
      instance is assigned only after construction completes; Java needs
      ``volatile`` for the same guarantee.)
    - How do you test code that uses a singleton? (Inject it; or reset it in
      a fixture; never rely on test order.)
    - What about ``fork``? (The child gets a copy of the instance, including
      locks possibly held by another thread at fork time; re-create
      connections after fork, e.g. ``os.register_at_fork``.)
    - gunicorn with ``--preload``: the app module is imported in the master
      and the workers are forked from it. What happens to a module-level
      database client that connected at import? (Every worker inherits a
      copy of the object and the same open socket, so the workers interleave
      their queries and read each other's replies on one connection. Create
      connections after fork: lazily on first use in the worker (``Lazy``
      first called there), or in gunicorn's ``post_fork`` hook. Without
      ``--preload`` each worker imports the app itself, after the fork.)
    - Lazy initialisation in asyncio code (an HTTP session, a pool)? (The
      factory is a coroutine, so ``Lazy`` does not fit: use an
      ``asyncio.Lock`` with the same double check inside ``async with``.
      Holding a ``threading.Lock`` across an ``await`` blocks the loop's
      only thread, and a second task that tries it deadlocks the loop. An
      ``asyncio.Lock`` belongs to one loop: the first time a task has to
      wait on it, it binds to that loop, and a later wait from another loop
      raises ``RuntimeError``, so make one per loop, e.g. per
      ``asyncio.run`` in tests.)

Complexity:
    ``Lazy.get``: O(1); after creation, one unlocked attribute read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import ClassVar, Final, Generic, TypeVar, cast

__all__ = [
    "FeatureFlags",
    "Lazy",
    "NewSingleton",
    "UnsafeLazy",
    "get_flags",
    "greeting",
    "reset_flags",
]

T = TypeVar("T")

# "Not created yet". Not None: None is a value a factory may return.
_UNSET: Final = object()  # break[none-as-sentinel]


class UnsafeLazy(Generic[T]):
    """The pitfall: create on first ``get`` with check-then-create and no lock.

    >>> lazy = UnsafeLazy(object)
    >>> lazy.get() is lazy.get()  # fine with one thread
    True
    """

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._instance: T | object = _UNSET

    def get(self) -> T:
        """Return the instance, creating it if no one has yet (racy)."""
        if self._instance is _UNSET:
            self._instance = self._factory()
        return cast("T", self._instance)


class Lazy(Generic[T]):
    """The fix: double-checked locking; ``factory`` succeeds once, even if it returns None.

    A factory call that raised stores nothing, so the next ``get`` retries it.
    ``lock`` is injectable so tests can observe a thread waiting on it.

    >>> lazy = Lazy(object)
    >>> lazy.get() is lazy.get()
    True
    """

    def __init__(
        self,
        factory: Callable[[], T],
        lock: AbstractContextManager[object] | None = None,
    ) -> None:
        self._factory = factory
        self._lock: AbstractContextManager[object] = lock if lock is not None else threading.Lock()
        self._instance: T | object = _UNSET

    def get(self) -> T:
        """Return the instance; O(1), lock-free once created."""
        instance = self._instance  # fast path: no lock once created
        if instance is _UNSET:  # break[always-lock]
            with self._lock:  # break[lock-per-call]
                instance = self._instance  # break[no-second-check]
                if instance is _UNSET:
                    instance = self._factory()
                    self._instance = instance
        return cast("T", instance)


class NewSingleton:
    """The ``__new__`` pitfall: one object, but ``__init__`` re-runs on every call."""

    _instance: ClassVar[NewSingleton | None] = None

    def __new__(cls) -> NewSingleton:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __init__(self) -> None:
        self.settings: dict[str, str] = {}  # wiped by every NewSingleton() call


class FeatureFlags:
    """A small stateful service, the kind that gets made a global."""

    def __init__(self) -> None:
        self._enabled: set[str] = set()

    def enable(self, name: str) -> None:
        """Turn a flag on."""
        self._enabled.add(name)

    def is_enabled(self, name: str) -> bool:
        """Whether the flag is on."""
        return name in self._enabled


_flags = FeatureFlags()  # the module-level singleton: created once, at import


def get_flags() -> FeatureFlags:
    """The accessor: always the current shared instance (survives ``reset_flags``)."""
    return _flags


def reset_flags() -> None:
    """Test hook: replace the shared instance with a fresh one."""
    global _flags  # break[reset-binds-a-local]
    _flags = FeatureFlags()


def greeting(name: str, flags: FeatureFlags | None = None) -> str:
    """Greet ``name``; the shared flags by default, injected ones when given.

    >>> greeting("Ada", FeatureFlags())
    'Hello, Ada'
    """
    flags = flags if flags is not None else get_flags()
    return f"Hey {name}!" if flags.is_enabled("casual") else f"Hello, {name}"
