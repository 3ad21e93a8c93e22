"""Each isolation anomaly, reproduced or refused: on PostgreSQL with two connections
stepped in a fixed order, and on sqlite3 files for contrast."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PostgresSchema
from fundamentals.database.isolation import (
    LEVELS,
    begin,
    create_tables,
    dirty_read,
    is_retryable,
    lost_update,
    non_repeatable_read,
    open_sqlite,
    phantom,
    run_with_retry,
    sqlite_read_modify_write,
    sqlite_repeat_read,
    write_skew,
)


class Conflict(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def failing(*errors: Exception) -> tuple[list[int], Any]:
    calls: list[int] = []

    def work() -> str:
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return "done"

    return calls, work


def test_retry_runs_again_after_serialization_failures_and_deadlocks() -> None:
    calls, work = failing(Conflict("40001"), Conflict("40P01"))
    assert run_with_retry(work) == ("done", 3)
    assert len(calls) == 3


def test_retry_does_not_repeat_other_errors() -> None:
    calls, work = failing(Conflict("23505"))  # unique violation: retrying cannot help
    with pytest.raises(Conflict):
        run_with_retry(work)
    assert len(calls) == 1
    assert not is_retryable(ValueError("no sqlstate"))


def test_retry_gives_up_after_its_attempts() -> None:
    calls, work = failing(*(Conflict("40001") for _ in range(5)))
    with pytest.raises(Conflict):
        run_with_retry(work, attempts=3)
    assert len(calls) == 3
    with pytest.raises(ValueError, match="attempts"):
        run_with_retry(work, attempts=0)


class Recorder:
    def __init__(self) -> None:
        self.queries: list[str] = []

    def execute(self, query: Any, params: Any = None) -> Any:
        self.queries.append(str(query))


def test_an_unknown_level_is_refused() -> None:
    conn = Recorder()
    with pytest.raises(ValueError, match="unknown isolation level"):
        begin(conn, "SNAPSHOT")
    begin(conn, "SERIALIZABLE")
    assert conn.queries == ["BEGIN ISOLATION LEVEL SERIALIZABLE"]


@pytest.fixture
def wal_pair(tmp_path: Path) -> Iterator[tuple[sqlite3.Connection, sqlite3.Connection]]:
    a, b = open_sqlite(str(tmp_path / "wal.db"), wal=True)
    yield a, b
    a.close()
    b.close()


def test_sqlite_wal_reader_keeps_its_snapshot(
    wal_pair: tuple[sqlite3.Connection, sqlite3.Connection],
) -> None:
    reader, writer = wal_pair
    assert sqlite_repeat_read(reader, writer) == (100, 100)
    assert reader.execute("SELECT n FROM counter").fetchone() == (101,)


def test_sqlite_rollback_journal_writer_is_blocked_by_a_reader(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    reader, writer = open_sqlite(str(tmp_path / "journal.db"), wal=False)
    request.addfinalizer(reader.close)
    request.addfinalizer(writer.close)
    with pytest.raises(sqlite3.OperationalError, match="database is locked") as info:
        sqlite_repeat_read(reader, writer)
    assert info.value.sqlite_errorname == "SQLITE_BUSY"
    reader.execute("ROLLBACK")
    assert writer.execute("SELECT n FROM counter").fetchone() == (100,)


def test_sqlite_autocommit_read_modify_write_loses_an_update(
    wal_pair: tuple[sqlite3.Connection, sqlite3.Connection],
) -> None:
    assert sqlite_read_modify_write(*wal_pair, begin_sql=None) == 101  # two increments


def test_sqlite_refuses_a_write_from_a_stale_snapshot(
    wal_pair: tuple[sqlite3.Connection, sqlite3.Connection],
) -> None:
    a, b = wal_pair
    with pytest.raises(sqlite3.OperationalError, match="database is locked") as info:
        sqlite_read_modify_write(a, b)
    assert info.value.sqlite_errorname == "SQLITE_BUSY_SNAPSHOT"
    assert a.execute("SELECT n FROM counter").fetchone() == (101,)  # A's commit stands
    assert not a.in_transaction
    assert not b.in_transaction


# --- PostgreSQL -------------------------------------------------------------------


def _pair(pg_schema: PostgresSchema) -> tuple[Any, Any]:
    a = pg_schema.connect(autocommit=True)
    b = pg_schema.connect(autocommit=True)
    for conn in (a, b):
        conn.execute("SET lock_timeout = '1s'")
    create_tables(a)
    return a, b


@pytest.mark.engine("postgres")
def test_pg_never_reads_uncommitted_data(pg_schema: PostgresSchema) -> None:
    a, b = _pair(pg_schema)
    # READ UNCOMMITTED is accepted and behaves as READ COMMITTED.
    for level in LEVELS:
        assert dirty_read(a, b, level) == 100, level


@pytest.mark.engine("postgres")
def test_pg_read_committed_allows_non_repeatable_reads_and_phantoms(
    pg_schema: PostgresSchema,
) -> None:
    a, b = _pair(pg_schema)
    assert a.execute("SHOW default_transaction_isolation").fetchone() == ("read committed",)
    assert non_repeatable_read(a, b, "READ COMMITTED") == (100, 90)
    assert phantom(a, b, "READ COMMITTED") == (2, 3)
    # READ UNCOMMITTED runs as READ COMMITTED: the same two anomalies.
    assert non_repeatable_read(a, b, "READ UNCOMMITTED") == (90, 80)
    b.execute("DELETE FROM account WHERE id = 'carol'")
    assert phantom(a, b, "READ UNCOMMITTED") == (2, 3)


@pytest.mark.engine("postgres")
def test_pg_repeatable_read_and_serializable_see_one_snapshot(
    pg_schema: PostgresSchema,
) -> None:
    a, b = _pair(pg_schema)
    assert non_repeatable_read(a, b, "REPEATABLE READ") == (100, 100)
    # PostgreSQL's REPEATABLE READ is snapshot isolation: no phantoms either.
    assert phantom(a, b, "REPEATABLE READ") == (2, 2)
    assert non_repeatable_read(a, b, "SERIALIZABLE") == (90, 90)
    b.execute("DELETE FROM account WHERE id = 'carol'")
    assert phantom(a, b, "SERIALIZABLE") == (2, 2)


@pytest.mark.engine("postgres")
def test_pg_lost_update_at_read_committed_and_its_fixes(pg_schema: PostgresSchema) -> None:
    from psycopg import errors

    a, b = _pair(pg_schema)
    assert lost_update(a, b, "READ COMMITTED") == 120  # A's +10 is gone
    a.execute("UPDATE account SET balance = 100 WHERE id = 'alice'")
    assert lost_update(a, b, "READ COMMITTED", atomic=True) == 130
    a.execute("UPDATE account SET balance = 100 WHERE id = 'alice'")
    with pytest.raises(errors.SerializationFailure, match="concurrent update") as info:
        lost_update(a, b, "REPEATABLE READ")
    assert info.value.sqlstate == "40001"
    assert a.execute("SELECT balance FROM account WHERE id = 'alice'").fetchone() == (110,)
    # Even the atomic statement fails there: the row changed after B's snapshot.
    with pytest.raises(errors.SerializationFailure):
        lost_update(a, b, "REPEATABLE READ", atomic=True)
    with pytest.raises(errors.SerializationFailure):
        lost_update(a, b, "SERIALIZABLE")


@pytest.mark.engine("postgres")
def test_pg_write_skew_at_repeatable_read_refused_at_serializable(
    pg_schema: PostgresSchema,
) -> None:
    from psycopg import errors

    a, b = _pair(pg_schema)
    assert write_skew(a, b, "READ COMMITTED") == 0  # nobody on call
    a.execute("UPDATE doctor SET on_call = true")
    assert write_skew(a, b, "REPEATABLE READ") == 0
    a.execute("UPDATE doctor SET on_call = true")
    with pytest.raises(errors.SerializationFailure, match="read/write dependencies") as info:
        write_skew(a, b, "SERIALIZABLE")
    assert info.value.sqlstate == "40001"
    # A committed first and stands; only B, the one that would complete the skew, failed.
    assert a.execute("SELECT name FROM doctor WHERE on_call").fetchall() == [("ben",)]


@pytest.mark.engine("postgres")
def test_pg_serializable_retry_loop_ends_with_one_doctor_on_call(
    pg_schema: PostgresSchema,
) -> None:
    a, b = _pair(pg_schema)
    tries: list[str] = []

    def work() -> int:
        tries.append("try")
        if len(tries) == 1:
            return write_skew(a, b, "SERIALIZABLE")  # conflicts with a concurrent B
        begin(b, "SERIALIZABLE")  # the retry runs alone, as after a real conflict
        if b.execute("SELECT count(*) FROM doctor WHERE on_call").fetchone()[0] >= 2:
            b.execute("UPDATE doctor SET on_call = false WHERE name = 'ben'")
        b.execute("COMMIT")
        return int(b.execute("SELECT count(*) FROM doctor WHERE on_call").fetchone()[0])

    assert run_with_retry(work) == (1, 2)
