"""The same orders modelled three ways: relational tables, JSON documents, Redis structures.

The code behind ``nosql_vs_sql.md``. The relational and document models live in
sqlite3 (the document model uses its JSON functions, built in by default since
SQLite 3.38 and an optional extension, JSON1, before that);
the Redis model takes any client with ``execute_command`` (redis-py's ``Redis``)
and holds the commands it sends. Each model answers the same questions, so the
tests can compare what each makes cheap and what each makes hard.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Item:
    sku: str
    qty: int
    cents: int


@dataclass(frozen=True)
class Order:
    id: int
    customer_id: int
    customer_name: str
    items: tuple[Item, ...]

    @property
    def total(self) -> int:
        return sum(i.qty * i.cents for i in self.items)


ORDERS = (
    Order(1, 10, "Ada", (Item("pen", 2, 150), Item("ink", 1, 900))),
    Order(2, 10, "Ada", (Item("pen", 1, 150),)),
    Order(3, 20, "Grace", (Item("pad", 3, 400), Item("ink", 2, 900))),
    Order(4, 10, "Ada", (Item("pad", 1, 400),)),
    Order(5, 30, "Linus", (Item("pen", 10, 150),)),
)


# --- relational -------------------------------------------------------------

RELATIONAL_SCHEMA = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id)
);
CREATE TABLE order_items (
  order_id INTEGER NOT NULL REFERENCES orders(id),
  sku TEXT NOT NULL,
  qty INTEGER NOT NULL CHECK (qty > 0),
  cents INTEGER NOT NULL,
  PRIMARY KEY (order_id, sku)
);
"""


def load_relational(conn: sqlite3.Connection, orders: tuple[Order, ...] = ORDERS) -> None:
    """Create the three tables and insert ``orders``, each customer stored once."""
    conn.execute("PRAGMA foreign_keys = ON")
    conn.executescript(RELATIONAL_SCHEMA)
    for o in orders:
        conn.execute(
            "INSERT OR IGNORE INTO customers VALUES (?, ?)", (o.customer_id, o.customer_name)
        )
        conn.execute("INSERT INTO orders VALUES (?, ?)", (o.id, o.customer_id))
        conn.executemany(
            "INSERT INTO order_items VALUES (?, ?, ?, ?)",
            [(o.id, i.sku, i.qty, i.cents) for i in o.items],
        )
    conn.commit()


def order_relational(conn: sqlite3.Connection, order_id: int) -> dict[str, Any]:
    """One order with its customer and items, put back together by a join."""
    rows = conn.execute(
        "SELECT o.id, c.id, c.name, i.sku, i.qty, i.cents FROM orders o"
        " JOIN customers c ON c.id = o.customer_id"
        " JOIN order_items i ON i.order_id = o.id"
        " WHERE o.id = ? ORDER BY i.sku",
        (order_id,),
    ).fetchall()
    if not rows:
        raise KeyError(order_id)
    return {
        "id": rows[0][0],
        "customer": {"id": rows[0][1], "name": rows[0][2]},
        "items": [{"sku": r[3], "qty": r[4], "cents": r[5]} for r in rows],
    }


def revenue_relational(conn: sqlite3.Connection) -> dict[str, int]:
    """Revenue per SKU in cents: an ad-hoc aggregate the schema answers directly."""
    rows = conn.execute("SELECT sku, SUM(qty * cents) FROM order_items GROUP BY sku ORDER BY sku")
    return {sku: int(total) for sku, total in rows}


def rename_relational(conn: sqlite3.Connection, customer_id: int, name: str) -> int:
    """Rename a customer; returns the rows changed (the name lives in one row)."""
    changed = conn.execute(
        "UPDATE customers SET name = ? WHERE id = ?", (name, customer_id)
    ).rowcount
    conn.commit()
    return changed


# --- documents --------------------------------------------------------------

# The CHECKs make the document store validate what the relational schema enforces
# by its columns; without them any JSON text is accepted.
# ``IS``, not ``=``: a CHECK whose result is NULL passes, and json_type() of a missing
# path is NULL, so ``= 'array'`` would accept a document with no items at all.
DOCUMENT_CHECKS = (
    " CHECK (json_type(doc, '$.items') IS 'array')"  # break[check-with-equals]
    " CHECK (json_type(doc, '$.customer.id') IS 'integer')"  # break[customer-check-with-equals]
)


def document(o: Order) -> str:
    """The order as one JSON document, the customer's name copied into it."""
    return json.dumps(
        {
            "customer": {"id": o.customer_id, "name": o.customer_name},
            "items": [{"sku": i.sku, "qty": i.qty, "cents": i.cents} for i in o.items],
        }
    )


def load_documents(
    conn: sqlite3.Connection, orders: tuple[Order, ...] = ORDERS, *, checks: bool = False
) -> None:
    """One table of JSON documents, one per order; ``checks`` adds shape CHECKs."""
    extra = DOCUMENT_CHECKS if checks else ""
    conn.execute(
        "CREATE TABLE order_docs (id INTEGER PRIMARY KEY,"
        f" doc TEXT NOT NULL CHECK (json_valid(doc)){extra})"
    )
    conn.executemany("INSERT INTO order_docs VALUES (?, ?)", [(o.id, document(o)) for o in orders])
    conn.commit()


def order_document(conn: sqlite3.Connection, order_id: int) -> dict[str, Any]:
    """One order: a single row read by primary key, no join."""
    row = conn.execute("SELECT doc FROM order_docs WHERE id = ?", (order_id,)).fetchone()
    if row is None:
        raise KeyError(order_id)
    doc: dict[str, Any] = json.loads(row[0])
    doc["items"].sort(key=lambda i: i["sku"])
    return {"id": order_id, **doc}


def revenue_documents(conn: sqlite3.Connection) -> dict[str, int]:
    """Revenue per SKU: every document is opened and its items array unnested."""
    rows = conn.execute(
        "SELECT json_extract(item.value, '$.sku'),"
        " SUM(json_extract(item.value, '$.qty') * json_extract(item.value, '$.cents'))"
        " FROM order_docs, json_each(order_docs.doc, '$.items') AS item"  # break[items-path]
        " GROUP BY 1 ORDER BY 1"
    )
    return {sku: int(total) for sku, total in rows}


def rename_documents(conn: sqlite3.Connection, customer_id: int, name: str) -> int:
    """Rename a customer; returns the documents rewritten (one per order of theirs)."""
    changed = conn.execute(
        "UPDATE order_docs SET doc = json_set(doc, '$.customer.name', ?)"
        " WHERE json_extract(doc, '$.customer.id') = ?",  # break[rename-one-document]
        (name, customer_id),
    ).rowcount
    conn.commit()
    return changed


def index_customer_id(conn: sqlite3.Connection) -> None:
    """An index on an expression over the document, so lookups by customer can seek."""
    conn.execute("CREATE INDEX docs_customer ON order_docs (json_extract(doc, '$.customer.id'))")


def plan_orders_of_customer(conn: sqlite3.Connection) -> str:
    """The ``EXPLAIN QUERY PLAN`` detail for finding a customer's order documents."""
    rows = conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM order_docs WHERE json_extract(doc, '$.customer.id') = ?",
        (10,),
    ).fetchall()
    return " | ".join(str(r[-1]) for r in rows)


# --- Redis structures -------------------------------------------------------


class RedisCommands(Protocol):
    """What the Redis model needs of a client: redis-py's ``Redis.execute_command``."""

    def execute_command(self, *args: Any, **options: Any) -> Any: ...


def redis_save(client: RedisCommands, prefix: str, o: Order) -> int:
    """Store one order as Redis structures and maintain every index a query will need.

    ``{p}order:{id}`` a hash of SKU to quantity, ``{p}customer:{cid}:orders`` a set
    of order ids, ``{p}revenue`` a sorted set of SKU by revenue, ``{p}by_total`` a
    sorted set of order id by total. Returns the commands sent.
    """
    commands: list[tuple[Any, ...]] = [
        ("HSET", f"{prefix}order:{o.id}", *[x for i in o.items for x in (i.sku, i.qty)]),
        ("SADD", f"{prefix}customer:{o.customer_id}:orders", o.id),
        *[("ZINCRBY", f"{prefix}revenue", i.qty * i.cents, i.sku) for i in o.items],
        ("ZADD", f"{prefix}by_total", o.total, o.id),
    ]
    for command in commands:
        client.execute_command(*command)
    return len(commands)


def redis_orders_of(
    client: RedisCommands, prefix: str, customer_id: int
) -> dict[int, dict[str, int]]:
    """A customer's orders as ``{order id: {sku: qty}}``: one SMEMBERS, one HGETALL each."""
    ids = sorted(
        int(i) for i in client.execute_command("SMEMBERS", f"{prefix}customer:{customer_id}:orders")
    )
    out: dict[int, dict[str, int]] = {}
    for order_id in ids:
        raw = client.execute_command("HGETALL", f"{prefix}order:{order_id}")
        out[order_id] = {_text(k): int(v) for k, v in raw.items()}
    return out


def redis_revenue(client: RedisCommands, prefix: str) -> dict[str, int]:
    """Revenue per SKU, read from the sorted set kept up to date on every write."""
    reply = client.execute_command("ZRANGE", f"{prefix}revenue", 0, -1, "WITHSCORES")
    if reply and not isinstance(reply[0], list | tuple):  # a flat reply: member, score, ...
        reply = list(zip(reply[::2], reply[1::2], strict=True))
    return {_text(member): int(float(score)) for member, score in reply}


def redis_orders_over(client: RedisCommands, prefix: str, cents: int) -> list[int]:
    """Orders whose total exceeds ``cents``: a range query on the ``by_total`` index."""
    found = client.execute_command("ZRANGE", f"{prefix}by_total", f"({cents}", "+inf", "BYSCORE")
    return sorted(int(m) for m in found)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
