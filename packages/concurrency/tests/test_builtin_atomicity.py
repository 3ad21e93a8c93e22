"""Tests for concurrency.builtin_atomicity: one C call cannot be cut into; check-then-act can."""

from __future__ import annotations

import collections
import functools
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import CodeType, FrameType
from typing import Any

import pytest

from handbook.concurrency.builtin_atomicity import (
    AppendLog,
    JobQueue,
    LockedRegistry,
    SetdefaultRegistry,
    UnsafeAppendLog,
    UnsafeJobQueue,
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


@contextmanager
def pause_before_every_instruction(
    codes: Sequence[CodeType], pause: Callable[[], None]
) -> Iterator[None]:
    """While active, every thread calls ``pause()`` before each instruction of ``codes``.

    The finest grain at which the GIL can change hands inside Python code: a
    switch only ever happens between two instructions. Threads started inside
    the block are covered. 3.12+ uses ``sys.monitoring`` INSTRUCTION events;
    3.11 has no ``sys.monitoring`` and uses ``sys.settrace`` opcode events.
    (Not settrace everywhere: on 3.12.1 a second thread traced that way got
    no opcode events at all, and on 3.13.0 it missed some.)
    """
    if sys.version_info >= (3, 12):
        monitoring = sys.monitoring
        tool = next(i for i in range(6) if monitoring.get_tool(i) is None)
        monitoring.use_tool_id(tool, "handbook instruction switch")
        try:
            monitoring.register_callback(
                tool, monitoring.events.INSTRUCTION, lambda _code, _offset: pause()
            )
            for code in codes:
                monitoring.set_local_events(tool, code, monitoring.events.INSTRUCTION)
            yield
        finally:
            for code in codes:
                monitoring.set_local_events(tool, code, 0)
            monitoring.register_callback(tool, monitoring.events.INSTRUCTION, None)
            monitoring.free_tool_id(tool)
    else:

        def local(frame: FrameType, event: str, arg: Any) -> Any:
            if event == "opcode":
                pause()
            return local

        def on_call(frame: FrameType, event: str, arg: Any) -> Any:
            if frame.f_code not in codes:
                return None
            frame.f_trace_lines = False
            frame.f_trace_opcodes = True
            return local

        previous = threading.gettrace()
        threading.settrace(on_call)
        try:
            yield
        finally:
            threading.settrace(previous)


def in_lock_step(codes: Sequence[CodeType], targets: list[Callable[[], None]]) -> None:
    """Run one thread per target; they take turns one instruction of ``codes`` at a time."""
    switch = ForcedSwitch(threads=len(targets))

    def stepped(target: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                target()
            finally:
                switch.done()

        return run

    with pause_before_every_instruction(codes, switch.pause):
        run_threads([stepped(t) for t in targets])


def appends(append: Callable[[tuple[int, int]], None], thread: int) -> Callable[[], None]:
    def run() -> None:
        for i in range(PER_THREAD):
            append((thread, i))

    return run


def test_a_stop_before_every_instruction_finds_the_window_in_a_python_append() -> None:
    # No pause written into the code this time: the hook stops each thread
    # before every instruction of UnsafeAppendLog.append, so both threads
    # read the end before either stores there, in every round.
    log: UnsafeAppendLog[tuple[int, int]] = UnsafeAppendLog()
    in_lock_step(
        [UnsafeAppendLog.append.__code__], [appends(log.append, 0), appends(log.append, 1)]
    )
    assert len(log.items) == PER_THREAD


def test_a_stop_before_every_instruction_finds_no_window_in_list_append() -> None:
    # The same hook on AppendLog.append: both threads reach the one CALL of
    # list.append in the same round, and the calls still run one after the
    # other, whole. There is no instruction boundary inside list.append.
    log: AppendLog[tuple[int, int]] = AppendLog()
    in_lock_step([AppendLog.append.__code__], [appends(log.append, 0), appends(log.append, 1)])
    assert len(log.items) == 2 * PER_THREAD
    for t in (0, 1):  # and each thread's items kept their order
        assert [i for owner, i in log.items if owner == t] == list(range(PER_THREAD))


def test_the_instruction_hook_really_stops_both_threads_at_every_instruction() -> None:
    # The control for the two tests above: the hook fires in both threads, and
    # equally often, so a clean list.append is not a hook that never ran. (A
    # hook firing in one thread only would prove nothing: that is what
    # settrace opcode events did on 3.12.1.)
    stops: dict[int, int] = collections.Counter()
    switch = ForcedSwitch(threads=2)

    def pause() -> None:
        stops[threading.get_ident()] += 1
        switch.pause()

    log: AppendLog[tuple[int, int]] = AppendLog()

    def worker(t: int) -> Callable[[], None]:
        def run() -> None:
            try:
                appends(log.append, t)()
            finally:
                switch.done()

        return run

    with pause_before_every_instruction([AppendLog.append.__code__], pause):
        run_threads([worker(0), worker(1)])
    counts = sorted(stops.values())
    assert len(counts) == 2
    assert counts[0] == counts[1] >= 2 * PER_THREAD  # a few instructions per append, at least


def takes(queue: UnsafeJobQueue[int] | JobQueue[int], got: list[int]) -> Callable[[], None]:
    def run() -> None:
        for _ in range(PER_THREAD):
            got.append(queue.take())

    return run


@pytest.mark.parametrize("queue_type", [UnsafeJobQueue, JobQueue])
def test_deque_append_from_two_threads_keeps_every_job(
    queue_type: type[UnsafeJobQueue[int]] | type[JobQueue[int]],
) -> None:
    queue = queue_type()

    def adds(first: int) -> Callable[[], None]:
        def run() -> None:
            for job in range(first, first + PER_THREAD):
                queue.add(job)

        return run

    in_lock_step([queue_type.add.__code__], [adds(0), adds(PER_THREAD)])
    assert sorted(queue.jobs) == list(range(2 * PER_THREAD))


def test_peek_then_pop_hands_one_job_to_both_threads_and_drops_another() -> None:
    queue = UnsafeJobQueue(range(2 * PER_THREAD))
    first: list[int] = []
    second: list[int] = []
    in_lock_step([UnsafeJobQueue.take.__code__], [takes(queue, first), takes(queue, second)])
    # Every round both threads read the same front, then each pops one job:
    # both report the job at the front, and the one behind it is gone unseen.
    assert first == second == list(range(0, 2 * PER_THREAD, 2))
    assert not queue.jobs


def test_popleft_hands_every_job_to_exactly_one_thread() -> None:
    queue = JobQueue(range(2 * PER_THREAD))
    first: list[int] = []
    second: list[int] = []
    in_lock_step([JobQueue.take.__code__], [takes(queue, first), takes(queue, second)])
    assert sorted(first + second) == list(range(2 * PER_THREAD))
    assert len(first) == len(second) == PER_THREAD


def test_taking_from_an_empty_queue_raises_index_error() -> None:
    for queue in (UnsafeJobQueue[int](), JobQueue[int]()):
        with pytest.raises(IndexError):
            queue.take()


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


def test_defaultdict_with_a_python_factory_is_check_then_act() -> None:
    switch = ForcedSwitch(threads=2)
    created: list[str] = []

    class Slow(Connection):
        def __init__(self) -> None:
            switch.pause()  # Python code inside d[key]: the other thread runs here
            super().__init__("db", created)

    shared: collections.defaultdict[str, Connection] = collections.defaultdict(Slow)
    a, b = two_callers(lambda key: shared[key], switch)
    # Both lookups missed, both ran the factory, and each caller kept its own;
    # the dict holds one of the two.
    assert created == ["db", "db"]
    assert a is not b
    assert shared["db"] in (a, b)


def _look_up(shared: collections.defaultdict[str, list[int]], got: list[list[int]]) -> None:
    got.append(shared["db"])


def test_defaultdict_with_a_c_factory_creates_once() -> None:
    # Stopped before every instruction of _look_up (and of the factory, had it
    # any bytecode), both threads reach the subscript in the same round; but the
    # miss, list() and the insert all run in C inside that one instruction, so
    # the second thread finds the first's list. A factory written in Python
    # would be stopped inside, both threads would build a list, and each would
    # keep its own.
    shared: collections.defaultdict[str, list[int]] = collections.defaultdict(list)
    factory_code = getattr(shared.default_factory, "__code__", None)
    codes = [_look_up.__code__] + ([factory_code] if factory_code is not None else [])
    got: list[list[int]] = []
    look_up = functools.partial(_look_up, shared, got)
    in_lock_step(codes, [look_up, look_up])
    first, second = got
    assert first is second is shared["db"]


def test_functools_cache_may_call_the_function_twice_for_one_key() -> None:
    switch = ForcedSwitch(threads=2)
    created: list[str] = []

    @functools.cache
    def connect(key: str) -> Connection:
        switch.pause()  # the first call is still running when the second one looks
        return Connection(key, created)

    a, b = two_callers(connect, switch)
    assert created == ["db", "db"]
    assert a is not b  # two callers, two different "cached" connections
    assert connect.cache_info().misses == 2
    assert connect("db") in (a, b)
