"""The ACID claims of the page, on sqlite3 files and on PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PostgresSchema
from fundamentals.database.acid import (
    balance,
    durability_settings,
    open_bank,
    total,
    transfer,
    transfer_per_statement,
)


@pytest.fixture
def bank() -> Iterator[sqlite3.Connection]:
    conn = open_bank(":memory:", {"alice": 100, "bob": 0})
    yield conn
    conn.close()


def test_a_transfer_moves_money_and_keeps_the_total(bank: sqlite3.Connection) -> None:
    transfer(bank, "alice", "bob", 30)
    assert (balance(bank, "alice"), balance(bank, "bob"), total(bank)) == (70, 30, 100)


def test_a_failed_transfer_leaves_nothing_behind(bank: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        transfer(bank, "alice", "bob", 500)
    assert (balance(bank, "alice"), balance(bank, "bob")) == (100, 0)
    with pytest.raises(KeyError):
        transfer(bank, "nobody", "bob", 10)
    assert (balance(bank, "bob"), total(bank)) == (0, 100)
    with pytest.raises(KeyError):
        transfer(bank, "alice", "nobody", 10)
    assert (balance(bank, "alice"), total(bank)) == (100, 100)
    assert not bank.in_transaction


def test_sqlite_ignores_declared_foreign_keys_until_enabled() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE parent (id TEXT PRIMARY KEY)")
    conn.execute("CREATE TABLE child (parent TEXT REFERENCES parent)")
    conn.execute("INSERT INTO child VALUES ('nobody')")  # accepted: enforcement is off
    conn.commit()
    conn.execute("PRAGMA foreign_keys = ON")  # per connection, outside a transaction
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY constraint failed"):
        conn.execute("INSERT INTO child VALUES ('nobody')")
    conn.close()


def test_per_statement_commits_leave_half_a_transfer(bank: sqlite3.Connection) -> None:
    before = bank.isolation_level
    assert before is not None  # the bank opens in sqlite3's default (implicit) mode
    with pytest.raises(sqlite3.IntegrityError):
        transfer_per_statement(bank, "alice", "bob", 500)
    assert bank.isolation_level == before  # the connection's own mode is given back
    # The credit committed on its own before the debit failed: money was created.
    assert (balance(bank, "bob"), total(bank)) == (500, 600)


def test_sqlite_keeps_the_transaction_open_after_a_failed_statement(
    bank: sqlite3.Connection,
) -> None:
    bank.execute("BEGIN")
    bank.execute("UPDATE account SET balance = balance + 500 WHERE id = 'bob'")
    with pytest.raises(sqlite3.IntegrityError):
        bank.execute("UPDATE account SET balance = balance - 500 WHERE id = 'alice'")
    assert bank.in_transaction
    assert balance(bank, "bob") == 500  # the credit is still there, uncommitted
    bank.rollback()
    assert balance(bank, "bob") == 0


def test_bad_amounts_and_balances_are_refused_clearly(bank: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="amount must be positive"):
        transfer(bank, "alice", "bob", 0)
    with pytest.raises(ValueError, match="negative"):
        open_bank(":memory:", {"carol": -1})
    assert total(bank) == 100


def test_a_committed_transfer_survives_closing_and_reopening(tmp_path: Path) -> None:
    path = str(tmp_path / "bank.db")
    bank = open_bank(path, {"alice": 100, "bob": 0})
    transfer(bank, "alice", "bob", 40)
    with pytest.raises(sqlite3.IntegrityError):
        transfer(bank, "bob", "alice", 41)
    bank.close()
    again = sqlite3.connect(path)
    assert (balance(again, "alice"), balance(again, "bob")) == (60, 40)
    again.close()


def test_sqlite_defaults_to_a_rollback_journal_with_full_sync(tmp_path: Path) -> None:
    conn = sqlite3.connect(str(tmp_path / "d.db"))
    # Build-time defaults (SQLITE_DEFAULT_SYNCHRONOUS); these hold for the sqlite3
    # that CPython links here.
    assert durability_settings(conn).journal_mode == "delete"
    assert durability_settings(conn).synchronous == "FULL"
    conn.execute("PRAGMA journal_mode = wal")
    conn.execute("PRAGMA synchronous = NORMAL")
    assert durability_settings(conn) == durability_settings(conn).__class__("wal", "NORMAL")
    conn.close()


# --- PostgreSQL -------------------------------------------------------------------


def _bank(pg_schema: PostgresSchema) -> Any:
    conn = pg_schema.connect()
    conn.execute("SET lock_timeout = '1s'")
    conn.execute(
        "CREATE TABLE account (id text PRIMARY KEY, balance integer NOT NULL CHECK (balance >= 0))"
    )
    conn.execute("INSERT INTO account VALUES ('alice', 100), ('bob', 0)")
    conn.commit()
    return conn


@pytest.mark.engine("postgres")
def test_pg_an_error_aborts_the_whole_transaction(pg_schema: PostgresSchema) -> None:
    import psycopg
    from psycopg import errors

    conn = _bank(pg_schema)
    conn.execute("UPDATE account SET balance = balance + 500 WHERE id = 'bob'")
    with pytest.raises(errors.CheckViolation) as info:
        conn.execute("UPDATE account SET balance = balance - 500 WHERE id = 'alice'")
    assert info.value.sqlstate == "23514"
    # Unlike sqlite3, PostgreSQL refuses every further statement until ROLLBACK.
    with pytest.raises(errors.InFailedSqlTransaction):
        conn.execute("SELECT 1")
    assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INERROR
    conn.rollback()
    rows = conn.execute("SELECT id, balance FROM account ORDER BY id").fetchall()
    assert rows == [("alice", 100), ("bob", 0)]


@pytest.mark.engine("postgres")
def test_pg_a_deferred_constraint_is_checked_at_commit(pg_schema: PostgresSchema) -> None:
    from psycopg import errors

    conn = _bank(pg_schema)
    conn.execute(
        "CREATE TABLE ledger (account text REFERENCES account DEFERRABLE INITIALLY DEFERRED)"
    )
    conn.commit()
    conn.execute("INSERT INTO ledger VALUES ('carol')")  # no such account, yet accepted
    with pytest.raises(errors.ForeignKeyViolation):
        conn.commit()
    assert conn.execute("SELECT count(*) FROM ledger").fetchone() == (0,)
    # Only UNIQUE, PRIMARY KEY, EXCLUDE and FOREIGN KEY can be deferred.
    with pytest.raises(errors.SyntaxError, match="misplaced DEFERRABLE clause"):
        conn.execute("CREATE TABLE c (n int CHECK (n > 0) DEFERRABLE INITIALLY DEFERRED)")
    conn.rollback()
    # A non-deferrable UNIQUE is checked row by row, a DEFERRABLE INITIALLY IMMEDIATE
    # one at the end of the statement.
    conn.execute("CREATE TABLE row_by_row (id int UNIQUE)")
    conn.execute("CREATE TABLE per_statement (id int UNIQUE DEFERRABLE INITIALLY IMMEDIATE)")
    conn.execute("INSERT INTO row_by_row VALUES (1), (2)")
    conn.execute("INSERT INTO per_statement VALUES (1), (2)")
    conn.commit()
    with pytest.raises(errors.UniqueViolation):
        conn.execute("UPDATE row_by_row SET id = id + 1")
    conn.rollback()
    conn.execute("UPDATE per_statement SET id = id + 1")
    conn.commit()
    assert conn.execute("SELECT id FROM per_statement ORDER BY id").fetchall() == [(2,), (3,)]


@pytest.mark.engine("postgres")
def test_pg_commit_waits_for_the_wal_flush_by_default(pg_schema: PostgresSchema) -> None:
    from psycopg import errors

    conn = pg_schema.connect(autocommit=True)
    assert conn.execute("SHOW fsync").fetchone() == ("on",)
    assert conn.execute("SHOW synchronous_commit").fetchone() == ("on",)
    # synchronous_commit may be relaxed per session or transaction: a crash can lose
    # the last commits but cannot corrupt the database.
    conn.execute("SET synchronous_commit = off")
    assert conn.execute("SHOW synchronous_commit").fetchone() == ("off",)
    # fsync is server-wide (postgresql.conf, reload): a session cannot turn it off.
    with pytest.raises(errors.CantChangeRuntimeParam):
        conn.execute("SET fsync = off")
