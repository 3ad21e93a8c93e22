"""Tests for database.pooling: a bounded pool with a checkout timeout, sizing against
max_connections, session vs transaction pooling; on PostgreSQL, backend starts
counted and the connect/query cost ratio measured."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pytest

from conftest import PostgresSchema
from fundamentals.database.pooling import Pool, Pooler, PoolTimeout, budget, starting_size


class Opener:
    """Counts connections opened; each is a distinct object."""

    def __init__(self) -> None:
        self.opened = 0

    def __call__(self) -> object:
        self.opened += 1
        return object()


def test_a_pool_reuses_one_connection_for_sequential_requests() -> None:
    opener = Opener()
    pool: Pool[object] = Pool(opener, size=5, timeout=1.0)
    seen = set()
    for _ in range(100):
        with pool.connection() as conn:
            seen.add(id(conn))
        pool._check()
    assert opener.opened == pool.created == len(seen) == 1


def test_the_most_recently_returned_connection_is_handed_out_first() -> None:
    pool: Pool[object] = Pool(Opener(), size=2, timeout=1.0)
    a, b = pool.acquire(), pool.acquire()
    pool.release(a)
    pool.release(b)
    assert pool.acquire() is b


def test_the_pool_never_opens_more_than_its_size() -> None:
    opener = Opener()
    pool: Pool[object] = Pool(opener, size=3, timeout=1.0)
    held = [pool.acquire() for _ in range(3)]
    extra: object | None = None
    try:
        extra = pool.acquire(timeout=0.01)  # nobody releases: the deadline is the point
    except PoolTimeout as exc:
        message = str(exc)
    else:
        message = ""
    assert extra is None, "a fourth connection was opened beyond size 3"
    assert "size 3" in message
    assert opener.opened == 3
    for conn in held:
        pool.release(conn)
    pool._check()


def test_a_waiter_gets_the_connection_another_request_releases() -> None:
    # The pool's own timeout (30 s) is far above the test's (2 s): a release that
    # does not wake the waiter fails here by TimeoutError, not by a slow pass.
    pool: Pool[object] = Pool(Opener(), size=1, timeout=30.0)
    first = pool.acquire()
    with ThreadPoolExecutor(1) as runner:
        waiter = runner.submit(pool.acquire)
        try:
            for _ in range(1_000_000):  # bounded: fails, not hangs, if it never waits
                with pool._cond:
                    if pool.waiting == 1 or waiter.done():
                        break
                os.sched_yield()
            assert pool.waiting == 1
            assert not waiter.done()
            pool.release(first)
            assert waiter.result(timeout=2) is first
        finally:
            with pool._cond:  # a broken release must not keep the thread for 30 s
                pool._cond.notify_all()
    assert pool.created == 1


def test_many_threads_share_a_small_pool_without_exceeding_it() -> None:
    opener = Opener()
    pool: Pool[object] = Pool(opener, size=2, timeout=30.0)
    both_in = threading.Barrier(2, timeout=5)  # forces two holders to overlap
    third_done = threading.Event()

    def holder() -> None:
        with pool.connection():
            both_in.wait()
            third_done.wait(timeout=5)

    holders = [threading.Thread(target=holder) for _ in range(2)]
    for thread in holders:
        thread.start()
    third = ThreadPoolExecutor(1)
    try:
        for _ in range(1_000_000):  # bounded: both holders must have a connection
            with pool._cond:
                if pool.created == 2 and not pool._idle and len(pool._busy) == 2:
                    break
            os.sched_yield()
        waiter = third.submit(pool.acquire, 5.0)
        for _ in range(1_000_000):  # the third request must wait, not open a third
            with pool._cond:
                if pool.waiting == 1 or waiter.done():
                    break
            os.sched_yield()
        assert pool.waiting == 1
        assert opener.opened == 2
    finally:
        third_done.set()
    for thread in holders:
        thread.join(timeout=5)
        assert not thread.is_alive()
    got = waiter.result(timeout=5)
    third.shutdown()
    pool.release(got)
    assert opener.opened == pool.created == 2
    pool._check()


def test_release_resets_a_connection_and_discards_one_that_cannot_be_reset() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x INTEGER)")
    pool: Pool[sqlite3.Connection] = Pool(lambda: conn, size=1, timeout=1.0, reset=rollback)
    with pool.connection() as first:
        first.execute("INSERT INTO t VALUES (1)")  # left open by the request
        assert first.in_transaction
    with pool.connection() as second:
        assert not second.in_transaction  # the next borrower starts clean
        assert second.execute("SELECT count(*) FROM t").fetchone() == (0,)
    conn.close()

    def broken(_: object) -> None:
        raise RuntimeError("connection is dead")

    opener = Opener()
    flaky: Pool[object] = Pool(opener, size=1, timeout=1.0, reset=broken)
    with flaky.connection():
        pass
    assert flaky.created == 0  # discarded, not handed to the next request
    with flaky.connection():
        pass
    assert opener.opened == 2
    flaky._check()


def rollback(conn: sqlite3.Connection) -> None:
    conn.rollback()


def test_release_and_constructor_check_their_input() -> None:
    pool: Pool[object] = Pool(Opener(), size=1, timeout=0.0)
    with pytest.raises(ValueError, match="did not hand out"):
        pool.release(object())
    with pytest.raises(ValueError, match="size must be"):
        Pool(Opener(), size=0, timeout=1.0)
    with pytest.raises(ValueError, match="timeout must be"):
        Pool(Opener(), size=1, timeout=-1.0)


def test_pools_of_all_instances_must_fit_in_max_connections() -> None:
    assert budget(instances=4, pool_size=20, max_connections=100) == 17
    assert budget(instances=1, pool_size=97, max_connections=100) == 0
    with pytest.raises(ValueError, match="exceed 97 available slots"):
        budget(instances=10, pool_size=20, max_connections=100)
    assert starting_size(cores=4, spindles=1) == 9
    with pytest.raises(ValueError, match="cores >= 1"):
        starting_size(cores=0)


@pytest.fixture
def servers() -> Iterator[Callable[[int], list[sqlite3.Connection]]]:
    made: list[sqlite3.Connection] = []

    def make(count: int) -> list[sqlite3.Connection]:
        made.extend(sqlite3.connect(":memory:") for _ in range(count))
        return made[-count:]

    yield make
    for conn in made:
        conn.close()


def temp_table_visible(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT count(*) FROM sqlite_temp_master WHERE name = 'cart'").fetchone()
    return bool(row == (1,))


def test_transaction_pooling_loses_and_leaks_session_state(
    servers: Callable[[int], list[sqlite3.Connection]],
) -> None:
    pooler = Pooler(servers(2), "transaction")
    pooler.begin("alice").execute("CREATE TEMP TABLE cart (item TEXT)")  # session state
    pooler.commit("alice")
    bob = pooler.begin("bob")  # bob's transaction gets the connection alice just left
    alice = pooler.begin("alice")  # alice's next one runs on the other connection
    assert temp_table_visible(bob)  # leaked to another client
    assert not temp_table_visible(alice)  # gone for the client that made it


def test_session_pooling_keeps_session_state(
    servers: Callable[[int], list[sqlite3.Connection]],
) -> None:
    pooler = Pooler(servers(2), "session")
    pooler.begin("alice").execute("CREATE TEMP TABLE cart (item TEXT)")
    pooler.commit("alice")
    bob = pooler.begin("bob")
    alice = pooler.begin("alice")
    assert temp_table_visible(alice)
    assert not temp_table_visible(bob)
    pooler.leave("alice")
    pooler.leave("bob")
    with pytest.raises(ValueError, match="no transaction open"):
        pooler.commit("carol")


def test_a_pooler_with_every_server_held_refuses_a_new_client(
    servers: Callable[[int], list[sqlite3.Connection]],
) -> None:
    pooler = Pooler(servers(1), "session")
    pooler.begin("alice")
    with pytest.raises(PoolTimeout):
        pooler.begin("bob")
    with pytest.raises(ValueError, match="mode must be"):
        Pooler(servers(1), "statement")  # type: ignore[arg-type]


def backend_pids(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT pg_backend_pid()").fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.engine("postgres")
def test_postgres_starts_a_backend_per_connection_and_none_per_pooled_query(
    pg_schema: PostgresSchema,
) -> None:
    requests = 10
    unpooled = set()
    for _ in range(requests):
        with pg_schema.connect() as conn:  # connect per request: a fresh backend each time
            unpooled.add(backend_pids(conn))
    pool: Pool[psycopg.Connection[Any]] = Pool(pg_schema.connect, size=2, timeout=2.0)
    pooled = set()
    for _ in range(requests):
        with pool.connection() as conn:
            pooled.add(backend_pids(conn))
            conn.rollback()
    assert len(unpooled) == requests  # one backend process forked per connection
    assert len(pooled) == pool.created == 1


def planning_blocks(conn: psycopg.Connection[Any]) -> int:
    """Shared-buffer blocks the planner touched for one query: catalog reads."""
    row = conn.execute(
        "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT count(*) FROM pg_class WHERE relname = 'x'"
    ).fetchone()
    assert row is not None
    planning = row[0][0].get("Planning", {})
    return int(planning.get("Shared Hit Blocks", 0)) + int(planning.get("Shared Read Blocks", 0))


@pytest.mark.engine("postgres")
def test_a_new_backend_reads_the_catalog_a_pooled_one_has_cached(
    pg_schema: PostgresSchema, record_property: Callable[[str, object], None]
) -> None:
    # Counted, not timed: the first query on a fresh backend loads its catalog
    # caches (buffer reads during planning); the same query on a warm one reads none.
    cold = []
    for _ in range(3):
        with pg_schema.connect(autocommit=True) as conn:
            cold.append(planning_blocks(conn))
    with pg_schema.connect(autocommit=True) as conn:
        planning_blocks(conn)
        warm = [planning_blocks(conn) for _ in range(3)]
    record_property("cold_planning_blocks", cold)
    assert min(cold) > 0
    assert warm == [0, 0, 0]
