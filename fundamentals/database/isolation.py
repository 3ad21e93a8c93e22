"""database.isolation: the classic anomalies as scripted two-connection timelines, and
the retry loop that SERIALIZABLE needs.

The PostgreSQL timelines (``non_repeatable_read``, ``phantom``, ``lost_update``,
``write_skew``, ``dirty_read``) take two autocommit connections and step them in a
fixed order from one thread; no step ever waits for a lock, because each write
happens after the transaction it could conflict with has committed or touches another
row. The sqlite3 timelines show the same questions on an embedded engine that
serializes its writers. ``run_with_retry`` retries a unit of work on SQLSTATE 40001
and 40P01, the two errors PostgreSQL expects the client to retry.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

# 0 makes a lock wait an immediate "database is locked" instead of a wait.
BUSY_TIMEOUT = 0.0  # break[wait-for-locks]
LEVELS = ("READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE")
SERIALIZATION_FAILURE = "40001"
DEADLOCK_DETECTED = "40P01"
RETRYABLE = frozenset({SERIALIZATION_FAILURE, DEADLOCK_DETECTED})  # break[retry-constraint-errors]

T = TypeVar("T")


class Cursor(Protocol):
    def fetchone(self) -> Any: ...


class Connection(Protocol):
    """An autocommit DB-API connection with ``execute`` on the connection (psycopg 3)."""

    def execute(self, query: Any, params: Sequence[Any] | None = None) -> Cursor: ...


def begin(conn: Connection, level: str) -> None:
    """``BEGIN ISOLATION LEVEL level``; ValueError for a level SQL does not define."""
    if level not in LEVELS:
        raise ValueError(f"unknown isolation level {level!r}; expected one of {LEVELS}")
    conn.execute(f"BEGIN ISOLATION LEVEL {level}")


def _one(conn: Connection, query: str, params: Sequence[Any] = ()) -> int:
    return int(conn.execute(query, params).fetchone()[0])


def create_tables(conn: Connection) -> None:
    """Accounts (alice 100, bob 50) and two doctors on call, in the current schema."""
    conn.execute(
        "CREATE TABLE account (id text PRIMARY KEY, balance integer NOT NULL);"
        " INSERT INTO account VALUES ('alice', 100), ('bob', 50);"
        " CREATE TABLE doctor (name text PRIMARY KEY, on_call boolean NOT NULL);"
        " INSERT INTO doctor VALUES ('ann', true), ('ben', true)"
    )


def _abort(*conns: Connection) -> None:
    for conn in conns:
        conn.execute("ROLLBACK")  # a no-op warning when no transaction is open


def dirty_read(a: Connection, b: Connection, level: str) -> int:
    """B reads alice while A's uncommitted update is in flight; A then rolls back."""
    a.execute("BEGIN")
    a.execute("UPDATE account SET balance = 0 WHERE id = 'alice'")
    begin(b, level)
    seen = _one(b, "SELECT balance FROM account WHERE id = 'alice'")
    _abort(b, a)
    return seen


def non_repeatable_read(a: Connection, b: Connection, level: str) -> tuple[int, int]:
    """A reads alice twice; between the reads B commits a withdrawal."""
    begin(a, level)
    first = _one(a, "SELECT balance FROM account WHERE id = 'alice'")
    b.execute("UPDATE account SET balance = balance - 10 WHERE id = 'alice'")  # autocommit
    second = _one(a, "SELECT balance FROM account WHERE id = 'alice'")
    a.execute("COMMIT")
    return first, second


def phantom(a: Connection, b: Connection, level: str) -> tuple[int, int]:
    """A counts accounts holding at least 50 twice; between, B commits a new one."""
    begin(a, level)
    query = "SELECT count(*) FROM account WHERE balance >= 50"
    first = _one(a, query)
    b.execute("INSERT INTO account VALUES ('carol', 70)")
    second = _one(a, query)
    a.execute("COMMIT")
    return first, second


def lost_update(a: Connection, b: Connection, level: str, atomic: bool = False) -> int:
    """Both read alice, A deposits 10 and commits, then B deposits 20: from the value
    it read (read-modify-write in the client), or with ``atomic`` as
    ``balance = balance + 20`` in SQL. Returns alice's final balance; a
    serialization failure in B propagates after B is rolled back."""
    begin(a, level)
    begin(b, level)
    seen_a = _one(a, "SELECT balance FROM account WHERE id = 'alice'")
    seen_b = _one(b, "SELECT balance FROM account WHERE id = 'alice'")
    a.execute("UPDATE account SET balance = %s WHERE id = 'alice'", (seen_a + 10,))
    a.execute("COMMIT")
    try:
        if atomic:
            b.execute("UPDATE account SET balance = balance + 20 WHERE id = 'alice'")
        else:
            b.execute("UPDATE account SET balance = %s WHERE id = 'alice'", (seen_b + 20,))
        b.execute("COMMIT")
    except Exception:
        _abort(b)
        raise
    return _one(a, "SELECT balance FROM account WHERE id = 'alice'")


def write_skew(a: Connection, b: Connection, level: str) -> int:
    """Each doctor checks that two are on call and then goes off call; the checks
    read the same rows, the writes touch different ones. Returns how many are still
    on call; a serialization failure propagates after both are rolled back."""
    begin(a, level)
    begin(b, level)
    try:
        for conn, name in ((a, "ann"), (b, "ben")):
            if _one(conn, "SELECT count(*) FROM doctor WHERE on_call") >= 2:
                conn.execute("UPDATE doctor SET on_call = false WHERE name = %s", (name,))
        a.execute("COMMIT")
        b.execute("COMMIT")
    except Exception:
        _abort(a, b)
        raise
    return _one(a, "SELECT count(*) FROM doctor WHERE on_call")


def is_retryable(exc: BaseException) -> bool:
    """True for the errors a client should answer by running the transaction again."""
    return getattr(exc, "sqlstate", None) in RETRYABLE


def run_with_retry(work: Callable[[], T], attempts: int = 5) -> tuple[T, int]:
    """Run ``work`` until it returns, retrying retryable errors; returns
    ``(result, tries)``. Other errors, and the last retryable one, propagate.

    >>> class Conflict(Exception):
    ...     sqlstate = "40001"
    >>> outcomes = iter([Conflict(), Conflict(), "done"])
    >>> def work() -> str:
    ...     outcome = next(outcomes)
    ...     if isinstance(outcome, Exception):
    ...         raise outcome
    ...     return outcome
    >>> run_with_retry(work)
    ('done', 3)
    """
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    for attempt in range(1, attempts + 1):
        try:
            return work(), attempt
        except Exception as exc:
            if not is_retryable(exc) or attempt == attempts:  # break[give-up-at-once]
                raise
    raise AssertionError("unreachable")


# --- sqlite3 ------------------------------------------------------------------------


def open_sqlite(path: str, wal: bool) -> tuple[sqlite3.Connection, sqlite3.Connection]:
    """Two autocommit connections to a fresh file with ``counter(n)`` = 100, in WAL or
    rollback-journal mode; ``BUSY_TIMEOUT`` 0 turns any lock wait into an immediate
    ``sqlite3.OperationalError: database is locked``."""
    first = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    first.execute(f"PRAGMA journal_mode = {'wal' if wal else 'delete'}")  # break[no-wal]
    first.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
    first.execute("INSERT INTO counter VALUES (100)")
    return first, sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)


def sqlite_repeat_read(reader: sqlite3.Connection, writer: sqlite3.Connection) -> tuple[int, int]:
    """Reader reads twice in one transaction while the writer commits +1 in between
    (WAL mode: the reader keeps its snapshot)."""
    reader.execute("BEGIN")
    first = reader.execute("SELECT n FROM counter").fetchone()[0]
    writer.execute("UPDATE counter SET n = n + 1")
    second = reader.execute("SELECT n FROM counter").fetchone()[0]
    reader.execute("COMMIT")
    return int(first), int(second)


def sqlite_read_modify_write(
    a: sqlite3.Connection, b: sqlite3.Connection, begin_sql: str | None = "BEGIN"
) -> int:
    """A and B both read n and then write n + 1 from what they read, A first. With
    ``begin_sql=None`` each statement is its own transaction and B overwrites A's
    increment (a lost update). Inside transactions in WAL mode B's write from a
    stale snapshot raises ``database is locked`` (SQLITE_BUSY_SNAPSHOT). Returns
    the final value when nothing raised."""
    if begin_sql is not None:
        a.execute(begin_sql)
    seen_a = a.execute("SELECT n FROM counter").fetchone()[0]
    try:
        if begin_sql is not None:
            b.execute(begin_sql)
        seen_b = b.execute("SELECT n FROM counter").fetchone()[0]
        a.execute("UPDATE counter SET n = ?", (seen_a + 1,))
        if a.in_transaction:
            a.execute("COMMIT")
        b.execute("UPDATE counter SET n = ?", (seen_b + 1,))
        if b.in_transaction:
            b.execute("COMMIT")
    finally:
        for conn in (a, b):
            if conn.in_transaction:
                conn.execute("ROLLBACK")
    return int(a.execute("SELECT n FROM counter").fetchone()[0])
