"""database.caching: read-through, write-through, write-behind and the delete-after-write race.

The table is a real sqlite3 database in memory; queries are counted, never timed.
The race is played step by step in one thread, so its outcome is fixed. The Redis
tests play the same race on a real server with two clients.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

import pytest
import redis
from redis.crc import key_slot

from fundamentals.database.caching import (
    CacheAside,
    DictCache,
    LeaseCache,
    StaleSetRace,
    Table,
    WriteBehind,
    WriteThrough,
    gen_key,
    redis_fill_if_unchanged,
    redis_invalidate,
)


@pytest.fixture
def table() -> Iterator[Callable[[], Table]]:
    """New tables, each in its own in-memory database, all closed afterwards."""
    opened: list[sqlite3.Connection] = []

    def make() -> Table:
        opened.append(sqlite3.connect(":memory:"))
        return Table(opened[-1])

    yield make
    for conn in opened:
        conn.close()


def test_read_through_loads_a_miss_once_then_serves_hits(table: Callable[[], Table]) -> None:
    rt = CacheAside(table(), DictCache())
    rt.table.write("user:1", "ada")
    before = rt.table.queries
    values = [rt.get("user:1") for _ in range(10)]
    assert values == ["ada"] * 10
    assert rt.table.queries - before == 1
    assert (rt.cache.hits, rt.cache.misses) == (9, 1)


def test_read_through_put_invalidates_so_the_next_read_sees_the_new_value(
    table: Callable[[], Table],
) -> None:
    rt = CacheAside(table(), DictCache())
    rt.put("user:1", "ada")
    assert rt.get("user:1") == "ada"
    rt.put("user:1", "grace")
    assert "user:1" not in rt.cache.data
    assert rt.get("user:1") == "grace"


def test_a_write_that_bypasses_the_cache_leaves_it_stale(table: Callable[[], Table]) -> None:
    rt = CacheAside(table(), DictCache())
    rt.put("user:1", "ada")
    assert rt.get("user:1") == "ada"
    rt.table.write("user:1", "grace")  # another service writes the database directly
    assert rt.get("user:1") == "ada"


def test_write_through_keeps_the_cache_current_and_costs_no_read_after_a_write(
    table: Callable[[], Table],
) -> None:
    wt = WriteThrough(table(), DictCache())
    wt.put("user:1", "ada")
    wt.put("user:1", "grace")
    before = wt.table.queries
    assert wt.get("user:1") == "grace"
    assert wt.table.queries == before
    assert wt.table.read("user:1") == "grace"


def test_two_write_through_writers_can_leave_the_cache_behind_the_database(
    table: Callable[[], Table],
) -> None:
    wt = WriteThrough(table(), DictCache())
    wt.write_db("price", "11")  # writer 1 updates the database
    wt.write_db("price", "12")  # writer 2 updates it after writer 1
    wt.update_cache("price", "12")  # writer 2 sets the cache first
    wt.update_cache("price", "11")  # writer 1's set lands last
    assert (wt.table.read("price"), wt.cache.get("price")) == ("12", "11")


def test_deleting_on_write_survives_the_same_interleaving(table: Callable[[], Table]) -> None:
    ca = CacheAside(table(), DictCache())
    ca.write_db("price", "11")
    ca.write_db("price", "12")
    ca.update_cache("price", "12")
    ca.update_cache("price", "11")
    assert "price" not in ca.cache.data
    assert ca.get("price") == "12"


def test_write_through_sets_the_cache_only_after_the_database_accepted_the_write(
    table: Callable[[], Table],
) -> None:
    wt = WriteThrough(table(), DictCache())
    with pytest.raises(TypeError, match="value must be str"):
        wt.put("k", 1)  # type: ignore[arg-type]
    assert wt.cache.data == {}


def test_write_behind_coalesces_writes_and_each_flush_writes_a_key_once(
    table: Callable[[], Table],
) -> None:
    wb = WriteBehind(table(), DictCache())
    for i in range(100):
        wb.put("counter", str(i))
    wb.put("other", "x")
    assert wb.table.queries == 0  # 101 writes accepted, no query yet
    assert wb.flush() == 2
    assert wb.table.queries == 2
    assert wb.table.read("counter") == "99"
    assert wb.flush() == 0


def test_write_behind_loses_what_was_queued_when_the_process_dies(
    table: Callable[[], Table],
) -> None:
    wb = WriteBehind(table(), DictCache())
    wb.put("a", "1")
    wb.flush()
    wb.put("a", "2")
    wb.put("b", "1")
    assert wb.get("a") == "2"  # the caller saw its write succeed
    assert wb.crash() == ["a", "b"]
    assert wb.table.read("a") == "1"
    assert wb.table.read("b") is None


def test_delete_after_write_race_leaves_the_old_value_cached(table: Callable[[], Table]) -> None:
    t = table()
    t.write("price", "10")
    race = StaleSetRace(t, LeaseCache(), leases=False)
    assert race.run("price", "12") == "10"
    assert t.read("price") == "12"
    assert race.log == [
        "reader: miss",
        "reader: read '10' from the table",
        "writer: wrote '12' to the table",
        "writer: deleted the cached key",
        "reader: fill '10' accepted",
    ]


def test_a_lease_refuses_the_stale_fill_and_the_next_read_loads_the_new_value(
    table: Callable[[], Table],
) -> None:
    t = table()
    t.write("price", "10")
    cache = LeaseCache()
    race = StaleSetRace(t, cache, leases=True)
    assert race.run("price", "12") is None
    assert race.log[-1] == "reader: fill '10' refused"
    token = cache.lease("price")
    assert cache.fill("price", t.read("price") or "", token)
    assert cache.get("price") == "12"


def test_the_race_refuses_to_start_on_a_cached_key(table: Callable[[], Table]) -> None:
    cache = LeaseCache()
    cache.set("price", "10")
    with pytest.raises(ValueError, match="starts with a miss"):
        StaleSetRace(table(), cache, leases=True).run("price", "12")


def test_a_lease_not_revoked_in_between_is_accepted() -> None:
    cache = LeaseCache()
    cache.delete("k")
    token = cache.lease("k")
    assert cache.fill("k", "v", token)
    cache.delete("other")
    assert cache.data == {"k": "v"}


def test_table_rejects_a_value_that_is_not_text(table: Callable[[], Table]) -> None:
    with pytest.raises(TypeError, match="value must be str"):
        table().write("k", 1)  # type: ignore[arg-type]


def test_the_counter_shares_the_cluster_slot_of_its_key() -> None:
    for key in ("price", "hb:test:gw0:user:1", "a"):
        assert gen_key(key) != key
        assert key_slot(gen_key(key).encode()) == key_slot(key.encode())
    assert key_slot(b"price:gen") != key_slot(b"price")  # without the tag: CROSSSLOT


def test_gen_key_rejects_braces_and_the_fill_rejects_a_non_positive_ttl() -> None:
    with pytest.raises(ValueError, match="braces"):
        gen_key("{price}")
    with pytest.raises(ValueError, match="ttl_ms must be positive"):
        redis_fill_if_unchanged(None, "price", "10", "0", ttl_ms=0)  # type: ignore[arg-type]


def generation(client: redis.Redis, key: str) -> str:
    raw = client.get(gen_key(key))
    if raw is None:
        return "0"
    return raw.decode() if isinstance(raw, bytes) else str(raw)


@pytest.mark.engine("redis")
def test_redis_plain_set_after_delete_caches_the_old_value(
    redis_factory: Callable[[], redis.Redis], redis_prefix: str
) -> None:
    reader, writer = redis_factory(), redis_factory()
    key = redis_prefix + "price"
    db = {"price": "10"}
    assert reader.get(key) is None  # 1. miss
    old = db["price"]  # 2. read the database
    db["price"] = "12"  # 3. writer updates the database
    writer.delete(key)  # 4. and invalidates
    reader.set(key, old)  # 5. stale fill
    assert writer.get(key) == b"10"


@pytest.mark.engine("redis")
def test_redis_fill_is_refused_after_an_invalidation_and_accepted_without_one(
    redis_factory: Callable[[], redis.Redis], redis_prefix: str
) -> None:
    reader, writer = redis_factory(), redis_factory()
    key = redis_prefix + "price"
    db = {"price": "10"}
    assert reader.get(key) is None
    seen = generation(reader, key)
    old = db["price"]
    db["price"] = "12"
    redis_invalidate(writer, key)
    assert not redis_fill_if_unchanged(reader, key, old, seen)
    assert writer.get(key) is None
    seen = generation(reader, key)
    assert redis_fill_if_unchanged(reader, key, db["price"], seen, ttl_ms=30_000)
    assert writer.get(key) == b"12"
    assert 0 < writer.pttl(key) <= 30_000  # the fill set a TTL
    assert writer.exists(gen_key(key)) == 1
