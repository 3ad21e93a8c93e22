"""Tests for concurrency.taskgroup: a failure cancels the siblings; gather leaves them running."""

from __future__ import annotations

import asyncio
import gc
import inspect
import sys
import weakref
from collections.abc import Awaitable, Callable

import pytest

from handbook.concurrency.taskgroup import fan_out_gather, fan_out_group, fan_out_report, leaves


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
        orphan = weakref.ref(orphans[0])
        release.set()
        await asyncio.wait(orphans)  # waits without retrieving the orphan's exception
        del orphans  # the last reference: an unretrieved error is reported when a task dies
        gc.collect()
        # The task is really gone, so its chance to report has come and passed:
        # the silence below is not a report that is merely still pending.
        assert orphan() is None
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


def test_system_exit_is_reraised_and_a_sibling_error_collected_with_it_is_dropped() -> None:
    reported: list[str] = []
    raised: list[str] = []

    async def bad_input() -> object:
        raised.append("ValueError")
        raise ValueError("no such user")

    async def exits() -> object:
        raised.append("SystemExit")
        raise SystemExit(3)

    loop = asyncio.new_event_loop()
    loop.set_exception_handler(lambda _loop, context: reported.append(context["message"]))
    try:
        # Both children fail in their first step, the ValueError first.
        task = loop.create_task(fan_out_group([bad_input, exits]))
        with pytest.raises(SystemExit):  # escapes the loop from the child's step
            loop.run_until_complete(task)
        with pytest.raises(SystemExit):  # then the group re-raises it
            loop.run_until_complete(task)
        outcome = task.exception()
        gc.collect()
    finally:
        loop.close()
    assert raised == ["ValueError", "SystemExit"]  # the ValueError did happen
    assert isinstance(outcome, SystemExit)
    assert outcome.code == 3
    # ...and is nowhere: not grouped with the SystemExit, not chained to it,
    # not reported to the loop's handler.
    assert outcome.__context__ is None
    assert outcome.__cause__ is None
    assert reported == []


def test_the_body_of_async_with_is_cancelled_too() -> None:
    async def scenario() -> list[str]:
        log: list[str] = []

        async def bad() -> None:
            raise ValueError("bad id")

        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(bad())
                try:
                    await asyncio.Event().wait()  # the body would wait forever
                except asyncio.CancelledError:
                    log.append("body: CancelledError")
                    raise
        except* ValueError:
            log.append("caller: ValueError")
        return log

    assert asyncio.run(scenario()) == ["body: CancelledError", "caller: ValueError"]


def test_a_task_that_swallows_cancellation_holds_the_group_and_its_error_back() -> None:
    async def scenario() -> list[str]:
        log: list[str] = []
        stubborn_waiting, swallowed, release = asyncio.Event(), asyncio.Event(), asyncio.Event()
        caller_saw_error = False

        async def stubborn() -> object:
            try:
                stubborn_waiting.set()
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                log.append("stubborn: swallowed CancelledError")  # and no re-raise
                swallowed.set()
            await release.wait()  # goes on working as if nothing happened
            log.append("stubborn: finished on its own")
            return "late"

        async def outsider() -> None:
            await swallowed.wait()
            for _ in range(10):  # ten loop passes: ample for a group that had stopped waiting
                await asyncio.sleep(0)
            log.append(f"outsider: caller has the error: {caller_saw_error}")
            release.set()

        helper = asyncio.create_task(outsider())
        try:
            await fan_out_group([failing_after(stubborn_waiting, ValueError("bad id")), stubborn])
        except* ValueError:
            caller_saw_error = True
            log.append("caller: ValueError")
        await helper
        return log

    assert asyncio.run(scenario()) == [
        "stubborn: swallowed CancelledError",
        "outsider: caller has the error: False",  # the group is still waiting
        "stubborn: finished on its own",
        "caller: ValueError",
    ]


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


def test_except_star_finds_an_error_raised_inside_a_nested_fan_out() -> None:
    async def bad_input() -> object:
        raise ValueError("no such user")

    async def unavailable() -> object:
        raise ConnectionError("orders service down")

    async def fans_out_itself() -> object:
        # Its own TaskGroup wraps both failures in an inner ExceptionGroup.
        return await fan_out_group([bad_input, unavailable])

    report = asyncio.run(fan_out_report([fans_out_itself]))
    assert [str(e) for e in report.bad_input] == ["no such user"]
    assert [str(e) for e in report.unavailable] == ["orders service down"]


def test_leaves_flattens_nested_groups_in_order() -> None:
    inner = ExceptionGroup("inner", [ValueError("b"), ExceptionGroup("deep", [ValueError("c")])])
    group = ExceptionGroup("outer", [ValueError("a"), inner, ValueError("d")])
    assert [str(e) for e in leaves(group)] == ["a", "b", "c", "d"]
    (only,) = leaves(BaseExceptionGroup("base", [KeyboardInterrupt()]))
    assert isinstance(only, KeyboardInterrupt)


@pytest.mark.parametrize("statement", ["return", "break", "continue"])
def test_return_break_and_continue_inside_except_star_do_not_compile(statement: str) -> None:
    source = (
        "def f():\n"
        "    for _ in ():\n"
        "        try:\n"
        "            pass\n"
        "        except* ValueError:\n"
        f"            {statement}\n"
    )
    with pytest.raises(SyntaxError, match="cannot appear in an except\\* block"):
        compile(source, "<lesson>", "exec")


def test_create_task_on_a_group_that_is_shutting_down_raises() -> None:
    async def extra() -> None:
        """Never runs: the group refuses to start it."""

    async def scenario() -> tuple[str, str]:
        outcome: list[tuple[str, str]] = []

        async def bad() -> None:
            raise ValueError("bad id")

        async def sibling(group: asyncio.TaskGroup) -> None:
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                late = extra()
                try:
                    group.create_task(late)
                except RuntimeError as exc:
                    outcome.append((str(exc), inspect.getcoroutinestate(late)))
                late.close()  # harmless if the group already closed it
                raise

        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(sibling(group))
                group.create_task(bad())
        except* ValueError:
            pass
        return outcome[0]

    message, state = asyncio.run(scenario())
    assert message.endswith("is shutting down")
    # 3.13 closes the refused coroutine itself (taskgroups.py, create_task);
    # 3.11 and 3.12 hand it back unstarted and never awaited.
    expected = inspect.CORO_CLOSED if sys.version_info >= (3, 13) else inspect.CORO_CREATED
    assert state == expected


def test_cancelling_the_outer_gather_cancels_its_children() -> None:
    async def scenario() -> list[str]:
        log: list[str] = []
        both_waiting = asyncio.Barrier(3)  # the two children and this task

        async def child(name: str) -> None:
            try:
                await both_waiting.wait()
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                log.append(f"{name}: CancelledError")
                raise

        outer = asyncio.gather(child("a"), child("b"))
        await both_waiting.wait()  # both children are inside their wait
        outer.cancel()
        try:
            await outer
        except asyncio.CancelledError:
            log.append("caller: CancelledError")
        return log

    assert asyncio.run(scenario()) == [
        "a: CancelledError",
        "b: CancelledError",
        "caller: CancelledError",
    ]


def test_task_group_inside_a_timeout_each_undoes_only_its_own_cancel() -> None:
    async def scenario() -> list[str]:
        log: list[str] = []

        async def waits_forever() -> None:
            try:
                await asyncio.Event().wait()
            finally:
                log.append("child: finally ran")

        async def bad() -> None:
            raise ValueError("bad id")

        me = asyncio.current_task()
        assert me is not None
        # The deadline has already passed: the timeout fires on the next loop pass.
        try:
            async with asyncio.timeout(0):
                async with asyncio.TaskGroup() as group:
                    group.create_task(waits_forever())
        except TimeoutError as exc:
            # The group re-raised the CancelledError; the timeout turned it into this.
            cause = type(exc.__cause__).__name__
            log.append(f"timeout: TimeoutError from {cause}, cancelling() == {me.cancelling()}")
        # A child fails inside a timeout that never fires: the group cancels
        # the body, then uncancels; the timeout sees no request of its own.
        try:
            async with asyncio.timeout(None):
                async with asyncio.TaskGroup() as group:
                    group.create_task(bad())
                    await asyncio.Event().wait()
        except* ValueError:
            log.append(f"group: ValueError, cancelling() == {me.cancelling()}")
        return log

    assert asyncio.run(scenario()) == [
        "child: finally ran",
        "timeout: TimeoutError from CancelledError, cancelling() == 0",
        "group: ValueError, cancelling() == 0",
    ]
