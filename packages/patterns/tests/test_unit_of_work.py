"""Tests for patterns.unit_of_work: atomic rollback of two repositories; sqlite3 per version."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from handbook.patterns.unit_of_work import (
    InsufficientFunds,
    NaiveUnitOfWork,
    UnitOfWork,
    connect,
    transfer,
    transfer_without_uow,
)


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    c = connect()
    c.execute("INSERT INTO accounts VALUES ('ann', 100), ('bob', 0)")
    yield c
    c.close()


def insert_then_fail(c: sqlite3.Connection, sql: str) -> None:
    """Run sql inside ``with c:``, then raise ZeroDivisionError out of the block."""
    with c:
        c.execute(sql)
        _ = 1 / 0


def count(c: sqlite3.Connection, table: str) -> int:
    return int(c.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_a_successful_transfer_commits_both_repositories(conn: sqlite3.Connection) -> None:
    uow = UnitOfWork(conn)
    transfer(uow, "ann", "bob", 30)
    assert not conn.in_transaction
    assert (uow.accounts.balance("ann"), uow.accounts.balance("bob")) == (70, 30)
    assert uow.ledger.lines() == [("ann", -30), ("bob", 30)]


def test_an_exception_rolls_back_both_repositories(conn: sqlite3.Connection) -> None:
    uow = UnitOfWork(conn)
    with pytest.raises(KeyError):
        transfer(uow, "ann", "nobody", 30)  # fails after the debit and two ledger lines
    assert not conn.in_transaction
    assert uow.accounts.balance("ann") == 100
    assert uow.ledger.lines() == []


def test_without_a_unit_of_work_a_failure_leaves_half_a_transfer(conn: sqlite3.Connection) -> None:
    with pytest.raises(KeyError):
        transfer_without_uow(conn, "ann", "nobody", 30)
    assert int(conn.execute("SELECT balance FROM accounts WHERE name='ann'").fetchone()[0]) == 70
    assert count(conn, "ledger") == 2  # the 30 left ann and arrived nowhere


def test_with_conn_on_an_autocommit_connection_rolls_nothing_back(conn: sqlite3.Connection) -> None:
    uow = NaiveUnitOfWork(conn)
    with pytest.raises(KeyError):
        transfer(uow, "ann", "nobody", 30)
    assert uow.accounts.balance("ann") == 70
    assert count(conn, "ledger") == 2


def test_the_unit_of_work_refuses_a_connection_that_begins_implicitly() -> None:
    c = sqlite3.connect(":memory:")
    try:
        with pytest.raises(ValueError, match="isolation_level=None"):
            UnitOfWork(c)
    finally:
        c.close()
    if sys.version_info >= (3, 12):
        # autocommit=False overrides isolation_level=None: a transaction is already open,
        # so the unit's own BEGIN would fail. It is refused up front instead.
        c = sqlite3.connect(":memory:", autocommit=False, isolation_level=None)
        try:
            assert c.in_transaction
            with pytest.raises(ValueError, match="autocommit=True"):
                UnitOfWork(c)
        finally:
            c.close()
        # autocommit=True ignores isolation_level (here the default ""): accepted, and it works.
        c = sqlite3.connect(":memory:", autocommit=True)
        try:
            c.execute("CREATE TABLE accounts (name TEXT PRIMARY KEY, balance INTEGER NOT NULL)")
            c.execute("CREATE TABLE ledger (account TEXT NOT NULL, delta INTEGER NOT NULL)")
            c.execute("INSERT INTO accounts VALUES ('ann', 100)")
            uow = UnitOfWork(c)
            with pytest.raises(KeyError):
                transfer(uow, "ann", "nobody", 30)
            assert (uow.accounts.balance("ann"), uow.ledger.lines()) == (100, [])
        finally:
            c.close()


def test_a_base_exception_rolls_back_too(conn: sqlite3.Connection) -> None:
    uow = UnitOfWork(conn)

    def debit_then_interrupt() -> None:
        with uow:
            uow.accounts.change("ann", -30)
            uow.ledger.record("ann", -30)
            raise KeyboardInterrupt  # Ctrl-C between the debit and the credit

    with pytest.raises(KeyboardInterrupt):
        debit_then_interrupt()
    assert not conn.in_transaction
    assert (uow.accounts.balance("ann"), uow.ledger.lines()) == (100, [])


def test_insufficient_funds_rolls_back_an_earlier_debit_in_the_same_unit(
    conn: sqlite3.Connection,
) -> None:
    uow = UnitOfWork(conn)

    def debit_twice() -> None:
        with uow:
            uow.accounts.change("ann", -60)
            uow.ledger.record("ann", -60)
            assert uow.accounts.balance("ann") == 40  # the unit reads its own write
            uow.accounts.change("ann", -60)  # 40 - 60 < 0

    with pytest.raises(InsufficientFunds, match="ann"):
        debit_twice()
    assert not conn.in_transaction
    assert (uow.accounts.balance("ann"), uow.ledger.lines()) == (100, [])
    with pytest.raises(InsufficientFunds):
        transfer(uow, "ann", "bob", 101)
    assert (uow.accounts.balance("ann"), uow.accounts.balance("bob")) == (100, 0)


@pytest.fixture
def db_file(tmp_path: Path) -> str:
    path = str(tmp_path / "bank.db")
    c = connect(path)
    c.execute("INSERT INTO accounts VALUES ('ann', 100), ('bob', 0)")
    c.close()
    return path


def test_a_failed_commit_is_rolled_back_and_re_raised(db_file: str) -> None:
    # timeout=0: no busy wait, "database is locked" at once while the reader holds SHARED.
    writer = sqlite3.connect(db_file, isolation_level=None, timeout=0)
    reader = sqlite3.connect(db_file, isolation_level=None, timeout=0)
    other = sqlite3.connect(db_file, isolation_level=None, timeout=0)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM accounts").fetchone()  # takes SHARED
        uow = UnitOfWork(writer)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            transfer(uow, "ann", "bob", 30)  # the writes succeed; COMMIT cannot get EXCLUSIVE
        assert not writer.in_transaction  # rolled back: no RESERVED lock left behind
        reader.execute("COMMIT")
        other.execute("UPDATE accounts SET balance = 1 WHERE name = 'bob'")  # a writer gets in
        assert (uow.accounts.balance("ann"), uow.ledger.lines()) == (100, [])
    finally:
        for c in (writer, reader, other):
            c.close()


def test_rollback_after_sqlite_already_rolled_back_keeps_the_real_error() -> None:
    c = connect()
    try:
        pages = int(c.execute("PRAGMA page_count").fetchone()[0])
        c.execute(f"PRAGMA max_page_count = {pages}")  # the next new page is SQLITE_FULL
        uow = UnitOfWork(c)

        def fill() -> None:
            with uow:
                for _ in range(1_000):
                    uow.ledger.record("x" * 1_000, 1)

        with pytest.raises(sqlite3.OperationalError, match="full"):
            fill()
        assert not c.in_transaction
        assert uow.ledger.lines() == []
    finally:
        c.close()


def test_two_deferred_writers_conflict_instead_of_losing_an_update(db_file: str) -> None:
    first = sqlite3.connect(db_file, isolation_level=None, timeout=0)
    second = sqlite3.connect(db_file, isolation_level=None, timeout=0)
    try:
        a, b = UnitOfWork(first), UnitOfWork(second)

        def both_debit() -> None:
            with a, b:  # both BEGIN DEFERRED, both read 100: the lost-update setup
                assert a.accounts.balance("ann") == b.accounts.balance("ann") == 100
                a.accounts.change("ann", -30)  # first takes RESERVED
                b.accounts.change("ann", -50)  # second cannot: SQLite locks the database

        with pytest.raises(sqlite3.OperationalError, match="locked"):
            both_debit()
        assert a.accounts.balance("ann") == 100  # both units rolled back, nothing overwritten
    finally:
        first.close()
        second.close()


# What ``with conn:`` does in sqlite3 under the legacy (default) transaction control.


@pytest.fixture
def legacy() -> Iterator[sqlite3.Connection]:
    c = sqlite3.connect(":memory:")  # isolation_level="" (DEFERRED): implicit BEGIN before DML
    c.execute("CREATE TABLE t (x INTEGER)")
    yield c
    c.close()


def test_with_conn_commits_on_success_and_does_not_close(legacy: sqlite3.Connection) -> None:
    with legacy:
        legacy.execute("INSERT INTO t VALUES (1)")
    assert not legacy.in_transaction  # committed
    assert count(legacy, "t") == 1  # still open: this query works
    legacy.rollback()
    assert count(legacy, "t") == 1  # the commit was real


def test_with_conn_rolls_back_on_an_exception(legacy: sqlite3.Connection) -> None:
    with pytest.raises(ZeroDivisionError):
        insert_then_fail(legacy, "INSERT INTO t VALUES (1)")
    assert count(legacy, "t") == 0


def test_a_dml_statement_starting_with_with_gets_no_implicit_begin(
    legacy: sqlite3.Connection,
) -> None:
    legacy.execute("WITH v(x) AS (VALUES (1)) INSERT INTO t SELECT x FROM v")
    assert not legacy.in_transaction  # judged by the first keyword: autocommitted
    legacy.rollback()
    assert count(legacy, "t") == 1  # the rollback had nothing to undo
    legacy.execute("  insert INTO t VALUES (2)")  # leading space and case do not matter
    assert legacy.in_transaction


def test_with_conn_does_not_begin_a_transaction_dml_does(legacy: sqlite3.Connection) -> None:
    with legacy:
        assert not legacy.in_transaction  # entering issued no BEGIN
        legacy.execute("SELECT count(*) FROM t").fetchone()
        assert not legacy.in_transaction  # nor does a SELECT
        legacy.execute("INSERT INTO t VALUES (1)")
        assert legacy.in_transaction  # the implicit BEGIN came before the INSERT


def test_closing_is_a_separate_step() -> None:
    c = sqlite3.connect(":memory:")
    with c:
        c.execute("SELECT 1")
    assert c.execute("SELECT 1").fetchone() == (1,)
    c.close()
    with pytest.raises(sqlite3.ProgrammingError):
        c.execute("SELECT 1")


def test_the_autocommit_attribute_exists_from_3_12_with_a_legacy_default() -> None:
    c = sqlite3.connect(":memory:")
    try:
        level: object = c.isolation_level  # typeshed omits "", the default
        assert level == ""  # implicit DEFERRED transactions, on every version
        if sys.version_info >= (3, 12):
            assert c.autocommit == sqlite3.LEGACY_TRANSACTION_CONTROL
            assert sqlite3.LEGACY_TRANSACTION_CONTROL == -1
        else:
            assert "autocommit" not in dir(c)
            assert not hasattr(sqlite3, "LEGACY_TRANSACTION_CONTROL")
    finally:
        c.close()


def test_autocommit_false_rolls_back_ddl_but_legacy_control_does_not() -> None:
    legacy = sqlite3.connect(":memory:")  # the only spelling on 3.11
    try:
        with pytest.raises(ZeroDivisionError):
            insert_then_fail(legacy, "CREATE TABLE t (x INTEGER)")
        assert count(legacy, "t") == 0  # the table survived (no OperationalError): DDL got no BEGIN
    finally:
        legacy.close()
    if sys.version_info >= (3, 12):
        c = sqlite3.connect(":memory:", autocommit=False)
        try:
            assert c.in_transaction  # opened at connect, before any statement
            with pytest.raises(ZeroDivisionError):
                insert_then_fail(c, "CREATE TABLE t (x INTEGER)")
            assert c.in_transaction  # a new one opened after the rollback
            tables = c.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            assert tables == []  # the CREATE TABLE was rolled back
        finally:
            c.close()
    else:
        connect: Any = sqlite3.connect  # the stubs for 3.11 rightly have no autocommit
        with pytest.raises(TypeError):
            connect(":memory:", autocommit=False)
