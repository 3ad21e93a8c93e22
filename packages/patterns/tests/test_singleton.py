"""Tests for patterns.singleton: forced races, module-level singletons, test isolation."""

from __future__ import annotations

import asyncio
import functools
import importlib
import importlib.util
import sys
import threading
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

import pytest

import handbook.patterns.singleton as singleton
from handbook.patterns.singleton import (
    FeatureFlags,
    Lazy,
    NewSingleton,
    UnsafeLazy,
    get_flags,
    greeting,
    reset_flags,
)

WAIT = 5.0  # a guard against a hang, never a timing assumption


class Trace:
    """Ordered log of what the threads did, with a way to wait for progress."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.log: list[str] = []
        self.release = threading.Event()

    def note(self, what: str) -> None:
        with self.cond:
            self.log.append(what)
            self.cond.notify_all()

    def wait_until(self, done: Callable[[list[str]], bool]) -> int:
        """Wait until ``done(log)``; return the log length at that point."""
        with self.cond:
            assert self.cond.wait_for(lambda: done(self.log), timeout=WAIT), self.log
            return len(self.log)

    def slow_factory(self) -> object:
        """A constructor that stays inside until the test releases it."""
        self.note("create")
        assert self.release.wait(WAIT)
        return object()


class ObservedLock:
    """A lock that notes when a thread is about to wait on it."""

    def __init__(self, trace: Trace) -> None:
        self._lock = threading.Lock()
        self._trace = trace

    def __enter__(self) -> bool:
        self._trace.note("lock")
        return self._lock.acquire()

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._lock.release()


def race(get: Callable[[], object], trace: Trace) -> list[object]:
    """Thread 1 enters the constructor; thread 2 starts and makes one step; then release."""
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(get())) for _ in range(2)]
    try:
        threads[0].start()
        seen = trace.wait_until(lambda log: "create" in log)  # thread 1 is constructing
        threads[1].start()
        trace.wait_until(lambda log: len(log) > seen)  # thread 2 made its next step
    finally:
        trace.release.set()
        for t in threads:
            t.join(WAIT)
    assert not any(t.is_alive() for t in threads)
    return results


def test_check_then_create_without_a_lock_builds_two_instances() -> None:
    trace = Trace()
    lazy = UnsafeLazy(trace.slow_factory)
    results = race(lazy.get, trace)
    assert trace.log == ["create", "create"]  # thread 2 also saw "no instance"
    assert len(results) == 2
    assert results[0] is not results[1]


def test_double_checked_locking_builds_one_instance_under_the_same_race() -> None:
    trace = Trace()
    lazy = Lazy(trace.slow_factory, lock=ObservedLock(trace))
    results = race(lazy.get, trace)
    assert trace.log == ["lock", "create", "lock"]  # thread 2 waited, then found it
    assert len(results) == 2
    assert results[0] is results[1]
    assert lazy.get() is results[0]


def test_after_creation_get_takes_no_lock() -> None:
    trace = Trace()
    trace.release.set()
    lazy = Lazy(trace.slow_factory, lock=ObservedLock(trace))
    first = lazy.get()
    assert [lazy.get() for _ in range(3)] == [first] * 3
    assert trace.log == ["lock", "create"]


def test_a_factory_that_returns_none_runs_once() -> None:
    calls: list[None] = []

    def no_config() -> None:
        calls.append(None)

    lazy = Lazy(no_config)
    unsafe = UnsafeLazy(no_config)
    assert [lazy.get() for _ in range(3)] == [None] * 3
    assert len(calls) == 1  # None is a value here, not "not created yet"
    assert [unsafe.get() for _ in range(3)] == [None] * 3
    assert len(calls) == 2


def test_a_factory_that_raised_is_retried_on_the_next_get() -> None:
    attempts: list[int] = []

    def flaky() -> object:
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("config service down")
        return object()

    lazy = Lazy(flaky)
    with pytest.raises(ConnectionError):
        lazy.get()
    first = lazy.get()
    assert lazy.get() is first
    assert len(attempts) == 2


def test_functools_cache_can_run_a_zero_argument_factory_twice_under_a_race() -> None:
    trace = Trace()
    cached = functools.cache(trace.slow_factory)
    results = race(cached, trace)
    assert trace.log == ["create", "create"]  # the cache holds no lock during the call
    assert cached() in results  # afterwards, one cached value


def test_new_based_singleton_reruns_init_and_wipes_state() -> None:
    first = NewSingleton()
    first.settings["db"] = "primary"
    second = NewSingleton()
    assert second is first
    assert first.settings == {}  # __init__ ran again on the same object


GATE = "hb_singleton_gate"


@pytest.fixture
def settings_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Trace]]:
    """A module whose top level builds SETTINGS with ``trace.slow_factory``."""
    name = "hb_singleton_settings_demo"
    trace = Trace()
    gate = types.ModuleType(GATE)
    gate.make = trace.slow_factory  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, GATE, gate)
    (tmp_path / f"{name}.py").write_text(f"from {GATE} import make\nSETTINGS = make()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        yield name, trace
    finally:
        sys.modules.pop(name, None)


def import_observed(name: str, trace: Trace) -> object:
    """``import_module(name).SETTINGS``, noting "lock" when this thread asks for the module's lock.

    The hook watches ``importlib._bootstrap._ModuleLock.acquire``, a private
    CPython function (the same in 3.11-3.13). If it were renamed, no "lock"
    would be noted and ``race`` would fail on its wait, not pass.
    """

    def hook(frame: types.FrameType, event: str, arg: object) -> None:
        if (
            event == "call"
            and frame.f_code.co_qualname == "_ModuleLock.acquire"
            and getattr(frame.f_locals.get("self"), "name", None) == name
        ):
            trace.note("lock")

    sys.setprofile(hook)
    try:
        module = importlib.import_module(name)
    finally:
        sys.setprofile(None)
    return module.SETTINGS


def import_unlocked(name: str) -> object:
    """The pitfall by hand: check ``sys.modules``, then execute, with no lock."""
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.find_spec(name)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[name] = module
    return module.SETTINGS


def test_a_module_top_level_runs_once_even_for_an_importer_that_arrives_mid_import(
    settings_module: tuple[str, Trace],
) -> None:
    name, trace = settings_module
    results = race(lambda: import_observed(name, trace), trace)
    # Thread 2 arrived while thread 1 was inside the module body and asked
    # for the module's lock; once it had it, it found the finished module.
    # (It takes the lock once more on its way out, so only the start is pinned.)
    assert trace.log[:3] == ["lock", "create", "lock"]
    assert trace.log.count("create") == 1
    assert len(results) == 2
    assert results[0] is results[1]
    assert importlib.import_module(name).SETTINGS is results[0]


def test_loading_a_module_without_the_import_lock_runs_its_top_level_twice(
    settings_module: tuple[str, Trace],
) -> None:
    name, trace = settings_module
    results = race(lambda: import_unlocked(name), trace)
    assert trace.log == ["create", "create"]  # the same interleaving, no lock
    assert len(results) == 2
    assert results[0] is not results[1]


def test_reload_reruns_the_module_and_builds_a_new_object(
    settings_module: tuple[str, Trace],
) -> None:
    name, trace = settings_module
    trace.release.set()
    module = importlib.import_module(name)
    before = module.SETTINGS
    assert importlib.import_module(name) is module  # a second import: cached
    assert trace.log == ["create"]
    importlib.reload(module)
    assert module.SETTINGS is not before
    assert trace.log == ["create", "create"]


def test_shared_instance_leaks_state_between_tests() -> None:
    reset_flags()

    def first_test() -> None:
        get_flags().enable("casual")
        assert greeting("Ada") == "Hey Ada!"

    def second_test() -> str:
        return greeting("Ada")  # written expecting a fresh default

    assert second_test() == "Hello, Ada"  # alone: passes
    first_test()
    assert second_test() == "Hey Ada!"  # after first_test: the leaked flag shows
    reset_flags()


def test_reset_hook_gives_the_next_test_a_fresh_instance() -> None:
    get_flags().enable("casual")
    old = get_flags()
    reset_flags()
    assert get_flags() is not old
    assert greeting("Ada") == "Hello, Ada"


def test_a_from_import_keeps_the_stale_instance_after_reset() -> None:
    stale = singleton._flags  # what `from ...singleton import _flags` binds
    reset_flags()
    stale.enable("casual")
    assert singleton._flags is not stale
    assert greeting("Ada") == "Hello, Ada"  # the accessor sees the new one


def test_injected_dependency_ignores_global_state() -> None:
    reset_flags()
    get_flags().enable("casual")
    try:
        assert greeting("Ada", FeatureFlags()) == "Hello, Ada"
        casual = FeatureFlags()
        casual.enable("casual")
        assert greeting("Ada", casual) == "Hey Ada!"
    finally:
        reset_flags()


def test_async_initialisation_with_an_asyncio_lock_runs_the_factory_once() -> None:
    async def main() -> tuple[list[object], list[str], object, object]:
        lock = asyncio.Lock()
        inside, release = asyncio.Event(), asyncio.Event()
        created: list[object] = []
        log: list[str] = []

        async def get() -> object:
            if not created:
                log.append("lock")
                async with lock:
                    if not created:  # the second check, as in Lazy
                        log.append("create")
                        inside.set()
                        await release.wait()  # e.g. connecting a pool
                        created.append(object())
            return created[0]

        first = asyncio.create_task(get())
        await inside.wait()  # the first task is inside the factory
        second = asyncio.create_task(get())
        await asyncio.sleep(0)  # one loop step: the second task reaches the lock and waits
        assert log == ["lock", "create", "lock"]
        release.set()
        return created, log, await first, await second

    created, log, a, b = asyncio.run(main())
    assert len(created) == 1
    assert log == ["lock", "create", "lock"]
    assert a is b


def test_an_asyncio_lock_that_made_a_task_wait_is_bound_to_that_loop() -> None:
    lock = asyncio.Lock()

    async def contend() -> None:
        async with lock:
            waiter = asyncio.ensure_future(lock.acquire())
            await asyncio.sleep(0)  # the waiter finds the lock taken and waits
        await waiter
        lock.release()

    asyncio.run(contend())  # binds the lock to this loop
    with pytest.raises(RuntimeError, match="bound to a different event loop"):
        asyncio.run(contend())  # a new loop, as the next test's asyncio.run would make
