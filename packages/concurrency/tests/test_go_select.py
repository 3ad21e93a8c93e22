"""Tests for concurrency.go_select: events pick the winner; the loser is cancelled, not leaked."""

from __future__ import annotations

import asyncio
import math
import sys

import pytest

from handbook.concurrency.go_select import cancel_and_wait, recv_with_timeout, select

# Only ever reached if something is broken: the awaited work is already done or
# is a few loop passes away, so the margin is far above 10x.
GENEROUS = 10.0


async def answer_when(event: asyncio.Event, value: str, log: list[str]) -> str:
    """Return ``value`` once ``event`` is set; log cancellation and cleanup."""
    try:
        await event.wait()
        return value
    except asyncio.CancelledError:
        log.append(f"{value}: cancelled")
        raise
    finally:
        log.append(f"{value}: cleaned up")


def test_the_branch_whose_event_fires_wins() -> None:
    async def scenario() -> tuple[int, str]:
        replica_a, replica_b = asyncio.Event(), asyncio.Event()
        replica_b.set()  # b has answered; a never will
        log: list[str] = []
        return await select(answer_when(replica_a, "a", log), answer_when(replica_b, "b", log))

    assert asyncio.run(scenario()) == (1, "b")


def test_loser_is_cancelled_and_its_finally_has_run_when_select_returns() -> None:
    async def scenario() -> list[str]:
        fast, slow = asyncio.Event(), asyncio.Event()
        fast.set()
        log: list[str] = []
        await select(answer_when(slow, "slow", log), answer_when(fast, "fast", log))
        return list(log)  # a copy taken the moment select returns

    log = asyncio.run(scenario())
    assert "slow: cancelled" in log
    assert "slow: cleaned up" in log
    assert "fast: cancelled" not in log


def test_no_task_is_left_pending_after_select() -> None:
    async def scenario() -> set[asyncio.Task[object]]:
        fast, slow = asyncio.Event(), asyncio.Event()
        fast.set()
        log: list[str] = []
        await select(answer_when(slow, "slow", log), answer_when(fast, "fast", log))
        return {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}

    assert asyncio.run(scenario()) == set()


def test_bare_asyncio_wait_leaves_the_loser_running() -> None:
    # The pitfall itself: asyncio.wait reports, it does not cancel.
    async def scenario() -> tuple[bool, bool, list[str]]:
        fast, slow = asyncio.Event(), asyncio.Event()
        fast.set()
        log: list[str] = []
        tasks = [
            asyncio.create_task(answer_when(slow, "slow", log)),
            asyncio.create_task(answer_when(fast, "fast", log)),
        ]
        _done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        loser_still_running = tasks[0] in pending and not tasks[0].done()
        log_before_cleanup = list(log)
        await cancel_and_wait(pending)
        return loser_still_running, tasks[0].cancelled(), log_before_cleanup

    still_running, cancelled_by_cleanup, log = asyncio.run(scenario())
    assert still_running is True
    assert cancelled_by_cleanup is True
    assert log == ["fast: cleaned up"]  # nothing from the loser until we cancel it


def test_when_both_are_ready_the_first_argument_wins() -> None:
    async def scenario() -> tuple[int, str]:
        a, b = asyncio.Event(), asyncio.Event()
        a.set()
        b.set()
        log: list[str] = []
        return await select(answer_when(a, "a", log), answer_when(b, "b", log))

    assert asyncio.run(scenario()) == (0, "a")


def test_winner_exception_is_reraised_and_losers_still_cleaned_up() -> None:
    async def fails() -> str:
        raise ConnectionError("replica down")

    async def scenario(log: list[str]) -> None:
        await select(answer_when(asyncio.Event(), "slow", log), fails())

    log: list[str] = []
    with pytest.raises(ConnectionError, match="replica down"):
        asyncio.run(scenario(log))
    assert log == ["slow: cancelled", "slow: cleaned up"]


def test_cancelling_the_caller_cancels_every_branch() -> None:
    async def scenario() -> list[str]:
        log: list[str] = []
        both_waiting = asyncio.Event()

        async def branch(value: str) -> str:
            if value == "b":
                both_waiting.set()  # "a" started first, so both are waiting now
            return await answer_when(asyncio.Event(), value, log)

        caller = asyncio.create_task(select(branch("a"), branch("b")))
        await both_waiting.wait()
        caller.cancel()
        with pytest.raises(asyncio.CancelledError):
            await caller
        return sorted(log)

    assert asyncio.run(scenario()) == [
        "a: cancelled",
        "a: cleaned up",
        "b: cancelled",
        "b: cleaned up",
    ]


def test_timeout_raises_timeout_error_and_the_body_sees_cancellation() -> None:
    async def scenario(log: list[str]) -> str:
        # Nothing is ever put on the queue, so the deadline must fire: the
        # outcome does not depend on how short the timeout is.
        queue: asyncio.Queue[str] = asyncio.Queue()
        try:
            return await recv_with_timeout(queue, 0.001)
        finally:
            log.append(f"queue still empty: {queue.empty()}")

    log: list[str] = []
    with pytest.raises(TimeoutError):
        asyncio.run(scenario(log))
    assert log == ["queue still empty: True"]
    assert asyncio.TimeoutError is TimeoutError  # one class since 3.11


def test_no_timeout_when_the_item_is_already_there() -> None:
    async def scenario() -> str:
        queue: asyncio.Queue[str] = asyncio.Queue()
        queue.put_nowait("job-1")
        return await recv_with_timeout(queue, GENEROUS)

    assert asyncio.run(scenario()) == "job-1"


def test_cancel_and_wait_ignores_finished_tasks() -> None:
    async def scenario() -> tuple[bool, bool]:
        finished = asyncio.create_task(asyncio.sleep(0))
        await finished
        sleeper = asyncio.create_task(asyncio.Event().wait())
        await cancel_and_wait([finished, sleeper])
        return finished.cancelled(), sleeper.cancelled()

    finished_cancelled, sleeper_cancelled = asyncio.run(scenario())
    assert finished_cancelled is False
    assert sleeper_cancelled is True


def test_select_needs_an_awaitable() -> None:
    with pytest.raises(ValueError, match="at least one awaitable"):
        asyncio.run(select())


@pytest.mark.parametrize("seconds", [-1.0, -1e-9, math.nan])
def test_negative_or_nan_timeout_is_rejected_before_anything_is_taken(seconds: float) -> None:
    # An item is waiting, so without the check the call would simply return it:
    # only the validation can make this raise.
    async def scenario() -> int:
        queue: asyncio.Queue[str] = asyncio.Queue()
        queue.put_nowait("job")
        with pytest.raises(ValueError, match="seconds must be >= 0"):
            await recv_with_timeout(queue, seconds)
        return queue.qsize()

    assert asyncio.run(scenario()) == 1


class FrozenClockLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock never moves: only a deadline already past can fire."""

    def time(self) -> float:
        return 0.0


# Loop passes a zero timeout may take on an empty queue. Any bound proves "at once"
# on the frozen clock (a deadline that waited for time would never fire); it takes
# three: the get suspends and the deadline handler is queued, the handler cancels
# the task, the task turns the cancellation into TimeoutError.
PASSES = 10


def test_zero_timeout_returns_an_item_already_queued() -> None:
    async def scenario() -> tuple[str, int]:
        queue: asyncio.Queue[str] = asyncio.Queue()
        queue.put_nowait("job-1")
        return await recv_with_timeout(queue, 0), queue.qsize()

    with asyncio.Runner(loop_factory=FrozenClockLoop) as runner:
        assert runner.run(scenario()) == ("job-1", 0)


def test_zero_timeout_on_an_empty_queue_expires_without_the_clock_moving() -> None:
    async def scenario() -> tuple[int, asyncio.Task[str]]:
        queue: asyncio.Queue[str] = asyncio.Queue()
        receiver = asyncio.create_task(recv_with_timeout(queue, 0))
        passes = 0
        while not receiver.done() and passes < PASSES:
            await asyncio.sleep(0)  # one pass of the loop; the clock stays at 0.0
            passes += 1
        await cancel_and_wait([receiver])  # a no-op unless the deadline never fired
        return passes, receiver

    with asyncio.Runner(loop_factory=FrozenClockLoop) as runner:
        passes, receiver = runner.run(scenario())
    assert passes < PASSES, "the zero timeout waited for the clock"
    with pytest.raises(TimeoutError):
        receiver.result()


async def poll_with_wait_for_zero() -> tuple[str, int]:
    """``asyncio.wait_for(q.get(), 0)`` on a queue holding one item: (outcome, items left)."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    queue.put_nowait("job")
    try:
        return await asyncio.wait_for(queue.get(), 0), queue.qsize()
    except TimeoutError:
        return "timeout", queue.qsize()


def test_wait_for_with_zero_timeout_times_out_although_an_item_is_waiting() -> None:
    # The pitfall recv_with_timeout avoids: wait_for's `timeout <= 0` branch wraps
    # the get in a task, cancels it before its first step, and reports a timeout.
    # 3.12 rebuilt wait_for on asyncio.timeout but kept that branch.
    assert asyncio.run(poll_with_wait_for_zero()) == ("timeout", 1)
    if sys.version_info >= (3, 12):
        # An eager task runs its first step at creation; the get is done before
        # wait_for looks, so the item is returned.
        with asyncio.Runner() as runner:
            runner.get_loop().set_task_factory(asyncio.eager_task_factory)
            assert runner.run(poll_with_wait_for_zero()) == ("job", 0)
    else:
        assert not hasattr(asyncio, "eager_task_factory")  # eager tasks are 3.12+
