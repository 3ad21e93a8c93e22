"""Tests for advanced.introspection: bind, get_type_hints, Annotated tags, the validator."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Annotated, Any, Protocol, get_args, get_origin, get_type_hints

import pytest

from handbook.advanced import introspection
from handbook.advanced.introspection import (
    JsonName,
    MaxLen,
    Range,
    Signup,
    ValidationError,
    check_call,
    check_fields,
    naive_validate_call,
    to_wire,
    validate_call,
    validated,
)

CALLS: list[tuple[object, ...]] = []


def register(name: Annotated[str, MaxLen(5)], age: Annotated[int, Range(0, 150)]) -> str:
    CALLS.append((name, age))
    return f"{name}:{age}"


def scale(factor: float, *nums: int, label: str = "x", **extra: str) -> None: ...


def exec_module(source: str) -> dict[str, Any]:
    """Run ``source`` as a throwaway module; its globals."""
    namespace: dict[str, Any] = {"__name__": "throwaway"}
    exec(compile(source, "<throwaway>", "exec", dont_inherit=True), namespace)  # no __future__
    return namespace


def test_bind_checks_a_call_without_making_it() -> None:
    CALLS.clear()
    assert check_call(register, "ada", age=36) == {"name": "ada", "age": 36}
    assert CALLS == []


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("ada",), {}, "missing a required argument: 'age'"),
        (("ada", 1, 2), {}, "too many positional arguments"),
        (("ada", 1), {"nick": "a"}, "got an unexpected keyword argument 'nick'"),
        (("ada",), {"name": "bob"}, "multiple values for argument 'name'"),
    ],
)
def test_bind_raises_type_error_naming_the_problem(
    args: tuple[object, ...], kwargs: dict[str, object], message: str
) -> None:
    CALLS.clear()
    with pytest.raises(TypeError) as info:
        check_call(register, *args, **kwargs)
    assert str(info.value) == message
    with pytest.raises(TypeError):
        register(*args, **kwargs)  # type: ignore[arg-type]  # the real call fails too
    assert CALLS == []


def test_bound_arguments_hold_only_what_the_caller_passed() -> None:
    assert check_call(scale, 2.0) == {"factor": 2.0}
    assert check_call(scale, 2.0, 1, 2, k="v") == {
        "factor": 2.0,
        "nums": (1, 2),
        "extra": {"k": "v"},
    }


def test_not_every_callable_has_a_signature() -> None:
    assert max.__text_signature__ is None  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="signature"):
        inspect.signature(max)


def test_annotations_are_strings_under_future_annotations() -> None:
    assert register.__annotations__["age"] == "Annotated[int, Range(0, 150)]"
    assert get_type_hints(register)["age"] is int


def test_the_naive_validator_crashes_on_string_annotations() -> None:
    with pytest.raises(TypeError, match=r"isinstance\(\) arg 2 must be a type") as info:
        naive_validate_call(register, "ada", 36)  # a perfectly good call
    assert not isinstance(info.value, ValidationError)


def test_the_naive_validator_works_when_annotations_are_objects() -> None:
    ns = exec_module("def f(age: int) -> None: ...\n")  # no __future__ import: real classes
    assert ns["f"].__annotations__["age"] is int
    naive_validate_call(ns["f"], 36)
    with pytest.raises(ValidationError, match="age"):
        naive_validate_call(ns["f"], "36")


def test_get_type_hints_cannot_see_a_class_local_to_a_function() -> None:
    ns = exec_module(
        "from __future__ import annotations\n"
        "def make():\n"
        "    class Local: ...\n"
        "    def f(x: Local) -> None: ...\n"
        "    return f\n"
    )
    with pytest.raises(NameError, match="Local"):
        get_type_hints(ns["make"]())


def test_get_type_hints_cannot_see_a_name_imported_only_for_type_checking() -> None:
    ns = exec_module(
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from decimal import Decimal\n"
        "def f(x: Decimal) -> None: ...\n"
    )
    with pytest.raises(NameError, match="Decimal"):
        get_type_hints(ns["f"])


def test_resolving_hints_at_decoration_time_fails_for_a_later_class() -> None:
    with pytest.raises(NameError, match="Point"):
        exec_module(
            "from __future__ import annotations\n"
            "from typing import get_type_hints\n"
            "def eager(f):\n"
            "    get_type_hints(f)\n"
            "    return f\n"
            "@eager\n"
            "def describe(p: Point) -> None: ...\n"
            "class Point: ...\n"
        )


def test_get_type_hints_strips_annotated_unless_include_extras() -> None:
    assert get_type_hints(register)["age"] is int
    hint = get_type_hints(register, include_extras=True)["age"]
    assert get_origin(hint) is Annotated
    assert get_args(hint) == (int, Range(0, 150))


def test_validate_call_names_every_bad_field() -> None:
    with pytest.raises(ValidationError) as info:
        validate_call(register, "adalovelace", "36")
    assert info.value.problems == [
        "name: length 11 is over 5",
        "age: expected int, got str",
    ]


def test_validate_call_checks_the_annotated_range() -> None:
    with pytest.raises(ValidationError) as info:
        validate_call(register, "ada", 151)
    assert info.value.problems == ["age: 151 is not in [0, 150]"]


def test_range_bounds_are_inclusive() -> None:
    for age in (0, 150):
        validate_call(register, "ada", age)
    for age in (-1, 151):
        with pytest.raises(ValidationError, match="age"):
            validate_call(register, "ada", age)


def test_validate_call_reports_bad_arity_as_binds_type_error() -> None:
    with pytest.raises(TypeError, match="missing a required argument: 'age'") as info:
        validate_call(register, "ada")
    assert not isinstance(info.value, ValidationError)


def test_a_validation_error_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        validate_call(register, "ada", "old")


def test_true_is_an_int_to_isinstance_but_not_to_the_validator() -> None:
    assert isinstance(True, int)
    with pytest.raises(ValidationError) as info:
        validate_call(register, "ada", True)
    assert info.value.problems == ["age: expected int, got bool"]


def test_an_int_is_accepted_where_a_float_is_expected() -> None:
    validate_call(scale, 2)
    with pytest.raises(ValidationError, match="factor: expected float, got bool"):
        validate_call(scale, False)


def test_star_args_and_kwargs_are_checked_item_by_item() -> None:
    validate_call(scale, 1.5, 1, 2, label="y", unit="cm")
    with pytest.raises(ValidationError) as info:
        validate_call(scale, 1.5, 1, "2", 3, "4", unit=5)
    assert info.value.problems == [
        "nums[1]: expected int, got str",
        "nums[3]: expected int, got str",
        "extra['unit']: expected str, got int",
    ]


def test_defaults_are_not_validated() -> None:
    def tagged(name: str, tag: Annotated[int, Range(1, 9)] = 0) -> None: ...

    validate_call(tagged, "ada")  # the out-of-range default is trusted
    with pytest.raises(ValidationError, match="tag"):
        validate_call(tagged, "ada", 0)


def test_an_unsupported_annotation_is_refused_not_guessed() -> None:
    def total(xs: list[int]) -> int:
        return sum(xs)

    with pytest.raises(TypeError, match="xs: unsupported annotation") as info:
        validate_call(total, [1, 2])
    assert not isinstance(info.value, ValidationError)


class Reader(Protocol):  # not @runtime_checkable: isinstance refuses it
    def read(self) -> bytes: ...


def test_a_protocol_that_isinstance_refuses_is_refused_by_name() -> None:
    def consume(src: Reader) -> None: ...

    with pytest.raises(TypeError, match="src: unsupported annotation") as info:
        validate_call(consume, object())
    assert not isinstance(info.value, ValidationError)


def test_any_accepts_every_value_and_still_checks_its_tags() -> None:
    def log(payload: Any, note: Annotated[Any, MaxLen(3)]) -> None: ...

    validate_call(log, object(), "abc")
    validate_call(log, None, [1, 2])
    with pytest.raises(ValidationError, match="note: length 4 is over 3"):
        validate_call(log, 1, "abcd")


def test_validated_resolves_the_hints_once_per_function(monkeypatch: pytest.MonkeyPatch) -> None:
    resolutions: list[object] = []
    real = get_type_hints

    def counting(obj: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        resolutions.append(obj)
        return real(obj, *args, **kwargs)

    monkeypatch.setattr(introspection, "get_type_hints", counting)
    CALLS.clear()
    checked = validated(register)
    assert checked("ada", 1) == "ada:1"
    assert checked("bob", 2) == "bob:2"
    with pytest.raises(ValidationError):
        checked("eve", 200)
    assert resolutions == [register]  # three calls, one resolution
    assert CALLS == [("ada", 1), ("bob", 2)]


def test_validated_keeps_the_wrapped_signature() -> None:
    assert inspect.signature(validated(register)) == inspect.signature(register)


def test_validated_calls_the_function_only_with_valid_arguments() -> None:
    CALLS.clear()
    checked = validated(register)
    assert checked("ada", 36) == "ada:36"
    with pytest.raises(ValidationError, match="age: 200 is not in"):
        checked("bob", 200)
    with pytest.raises(TypeError, match="missing a required argument"):
        checked("bob")  # type: ignore[call-arg]
    assert CALLS == [("ada", 36)]
    assert checked.__name__ == "register"


def test_validated_resolves_a_class_defined_after_the_function() -> None:
    ns = exec_module(
        "from __future__ import annotations\n"
        "from handbook.advanced.introspection import validated\n"
        "@validated\n"
        "def describe(p: Point) -> str:\n"
        "    return f'{p.x}'\n"
        "class Point:\n"
        "    x = 1\n"
    )
    assert ns["describe"](ns["Point"]()) == "1"
    with pytest.raises(ValidationError, match="p: expected Point, got int"):
        ns["describe"](1)


def test_signup_rejects_bad_fields_at_construction() -> None:
    assert Signup("ada", 36).age == 36
    with pytest.raises(ValidationError) as info:
        Signup("a" * 21, -1)
    assert info.value.problems == ["name: length 21 is over 20", "age: -1 is not in [0, 150]"]


def test_check_fields_refuses_what_is_not_a_dataclass_instance() -> None:
    with pytest.raises(TypeError, match="dataclass instance"):
        check_fields(Signup)
    with pytest.raises(TypeError, match="dataclass instance"):
        check_fields(object())


def test_to_wire_renames_fields_by_their_json_name_tag() -> None:
    assert to_wire(Signup("ada", 36)) == {"user_name": "ada", "age": 36}


def test_the_first_json_name_tag_wins() -> None:
    @dataclasses.dataclass
    class Renamed:
        v: Annotated[int, JsonName("first"), JsonName("second")]

    assert to_wire(Renamed(1)) == {"first": 1}


@dataclasses.dataclass
class Base:
    id: Annotated[int, Range(1, 10**9)]


@dataclasses.dataclass
class Child(Base):
    email: Annotated[str, MaxLen(50), JsonName("mail")]


def test_class_hints_include_the_bases_annotations() -> None:
    assert "id" not in Child.__annotations__
    assert set(get_type_hints(Child)) == {"id", "email"}
    with pytest.raises(ValidationError, match="id: 0 is not in"):
        check_fields(Child(0, "a@b.c"))
    assert to_wire(Child(1, "a@b.c")) == {"id": 1, "mail": "a@b.c"}
