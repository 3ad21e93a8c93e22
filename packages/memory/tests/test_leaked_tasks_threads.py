"""Tests for memory.leaked_tasks_threads: leaks are seen, fixes leave nothing behind."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from typing import Any

import pytest

from handbook.memory.leaked_tasks_threads import (
    LeakError,
    Leaks,
    Watcher,
    check_no_leaks,
    compute,
    leaks_since,
    leaky_compute,
    leaky_with_heartbeat,
    snapshot,
    with_heartbeat,
)


def leak_guard() -> Iterator[None]:
    """Snapshot before the test, check after it: the body of the ``no_leaks`` fixture."""
    before = snapshot()
    yield
    check_no_leaks(before)


@pytest.fixture(autouse=True)
def no_leaks() -> Iterator[None]:
    """Fail any test in this file that leaves a thread behind (the goleak.VerifyNone analogue).

    Only threads: the fixture runs outside every test's event loop, so it sees no tasks.
    """
    yield from leak_guard()


def release_threads(leaks: Leaks) -> None:
    """Clean up leaked watchers so the next test starts clean."""
    for thread in leaks.threads:
        if isinstance(thread, Watcher):
            thread.close()


async def release_tasks(leaks: Leaks) -> None:
    for task in leaks.tasks:
        task.cancel()
    if leaks.tasks:
        await asyncio.wait(leaks.tasks)


def test_the_leak_guard_fails_a_test_that_leaves_a_thread_behind() -> None:
    guard = leak_guard()
    next(guard)  # the fixture's setup: snapshot
    before = snapshot()
    leaky_compute(1)  # the "test body" leaks
    leaks = leaks_since(before)
    try:
        with pytest.raises(LeakError, match="watcher"):
            next(guard)  # the fixture's teardown raises: pytest reports the test as failed
    finally:
        release_threads(leaks)
    clean = leak_guard()
    next(clean)
    with pytest.raises(StopIteration):  # a test that leaks nothing passes the guard
        next(clean)


def test_the_leaky_function_leaves_its_thread_running() -> None:
    before = snapshot()
    assert leaky_compute(4) == 6
    leaks = leaks_since(before)
    try:
        assert [type(t) for t in leaks.threads] == [Watcher]
        assert leaks.threads[0].is_alive()  # blocked on an event nobody will set
        with pytest.raises(LeakError, match="watcher"):
            check_no_leaks(before)
    finally:
        release_threads(leaks)
    assert not leaks.threads[0].is_alive()


def test_the_fixed_function_stops_and_joins_its_thread() -> None:
    before = snapshot()
    assert compute(4) == 6
    leaks = leaks_since(before)
    try:
        assert not leaks
    finally:
        release_threads(leaks)


def test_the_fixed_function_cleans_up_on_error_too() -> None:
    before = snapshot()
    with pytest.raises(TypeError):
        compute("four")  # type: ignore[arg-type]
    leaks = leaks_since(before)
    try:
        assert not leaks.threads
    finally:
        release_threads(leaks)


def test_a_daemon_thread_is_still_a_leak() -> None:
    before = snapshot()
    leaky_compute(1)
    leaks = leaks_since(before)
    try:
        assert leaks.threads
        assert all(t.daemon for t in leaks.threads)
        assert all(t.is_alive() for t in leaks.threads)
    finally:
        release_threads(leaks)


def test_the_leaky_coroutine_leaves_its_task_pending() -> None:
    async def main() -> Leaks:
        before = snapshot()
        assert await leaky_with_heartbeat(4) == 6
        gc.collect()  # the loop's timer holds the sleeping heartbeat: not collected
        leaks = leaks_since(before)
        try:
            assert [t.get_name() for t in leaks.tasks] == ["heartbeat"]
            assert not leaks.tasks[0].done()
            with pytest.raises(LeakError, match="heartbeat"):
                check_no_leaks(before)
        finally:
            await release_tasks(leaks)
        return leaks

    leaks = asyncio.run(main())
    assert leaks.tasks[0].cancelled()


def test_the_fixed_coroutine_cancels_and_awaits_its_task() -> None:
    async def main() -> Leaks:
        before = snapshot()
        assert await with_heartbeat(4) == 6
        leaks = leaks_since(before)
        await release_tasks(leaks)
        return leaks

    assert not asyncio.run(main())


def test_the_fixed_coroutine_cleans_up_on_error_too() -> None:
    async def main() -> Leaks:
        before = snapshot()
        with pytest.raises(TypeError):
            await with_heartbeat("four")  # type: ignore[arg-type]
        leaks = leaks_since(before)
        await release_tasks(leaks)
        return leaks

    assert not asyncio.run(main())


def test_cancel_alone_leaves_the_task_pending_until_the_loop_runs_it() -> None:
    async def main() -> None:
        task = asyncio.create_task(asyncio.Event().wait())
        await asyncio.sleep(0)
        task.cancel()
        assert not task.done()  # cancel only requested it
        await asyncio.wait([task])
        assert task.cancelled()

    asyncio.run(main())


def test_the_leak_check_reports_a_task_that_was_cancelled_but_not_awaited() -> None:
    async def main() -> int:
        before = snapshot()
        await leaky_with_heartbeat(1)
        leaks = leaks_since(before)
        try:
            [task] = leaks.tasks
            task.cancel()
            await asyncio.sleep(0)  # one turn: CancelledError is thrown in, cleanup starts
            assert task.cancelling()
            assert not task.done()
            assert leaks_since(before).tasks == [task]  # cancel requested is not finished
            with pytest.raises(LeakError, match="heartbeat"):
                check_no_leaks(before)
            turns = 1
            while not task.done():
                await asyncio.sleep(0)
                turns += 1
            assert task.cancelled()
            assert not leaks_since(before)
            return turns
        finally:
            await release_tasks(leaks)

    # One turn to deliver the cancel, three for the heartbeat's cleanup: a fixed number of
    # sleep(0) calls is a guess about the task's internals; awaiting the task is not.
    assert asyncio.run(main()) == 4


def test_a_task_group_does_not_exit_until_its_children_are_done() -> None:
    async def main() -> tuple[Leaks, asyncio.Task[Any]]:
        before = snapshot()
        release = asyncio.Event()
        async with asyncio.TaskGroup() as tg:
            child = tg.create_task(release.wait(), name="child")
            await asyncio.sleep(0)
            assert not child.done()
            release.set()
        return leaks_since(before), child

    leaks, child = asyncio.run(main())
    assert not leaks
    assert child.done()
    assert not child.cancelled()


def test_asyncio_run_cancels_leftover_tasks_when_main_returns() -> None:
    leaked: list[asyncio.Task[Any]] = []
    messages: list[str] = []

    async def main() -> None:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda _loop, ctx: messages.append(str(ctx["message"])))
        before = snapshot()
        await leaky_with_heartbeat(1)
        leaked.extend(leaks_since(before).tasks)

    asyncio.run(main())
    assert len(leaked) == 1
    assert leaked[0].cancelled()  # the work was abandoned, not finished
    assert messages == []  # ... and silently: nothing reaches the exception handler


def test_asyncio_run_reports_a_leftover_task_whose_cleanup_raises() -> None:
    messages: list[str] = []

    async def cleanup_fails() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            raise RuntimeError("cleanup failed")

    async def main() -> None:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda _loop, ctx: messages.append(str(ctx["message"])))
        asyncio.create_task(cleanup_fails())  # noqa: RUF006 - leaked on purpose
        await asyncio.sleep(0)

    asyncio.run(main())
    assert messages == ["unhandled exception during asyncio.run() shutdown"]


def destroyed_pending_messages(keep_reference: bool) -> list[str]:
    """Start a task that waits on a future only it references; drop or keep the task; collect."""
    messages: list[str] = []

    async def main() -> None:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda _loop, ctx: messages.append(str(ctx["message"])))
        background: set[asyncio.Task[None]] = set()
        fut: asyncio.Future[None] = loop.create_future()

        async def wait_for_it(f: asyncio.Future[None]) -> None:
            await f

        task = asyncio.create_task(wait_for_it(fut))
        if keep_reference:
            background.add(task)
            task.add_done_callback(background.discard)
        await asyncio.sleep(0)  # the task starts and blocks on fut
        del task, fut  # now only the task <-> future cycle holds them (and maybe `background`)
        gc.collect()
        for t in background:
            t.cancel()
        if background:
            await asyncio.wait(set(background))

    asyncio.run(main())
    return messages


def test_an_unreferenced_pending_task_can_be_garbage_collected_mid_flight() -> None:
    assert destroyed_pending_messages(keep_reference=False) == [
        "Task was destroyed but it is pending!"
    ]


def test_a_strong_reference_keeps_a_background_task_alive() -> None:
    assert destroyed_pending_messages(keep_reference=True) == []
