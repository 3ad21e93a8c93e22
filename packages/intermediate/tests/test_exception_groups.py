"""Tests for intermediate.exception_groups: how except* splits a group, and what is left over."""

from __future__ import annotations

import asyncio
import functools
import sys
from contextlib import suppress
from typing import Any

import pytest

from handbook.intermediate.exception_groups import (
    contains,
    handle_by_type,
    handle_value_errors,
    leaves,
    run_all,
)


def nested() -> ExceptionGroup[Exception]:
    """batch: ValueError a, KeyError k, and inner: ValueError b, TypeError t."""
    inner = ExceptionGroup("inner", [ValueError("b"), TypeError("t")])
    return ExceptionGroup("batch", [ValueError("a"), KeyError("k"), inner])


def test_each_handler_runs_once_with_a_group_of_its_matches_in_the_original_nesting() -> None:
    caught: list[tuple[str, BaseException]] = []

    def handle() -> None:
        try:
            raise nested()
        except* ValueError as eg:
            caught.append(("ValueError", eg))
        except* KeyError as eg:
            caught.append(("KeyError", eg))

    with pytest.raises(ExceptionGroup):  # the TypeError is left over
        handle()
    assert [name for name, _ in caught] == ["ValueError", "KeyError"]
    values, keys = caught[0][1], caught[1][1]
    assert repr(values) == (
        "ExceptionGroup('batch', [ValueError('a'), ExceptionGroup('inner', [ValueError('b')])])"
    )
    assert repr(keys) == "ExceptionGroup('batch', [KeyError('k')])"


def test_a_leaf_goes_only_to_the_first_clause_that_matches_it() -> None:
    caught: list[list[BaseException]] = []
    try:
        raise ExceptionGroup("g", [ValueError("v"), KeyError("k")])
    except* ValueError as eg:
        caught.append(leaves(eg))
    except* Exception as eg:
        caught.append(leaves(eg))
    assert [[type(e) for e in group] for group in caught] == [[ValueError], [KeyError]]


def test_handle_by_type_logs_one_line_per_matching_clause() -> None:
    log: list[str] = []
    handle_by_type(ExceptionGroup("g", [KeyError("k"), KeyError("j")]), log)
    assert log == ["KeyError: ExceptionGroup('g', [KeyError('k'), KeyError('j')])"]


def test_the_unhandled_remainder_propagates_as_a_group_with_the_original_nesting() -> None:
    log: list[str] = []
    with pytest.raises(ExceptionGroup) as info:
        handle_by_type(nested(), log)
    assert len(log) == 2  # both handlers ran before the rest was re-raised
    assert (
        repr(info.value) == "ExceptionGroup('batch', [ExceptionGroup('inner', [TypeError('t')])])"
    )


def test_handle_value_errors_handles_its_part_and_reraises_the_rest() -> None:
    log: list[str] = []
    with pytest.raises(ExceptionGroup) as info:
        handle_value_errors(nested(), log)
    assert log == ["handled 2 ValueError(s)"]
    assert [type(e) for e in leaves(info.value)] == [KeyError, TypeError]


def test_handle_value_errors_is_silent_when_everything_matched() -> None:
    log: list[str] = []
    handle_value_errors(ExceptionGroup("g", [ValueError("a"), ValueError("b")]), log)
    assert log == ["handled 2 ValueError(s)"]


def test_a_naked_exception_caught_by_except_star_arrives_wrapped() -> None:
    error = ValueError("naked")
    caught: list[BaseExceptionGroup[BaseException]] = []
    try:
        raise error
    except* ValueError as eg:
        caught.append(eg)
    (group,) = caught
    assert type(group) is ExceptionGroup
    assert group.message == ""
    assert group.exceptions == (error,)  # the same object inside


def test_a_naked_exception_no_clause_matches_propagates_unwrapped() -> None:
    def handle() -> None:
        try:
            raise TypeError("not wrapped")
        except* ValueError:
            pass

    with pytest.raises(TypeError, match="not wrapped") as info:
        handle()
    assert not isinstance(info.value, BaseExceptionGroup)


def test_plain_except_does_not_catch_a_group_that_contains_its_type() -> None:
    caught_plain: list[bool] = []

    def handle() -> None:
        try:
            raise ExceptionGroup("g", [ValueError("inside")])
        except ValueError:
            caught_plain.append(True)

    with pytest.raises(ExceptionGroup):
        handle()
    assert caught_plain == []


def test_except_star_exception_group_is_a_type_error_at_run_time() -> None:
    def handle() -> None:
        try:
            raise ExceptionGroup("g", [ValueError()])
        except* ExceptionGroup:  # type: ignore[misc]  # mypy rejects it statically too
            pass

    with pytest.raises(TypeError, match="except\\*"):
        handle()


@pytest.mark.parametrize(
    "source",
    [
        "try:\n    pass\nexcept ValueError:\n    pass\nexcept* KeyError:\n    pass\n",
        "def f():\n    try:\n        pass\n    except* KeyError:\n        return 1\n",
    ],
    ids=["mixed-except", "return-in-except-star"],
)
def test_mixing_except_forms_or_returning_from_except_star_is_a_syntax_error(
    source: str,
) -> None:
    with pytest.raises(SyntaxError):
        compile(source, "<test>", "exec")


def test_a_handler_that_raises_joins_the_remainder_in_a_new_group() -> None:
    def handle() -> None:
        try:
            raise ExceptionGroup("g", [ValueError("v"), KeyError("k")])
        except* ValueError:
            raise RuntimeError("handler failed")  # noqa: B904

    with pytest.raises(ExceptionGroup) as info:
        handle()
    raised, rest = info.value.exceptions
    assert info.value.message == ""
    assert isinstance(raised, RuntimeError)
    assert repr(raised.__context__) == "ExceptionGroup('g', [ValueError('v')])"
    assert repr(rest) == "ExceptionGroup('g', [KeyError('k')])"


@pytest.mark.parametrize(
    "raised",
    [ExceptionGroup("g", [ValueError("v")]), ValueError("v")],
    ids=["group", "naked"],
)
def test_a_handler_that_raises_with_nothing_left_over_lets_the_new_exception_out_unwrapped(
    raised: Exception,
) -> None:
    def handle() -> None:
        try:
            raise raised
        except* ValueError:
            raise RuntimeError("handler failed")  # noqa: B904

    with pytest.raises(RuntimeError, match="handler failed") as info:
        handle()
    assert not isinstance(info.value, BaseExceptionGroup)


def test_a_bare_raise_in_except_star_puts_the_match_back_into_the_original_tree() -> None:
    def handle() -> None:
        try:
            raise ExceptionGroup("g", [ValueError("v"), KeyError("k")])
        except* ValueError:
            raise

    with pytest.raises(ExceptionGroup) as info:
        handle()
    assert repr(info.value) == "ExceptionGroup('g', [ValueError('v'), KeyError('k')])"


def test_except_star_exception_leaves_base_exceptions_in_a_base_group() -> None:
    handled: list[BaseException] = []

    def handle() -> None:
        try:
            raise BaseExceptionGroup("g", [ValueError("v"), KeyboardInterrupt()])
        except* Exception as eg:
            handled.extend(leaves(eg))

    with pytest.raises(BaseExceptionGroup) as info:
        handle()
    assert [type(e) for e in handled] == [ValueError]
    assert type(info.value) is BaseExceptionGroup
    assert [type(e) for e in leaves(info.value)] == [KeyboardInterrupt]


def test_subgroup_keeps_the_nesting_and_returns_none_when_nothing_matches() -> None:
    group = nested()
    assert repr(group.subgroup(TypeError)) == (
        "ExceptionGroup('batch', [ExceptionGroup('inner', [TypeError('t')])])"
    )
    assert group.subgroup(OSError) is None
    assert repr(group.subgroup((KeyError, TypeError))) == (
        "ExceptionGroup('batch', [KeyError('k'), ExceptionGroup('inner', [TypeError('t')])])"
    )


def test_split_partitions_and_copies_the_metadata() -> None:
    cause, context = RuntimeError("cause"), OSError("context")
    try:
        try:
            raise context
        except OSError:
            raise nested() from cause
    except ExceptionGroup as exc:
        exc.add_note("batch 7")
        match, rest = exc.split(ValueError)
        tb = exc.__traceback__
    assert match is not None
    assert rest is not None
    assert [type(e) for e in leaves(match)] == [ValueError, ValueError]
    assert [type(e) for e in leaves(rest)] == [KeyError, TypeError]
    for part in (match, rest):
        assert part.message == "batch"
        assert part.__cause__ is cause
        assert part.__context__ is context
        assert part.__notes__ == ["batch 7"]
        assert part.__traceback__ is tb


def test_a_predicate_is_called_on_groups_as_well_as_leaves() -> None:
    seen: list[str] = []

    def nothing(exc: BaseException) -> bool:
        seen.append(type(exc).__name__)
        return False

    assert nested().subgroup(nothing) is None
    assert seen.count("ExceptionGroup") == 2  # batch and inner
    inner_only = nested().subgroup(lambda e: isinstance(e, ExceptionGroup) and e.message == "inner")
    assert repr(inner_only) == (
        "ExceptionGroup('batch', [ExceptionGroup('inner', [ValueError('b'), TypeError('t')])])"
    )


def test_a_subclass_without_derive_loses_its_type_on_partial_results() -> None:
    class Plain(ExceptionGroup[Exception]):
        pass

    class Derived(ExceptionGroup[Exception]):
        def derive(self, excs: list[Exception]) -> Derived:  # type: ignore[override]
            return Derived(self.message, excs)

    for cls, expected in ((Plain, ExceptionGroup), (Derived, Derived)):
        group = cls("g", [ValueError(), KeyError()])
        match, rest = group.split(ValueError)
        assert type(match) is expected
        assert type(rest) is expected
        sub: object = group.subgroup(KeyError)
        assert type(sub) is expected


def test_except_star_takes_its_parts_from_the_groups_split_method() -> None:
    calls: list[object] = []

    class Recording(ExceptionGroup[Exception]):
        def split(self, condition: Any) -> Any:
            calls.append(condition)
            return super().split(condition)

    try:
        raise Recording("g", [ValueError("v")])
    except* ValueError:
        pass
    assert calls == [ValueError]


def test_base_exception_group_picks_the_narrowest_class() -> None:
    assert type(BaseExceptionGroup("g", [ValueError()])) is ExceptionGroup
    assert type(BaseExceptionGroup("g", [KeyboardInterrupt()])) is BaseExceptionGroup
    with pytest.raises(TypeError):
        ExceptionGroup("g", [KeyboardInterrupt()])  # type: ignore[type-var]
    with pytest.raises(ValueError, match="non-empty"):
        ExceptionGroup("g", [])


def test_except_exception_catches_exception_groups_but_not_base_exception_groups() -> None:
    assert issubclass(ExceptionGroup, Exception)
    assert not issubclass(BaseExceptionGroup, Exception)

    def handle() -> None:
        try:
            raise BaseExceptionGroup("g", [KeyboardInterrupt()])
        except Exception:
            pytest.fail("except Exception caught a KeyboardInterrupt group")

    with pytest.raises(BaseExceptionGroup):
        handle()


def test_leaves_flattens_nested_groups_depth_first() -> None:
    assert [repr(e) for e in leaves(nested())] == [
        "ValueError('a')",
        "KeyError('k')",
        "ValueError('b')",
        "TypeError('t')",
    ]


def test_contains_searches_every_level_like_errors_is() -> None:
    group = nested()
    assert contains(group, TypeError)  # only inside "inner"
    assert contains(group, LookupError)  # KeyError is a LookupError
    assert not contains(group, OSError)


def test_leaves_and_contains_reject_a_plain_exception() -> None:
    with pytest.raises(TypeError, match="expected an exception group, got ValueError"):
        leaves(ValueError())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected an exception group"):
        contains(KeyError(), KeyError)  # type: ignore[arg-type]


def test_a_task_group_cancels_the_other_tasks_at_the_first_failure() -> None:
    log: list[str] = []

    async def slow(name: str, never: asyncio.Event) -> None:
        try:
            await never.wait()
        except asyncio.CancelledError:
            log.append(f"{name} cancelled")
            raise

    async def failing() -> None:
        raise ValueError("first")

    async def main() -> BaseExceptionGroup[BaseException]:
        never = asyncio.Event()
        try:
            async with asyncio.TaskGroup() as tg:
                for name in ("a", "b"):
                    tg.create_task(slow(name, never))  # created first, so already waiting
                tg.create_task(failing())
        except BaseExceptionGroup as eg:
            return eg
        raise AssertionError("the TaskGroup did not raise")

    group = asyncio.run(main())
    assert sorted(log) == ["a cancelled", "b cancelled"]  # the TaskGroup keeps a set: any order
    assert repr(leaves(group)) == "[ValueError('first')]"  # no CancelledError in it


def test_gather_raises_the_first_failure_and_leaves_the_others_running() -> None:
    async def failing() -> None:
        raise ValueError("first")

    async def main() -> bool:
        never = asyncio.Event()
        waiting = asyncio.create_task(never.wait())
        with pytest.raises(ValueError, match="first"):
            await asyncio.gather(waiting, failing())
        still_running = not waiting.done()
        waiting.cancel()
        return still_running

    assert asyncio.run(main())


def test_suppress_drops_matching_leaves_of_a_group_only_from_3_12() -> None:
    def timeouts_and_a_key_error() -> None:
        raise ExceptionGroup("g", [TimeoutError("t"), KeyError("k")])

    with pytest.raises(ExceptionGroup) as info, suppress(TimeoutError):
        timeouts_and_a_key_error()
    if sys.version_info >= (3, 12):
        assert repr(info.value) == "ExceptionGroup('g', [KeyError('k')])"
    else:
        assert [type(e) for e in leaves(info.value)] == [TimeoutError, KeyError]  # untouched


def test_run_all_runs_every_task_and_raises_every_failure() -> None:
    ran: list[int] = []

    def task(n: int) -> int:
        ran.append(n)
        if n % 2:
            raise ValueError(n)
        return n

    with pytest.raises(ExceptionGroup) as info:
        run_all([functools.partial(task, n) for n in range(5)])
    assert ran == [0, 1, 2, 3, 4]
    assert info.value.message == "2 of 5 tasks failed"
    assert [e.args for e in leaves(info.value)] == [(1,), (3,)]


def test_run_all_returns_the_results_when_nothing_fails() -> None:
    assert run_all([lambda: "a", lambda: "b"]) == ["a", "b"]
