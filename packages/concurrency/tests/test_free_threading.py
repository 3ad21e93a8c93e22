"""Tests for concurrency.free_threading: detection is consistent; forced races act alike anywhere.

Only one test needs a free-threaded interpreter running without the GIL; it is
skipped elsewhere with the reason. Everything else runs on every build.
"""

from __future__ import annotations

import functools
import sys
import sysconfig
import threading
import time
from collections.abc import Callable

import pytest

from handbook.concurrency.free_threading import (
    NaiveLazy,
    Once,
    build_kind,
    free_threaded_build,
    gil_enabled,
)
from handbook.concurrency.race_conditions import ForcedSwitch, WatchedLock

JOIN_TIMEOUT = 10.0  # a hang detector: every thread here finishes in milliseconds


def two_threads_call(get: Callable[[], object], switch: ForcedSwitch) -> list[object]:
    """Call ``get`` from two threads at once under ``switch``; return both results."""
    results: list[object] = [None, None]
    errors: list[BaseException] = []

    def caller(i: int) -> None:
        try:
            results[i] = get()
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            switch.done()

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=JOIN_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]
    return results


def test_detection_is_consistent() -> None:
    # A build compiled with the GIL can never run without it.
    if not free_threaded_build():
        assert gil_enabled()
        assert build_kind() == "gil"
    else:
        assert build_kind() in {"free-threaded", "free-threaded, GIL re-enabled"}
    assert gil_enabled() == (build_kind() != "free-threaded")


def test_detection_agrees_with_the_interpreter() -> None:
    flag = sysconfig.get_config_var("Py_GIL_DISABLED")
    assert free_threaded_build() == (flag == 1)
    if sys.version_info < (3, 13):  # no free-threaded builds before 3.13
        assert not hasattr(sys, "_is_gil_enabled")
        assert gil_enabled()
        assert build_kind() == "gil"
    else:
        assert gil_enabled() == sys._is_gil_enabled()


def test_an_interpreter_without_is_gil_enabled_has_the_gil(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 3.11 and 3.12 have no sys._is_gil_enabled, and every one of them runs with
    # the GIL; removing the function on 3.13+ takes this interpreter down the same
    # path, so the fallback is checked on every version of the matrix.
    monkeypatch.delattr(sys, "_is_gil_enabled", raising=False)
    assert gil_enabled() is True


def test_naive_lazy_init_runs_twice_under_forced_overlap() -> None:
    switch = ForcedSwitch(threads=2)
    calls: list[str] = []

    def connect() -> object:
        calls.append("connect")
        switch.pause()  # both threads are inside the initializer at once
        return object()

    lazy = NaiveLazy(connect)
    first, second = two_threads_call(lazy.get, switch)
    assert calls == ["connect", "connect"]  # on a GIL build just as without one
    assert first is not second


def test_functools_cache_can_run_the_function_twice() -> None:
    switch = ForcedSwitch(threads=2)
    calls: list[str] = []

    @functools.cache
    def load(name: str) -> object:
        calls.append(name)
        switch.pause()
        return object()

    first, second = two_threads_call(lambda: load("settings"), switch)
    # The cache itself stays consistent, but it does not make the call "once".
    assert calls == ["settings", "settings"]
    assert load("settings") in (first, second)


def test_once_runs_the_initializer_exactly_once_under_forced_overlap() -> None:
    switch = ForcedSwitch(threads=2)
    calls: list[str] = []

    def connect() -> object:
        calls.append("connect")
        switch.pause()  # the other thread is blocked on the lock, not inside
        return object()

    once = Once(connect, lock=WatchedLock(switch))
    first, second = two_threads_call(once.get, switch)
    assert calls == ["connect"]
    assert first is second


def test_once_retries_after_a_failed_initializer() -> None:
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(len(attempts))
        if len(attempts) == 1:
            raise ConnectionError("first attempt fails")
        return "connected"

    once = Once(flaky)
    with pytest.raises(ConnectionError, match="first attempt fails"):
        once.get()
    assert once.get() == "connected"
    assert once.get() == "connected"
    assert attempts == [0, 1]


def test_once_can_hold_none() -> None:
    calls: list[str] = []

    def init() -> None:
        calls.append("init")

    once = Once(init)
    assert once.get() is None
    assert once.get() is None
    assert calls == ["init"]


@pytest.mark.skipif(
    gil_enabled(),
    reason=(
        "needs a free-threaded interpreter running without the GIL (python3.13t or later, "
        f"PYTHON_GIL unset or 0); this one is: {build_kind()}, Python {sys.version.split()[0]}"
    ),
)
def test_without_the_gil_another_thread_runs_while_this_one_spins() -> None:
    # With a GIL and a 100 s switch interval, a thread spinning in pure Python
    # would keep the GIL and the other thread could not count at all. Without a
    # GIL both run at once, so the spinner sees the other thread's count grow.
    old = sys.getswitchinterval()
    sys.setswitchinterval(100.0)
    stop = threading.Event()
    progress = [0]

    def count() -> None:
        while not stop.is_set():
            progress[0] += 1

    counter = threading.Thread(target=count)
    counter.start()
    try:
        deadline = time.monotonic() + JOIN_TIMEOUT  # detection only: 1000 steps take microseconds
        while progress[0] < 1000 and time.monotonic() < deadline:
            pass  # pure-Python spin: never releases a GIL voluntarily
        assert progress[0] >= 1000
    finally:
        stop.set()
        counter.join(timeout=JOIN_TIMEOUT)
        sys.setswitchinterval(old)
    assert not counter.is_alive()
