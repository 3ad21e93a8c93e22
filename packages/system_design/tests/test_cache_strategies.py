"""Tests for system_design.cache_strategies: stale fill, leases, write-through vs write-behind."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from handbook.system_design.cache_strategies import (
    TABLE_SQL,
    CacheAside,
    Database,
    LeasedCacheAside,
    WriteBehind,
    WriteThrough,
    pg_redis_read,
    pg_redis_read_leased,
    pg_redis_write,
)


def stale_fill_schedule(cache: CacheAside) -> str | None:
    """1. reader misses and reads v1; 2. writer stores v2 and invalidates; 3. reader fills."""
    return cache.read("k", before_fill=lambda: cache.write("k", "v2"))


def test_cache_aside_fills_the_stale_value_after_a_concurrent_write() -> None:
    db = Database({"k": "v1"})
    cache = CacheAside(db)
    assert stale_fill_schedule(cache) == "v1"
    assert db.rows["k"] == "v2"
    assert cache.cache["k"] == "v1"
    # This model has no TTL: the stale value stays forever (the Redis twin shows the TTL bound).
    assert cache.read("k") == "v1"


def test_cache_aside_without_a_concurrent_write_reads_the_latest_value() -> None:
    db = Database({"k": "v1"})
    cache = CacheAside(db)
    assert cache.read("k") == "v1"
    cache.write("k", "v2")
    assert "k" not in cache.cache
    assert cache.read("k") == "v2"
    assert cache.read("missing") is None
    assert "missing" not in cache.cache


def test_a_lease_rejects_the_stale_fill_and_the_next_read_gets_the_new_value() -> None:
    db = Database({"k": "v1"})
    cache = LeasedCacheAside(db)
    assert stale_fill_schedule(cache) == "v1"  # true when it was read
    assert cache.cache == {}
    assert cache.read("k") == "v2"
    assert cache.cache == {"k": "v2"}
    assert cache.leases == {}


class WriteRightAfterRead(dict[str, str]):
    """Rows whose first ``get`` runs ``then`` as soon as the value has been read."""

    def __init__(self, rows: dict[str, str], then: Callable[[], None]) -> None:
        super().__init__(rows)
        self.then: Callable[[], None] | None = then

    def get(self, key: str, default: Any = None) -> Any:
        value = super().get(key, default)
        then, self.then = self.then, None
        if then is not None:
            then()
        return value


def test_a_write_right_after_the_read_is_caught_because_the_lease_came_first() -> None:
    db = Database({"k": "v1"})
    cache = LeasedCacheAside(db)
    db.rows = WriteRightAfterRead(db.rows, lambda: cache.write("k", "v2"))
    assert cache.read("k") == "v1"
    assert db.rows["k"] == "v2"
    assert cache.cache == {}  # no stale fill: the write revoked the lease taken before the read


def test_the_last_reader_to_miss_holds_the_lease() -> None:
    db = Database({"k": "v1"})
    cache = LeasedCacheAside(db)
    first: list[int] = []
    during_second: list[int] = []

    def second_reader() -> None:
        first.append(cache.leases["k"])
        cache.read("k", before_fill=lambda: during_second.append(cache.leases["k"]))

    assert cache.read("k", before_fill=second_reader) == "v1"
    assert during_second[0] > first[0]  # the second miss replaced the first reader's lease
    assert cache.cache == {"k": "v1"}
    assert cache.leases == {}


def test_a_lease_still_fills_when_no_write_intervenes() -> None:
    db = Database({"k": "v1"})
    cache = LeasedCacheAside(db)
    assert cache.read("k") == "v1"
    assert cache.cache == {"k": "v1"}
    assert cache.leases == {}


def acknowledged_writes(store: WriteThrough | WriteBehind) -> None:
    for i in range(5):
        store.write(f"k{i}", f"v{i}")  # each call returning is the client's acknowledgement


def test_write_through_keeps_every_acknowledged_write_across_a_cache_crash() -> None:
    db = Database()
    store = WriteThrough(db)
    acknowledged_writes(store)
    store.crash()
    assert db.rows == {f"k{i}": f"v{i}" for i in range(5)}


class SecondWriterInsideTheFirst(Database):
    """A database whose first write lets ``then`` run before the writer continues."""

    def __init__(self, then: Callable[[], None]) -> None:
        super().__init__()
        self.then: Callable[[], None] | None = then

    def write(self, key: str, value: str) -> None:
        super().write(key, value)
        then, self.then = self.then, None
        if then is not None:
            then()


def test_write_through_with_concurrent_writers_leaves_the_older_value_in_the_cache() -> None:
    through = WriteThrough(Database())
    through.db = SecondWriterInsideTheFirst(lambda: through.write("k", "w2"))
    through.write("k", "w1")  # W1: database; W2: database and cache; W1: cache
    assert through.db.rows == {"k": "w2"}
    assert through.cache == {"k": "w1"}


def test_delete_on_write_survives_the_same_interleaving() -> None:
    aside = CacheAside(Database())
    aside.db = SecondWriterInsideTheFirst(lambda: aside.write("k", "w2"))
    aside.write("k", "w1")
    assert aside.db.rows == {"k": "w2"}
    assert aside.cache == {}
    assert aside.read("k") == "w2"


def test_write_behind_loses_acknowledged_writes_that_were_not_flushed() -> None:
    db = Database()
    store = WriteBehind(db, batch=4)
    acknowledged_writes(store)
    store.crash()
    assert db.rows == {f"k{i}": f"v{i}" for i in range(4)}  # k4 was acknowledged, then lost


def test_write_behind_coalesces_writes_to_one_key_and_write_through_does_not() -> None:
    behind_db, through_db = Database(), Database()
    behind, through = WriteBehind(behind_db, batch=10), WriteThrough(through_db)
    for i in range(100):
        behind.write("hot", str(i))
        through.write("hot", str(i))
    behind.flush()
    assert behind_db.rows == through_db.rows == {"hot": "99"}
    assert (behind_db.writes, through_db.writes) == (1, 100)


def test_bad_batch_is_rejected() -> None:
    with pytest.raises(ValueError, match="batch must be at least 1"):
        WriteBehind(Database(), batch=0)


# --- On the real engine: PostgreSQL + Redis -----------------------------------


class SteppedReader:
    """Runs a read on its own thread and stops it between the SELECT and the fill."""

    def __init__(self, read: Callable[[Callable[[], None]], str | None]) -> None:
        self.selected, self.go = threading.Event(), threading.Event()
        self.result: list[str | None] = []
        self.thread = threading.Thread(target=lambda: self.result.append(read(self._pause)))
        self.thread.start()
        assert self.selected.wait(5)  # step 1 done: the reader has read v1 from PostgreSQL

    def _pause(self) -> None:
        self.selected.set()
        assert self.go.wait(5)

    def fill(self) -> str | None:
        self.go.set()  # step 3: let the reader fill the cache
        self.thread.join(5)
        assert not self.thread.is_alive()
        return self.result[0]


def setup_item(pg_schema: Any) -> tuple[Any, Any]:
    reader, writer = pg_schema.connect(autocommit=True), pg_schema.connect(autocommit=True)
    writer.execute(TABLE_SQL)
    writer.execute("INSERT INTO items VALUES ('k', 'v1')")
    return reader, writer


@pytest.mark.engine("postgres")
@pytest.mark.engine("redis")
def test_pg_redis_cache_aside_fills_the_stale_value_after_a_concurrent_write(
    pg_schema: Any, redis_factory: Callable[[], Any], redis_prefix: str
) -> None:
    reader_db, writer_db = setup_item(pg_schema)
    reader_cache, writer_cache = redis_factory(), redis_factory()
    key = redis_prefix + "item:k"
    reader = SteppedReader(
        lambda pause: pg_redis_read(reader_db, reader_cache, "k", key, 60_000, pause)
    )
    pg_redis_write(writer_db, writer_cache, "k", key, "v2")  # step 2: commit v2, DEL the key
    assert reader.fill() == "v1"
    assert writer_db.execute("SELECT value FROM items WHERE id = 'k'").fetchone() == ("v2",)
    assert writer_cache.get(key) == b"v1"  # Redis serves the old value...
    assert 0 < writer_cache.pttl(key) <= 60_000  # ...until its TTL runs out
    assert pg_redis_read(writer_db, writer_cache, "k", key, 60_000) == "v1"


@pytest.mark.engine("postgres")
@pytest.mark.engine("redis")
def test_pg_redis_lease_rejects_the_stale_fill(
    pg_schema: Any, redis_factory: Callable[[], Any], redis_prefix: str
) -> None:
    reader_db, writer_db = setup_item(pg_schema)
    reader_cache, writer_cache = redis_factory(), redis_factory()
    key = redis_prefix + "item:k"
    reader = SteppedReader(
        lambda pause: pg_redis_read_leased(
            reader_db, reader_cache, "k", key, 60_000, token="reader", before_fill=pause
        )
    )
    assert writer_cache.get(key + ":lease") == b"reader"
    # A second reader misses while the lease is held: NX refuses it, it reads and does not fill.
    assert pg_redis_read_leased(writer_db, writer_cache, "k", key, 60_000, token="other") == "v1"
    assert writer_cache.get(key + ":lease") == b"reader"
    assert writer_cache.exists(key) == 0
    pg_redis_write(writer_db, writer_cache, "k", key, "v2")  # also deletes the lease
    assert reader.fill() == "v1"
    assert writer_cache.exists(key, key + ":lease") == 0  # the fill was refused
    assert pg_redis_read_leased(writer_db, writer_cache, "k", key, 60_000, token="next") == "v2"
    assert writer_cache.get(key) == b"v2"
    assert 0 < writer_cache.pttl(key) <= 60_000
    assert writer_cache.exists(key + ":lease") == 0


class Fetched:
    def __init__(self, row: Any) -> None:
        self.row = row

    def fetchone(self) -> Any:
        return self.row


class WriteRightAfterSelect:
    """A connection whose first query runs ``then`` as soon as its row has been fetched."""

    def __init__(self, conn: Any, then: Callable[[], None]) -> None:
        self.conn = conn
        self.then: Callable[[], None] | None = then

    def execute(self, query: Any, params: Any = None) -> Fetched:
        row = self.conn.execute(query, params).fetchone()
        then, self.then = self.then, None
        if then is not None:
            then()
        return Fetched(row)


@pytest.mark.engine("postgres")
@pytest.mark.engine("redis")
def test_pg_redis_lease_is_taken_before_the_select(
    pg_schema: Any, redis_factory: Callable[[], Any], redis_prefix: str
) -> None:
    reader_db, writer_db = setup_item(pg_schema)
    reader_cache, writer_cache = redis_factory(), redis_factory()
    key = redis_prefix + "item:k"
    conn = WriteRightAfterSelect(
        reader_db, lambda: pg_redis_write(writer_db, writer_cache, "k", key, "v2")
    )
    assert pg_redis_read_leased(conn, reader_cache, "k", key, 60_000, token="reader") == "v1"
    assert writer_db.execute("SELECT value FROM items WHERE id = 'k'").fetchone() == ("v2",)
    assert writer_cache.exists(key, key + ":lease") == 0  # the fill was refused
