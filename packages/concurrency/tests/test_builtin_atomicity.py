"""Tests for concurrency.builtin_atomicity: append loses nothing; check-then-act races, forced."""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable, Iterator

import pytest

from handbook.concurrency.builtin_atomicity import (
    LockedRegistry,
    SetdefaultRegistry,
    UnsafeRegistry,
)
from handbook.concurrency.race_conditions import ForcedSwitch, WatchedLock

JOIN_TIMEOUT = 10.0  # a hang detector: every thread here finishes in milliseconds


class Connection:
    """A stand-in for something costly to create; records every creation."""

    def __init__(self, key: str, created: list[str]) -> None:
        self.key = key
        created.append(key)


def run_threads(targets: list[Callable[[], None]]) -> None:
    """Start one thread per target, join them all, re-raise the first error."""
    errors: list[BaseException] = []

    def wrap(target: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                target()
            except BaseException as exc:  # surfaced below
                errors.append(exc)

        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=JOIN_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]


def two_callers(get: Callable[[str], Connection], switch: ForcedSwitch) -> list[Connection]:
    """Two threads call ``get("db")`` at once under ``switch``; return what each got."""
    got: list[Connection | None] = [None, None]

    def caller(i: int) -> Callable[[], None]:
        def run() -> None:
            try:
                got[i] = get("db")
            finally:
                switch.done()

        return run

    run_threads([caller(0), caller(1)])
    first, second = got
    assert first is not None
    assert second is not None
    return [first, second]


@pytest.fixture
def tiny_switch_interval() -> Iterator[None]:
    """Ask the interpreter to hand the GIL over as often as it can, then restore it."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


@pytest.mark.usefixtures("tiny_switch_interval")
def test_list_append_from_many_threads_loses_nothing() -> None:
    threads, per_thread = 4, 10_000
    shared: list[tuple[int, int]] = []
    start = threading.Barrier(threads)

    def appender(t: int) -> Callable[[], None]:
        def run() -> None:
            start.wait(timeout=JOIN_TIMEOUT)
            for i in range(per_thread):
                shared.append((t, i))  # one C call: no thread can cut into it

        return run

    run_threads([appender(t) for t in range(threads)])
    assert len(shared) == threads * per_thread
    for t in range(threads):  # and each thread's items kept their order
        assert [i for owner, i in shared if owner == t] == list(range(per_thread))


def test_check_then_act_creates_twice_and_one_caller_keeps_an_orphan() -> None:
    switch = ForcedSwitch(threads=2)
    created: list[str] = []
    registry = UnsafeRegistry(lambda key: Connection(key, created), pause=switch.pause)
    a, b = two_callers(registry.get_or_create, switch)
    # Both threads checked "absent" before either inserted.
    assert created == ["db", "db"]
    assert a is not b
    # The dict kept one of them; the other caller holds a connection nobody can find.
    assert registry.items["db"] in (a, b)
    assert len(registry.items) == 1


def test_setdefault_gives_every_caller_the_same_object() -> None:
    switch = ForcedSwitch(threads=2)
    created: list[str] = []
    registry = SetdefaultRegistry(lambda key: Connection(key, created), pause=switch.pause)
    a, b = two_callers(registry.get_or_create, switch)
    assert a is b
    assert registry.items["db"] is a
    # The insert was atomic, the creation was not: one spare was made and dropped.
    assert created == ["db", "db"]


def test_lock_makes_creation_happen_once() -> None:
    switch = ForcedSwitch(threads=2)
    created: list[str] = []
    registry = LockedRegistry(
        lambda key: Connection(key, created), pause=switch.pause, lock=WatchedLock(switch)
    )
    a, b = two_callers(registry.get_or_create, switch)
    assert a is b
    assert created == ["db"]


def test_registries_agree_on_one_thread() -> None:
    for registry_type in (UnsafeRegistry, SetdefaultRegistry, LockedRegistry):
        created: list[str] = []
        registry = registry_type(functools.partial(Connection, created=created))
        first = registry.get_or_create("db")
        assert registry.get_or_create("db") is first
        assert registry.get_or_create("cache") is not first
        assert created == ["db", "cache"]


def test_iterating_a_dict_while_another_thread_inserts_raises() -> None:
    shared = {"a": 1, "b": 2}
    iterating, inserted = threading.Event(), threading.Event()
    outcome: list[str] = []

    def reader() -> None:
        try:
            for _key in shared:
                iterating.set()
                assert inserted.wait(JOIN_TIMEOUT)  # the writer acts here, mid-iteration
        except RuntimeError as exc:
            outcome.append(str(exc))

    def writer() -> None:
        assert iterating.wait(JOIN_TIMEOUT)
        shared["c"] = 3
        inserted.set()

    run_threads([reader, writer])
    assert outcome == ["dictionary changed size during iteration"]


def test_iterating_a_snapshot_is_safe() -> None:
    shared = {"a": 1, "b": 2}
    iterating, inserted = threading.Event(), threading.Event()
    seen: list[str] = []

    def reader() -> None:
        for key in list(shared):  # list(d) copies the keys in one C call
            seen.append(key)
            iterating.set()
            assert inserted.wait(JOIN_TIMEOUT)

    def writer() -> None:
        assert iterating.wait(JOIN_TIMEOUT)
        shared["c"] = 3
        inserted.set()

    run_threads([reader, writer])
    assert seen == ["a", "b"]
    assert shared == {"a": 1, "b": 2, "c": 3}
