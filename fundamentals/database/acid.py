"""database.acid: a bank transfer that is atomic, one that is not, and the settings
that make a commit durable.

``transfer`` runs both legs of a transfer in one sqlite3 transaction, so a leg that
breaks a constraint undoes the other; ``transfer_per_statement`` runs the same two
statements each in its own transaction (autocommit), the classic atomicity bug.
``durability_settings`` reads what a sqlite3 connection promises about a commit.
The PostgreSQL side is in the tests, on connections passed in.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

NO_OVERDRAFT = "CHECK (balance >= 0)"  # break[no-check-constraint]
SCHEMA = f"CREATE TABLE account (id TEXT PRIMARY KEY, balance INTEGER NOT NULL {NO_OVERDRAFT})"

# PRAGMA synchronous values, from the sqlite3 documentation.
SYNCHRONOUS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


def open_bank(path: str, balances: dict[str, int]) -> sqlite3.Connection:
    """Create the account table at ``path`` (``":memory:"`` works) holding ``balances``.

    Raises ValueError for a negative opening balance (the CHECK would refuse it too).

    >>> bank = open_bank(":memory:", {"alice": 100, "bob": 0})
    >>> total(bank)
    100
    >>> bank.close()
    """
    for name, amount in balances.items():
        if amount < 0:
            raise ValueError(f"opening balance of {name!r} is negative: {amount}")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(SCHEMA)
        conn.executemany("INSERT INTO account VALUES (?, ?)", balances.items())
    return conn


def total(conn: sqlite3.Connection) -> int:
    """The money in the bank: a transfer, whatever happens, must not change it."""
    (value,) = conn.execute("SELECT coalesce(sum(balance), 0) FROM account").fetchone()
    return int(value)


def balance(conn: sqlite3.Connection, name: str) -> int:
    """The balance of account ``name``; KeyError if there is none."""
    row = conn.execute("SELECT balance FROM account WHERE id = ?", (name,)).fetchone()
    if row is None:
        raise KeyError(name)
    return int(row[0])


def _legs(conn: sqlite3.Connection, src: str, dst: str, amount: int) -> None:
    if amount <= 0:
        raise ValueError(f"amount must be positive, got {amount}")
    # Credit first, so that a failing debit has something to undo.
    credit = conn.execute("UPDATE account SET balance = balance + ? WHERE id = ?", (amount, dst))
    if credit.rowcount != 1:  # break[unknown-dest-ignored]
        raise KeyError(dst)
    # The CHECK (balance >= 0) refuses an overdraft with sqlite3.IntegrityError.
    debit = conn.execute("UPDATE account SET balance = balance - ? WHERE id = ?", (amount, src))
    if debit.rowcount != 1:  # break[unknown-source-ignored]
        raise KeyError(src)


def transfer(conn: sqlite3.Connection, src: str, dst: str, amount: int) -> None:
    """Move ``amount`` from ``src`` to ``dst`` atomically: both legs or neither.

    Raises sqlite3.IntegrityError on an overdraft, KeyError for an unknown account,
    ValueError for an amount that is not positive; the bank is then unchanged.

    >>> bank = open_bank(":memory:", {"alice": 100, "bob": 0})
    >>> transfer(bank, "alice", "bob", 500)
    Traceback (most recent call last):
    sqlite3.IntegrityError: CHECK constraint failed: balance >= 0
    >>> balance(bank, "bob"), total(bank)
    (0, 100)
    >>> bank.close()
    """
    conn.execute("BEGIN")  # break[autocommit-legs]
    try:
        _legs(conn, src, dst, amount)
    except BaseException:
        conn.rollback()  # break[no-rollback]
        raise
    conn.commit()


def transfer_per_statement(conn: sqlite3.Connection, src: str, dst: str, amount: int) -> None:
    """The pitfall: the same two statements, each committed on its own (the connection
    is switched to autocommit), so a failing debit leaves the credit behind."""
    saved = conn.isolation_level
    conn.isolation_level = None  # autocommit: every statement is its own transaction
    try:
        _legs(conn, src, dst, amount)
    finally:
        conn.isolation_level = saved


@dataclass(frozen=True)
class Durability:
    """What a sqlite3 connection promises about a commit."""

    journal_mode: str
    synchronous: str


def durability_settings(conn: sqlite3.Connection) -> Durability:
    """Read ``PRAGMA journal_mode`` and ``PRAGMA synchronous`` (as a name).

    >>> conn = sqlite3.connect(":memory:")
    >>> durability_settings(conn).journal_mode
    'memory'
    >>> conn.close()
    """
    (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
    (sync,) = conn.execute("PRAGMA synchronous").fetchone()
    return Durability(str(mode), SYNCHRONOUS[int(sync)])
