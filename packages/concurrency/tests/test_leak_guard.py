"""Tests for the leak guard in conftest.py: it catches what it claims to catch.

Each test leaks on purpose, asks the guard, then cleans up *before* the autouse
guard of the test itself runs, so only the explicit check sees the leak.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sys
import threading
from typing import Any

import pytest


def test_guard_reports_a_thread_that_is_still_running(leak_guard_api: Any) -> None:
    LeakGuard, fail_on_leaks = leak_guard_api
    guard = LeakGuard.snapshot()
    release = threading.Event()
    leaked = threading.Thread(target=release.wait, name="leaky-worker")
    leaked.start()
    try:
        found = guard.problems(grace=0.01)
        assert len(found) == 1
        assert "leaky-worker" in found[0]
        with pytest.raises(pytest.fail.Exception, match="thread left running"):
            fail_on_leaks(guard, 0.01)
    finally:
        release.set()
        leaked.join()


def test_guard_waits_for_a_thread_that_is_finishing(leak_guard_api: Any) -> None:
    LeakGuard, _ = leak_guard_api
    guard = LeakGuard.snapshot()
    release = threading.Event()
    finishing = threading.Thread(target=release.wait)
    finishing.start()
    release.set()  # it is free to end; the guard's grace join lets it
    assert guard.problems(grace=10.0) == []
    assert not finishing.is_alive()


def test_guard_ignores_threads_that_were_already_running(leak_guard_api: Any) -> None:
    LeakGuard, _ = leak_guard_api
    release = threading.Event()
    older = threading.Thread(target=release.wait)
    older.start()
    try:
        guard = LeakGuard.snapshot()
        assert guard.problems(grace=0.01) == []
    finally:
        release.set()
        older.join()


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs the fork start method"
)
def test_guard_reports_a_child_process_that_is_still_running(leak_guard_api: Any) -> None:
    LeakGuard, _ = leak_guard_api
    ctx = multiprocessing.get_context("fork")
    guard = LeakGuard.snapshot()
    release = ctx.Event()
    child = ctx.Process(target=release.wait, name="leaky-child")
    child.start()
    try:
        found = guard.problems(grace=0.01)
        assert any("child process left running" in f and "leaky-child" in f for f in found)
    finally:
        release.set()
        child.join(timeout=10)
    assert child.exitcode == 0


def test_guard_reports_a_running_event_loop(leak_guard_api: Any) -> None:
    LeakGuard, _ = leak_guard_api
    guard = LeakGuard.snapshot()

    async def check_from_inside() -> list[str]:
        found: list[str] = guard.problems(grace=0.01)
        return found

    found = asyncio.run(check_from_inside())
    assert len(found) == 1
    assert "event loop is still running" in found[0]
    assert guard.problems(grace=0.01) == []  # asyncio.run closed it


def test_guard_is_silent_when_nothing_leaks(leak_guard_api: Any) -> None:
    LeakGuard, fail_on_leaks = leak_guard_api
    guard = LeakGuard.snapshot()
    worker = threading.Thread(target=sys.getrecursionlimit)
    worker.start()
    worker.join()
    fail_on_leaks(guard, 0.01)
