"""database.locking: row locks, SKIP LOCKED queues, deadlocks and optimistic concurrency.

Holds the SQL the PostgreSQL tests run on connections passed in (``claim_job``,
``lock_waits``, ``wait_until_blocked``), the lock order that prevents deadlocks
(``lock_order``), and optimistic concurrency with a version column
(``save_if_unchanged``), shown on sqlite3 so it runs everywhere.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable
from typing import Any, Protocol

DEADLOCK_DETECTED = "40P01"  # PostgreSQL's SQLSTATE for a deadlock victim
LOCK_NOT_AVAILABLE = "55P03"  # raised when lock_timeout or NOWAIT gives up


class Connection(Protocol):
    """The part of a PostgreSQL connection (psycopg 3) this module uses."""

    def execute(self, query: Any, params: Any = ..., /) -> Any: ...


def claim_job(conn: Connection) -> int | None:
    """Lock and return the oldest ready job no other transaction holds, or None.
    The caller's transaction keeps the row locked until it commits."""
    row = conn.execute(
        "SELECT id FROM jobs WHERE state = 'ready' ORDER BY id LIMIT 1"
        " FOR UPDATE SKIP LOCKED"  # skip rows other workers hold instead of waiting
    ).fetchone()
    return None if row is None else int(row[0])


def lock_waits(observer: Connection, pid: int) -> list[tuple[str, str]]:
    """The locks backend ``pid`` is waiting for, as (locktype, mode), from ``pg_locks``."""
    rows = observer.execute(
        "SELECT locktype, mode FROM pg_locks WHERE pid = %s AND NOT granted", (pid,)
    ).fetchall()
    return [(str(kind), str(mode)) for kind, mode in rows]


def wait_until_blocked(
    observer: Connection,
    pid: int,
    deadline: float = 5.0,
    clock: Callable[[], float] = time.monotonic,
) -> list[tuple[str, str]]:
    """Poll ``pg_locks`` until backend ``pid`` waits for a lock, and return what it
    waits for; raise TimeoutError if it does not within ``deadline`` seconds, so a
    broken test fails instead of hanging."""
    if deadline <= 0:
        raise ValueError(f"deadline must be positive, got {deadline}")
    give_up = clock() + deadline
    while True:
        waits = lock_waits(observer, pid)
        if waits:
            return waits
        if clock() > give_up:  # break[poll-forever]
            raise TimeoutError(f"backend {pid} never waited for a lock in {deadline} s")
        observer.execute("SELECT pg_sleep(0.005)")  # poll interval, not a wait for the state


def lock_order(ids: Iterable[int]) -> list[int]:
    """The order in which a transaction should lock rows ``ids``: one global order
    (ascending id) for every transaction, so no two wait for each other in a cycle.

    >>> lock_order([7, 3, 5])
    [3, 5, 7]
    """
    return sorted(set(ids))  # break[caller-order]: the same order for every caller


def transfer_statements(source: int, target: int, amount: int) -> list[tuple[str, tuple[int, int]]]:
    """The UPDATEs of a transfer, issued in ``lock_order`` whichever way money moves.

    >>> [params for _, params in transfer_statements(2, 1, 10)]
    [(10, 1), (-10, 2)]
    """
    if source == target:
        raise ValueError(f"a transfer needs two accounts, got {source} twice")
    if amount <= 0:
        raise ValueError(f"amount must be positive, got {amount}")
    delta = {source: -amount, target: amount}
    sql = "UPDATE accounts SET balance = balance + %s WHERE id = %s"
    return [(sql, (delta[i], i)) for i in lock_order([source, target])]


def make_documents(conn: sqlite3.Connection) -> None:
    """Create ``documents(id, body, version)`` for the optimistic-concurrency demo."""
    conn.execute(
        "CREATE TABLE documents (id INTEGER PRIMARY KEY, body TEXT NOT NULL,"
        " version INTEGER NOT NULL DEFAULT 1)"
    )


def load(conn: sqlite3.Connection, doc_id: int) -> tuple[str, int]:
    """(body, version) of a document; KeyError if there is none."""
    row = conn.execute("SELECT body, version FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        raise KeyError(doc_id)
    return str(row[0]), int(row[1])


def save_if_unchanged(conn: sqlite3.Connection, doc_id: int, body: str, read_version: int) -> bool:
    """Write ``body`` only if the row still has the version the writer read; True if
    it did. A False means someone saved in between: reload and retry, or report it.

    >>> conn = sqlite3.connect(":memory:")
    >>> make_documents(conn)
    >>> _ = conn.execute("INSERT INTO documents (id, body) VALUES (1, 'draft')")
    >>> save_if_unchanged(conn, 1, "mine", 1), save_if_unchanged(conn, 1, "theirs", 1)
    (True, False)
    >>> conn.close()
    """
    cursor = conn.execute(
        "UPDATE documents SET body = ?, version = version + 1"
        " WHERE id = ? AND version = ?",  # break[no-version-check]: stale write is a no-op
        (body, doc_id, read_version),
    )
    conn.commit()
    return cursor.rowcount == 1
