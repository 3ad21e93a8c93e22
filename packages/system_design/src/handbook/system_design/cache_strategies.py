"""Cache strategies: cache-aside's stale fill and the lease that stops it; write-through vs behind.

Why interviewers ask this:
    "Put a cache in front of the database" is in every design answer. The
    follow-up is what keeps it correct: which component writes the cache,
    when it is invalidated, and what a reader sees during a concurrent write
    or after a crash. The classic bug is cache-aside's stale fill, which
    leaves an old value in the cache until its TTL even though every writer
    invalidated correctly.

Common pitfalls:
    - The stale fill (``CacheAside``): a reader misses and reads v1 from the
      database; a writer stores v2 and deletes the cache entry; the reader then
      fills the cache with v1. The database says v2, the cache serves v1 until
      the entry expires, and no later write is needed to cause it.
    - Believing "delete after write" is enough: it is the right order (update
      the database, then invalidate), and the race above still happens with it.
    - Write-behind without durability: writes are acknowledged once they are in
      the cache and reach the database later, in batches; a crash before the
      flush loses acknowledged writes (``WriteBehind.crash``).
    - Write-through with concurrent writers: W1 writes the database, W2
      writes the database and the cache, then W1 writes the cache. The
      database has w2 and the cache keeps w1 (``WriteThrough`` shows it).
      Serialise writes per key, version the cache entry, or delete on write
      and let cache-aside reads fill.
    - Taking the lease after the database read: a write that lands between
      the read and the lease finds no lease to revoke, and the stale fill
      goes through. The lease must exist before the read starts.
    - No TTL at all: any missed invalidation then lives forever. A TTL bounds
      how long a stale entry can survive; it does not prevent it.

Key takeaways:
    - Cache-aside (lazy loading): read the cache, on a miss read the database
      and fill; writes go to the database and delete the entry.
    - Leases (memcached at Facebook, NSDI 2013) close the stale-fill race: a
      miss takes a lease token, a write deletes the entry *and* the lease, and
      a fill is accepted only while its lease is still there
      (``LeasedCacheAside``; on Redis ``FILL_SCRIPT`` compares the token).
    - Write-through writes the database synchronously, then the cache: an
      acknowledged write survives a cache crash, at the cost of write latency.
      It does not survive concurrent writers: the two cache updates can
      land in the opposite order from the two database writes.
    - Write-behind (write-back) acknowledges after the cache and flushes later:
      fast, and several writes to one key coalesce into one database write,
      but it loses what was not flushed when the cache process dies.

What to look for in an answer:
    The strategies named with who writes what and when, "invalidate, don't
    update" on writes, the stale-fill schedule drawn step by step, a fix
    (leases, or versioned fills), TTL as a bound, and what write-behind can lose.
    Follow-ups:
    - Why delete instead of setting the new value on write? (Two writers can
      update the database as w1, w2 and the cache as w2, w1: the cache keeps
      w1 for good. A delete is idempotent and order-free; the next reader
      fills from the database.)
    - How else can the race be closed? (Versioned fills: store a version with
      the value and only overwrite with a higher one; or read the value from
      the change stream (CDC, e.g. Debezium from the WAL) that applies writes
      in commit order.)
    - How does write-behind avoid losing data? (Put the pending writes in a
      durable log first, e.g. Kafka or Redis with AOF ``appendfsync always``,
      and replay it after a crash: that is a write-ahead log.)
    - Read-through vs cache-aside? (Read-through puts the loading inside the
      cache library or service, e.g. Caffeine's ``LoadingCache`` or DAX in
      front of DynamoDB. For a remote read-through cache that writes bypass,
      the race is the same, only the code moves. An in-process loader is
      safe only if the library drops a load that was invalidated while in
      flight, and Caffeine and Guava do not promise that: their
      ``invalidate`` is undefined for an entry that is being loaded.)
    - What do the readers that did not get the lease do? (Here they read the
      database and return without filling, so N concurrent misses are still
      N database reads. Facebook's memcached hands out one lease per key
      every 10 s and tells the other readers to wait briefly and retry the
      cache, so the lease also stops the thundering herd: see ``stampede``.)
    - The reader fills from a replica that lags the primary? (The stale-fill
      window becomes the replica lag, not a scheduling accident. Fill only
      from the primary, version the entries, or do as Facebook's "remote
      markers": after a write, read from the primary until the marker clears.)
    - The DEL after the commit fails (Redis timeout, the process dies)? (The
      stale entry lives until its TTL. Drive invalidation from the commit
      log, e.g. CDC or Facebook's mcsqueal tailing the MySQL binlog, so it is
      retried until it succeeds; or record the DEL in the same transaction
      (an outbox). The TTL stays as the backstop.)
    - Delete the entry before the update instead? (Worse: a reader can miss
      and fill the old value before the update commits, and no later DEL
      clears it. "Delayed double delete" (DEL, update, sleep, DEL) narrows
      the window but does not close it.)
    - Hot keys, cold start, cache penetration? (Replicate hot keys or add a
      small local cache with a short TTL; warm the cache on start; cache
      negative results briefly or put a Bloom filter in front; add TTL jitter
      so keys do not expire together.)

On the real engine:
    Checked on PostgreSQL 15.20 and Redis 7.0.15 with psycopg and redis-py:
    the database is a table read and updated through ``SELECT_SQL`` and
    ``UPDATE_SQL`` on autocommit connections, the cache is Redis. A reader
    thread and a writer, each with its own connections, are stepped with
    events through the stale-fill schedule: with plain cache-aside Redis
    keeps v1 (with its TTL still running) while PostgreSQL has v2; with the
    lease, ``FILL_SCRIPT`` refuses the fill, the next read returns v2, and
    the entry it stores has its TTL. A second reader that misses while the
    lease is held reads PostgreSQL and does not fill. A write committed
    right after the SELECT returned, before the reader does anything else,
    still finds the lease and revokes it, because the lease was taken before
    the SELECT. Tests:
    test_pg_redis_cache_aside_fills_the_stale_value_after_a_concurrent_write,
    test_pg_redis_lease_rejects_the_stale_fill,
    test_pg_redis_lease_is_taken_before_the_select.

Complexity:
    O(1) cache operations per read and write; write-behind turns k writes to
    one key between flushes into one database write.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any, Protocol

__all__ = [
    "FILL_SCRIPT",
    "SELECT_SQL",
    "TABLE_SQL",
    "UPDATE_SQL",
    "CacheAside",
    "CursorLike",
    "Database",
    "LeasedCacheAside",
    "RedisLike",
    "SqlLike",
    "WriteBehind",
    "WriteThrough",
    "pg_redis_read",
    "pg_redis_read_leased",
    "pg_redis_write",
]


def _nothing() -> None:
    pass


class Database:
    """The source of truth: a dict that counts the writes it receives."""

    def __init__(self, rows: dict[str, str] | None = None) -> None:
        self.rows: dict[str, str] = dict(rows or {})
        self.writes = 0

    def write(self, key: str, value: str) -> None:
        """Store one row (one database round trip)."""
        self.rows[key] = value
        self.writes += 1


class CacheAside:
    """Cache-aside with delete-on-write: correct orders, and still the stale fill.

    ``before_fill`` runs between the database read and the cache fill: the
    window in which another client's write makes the fill stale.

    >>> db = Database({"k": "v1"})
    >>> cache = CacheAside(db)
    >>> cache.read("k"), cache.cache
    ('v1', {'k': 'v1'})
    >>> cache.write("k", "v2"); cache.read("k")
    'v2'
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.cache: dict[str, str] = {}

    def read(self, key: str, before_fill: Callable[[], None] = _nothing) -> str | None:
        """Return the cached value, or read the database and fill the cache."""
        if key in self.cache:
            return self.cache[key]
        value = self.db.rows.get(key)
        before_fill()
        if value is not None:
            self.cache[key] = value
        return value

    def write(self, key: str, value: str) -> None:
        """Update the database, then delete the cache entry."""
        self.db.write(key, value)
        self.cache.pop(key, None)


class LeasedCacheAside(CacheAside):
    """Cache-aside with leases: a fill counts only if no write happened since the miss.

    Each miss takes a new lease and replaces any earlier reader's, so the last
    reader to miss is the one whose fill counts (the Redis twin does the
    opposite: ``SET NX``, the first reader wins). Readers whose lease is gone
    return what they read without filling.

    >>> db = Database({"k": "v1"})
    >>> cache = LeasedCacheAside(db)
    >>> cache.read("k", before_fill=lambda: cache.write("k", "v2"))
    'v1'
    >>> cache.cache
    {}
    >>> cache.read("k")
    'v2'
    """

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.leases: dict[str, int] = {}
        self._tokens = itertools.count(1)

    def read(self, key: str, before_fill: Callable[[], None] = _nothing) -> str | None:
        """Like ``CacheAside.read``, but the fill is dropped if a write took the lease."""
        if key in self.cache:
            return self.cache[key]
        token = self.leases[key] = next(self._tokens)  # taken before the database read
        value = self.db.rows.get(key)  # break[lease-after-read]
        before_fill()
        if value is not None and self.leases.get(key) == token:  # break[ignore-lease]
            self.cache[key] = value
            self.leases.pop(key, None)
        return value

    def write(self, key: str, value: str) -> None:
        """Update the database, then delete the entry and any lease on it."""
        self.db.write(key, value)
        self.cache.pop(key, None)
        self.leases.pop(key, None)  # break[keep-lease]


class WriteThrough:
    """Writes go to the database synchronously, then to the cache.

    Two concurrent writers can interleave between the two steps and leave
    the older value in the cache (see the tests).
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.cache: dict[str, str] = {}

    def write(self, key: str, value: str) -> None:
        """Acknowledge only after the database has the value."""
        self.db.write(key, value)
        self.cache[key] = value

    def crash(self) -> None:
        """The cache process dies: its memory is gone."""
        self.cache.clear()


class WriteBehind:
    """Writes are acknowledged once cached and flushed to the database in batches.

    >>> db = Database()
    >>> wb = WriteBehind(db, batch=2)
    >>> wb.write("a", "1"); db.rows
    {}
    >>> wb.write("b", "2"); db.rows
    {'a': '1', 'b': '2'}
    """

    def __init__(self, db: Database, batch: int) -> None:
        if batch < 1:
            raise ValueError(f"batch must be at least 1, got {batch!r}")
        self.db = db
        self.batch = batch
        self.cache: dict[str, str] = {}
        self.pending: dict[str, str] = {}  # a later write to a key replaces the earlier one

    def write(self, key: str, value: str) -> None:
        """Acknowledge once cached; flush when ``batch`` keys are pending."""
        self.cache[key] = value
        self.pending[key] = value
        if len(self.pending) >= self.batch:  # break[flush-every-write]
            self.flush()

    def flush(self) -> None:
        """Write every pending key to the database, one write per key."""
        for key, value in self.pending.items():
            self.db.write(key, value)
        self.pending.clear()

    def crash(self) -> None:
        """The cache process dies: cached and not yet flushed writes are gone."""
        self.cache.clear()
        self.pending.clear()


# --- The engine twin: PostgreSQL is the database, Redis the cache -------------


class CursorLike(Protocol):
    def fetchone(self) -> Any: ...


class SqlLike(Protocol):
    """An autocommit DB-API style connection (psycopg 3's ``Connection`` fits)."""

    def execute(self, query: Any, params: Sequence[Any] | None = ...) -> CursorLike: ...


class RedisLike(Protocol):
    """The part of a Redis client the twin uses (redis-py's ``Redis`` fits)."""

    def get(self, name: str) -> Any: ...

    def set(self, name: str, value: str, *, nx: bool = ..., px: int | None = ...) -> Any: ...

    def delete(self, *names: str) -> Any: ...

    def eval(self, script: str, numkeys: int, *keys_and_args: Any) -> Any: ...


TABLE_SQL = "CREATE TABLE items (id text PRIMARY KEY, value text NOT NULL)"
SELECT_SQL = "SELECT value FROM items WHERE id = %s"
UPDATE_SQL = "UPDATE items SET value = %s WHERE id = %s"

# KEYS[1] cache entry, KEYS[2] its lease; ARGV[1] token, ARGV[2] value, ARGV[3] ttl ms.
FILL_SCRIPT = """
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  redis.call('DEL', KEYS[2])
  return 1
end
return 0
"""


def _select(conn: SqlLike, item: str) -> str | None:
    row = conn.execute(SELECT_SQL, (item,)).fetchone()
    return None if row is None else str(row[0])


def pg_redis_read(
    conn: SqlLike,
    r: RedisLike,
    item: str,
    cache_key: str,
    ttl_ms: int,
    before_fill: Callable[[], None] = _nothing,
) -> str | None:
    """Cache-aside on Redis over PostgreSQL: GET, on a miss SELECT and SET PX."""
    cached = r.get(cache_key)
    if cached is not None:
        return bytes(cached).decode()
    value = _select(conn, item)
    before_fill()
    if value is not None:
        r.set(cache_key, value, px=ttl_ms)
    return value


def pg_redis_read_leased(
    conn: SqlLike,
    r: RedisLike,
    item: str,
    cache_key: str,
    ttl_ms: int,
    token: str,
    before_fill: Callable[[], None] = _nothing,
    lease_ms: int = 10_000,
) -> str | None:
    """Cache-aside with a lease: ``SET key:lease token NX PX`` before the SELECT, and
    the fill runs in ``FILL_SCRIPT`` only while that lease is still ours.

    The first reader to miss gets the lease (``NX``). A reader that does not
    get it still runs the SELECT and returns the value, but does not fill.
    """
    cached = r.get(cache_key)
    if cached is not None:
        return bytes(cached).decode()
    lease = cache_key + ":lease"
    leased = r.set(lease, token, nx=True, px=lease_ms)
    value = _select(conn, item)
    before_fill()
    if value is not None and leased:
        r.eval(FILL_SCRIPT, 2, cache_key, lease, token, value, ttl_ms)
    return value


def pg_redis_write(conn: SqlLike, r: RedisLike, item: str, cache_key: str, value: str) -> None:
    """UPDATE (committed: the connection is in autocommit), then delete the entry and lease."""
    conn.execute(UPDATE_SQL, (value, item))
    r.delete(cache_key, cache_key + ":lease")
