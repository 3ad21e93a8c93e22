"""Tests for concurrency.taskgroup: a failure cancels the siblings; gather leaves them running."""

from __future__ import annotations

import asyncio
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
