"""Tests for concurrency.asyncio_basics: every ordering is forced with events or yields."""

from __future__ import annotations

import asyncio
import gc
import warnings

import pytest

from handbook.concurrency.asyncio_basics import (
    forgot_await,
    gather_in_argument_order,
    gather_leaves_siblings_running,
    notify,
    peak_concurrency,
    record,
    task_group_cancels_siblings,
    task_vs_coroutine,
    wait_first_completed,
)


def test_an_awaited_coroutine_runs() -> None:
    log: list[str] = []
    asyncio.run(notify(log))
    assert log == ["notified"]


def test_a_coroutine_never_awaited_never_runs_and_warns() -> None:
    log: list[str] = []
    # Warnings are errors in this suite, so the expected one is captured explicitly.
    # CPython warns when the dropped coroutine object is freed, inside asyncio.run.
    with pytest.warns(RuntimeWarning, match="coroutine 'record' was never awaited"):
        asyncio.run(forgot_await(log))
    assert log == []


def test_closing_an_unwanted_coroutine_silences_the_warning() -> None:
    log: list[str] = []
    coro = record(log, "never")
    assert log == []  # calling a coroutine function runs none of its body
    coro.close()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del coro
        gc.collect()
    assert caught == []
    assert log == []


def test_gather_runs_coroutines_concurrently() -> None:
    # Each job suspends once; with tasks all five are in flight before any resumes.
    assert asyncio.run(peak_concurrency(5)) == 5


def test_peak_concurrency_rejects_bad_n() -> None:
    with pytest.raises(ValueError, match="n must be >= 1"):
        asyncio.run(peak_concurrency(0))


def test_a_task_starts_at_the_next_yield_a_coroutine_only_when_awaited() -> None:
    snapshots = asyncio.run(task_vs_coroutine())
    assert snapshots == {
        "task after create_task": [],
        "task after one yield": ["task ran"],
        "coroutine after one yield": [],
        "coroutine after await": ["coroutine ran"],
    }


@pytest.mark.parametrize("finish_order", [[2, 0, 1], [1, 2, 0], [3, 2, 1, 0]])
def test_gather_returns_results_in_argument_order(finish_order: list[int]) -> None:
    results, finished = asyncio.run(gather_in_argument_order(finish_order))
    assert finished == finish_order  # they really did finish in this order
    assert results == sorted(finish_order)  # and gather still lists them by argument


def test_gather_order_rejects_a_non_permutation() -> None:
    with pytest.raises(ValueError, match="must be a permutation"):
        asyncio.run(gather_in_argument_order([1, 1]))


def test_gather_propagates_the_first_error_and_does_not_cancel_siblings() -> None:
    error, sibling_done, sibling_cancelled = asyncio.run(gather_leaves_siblings_running())
    assert error == "boom"
    assert sibling_done is False  # still waiting after gather raised: nobody cancelled it
    assert sibling_cancelled is True  # until we did


def test_gather_with_return_exceptions_returns_them_as_values() -> None:
    async def fail() -> str:
        raise ValueError("boom")

    async def main() -> list[object]:
        return list(await asyncio.gather(record([], "ok"), fail(), return_exceptions=True))

    ok, error = asyncio.run(main())
    assert ok == "ok"
    assert isinstance(error, ValueError)


def test_wait_returns_done_and_pending_sets() -> None:
    assert asyncio.run(wait_first_completed()) == (1, 1, True)


def test_task_group_cancels_siblings_and_raises_an_exception_group() -> None:
    errors, sibling_cancelled = asyncio.run(task_group_cancels_siblings())
    assert errors == ["boom"]
    assert sibling_cancelled is True
