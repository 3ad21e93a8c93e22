"""Tests for intermediate.context_managers: when ``__exit__`` runs, and when it swallows."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from types import TracebackType

import pytest

from handbook.intermediate.context_managers import (
    Closing,
    Connection,
    LeakyClosing,
    SuppressOnly,
    connection,
    connection_without_finally,
    open_two,
)


def fail(exc: BaseException) -> None:
    """Raise ``exc``; a call, so that mypy keeps the code after a suppressing ``with`` reachable."""
    raise exc


class Recorder:
    """Records the arguments of every ``__exit__`` call; returns None."""

    def __init__(self) -> None:
        self.calls: list[tuple[type[BaseException] | None, BaseException | None, bool]] = []

    def __enter__(self) -> Recorder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.calls.append((exc_type, exc, tb is not None))


def test_exit_gets_three_nones_on_success_and_the_exception_on_error() -> None:
    rec = Recorder()
    with rec:
        pass
    assert rec.calls == [(None, None, False)]
    error = ValueError("x")
    with pytest.raises(ValueError, match="x"), rec:
        raise error
    assert rec.calls[1] == (ValueError, error, True)


def test_exit_runs_on_return_and_on_break() -> None:
    rec = Recorder()

    def early() -> str:
        with rec:
            return "returned"

    assert early() == "returned"
    for _ in range(3):
        with rec:
            break
    assert rec.calls == [(None, None, False), (None, None, False)]


def test_leaky_closing_swallows_the_error_and_execution_continues() -> None:
    log: list[str] = []
    after_with = False
    with LeakyClosing(Connection("db", log)):
        fail(ValueError("lost"))
    after_with = True  # reached: the ValueError vanished
    assert after_with
    assert log == ["open db", "close db"]


def test_returning_self_closed_by_accident_also_swallows() -> None:
    class ReturnsClosed:
        def __init__(self) -> None:
            self.closed = False

        def __enter__(self) -> ReturnsClosed:
            return self

        def __exit__(self, *exc_info: object) -> bool:
            self.closed = True
            return self.closed  # True: "is it closed?" read as "suppress?"

    cm = ReturnsClosed()
    with cm:
        fail(KeyError("lost"))
    assert cm.closed


@pytest.mark.parametrize(("returned", "suppressed"), [("yes", True), (1, True), (0, False)])
def test_any_truthy_return_value_suppresses_not_only_true(
    returned: object, suppressed: bool
) -> None:
    class Returns:
        def __enter__(self) -> None:
            return None

        def __exit__(self, *exc_info: object) -> object:
            return returned

    def run() -> bool:
        with Returns():
            fail(KeyError("k"))
        return True  # reached only when the KeyError was suppressed

    if suppressed:
        assert run()
    else:
        with pytest.raises(KeyError):
            run()


def test_closing_lets_the_error_propagate_and_still_closes() -> None:
    log: list[str] = []
    with pytest.raises(ValueError, match="kept"), Closing(Connection("db", log)):
        raise ValueError("kept")
    assert log == ["open db", "close db"]


def test_closing_closes_before_a_return_inside_the_block_completes() -> None:
    log: list[str] = []

    def read() -> str:
        with Closing(Connection("db", log)) as conn:
            return f"data from {conn.name}"

    assert read() == "data from db"
    assert log == ["open db", "close db"]


def test_suppress_only_swallows_the_named_types() -> None:
    settings: dict[str, int] = {}
    with SuppressOnly(KeyError, FileNotFoundError):
        settings["missing"]
    with SuppressOnly(OSError):
        raise FileNotFoundError("a subclass of OSError is suppressed too")


def test_suppress_only_is_harmless_when_the_block_succeeds() -> None:
    # __exit__ gets exc_type None; issubclass(None, ...) would raise TypeError.
    ran = []
    with SuppressOnly(KeyError):
        ran.append("body")
    assert ran == ["body"]


def test_suppress_only_rejects_what_is_not_an_exception_class() -> None:
    with pytest.raises(TypeError, match="exception classes"):
        SuppressOnly(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="exception classes"):
        SuppressOnly(KeyError("an instance, not a class"))  # type: ignore[arg-type]


def key_error_group() -> ExceptionGroup[Exception]:
    return ExceptionGroup("g", [KeyError("k")])


def test_suppress_only_lets_an_exception_group_through() -> None:
    with pytest.raises(ExceptionGroup), SuppressOnly(KeyError):
        raise key_error_group()


def test_contextlib_suppress_looks_inside_exception_groups_only_from_3_12() -> None:
    if sys.version_info >= (3, 12):
        with suppress(KeyError):
            raise key_error_group()  # every leaf matches: swallowed
        with pytest.raises(ExceptionGroup) as info, suppress(KeyError):
            raise ExceptionGroup("g", [KeyError("k"), ValueError("v")])
        assert repr(info.value) == "ExceptionGroup('g', [ValueError('v')])"  # only the rest
    else:
        with pytest.raises(ExceptionGroup), suppress(KeyError):
            raise key_error_group()


def test_suppress_only_lets_other_errors_through() -> None:
    with pytest.raises(ValueError, match="not a KeyError"), SuppressOnly(KeyError):
        raise ValueError("not a KeyError")


def test_generator_without_finally_skips_cleanup_on_error() -> None:
    log: list[str] = []
    with pytest.raises(ValueError, match="boom"), connection_without_finally("db", log):
        raise ValueError("boom")
    assert log == ["open db"]  # never closed


def test_generator_with_finally_closes_on_error_and_reraises() -> None:
    log: list[str] = []
    with pytest.raises(ValueError, match="boom"), connection("db", log):
        raise ValueError("boom")
    assert log == ["open db", "close db"]


def test_both_generators_close_on_success() -> None:
    for cm in (connection, connection_without_finally):
        log: list[str] = []
        with cm("db", log) as conn:
            closed_inside = conn.closed
        assert (closed_inside, conn.closed) == (False, True)
        assert log == ["open db", "close db"]


def test_a_generator_that_catches_without_reraising_suppresses() -> None:
    log: list[str] = []

    @contextmanager
    def cleanup_in_except() -> Iterator[None]:
        try:
            yield
        except Exception:
            log.append("cleanup")

    with cleanup_in_except():
        fail(ValueError("swallowed"))
    assert log == ["cleanup"]
    with cleanup_in_except():
        pass
    assert log == ["cleanup"]  # no cleanup at all on success


def test_enter_and_exit_are_looked_up_on_the_type_not_the_instance() -> None:
    class Plain:
        pass

    obj = Plain()
    obj.__enter__ = lambda: obj  # type: ignore[attr-defined]
    obj.__exit__ = lambda *exc_info: None  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="context manager protocol"), obj:  # type: ignore[attr-defined]
        pass


def test_a_contextmanager_object_is_single_use() -> None:
    log: list[str] = []
    cm = connection("db", log)
    with cm:
        pass
    with pytest.raises(AttributeError), cm:  # 3.11-3.13; the message is a detail
        pass
    with connection("db", log):  # a new call gives a new manager
        pass
    assert log == ["open db", "close db", "open db", "close db"]


def test_a_generator_that_yields_twice_fails_when_the_with_exits() -> None:
    @contextmanager
    def yields_twice() -> Iterator[None]:
        yield
        yield

    with pytest.raises(RuntimeError, match="generator didn't stop"), yields_twice():
        pass


def test_async_with_awaits_aexit_with_the_same_rules() -> None:
    log: list[str] = []

    @asynccontextmanager
    async def session(name: str) -> AsyncIterator[str]:
        log.append(f"open {name}")
        try:
            yield name
        finally:
            log.append(f"close {name}")

    class Swallows:
        async def __aenter__(self) -> None:
            return None

        async def __aexit__(self, *exc_info: object) -> bool:
            return True  # truthy: suppresses, as for __exit__

    async def main() -> None:
        with pytest.raises(ValueError, match="query failed"):
            async with session("db"):
                raise ValueError("query failed")
        async with Swallows():
            fail(KeyError("swallowed"))

    asyncio.run(main())
    assert log == ["open db", "close db"]
    with pytest.raises(TypeError, match="context manager protocol"), Swallows():  # type: ignore[attr-defined]
        pass


def test_exit_is_not_called_when_enter_raises() -> None:
    exited: list[bool] = []

    class FailsToEnter:
        def __enter__(self) -> None:
            raise OSError("connect failed")

        def __exit__(self, *exc_info: object) -> None:
            exited.append(True)

    with pytest.raises(OSError, match="connect failed"), FailsToEnter():
        pass
    assert exited == []


def test_an_exception_from_exit_replaces_the_body_exception() -> None:
    class FailsToClose:
        def __enter__(self) -> None:
            return None

        def __exit__(self, *exc_info: object) -> None:
            raise OSError("close failed")

    with pytest.raises(OSError, match="close failed") as info, FailsToClose():
        raise ValueError("body")
    assert isinstance(info.value.__context__, ValueError)  # kept only as context
    assert info.value.__cause__ is None


def test_with_exits_in_reverse_order_like_defer() -> None:
    log: list[str] = []
    open_two("a", "b", log)
    assert log == ["open a", "open b", "body", "close b", "close a"]


def test_with_in_a_loop_releases_each_resource_before_the_next() -> None:
    # Unlike a Go defer in a loop, which would hold all three until the function returns.
    log: list[str] = []
    for name in ("a", "b", "c"):
        with connection(name, log):
            pass
    assert log == ["open a", "close a", "open b", "close b", "open c", "close c"]
