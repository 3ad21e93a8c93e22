"""Caching in front of a database: cache-aside, write-through, write-behind, invalidation.

The code behind ``caching.md``. ``Table`` is a real sqlite3 table that counts the
queries it runs; ``DictCache`` is the cache. ``StaleSetRace`` scripts the
"delete after write" race one step at a time, and ``LeaseCache`` is the fix
(leases, as Facebook added them to memcached: a fill is refused if the key was
invalidated since the miss). ``redis_fill_if_unchanged`` is the same fix on
Redis: it takes any client with ``eval`` (a Lua script runs atomically on the
server).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any, Protocol


class Table:
    """A key/value table in a real sqlite3 database that counts the queries it runs.

    >>> conn = sqlite3.connect(":memory:")
    >>> t = Table(conn)
    >>> t.write("a", "1"); t.read("a"), t.queries
    ('1', 2)
    >>> conn.close()
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.queries = 0
        conn.execute("CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
        conn.commit()

    def read(self, key: str) -> str | None:
        """The stored value of ``key``, or None. One query."""
        self.queries += 1
        row = self.conn.execute("SELECT v FROM kv WHERE k = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def write(self, key: str, value: str) -> None:
        """Insert or replace ``key`` and commit. One query."""
        if not isinstance(value, str):
            raise TypeError(f"value must be str, got {type(value).__name__}")
        self.queries += 1
        self.conn.execute("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)", (key, value))
        self.conn.commit()


class DictCache:
    """An in-process cache: a dict plus hit and miss counters."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def set(self, key: str, value: str) -> None:
        self.data[key] = value

    def delete(self, key: str) -> None:
        self.data.pop(key, None)


class CacheAside:
    """Cache-aside: the application checks the cache; on a miss it loads from the
    table itself and fills the cache. (In read-through the cache layer runs the
    loader and the application only talks to the cache; the steps are the same.)

    Writes go to the table and then *delete* the cached copy (invalidation), so the
    next read loads the new value.

    >>> conn = sqlite3.connect(":memory:")
    >>> rt = CacheAside(Table(conn), DictCache())
    >>> rt.table.write("a", "1")
    >>> rt.get("a"), rt.get("a"), rt.table.queries
    ('1', '1', 2)
    >>> conn.close()
    """

    def __init__(self, table: Table, cache: DictCache) -> None:
        self.table = table
        self.cache = cache

    def get(self, key: str) -> str | None:
        value = self.cache.get(key)
        if value is not None:
            return value
        value = self.table.read(key)
        if value is not None:
            self.cache.set(key, value)
        return value

    def put(self, key: str, value: str) -> None:
        """Write the table, then update the cache (``write_db`` then ``update_cache``)."""
        self.write_db(key, value)
        self.update_cache(key, value)

    def write_db(self, key: str, value: str) -> None:
        """The first half of ``put``, so that tests can interleave two writers."""
        self.table.write(key, value)

    def update_cache(self, key: str, value: str) -> None:
        """The second half of ``put``: delete the cached copy (invalidation)."""
        self.cache.delete(key)  # break[no-invalidation]


class WriteThrough(CacheAside):
    """Every write goes to the table and to the cache in the same call: the cache
    is never behind the table for one writer, and a write costs both.

    ``put`` is ``write_db`` then ``update_cache``; the second half sets the key.
    """

    def update_cache(self, key: str, value: str) -> None:
        self.cache.set(key, value)  # break[write-through-deletes]


@dataclass
class WriteBehind:
    """Writes go to the cache only and are queued; ``flush`` writes them to the table.

    Many writes to one key between flushes cost one query (coalescing). Whatever is
    queued when the process dies (``crash``) never reaches the table.
    """

    table: Table
    cache: DictCache
    dirty: dict[str, str] = field(default_factory=dict)

    def get(self, key: str) -> str | None:
        value = self.cache.get(key)
        return value if value is not None else self.table.read(key)

    def put(self, key: str, value: str) -> None:
        self.cache.set(key, value)
        self.dirty[key] = value  # a later write to the key replaces the queued one

    def flush(self) -> int:
        """Write every queued key once; return how many queries that took."""
        written = 0
        for key, value in self.dirty.items():
            self.table.write(key, value)
            written += 1
        self.dirty.clear()  # break[flush-keeps-queue]
        return written

    def crash(self) -> list[str]:
        """The process dies: the cache and the queue vanish. Returns the lost keys."""
        lost = sorted(self.dirty)
        self.dirty.clear()
        self.cache.data.clear()
        return lost


class LeaseCache(DictCache):
    """A cache whose fills need a lease: a miss hands out a token, a delete revokes
    every token for that key, and a fill with a revoked token is refused.

    >>> c = LeaseCache()
    >>> token = c.lease("a")
    >>> c.delete("a")            # a writer invalidated the key after our miss
    >>> c.fill("a", "old", token)
    False
    """

    def __init__(self) -> None:
        super().__init__()
        self._generation: dict[str, int] = {}

    def lease(self, key: str) -> int:
        """A token for filling ``key`` after a miss."""
        return self._generation.get(key, 0)

    def delete(self, key: str) -> None:
        super().delete(key)
        self._generation[key] = self._generation.get(key, 0) + 1  # break[delete-keeps-lease]

    def fill(self, key: str, value: str, token: int) -> bool:
        """Set ``key`` only if it was not invalidated since ``token`` was leased."""
        if token != self._generation.get(key, 0):
            return False
        self.set(key, value)
        return True


@dataclass
class StaleSetRace:
    """The "delete after write" race, one step at a time, with a reader and a writer.

    1. the reader misses the cache; 2. the reader reads the table (old value);
    3. the writer writes the table; 4. the writer deletes the cached key (nothing
    there yet); 5. the reader fills the cache with what it read in step 2.
    With ``leases`` the reader's fill in step 5 carries the token from step 1 and
    is refused.
    """

    table: Table
    cache: LeaseCache
    leases: bool
    log: list[str] = field(default_factory=list)

    def run(self, key: str, new: str) -> str | None:
        """Play the five steps; return what the cache holds for ``key`` afterwards."""
        if self.cache.get(key) is not None:
            raise ValueError(f"the race starts with a miss, but {key!r} is cached")
        token = self.cache.lease(key)
        self.log.append("reader: miss")
        old = self.table.read(key)
        self.log.append(f"reader: read {old!r} from the table")
        self.table.write(key, new)
        self.log.append(f"writer: wrote {new!r} to the table")
        self.cache.delete(key)
        self.log.append("writer: deleted the cached key")
        if old is not None:
            if self.leases:
                ok = self.cache.fill(key, old, token)
            else:
                self.cache.set(key, old)
                ok = True
            self.log.append(f"reader: fill {old!r} {'accepted' if ok else 'refused'}")
        return self.cache.data.get(key)


class EvalClient(Protocol):
    """What ``redis_fill_if_unchanged`` needs of a Redis client (redis-py's ``Redis``)."""

    def eval(self, script: str, numkeys: int, *keys_and_args: Any) -> Any: ...


# KEYS[1] the cached value, KEYS[2] its invalidation counter; ARGV[1] the value,
# ARGV[2] the counter read at the miss, ARGV[3] the TTL in milliseconds. Lua runs
# atomically, so no writer's INCR can land between the comparison and the SET.
FILL_IF_UNCHANGED = """
if (redis.call('GET', KEYS[2]) or '0') == ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
  return 1
end
return 0
"""

# The writer's half: bump the counter, then drop the value, in one atomic step.
INVALIDATE = """
redis.call('INCR', KEYS[2])
return redis.call('DEL', KEYS[1])
"""


def gen_key(key: str) -> str:
    """The counter's name: ``{key}:gen``. The hash tag puts it in ``key``'s Redis
    Cluster slot (a key without braces hashes whole, a tagged one hashes the tag),
    so a script touching both is not refused with CROSSSLOT.

    >>> gen_key("price")
    '{price}:gen'
    """
    if "{" in key or "}" in key:
        raise ValueError(f"key must not contain braces, got {key!r}")
    return "{" + key + "}:gen"  # break[gen-other-slot]


def redis_fill_if_unchanged(
    client: EvalClient, key: str, value: str, seen: str, ttl_ms: int = 60_000
) -> bool:
    """Fill ``key`` with a TTL unless its counter changed since the reader saw ``seen``."""
    if ttl_ms <= 0:
        raise ValueError(f"ttl_ms must be positive, got {ttl_ms}")
    return bool(client.eval(FILL_IF_UNCHANGED, 2, key, gen_key(key), value, seen, ttl_ms))


def redis_invalidate(client: EvalClient, key: str) -> None:
    """Invalidate ``key``: bump its counter (revoking open leases) and delete it."""
    client.eval(INVALIDATE, 2, key, gen_key(key))
