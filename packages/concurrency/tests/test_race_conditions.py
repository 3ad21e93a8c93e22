"""Tests for concurrency.race_conditions: the lost update is forced, the lock makes it exact."""

from __future__ import annotations

import asyncio
import dis
import threading
from collections.abc import Awaitable, Callable

import pytest

from handbook.concurrency.race_conditions import Counter, ForcedSwitch, UnsafeCounter, WatchedLock

INCREMENTS = 50
JOIN_TIMEOUT = 10.0  # a hang detector: every thread here finishes in milliseconds


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
        t.join(timeout=2 * JOIN_TIMEOUT)
    assert any(t.is_alive() for t in threads) is False, "a worker thread hung"
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


def test_forced_switch_holds_a_paused_thread_until_every_thread_is_stuck() -> None:
    # Three parties: A pauses, B finishes, C is still running. One finished thread
    # is not "everyone": A must wait until C pauses too, then both go on.
    switch = ForcedSwitch(threads=3)
    went_on: list[str] = []

    def thread_a() -> None:
        switch.pause()
        went_on.append("A")

    a, b = threading.Thread(target=thread_a), threading.Thread(target=switch.done)
    a.start()
    try:
        switch.wait_until_paused(1)
        b.start()
        b.join(timeout=JOIN_TIMEOUT)
        # done() runs its release check before it returns, so this is no race:
        # a scheduler that let A go on here would already have reset the count.
        assert switch.paused == 1
        assert went_on == []
        switch.pause()  # this thread is C: now every party is paused or done
    finally:
        a.join(timeout=JOIN_TIMEOUT)
        b.join(timeout=JOIN_TIMEOUT)
    assert went_on == ["A"]
    assert switch.paused == 0


def test_wait_until_paused_times_out_instead_of_hanging() -> None:
    switch = ForcedSwitch(threads=2, timeout=0.01)
    with pytest.raises(TimeoutError, match="1 thread"):
        switch.wait_until_paused(1)


def test_forced_switch_rejects_bad_party_count() -> None:
    with pytest.raises(ValueError, match="threads must be >= 1"):
        ForcedSwitch(threads=0)


class _BareCounter:
    def __init__(self) -> None:
        self.value = 0

    def increment(self) -> None:
        self.value += 1


# The instructions at which CPython 3.11 to 3.13 check the eval breaker, and
# so may hand the GIL to another thread: function entry, backward jumps and
# calls (CHECK_EVAL_BREAKER in ceval.c / bytecodes.c).
SWITCH_POINTS = ("RESUME", "JUMP_BACKWARD", "CALL")


def test_bare_plus_equals_is_a_separate_read_add_and_write() -> None:
    # Why a bare ``+=`` can lose updates at all: it is several bytecodes, and a
    # switch between the read and the write would lose work.
    ops = [(i.opname, i.argrepr) for i in dis.get_instructions(_BareCounter.increment)]
    read = ops.index(("LOAD_ATTR", "value"))
    add = next(k for k, (name, arg) in enumerate(ops) if name.startswith("BINARY_") and "+" in arg)
    write = ops.index(("STORE_ATTR", "value"))
    assert read < add < write
    # ...and why on these versions it does not lose any: not one of the
    # instructions in between is a switch point.
    between = [name for name, _ in ops[read + 1 : write]]
    assert between  # the window is not empty: there is an add in it
    assert not [name for name in between if name.startswith(SWITCH_POINTS)]


class _CounterWithACall:
    def __init__(self) -> None:
        self.value = 0

    def increment(self) -> None:
        current = self.value
        _no_op()  # one call: a switch point inside the window
        self.value = current + 1


def _no_op() -> None:
    pass


def test_one_call_between_read_and_write_puts_a_switch_point_in_the_window() -> None:
    ops = [(i.opname, i.argrepr) for i in dis.get_instructions(_CounterWithACall.increment)]
    read = ops.index(("LOAD_ATTR", "value"))
    write = ops.index(("STORE_ATTR", "value"))
    assert [name for name, _ in ops[read + 1 : write] if name.startswith(SWITCH_POINTS)]


class _AsyncCounter:
    """The same read-modify-write in a coroutine, with an ``await`` in the window."""

    def __init__(self, in_the_window: Callable[[], Awaitable[None]]) -> None:
        self.value = 0
        self._in_the_window = in_the_window

    async def increment(self) -> None:
        current = self.value
        await self._in_the_window()
        self.value = current + 1


async def _returns_at_once() -> None:
    """A coroutine that never suspends: awaiting it runs it to the end, in place."""


async def _suspends() -> None:
    await asyncio.sleep(0)  # yields to the event loop once


def _two_tasks(counter: _AsyncCounter) -> int:
    async def worker() -> None:
        for _ in range(INCREMENTS):
            await counter.increment()

    async def main() -> None:
        await asyncio.gather(worker(), worker())

    asyncio.run(main())
    return counter.value


def test_asyncio_loses_updates_only_at_an_await_that_suspends() -> None:
    # Round robin on one thread: each task reads, suspends, and the other reads
    # the same value before either writes; every round loses one update.
    assert _two_tasks(_AsyncCounter(_suspends)) == INCREMENTS
    # The same ``await`` on a coroutine that does not suspend: no other task
    # can run between the read and the write, so nothing is lost.
    assert _two_tasks(_AsyncCounter(_returns_at_once)) == 2 * INCREMENTS


class _KeyThatLetsOthersRun:
    """A dict key whose ``__hash__`` is Python code: it waits for another thread to act."""

    def __init__(self, inside: threading.Event, resume: threading.Event) -> None:
        self.inside = inside
        self.resume = resume

    def __hash__(self) -> int:
        self.inside.set()
        self.resume.wait(JOIN_TIMEOUT)
        return 1


def _store(shared: dict[object, str], key: object) -> None:
    shared[key] = "stored by the other thread"


def test_another_thread_runs_in_the_middle_of_a_single_bytecode() -> None:
    # The GIL does not make each bytecode atomic: the store below is one
    # STORE_SUBSCR, and that one instruction calls the key's Python __hash__.
    assert [i.opname for i in dis.get_instructions(_store)].count("STORE_SUBSCR") == 1
    shared: dict[object, str] = {}
    inside, resume = threading.Event(), threading.Event()
    key = _KeyThatLetsOthersRun(inside, resume)
    storer = threading.Thread(target=_store, args=(shared, key))
    storer.start()
    try:
        assert inside.wait(JOIN_TIMEOUT)  # the storer is now inside its STORE_SUBSCR
        shared["main"] = "stored by this thread"  # ...and this thread runs meanwhile
        assert list(shared.values()) == ["stored by this thread"]
    finally:
        resume.set()
        storer.join(timeout=JOIN_TIMEOUT)
    # The storer's single bytecode finished after this thread's insert.
    assert list(shared.values()) == ["stored by this thread", "stored by the other thread"]
