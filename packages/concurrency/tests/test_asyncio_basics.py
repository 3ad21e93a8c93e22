"""Tests for concurrency.asyncio_basics: every ordering is forced with events or yields."""

from __future__ import annotations

import asyncio
import gc
import sys
import warnings
from typing import Any

import pytest

from handbook.concurrency.asyncio_basics import (
    RequestTiming,
    absorbed_cancel_then_timeout,
    cancel_and_report,
    cancel_then_uncancel,
    catches_exception,
    cleans_up_and_reraises,
    commit_outcome_at_exit,
    eager_task_snapshots,
    forgot_await,
    gather_in_argument_order,
    gather_leaves_siblings_running,
    keep_alive,
    notify,
    peak_concurrency,
    record,
    shield_keeps_inner_running,
    swallows_cancel,
    task_group_cancels_siblings,
    task_vs_coroutine,
    unreferenced_task_is_collected,
    wait_first_completed,
    wait_for_waits_for_cleanup,
    wait_for_when_the_task_swallows_the_cancel,
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
    seen = asyncio.run(gather_leaves_siblings_running())
    assert seen.error == "boom"
    # No cancellation was even requested: done() right after gather raised
    # would be False either way, since cancel() is only a request.
    assert seen.sibling_cancelling == 0
    assert seen.sibling_pending_after_a_yield is True  # a request would have landed by now
    assert seen.sibling_result is True  # Event.wait() returned: it ran to its normal end


def test_gather_with_return_exceptions_returns_them_as_values() -> None:
    async def fail() -> str:
        raise ValueError("boom")

    async def main() -> list[object]:
        return list(await asyncio.gather(record([], "ok"), fail(), return_exceptions=True))

    ok, error = asyncio.run(main())
    assert ok == "ok"
    assert isinstance(error, ValueError)


def test_gather_return_exceptions_hands_back_a_cancelled_child_as_a_value() -> None:
    async def main() -> list[object]:
        waits = asyncio.create_task(asyncio.Event().wait())
        answers = asyncio.create_task(record([], "b"))
        gathered = asyncio.gather(waits, answers, return_exceptions=True)
        await asyncio.sleep(0)  # both children have started
        waits.cancel()  # one child is cancelled, not the gather
        return list(await gathered)

    cancelled, ok = asyncio.run(main())
    assert isinstance(cancelled, asyncio.CancelledError)
    assert ok == "b"


def test_cancelling_the_gather_itself_cancels_its_children_even_with_return_exceptions() -> None:
    async def main() -> tuple[bool, bool]:
        child = asyncio.create_task(asyncio.Event().wait())
        gathered = asyncio.gather(child, return_exceptions=True)
        await asyncio.sleep(0)
        gathered.cancel()
        try:
            await gathered
        except asyncio.CancelledError:
            return True, child.cancelled()
        return False, child.cancelled()

    assert asyncio.run(main()) == (True, True)  # the gather raised, and the child was cancelled


def test_wait_never_raises_a_tasks_exception() -> None:
    async def fail() -> None:
        raise ValueError("boom")

    async def main() -> tuple[int, int, BaseException | None]:
        task = asyncio.create_task(fail())
        done, pending = await asyncio.wait([task])  # returns normally although the task failed
        return len(done), len(pending), task.exception()  # the error waits on the task

    done, pending, error = asyncio.run(main())
    assert (done, pending) == (1, 0)
    assert isinstance(error, ValueError)
    assert str(error) == "boom"


def test_wait_returns_done_and_pending_sets_and_cancels_the_rest() -> None:
    async def main() -> tuple[tuple[int, int], bool]:
        never = asyncio.Event()
        slow = asyncio.create_task(never.wait())
        sizes = await wait_first_completed(asyncio.sleep(0), slow)
        return sizes, slow.cancelled()

    # One awaitable finishes on the first pass, the other never does.
    assert asyncio.run(main()) == ((1, 1), True)


def test_wait_first_completed_accepts_coroutines() -> None:
    # Two bare coroutines: only works because they are wrapped in tasks first.
    assert asyncio.run(wait_first_completed(record([], "a"), asyncio.Event().wait())) == (1, 1)


def test_asyncio_wait_itself_refuses_a_bare_coroutine() -> None:
    async def main() -> None:
        coro = record([], "never")
        try:
            await asyncio.wait({coro})  # type: ignore[type-var]  # the call 3.11+ rejects
        finally:
            coro.close()  # it never ran; closing it avoids the "never awaited" warning

    # Removed in 3.11 after a deprecation period (3.8-3.10): the same on 3.11-3.13.
    with pytest.raises(TypeError, match="Passing coroutines is forbidden"):
        asyncio.run(main())


def test_asyncio_wait_rejects_an_empty_set() -> None:
    async def main() -> None:
        await asyncio.wait(set())

    with pytest.raises(ValueError, match="empty"):
        asyncio.run(main())


def test_wait_first_completed_rejects_nothing_to_wait_for() -> None:
    with pytest.raises(ValueError, match="at least one awaitable"):
        asyncio.run(wait_first_completed())


def test_task_group_cancels_siblings_and_raises_an_exception_group() -> None:
    errors, sibling_cancelled = asyncio.run(task_group_cancels_siblings())
    assert errors == ["boom"]
    assert sibling_cancelled is True


def test_eager_task_factory_runs_the_body_inside_create_task_on_312_and_later() -> None:
    if sys.version_info >= (3, 12):
        snapshots = asyncio.run(eager_task_snapshots())
        assert snapshots == {
            # A body that never suspends has run to the end before create_task returns...
            "log after create_task": ["ran inside create_task"],
            "done after create_task": True,
            # ...and one that suspends has run up to its first await, no further.
            "two-step log after create_task": ["before its first await"],
            "two-step log when done": ["before its first await", "after its first await"],
        }
    else:
        assert hasattr(asyncio, "eager_task_factory") is False
        with pytest.raises(RuntimeError, match=r"needs Python 3\.12"):
            asyncio.run(eager_task_snapshots())


def test_the_default_factory_still_defers_the_body_on_every_version() -> None:
    # The eager factory is opt-in: asyncio.run's loop uses the default one.
    assert asyncio.run(task_vs_coroutine())["task after create_task"] == []


def test_cancelled_error_is_a_base_exception_not_an_exception() -> None:
    assert issubclass(asyncio.CancelledError, BaseException)
    assert issubclass(asyncio.CancelledError, Exception) is False


def test_cancel_is_a_request_and_cleanup_runs_before_the_task_is_cancelled() -> None:
    report = asyncio.run(cancel_and_report(cleans_up_and_reraises))
    assert report.cancel_returned is True
    assert report.done_right_after_cancel is False  # only asked, not yet done
    assert report.log_right_after_cancel == []  # its cleanup has not started either
    assert report.log == ["cleanup started", "cleanup finished"]  # awaiting inside it worked
    assert report.cancelled is True
    assert report.result is None


def test_swallowing_cancelled_error_turns_the_cancel_into_a_normal_return() -> None:
    report = asyncio.run(cancel_and_report(swallows_cancel))
    assert report.cancel_returned is True  # the request was accepted...
    assert report.cancelled is False  # ...and lost: the task reports success
    assert report.result == "swallowed"


def test_except_exception_does_not_catch_cancellation() -> None:
    report = asyncio.run(cancel_and_report(catches_exception))
    assert report.log == []  # the except Exception block never ran
    assert report.cancelled is True


def test_shield_keeps_the_inner_task_running_when_the_caller_is_cancelled() -> None:
    caller_cancelled, inner_cancelled, result = asyncio.run(shield_keeps_inner_running())
    assert caller_cancelled is True  # the caller still gets CancelledError
    assert inner_cancelled is False  # the shielded task was not touched
    assert result == "committed"  # and it ran to completion afterwards


def test_absorbing_a_cancel_without_uncancel_breaks_an_enclosing_timeout() -> None:
    # The absorbed request leaves cancelling() at 1; the timeout's own request
    # makes it 2, so on exit it sees a request that is not its own and re-raises.
    assert asyncio.run(absorbed_cancel_then_timeout(uncancel=False)) == "CancelledError"


def test_uncancel_after_absorbing_lets_the_timeout_raise_timeout_error() -> None:
    assert asyncio.run(absorbed_cancel_then_timeout(uncancel=True)) == "TimeoutError"


def test_cancelling_counts_requests_and_uncancel_takes_one_back() -> None:
    async def main() -> tuple[list[int], bool]:
        task = asyncio.current_task()
        assert task is not None
        counts = [task.cancelling()]
        task.cancel()
        task.cancel()  # a second request while the first is pending
        counts.append(task.cancelling())
        counts.append(task.uncancel())
        counts.append(task.uncancel())
        # Both requests are taken back. Is the CancelledError still due at the
        # next await? The task was running, not suspended, so none was thrown yet.
        try:
            await asyncio.sleep(0)
        except asyncio.CancelledError:
            return counts, True
        return counts, False

    counts, still_delivered = asyncio.run(main())
    assert counts == [0, 2, 1, 0]
    if sys.version_info >= (3, 13):
        # 3.13 changed uncancel(): reaching zero withdraws the undelivered request.
        assert still_delivered is False
    else:
        # 3.11 and 3.12 only lower the count: the error arrives all the same.
        assert still_delivered is True


@pytest.mark.parametrize("when", ["running", "not started", "woken"])
def test_a_request_not_yet_thrown_in_is_withdrawn_by_uncancel_from_313(
    when: RequestTiming,
) -> None:
    # In none of these is the task suspended on a pending future at the
    # request, so cancel() can only mark it, to be thrown in when it next runs.
    cancelled = asyncio.run(cancel_then_uncancel(when))
    if sys.version_info >= (3, 13):
        assert cancelled is False  # uncancel() reaching zero cleared the mark
    else:
        assert cancelled is True  # 3.11, 3.12: the mark stays, the error arrives


def test_a_request_to_a_task_waiting_on_a_future_arrives_despite_uncancel() -> None:
    # cancel() cancels the future the task waits on at once; nothing can take that back.
    assert asyncio.run(cancel_then_uncancel("waiting")) is True


def test_cancel_then_uncancel_rejects_an_unknown_moment() -> None:
    with pytest.raises(ValueError, match="when must be one of"):
        asyncio.run(cancel_then_uncancel("later"))  # type: ignore[arg-type]


def test_an_unreferenced_pending_task_is_garbage_collected_mid_flight() -> None:
    collected, told = asyncio.run(unreferenced_task_is_collected(keep=False))
    assert collected is True
    assert told == ["Task was destroyed but it is pending!"]


def test_a_task_kept_in_a_set_survives_garbage_collection() -> None:
    collected, told = asyncio.run(unreferenced_task_is_collected(keep=True))
    assert collected is False
    assert told == []


def test_keep_alive_forgets_the_task_once_it_is_done() -> None:
    async def main() -> tuple[bool, bool]:
        registry: set[asyncio.Task[Any]] = set()
        task = keep_alive(asyncio.create_task(record([], "x")), registry)
        held = task in registry
        await task
        await asyncio.sleep(0)  # done callbacks run on the pass after the task ends
        return held, task in registry

    assert asyncio.run(main()) == (True, False)


def test_asyncio_run_cancels_a_shielded_commit_still_pending_when_main_returns() -> None:
    # main returns in the pass before the commit could resume; asyncio.run then
    # cancels every task left, and the shield only guarded the handler's await.
    assert commit_outcome_at_exit(await_commit=False) == "cancelled"


def test_awaiting_the_commit_before_main_returns_lets_it_finish() -> None:
    assert commit_outcome_at_exit(await_commit=True) == "committed"


def test_wait_for_returns_only_after_the_cancelled_task_has_finished_cleaning_up() -> None:
    assert asyncio.run(wait_for_waits_for_cleanup()) == [
        "wait_for still waiting",  # the timeout has expired, but the task is not done
        "cleanup finished",
        "wait_for raised TimeoutError",
    ]


@pytest.mark.parametrize("timeout", [0, 1e-9])
def test_wait_for_returns_the_value_of_a_task_that_swallows_the_cancel(timeout: float) -> None:
    # The same on 3.11, 3.12 and 3.13: after cancelling, wait_for hands back
    # whatever the task ended with; only a task that ended cancelled becomes
    # TimeoutError. (3.12 rewrote wait_for on asyncio.timeout and documented it.)
    result = asyncio.run(wait_for_when_the_task_swallows_the_cancel(timeout))
    assert result == "returned after the cancel"


def test_get_event_loop_without_a_loop_depends_on_the_version() -> None:
    previous = asyncio.get_event_loop_policy()
    # A fresh policy: no loop was ever set in this thread, as at a program's start.
    asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if sys.version_info >= (3, 14):
                with pytest.raises(RuntimeError, match="no current event loop"):
                    asyncio.get_event_loop()
            else:
                asyncio.get_event_loop().close()  # it made one for us
        messages = [(w.category, str(w.message)) for w in caught]
        if (3, 12) <= sys.version_info < (3, 14):
            assert messages == [(DeprecationWarning, "There is no current event loop")]
        else:
            assert messages == []  # 3.11 creates the loop silently
        # Once the current loop is cleared, as asyncio.run does on exit: an error everywhere.
        asyncio.set_event_loop(None)
        with pytest.raises(RuntimeError, match="There is no current event loop"):
            asyncio.get_event_loop()
    finally:
        asyncio.set_event_loop_policy(previous)


def test_get_running_loop_outside_a_coroutine_raises_on_every_version() -> None:
    with pytest.raises(RuntimeError, match="no running event loop"):
        asyncio.get_running_loop()
