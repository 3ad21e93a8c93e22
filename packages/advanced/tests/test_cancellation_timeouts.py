"""Tests for advanced.cancellation_timeouts, checked on CPython 3.11, 3.12 and 3.13.

No test sleeps for real: deadlines are ``asyncio.timeout(0)`` (the timer is a
``call_soon`` callback, so it fires on the next loop iteration) or an hour
(never fires), and work waits on events that the test sets or never sets.
"""

from __future__ import annotations

import asyncio
import sys
import traceback
from typing import Any

import pytest

from handbook.advanced.cancellation_timeouts import (
    WAIT_FOR_USES_TIMEOUT,
    cooperative_worker,
    finish_even_if_cancelled,
    guarded_resource,
    swallowing_worker,
    which_deadline_fired,
)

HOUR = 3600.0  # a deadline that never fires during a test


async def _forever() -> None:
    await asyncio.Event().wait()  # nobody sets it: only a cancel ends this


async def _started(task: asyncio.Task[Any]) -> None:
    """Let ``task`` run up to its first real suspension."""
    for _ in range(3):
        await asyncio.sleep(0)
    assert not task.done()


# --- asyncio.timeout raises the builtin TimeoutError -------------------------


def test_asyncio_timeout_error_is_the_builtin_since_3_11() -> None:
    assert asyncio.TimeoutError is TimeoutError


def test_cancelled_error_is_not_an_exception_so_except_exception_misses_it() -> None:
    assert issubclass(asyncio.CancelledError, BaseException)
    assert not issubclass(asyncio.CancelledError, Exception)


def test_timeout_raises_the_builtin_timeout_error_from_the_cancel() -> None:
    async def main() -> BaseException:
        with pytest.raises(TimeoutError) as caught:
            async with asyncio.timeout(0) as cm:
                await _forever()
        assert cm.expired()
        return caught.value

    err = asyncio.run(main())
    assert type(err) is TimeoutError
    assert isinstance(err.__cause__, asyncio.CancelledError)


def test_a_timeout_can_be_moved_or_disabled_with_reschedule() -> None:
    async def main() -> bool:
        gate = asyncio.Event()
        asyncio.get_running_loop().call_soon(gate.set)
        async with asyncio.timeout(0) as cm:
            cm.reschedule(None)  # before the loop runs its call_soon timer
            await gate.wait()
        return cm.expired()

    assert asyncio.run(main()) is False


# --- cleanup runs on a cancel -------------------------------------------------


def test_finally_and_async_with_exit_run_when_a_task_is_cancelled() -> None:
    log: list[str] = []

    async def body() -> None:
        try:
            async with guarded_resource(log):
                await _forever()
        finally:
            await asyncio.sleep(0)  # cleanup may await
            log.append("finally")

    async def main() -> None:
        task = asyncio.create_task(body())
        await _started(task)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert task.cancelled()

    asyncio.run(main())
    assert log == ["acquired", "released", "finally"]


def test_aexit_receives_the_cancelled_error() -> None:
    seen: list[type[BaseException] | None] = []

    class Recorder:
        async def __aenter__(self) -> None:
            return None

        async def __aexit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
            seen.append(exc_type)

    async def main() -> None:
        async with Recorder():
            await asyncio.sleep(0)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0), Recorder():
                await _forever()

    asyncio.run(main())
    assert seen == [None, asyncio.CancelledError]


def test_a_cancel_lands_at_the_next_await_not_in_the_middle_of_sync_code() -> None:
    async def main() -> int:
        me = asyncio.current_task()
        assert me is not None
        me.cancel()
        done = 0
        for _ in range(1000):  # no await: nothing can interrupt this loop
            done += 1
        try:
            await asyncio.sleep(0)
        except asyncio.CancelledError:
            me.uncancel()  # we issued this cancel ourselves: consume it
            return done
        raise AssertionError("the cancel was not delivered at the await")

    assert asyncio.run(main()) == 1000


def test_the_resource_is_released_when_a_timeout_fires() -> None:
    log: list[str] = []

    async def main() -> None:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0), guarded_resource(log):
                await _forever()

    asyncio.run(main())
    assert log == ["acquired", "released"]


def test_the_resource_is_released_on_normal_exit() -> None:
    log: list[str] = []

    async def main() -> None:
        async with guarded_resource(log):
            log.append("work")

    asyncio.run(main())
    assert log == ["acquired", "work", "released"]


def test_a_second_cancel_interrupts_cleanup_that_awaits() -> None:
    log: list[str] = []

    async def body() -> None:
        try:
            await _forever()
        finally:
            log.append("cleanup started")
            await _forever()  # a slow cleanup
            log.append("cleanup finished")

    async def main() -> None:
        task = asyncio.create_task(body())
        await _started(task)
        task.cancel()
        await _started(task)  # now inside the cleanup's await
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert log == ["cleanup started"]


# --- swallowing CancelledError -------------------------------------------------


def test_a_swallowed_cancel_defeats_asyncio_timeout() -> None:
    log: list[str] = []

    async def main() -> tuple[int, bool]:
        async with asyncio.timeout(0) as cm:
            done = await swallowing_worker(3, log)
        return done, cm.expired()  # reached: no TimeoutError

    assert asyncio.run(main()) == (3, True)  # it expired, yet all 3 steps ran
    assert log == ["ignored a cancel"]


def test_a_cooperative_worker_is_stopped_by_the_timeout() -> None:
    log: list[str] = []

    async def main() -> str:
        try:
            async with asyncio.timeout(0):
                await cooperative_worker(3, log)
        except TimeoutError:
            return "timed out"
        return "finished"

    assert asyncio.run(main()) == "timed out"
    assert log == ["cancelled after 0 steps"]


def test_a_swallowed_cancel_leaves_the_task_uncancelled_with_a_stuck_count() -> None:
    async def main() -> tuple[int, bool, int]:
        task = asyncio.create_task(swallowing_worker(10, []))
        await _started(task)  # cancelling a task that never started needs no swallow
        task.cancel()
        done = await task  # the canceller gets a result, not CancelledError
        return done, task.cancelled(), task.cancelling()

    assert asyncio.run(main()) == (10, False, 1)


def test_a_cooperative_worker_ends_cancelled() -> None:
    log: list[str] = []

    async def main() -> bool:
        task = asyncio.create_task(cooperative_worker(10, log))
        await _started(task)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return task.cancelled()

    assert asyncio.run(main())
    assert len(log) == 1
    assert log[0].startswith("cancelled after")


# --- cancelling() and uncancel() ------------------------------------------------


def test_cancel_increments_cancelling_and_uncancel_returns_the_new_count() -> None:
    async def main() -> list[int]:
        task = asyncio.create_task(_forever())
        counts = [task.cancelling()]
        task.cancel()
        task.cancel()
        counts.append(task.cancelling())
        counts.append(task.uncancel())
        counts.append(task.uncancel())
        counts.append(task.uncancel())  # never below zero
        task.cancel()  # a new cancel, delivered as usual
        with pytest.raises(asyncio.CancelledError):
            await task
        return counts

    assert asyncio.run(main()) == [0, 2, 1, 0, 0]


def test_uncancel_to_zero_withdraws_a_pending_cancel_only_from_3_13() -> None:
    async def main() -> str:
        me = asyncio.current_task()
        assert me is not None
        me.cancel()  # not delivered yet: it lands at the next await
        assert me.uncancel() == 0
        try:
            await asyncio.sleep(0)
        except asyncio.CancelledError:
            return "delivered"
        return "withdrawn"

    if sys.version_info >= (3, 13):
        assert asyncio.run(main()) == "withdrawn"
    else:
        assert asyncio.run(main()) == "delivered"


def test_uncancel_cannot_withdraw_a_cancel_already_passed_to_the_awaited_future() -> None:
    async def main() -> tuple[bool, str]:
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        async def waiter() -> str:
            try:
                await fut
            except asyncio.CancelledError:
                return "delivered"
            return "withdrawn"

        task = asyncio.create_task(waiter())
        await _started(task)  # suspended on fut
        task.cancel()  # cancels fut at once
        assert task.uncancel() == 0
        return fut.cancelled(), await task

    assert asyncio.run(main()) == (True, "delivered")  # 3.13 too


def test_a_timeout_does_not_turn_an_outside_cancel_into_timeout_error() -> None:
    async def body() -> None:
        async with asyncio.timeout(0):
            await _forever()

    async def main() -> None:
        task = asyncio.create_task(body())
        await asyncio.sleep(0)  # the task entered the timeout; its timer is queued
        task.cancel()  # an outside cancel in the same iteration as the timer
        with pytest.raises(asyncio.CancelledError):
            await task
        assert task.cancelled()

    asyncio.run(main())


# --- shield ----------------------------------------------------------------------


def test_shield_cancels_the_caller_but_the_inner_task_finishes() -> None:
    keep: set[asyncio.Future[Any]] = set()

    async def commit(gate: asyncio.Event) -> str:
        await gate.wait()
        return "committed"

    async def main() -> None:
        gate = asyncio.Event()
        caller = asyncio.create_task(finish_even_if_cancelled(commit(gate), keep))
        await _started(caller)
        (inner,) = keep  # the strong reference the helper holds
        caller.cancel()
        with pytest.raises(asyncio.CancelledError):
            await caller
        assert caller.cancelled()
        assert not inner.done()  # still running after its caller was cancelled
        gate.set()
        assert await inner == "committed"
        assert keep == set()  # released once done

    asyncio.run(main())


def test_shield_in_a_timeout_still_raises_timeout_error_in_the_caller() -> None:
    keep: set[asyncio.Future[Any]] = set()

    async def main() -> None:
        gate = asyncio.Event()
        inner = asyncio.create_task(gate.wait())  # a task passes through ensure_future as is
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0):
                await finish_even_if_cancelled(inner, keep)
        assert keep == {inner}
        assert not inner.done()
        gate.set()
        assert await inner is True

    asyncio.run(main())


def test_asyncio_run_cancels_a_shielded_task_left_at_shutdown() -> None:
    log: list[str] = []
    keep: set[asyncio.Future[Any]] = set()

    async def flush() -> None:
        try:
            await _forever()
        except asyncio.CancelledError:
            log.append("flush cancelled at shutdown")
            raise

    async def main() -> None:
        caller = asyncio.create_task(finish_even_if_cancelled(flush(), keep))
        await _started(caller)
        caller.cancel()
        with pytest.raises(asyncio.CancelledError):
            await caller
        assert log == []  # the shield held
        # main returns with flush still pending: asyncio.run cancels it

    asyncio.run(main())
    assert log == ["flush cancelled at shutdown"]


# --- nested timeouts ---------------------------------------------------------------


def test_the_inner_deadline_is_handled_inside_the_outer_block() -> None:
    assert asyncio.run(which_deadline_fired(HOUR, 0, _forever())) == "inner"


def test_the_outer_deadline_passes_through_the_inner_handler() -> None:
    assert asyncio.run(which_deadline_fired(0, HOUR, _forever())) == "outer"


def test_when_both_expire_together_the_outer_one_raises() -> None:
    seen: list[str] = []

    async def main() -> tuple[bool, bool]:
        outer, inner = asyncio.timeout(0), asyncio.timeout(0)

        async def nested() -> None:
            async with outer:
                try:
                    async with inner:
                        await _forever()
                except BaseException as exc:  # record it, and let it go on
                    seen.append(type(exc).__name__)
                    raise

        with pytest.raises(TimeoutError):
            await nested()
        return inner.expired(), outer.expired()

    assert asyncio.run(main()) == (True, True)
    assert seen == ["CancelledError"]  # the inner one expired too, but did not convert
    assert asyncio.run(which_deadline_fired(0, 0, _forever())) == "outer"


def test_a_timeout_error_raised_by_the_work_is_not_a_deadline() -> None:
    assert issubclass(TimeoutError, OSError)  # also ETIMEDOUT from a socket

    async def socket_timed_out() -> None:
        raise TimeoutError("ETIMEDOUT from the socket")

    async def main() -> str:
        try:
            return await which_deadline_fired(HOUR, HOUR, socket_timed_out())
        except TimeoutError as exc:  # propagated: no deadline expired
            return f"raised {exc}"

    assert asyncio.run(main()) == "raised ETIMEDOUT from the socket"


def test_no_deadline_fires_when_the_work_finishes_first() -> None:
    assert asyncio.run(which_deadline_fired(HOUR, HOUR, asyncio.sleep(0))) == "none"


# --- wait_for vs timeout -----------------------------------------------------------


def test_wait_for_runs_a_coroutine_in_a_new_task_only_on_3_11() -> None:
    async def main() -> tuple[bool, bool]:
        caller = asyncio.current_task()

        async def where() -> bool:
            return asyncio.current_task() is caller

        return await asyncio.wait_for(where(), HOUR), await asyncio.wait_for(where(), None)

    same_task_with_timeout, same_task_without = asyncio.run(main())
    assert same_task_without  # timeout=None: a plain await on every version
    assert same_task_with_timeout is WAIT_FOR_USES_TIMEOUT
    assert WAIT_FOR_USES_TIMEOUT is (sys.version_info >= (3, 12))


def test_wait_for_with_zero_timeout_never_starts_the_coroutine() -> None:
    ran: list[str] = []

    async def work() -> None:
        ran.append("started")

    async def main() -> None:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(work(), 0)
        assert ran == []

        async def under_timeout() -> None:
            async with asyncio.timeout(0):
                await work()  # runs: nothing in it suspends before it ends
                await _forever()

        with pytest.raises(TimeoutError):
            await under_timeout()
        assert ran == ["started"]

    asyncio.run(main())


def test_with_eager_tasks_wait_for_zero_runs_the_coroutine_from_3_12() -> None:
    factory = vars(asyncio).get("eager_task_factory")
    assert (factory is not None) is (sys.version_info >= (3, 12))
    if factory is None:
        return  # 3.11: no eager tasks
    ran: list[str] = []

    async def work() -> str:
        ran.append("started")
        return "done"  # finishes without suspending

    async def main() -> str:
        asyncio.get_running_loop().set_task_factory(factory)
        return await asyncio.wait_for(work(), 0)

    assert asyncio.run(main()) == "done"  # no TimeoutError
    assert ran == ["started"]


def test_wait_for_drops_a_cancel_that_races_completion_on_3_11_only() -> None:
    async def main() -> tuple[str, bool]:
        fut: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        task = asyncio.create_task(asyncio.wait_for(fut, HOUR))
        await _started(task)
        fut.set_result("value")  # the work finishes ...
        task.cancel()  # ... and the caller is cancelled, in the same iteration
        try:
            return await task, task.cancelled()
        except asyncio.CancelledError:
            return "cancelled", task.cancelled()

    if WAIT_FOR_USES_TIMEOUT:
        assert asyncio.run(main()) == ("cancelled", True)
    else:
        assert asyncio.run(main()) == ("value", False)  # the cancel is lost


def test_wait_for_timeout_is_the_builtin_timeout_error() -> None:
    async def main() -> None:
        with pytest.raises(TimeoutError) as caught:
            await asyncio.wait_for(_forever(), 0)
        assert isinstance(caught.value.__cause__, asyncio.CancelledError)

    asyncio.run(main())


# --- 3.13: a TimeoutError in the context chain ---------------------------------------


def test_an_error_raised_while_handling_the_timeout_shows_the_timeout_on_3_13() -> None:
    async def main() -> None:
        async with asyncio.timeout(0):
            try:
                await _forever()
            except asyncio.CancelledError:
                raise ValueError("rollback failed")  # noqa: B904 (the context is the point)

    with pytest.raises(ValueError, match="rollback failed") as caught:
        asyncio.run(main())
    context = caught.value.__context__
    shown = "".join(traceback.format_exception(caught.value))
    if sys.version_info >= (3, 13):
        assert type(context) is TimeoutError
        assert isinstance(context.__context__, asyncio.CancelledError)
        assert "TimeoutError" in shown  # the printed traceback says why
    else:
        assert isinstance(context, asyncio.CancelledError)
        assert "TimeoutError" not in shown
