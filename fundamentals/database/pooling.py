"""database.pooling: a bounded connection pool with a checkout timeout, pool sizing
against ``max_connections``, and session- vs transaction-level pooling.

Holds ``Pool`` (opens connections lazily up to ``size``, hands them out, makes a
caller wait at most ``timeout`` seconds for one, and resets each on return),
``budget`` (do N app instances' pools fit the server's connection slots),
``starting_size`` (the database cores x 2 + spindles rule of thumb) and
``Pooler``, a model of what a PgBouncer-style pooler does with session state in
its two modes. Connections are whatever ``connect`` returns: sqlite3
connections in the page, psycopg connections in the engine tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, Literal, TypeVar

C = TypeVar("C")


class PoolTimeout(Exception):
    """No connection became free within the checkout timeout."""


class Pool(Generic[C]):
    """At most ``size`` connections, opened on demand and reused; ``acquire`` waits
    up to ``timeout`` seconds for one to be released, then raises PoolTimeout.

    >>> opened = []
    >>> pool = Pool(lambda: opened.append(1) or len(opened), size=2, timeout=0.01)
    >>> with pool.connection() as a:
    ...     pass
    >>> with pool.connection() as b:
    ...     pass
    >>> a == b, pool.created
    (True, 1)
    """

    def __init__(
        self,
        connect: Callable[[], C],
        size: int,
        timeout: float,
        reset: Callable[[C], None] | None = None,
    ) -> None:
        if size < 1:
            raise ValueError(f"size must be >= 1, got {size}")
        if timeout < 0:
            raise ValueError(f"timeout must be >= 0, got {timeout}")
        self._connect = connect
        self._reset = reset
        self.size = size
        self.timeout = timeout
        self._idle: list[C] = []
        self._busy: list[C] = []
        self._cond = threading.Condition()
        self.created = 0
        self.waiting = 0

    def acquire(self, timeout: float | None = None) -> C:
        """A free connection (opening one if fewer than ``size`` exist); waits up to
        ``timeout`` (default: the pool's) for a release, else PoolTimeout."""
        limit = self.timeout if timeout is None else timeout
        with self._cond:
            self.waiting += 1
            try:
                got = self._cond.wait_for(
                    lambda: self._idle or self.created < self.size,  # break[unbounded]
                    limit,
                )
                if not got:
                    raise PoolTimeout(f"no connection free within {limit} s (size {self.size})")
                if self._idle:
                    conn = self._idle.pop()  # most recently used: its caches are warm
                else:
                    conn = self._connect()
                    self.created += 1
                self._busy.append(conn)
                return conn
            finally:
                self.waiting -= 1

    def release(self, conn: C) -> None:
        """Give ``conn`` back and wake one waiter; ValueError if it is not checked out.

        ``reset`` (if given) runs first, e.g. a rollback of a transaction the request
        left open; a connection whose reset raises is discarded, not reused."""
        with self._cond:
            if not any(c is conn for c in self._busy):
                raise ValueError("release() of a connection this pool did not hand out")
            self._busy = [c for c in self._busy if c is not conn]
            try:
                if self._reset is not None:
                    self._reset(conn)  # break[no-reset]
            except Exception:
                self.created -= 1  # broken: drop it, a later acquire opens a new one
            else:
                self._idle.append(conn)
            self._cond.notify()  # break[no-wakeup]

    @contextmanager
    def connection(self, timeout: float | None = None) -> Iterator[C]:
        """Check a connection out for the ``with`` block; it is returned even on error."""
        conn = self.acquire(timeout)
        try:
            yield conn
        finally:
            self.release(conn)

    def _check(self) -> None:
        with self._cond:
            assert len(self._idle) + len(self._busy) == self.created <= self.size


def budget(instances: int, pool_size: int, max_connections: int, reserved: int = 3) -> int:
    """Connection slots left when ``instances`` app processes each fill a pool of
    ``pool_size``; ValueError if they do not fit in ``max_connections - reserved``
    (PostgreSQL keeps ``superuser_reserved_connections``, 3 by default, for superusers).

    >>> budget(instances=4, pool_size=20, max_connections=100)
    17
    """
    if min(instances, pool_size, max_connections) < 1 or reserved < 0:
        raise ValueError("instances, pool_size and max_connections must be >= 1")
    left = max_connections - reserved - instances * pool_size
    if left < 0:
        raise ValueError(
            f"{instances} x {pool_size} = {instances * pool_size} connections exceed"
            f" {max_connections - reserved} available slots"
        )
    return left


def starting_size(cores: int, spindles: int = 0) -> int:
    """HikariCP's rule of thumb (credited there to the PostgreSQL wiki) for the active
    connections one database serves well: the *database server's* physical cores
    (not hyper-threads) x 2 + effective spindles. It is the total across every
    client of that database, not a per-instance pool size. A starting point to
    measure from, not a law.

    >>> starting_size(cores=8)
    16
    """
    if cores < 1 or spindles < 0:
        raise ValueError(f"need cores >= 1 and spindles >= 0, got {cores} and {spindles}")
    return cores * 2 + spindles


class Pooler(Generic[C]):
    """A server-side pooler between clients and a few server connections.

    ``session`` mode pins a client to one server connection until it leaves, so its
    ``SET``, temporary tables and prepared statements stay. ``transaction`` mode
    hands a server connection out per transaction and takes it back at COMMIT, so
    the next transaction may run on another connection, and session state set by
    one client is seen by whichever client gets that connection next.
    """

    def __init__(self, servers: list[C], mode: Literal["session", "transaction"]) -> None:
        if mode not in ("session", "transaction"):
            raise ValueError(f"mode must be 'session' or 'transaction', got {mode!r}")
        if not servers:
            raise ValueError("a pooler needs at least one server connection")
        self.mode = mode
        self._free = list(servers)
        self._held: dict[str, C] = {}

    def begin(self, client: str) -> C:
        """The server connection ``client``'s next transaction runs on."""
        if client in self._held:
            return self._held[client]
        if not self._free:
            raise PoolTimeout("every server connection is held")
        conn = self._free.pop()  # last released first, as PgBouncer does by default
        self._held[client] = conn
        return conn

    def commit(self, client: str) -> None:
        """End ``client``'s transaction; in transaction mode the connection goes back."""
        if client not in self._held:
            raise ValueError(f"{client!r} has no transaction open")
        if self.mode == "transaction":
            self._free.append(self._held.pop(client))  # break[sticky-transactions]

    def leave(self, client: str) -> None:
        """``client`` disconnects; a session-mode connection goes back to the pool."""
        if client in self._held:
            self._free.append(self._held.pop(client))
