"""database.sharding_partitioning: placement, hot keys, resharding cost, and PostgreSQL
declarative partitioning with partition pruning read from EXPLAIN."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

import psycopg
import pytest

import fundamentals.database.sharding_partitioning as sp
from conftest import PostgresSchema
from fundamentals.database.sharding_partitioning import (
    RangeShards,
    hash_partitions_ddl,
    hash_shard,
    load,
    moved,
    range_partitions_ddl,
    salted,
    scanned_partitions,
    stable_hash,
    subplans_removed,
)

KEYS = [f"user:{i}" for i in range(10_000)]

_PROBE = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("sp", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
print(hash("user:42"), mod.stable_hash("user:42"))
"""


def _hashes_with_seed(seed: str) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run(
        [sys.executable, "-S", "-c", _PROBE, sp.__file__],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def test_builtin_hash_differs_between_processes_and_stable_hash_does_not() -> None:
    one, two = _hashes_with_seed("1"), _hashes_with_seed("2")
    assert one[0] != two[0]  # the pitfall: hash(str) is salted per process
    assert one[1] == two[1] == str(stable_hash("user:42"))


def test_range_bounds_are_inclusive_below_and_exclusive_above() -> None:
    r = RangeShards([100, 200])
    assert [r.shard(k) for k in (99, 100, 199, 200)] == [0, 1, 1, 2]


def test_sequential_keys_all_go_to_the_last_range_shard_and_hash_spreads_them() -> None:
    r = RangeShards([2500, 5000, 7500])
    new_ids = range(10_000, 11_000)  # auto-increment ids after the existing ones
    assert load(new_ids, r.shard) == {3: 1000}
    spread = load([f"order:{i}" for i in new_ids], lambda k: hash_shard(k, 4))
    assert sorted(spread) == [0, 1, 2, 3]
    assert all(200 <= n <= 300 for n in spread.values())


def test_hash_placement_is_even_over_many_keys() -> None:
    counts = load(KEYS, lambda k: hash_shard(k, 4))
    assert all(2300 <= n <= 2700 for n in counts.values())
    assert sum(counts.values()) == 10_000


def test_one_hot_key_stays_on_one_shard_until_it_is_salted() -> None:
    assert len(salted("celebrity", 1, 4)) == 1
    assert len(salted("celebrity", 8, 4)) > 1


def test_mod_n_resharding_moves_most_keys_and_doubling_half() -> None:
    def by(n: int) -> Callable[[str], int]:
        return lambda k: hash_shard(k, n)

    four_to_five = moved(KEYS, by(4), by(5))
    four_to_eight = moved(KEYS, by(4), by(8))
    assert 7700 <= four_to_five <= 8300  # expected N/(N+1) = 80 %
    assert 4700 <= four_to_eight <= 5300  # expected 50 %
    # doubling: each old shard r sends keys only to r + 4, never to a third shard
    assert all(hash_shard(k, 8) % 4 == hash_shard(k, 4) for k in KEYS[:2000])


def test_splitting_a_range_moves_only_the_upper_part_of_that_range() -> None:
    r = RangeShards([2500, 5000, 7500])
    after = r.split(8750)
    assert moved(range(10_000), r.shard, after.shard) == 1250  # keys 8750 .. 9999
    assert after.bounds == [2500, 5000, 7500, 8750]


def test_ddl_is_what_postgresql_expects() -> None:
    ddl = hash_partitions_ddl("users", "id", 2)
    assert ddl == [
        "CREATE TABLE users (id bigint NOT NULL, name text) PARTITION BY HASH (id)",
        "CREATE TABLE users_p0 PARTITION OF users FOR VALUES WITH (MODULUS 2, REMAINDER 0)",
        "CREATE TABLE users_p1 PARTITION OF users FOR VALUES WITH (MODULUS 2, REMAINDER 1)",
    ]


def test_bad_arguments_raise_clear_errors() -> None:
    with pytest.raises(TypeError, match="key must be str"):
        stable_hash(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="shards must be at least 1"):
        hash_shard("k", 0)
    with pytest.raises(ValueError, match="strictly increasing"):
        RangeShards([200, 100])
    with pytest.raises(ValueError, match="already a bound"):
        RangeShards([100]).split(100)
    with pytest.raises(ValueError, match="fanout"):
        salted("k", 0, 4)
    with pytest.raises(ValueError, match="identifier"):
        range_partitions_ddl("t; DROP TABLE x", "d", ["1", "2"])
    with pytest.raises(ValueError, match="two bounds"):
        range_partitions_ddl("t", "d", ["1"])
    with pytest.raises(ValueError, match="column_type"):
        range_partitions_ddl("t", "d", ["1", "2"], "text")
    with pytest.raises(ValueError, match="modulus"):
        hash_partitions_ddl("t", "id", 0)


MONTHS = ["'2024-01-01'", "'2024-02-01'", "'2024-03-01'", "'2024-04-01'"]


def _events(pg_schema: PostgresSchema) -> psycopg.Connection[tuple[object, ...]]:
    conn = pg_schema.connect(autocommit=True)
    conn.execute("SET lock_timeout = '2s'")
    for sql in range_partitions_ddl("events", "created", MONTHS):
        conn.execute(sql)
    conn.execute(
        "INSERT INTO events SELECT g, date '2024-01-01' + (g % 91) FROM generate_series(1, 910) g"
    )
    conn.execute("ANALYZE events")
    return conn


@pytest.mark.engine("postgres")
def test_pg_range_pruning_scans_only_the_partitions_the_where_clause_allows(
    pg_schema: PostgresSchema,
) -> None:
    conn = _events(pg_schema)
    one_day = "SELECT * FROM events WHERE created = %s::date"
    assert scanned_partitions(conn, one_day, ["2024-02-10"]) == ["events_p1"]
    since = "SELECT * FROM events WHERE created >= %s::date"
    assert scanned_partitions(conn, since, ["2024-02-10"]) == ["events_p1", "events_p2"]
    no_key = "SELECT * FROM events WHERE id = 5"
    assert scanned_partitions(conn, no_key) == ["events_p0", "events_p1", "events_p2"]
    conn.execute("SET enable_partition_pruning = off")
    assert scanned_partitions(conn, one_day, ["2024-02-10"]) == [
        "events_p0",
        "events_p1",
        "events_p2",
    ]


@pytest.mark.engine("postgres")
def test_pg_generic_plan_prunes_at_execution_time(pg_schema: PostgresSchema) -> None:
    conn = _events(pg_schema)
    conn.execute("PREPARE by_day(date) AS SELECT count(*) FROM events WHERE created = $1")
    run = "EXECUTE by_day('2024-02-10')"
    conn.execute("SET plan_cache_mode = force_custom_plan")
    # a custom plan is made for the value: pruned while planning, nothing left to remove
    assert scanned_partitions(conn, run) == ["events_p1"]
    assert subplans_removed(conn, run) == 0
    conn.execute("SET plan_cache_mode = force_generic_plan")
    # a generic plan is made without the value: it holds all three partitions and
    # the executor removes two once it knows $1
    assert scanned_partitions(conn, run) == ["events_p1"]
    assert subplans_removed(conn, run) == 2


@pytest.mark.engine("postgres")
def test_pg_subquery_value_prunes_during_execution_not_in_the_plan(
    pg_schema: PostgresSchema,
) -> None:
    conn = _events(pg_schema)
    sub = "SELECT count(*) FROM events WHERE created = (SELECT date '2024-02-10')"
    # the value is unknown until the InitPlan runs: every partition stays in the plan
    assert scanned_partitions(conn, sub) == ["events_p0", "events_p1", "events_p2"]
    assert subplans_removed(conn, sub) == 0
    # and the executor skips two of them: "never executed", Actual Loops 0
    assert scanned_partitions(conn, sub, analyze=True) == ["events_p1"]
    assert conn.execute(sub).fetchone() == (10,)


@pytest.mark.engine("postgres")
def test_pg_row_outside_every_range_is_rejected_until_a_default_partition_exists(
    pg_schema: PostgresSchema,
) -> None:
    conn = _events(pg_schema)
    with pytest.raises(psycopg.errors.CheckViolation, match="no partition of relation"):
        conn.execute("INSERT INTO events VALUES (1, '2025-01-01')")
    conn.execute("CREATE TABLE events_other PARTITION OF events DEFAULT")
    conn.execute("INSERT INTO events VALUES (1, '2025-01-01')")
    row = conn.execute(
        "SELECT tableoid::regclass::text FROM events WHERE created = '2025-01-01'"
    ).fetchone()
    assert row == ("events_other",)


@pytest.mark.engine("postgres")
def test_pg_hash_partitions_spread_rows_and_equality_prunes_to_the_row_s_partition(
    pg_schema: PostgresSchema,
) -> None:
    conn = pg_schema.connect(autocommit=True)
    conn.execute("SET lock_timeout = '2s'")
    for sql in hash_partitions_ddl("users", "id", 4):
        conn.execute(sql)
    conn.execute("INSERT INTO users SELECT g, 'u' FROM generate_series(1, 1000) g")
    counts = dict(
        conn.execute("SELECT tableoid::regclass::text, count(*) FROM users GROUP BY 1").fetchall()
    )
    assert sorted(counts) == ["users_p0", "users_p1", "users_p2", "users_p3"]
    assert sum(counts.values()) == 1000
    assert all(150 <= n <= 350 for n in counts.values())
    home = conn.execute("SELECT tableoid::regclass::text FROM users WHERE id = 42").fetchone()
    assert home is not None
    assert scanned_partitions(conn, "SELECT * FROM users WHERE id = 42") == [home[0]]
    assert len(scanned_partitions(conn, "SELECT * FROM users WHERE id < 42")) == 4


@pytest.mark.engine("postgres")
def test_pg_unique_key_must_include_the_partition_key(pg_schema: PostgresSchema) -> None:
    conn = _events(pg_schema)
    with pytest.raises(psycopg.errors.FeatureNotSupported, match="partitioning columns"):
        conn.execute("ALTER TABLE events ADD PRIMARY KEY (id)")
    conn.execute("ALTER TABLE events ADD PRIMARY KEY (id, created)")
