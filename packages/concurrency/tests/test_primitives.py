"""Tests for concurrency.primitives: each primitive's job and its classic misuse, forced."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from handbook.concurrency.primitives import (
    IfMailbox,
    Inventory,
    Limiter,
    LockTimeout,
    Mailbox,
    peak_inside,
    reacquire,
    stolen_wakeup,
)

# --- Lock vs RLock ----------------------------------------------------------


def test_plain_lock_cannot_be_reacquired_by_its_holder() -> None:
    # Nobody else could release it, so the result does not depend on the timeout.
    assert reacquire(threading.Lock(), timeout=0.01) is False


def test_rlock_can_be_reacquired_by_its_holder() -> None:
    assert reacquire(threading.RLock(), timeout=0.01) is True


def test_nested_locked_methods_need_a_reentrant_lock() -> None:
    inventory = Inventory(timeout=0.05)
    inventory.add_many(["apple", "pear", "apple"])
    assert inventory.count("apple") == 2
    assert inventory.count("pear") == 1


def test_lock_is_released_after_a_failed_operation() -> None:
    inventory = Inventory(timeout=0.05)
    with pytest.raises(ValueError, match="amount must be >= 1"):
        inventory.add("apple", 0)
    inventory.add("apple")  # would raise LockTimeout if the lock had leaked
    assert inventory.count("apple") == 1


def test_lock_timeout_names_the_problem() -> None:
    inventory = Inventory(timeout=0.01)
    entered, leave = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        with inventory._locked():
            entered.set()
            leave.wait(10)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert entered.wait(10)
        with pytest.raises(LockTimeout, match="not acquired"):
            inventory.add("apple")
    finally:
        leave.set()
        holder.join()


# --- Condition: while, not if ------------------------------------------------


def make_mailbox(hook: Callable[[], None]) -> Mailbox[str]:
    return Mailbox(hook)


def make_if_mailbox(hook: Callable[[], None]) -> Mailbox[str]:
    return IfMailbox(hook)


def test_while_loop_survives_a_stolen_wakeup() -> None:
    stolen, got = stolen_wakeup(make_mailbox)
    assert stolen == "first"
    assert got == "second"  # the waiter re-checked, waited again, got the next item


def test_if_check_consumes_from_an_empty_buffer_after_a_stolen_wakeup() -> None:
    with pytest.raises(IndexError):
        stolen_wakeup(make_if_mailbox)


def test_mailbox_get_times_out_when_nothing_arrives() -> None:
    box: Mailbox[int] = Mailbox()
    with pytest.raises(TimeoutError, match="no item arrived"):
        box.get(timeout=0.01)


def test_mailbox_is_fifo() -> None:
    box: Mailbox[int] = Mailbox()
    for i in range(3):
        box.put(i)
    assert [box.get(timeout=1) for _ in range(3)] == [0, 1, 2]


def test_a_notify_before_the_wait_is_lost() -> None:
    cond = threading.Condition()
    with cond:
        cond.notify_all()  # nobody is waiting: the notification goes nowhere
    with cond:
        # No thread will ever notify again, so this wait can only time out.
        assert cond.wait(timeout=0.01) is False


# --- Semaphore ---------------------------------------------------------------


def test_semaphore_caps_how_many_are_inside_at_once() -> None:
    peak, waiting = peak_inside(limit=2, callers=5)
    assert peak == 2
    assert waiting == 3


def test_semaphore_of_one_is_a_mutex() -> None:
    assert peak_inside(limit=1, callers=3) == (1, 2)


def test_bounded_semaphore_rejects_an_extra_release() -> None:
    sem = threading.BoundedSemaphore(1)
    with pytest.raises(ValueError, match="released too many times"):
        sem.release()


def test_plain_semaphore_silently_grows_on_an_extra_release() -> None:
    sem = threading.Semaphore(1)
    sem.release()  # a bug: nothing was acquired, and now two may enter
    assert sem.acquire(blocking=False)
    assert sem.acquire(blocking=False)


def test_limiter_rejects_a_bad_limit() -> None:
    with pytest.raises(ValueError, match="limit must be >= 1"):
        Limiter(0)


def test_limiter_slot_times_out_when_full() -> None:
    limiter = Limiter(1, timeout=0.01)
    with limiter.slot(), pytest.raises(LockTimeout, match="no slot freed up"), limiter.slot():
        pass  # pragma: no cover
    assert limiter.inside == 0
    assert limiter.waiting == 0


# --- Event -------------------------------------------------------------------


def test_event_releases_every_waiter_and_remembers() -> None:
    event = threading.Event()
    ready = threading.Barrier(4)  # 3 waiters + this thread
    results: list[bool] = []

    def waiter() -> None:
        ready.wait(10)
        results.append(event.wait(10))

    threads = [threading.Thread(target=waiter) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        assert event.wait(timeout=0) is False  # not set yet: a zero timeout returns at once
        ready.wait(10)
        event.set()
    finally:
        for t in threads:
            t.join(10)
    assert results == [True, True, True]
    assert event.wait(timeout=0) is True  # level-triggered: a late waiter passes at once


# --- Barrier -----------------------------------------------------------------


def test_barrier_gives_each_party_a_distinct_index_and_runs_the_action_once() -> None:
    actions: list[str] = []
    barrier = threading.Barrier(3, action=lambda: actions.append("all here"))
    indices: list[int] = []
    lock = threading.Lock()

    def party() -> None:
        index = barrier.wait(10)
        with lock:
            indices.append(index)

    threads = [threading.Thread(target=party) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted(indices) == [0, 1, 2]
    assert actions == ["all here"]


def test_barrier_missing_a_party_breaks_for_everyone() -> None:
    barrier = threading.Barrier(2)
    # The second party never comes, so the wait can only end by timing out.
    with pytest.raises(threading.BrokenBarrierError):
        barrier.wait(timeout=0.01)
    assert barrier.broken
    with pytest.raises(threading.BrokenBarrierError):
        barrier.wait(timeout=10)  # broken barriers fail at once until reset()
