"""Tests for concurrency.deadlock: the deadlock is forced every time; the lock order cures it."""

from __future__ import annotations

import pytest

from handbook.concurrency.deadlock import (
    Account,
    caller_order,
    global_order,
    opposite_transfers,
    transfer,
)


def expected_balances(completed: tuple[bool, bool]) -> tuple[int, int]:
    """Transfer 0 moves 10 from A to B, transfer 1 moves 10 back; failures move nothing."""
    a = 100 - 10 * completed[0] + 10 * completed[1]
    return a, 200 - a


def test_opposite_lock_orders_deadlock_and_the_timeout_detects_it() -> None:
    # Both threads hold their first lock before either asks for its second, so the
    # first acquire to return must be a timeout: its lock is held by a waiting thread.
    # That holds for any timeout, so a short one decides nothing.
    outcome = opposite_transfers(caller_order, timeout=0.1)
    assert not all(outcome.completed)
    assert outcome.balances == expected_balances(outcome.completed)  # no money lost


def test_global_lock_order_prevents_the_deadlock() -> None:
    # Here the timeout is a margin: one thread waits for the other's tiny transfer.
    outcome = opposite_transfers(global_order, timeout=5.0)
    assert outcome.completed == (True, True)
    assert outcome.balances == (100, 100)


def test_global_order_is_the_same_whichever_way_money_moves() -> None:
    a, b = Account(1, 0), Account(2, 0)
    assert global_order(a, b) == global_order(b, a) == (a, b)
    assert caller_order(b, a) == (b, a)


def test_a_transfer_that_cannot_get_its_lock_changes_nothing() -> None:
    a, b = Account(1, 100), Account(2, 100)
    with b.lock:  # held by this thread, so the transfer can only time out
        assert transfer(a, b, 10, timeout=0.01) is False
    assert (a.balance, b.balance) == (100, 100)
    assert not a.lock.locked()
    assert not b.lock.locked()


def test_transfer_moves_money_when_uncontended() -> None:
    a, b = Account(1, 100), Account(2, 0)
    assert transfer(b, a, 5) is True
    assert (a.balance, b.balance) == (105, -5)


def test_transfer_to_the_same_account_is_rejected() -> None:
    a = Account(1, 100)
    with pytest.raises(ValueError, match="to itself"):
        transfer(a, a, 10)


def test_transfer_amount_must_be_positive() -> None:
    a, b = Account(1, 100), Account(2, 0)
    with pytest.raises(ValueError, match="amount must be positive"):
        transfer(a, b, 0)
