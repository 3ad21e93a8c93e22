"""Tests for intermediate.decorators: wraps, factories, stacking order, class decorators."""

from __future__ import annotations

import asyncio
import functools
import inspect
import sys
from collections.abc import Callable
from typing import Any

import pytest

from handbook.intermediate.decorators import (
    REGISTRY,
    FlakyService,
    Greeter,
    counted,
    counted_without_wraps,
    make_fetch,
    register,
    retry,
    retry_either,
    retry_unguarded,
    trace,
    traced_handler,
    with_repr,
)


def area(width: int, height: int = 1) -> int:
    """Width times height."""
    return width * height


def test_without_wraps_the_wrapper_hides_name_doc_wrapped_and_signature() -> None:
    plain = counted_without_wraps(area)
    assert plain(2, 3) == 6
    assert plain.__name__ == "wrapper"
    assert plain.__doc__ is None
    assert not hasattr(plain, "__wrapped__")
    assert list(inspect.signature(plain).parameters) == ["args", "kwargs"]


def test_wraps_keeps_name_doc_wrapped_and_signature() -> None:
    wrapped = counted(area)
    assert wrapped(2, 3) == 6
    assert wrapped.__name__ == "area"
    assert wrapped.__qualname__ == "area"
    assert wrapped.__doc__ == "Width times height."
    assert wrapped.__wrapped__ is area  # type: ignore[attr-defined]
    # inspect.signature follows __wrapped__: the real parameters, default included.
    assert inspect.signature(wrapped) == inspect.signature(area)
    assert inspect.signature(wrapped).parameters["height"].default == 1


def test_both_wrappers_count_calls() -> None:
    for deco in (counted, counted_without_wraps):
        f = deco(area)
        f(1)
        f(2, 2)
        assert f.calls == 2  # type: ignore[attr-defined]


def test_retry_survives_failures_up_to_the_limit() -> None:
    service = FlakyService(failures=2)
    fetch = make_fetch(service)
    assert fetch("k") == "value:k"
    assert service.calls == 3


def test_retry_reraises_after_the_last_attempt() -> None:
    service = FlakyService(failures=3)
    fetch = make_fetch(service)
    with pytest.raises(ConnectionError, match="attempt 3 failed"):
        fetch("k")
    assert service.calls == 3


def test_retry_does_not_catch_exceptions_it_was_not_given() -> None:
    calls: list[int] = []

    @retry(times=5)
    def broken() -> None:
        calls.append(1)
        raise KeyError("a bug, not a network blip")

    with pytest.raises(KeyError):
        broken()
    assert calls == [1]


def test_retry_rejects_zero_attempts() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        retry(times=0)


def test_retry_rejects_options_of_the_wrong_type_at_definition() -> None:
    with pytest.raises(TypeError, match="takes options, not a function"):

        @retry  # type: ignore[arg-type]
        def ping() -> str:
            return "pong"

    for bad in ("3", 1.5):
        with pytest.raises(TypeError, match="times must be an int"):
            retry(times=bad)  # type: ignore[arg-type]


def test_bare_unguarded_retry_binds_the_name_to_the_inner_decorator() -> None:
    # What a learner writes when they forget the call: mypy rejects it, Python does not.
    @retry_unguarded  # type: ignore[arg-type]
    def ping() -> str:
        return "pong"

    assert ping.__name__ == "decorate"
    with pytest.raises(TypeError, match="missing 1 required positional argument"):
        ping()  # type: ignore[call-arg]
    # Called with an argument, it returns a function instead of a result.
    assert callable(ping(area))


def test_retry_either_works_with_and_without_parentheses() -> None:
    service = FlakyService(failures=1)

    @retry_either
    def bare(key: str) -> str:
        return service.get(key)

    @retry_either(times=2)
    def called(key: str) -> str:
        return service.get(key)

    assert bare.__name__ == "bare"
    assert bare("a") == "value:a"
    service.calls, service.failures = 0, 1
    assert called("b") == "value:b"
    assert service.calls == 2


def test_retry_either_honours_times() -> None:
    # One attempt means no retry: the first failure escapes (the default of 3 would hide it).
    service = FlakyService(failures=1)

    @retry_either(times=1)
    def once(key: str) -> str:
        return service.get(key)

    with pytest.raises(ConnectionError, match="attempt 1 failed"):
        once("a")
    assert service.calls == 1


def test_a_sync_retry_around_an_async_def_makes_one_attempt() -> None:
    calls: list[int] = []

    @retry(times=3)
    async def flaky() -> None:
        calls.append(1)
        raise ConnectionError("down")

    # The wrapper returns the coroutine without error; the failure comes out at await.
    with pytest.raises(ConnectionError):
        asyncio.run(flaky())
    assert calls == [1]


def test_a_cache_above_the_permission_check_leaks_to_other_callers() -> None:
    allowed = {"admin"}

    def check(func: Callable[[str, str], str]) -> Callable[[str, str], str]:
        @functools.wraps(func)
        def wrapper(user: str, key: str) -> str:
            if user not in allowed:
                raise PermissionError(user)
            return func(user, key)

        return wrapper

    def cache_by_key(func: Callable[[str, str], str]) -> Callable[[str, str], str]:
        store: dict[str, str] = {}  # keyed by `key` only, not by the caller

        @functools.wraps(func)
        def wrapper(user: str, key: str) -> str:
            if key not in store:
                store[key] = func(user, key)
            return store[key]

        return wrapper

    def read(user: str, key: str) -> str:
        return f"secret:{key}"

    cache_on_top = cache_by_key(check(read))
    assert cache_on_top("admin", "k") == "secret:k"
    assert cache_on_top("guest", "k") == "secret:k"  # the bug: guest never checked

    check_on_top = check(cache_by_key(read))
    assert check_on_top("admin", "k") == "secret:k"
    with pytest.raises(PermissionError):
        check_on_top("guest", "k")


def test_a_class_decorator_binds_self_only_if_it_defines_get() -> None:
    class Plain:
        def __init__(self, func: Callable[..., Any]) -> None:
            self.func = func

        def __call__(self, *args: Any) -> Any:
            return self.func(*args)

    class Binding(Plain):
        def __get__(self, obj: object, owner: type | None = None) -> Any:
            return self if obj is None else functools.partial(self, obj)

    class Account:
        @Plain
        def plain(self) -> str:
            return "ok"

        @Binding
        def bound(self) -> str:
            return "ok"

        @counted
        def counted_method(self) -> str:
            return "ok"

    account = Account()
    with pytest.raises(TypeError, match="missing 1 required positional argument"):
        account.plain()
    assert account.bound() == "ok"
    assert account.counted_method() == "ok"  # a function wrapper is a descriptor


def test_decorator_expressions_are_evaluated_before_the_def_top_down() -> None:
    log: list[str] = []

    @trace("outer", log)
    @trace("inner", log)
    def handler() -> str:
        return "ok"

    assert log == ["eval outer", "eval inner", "apply inner", "apply outer"]


def test_the_name_is_never_bound_to_the_undecorated_function() -> None:
    namespace: dict[str, object] = {}
    seen: list[bool] = []

    def peek(func: Callable[[], int]) -> Callable[[], int]:
        seen.append("f" in namespace)
        return func

    namespace["peek"] = peek
    exec("@peek\ndef f():\n    return 1\n", namespace)
    # f = peek(f) would bind f first; the decorator form binds only the result.
    assert seen == [False]
    assert "f" in namespace


def test_the_decorator_nearest_the_def_is_applied_first_and_runs_innermost() -> None:
    log: list[str] = []
    handler = traced_handler(log)
    assert log == ["eval outer", "eval inner", "apply inner", "apply outer"]
    assert handler() == "ok"
    assert log[4:] == ["enter outer", "enter inner", "body", "leave inner", "leave outer"]


def test_stacking_is_nested_application() -> None:
    # @a over @b over def f is f = a(b(f)): unwrapping once reaches b's wrapper.
    log: list[str] = []

    def body() -> str:
        return "ok"

    nested = trace("outer", log)(trace("inner", log)(body))
    assert log == ["eval outer", "eval inner", "apply inner", "apply outer"]
    nested()
    assert log[4:] == ["enter outer", "enter inner", "leave inner", "leave outer"]
    inner = nested.__wrapped__  # type: ignore[attr-defined]
    assert inner is not body
    assert inner.__wrapped__ is body
    assert inspect.unwrap(nested) is body


def test_register_records_the_class_and_returns_it_unchanged() -> None:
    assert isinstance(Greeter, type)
    assert REGISTRY["greeter"] is Greeter
    assert Greeter("Ada").greet() == "hello, Ada"


def test_register_rejects_a_taken_name() -> None:
    with pytest.raises(ValueError, match="already registered"):

        @register("greeter")
        class Impostor:
            pass

    assert REGISTRY["greeter"] is Greeter


def test_with_repr_adds_a_method_to_the_class() -> None:
    @with_repr
    class Point:
        def __init__(self, x: int, y: int) -> None:
            self.x, self.y = x, y

    assert repr(Point(1, 2)) == "Point(x=1, y=2)"
    assert "__repr__" in vars(Point)


def test_a_class_decorator_that_returns_a_function_breaks_isinstance() -> None:
    def singleton(cls: type[object]) -> Callable[[], object]:
        instance = cls()
        return lambda: instance

    @singleton
    class Config:
        pass

    first = Config()
    assert first is Config()
    with pytest.raises(TypeError, match="isinstance"):
        isinstance(first, Config)


def test_what_wraps_copies_by_version() -> None:
    expected = ("__module__", "__name__", "__qualname__", "__doc__", "__annotations__")
    if sys.version_info >= (3, 12):
        expected += ("__type_params__",)
    assert expected == functools.WRAPPER_ASSIGNMENTS
    assert functools.WRAPPER_UPDATES == ("__dict__",)
