"""Tests for intermediate.try_finally: what finally swallows, when it runs, and when it does not."""

from __future__ import annotations

import inspect
import sys
import textwrap
import warnings
from collections.abc import Callable, Generator

import pytest

from handbook.intermediate.try_finally import (
    ChildResult,
    break_in_finally,
    cleanup_at_end_of_body,
    fetch,
    hard_exit,
    release_each,
    return_in_finally,
    return_in_finally_overrides,
    return_value_is_computed_first,
    soft_exit,
)

ITEMS = ["a", "skip", "stop", "b"]


def test_return_in_finally_swallows_the_exception() -> None:
    assert return_in_finally() == "cleaned up"  # no ConnectionError reached us


def test_return_in_finally_overrides_the_return_in_try() -> None:
    assert return_in_finally_overrides() == "from finally"


def test_break_and_continue_in_finally_swallow_the_exception_too() -> None:
    assert break_in_finally() == [0]  # the ValueError(0) vanished with the break

    def continue_in_finally() -> list[int]:
        seen = []
        for i in range(3):
            try:
                seen.append(i)
                raise ValueError(i)
            finally:
                continue  # noqa: B012
        return seen

    assert continue_in_finally() == [0, 1, 2]  # three exceptions, none surfaced


def compile_warnings(source: str) -> list[type[Warning]]:
    """The categories of the warnings that compiling ``source`` emits."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        compile(source, "<lesson>", "exec")
    return [w.category for w in caught]


@pytest.mark.parametrize("function", [return_in_finally, break_in_finally])
def test_the_compiler_warns_about_jumps_out_of_finally_only_from_3_14(
    function: Callable[[], object],
) -> None:
    source = textwrap.dedent(inspect.getsource(function))
    assert "finally:" in source
    if sys.version_info >= (3, 14):  # PEP 765
        assert SyntaxWarning in compile_warnings(source)
    else:
        assert compile_warnings(source) == []  # 3.11-3.13: silent


def test_fetch_cleans_up_and_lets_the_error_reach_the_caller() -> None:
    log: list[str] = []
    with pytest.raises(ConnectionError, match="connection lost"):
        fetch(True, log)
    assert log == ["cleanup"]


def test_fetch_cleans_up_and_returns_the_result() -> None:
    log: list[str] = []
    assert fetch(False, log) == "data"
    assert log == ["cleanup"]


def test_the_return_value_is_computed_before_finally_runs() -> None:
    assert return_value_is_computed_first() == 1

    def mutate_in_finally() -> list[int]:
        items = [1]
        try:
            return items
        finally:
            items.append(2)  # same object as the one being returned

    assert mutate_in_finally() == [1, 2]


def test_cleanup_at_the_end_of_the_body_is_skipped_by_continue_and_break() -> None:
    log: list[str] = []
    cleanup_at_end_of_body(ITEMS, log)
    assert "release skip" not in log
    assert "release stop" not in log
    assert "acquire b" not in log  # break ended the loop


def test_finally_releases_on_continue_and_on_break() -> None:
    log: list[str] = []
    release_each(ITEMS, log)
    assert log == [
        "acquire a",
        "use a",
        "release a",
        "acquire skip",
        "release skip",
        "acquire stop",
        "release stop",
    ]


def test_else_of_try_is_skipped_by_continue_break_and_return() -> None:
    log: list[str] = []
    for word in ("continue", "break"):
        for _ in range(1):
            try:
                if word == "continue":
                    continue
                break
            except Exception:
                raise
            else:
                log.append(f"else after {word}")  # type: ignore[unreachable]  # mypy agrees

    def returns() -> None:
        try:
            return
        except Exception:
            raise
        else:
            log.append("else after return")  # type: ignore[unreachable]

    returns()
    assert log == []


@pytest.mark.parametrize("exc_type", [SystemExit, KeyboardInterrupt])
def test_finally_runs_on_base_exceptions_that_except_exception_does_not_catch(
    exc_type: type[BaseException],
) -> None:
    assert not issubclass(exc_type, Exception)
    log: list[str] = []

    def raise_with_cleanup() -> None:
        try:
            raise exc_type
        finally:
            log.append("finally")

    with pytest.raises(exc_type):
        raise_with_cleanup()
    assert log == ["finally"]


def test_sys_exit_raises_system_exit_carrying_the_code() -> None:
    with pytest.raises(SystemExit) as info:
        sys.exit(3)
    assert info.value.code == 3


def test_os_exit_skips_finally_atexit_and_the_stdout_flush() -> None:
    assert hard_exit() == ChildResult(returncode=3, stdout="")


def test_sys_exit_runs_finally_then_atexit_then_flushes_stdout() -> None:
    # finally and atexit write unbuffered, so "buffered" comes last only if the
    # interpreter's shutdown flush wrote it, after both had run.
    assert soft_exit() == ChildResult(returncode=3, stdout="finally\natexit\nbuffered\n")


def test_a_generators_finally_runs_when_it_is_closed_early() -> None:
    log: list[str] = []

    def rows() -> Generator[int, None, None]:
        try:
            yield 1
            yield 2
        finally:
            log.append("finally")

    gen = rows()
    assert next(gen) == 1
    gen.close()  # GeneratorExit at the yield
    assert log == ["finally"]
    for _ in rows():
        break
    # CPython only: the last reference went away with the loop, so it was closed.
    assert log == ["finally", "finally"]
