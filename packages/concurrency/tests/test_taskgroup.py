"""Tests for concurrency.taskgroup: a failure cancels the siblings; gather leaves them running."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable

import pytest

from handbook.concurrency.taskgroup import fan_out_gather, fan_out_group, fan_out_report


def failing_after(ready: asyncio.Event, exc: Exception) -> Callable[[], Awaitable[object]]:
    """A call that raises ``exc`` once ``ready`` is set (so a sibling is surely mid-flight)."""

    async def call() -> object:
        await ready.wait()
        raise exc

    return call


def test_one_failure_cancels_the_siblings_and_their_finally_runs_first() -> None:
    async def scenario() -> list[str]:
        log: list[str] = []
        sibling_waiting = asyncio.Event()

        async def sibling() -> object:
            try:
                sibling_waiting.set()
                await asyncio.Event().wait()  # would wait forever
                return "unreachable"
            except asyncio.CancelledError:
                log.append("sibling: CancelledError")
                raise
            finally:
                log.append("sibling: finally ran")

        try:
            await fan_out_group([failing_after(sibling_waiting, ValueError("bad id")), sibling])
        except* ValueError as group:
            log.append(f"caller: {group.exceptions!r}")
        return log

    assert asyncio.run(scenario()) == [
        "sibling: CancelledError",
        "sibling: finally ran",
        "caller: (ValueError('bad id'),)",
    ]


def test_gather_propagates_the_error_but_leaves_the_sibling_running() -> None:
    async def scenario() -> tuple[list[str], int, list[str]]:
        log: list[str] = []
        sibling_waiting, release = asyncio.Event(), asyncio.Event()

        async def sibling() -> object:
            sibling_waiting.set()
            await release.wait()
            log.append("sibling: finished normally, nobody waiting for it")
            return "late"

        with pytest.raises(ValueError, match="bad id"):
            await fan_out_gather([failing_after(sibling_waiting, ValueError("bad id")), sibling])
        log_when_caller_saw_error = list(log)
        orphans = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        release.set()
        await asyncio.wait(orphans)  # clean up: let the orphan finish
        return log_when_caller_saw_error, len(orphans), log

    seen, orphans, final = asyncio.run(scenario())
    assert seen == []  # not cancelled: no CancelledError, nothing logged
    assert orphans == 1  # still running after the caller got its exception
    assert final == ["sibling: finished normally, nobody waiting for it"]


def test_gather_drops_a_late_sibling_error_and_nothing_ever_reports_it() -> None:
    async def scenario() -> tuple[list[str], list[str], list[str]]:
        reported: list[str] = []
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda _loop, context: reported.append(context["message"]))
        log: list[str] = []
        sibling_waiting, release = asyncio.Event(), asyncio.Event()

        async def fails_later() -> object:
            sibling_waiting.set()
            await release.wait()
            log.append("sibling: raising ConnectionError")
            raise ConnectionError("orders service down")

        try:
            await fan_out_gather(
                [failing_after(sibling_waiting, ValueError("bad id")), fails_later]
            )
        except ValueError:
            log.append("caller: ValueError")
        orphans = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        release.set()
        await asyncio.wait(orphans)  # waits without retrieving the orphan's exception
        del orphans  # the last reference: an unretrieved error is reported when a task dies
        gc.collect()
        after_gather = list(reported)

        # The control: the same failure in a task nobody awaits *is* reported,
        # by the same handler, once the task is gone. So silence above is a loss.
        lone = loop.create_task(fails_later())
        await asyncio.wait([lone])
        del lone
        gc.collect()
        return log, after_gather, reported

    log, after_gather, reported = asyncio.run(scenario())
    assert log == [
        "caller: ValueError",
        "sibling: raising ConnectionError",
        "sibling: raising ConnectionError",
    ]
    assert after_gather == []  # the ConnectionError under gather: gone, no log, no handler
    assert reported == ["Task exception was never retrieved"]  # the lone task's


def test_task_group_keeps_the_error_a_sibling_raises_while_cancelled() -> None:
    async def scenario() -> list[BaseException]:
        sibling_waiting = asyncio.Event()

        async def close_connection() -> None:
            raise ConnectionError("close failed")

        async def sibling() -> object:
            try:
                sibling_waiting.set()
                await asyncio.Event().wait()  # cancelled here by the group
                return "unreachable"
            finally:
                await close_connection()  # cleanup fails: that error replaces CancelledError

        try:
            await fan_out_group([failing_after(sibling_waiting, ValueError("bad id")), sibling])
        except ExceptionGroup as group:
            return list(group.exceptions)
        return []

    errors = asyncio.run(scenario())
    # In completion order: the first failure, then the sibling's failed cleanup.
    assert [type(e) for e in errors] == [ValueError, ConnectionError]


@pytest.mark.parametrize("exit_type", [KeyboardInterrupt, SystemExit])
def test_keyboard_interrupt_and_system_exit_are_reraised_bare_not_in_a_group(
    exit_type: type[BaseException],
) -> None:
    seen: list[str] = []
    raised = exit_type()

    async def parent() -> None:
        async def child() -> object:
            raise raised

        async def sibling() -> object:
            try:
                await asyncio.Event().wait()
                return "unreachable"
            finally:
                seen.append("sibling: finally ran")

        try:
            await fan_out_group([child, sibling])
        except BaseException as exc:
            seen.append(f"parent: {type(exc).__name__}")
            raise

    loop = asyncio.new_event_loop()
    try:
        task = loop.create_task(parent())
        # asyncio lets these two escape the loop at once, from the child's own step...
        with pytest.raises(exit_type):
            loop.run_until_complete(task)
        assert seen == []
        # ...and when the loop runs on, the group cancels the sibling and
        # re-raises the child's exception itself, bare.
        with pytest.raises(exit_type):
            loop.run_until_complete(task)
        assert task.exception() is raised  # the child's own exception, not a group
    finally:
        loop.close()
    assert seen == ["sibling: finally ran", f"parent: {exit_type.__name__}"]


def test_except_star_sorts_simultaneous_failures_by_type() -> None:
    async def bad_input() -> object:
        raise ValueError("no such user")

    async def unavailable() -> object:
        raise ConnectionError("orders service down")

    # Both raise in their first step, in the same loop pass, before the group
    # can cancel anything: the group collects both.
    report = asyncio.run(fan_out_report([bad_input, unavailable]))
    assert report.results == []
    assert [str(e) for e in report.bad_input] == ["no such user"]
    assert [str(e) for e in report.unavailable] == ["orders service down"]


def test_failures_nobody_handles_are_reraised_in_a_group() -> None:
    async def bad_input() -> object:
        raise ValueError("no such user")

    async def bug() -> object:
        raise KeyError("missing field")

    with pytest.raises(ExceptionGroup) as info:
        asyncio.run(fan_out_report([bad_input, bug]))
    # except* ValueError took its part; only the KeyError is left.
    assert [type(e) for e in info.value.exceptions] == [KeyError]


def test_plain_except_does_not_match_a_group() -> None:
    async def scenario() -> str:
        async def bad() -> object:
            raise ValueError("x")

        try:
            await fan_out_group([bad])
        except ValueError:
            return "plain except caught it"
        except ExceptionGroup as group:
            return f"group of {[type(e).__name__ for e in group.exceptions]}"
        return "no error"

    assert asyncio.run(scenario()) == "group of ['ValueError']"


def test_results_come_back_in_call_order() -> None:
    async def scenario() -> list[str]:
        second_done = asyncio.Event()

        async def first() -> str:
            await second_done.wait()  # finishes last...
            return "first"

        async def second() -> str:
            second_done.set()
            return "second"

        return await fan_out_group([first, second])

    assert asyncio.run(scenario()) == ["first", "second"]  # ...but is listed first


def test_gather_with_return_exceptions_reports_instead_of_raising() -> None:
    async def scenario() -> list[object]:
        async def ok() -> str:
            return "ok"

        async def bad() -> str:
            raise ValueError("bad")

        return list(await asyncio.gather(ok(), bad(), return_exceptions=True))

    results = asyncio.run(scenario())
    assert results[0] == "ok"
    assert isinstance(results[1], ValueError)


def test_empty_fan_out_returns_nothing() -> None:
    assert asyncio.run(fan_out_group([])) == []
    assert asyncio.run(fan_out_report([])).results == []
