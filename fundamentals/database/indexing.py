"""database.indexing: query plans that change from a scan to an index search.

Holds the sqlite3 helpers the page runs (a seeded ``orders`` table, the plan of a
query as ``EXPLAIN QUERY PLAN`` reports it, and the number of virtual-machine
steps a query costs, counted with ``set_progress_handler``) and the PostgreSQL
helper the engine tests use (``pg_plan``, ``EXPLAIN (COSTS OFF)`` on a
connection passed in).
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from typing import Any, Protocol

STATUSES = ("new", "paid", "shipped", "cancelled")


def make_orders(conn: sqlite3.Connection, rows: int, customers: int, seed: int = 0) -> None:
    """Create and fill ``orders(id, customer_id, status, total)`` with seeded rows.

    >>> conn = sqlite3.connect(":memory:")
    >>> make_orders(conn, rows=10, customers=3)
    >>> conn.execute("SELECT count(*) FROM orders").fetchone()
    (10,)
    >>> conn.close()
    """
    if rows < 0 or customers < 1:
        raise ValueError(f"need rows >= 0 and customers >= 1, got {rows} and {customers}")
    rng = random.Random(seed)
    conn.execute(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL,"
        " status TEXT NOT NULL, total INTEGER NOT NULL)"
    )
    conn.executemany(
        "INSERT INTO orders (customer_id, status, total) VALUES (?, ?, ?)",
        [
            (rng.randrange(customers), rng.choice(STATUSES), rng.randrange(1, 1000))
            for _ in range(rows)
        ],
    )
    conn.commit()


def plan(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[str]:
    """The ``detail`` column of sqlite's ``EXPLAIN QUERY PLAN``, one entry per step.

    >>> conn = sqlite3.connect(":memory:")
    >>> make_orders(conn, rows=10, customers=3)
    >>> plan(conn, "SELECT * FROM orders WHERE customer_id = ?", (1,))
    ['SCAN orders']
    >>> conn.close()
    """
    if not sql.lstrip().upper().startswith("SELECT"):
        raise ValueError(f"plan() explains SELECT statements only, got {sql!r}")
    # EXPLAIN alone would list the VM program; QUERY PLAN gives the access paths.
    rows = conn.execute("EXPLAIN QUERY PLAN " + sql, params)  # break[explain-program]
    return [str(row[3]) for row in rows]


def vm_steps(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> int:
    """How many sqlite virtual-machine instructions running ``sql`` took, counted by
    a progress handler called every instruction: a count, not a timing.

    >>> conn = sqlite3.connect(":memory:")
    >>> make_orders(conn, rows=100, customers=10)
    >>> vm_steps(conn, "SELECT 1") < 10 < 100 <= vm_steps(conn, "SELECT * FROM orders")
    True
    >>> conn.close()
    """
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0  # break[handler-interrupts]: non-zero would abort the query

    conn.set_progress_handler(count, 1)
    try:
        conn.execute(sql, params).fetchall()
    finally:
        conn.set_progress_handler(None, 1)
    return steps


def is_scan(steps: Sequence[str]) -> bool:
    """True when some step of a sqlite plan reads the whole table.

    >>> is_scan(['SCAN orders']), is_scan(['SEARCH orders USING INDEX i (customer_id=?)'])
    (True, False)
    """
    # "SCAN t USING COVERING INDEX i" walks a whole index, not the table.
    # "SCAN t USING INDEX i" still reads every row of t, only in index order.
    table_scans = [s for s in steps if "USING COVERING INDEX" not in s]  # break[covering-is-a-scan]
    return any(step.startswith("SCAN") for step in table_scans)


class Connection(Protocol):
    """The part of a PostgreSQL connection (psycopg 3) ``pg_plan`` uses."""

    def execute(self, query: Any, params: Any = ..., /) -> Any: ...


def pg_plan(conn: Connection, sql: str) -> list[str]:
    """PostgreSQL's plan for ``sql`` (``EXPLAIN (COSTS OFF)``), one line per entry."""
    if not sql.lstrip().upper().startswith("SELECT"):
        raise ValueError(f"pg_plan() explains SELECT statements only, got {sql!r}")
    return [row[0] for row in conn.execute("EXPLAIN (COSTS OFF) " + sql).fetchall()]
