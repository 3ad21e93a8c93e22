"""Tests for basics.exceptions: clause order on every path, hierarchies, narrow handlers."""

from __future__ import annotations

import asyncio
import textwrap
import traceback
import warnings
from types import TracebackType

import pytest

from handbook.basics.exceptions import (
    DEFAULT_TIMEOUT,
    Conflict,
    NotFound,
    RepositoryError,
    UserRepository,
    find_cause,
    greeting_with_exception,
    greeting_with_sentinel,
    record_flow,
    timeout_broad,
    timeout_narrow,
    timeout_narrow_same_typo,
)


def test_no_error_runs_else_then_finally_after_the_return_value_is_computed() -> None:
    events: list[str] = []
    assert record_flow(lambda: "ok", events) == "ok"
    assert events == ["try", "body-done", "else", "return-evaluated", "finally"]


def test_a_handled_error_skips_the_rest_of_try_and_else() -> None:
    events: list[str] = []
    assert record_flow(lambda: int("not a number"), events) == "handled"
    assert events == ["try", "except", "finally"]


def test_an_unhandled_error_runs_only_finally_and_propagates() -> None:
    events: list[str] = []
    empty: dict[str, int] = {}
    with pytest.raises(KeyError):
        record_flow(lambda: empty["missing"], events)
    assert events == ["try", "finally"]


def test_an_error_raised_in_else_is_not_caught_by_the_except_above_it() -> None:
    events: list[str] = []

    def value_error_in_else() -> None:
        try:
            events.append("try")
        except ValueError:
            events.append("except")
        else:
            raise ValueError("from else")
        finally:
            events.append("finally")

    with pytest.raises(ValueError, match="from else"):
        value_error_in_else()
    assert events == ["try", "finally"]


def test_the_sentinel_lets_a_forgetful_caller_produce_a_wrong_value() -> None:
    assert greeting_with_sentinel(UserRepository(), 1) == "Hello, None"


def test_the_exception_stops_the_same_forgetful_caller_at_the_source() -> None:
    repo = UserRepository()
    repo.add(1, "Ada")
    assert greeting_with_exception(repo, 1) == "Hello, Ada"
    with pytest.raises(NotFound) as info:
        greeting_with_exception(repo, 2)
    assert info.value.key == 2


def test_callers_catch_every_repository_failure_by_the_base_class() -> None:
    repo = UserRepository()
    repo.add(1, "Ada")
    caught: list[type[RepositoryError]] = []
    for action in (lambda: repo.get(2), lambda: repo.add(1, "Bob")):
        try:
            action()
        except RepositoryError as err:
            caught.append(type(err))
    assert caught == [NotFound, Conflict]
    assert issubclass(NotFound, RepositoryError)
    assert issubclass(Conflict, RepositoryError)


def test_a_subclass_handler_does_not_catch_a_sibling() -> None:
    repo = UserRepository()
    repo.add(1, "Ada")

    def add_handling_only_not_found() -> None:
        try:
            repo.add(1, "Bob")
        except NotFound:
            pytest.fail("NotFound must not match a Conflict")

    with pytest.raises(Conflict):
        add_handling_only_not_found()


def test_except_does_not_see_through_wrapping_but_find_cause_does() -> None:
    class ServiceError(Exception):
        pass

    def service() -> None:
        try:
            UserRepository().get(5)
        except NotFound as err:
            raise ServiceError("lookup failed") from err

    with pytest.raises(ServiceError) as info:  # not NotFound: the outer class decides
        service()
    found = find_cause(info.value, NotFound)
    assert found is not None
    assert found.key == 5
    assert find_cause(info.value, Conflict) is None


def test_find_cause_follows_the_implicit_context_but_respects_from_none() -> None:
    def fail_while_handling(suppress: bool) -> None:
        try:
            UserRepository().get(3)
        except NotFound:
            if suppress:
                raise RuntimeError("while handling") from None
            raise RuntimeError("while handling")  # noqa: B904 - the implicit context is the point

    with pytest.raises(RuntimeError) as suppressed:
        fail_while_handling(suppress=True)
    assert find_cause(suppressed.value, NotFound) is None
    with pytest.raises(RuntimeError) as implicit:
        fail_while_handling(suppress=False)
    assert isinstance(find_cause(implicit.value, NotFound), NotFound)
    # get() itself raises "from None": the KeyError behind it is hidden.
    with pytest.raises(NotFound) as info:
        UserRepository().get(9)
    assert find_cause(info.value, KeyError) is None
    assert isinstance(info.value.__context__, KeyError)


def test_errors_is_maps_to_identity_or_attribute_equality_not_exception_equality() -> None:
    # Exceptions compare by identity: two equal-looking instances are not ==.
    assert NotFound(1) != NotFound(1)
    # So "is it the not-found-for-key-1 error?" compares the class and the data.
    err = NotFound(1)
    assert isinstance(err, NotFound)
    assert err.key == 1
    # Like Go's errors.Is, the check has to walk the chain when the error is wrapped.
    try:
        raise RuntimeError("service failed") from err
    except RuntimeError as wrapper:
        found = find_cause(wrapper, NotFound)
    assert found is not None
    assert found.key == 1


def test_find_cause_stops_on_a_context_cycle() -> None:
    first, second = ValueError("first"), ValueError("second")
    first.__context__, second.__context__ = second, first  # built by hand: raise avoids it
    assert find_cause(first, KeyError) is None
    assert find_cause(first, ValueError) is first


def test_a_reused_exception_instance_grows_its_traceback_on_every_raise() -> None:
    closed = RuntimeError("closed")  # a Go-style sentinel value

    def operation(exc: RuntimeError) -> None:
        raise exc

    def depth_after_raise(exc: RuntimeError) -> int:
        try:
            operation(exc)
        except RuntimeError as caught:
            tb, depth = caught.__traceback__, 0
            while tb is not None:
                depth, tb = depth + 1, tb.tb_next
            return depth
        raise AssertionError("operation did not raise")

    shared = [depth_after_raise(closed) for _ in range(3)]
    fresh = [depth_after_raise(RuntimeError("closed")) for _ in range(3)]
    assert shared[0] < shared[1] < shared[2]
    assert fresh[0] == fresh[1] == fresh[2] == shared[0]


def test_except_exception_swallows_a_typo_and_returns_the_default() -> None:
    assert timeout_broad({"timeout": "5"}) == DEFAULT_TIMEOUT  # 5 was configured


def test_the_narrow_handler_lets_the_typo_surface() -> None:
    with pytest.raises(KeyError, match="timeuot"):
        timeout_narrow_same_typo({"timeout": "5"})


def test_the_fix_reads_the_value_and_defaults_only_on_bad_input() -> None:
    assert timeout_narrow({"timeout": "5"}) == 5.0
    assert timeout_narrow({"timeout": "soon"}) == DEFAULT_TIMEOUT
    assert timeout_narrow({}) == DEFAULT_TIMEOUT


def test_except_exception_does_not_catch_system_exit_but_a_bare_except_does() -> None:
    def exit_request() -> None:
        raise SystemExit(3)

    def handle_exceptions() -> None:
        try:
            exit_request()
        except Exception:
            pytest.fail("SystemExit is not an Exception")

    with pytest.raises(SystemExit):
        handle_exceptions()
    caught = False
    try:
        exit_request()
    except:  # noqa: E722 - the bare except is what is being shown
        caught = True
    assert caught
    assert not issubclass(SystemExit, Exception)
    assert not issubclass(KeyboardInterrupt, Exception)
    assert not issubclass(GeneratorExit, Exception)
    assert not issubclass(asyncio.CancelledError, Exception)


def test_a_handler_that_swallows_base_exception_lets_a_cancelled_task_return() -> None:
    async def worker(started: asyncio.Event, catch_everything: bool) -> str:
        started.set()
        try:
            await asyncio.Event().wait()  # never set: only cancellation ends it
        except Exception:
            return "caught by except Exception"
        except BaseException:
            if catch_everything:
                return "swallowed"
            raise
        return "unreachable"

    async def cancel_worker(catch_everything: bool) -> asyncio.Task[str]:
        started = asyncio.Event()
        task = asyncio.create_task(worker(started, catch_everything))
        await started.wait()
        task.cancel()
        await asyncio.wait([task])
        return task

    swallowed = asyncio.run(cancel_worker(catch_everything=True))
    assert not swallowed.cancelled()
    assert swallowed.result() == "swallowed"
    reraised = asyncio.run(cancel_worker(catch_everything=False))
    assert reraised.cancelled()


def test_the_except_target_is_deleted_when_the_block_ends() -> None:
    namespace: dict[str, object] = {"err": "before"}  # bound before the try
    code = "try:\n    1 / 0\nexcept ZeroDivisionError as err:\n    seen = type(err)\n"
    exec(code, namespace)
    assert namespace["seen"] is ZeroDivisionError
    assert "err" not in namespace  # the earlier binding is gone as well


def test_a_return_in_finally_replaces_the_pending_exception() -> None:
    # Built from a string so that 3.14's SyntaxWarning (PEP 765) does not break collection.
    code = textwrap.dedent("""
        def swallow():
            try:
                return 1 / 0
            finally:
                return "swallowed"
    """)
    namespace: dict[str, object] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        exec(compile(code, "<finally>", "exec"), namespace)
    swallow = namespace["swallow"]
    assert callable(swallow)
    assert swallow() == "swallowed"  # no ZeroDivisionError


def _frame_names(tb: TracebackType | None) -> list[str]:
    names = []
    while tb is not None:
        names.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    return names


def test_bare_raise_keeps_the_traceback_and_raise_err_adds_the_handler_line() -> None:
    def inner() -> None:
        raise ValueError("bad")

    def bare() -> None:
        try:
            inner()
        except ValueError:
            raise

    def named() -> None:
        try:
            inner()
        except ValueError as err:
            raise err  # the same object again, from this line

    with pytest.raises(ValueError, match="bad") as bare_info:
        bare()
    with pytest.raises(ValueError, match="bad") as named_info:
        named()
    bare_names = _frame_names(bare_info.value.__traceback__)
    named_names = _frame_names(named_info.value.__traceback__)
    assert bare_names[-2:] == ["bare", "inner"]
    assert named_names[-3:] == ["named", "named", "inner"]  # the raise line, then the call
    assert len(named_names) == len(bare_names) + 1


def test_add_note_puts_context_in_the_traceback_without_wrapping() -> None:
    try:
        UserRepository().get(5)
    except NotFound as err:
        err.add_note("while loading the profile page")
        caught = err
    assert type(caught) is NotFound  # still the same class: handlers still match
    printed = "".join(traceback.format_exception(caught))
    assert "NotFound: no user with id 5\nwhile loading the profile page\n" in printed


def test_a_task_group_failure_is_an_exception_group_that_only_except_star_matches() -> None:
    async def child() -> None:
        raise ValueError("child failed")

    async def run_group() -> None:
        async with asyncio.TaskGroup() as group:
            group.create_task(child())

    async def plain_handler() -> str:
        try:
            await run_group()
        except ValueError:
            return "matched ValueError"
        except ExceptionGroup as group_err:
            return f"got {type(group_err).__name__}"
        return "no error"

    async def star_handler() -> list[str]:
        messages: list[str] = []
        try:
            await run_group()
        except* ValueError as group_err:
            messages.extend(str(exc) for exc in group_err.exceptions)
        return messages

    assert asyncio.run(plain_handler()) == "got ExceptionGroup"
    assert asyncio.run(star_handler()) == ["child failed"]
