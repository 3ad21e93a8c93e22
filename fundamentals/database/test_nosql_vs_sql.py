"""database.nosql_vs_sql: one data set, three models, the same questions asked of each.

sqlite3 runs in memory; every statement is counted with ``set_trace_callback``.
The Redis tests store the orders on a real server under the test's own prefix and
count the commands each question takes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis

from fundamentals.database.nosql_vs_sql import (
    ORDERS,
    document,
    index_customer_id,
    load_documents,
    load_relational,
    order_document,
    order_relational,
    plan_orders_of_customer,
    redis_orders_of,
    redis_orders_over,
    redis_revenue,
    redis_save,
    rename_documents,
    rename_relational,
    revenue_documents,
    revenue_relational,
)

EXPECTED_REVENUE = {"ink": 2700, "pad": 1600, "pen": 1950}


class Traced:
    """A sqlite3 connection whose statements are recorded."""

    def __init__(self) -> None:
        self.conn = connect()
        self.statements: list[str] = []
        self.conn.set_trace_callback(self.statements.append)

    def count(self, fn: Callable[[], Any]) -> tuple[Any, int]:
        self.statements.clear()
        result = fn()
        return result, sum(1 for s in self.statements if s.lstrip().upper().startswith("SELECT"))


@pytest.fixture(autouse=True)
def _close_connections() -> Iterator[None]:
    """Every sqlite3 connection a test opens is closed (3.13 warns about leaks)."""
    yield
    while OPENED:
        OPENED.pop().close()


OPENED: list[sqlite3.Connection] = []


def connect() -> sqlite3.Connection:
    OPENED.append(sqlite3.connect(":memory:"))
    return OPENED[-1]


def relational() -> Traced:
    t = Traced()
    load_relational(t.conn)
    return t


def documents(*, checks: bool = False) -> Traced:
    t = Traced()
    load_documents(t.conn, checks=checks)
    return t


def test_both_models_rebuild_the_same_order() -> None:
    rel, doc = relational(), documents()
    for o in ORDERS:
        assert order_relational(rel.conn, o.id) == order_document(doc.conn, o.id)
    with pytest.raises(KeyError):
        order_document(doc.conn, 99)
    with pytest.raises(KeyError):
        order_relational(rel.conn, 99)


def test_an_order_is_one_select_in_both_but_only_the_relational_one_joins_three_tables() -> None:
    rel, doc = relational(), documents()
    _, n = rel.count(lambda: order_relational(rel.conn, 3))
    assert n == 1
    assert rel.statements[0].count("JOIN") == 2
    _, n = doc.count(lambda: order_document(doc.conn, 3))
    assert n == 1
    assert "JOIN" not in doc.statements[0]


def test_revenue_by_sku_agrees_across_the_models() -> None:
    assert revenue_relational(relational().conn) == EXPECTED_REVENUE
    assert revenue_documents(documents().conn) == EXPECTED_REVENUE
    assert sum(EXPECTED_REVENUE.values()) == sum(o.total for o in ORDERS)


def test_renaming_a_customer_is_one_row_relationally_and_every_copy_in_documents() -> None:
    rel, doc = relational(), documents()
    assert rename_relational(rel.conn, 10, "Ada L.") == 1
    assert rename_documents(doc.conn, 10, "Ada L.") == 3
    for o in ORDERS:
        want = "Ada L." if o.customer_id == 10 else o.customer_name
        assert order_relational(rel.conn, o.id)["customer"]["name"] == want
        assert order_document(doc.conn, o.id)["customer"]["name"] == want


def test_the_relational_schema_rejects_what_a_bare_document_table_accepts() -> None:
    rel, doc = relational(), documents()
    with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"):
        rel.conn.execute("INSERT INTO customers (id) VALUES (40)")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        rel.conn.execute("INSERT INTO orders VALUES (9, 999)")
    typo = json.dumps({"customer": {"id": 40, "name": "Ken"}, "itemz": [{"sku": "pen"}]})
    doc.conn.execute("INSERT INTO order_docs VALUES (9, ?)", (typo,))
    assert revenue_documents(doc.conn) == EXPECTED_REVENUE  # the order silently counts for nothing
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        doc.conn.execute("INSERT INTO order_docs VALUES (10, 'not json')")


def test_shape_checks_reject_a_document_without_items() -> None:
    doc = documents(checks=True)
    typo = json.dumps({"customer": {"id": 40, "name": "Ken"}, "itemz": []})
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        doc.conn.execute("INSERT INTO order_docs VALUES (9, ?)", (typo,))
    bad_id = json.dumps({"customer": {"id": "40"}, "items": []})
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        doc.conn.execute("INSERT INTO order_docs VALUES (9, ?)", (bad_id,))
    no_id = json.dumps({"customer": {"name": "Ken"}, "items": []})
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        doc.conn.execute("INSERT INTO order_docs VALUES (9, ?)", (no_id,))
    doc.conn.execute("INSERT INTO order_docs VALUES (9, ?)", (document(ORDERS[0]),))


def test_a_check_that_evaluates_to_null_passes() -> None:
    conn = connect()
    conn.execute("CREATE TABLE t (doc TEXT CHECK (json_type(doc, '$.items') = 'array'))")
    conn.execute("INSERT INTO t VALUES ('{}')")  # json_type(...) is NULL, NULL = 'array' is NULL
    assert conn.execute("SELECT json_type(doc, '$.items') FROM t").fetchone() == (None,)


def test_an_expression_index_turns_the_customer_lookup_from_a_scan_into_a_search() -> None:
    doc = documents()
    assert plan_orders_of_customer(doc.conn).startswith("SCAN order_docs")
    index_customer_id(doc.conn)
    assert "USING INDEX docs_customer" in plan_orders_of_customer(doc.conn)
    assert plan_orders_of_customer(doc.conn).startswith("SEARCH order_docs")


@pytest.mark.engine("redis")
def test_redis_answers_the_questions_it_was_given_indexes_for(
    redis_client: redis.Redis, redis_prefix: str
) -> None:
    sent = sum(redis_save(redis_client, redis_prefix, o) for o in ORDERS)
    assert sent == 5 * 3 + sum(len(o.items) for o in ORDERS) == 22
    assert redis_revenue(redis_client, redis_prefix) == EXPECTED_REVENUE
    assert redis_orders_of(redis_client, redis_prefix, 10) == {
        1: {"pen": 2, "ink": 1},
        2: {"pen": 1},
        4: {"pad": 1},
    }
    over = redis_orders_over(redis_client, redis_prefix, 1200)
    assert over == sorted(o.id for o in ORDERS if o.total > 1200)


@pytest.mark.engine("redis")
def test_redis_has_no_ad_hoc_query_without_an_index_only_a_scan_of_every_key(
    redis_client: redis.Redis, redis_prefix: str
) -> None:
    for o in ORDERS:
        redis_save(redis_client, redis_prefix, o)
    # "Which orders contain ink?" was not indexed: the only way is to visit every order.
    order_keys = sorted(k.decode() for k in redis_client.scan_iter(match=redis_prefix + "order:*"))
    assert len(order_keys) == len(ORDERS)
    with_ink = [k for k in order_keys if redis_client.hexists(k, "ink")]
    assert [int(k.rsplit(":", 1)[1]) for k in with_ink] == [1, 3]
    assert redis_client.type(redis_prefix + "revenue") == b"zset"


def test_a_misspelt_column_is_an_error_but_a_misspelt_json_path_is_just_empty() -> None:
    rel, doc = relational(), documents()
    with pytest.raises(sqlite3.OperationalError, match="no such column: skus"):
        rel.conn.execute("SELECT skus FROM order_items")
    rows = doc.conn.execute("SELECT json_extract(doc, '$.custmer.name') FROM order_docs").fetchall()
    assert rows == [(None,)] * len(ORDERS)
