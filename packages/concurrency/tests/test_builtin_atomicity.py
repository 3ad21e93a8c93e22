"""Tests for concurrency.builtin_atomicity: one C call cannot be cut into; check-then-act can."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable

from handbook.concurrency.builtin_atomicity import (
    AppendLog,
    LockedRegistry,
    SetdefaultRegistry,
    UnsafeAppendLog,
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
    assert any(t.is_alive() for t in threads) is False, "a thread hung"
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


PER_THREAD = 50


def append_from_two_threads(
    append: Callable[[tuple[int, int]], None], switch: ForcedSwitch
) -> None:
    """Two threads each append ``(thread, i)`` for i in range(PER_THREAD) under ``switch``."""

    def appender(t: int) -> Callable[[], None]:
        def run() -> None:
            try:
                for i in range(PER_THREAD):
                    append((t, i))
            finally:
                switch.done()

        return run

    run_threads([appender(0), appender(1)])


def test_a_python_level_append_loses_one_item_per_forced_switch() -> None:
    switch = ForcedSwitch(threads=2)
    log: UnsafeAppendLog[tuple[int, int]] = UnsafeAppendLog(pause=switch.pause)
    append_from_two_threads(log.append, switch)
    # Every round both threads read the same end before either stores there, so
    # the second store overwrites the first: of 2 items per round, 1 survives.
    assert len(log.items) == PER_THREAD


def test_list_append_under_the_same_forced_switch_loses_nothing() -> None:
    switch = ForcedSwitch(threads=2)
    log: AppendLog[tuple[int, int]] = AppendLog(pause=switch.pause)
    append_from_two_threads(log.append, switch)
    # The same scheduler releases both threads together every round, but it can
    # only stop a thread before its list.append, never inside it.
    assert len(log.items) == 2 * PER_THREAD
    for t in (0, 1):  # and each thread's items kept their order
        assert [i for owner, i in log.items if owner == t] == list(range(PER_THREAD))


def test_append_logs_agree_on_one_thread() -> None:
    unsafe: UnsafeAppendLog[int] = UnsafeAppendLog()
    safe: AppendLog[int] = AppendLog()
    for i in range(5):
        unsafe.append(i)
        safe.append(i)
    assert unsafe.items == safe.items == [0, 1, 2, 3, 4]


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


class _KeyWithSlowEq:
    """A dict key whose ``__eq__`` is Python code that waits for another thread to act."""

    def __init__(self, inside: threading.Event, resume: threading.Event) -> None:
        self.inside = inside
        self.resume = resume

    def __hash__(self) -> int:
        return 1  # the same hash for every instance: an insert must compare with __eq__

    def __eq__(self, other: object) -> bool:
        self.inside.set()
        self.resume.wait(JOIN_TIMEOUT)
        return self is other


def test_a_python_eq_lets_another_thread_run_inside_one_dict_insert() -> None:
    inside, resume = threading.Event(), threading.Event()
    first, second = _KeyWithSlowEq(inside, resume), _KeyWithSlowEq(inside, resume)
    shared: dict[object, str] = {}
    shared[first] = "first"  # one key, no comparison needed yet
    order: list[str] = []

    def insert_second() -> None:
        shared[second] = "second"  # same hash as ``first``: runs first.__eq__(second)
        order.append("insert of second finished")

    def meanwhile() -> None:
        assert inside.wait(JOIN_TIMEOUT)  # the other thread is inside d[k] = v
        shared["other"] = "other"
        order.append("other thread inserted")
        resume.set()

    run_threads([insert_second, meanwhile])
    assert order == ["other thread inserted", "insert of second finished"]
    assert list(shared.values()) == ["first", "other", "second"]
