"""Tests for patterns.repository: one contract suite over two backends; injection and its fix."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from handbook.patterns.repository import (
    DuplicateOrder,
    InMemoryOrders,
    Order,
    OrderRepository,
    SqliteOrders,
)

INJECTION = "x' OR '1'='1"


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    c = sqlite3.connect(":memory:")
    yield c
    c.close()


@pytest.fixture(params=["memory", "sqlite"])
def repo(request: pytest.FixtureRequest, conn: sqlite3.Connection) -> OrderRepository:
    if request.param == "memory":
        return InMemoryOrders()
    return SqliteOrders(conn)


# The contract: every test below runs once per backend.


def test_an_added_order_can_be_read_back(repo: OrderRepository) -> None:
    repo.add(Order("o1", "ann", 500))
    assert repo.get("o1") == Order("o1", "ann", 500)


def test_a_missing_order_is_none(repo: OrderRepository) -> None:
    assert repo.get("nope") is None


def test_for_customer_returns_only_their_orders_sorted_by_id(repo: OrderRepository) -> None:
    for order in [Order("o3", "ann", 1), Order("o2", "bob", 2), Order("o1", "ann", 3)]:
        repo.add(order)
    assert [o.id for o in repo.for_customer("ann")] == ["o1", "o3"]
    assert repo.for_customer("carl") == []


def test_a_duplicate_id_raises_the_domain_error_and_keeps_the_first(repo: OrderRepository) -> None:
    repo.add(Order("o1", "ann", 500))
    with pytest.raises(DuplicateOrder):
        repo.add(Order("o1", "mallory", 1))
    assert repo.get("o1") == Order("o1", "ann", 500)


def test_the_fake_rejects_a_duplicate_id_like_the_database() -> None:
    # The contract test above, for one backend at a time, so an experiment can name it.
    fake = InMemoryOrders()
    fake.add(Order("o1", "ann", 500))
    with pytest.raises(DuplicateOrder):
        fake.add(Order("o1", "mallory", 1))
    assert fake.get("o1") == Order("o1", "ann", 500)


def test_the_database_backend_translates_the_driver_error(conn: sqlite3.Connection) -> None:
    real = SqliteOrders(conn)
    real.add(Order("o1", "ann", 500))
    with pytest.raises(DuplicateOrder) as raised:
        real.add(Order("o1", "mallory", 1))
    assert isinstance(raised.value.__cause__, sqlite3.IntegrityError)  # kept for debugging
    assert real.get("o1") == Order("o1", "ann", 500)


def test_only_the_primary_key_violation_is_a_duplicate(conn: sqlite3.Connection) -> None:
    real = SqliteOrders(conn)
    broken = Order("o1", None, 500)  # type: ignore[arg-type]  # a bug upstream
    with pytest.raises(sqlite3.IntegrityError, match="NOT NULL") as raised:
        real.add(broken)
    assert not isinstance(raised.value, DuplicateOrder)
    assert raised.value.sqlite_errorname == "SQLITE_CONSTRAINT_NOTNULL"
    assert real.get("o1") is None


def test_the_database_backend_does_not_commit(conn: sqlite3.Connection) -> None:
    real = SqliteOrders(conn)
    conn.commit()  # the table exists for good
    real.add(Order("o1", "ann", 500))
    assert conn.in_transaction  # the insert waits for whoever owns the transaction
    conn.rollback()
    assert real.get("o1") is None


def test_a_customer_name_matches_exactly_not_as_a_pattern(repo: OrderRepository) -> None:
    repo.add(Order("o1", "ann", 500))
    repo.add(Order("o2", "ANN", 700))
    assert repo.for_customer("a%") == []
    assert repo.for_customer("a_n") == []
    assert [o.id for o in repo.for_customer("ann")] == ["o1"]  # case matters too


# Injection: the pitfall and the fix on the same data.


@pytest.fixture
def orders(conn: sqlite3.Connection) -> SqliteOrders:
    repo = SqliteOrders(conn)
    repo.add(Order("o1", "ann", 500))
    repo.add(Order("o2", "bob", 700))
    return repo


def test_string_formatted_sql_leaks_every_customers_orders(orders: SqliteOrders) -> None:
    leaked = orders.for_customer_unsafe(INJECTION)
    assert {o.customer for o in leaked} == {"ann", "bob"}  # WHERE ... OR '1'='1' is always true


def test_string_formatted_sql_breaks_on_an_honest_apostrophe(orders: SqliteOrders) -> None:
    with pytest.raises(sqlite3.OperationalError, match="syntax error"):
        orders.for_customer_unsafe("O'Brien")


def test_a_bound_parameter_treats_the_injection_as_a_plain_name(orders: SqliteOrders) -> None:
    assert orders.for_customer(INJECTION) == []
    orders.add(Order("o3", "O'Brien", 1))
    assert [o.id for o in orders.for_customer("O'Brien")] == ["o3"]


def test_the_unsafe_query_agrees_with_the_safe_one_on_ordinary_names(orders: SqliteOrders) -> None:
    # So the difference above is the injection, not a different query.
    assert orders.for_customer_unsafe("ann") == orders.for_customer("ann")


def test_both_backends_satisfy_the_protocol_structurally() -> None:
    def use(repo: OrderRepository) -> int:
        repo.add(Order("o1", "ann", 1))
        return len(repo.for_customer("ann"))

    c = sqlite3.connect(":memory:")
    try:
        assert use(InMemoryOrders()) == use(SqliteOrders(c)) == 1
    finally:
        c.close()
