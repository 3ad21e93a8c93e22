"""The outbox publishes exactly what committed; the inbox applies each message once."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from handbook.system_design.outbox_inbox import (
    PG_SCHEMA,
    SQLITE_CONSUMER_SCHEMA,
    SQLITE_PRODUCER_SCHEMA,
    InMemoryBroker,
    Message,
    SimulatedCrash,
    consume,
    pg_claim_batch,
    pg_relay_once,
    place_order,
    place_order_dual_write,
    relay_once,
)

WAIT = 5.0


def _db(schema: tuple[str, ...], path: str = ":memory:") -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    # any read without ORDER BY comes back reversed, so "in id order" must be asked for
    conn.execute("PRAGMA reverse_unordered_selects = ON")
    for ddl in schema:
        conn.execute(ddl)
    conn.commit()
    return conn


@pytest.fixture
def producer() -> Iterator[sqlite3.Connection]:
    conn = _db(SQLITE_PRODUCER_SCHEMA)
    yield conn
    conn.close()


def _reopen(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA reverse_unordered_selects = ON")
    return conn


@pytest.fixture
def consumer() -> Iterator[sqlite3.Connection]:
    conn = _db(SQLITE_CONSUMER_SCHEMA)
    yield conn
    conn.close()


def add_revenue(conn: Any, message: Message) -> None:
    amount = json.loads(message.payload)["amount"]
    conn.execute("UPDATE revenue SET total = total + ?", (amount,))


def revenue(conn: sqlite3.Connection) -> int:
    total: int = conn.execute("SELECT total FROM revenue").fetchone()[0]
    return total


def orders(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT id FROM orders ORDER BY id")]


def test_dual_write_loses_the_event_when_it_crashes_after_commit(
    producer: sqlite3.Connection,
) -> None:
    broker = InMemoryBroker()
    with pytest.raises(SimulatedCrash):
        place_order_dual_write(producer, broker, "o1", 5, crash=True)
    assert orders(producer) == ["o1"]
    assert broker.published == []  # the order exists and no one will ever hear of it


def test_a_crash_after_commit_still_publishes_because_the_relay_reads_the_outbox(
    tmp_path: Path,
) -> None:
    app = _db(SQLITE_PRODUCER_SCHEMA, str(tmp_path / "shop.db"))
    place_order(app, "o1", 5)
    app.close()  # the process dies right after the commit
    relay = _reopen(tmp_path / "shop.db")  # a relay in another process sees only committed rows
    broker = InMemoryBroker()
    assert relay_once(relay, broker) == 1
    assert [m.id for m in broker.published] == ["order-placed:o1"]
    assert json.loads(broker.published[0].payload) == {"amount": 5, "order_id": "o1"}
    relay.close()


def test_a_crash_before_commit_saves_and_publishes_nothing(tmp_path: Path) -> None:
    app = _db(SQLITE_PRODUCER_SCHEMA, str(tmp_path / "shop.db"))
    with pytest.raises(SimulatedCrash):
        place_order(app, "o1", 5, crash=True)
    app.close()
    relay = _reopen(tmp_path / "shop.db")
    broker = InMemoryBroker()
    assert relay_once(relay, broker) == 0
    assert orders(relay) == []
    assert broker.published == []
    relay.close()


def test_publishing_before_commit_leaves_a_ghost_event_when_the_transaction_rolls_back(
    producer: sqlite3.Connection,
) -> None:
    broker = InMemoryBroker()
    producer.execute("INSERT INTO orders VALUES ('o1', 5)")
    broker.publish(Message("order-placed:o1", "orders", "{}"))  # inside the transaction
    producer.rollback()  # e.g. a constraint failed later, or the process died
    assert orders(producer) == []
    assert [m.id for m in broker.published] == ["order-placed:o1"]  # consumers act on nothing


def test_a_published_row_is_not_published_again(producer: sqlite3.Connection) -> None:
    broker = InMemoryBroker()
    for i in range(3):
        place_order(producer, f"o{i}", i + 1)
    assert relay_once(producer, broker, batch=2) == 2
    assert relay_once(producer, broker, batch=2) == 1
    assert relay_once(producer, broker, batch=2) == 0
    assert [m.id for m in broker.published] == [f"order-placed:o{i}" for i in range(3)]


def test_a_relay_crash_between_publish_and_mark_publishes_again(
    producer: sqlite3.Connection,
) -> None:
    broker = InMemoryBroker()
    place_order(producer, "o1", 5)
    place_order(producer, "o2", 7)
    with pytest.raises(SimulatedCrash):
        relay_once(producer, broker, crash_after=2)
    assert relay_once(producer, broker) == 2  # neither mark committed
    assert [m.id for m in broker.published] == ["order-placed:o1", "order-placed:o2"] * 2


def test_the_inbox_applies_a_redelivered_message_once(
    producer: sqlite3.Connection, consumer: sqlite3.Connection
) -> None:
    broker = InMemoryBroker()
    place_order(producer, "o1", 5)
    place_order(producer, "o2", 7)
    with pytest.raises(SimulatedCrash):
        relay_once(producer, broker, crash_after=1)
    relay_once(producer, broker)
    assert [m.id for m in broker.published].count("order-placed:o1") == 2
    applied = [consume(consumer, m, add_revenue) for m in broker.published]
    assert applied == [True, False, True]
    assert revenue(consumer) == 12


def test_a_consumer_crash_before_commit_loses_neither_the_effect_nor_the_redelivery(
    consumer: sqlite3.Connection,
) -> None:
    message = Message("order-placed:o1", "orders", json.dumps({"order_id": "o1", "amount": 5}))
    with pytest.raises(SimulatedCrash):
        consume(consumer, message, add_revenue, crash=True)
    assert revenue(consumer) == 0
    assert consume(consumer, message, add_revenue) is True  # the broker redelivers it
    assert revenue(consumer) == 5


@pytest.mark.parametrize(("order_id", "amount"), [("", 5), ("o1", 0), ("o1", -3), ("o1", True)])
def test_a_bad_order_is_refused_and_writes_nothing(
    producer: sqlite3.Connection, order_id: str, amount: int
) -> None:
    with pytest.raises(ValueError, match="must be a"):
        place_order(producer, order_id, amount)
    assert orders(producer) == []


@pytest.mark.parametrize("batch", [0, -1, True])
def test_a_bad_batch_size_is_refused(producer: sqlite3.Connection, batch: int) -> None:
    with pytest.raises(ValueError, match="batch must be a positive int"):
        relay_once(producer, InMemoryBroker(), batch=batch)


# --- PostgreSQL twin -------------------------------------------------------------


def _pg_outbox(pg_schema: Any, n: int) -> Any:
    with pg_schema.connect(autocommit=True) as admin:
        admin.execute(PG_SCHEMA)
        admin.execute(
            "INSERT INTO outbox (message_id, topic, payload)"
            " SELECT 'm' || i, 'orders', '{}' FROM generate_series(1, %s) AS i",
            (n,),
        )
        # the update writes a new version of m1 at the end of the heap, so a
        # sequential scan meets m2..mn first: only ORDER BY id yields id order
        admin.execute("UPDATE outbox SET payload = payload WHERE message_id = 'm1'")
    return pg_schema.connect(autocommit=True)


def _relays(pg_schema: Any, n: int) -> list[Any]:
    conns = [pg_schema.connect() for _ in range(n)]
    for c in conns:
        c.execute("SET lock_timeout = '5s'")  # a lock wait that never ends fails instead
        c.execute("SET enable_indexscan = off")  # read the heap, not the id index
        c.execute("SET enable_bitmapscan = off")
        c.commit()  # a SET inside a transaction that is later rolled back is undone
    return conns


@pytest.mark.engine("postgres")
def test_pg_two_skip_locked_relays_never_take_the_same_row(pg_schema: Any) -> None:
    observer = _pg_outbox(pg_schema, 7)
    relay_a, relay_b, relay_c = _relays(pg_schema, 3)
    broker = InMemoryBroker()
    batch_a = pg_claim_batch(relay_a, 3)  # A's transaction stays open, holding m1..m3
    batch_b = pg_claim_batch(relay_b, 3)  # returns at once: it skips A's rows
    batch_c = pg_claim_batch(relay_c, 3)
    assert [m.id for m in batch_a] == ["m1", "m2", "m3"]
    assert [m.id for m in batch_b] == ["m4", "m5", "m6"]
    assert [m.id for m in batch_c] == ["m7"]
    relay_c.rollback()  # C gives m7 back without publishing
    assert pg_relay_once(relay_b, broker, claimed=batch_b) == 3
    assert pg_relay_once(relay_a, broker, claimed=batch_a) == 3
    assert pg_relay_once(relay_c, broker, batch=3) == 1
    assert pg_relay_once(relay_a, broker, batch=3) == 0
    ids = [m.id for m in broker.published]
    assert sorted(ids) == sorted(f"m{i}" for i in range(1, 8))  # each of the 7 exactly once
    left = observer.execute("SELECT count(*) FROM outbox WHERE published_at IS NULL").fetchone()
    assert left == (0,)


@pytest.mark.engine("postgres")
def test_pg_without_skip_locked_the_second_relay_waits_for_the_first(pg_schema: Any) -> None:
    observer = _pg_outbox(pg_schema, 7)
    relay_a, relay_b = _relays(pg_schema, 2)
    plain = "SELECT id, message_id, topic, payload FROM outbox WHERE published_at IS NULL"
    plain += " ORDER BY id LIMIT %s FOR UPDATE"
    batch_a = pg_claim_batch(relay_a, 3, claim=plain)
    got: list[list[Message]] = []
    b = threading.Thread(
        target=lambda: got.append(pg_claim_batch(relay_b, 3, claim=plain)), daemon=True
    )
    b.start()
    pid = relay_b.info.backend_pid
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:  # observe the server, no sleeping
        row = observer.execute(
            "SELECT wait_event_type, wait_event FROM pg_stat_activity WHERE pid = %s", (pid,)
        ).fetchone()
        if row == ("Lock", "transactionid"):
            break
    else:
        relay_a.rollback()  # let B go before failing
        raise AssertionError("relay B never waited on relay A")
    assert got == []  # still blocked on A's row locks
    assert pg_relay_once(relay_a, InMemoryBroker(), claimed=batch_a) == 3
    b.join(WAIT)
    assert not b.is_alive(), "relay B is still waiting after A committed"
    # B waited for m1..m3, re-checked them after A committed, found them
    # published and moved on: no row twice, but the relays worked one at a time.
    assert [[m.id for m in batch] for batch in got] == [["m4", "m5", "m6"]]
    left = observer.execute("SELECT count(*) FROM outbox WHERE published_at IS NULL").fetchone()
    assert left == (4,)


@pytest.mark.engine("postgres")
def test_pg_relays_that_lock_nothing_publish_the_same_rows_twice(pg_schema: Any) -> None:
    _pg_outbox(pg_schema, 4)
    relay_a, relay_b = _relays(pg_schema, 2)
    unlocked = "SELECT id, message_id, topic, payload FROM outbox WHERE published_at IS NULL"
    unlocked += " ORDER BY id LIMIT %s"
    broker = InMemoryBroker()
    batch_a = pg_claim_batch(relay_a, 2, claim=unlocked)
    batch_b = pg_claim_batch(relay_b, 2, claim=unlocked)
    pg_relay_once(relay_a, broker, claimed=batch_a)
    pg_relay_once(relay_b, broker, claimed=batch_b)
    assert [m.id for m in broker.published] == ["m1", "m2", "m1", "m2"]


@pytest.mark.engine("postgres")
def test_pg_a_high_water_mark_relay_skips_a_row_that_commits_late(pg_schema: Any) -> None:
    observer = _pg_outbox(pg_schema, 0)
    slow, fast, relay = _relays(pg_schema, 3)
    insert = "INSERT INTO outbox (message_id, topic, payload) VALUES (%s, 'orders', '{}')"
    slow.execute(insert, ("late",))  # takes id 1 now, commits later
    fast.execute(insert, ("quick",))  # takes id 2
    fast.commit()
    ids = "SELECT id FROM outbox WHERE message_id = %s"
    assert (
        observer.execute(ids, ("late",)).fetchone(),
        observer.execute(ids, ("quick",)).fetchone(),
    ) == (
        None,  # not committed yet: invisible to everyone else
        (2,),
    )
    after = "SELECT id, message_id FROM outbox WHERE id > %s ORDER BY id"
    first = observer.execute(after, (0,)).fetchall()
    assert first == [(2, "quick")]
    mark = first[-1][0]
    broker = InMemoryBroker()
    assert pg_relay_once(relay, broker) == 1  # the per-row flag publishes "quick" too
    slow.commit()
    assert observer.execute(after, (mark,)).fetchall() == []  # id 1 < mark: skipped forever
    assert observer.execute(ids, ("late",)).fetchone() == (1,)
    assert pg_relay_once(relay, broker) == 1  # unpublished rows are found whatever their id
    assert [m.id for m in broker.published] == ["quick", "late"]
