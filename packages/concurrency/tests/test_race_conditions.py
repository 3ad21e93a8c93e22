"""Tests for concurrency.race_conditions: the lost update is forced, the lock makes it exact."""

from __future__ import annotations

import dis
import threading
from collections.abc import Callable

import pytest

from handbook.concurrency.race_conditions import Counter, ForcedSwitch, UnsafeCounter, WatchedLock

INCREMENTS = 50


def run_two_threads(increment: Callable[[], None], switch: ForcedSwitch) -> None:
    """Run ``increment`` INCREMENTS times on each of two threads; re-raise any error."""
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(INCREMENTS):
                increment()
        except BaseException as exc:  # pragma: no cover - surfaced below
            errors.append(exc)
        finally:
            switch.done()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert not any(t.is_alive() for t in threads), "a worker thread hung"
    if errors:
        raise errors[0]


def test_unsafe_counter_loses_exactly_one_update_per_forced_switch() -> None:
    switch = ForcedSwitch(threads=2)
    counter = UnsafeCounter(pause=switch.pause)
    run_two_threads(counter.increment, switch)
    # Every round both threads read the same value before either writes.
    assert counter.value == INCREMENTS


def test_lock_makes_count_exact_under_forced_switch() -> None:
    switch = ForcedSwitch(threads=2)
    counter = Counter(pause=switch.pause, lock=WatchedLock(switch))
    run_two_threads(counter.increment, switch)
    assert counter.value == 2 * INCREMENTS


def test_single_thread_counters_agree() -> None:
    unsafe, safe = UnsafeCounter(), Counter()
    for _ in range(10):
        unsafe.increment()
        safe.increment()
    assert unsafe.value == safe.value == 10


def test_forced_switch_times_out_instead_of_hanging() -> None:
    switch = ForcedSwitch(threads=2, timeout=0.01)
    with pytest.raises(TimeoutError, match="never paused"):
        switch.pause()


def test_forced_switch_rejects_bad_party_count() -> None:
    with pytest.raises(ValueError, match="threads must be >= 1"):
        ForcedSwitch(threads=0)


class _BareCounter:
    def __init__(self) -> None:
        self.value = 0

    def increment(self) -> None:
        self.value += 1


def test_bare_plus_equals_is_a_separate_read_add_and_write() -> None:
    # Why a bare ``+=`` can lose updates at all: it is several bytecodes, and a
    # thread switch may fall between the read and the write. (On CPython 3.11+
    # switches rarely land there, which is why the lesson forces the switch.)
    ops = [(i.opname, i.argrepr) for i in dis.get_instructions(_BareCounter.increment)]
    read = ops.index(("LOAD_ATTR", "value"))
    add = next(k for k, (name, arg) in enumerate(ops) if name.startswith("BINARY_") and "+" in arg)
    write = ops.index(("STORE_ATTR", "value"))
    assert read < add < write
