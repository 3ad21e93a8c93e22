"""Tests for concurrency.blocking_the_loop: counted heartbeat ticks show the stall and the fix."""

from __future__ import annotations

import asyncio
import threading

import pytest

from handbook.concurrency.blocking_the_loop import (
    Ticker,
    assert_not_on_event_loop,
    call_off_loop,
    call_on_loop,
    fetch_report,
    ticks_during,
)

# The sleep only stands for "some blocking work": the tick counts below do not
# depend on its length, so it is kept short.
BLOCK_SECONDS = 0.005
# Detects a loop that stopped turning; the work it waits for is ~100 loop passes
# (well under a millisecond), so the margin is far above 10x.
STALL_TIMEOUT = 10.0


def test_time_sleep_in_a_coroutine_stalls_every_other_task() -> None:
    result, ticks = asyncio.run(ticks_during(lambda: call_on_loop(fetch_report, BLOCK_SECONDS)))
    assert result == "report"
    # The coroutine never suspended: the ticker could not take a single turn.
    assert ticks == 0


def test_to_thread_keeps_the_ticker_running() -> None:
    result, ticks = asyncio.run(ticks_during(lambda: call_off_loop(fetch_report, BLOCK_SECONDS)))
    assert result == "report"
    # The caller suspends at the await; the ticker's next turn is already in the
    # loop's ready queue (FIFO), so it runs before the caller can resume.
    assert ticks >= 1


def test_the_loop_keeps_turning_for_as_long_as_the_thread_blocks() -> None:
    ticker = Ticker()
    hundredth_tick = ticker.milestone(100)

    def blocking_call() -> bool:
        # A blocking call that only returns once the loop has turned 100 more
        # times: it can finish only if the loop runs while it blocks.
        assert_not_on_event_loop()
        return hundredth_tick.wait(STALL_TIMEOUT)

    finished, ticks = asyncio.run(ticks_during(lambda: call_off_loop(blocking_call), ticker))
    assert finished is True
    assert ticks >= 99  # ticks 2..100 at least happened while the call was blocked


def test_inline_blocking_call_is_caught_by_the_guard() -> None:
    def blocking_call() -> str:
        assert_not_on_event_loop()
        return "never"

    with pytest.raises(RuntimeError, match="blocking call on the event loop thread"):
        asyncio.run(call_on_loop(blocking_call))


def test_guard_allows_plain_threads() -> None:
    seen: list[str] = []

    def worker() -> None:
        assert_not_on_event_loop()
        seen.append("ok")

    t = threading.Thread(target=worker)
    t.start()
    t.join(timeout=STALL_TIMEOUT)
    assert not t.is_alive()
    assert seen == ["ok"]


def test_a_yielding_coroutine_lets_the_ticker_run_each_time_it_yields() -> None:
    async def chunked_work() -> int:
        done = 0
        for _ in range(5):
            done += 1  # a chunk of work...
            await asyncio.sleep(0)  # ...then give the loop back
        return done

    result, ticks = asyncio.run(ticks_during(chunked_work))
    assert result == 5
    assert ticks == 5  # exactly one ticker turn per yield: the ready queue is FIFO


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="seconds must be >= 0"):
        fetch_report(-1)
    with pytest.raises(ValueError, match="ticks must be >= 1"):
        Ticker().milestone(0)
