"""Tests for basics.parameters: which calls each signature accepts, and each misuse's TypeError."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import pytest

from handbook.basics.parameters import (
    call_with_log,
    collect,
    connect,
    connect_all_positional,
    merge_layers,
    passthrough,
    passthrough_without_wraps,
    render,
    render_without_slash,
    scale_named_v1,
    scale_named_v2,
    scale_positional_v1,
    scale_positional_v2,
)

P = ParamSpec("P")
R = TypeVar("R")

# The functions are called through Any so that mypy lets the misuses reach run time.
dyn_connect: Any = connect
dyn_render_without_slash: Any = render_without_slash
dyn_scale_named_v2: Any = scale_named_v2
dyn_scale_positional_v1: Any = scale_positional_v1


def two(a: int, b: int) -> tuple[int, int]:
    """A plain two-parameter function for the unpacking errors."""
    return a, b


dyn_two: Any = two


def test_positional_tunables_accept_a_misplaced_value_silently() -> None:
    settings = connect_all_positional("db", 5432, 3)  # meant retries=3
    assert settings["timeout"] == 3
    assert settings["retries"] == 3  # the default, by coincidence the intended value


def test_keyword_only_rejects_the_same_call() -> None:
    with pytest.raises(TypeError, match=r"takes from 1 to 2 positional arguments but 3 were given"):
        dyn_connect("db", 5432, 3)
    assert connect("db", 5432, retries=3) == {
        "host": "db",
        "port": 5432,
        "timeout": 10.0,
        "retries": 3,
    }


def test_a_required_keyword_only_parameter_must_be_named() -> None:
    def fetch(url: str, *, timeout: float) -> str:
        return f"{url}@{timeout}"

    dyn_fetch: Any = fetch
    with pytest.raises(TypeError, match=r"missing 1 required keyword-only argument: 'timeout'"):
        dyn_fetch("/health")
    assert fetch("/health", timeout=1.0) == "/health@1.0"


def test_a_misspelt_keyword_is_rejected_and_3_13_suggests_the_name() -> None:
    with pytest.raises(TypeError, match=r"got an unexpected keyword argument 'tiemout'") as info:
        dyn_connect("db", tiemout=3)
    hint = "Did you mean 'timeout'?"
    if sys.version_info >= (3, 13):
        assert hint in str(info.value)
    else:
        assert hint not in str(info.value)


def test_positional_only_rejects_a_keyword() -> None:
    with pytest.raises(
        TypeError, match=r"positional-only arguments passed as keyword arguments: 'value'"
    ):
        dyn_scale_positional_v1(value=2, factor=3)


def test_without_slash_a_field_named_like_the_parameter_collides() -> None:
    with pytest.raises(TypeError, match=r"got multiple values for argument 'template'"):
        dyn_render_without_slash("{template}", template="x")


def test_positional_only_lets_kwargs_take_the_parameters_name() -> None:
    assert render("{template}-{n}", template="x", n=1) == "x-1"
    # The builtin does the same: it is documented as dict(iterable, /, **kwargs)
    # (inspect.signature(dict) cannot show it: "no signature found for builtin type").
    assert dict(self=1, iterable=2) == {"self": 1, "iterable": 2}  # noqa: C408


def test_renaming_a_named_parameter_breaks_keyword_callers() -> None:
    assert scale_named_v1(value=2, factor=3) == 6
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'value'"):
        dyn_scale_named_v2(value=2, factor=3)


def test_renaming_a_positional_only_parameter_breaks_nobody() -> None:
    calls: list[tuple[tuple[float, ...], dict[str, float]]] = [
        ((2.0, 3.0), {}),
        ((2.0,), {"factor": 3.0}),
    ]
    for args, kwargs in calls:
        assert scale_positional_v1(*args, **kwargs) == scale_positional_v2(*args, **kwargs) == 6
    kinds = inspect.signature(scale_positional_v1).parameters["value"].kind
    assert kinds is inspect.Parameter.POSITIONAL_ONLY


def test_args_is_a_new_tuple_and_kwargs_a_new_dict() -> None:
    items = [1, 2]
    options: dict[str, object] = {"x": 1}
    args, kwargs = collect(*items, **options)
    assert args == (1, 2)
    assert type(args) is tuple  # not the caller's list, unlike Go's xs...
    assert kwargs == options
    assert kwargs is not options
    kwargs["y"] = 2
    assert options == {"x": 1}  # the callee's dict is its own
    already_a_tuple = (1, 2)
    assert collect(*already_a_tuple)[0] is not already_a_tuple  # even then, a new tuple


def test_unpacking_errors() -> None:
    a_is_2: dict[str, int] = {"a": 2}
    not_iterable: Any = 5
    not_mapping: Any = [1]
    int_keys: Any = {1: 2}
    with pytest.raises(TypeError, match=r"got multiple values for argument 'a'"):
        dyn_two(1, **a_is_2)
    with pytest.raises(TypeError, match=r"got multiple values for keyword argument 'a'"):
        dyn_two(**a_is_2, **a_is_2)
    with pytest.raises(TypeError, match=r"argument after \* must be an iterable, not int"):
        dyn_two(*not_iterable)
    with pytest.raises(TypeError, match=r"argument after \*\* must be a mapping, not list"):
        dyn_two(**not_mapping)
    with pytest.raises(TypeError, match=r"keywords must be strings"):
        dyn_two(**int_keys)
    with pytest.raises(TypeError, match=r"missing 1 required positional argument: 'b'"):
        dyn_two(*[1])
    b_is_2 = {"b": 2}
    assert two(*[1], **b_is_2) == (1, 2)


def test_a_dict_display_lets_the_later_layer_win() -> None:
    assert merge_layers({"timeout": 1, "host": "a"}, {"timeout": 2}) == {"timeout": 2, "host": "a"}
    assert merge_layers() == {}


def test_forwarding_keeps_positional_and_keyword_arguments() -> None:
    log: list[str] = []
    result = call_with_log(log, connect, "db", 6432, timeout=1.5, retries=0)
    assert result == {"host": "db", "port": 6432, "timeout": 1.5, "retries": 0}
    assert log == ["connect(('db', 6432), {'timeout': 1.5, 'retries': 0})"]


def test_the_forwarder_can_pass_a_keyword_named_like_its_own_parameters() -> None:
    log: list[str] = []
    assert call_with_log(log, render, "{func}/{log}", func="f", log="l") == "f/l"


def test_builtins_are_often_positional_only() -> None:
    assert str(inspect.signature(len)) == "(obj, /)"
    with pytest.raises(TypeError, match=r"takes no keyword arguments"):
        len(obj=[])  # type: ignore[call-arg]


def test_a_decorator_without_wraps_hides_the_name_doc_and_signature() -> None:
    bare = passthrough_without_wraps(connect)
    assert bare("db") == connect("db")  # it forwards correctly
    assert bare.__name__ == "wrapper"
    assert bare.__doc__ is None
    kinds = [param.kind for param in inspect.signature(bare).parameters.values()]
    assert kinds == [inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD]


def test_wraps_keeps_the_name_doc_and_signature() -> None:
    wrapped = passthrough(connect)
    assert wrapped("db", timeout=1.0) == connect("db", timeout=1.0)
    assert wrapped.__name__ == "connect"
    assert wrapped.__doc__ == connect.__doc__
    assert getattr(wrapped, "__wrapped__") is connect  # noqa: B009 - not in the static type
    assert inspect.signature(wrapped) == inspect.signature(connect)


def with_attempt_number(func: Callable[Concatenate[int, P], R]) -> Callable[P, R]:
    """Supply the first argument (an attempt number) and expose the rest of the signature."""

    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return func(1, *args, **kwargs)

    return wrapper


def test_concatenate_types_a_decorator_that_supplies_the_first_argument() -> None:
    @with_attempt_number
    def fetch(attempt: int, url: str, *, timeout: float = 1.0) -> str:
        return f"{url} try {attempt} timeout {timeout}"

    # mypy checks this call against (url: str, *, timeout: float = ...): attempt is gone.
    assert fetch("/health", timeout=2.0) == "/health try 1 timeout 2.0"


def test_a_required_keyword_only_parameter_may_follow_a_defaulted_one() -> None:
    namespace: dict[str, Any] = {}
    exec("def f(*, a=1, b):\n    return a, b\n", namespace)
    assert namespace["f"](b=2) == (1, 2)
    if sys.version_info >= (3, 12):
        message = "parameter without a default follows parameter with a default"
    else:
        message = "non-default argument follows default argument"
    with pytest.raises(SyntaxError, match=message):
        compile("def f(a=1, b):\n    pass\n", "<signature>", "exec")
