"""MVCC: the model's visibility and vacuum rules, PostgreSQL's xmin/xmax and VACUUM,
and sqlite3's WAL readers beside its writer."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from conftest import PostgresSchema, address
from fundamentals.database.mvcc import VersionStore, WriteConflict, vacuum_counts, wal_checkpoint


def committed(db: VersionStore, key: str, value: str | None) -> int:
    xid = db.begin()
    db.write(xid, key, value)
    db.commit(xid)
    return xid


def test_a_snapshot_keeps_seeing_the_version_it_started_with() -> None:
    db = VersionStore()
    committed(db, "k", "v1")
    reader = db.begin()
    committed(db, "k", "v2")
    assert db.read(reader, "k") == "v1"
    assert db.read(db.begin(), "k") == "v2"


def test_a_transaction_running_at_snapshot_time_stays_invisible_after_it_commits() -> None:
    db = VersionStore()
    committed(db, "k", "v1")
    writer = db.begin()
    db.write(writer, "k", "v2")
    reader = db.begin()  # the writer is in this snapshot's running set
    db.commit(writer)
    assert db.read(reader, "k") == "v1"
    assert db.read(db.begin(), "k") == "v2"


def test_an_update_adds_a_version_and_sets_xmax_on_the_old_one() -> None:
    db = VersionStore()
    first = committed(db, "k", "v1")
    second = committed(db, "k", "v2")
    assert [(v.value, v.xmin, v.xmax) for v in db.rows["k"]] == [
        ("v1", first, second),
        ("v2", second, 0),
    ]
    assert db.dead() == 1


def test_uncommitted_and_aborted_writes_are_invisible_to_others() -> None:
    db = VersionStore()
    committed(db, "k", "v1")
    writer = db.begin()
    db.write(writer, "k", "v2")
    assert db.read(writer, "k") == "v2"  # its own write
    assert db.read(db.begin(), "k") == "v1"  # no dirty read
    db.abort(writer)
    assert db.read(db.begin(), "k") == "v1"


def test_a_delete_is_a_version_ended_by_xmax() -> None:
    db = VersionStore()
    committed(db, "k", "v1")
    reader = db.begin()
    committed(db, "k", None)
    assert (db.read(reader, "k"), db.read(db.begin(), "k")) == ("v1", None)


def test_writing_over_a_concurrent_update_is_a_conflict() -> None:
    db = VersionStore()
    committed(db, "k", "100")
    a, b = db.begin(), db.begin()
    db.write(a, "k", "110")
    with pytest.raises(WriteConflict):
        db.write(b, "k", "120")  # A still running
    db.commit(a)
    with pytest.raises(WriteConflict):
        db.write(b, "k", "120")  # A committed after B's snapshot: the lost update
    assert db.read(db.begin(), "k") == "110"
    deleter, late = db.begin(), db.begin()
    db.write(deleter, "k", None)
    db.commit(deleter)
    with pytest.raises(WriteConflict):
        db.write(late, "k", "130")  # the delete committed after its snapshot: a lost delete
    assert db.read(db.begin(), "k") is None


def test_vacuum_keeps_what_an_old_snapshot_needs_then_removes_it() -> None:
    db = VersionStore()
    committed(db, "k", "v1")
    reader = db.begin()
    for value in ("v2", "v3", "v4"):
        committed(db, "k", value)
    assert db.vacuum() == 0
    assert db.read(reader, "k") == "v1"
    db.commit(reader)
    assert db.vacuum() == 3
    assert [v.value for v in db.rows["k"]] == ["v4"]
    aborted = db.begin()
    db.write(aborted, "k", "never")
    db.abort(aborted)
    assert db.vacuum() == 1


def test_vacuum_keeps_a_version_ended_by_a_transaction_running_at_snapshot_time() -> None:
    db = VersionStore()
    committed(db, "k", "v1")
    writer = db.begin()
    db.write(writer, "k", "v2")
    reader = db.begin()  # the writer is running: this snapshot must keep reading v1
    db.commit(writer)
    assert db.horizon() == writer  # the reader's snapshot xmin, not its own id
    assert db.vacuum() == 0
    assert db.read(reader, "k") == "v1"
    db.commit(reader)
    assert db.vacuum() == 1


def test_random_histories_read_like_the_state_at_snapshot_time() -> None:
    rng = random.Random(20261204)
    db = VersionStore()
    states: list[dict[str, str]] = [{}]
    readers: dict[int, int] = {}  # reader xid -> index of the state it must see
    open_writer: tuple[int, str, str | None] | None = None  # begun, written, not committed
    for step in range(400):
        op = rng.random()
        if op < 0.4:
            if open_writer is None:
                key, value = rng.choice("abc"), rng.choice([None, f"v{step}"])
                xid = db.begin()
                db.write(xid, key, value)
                if rng.random() < 0.5:  # stays open while readers begin and vacuum runs
                    open_writer = (xid, key, value)
                    continue
            else:
                xid, key, value = open_writer
                open_writer = None
            db.commit(xid)
            state = dict(states[-1])
            if value is None:
                state.pop(key, None)
            else:
                state[key] = value
            states.append(state)
        elif op < 0.55:
            readers[db.begin()] = len(states) - 1
        elif op < 0.7 and readers:
            db.commit(rng.choice(sorted(readers)))
            readers = {x: i for x, i in readers.items() if x in db.snapshots}
        elif op < 0.8:
            db.vacuum()
        for xid, index in readers.items():
            for key in "abc":
                assert db.read(xid, key) == states[index].get(key)


def test_bad_input_is_refused_clearly() -> None:
    db = VersionStore()
    with pytest.raises(ValueError, match="not running"):
        db.read(7, "k")
    with pytest.raises(ValueError, match="VACUUM VERBOSE"):
        vacuum_counts("INFO: nothing here")


def test_sqlite_wal_reader_keeps_its_snapshot_and_holds_back_the_checkpoint(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "wal.db")
    writer = sqlite3.connect(path, isolation_level=None, timeout=0)
    writer.execute("PRAGMA journal_mode = wal")
    writer.execute("PRAGMA wal_autocheckpoint = 0")  # checkpoint only when asked
    writer.execute("CREATE TABLE t (n INTEGER)")
    writer.execute("INSERT INTO t VALUES (1)")
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    reader = sqlite3.connect(path, isolation_level=None, timeout=0)
    reader.execute("BEGIN")
    assert reader.execute("SELECT n FROM t").fetchone() == (1,)
    writer.execute("UPDATE t SET n = 2")  # the writer is not blocked by the reader
    writer.execute("UPDATE t SET n = 3")
    log, copied = wal_checkpoint(writer)
    assert (log > 0, copied) == (True, 0)  # the new frames are past the reader's snapshot
    assert reader.execute("SELECT n FROM t").fetchone() == (1,)
    reader.execute("COMMIT")
    assert wal_checkpoint(writer) == (log, log)
    assert reader.execute("SELECT n FROM t").fetchone() == (3,)
    reader.close()
    writer.close()


# --- PostgreSQL -------------------------------------------------------------------


def _row(conn: Any, query: str) -> tuple[Any, ...]:
    row = conn.execute(query).fetchone()
    assert row is not None
    return tuple(row)


def _xid(conn: Any) -> int:
    """The current transaction's 32-bit xid, as stored in xmin/xmax."""
    row = conn.execute("SELECT pg_current_xact_id()::text::bigint % 4294967296").fetchone()
    return int(row[0])


@pytest.mark.engine("postgres")
def test_pg_rows_carry_xmin_and_xmax_and_an_old_snapshot_keeps_its_version(
    pg_schema: PostgresSchema,
) -> None:
    a = pg_schema.connect(autocommit=True)
    b = pg_schema.connect(autocommit=True)
    for conn in (a, b):
        conn.execute("SET lock_timeout = '1s'")
    a.execute("CREATE TABLE item (id int PRIMARY KEY, name text)")
    query = "SELECT name, xmin::text::bigint, xmax::text::bigint, ctid::text FROM item"
    a.execute("BEGIN")
    inserter = _xid(a)
    a.execute("INSERT INTO item VALUES (1, 'old')")
    a.execute("COMMIT")
    (name, xmin, xmax, ctid) = _row(a, query)
    assert (name, xmin, xmax) == ("old", inserter, 0)

    b.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
    assert b.execute(query).fetchone() == ("old", inserter, 0, ctid)  # snapshot taken
    a.execute("BEGIN")
    updater = _xid(a)
    a.execute("UPDATE item SET name = 'new' WHERE id = 1")
    a.execute("COMMIT")
    new = _row(a, query)
    assert new[:3] == ("new", updater, 0)
    assert new[3] != ctid  # a new tuple elsewhere in the table, not an overwrite
    # B still reads the old tuple, which now records who replaced it.
    assert b.execute(query).fetchone() == ("old", inserter, updater, ctid)
    b.execute("COMMIT")
    assert b.execute(query).fetchone() == new


@pytest.mark.engine("postgres")
def test_pg_vacuum_removes_dead_tuples_only_when_no_snapshot_needs_them(
    pg_schema: PostgresSchema,
) -> None:
    import psycopg
    from psycopg.conninfo import make_conninfo

    # The xmin horizon is per database: any other session in the shared database
    # could hold it back. A database of the test's own has no other sessions.
    dbname = pg_schema.name + "_db"
    server = pg_schema.connect(autocommit=True)
    server.execute(f"CREATE DATABASE {dbname} TEMPLATE template0")
    try:
        with (
            psycopg.connect(
                make_conninfo(address("postgres"), dbname=dbname), autocommit=True
            ) as admin,
            psycopg.connect(
                make_conninfo(address("postgres"), dbname=dbname), autocommit=True
            ) as reader,
        ):
            reports: list[str] = []
            admin.add_notice_handler(lambda diag: reports.append(diag.message_primary or ""))
            admin.execute("CREATE TABLE item (n int) WITH (autovacuum_enabled = false)")
            admin.execute("INSERT INTO item SELECT generate_series(1, 10)")
            reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            assert reader.execute("SELECT sum(n) FROM item").fetchone() == (55,)
            admin.execute("UPDATE item SET n = n + 1")
            admin.execute("UPDATE item SET n = n + 1")  # 20 dead versions, 10 live

            def vacuum() -> tuple[int, int, int]:
                reports.clear()
                admin.execute("VACUUM (VERBOSE) item")
                return vacuum_counts("\n".join(reports))

            assert vacuum() == (0, 30, 20)  # the reader's snapshot still sees the first versions
            assert reader.execute("SELECT sum(n) FROM item").fetchone() == (55,)
            reader.execute("COMMIT")
            assert vacuum() == (20, 10, 0)
    finally:
        server.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
