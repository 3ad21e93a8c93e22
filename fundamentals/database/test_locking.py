"""Tests for database.locking: optimistic concurrency on sqlite3; row locks, SKIP
LOCKED, and a deadlock detected by PostgreSQL on two real connections."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pytest

from conftest import PostgresSchema
from fundamentals.database.locking import (
    DEADLOCK_DETECTED,
    claim_job,
    load,
    lock_order,
    make_documents,
    save_if_unchanged,
    transfer_statements,
    wait_until_blocked,
)


def documents() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    make_documents(conn)
    conn.execute("INSERT INTO documents (id, body) VALUES (1, 'draft')")
    conn.commit()
    return conn


def test_blind_writes_lose_an_update() -> None:
    conn = documents()
    alice_body, _ = load(conn, 1)
    bob_body, _ = load(conn, 1)
    conn.execute("UPDATE documents SET body = ? WHERE id = 1", (alice_body + " +alice",))
    conn.execute("UPDATE documents SET body = ? WHERE id = 1", (bob_body + " +bob",))
    assert load(conn, 1)[0] == "draft +bob"  # Alice's edit is gone and nobody was told
    conn.close()


def test_version_column_refuses_the_stale_write() -> None:
    conn = documents()
    alice_body, alice_version = load(conn, 1)
    bob_body, bob_version = load(conn, 1)
    assert save_if_unchanged(conn, 1, alice_body + " +alice", alice_version)
    assert not save_if_unchanged(conn, 1, bob_body + " +bob", bob_version)
    assert load(conn, 1) == ("draft +alice", 2)
    # Bob reloads and retries: both edits survive.
    body, version = load(conn, 1)
    assert save_if_unchanged(conn, 1, body + " +bob", version)
    assert load(conn, 1) == ("draft +alice +bob", 3)
    conn.close()


def test_every_transfer_locks_rows_in_the_same_order() -> None:
    forward = [params[1] for _, params in transfer_statements(1, 2, 5)]
    backward = [params[1] for _, params in transfer_statements(2, 1, 5)]
    assert forward == backward == [1, 2]
    assert lock_order([9, 2, 2, 5]) == [2, 5, 9]


def test_transfer_moves_the_amount_and_refuses_bad_input() -> None:
    deltas = {target: delta for _, (delta, target) in transfer_statements(3, 8, 40)}
    assert deltas == {3: -40, 8: 40}
    with pytest.raises(ValueError, match="two accounts"):
        transfer_statements(4, 4, 1)
    with pytest.raises(ValueError, match="amount must be positive"):
        transfer_statements(1, 2, 0)
    conn = documents()
    with pytest.raises(KeyError):
        load(conn, 99)
    conn.close()


class FakeCursor:
    def __init__(self, rows: list[tuple[str, str]]) -> None:
        self.rows = rows

    def fetchall(self) -> list[tuple[str, str]]:
        return self.rows


class FakeObserver:
    """Answers pg_locks queries from a script; pg_sleep advances a fake clock."""

    def __init__(self, waits_after: int | None) -> None:
        self.waits_after = waits_after
        self.polls = 0
        self.now = 0.0

    def execute(self, query: str, params: Any = ()) -> FakeCursor:
        if "pg_sleep" in query:
            self.now += 0.005
            return FakeCursor([])
        self.polls += 1
        if self.waits_after is not None and self.polls > self.waits_after:
            return FakeCursor([("transactionid", "ShareLock")])
        return FakeCursor([])


def test_waiting_for_a_lock_returns_what_the_backend_waits_for() -> None:
    observer = FakeObserver(waits_after=3)
    waits = wait_until_blocked(observer, pid=42, clock=lambda: observer.now)
    assert waits == [("transactionid", "ShareLock")]
    assert observer.polls == 4


def test_a_lock_wait_that_never_comes_fails_instead_of_hanging() -> None:
    observer = FakeObserver(waits_after=None)
    with pytest.raises(TimeoutError, match="backend 42 never waited"):
        wait_until_blocked(observer, pid=42, deadline=0.5, clock=lambda: observer.now)
    assert observer.polls == 101  # polled every 5 ms of (fake) time for 0.5 s, then gave up
    with pytest.raises(ValueError, match="deadline must be positive"):
        wait_until_blocked(observer, pid=42, deadline=0)


def guarded(schema: PostgresSchema, deadlock_timeout: str = "1s") -> psycopg.Connection[Any]:
    """A connection that gives up on a lock after 3 s, so a broken test fails, not hangs."""
    conn = schema.connect()
    conn.execute("SET lock_timeout = '3s'")
    conn.execute(f"SET deadlock_timeout = '{deadlock_timeout}'")
    conn.commit()
    return conn


def accounts(schema: PostgresSchema) -> None:
    with schema.connect(autocommit=True) as conn:
        conn.execute("CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)")
        conn.execute("INSERT INTO accounts VALUES (1, 100), (2, 100)")


@pytest.mark.engine("postgres")
def test_select_for_update_blocks_a_second_writer(pg_schema: PostgresSchema) -> None:
    accounts(pg_schema)
    first, second = guarded(pg_schema), guarded(pg_schema)
    observer = pg_schema.connect(autocommit=True)
    first.execute("SELECT balance FROM accounts WHERE id = 1 FOR UPDATE")
    with ThreadPoolExecutor(1) as pool:
        blocked = pool.submit(
            second.execute, "UPDATE accounts SET balance = balance - 10 WHERE id = 1"
        )
        # The second writer waits for the first transaction's id: a row lock.
        assert ("transactionid", "ShareLock") in wait_until_blocked(
            observer, second.info.backend_pid
        )
        assert not blocked.done()
        first.execute("UPDATE accounts SET balance = balance + 50 WHERE id = 1")
        first.commit()
        blocked.result(timeout=5)
    second.commit()
    assert observer.execute("SELECT balance FROM accounts WHERE id = 1").fetchone() == (140,)


@pytest.mark.engine("postgres")
def test_skip_locked_gives_each_worker_a_different_job(pg_schema: PostgresSchema) -> None:
    with pg_schema.connect(autocommit=True) as conn:
        conn.execute("CREATE TABLE jobs (id int PRIMARY KEY, state text NOT NULL)")
        # Inserted out of id order, so heap order is not "oldest first".
        conn.execute("INSERT INTO jobs VALUES (3, 'ready'), (1, 'ready'), (2, 'ready')")
    workers = [guarded(pg_schema) for _ in range(4)]
    claimed = [claim_job(worker) for worker in workers]  # all four transactions stay open
    assert claimed == [1, 2, 3, None]  # nobody waited, nobody got a job twice
    # The worker holding job 1 dies: its backend ends, its transaction rolls back.
    crashed = workers[0].info.backend_pid
    workers[0].close()
    observer = pg_schema.connect(autocommit=True)
    for _ in range(1000):  # bounded: fail, not hang, if the backend never goes
        gone = observer.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (crashed,))
        if gone.fetchone() == (0,):
            break
        observer.execute("SELECT pg_sleep(0.005)")
    assert claim_job(workers[3]) == 1  # the dead worker's job is claimable again
    for worker in workers[1:]:
        worker.rollback()


@pytest.mark.engine("postgres")
def test_opposite_lock_order_deadlocks_and_postgres_aborts_one(pg_schema: PostgresSchema) -> None:
    accounts(pg_schema)
    # Only b's deadlock check fires first (50 ms against 3 s), so b is the victim.
    a, b = guarded(pg_schema, "3s"), guarded(pg_schema, "50ms")
    observer = pg_schema.connect(autocommit=True)
    a.execute("UPDATE accounts SET balance = balance - 1 WHERE id = 1")
    b.execute("UPDATE accounts SET balance = balance - 1 WHERE id = 2")
    with ThreadPoolExecutor(1) as pool:
        a_waits = pool.submit(a.execute, "UPDATE accounts SET balance = balance + 1 WHERE id = 2")
        assert ("transactionid", "ShareLock") in wait_until_blocked(observer, a.info.backend_pid)
        with pytest.raises(psycopg.errors.DeadlockDetected) as caught:
            b.execute("UPDATE accounts SET balance = balance + 1 WHERE id = 1")
        assert caught.value.sqlstate == DEADLOCK_DETECTED
        b.rollback()  # the victim's locks are released, so a goes on
        a_waits.result(timeout=5)
    a.commit()  # only a's transfer of 1 from account 1 to account 2 happened
    assert observer.execute("SELECT balance FROM accounts ORDER BY id").fetchall() == [
        (99,),
        (101,),
    ]


@pytest.mark.engine("postgres")
def test_transfers_in_one_lock_order_wait_instead_of_deadlocking(
    pg_schema: PostgresSchema,
) -> None:
    accounts(pg_schema)
    a, b = guarded(pg_schema, "50ms"), guarded(pg_schema, "50ms")
    observer = pg_schema.connect(autocommit=True)
    a_first, a_second = transfer_statements(1, 2, 30)
    b_first, b_second = transfer_statements(2, 1, 10)
    a.execute(*a_first)
    with ThreadPoolExecutor(1) as pool:
        b_waits = pool.submit(lambda: b.execute(*b_first))  # b wants row 1 first too
        assert ("transactionid", "ShareLock") in wait_until_blocked(observer, b.info.backend_pid)
        a.execute(*a_second)  # row 2 is free: no cycle
        a.commit()
        b_waits.result(timeout=5)
    b.execute(*b_second)
    b.commit()
    assert observer.execute("SELECT balance FROM accounts ORDER BY id").fetchall() == [
        (80,),
        (120,),
    ]
