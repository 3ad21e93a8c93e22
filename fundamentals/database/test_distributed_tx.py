"""database.distributed_tx: two-phase commit in a model and on PostgreSQL, and sagas.

The model's crash points are replayed exactly. On PostgreSQL two schemas of one
database stand for two resource managers: each is driven through its own session,
so each runs, prepares and commits its own transaction, and the server knows
nothing of the other. Waiting is never timed: a blocked lock is probed with
``NOWAIT``, which fails at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from fundamentals.database.distributed_tx import (
    Coordinator,
    CoordinatorCrashed,
    Crash,
    Participant,
    State,
    Step,
    Vote,
    pg_finish,
    pg_in_doubt,
    pg_prepare,
    pg_prepared_locks,
    pg_two_phase_commit,
    run_saga,
)

# --- the model ---------------------------------------------------------------


def shop(*, refuse: bool = False) -> tuple[Participant, Participant, Coordinator]:
    stock = Participant("stock", {"pen": 5})
    bank = Participant("bank", {"ada": 100}, refuse=refuse)
    return stock, bank, Coordinator([stock, bank])


ORDER = {"stock": {"pen": 4}, "bank": {"ada": 70}}


def test_all_yes_votes_commit_everywhere() -> None:
    stock, bank, coord = shop()
    assert coord.run("t1", ORDER)
    assert (stock.data, bank.data) == ({"pen": 4}, {"ada": 70})
    assert stock.locked == bank.locked == {}
    assert coord.log == {"t1": "commit"}


def test_one_no_vote_aborts_everywhere() -> None:
    stock, bank, coord = shop(refuse=True)
    assert not coord.run("t1", ORDER)
    assert (stock.data, bank.data) == ({"pen": 5}, {"ada": 100})
    assert stock.state["t1"] is State.ABORTED
    assert stock.locked == {}


def test_a_crash_between_phases_leaves_participants_in_doubt_holding_locks() -> None:
    stock, bank, coord = shop()
    with pytest.raises(CoordinatorCrashed):
        coord.run("t1", ORDER, crash=Crash.AFTER_PREPARE)
    assert stock.in_doubt() == bank.in_doubt() == ["t1"]
    assert stock.locked == {"pen": "t1"}
    # Anyone else who needs the row is refused until the coordinator comes back.
    assert stock.prepare("t2", {"pen": 3}) is Vote.NO
    assert stock.data == {"pen": 5}


def test_recovery_without_a_decision_record_presumes_abort() -> None:
    stock, bank, coord = shop()
    with pytest.raises(CoordinatorCrashed):
        coord.run("t1", ORDER, crash=Crash.AFTER_PREPARE)
    assert coord.recover() == {"t1": "abort"}
    assert (stock.data, bank.data) == ({"pen": 5}, {"ada": 100})
    assert stock.prepare("t2", {"pen": 3}) is Vote.YES


def test_recovery_after_the_decision_finishes_the_commit_on_everyone() -> None:
    stock, bank, coord = shop()
    with pytest.raises(CoordinatorCrashed):
        coord.run("t1", ORDER, crash=Crash.AFTER_FIRST_COMMIT)
    assert stock.data == {"pen": 4}
    assert bank.in_doubt() == ["t1"]
    assert coord.recover() == {"t1": "commit"}
    assert (stock.data, bank.data) == ({"pen": 4}, {"ada": 70})
    assert bank.locked == {}


class DiesWhileCommitting(Participant):
    """A participant during whose commit the coordinator dies: the commit is
    applied here, and the coordinator never gets past the call."""

    def commit(self, txid: str) -> None:
        super().commit(txid)
        raise CoordinatorCrashed("died while the first participant committed")


def test_the_decision_is_logged_before_the_first_participant_is_told() -> None:
    stock = DiesWhileCommitting("stock", {"pen": 5})
    bank = Participant("bank", {"ada": 100})
    coord = Coordinator([stock, bank])
    with pytest.raises(CoordinatorCrashed, match="while the first"):
        coord.run("t1", ORDER)
    assert stock.data == {"pen": 4}
    assert coord.log == {"t1": "commit"}
    assert coord.recover() == {"t1": "commit"}
    assert (stock.data, bank.data) == ({"pen": 4}, {"ada": 70})


def test_a_participant_cannot_abort_what_it_committed_and_unknown_names_are_refused() -> None:
    stock, _, coord = shop()
    coord.run("t1", ORDER)
    with pytest.raises(ValueError, match="already committed"):
        stock.abort("t1")
    with pytest.raises(ValueError, match="cannot commit"):
        stock.commit("t9")
    with pytest.raises(ValueError, match="unknown participant"):
        coord.run("t2", {"warehouse": {"x": 1}})


def test_a_failed_saga_step_compensates_the_done_steps_newest_first() -> None:
    seen: list[str] = []

    def declined() -> None:
        raise RuntimeError("card declined")

    steps = [
        Step("reserve", lambda: seen.append("reserved"), lambda: seen.append("released")),
        Step("ship-label", lambda: seen.append("labelled"), lambda: seen.append("voided")),
        Step("charge", declined, lambda: seen.append("refunded")),
    ]
    assert run_saga(steps) == [
        "do reserve",
        "do ship-label",
        "fail charge: card declined",
        "undo ship-label",
        "undo reserve",
    ]
    assert seen == ["reserved", "labelled", "voided", "released"]


def test_a_saga_shows_its_partial_state_to_readers_between_steps() -> None:
    stock = {"pen": 5}
    observed: list[int] = []

    def charge() -> None:
        observed.append(stock["pen"])  # another reader looks now
        raise RuntimeError("card declined")

    def take() -> None:
        stock["pen"] -= 4

    def give_back() -> None:
        stock["pen"] += 4

    run_saga([Step("reserve", take, give_back), Step("charge", charge, lambda: None)])
    assert observed == [1]  # the reservation was visible before it was undone
    assert stock == {"pen": 5}


def test_bad_gids_are_refused_before_anything_runs() -> None:
    class Refuse:
        def execute(self, query: Any, params: Any = None) -> Any:
            raise AssertionError("nothing may reach the server")

    with pytest.raises(ValueError, match="gid must be"):
        pg_prepare(Refuse(), "x'; DROP TABLE t; --", [])
    with pytest.raises(ValueError, match="gid must be"):
        pg_two_phase_commit([(Refuse(), [])], "a" * 199)


# --- PostgreSQL ----------------------------------------------------------------

Schemas = Callable[[], Any]


def bank(make: Schemas, balance: int) -> tuple[str, psycopg.Connection[Any]]:
    schema = make()
    conn = schema.connect(autocommit=True)
    conn.execute("SET lock_timeout = '2s'")
    conn.execute(
        "CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL CHECK (balance >= 0))"
    )
    conn.execute("INSERT INTO accounts VALUES (1, %s)", (balance,))
    return schema.name, conn


def balance(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT balance FROM accounts WHERE id = 1").fetchone()
    assert row is not None
    return int(row[0])


def move(amount: int) -> tuple[list[tuple[str, list[Any]]], list[tuple[str, list[Any]]]]:
    debit = [("UPDATE accounts SET balance = balance - %s WHERE id = 1", [amount])]
    credit = [("UPDATE accounts SET balance = balance + %s WHERE id = 1", [amount])]
    return debit, credit


@pytest.mark.engine("postgres")
def test_pg_two_phase_commit_applies_both_sides_or_neither(pg_two_phase: Schemas) -> None:
    a_name, a = bank(pg_two_phase, 100)
    _, b = bank(pg_two_phase, 0)
    debit, credit = move(30)
    assert pg_two_phase_commit([(a, debit), (b, credit)], a_name + "_t1")
    assert (balance(a), balance(b)) == (70, 30)
    debit, credit = move(500)  # the debit breaks the CHECK: participant a votes no
    assert not pg_two_phase_commit([(b, credit), (a, debit)], a_name + "_t2")
    assert (balance(a), balance(b)) == (70, 30)
    assert pg_in_doubt(a, a_name) == []


@pytest.mark.engine("postgres")
def test_pg_coordinator_crash_between_phases_leaves_prepared_transactions_holding_locks(
    pg_two_phase: Schemas,
) -> None:
    a_name, a = bank(pg_two_phase, 100)
    b_name, b = bank(pg_two_phase, 0)
    debit, credit = move(30)
    gid = a_name + "_t1"
    with pytest.raises(CoordinatorCrashed):
        pg_two_phase_commit([(a, debit), (b, credit)], gid, crash_after_prepare=True)
    a.close()
    b.close()  # the coordinator's sessions are gone; the transactions are not
    admin = pg_two_phase().connect(autocommit=True)
    where = (admin.info.dbname, admin.info.user)
    assert pg_in_doubt(admin, gid) == [(gid + "_0", *where), (gid + "_1", *where)]
    locks = pg_prepared_locks(admin, gid)
    for g in (gid + "_0", gid + "_1"):
        assert (g, "relation", "RowExclusiveLock", "accounts") in locks
        assert (g, "transactionid", "ExclusiveLock", None) in locks
    probe = psycopg.connect(admin.info.dsn, autocommit=True)
    try:
        probe.execute(f"SET search_path = {a_name}")
        assert balance(probe) == 100  # readers see the old row: MVCC, no lock needed
        with pytest.raises(psycopg.errors.LockNotAvailable):
            probe.execute("SELECT balance FROM accounts WHERE id = 1 FOR UPDATE NOWAIT")
        # The row lock is not a pg_locks row: it is the tuple's xmax, the prepared xid.
        locker = probe.execute(
            "SELECT a.xmax = p.transaction FROM accounts a, pg_prepared_xacts p"
            " WHERE a.id = 1 AND p.gid = %s",
            (gid + "_0",),
        ).fetchone()
        assert locker == (True,)
        # A plain writer is not refused: it waits, here until its lock_timeout.
        probe.execute("SET lock_timeout = '50ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable, match="lock timeout"):
            probe.execute("UPDATE accounts SET balance = 0 WHERE id = 1")
        # Recovery: the coordinator's log says commit, any session can finish it.
        pg_finish(probe, gid + "_0", commit=True)
        pg_finish(probe, gid + "_1", commit=True)
        assert pg_in_doubt(probe, gid) == []
        assert balance(probe) == 70
        probe.execute(f"SET search_path = {b_name}")
        assert balance(probe) == 30
        probe.execute("SELECT balance FROM accounts WHERE id = 1 FOR UPDATE NOWAIT")
    finally:
        probe.close()
