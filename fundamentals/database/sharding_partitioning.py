"""Sharding and partitioning: range vs hash placement, hot keys, resharding cost, and
PostgreSQL declarative partitioning.

The code behind ``sharding_partitioning.md``. ``RangeShards`` and ``hash_shard``
place keys; ``moved`` counts the keys a change of layout relocates; ``salted``
spreads one hot key over several shards. ``range_partitions_ddl`` and
``hash_partitions_ddl`` write PostgreSQL's ``PARTITION BY`` DDL, and
``scanned_partitions`` reads ``EXPLAIN (FORMAT JSON)`` from a connection passed
in to list the partitions a query would touch (or, with ANALYZE, did touch).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

__all__ = [
    "ConnectionLike",
    "RangeShards",
    "hash_partitions_ddl",
    "hash_shard",
    "load",
    "moved",
    "range_partitions_ddl",
    "salted",
    "scanned_partitions",
    "stable_hash",
    "subplans_removed",
]

_IDENT = re.compile(r"[a-z_][a-z0-9_]*\Z")


def stable_hash(key: str) -> int:
    """A 64-bit hash of ``key`` that is the same in every process.

    Python's ``hash(str)`` is salted per process (``PYTHONHASHSEED``), so it
    must never decide where data lives.

    >>> stable_hash("user:42") == stable_hash("user:42")
    True
    """
    if not isinstance(key, str):
        raise TypeError(f"key must be str, not {type(key).__name__}")
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()  # break[process-salted-hash]
    return int.from_bytes(digest, "big")


def hash_shard(key: str, shards: int) -> int:
    """The shard ``stable_hash(key) mod shards``: even spread, no range queries.

    >>> hash_shard("user:42", 4) in range(4)
    True
    """
    if shards < 1:
        raise ValueError(f"shards must be at least 1, got {shards}")
    return stable_hash(key) % shards


class RangeShards:
    """Shards by key range: shard i holds keys in ``[bounds[i-1], bounds[i])``.

    >>> r = RangeShards([100, 200, 300])
    >>> [r.shard(k) for k in (5, 100, 250, 10_000)]
    [0, 1, 2, 3]
    """

    def __init__(self, bounds: Sequence[int]) -> None:
        if list(bounds) != sorted(set(bounds)):
            raise ValueError(f"bounds must be strictly increasing, got {list(bounds)}")
        self.bounds = list(bounds)

    @property
    def shards(self) -> int:
        return len(self.bounds) + 1

    def shard(self, key: int) -> int:
        """O(log shards): a key equal to a bound starts the next shard."""
        return bisect.bisect_right(self.bounds, key)  # break[bound-in-lower-shard]

    def split(self, at: int) -> RangeShards:
        """A new layout with one more bound: only the split shard's upper part moves."""
        if at in self.bounds:
            raise ValueError(f"{at} is already a bound")
        return RangeShards(sorted([*self.bounds, at]))


def load(keys: Iterable[Any], place: Callable[[Any], int]) -> Counter[int]:
    """How many of ``keys`` each shard receives."""
    return Counter(place(k) for k in keys)


def moved(keys: Iterable[Any], before: Callable[[Any], int], after: Callable[[Any], int]) -> int:
    """How many keys a change of layout sends to another shard (data to copy)."""
    return sum(before(k) != after(k) for k in keys)


def salted(key: str, fanout: int, shards: int) -> list[int]:
    """The shards holding the sub-keys ``key#0 .. key#fanout-1`` of one hot key.

    Writes pick one sub-key, reads gather all of them: the load of one key is
    spread, at the price of a fan-out read.
    """
    if fanout < 1:
        raise ValueError(f"fanout must be at least 1, got {fanout}")
    subkeys = [f"{key}#{i}" for i in range(fanout)]  # break[unsalted-hot-key]
    return sorted({hash_shard(k, shards) for k in subkeys})


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"not a plain lower-case SQL identifier: {name!r}")
    return name


def range_partitions_ddl(
    table: str, column: str, bounds: Sequence[str], column_type: str = "date"
) -> list[str]:
    """DDL for ``table`` partitioned by range of ``column``, one partition per interval.

    ``bounds`` are SQL literals in increasing order; partition i holds
    ``[bounds[i], bounds[i+1])``: FROM is inclusive, TO exclusive, as in
    ``RangeShards``.

    >>> for sql in range_partitions_ddl("t", "k", ["0", "100", "200"], "bigint"):
    ...     print(sql)
    CREATE TABLE t (id bigint NOT NULL, k bigint NOT NULL) PARTITION BY RANGE (k)
    CREATE TABLE t_p0 PARTITION OF t FOR VALUES FROM (0) TO (100)
    CREATE TABLE t_p1 PARTITION OF t FOR VALUES FROM (100) TO (200)
    """
    if len(bounds) < 2:
        raise ValueError("need at least two bounds for one partition")
    if column_type not in ("date", "bigint"):
        raise ValueError(f"column_type must be 'date' or 'bigint', got {column_type!r}")
    t, c = _ident(table), _ident(column)
    columns = f"id bigint NOT NULL, {c} {column_type} NOT NULL"
    ddl = [f"CREATE TABLE {t} ({columns}) PARTITION BY RANGE ({c})"]
    for i, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        ddl.append(f"CREATE TABLE {t}_p{i} PARTITION OF {t} FOR VALUES FROM ({lo}) TO ({hi})")
    return ddl


def hash_partitions_ddl(table: str, column: str, modulus: int) -> list[str]:
    """DDL for ``table`` partitioned by hash of ``column`` into ``modulus`` partitions."""
    if modulus < 1:
        raise ValueError(f"modulus must be at least 1, got {modulus}")
    t, c = _ident(table), _ident(column)
    ddl = [f"CREATE TABLE {t} ({c} bigint NOT NULL, name text) PARTITION BY HASH ({c})"]
    for r in range(modulus):
        spec = f"FOR VALUES WITH (MODULUS {modulus}, REMAINDER {r})"
        ddl.append(f"CREATE TABLE {t}_p{r} PARTITION OF {t} {spec}")
    return ddl


class _Cursor(Protocol):
    def fetchone(self) -> tuple[Any, ...] | None: ...


class ConnectionLike(Protocol):
    """What ``scanned_partitions`` needs: psycopg's ``Connection.execute``."""

    def execute(self, query: Any, params: Any = ...) -> Any: ...


def _plan(conn: ConnectionLike, sql: str, params: Sequence[Any], analyze: bool) -> Any:
    options = "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, " if analyze else ""
    cur: _Cursor = conn.execute(f"EXPLAIN ({options}FORMAT JSON) {sql}", params)
    row = cur.fetchone()
    if row is None:
        raise RuntimeError("EXPLAIN returned no plan")
    return row[0][0]["Plan"]


def _walk(node: Any) -> Iterable[Any]:
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def scanned_partitions(
    conn: ConnectionLike, sql: str, params: Sequence[Any] = (), analyze: bool = False
) -> list[str]:
    """The tables the plan of ``sql`` scans, sorted.

    With ``analyze=False`` these are the planned scans: what the planner and
    executor startup did not prune. Pruning *during* execution (a value from a
    subquery, the outer side of a nested loop) leaves the scans in the plan, so
    ``analyze=True`` runs the query and keeps only the executed partitions: scans
    with ``Actual Loops`` above 0 (``EXPLAIN ANALYZE`` marks the others
    "never executed").
    """
    plan = _plan(conn, sql, params, analyze)
    nodes = [n for n in _walk(plan) if "Relation Name" in n]
    if analyze:
        nodes = [n for n in nodes if n["Actual Loops"] > 0]
    return sorted({n["Relation Name"] for n in nodes})


def subplans_removed(conn: ConnectionLike, sql: str, params: Sequence[Any] = ()) -> int:
    """Partitions removed at executor startup (``Subplans Removed`` on ``Append``).

    Plain ``EXPLAIN`` starts the executor too, so it shows them without running
    the query; partitions pruned later, during execution, are not counted here.
    """
    plan = _plan(conn, sql, params, analyze=False)
    return sum(int(n.get("Subplans Removed", 0)) for n in _walk(plan))
