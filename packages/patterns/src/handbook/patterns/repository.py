"""Repository: one collection-like interface, an in-memory and a sqlite3 backend, safe SQL.

Why interviewers ask this:
    "How would you test this service without a database?" and "how do you keep
    SQL out of your business logic?" both lead here. A repository is an object
    that looks like a collection of domain objects (``add``, ``get``,
    ``for_customer``) and hides how they are stored. The service depends on the
    interface; tests use a dict-backed fake; production uses SQL. Interviewers
    then check two things: that the fake really behaves like the real one (a
    shared contract suite, not hope), and that the SQL side uses parameters,
    because string-built SQL is still the textbook injection.

Common pitfalls:
    - A fake that drifts from the real backend: the in-memory version silently
      overwrites a duplicate id while the database raises, so tests pass and
      production fails. Run one contract suite against both.
    - Leaking the driver's exceptions (``sqlite3.IntegrityError``) through the
      interface: callers then depend on the backend. Translate them into a
      domain error (``DuplicateOrder``).
    - Building SQL with an f-string: ``x' OR '1'='1`` as a customer name turns
      ``WHERE customer = '...'`` into a condition that is always true and
      returns every customer's orders (``for_customer_unsafe``), and an honest
      ``O'Brien`` is a syntax error. Pass values as parameters (``?``). sqlite3
      binds them with ``sqlite3_bind_*`` after the SQL text is compiled, so they
      are never parsed as SQL; PostgreSQL's wire protocol can do the same, but
      some drivers (psycopg2, PyMySQL) quote the value into the text on the
      client. Their quoting is correct for their dialect, which is the point:
      the driver does it, never your own string code.
    - Translating too much: every ``IntegrityError`` is not a duplicate. A NOT
      NULL or CHECK violation reported as "duplicate order" hides the real bug;
      translate only the primary-key violation (``sqlite_errorname``, 3.11+).
    - A repository that commits: then two repositories can no longer change
      together, and a caller's rollback undoes nothing (see ``unit_of_work``).
    - Parameters bind values only, not identifiers: a table or column name
      cannot be a ``?``; pick it from an allow-list instead.

Key takeaways:
    - The repository interface is a ``typing.Protocol``; both backends satisfy
      it structurally and one parametrized fixture runs the same tests on each.
    - Both backends raise ``DuplicateOrder`` for a repeated id and return None
      for a missing one: the contract, not the storage, defines behaviour.
    - With ``?`` placeholders the injection string is just an odd name that
      matches nothing; with string formatting it returns other customers' rows.
    - Go: an interface plus ``database/sql`` with ``$1``/``?`` placeholders;
      Java: a Spring Data / JPA repository interface and ``PreparedStatement``.

What to look for in an answer:
    A strong candidate keeps the interface small and domain-shaped (no
    ``execute_sql`` method), says the fake must pass the same tests as the real
    thing, translates storage errors, and uses placeholders without being asked.
    Follow-ups:
    - Repository vs DAO? (Close cousins; a repository speaks in aggregates and
      domain terms, a DAO often mirrors one table and its CRUD.)
    - Does an ORM make the repository pointless? (No: the ORM is the
      implementation detail; the repository keeps queries named and testable.)
    - Is escaping quotes yourself enough? (No: encodings, backslashes and
      dialect rules differ; parameters avoid parsing the value at all.)
    - Who commits? (Not the repository: a unit of work owns the transaction,
      so several repositories can change atomically.)
    - How would you page ``for_customer``? (Keyset: ``WHERE customer = ? AND
      id > ? ORDER BY id LIMIT ?``, with an index on ``(customer, id)``; offset
      pages skip or repeat rows under concurrent inserts.)
    - Is the sqlite3 contract run enough for a PostgreSQL service? (No: run the
      same suite against the real engine in CI; dialects differ in collation,
      types and error codes.)

Complexity:
    In-memory: ``add``/``get`` O(1), ``for_customer`` O(n + k log k) for k
    matching orders (a scan, then a sort). sqlite3: ``get`` by primary key
    O(log n) (a B-tree); ``for_customer`` O(n + k log k) without an index on
    customer, O(log n + k) with an index on ``(customer, id)``, which yields
    the rows already in id order.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "DuplicateOrder",
    "InMemoryOrders",
    "Order",
    "OrderRepository",
    "SqliteOrders",
]


@dataclass(frozen=True)
class Order:
    """A domain object: an order with its id, customer and total in cents."""

    id: str
    customer: str
    total_cents: int


class DuplicateOrder(Exception):
    """An order with this id is already stored (the domain error both backends raise)."""


class OrderRepository(Protocol):
    """The contract: a collection of orders, whatever stores them."""

    def add(self, order: Order) -> None:
        """Store a new order; raise DuplicateOrder if its id exists."""

    def get(self, order_id: str) -> Order | None:
        """Return the order with this id, or None."""

    def for_customer(self, customer: str) -> list[Order]:
        """Return this customer's orders, sorted by id."""


class InMemoryOrders:
    """The fake: a dict. Fast, and held to the same contract as the database.

    >>> repo = InMemoryOrders()
    >>> repo.add(Order("o1", "ann", 500))
    >>> repo.get("o1")
    Order(id='o1', customer='ann', total_cents=500)
    """

    def __init__(self) -> None:
        self._rows: dict[str, Order] = {}

    def add(self, order: Order) -> None:
        """Store a new order; O(1)."""
        if order.id in self._rows:  # break[fake-overwrites]
            raise DuplicateOrder(order.id)
        self._rows[order.id] = order

    def get(self, order_id: str) -> Order | None:
        """Return the order or None; O(1)."""
        return self._rows.get(order_id)

    def for_customer(self, customer: str) -> list[Order]:
        """Return this customer's orders sorted by id; O(n + k log k) for k matches."""
        mine = (o for o in self._rows.values() if o.customer == customer)
        return sorted(mine, key=lambda o: o.id)


class SqliteOrders:
    """The real one: a table in a sqlite3 database. It does not commit (a unit of work does).

    >>> conn = sqlite3.connect(":memory:")
    >>> repo = SqliteOrders(conn)
    >>> repo.add(Order("o1", "ann", 500))
    >>> repo.for_customer("ann")
    [Order(id='o1', customer='ann', total_cents=500)]
    >>> conn.close()
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        conn.execute(
            "CREATE TABLE IF NOT EXISTS orders"
            " (id TEXT PRIMARY KEY, customer TEXT NOT NULL, total_cents INTEGER NOT NULL)"
        )

    def add(self, order: Order) -> None:
        """Insert the order; the PRIMARY KEY violation becomes DuplicateOrder."""
        try:
            self._conn.execute(
                "INSERT INTO orders (id, customer, total_cents) VALUES (?, ?, ?)",
                (order.id, order.customer, order.total_cents),
            )
        except sqlite3.IntegrityError as exc:  # break[leak-driver-error]
            if exc.sqlite_errorname != "SQLITE_CONSTRAINT_PRIMARYKEY":  # break[translate-all]
                raise  # NOT NULL, CHECK, ...: a bug to see, not a duplicate
            raise DuplicateOrder(order.id) from exc

    def get(self, order_id: str) -> Order | None:
        """Return the order or None (a primary-key lookup)."""
        row = self._conn.execute(
            "SELECT id, customer, total_cents FROM orders WHERE id = ?", (order_id,)
        ).fetchone()
        return None if row is None else Order(*row)

    def for_customer(self, customer: str) -> list[Order]:
        """The fix: the name is a bound parameter, never parsed as SQL."""
        sql = "SELECT id, customer, total_cents FROM orders WHERE customer = ? ORDER BY id"
        rows = self._conn.execute(sql, (customer,)).fetchall()  # break[string-sql]
        return [Order(*row) for row in rows]

    def for_customer_unsafe(self, customer: str) -> list[Order]:
        """The pitfall: the name is pasted into the SQL text (injectable)."""
        sql = (
            "SELECT id, customer, total_cents FROM orders"
            f" WHERE customer = '{customer}' ORDER BY id"
        )
        return [Order(*row) for row in self._conn.execute(sql).fetchall()]
