"""Tests for advanced.generics: TypeVar kinds, generic Protocols, PEP 695, no run-time checks."""

from __future__ import annotations

import inspect
import re
import sys
import types
import typing
from typing import Any, Generic, TypeVar, get_args, get_origin

import pytest

from handbook.advanced import generics
from handbook.advanced.generics import (
    CT,
    B,
    Box,
    Counter,
    S,
    Source,
    SupportsLessThan,
    T_co,
    UserId,
    biggest,
    double,
    first,
    keep_bounded,
    load_pep695,
    read_n,
    runtime_accepts_what_mypy_rejects,
)

V = TypeVar("V")


class Words:
    """A source of str: structurally a Source[str]."""

    def read(self) -> str:
        return "word"


def test_typevar_functions_work_on_any_item_type() -> None:
    assert first([3, 1]) == 3
    assert first("xy") == "x"
    assert biggest([3, 9, 4]) == 9
    assert biggest(["pear", "apple", "zoo"]) == "zoo"
    assert biggest([(1, "b"), (2, "a"), (1, "c")]) == (2, "a")


def test_biggest_of_nothing_raises_value_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        biggest([])


def test_a_constrained_typevar_lists_its_types_and_has_no_bound() -> None:
    assert S.__constraints__ == (int, str)
    assert S.__bound__ is None


def test_a_bounded_typevar_has_a_bound_and_no_constraints() -> None:
    assert CT.__bound__ is SupportsLessThan
    assert B.__bound__ == int | str
    assert CT.__constraints__ == B.__constraints__ == ()


def test_typing_anystr_is_the_classic_constrained_typevar() -> None:
    assert set(typing.AnyStr.__constraints__) == {str, bytes}


def test_a_single_constraint_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="single constraint"):
        TypeVar("X", int)


def test_constraints_cannot_be_combined_with_a_bound() -> None:
    with pytest.raises(TypeError, match="bound"):
        TypeVar("X", int, str, bound=int)


def test_constrained_and_bounded_treat_a_str_subclass_differently_at_run_time_too() -> None:
    assert type(double(UserId("ab"))) is str  # str.__add__ returns a plain str
    assert type(keep_bounded(UserId("ab"))) is UserId
    assert (double(21), double("ab")) == (42, "abab")


def test_type_parameters_are_not_enforced_at_run_time() -> None:
    # mypy rejects each of these lines (hence the ignores); the interpreter runs them.
    assert Box[int]("not an int").get() == "not an int"  # type: ignore[arg-type, comparison-overlap]
    assert list[int]("abc") == ["a", "b", "c"]  # type: ignore[arg-type, comparison-overlap]
    assert double(1.5) == 3.0  # type: ignore[type-var]


def test_a_parameterised_generic_is_an_alias_not_a_class() -> None:
    alias: object = list[int]
    assert type(alias) is types.GenericAlias
    assert not isinstance(Box[int], type)
    assert get_origin(Box[int]) is Box
    assert get_args(Box[int]) == (int,)
    assert type(Box[int](1)) is Box
    assert getattr(Box[int](1), "__orig_class__") == Box[int]  # noqa: B009  # the one trace
    assert not hasattr(Box(1), "__orig_class__")  # only a call through the alias sets it


def test_orig_class_is_set_only_after_init_returns() -> None:
    seen: list[bool] = []

    class Probe(Box[V]):
        def __init__(self, item: V) -> None:
            super().__init__(item)
            seen.append(hasattr(self, "__orig_class__"))

    probe = Probe[int](1)
    assert seen == [False]  # __init__ ran before the alias set it...
    assert getattr(probe, "__orig_class__") == Probe[int]  # noqa: B009  # ...and then it was set
    assert Box.__parameters__ == (generics.T,)  # type: ignore[attr-defined]
    assert Generic in Box.__mro__


def test_isinstance_with_a_parameterised_generic_raises_type_error() -> None:
    with pytest.raises(TypeError, match="parameterized generic"):
        isinstance([1], list[int])  # type: ignore[misc]
    with pytest.raises(TypeError, match="Subscripted generics"):
        isinstance(Box(1), Box[int])  # type: ignore[misc]
    with pytest.raises(TypeError, match="Subscripted generics"):
        isinstance(Counter(), Source[int])  # type: ignore[misc]
    assert isinstance(Box(1), Box)


def test_the_calls_mypy_rejects_all_run() -> None:
    assert runtime_accepts_what_mypy_rejects() == ["not an int", 3.0, 1, 1, str, UserId]


def test_each_wrong_call_carries_an_ignore_that_names_its_error() -> None:
    # The proof is mypy --strict with warn_unused_ignores: a bare "# type: ignore"
    # would hide any error on the line, so each one names the error code it expects.
    source = inspect.getsource(runtime_accepts_what_mypy_rejects)
    codes = [
        match.group(1)
        for line in source.splitlines()
        if (match := re.search(r"# type: ignore(\[[^\]]*\])?", line))
    ]
    assert codes == ["[assignment]", "[arg-type]", "[type-var]", "[arg-type]"]


def test_a_runtime_checkable_protocol_checks_only_that_the_names_exist() -> None:
    assert isinstance(Counter(), Source)
    assert isinstance(Words(), Source)  # a str source passes too: types are not checked
    assert not isinstance(object(), Source)

    class NotCallable:
        read = 5  # an attribute of the right name is enough

    assert isinstance(NotCallable(), Source)


def test_a_typevar_keeps_the_item_type_and_any_loses_it() -> None:
    # typing.assert_type is a no-op at run time; mypy --strict fails if the types differ.
    def first_any(xs: typing.Sequence[Any]) -> Any:
        return xs[0]

    assert typing.assert_type(first([1]), int) == 1
    assert typing.assert_type(first_any([1]), Any) == 1


def test_source_is_covariant_in_what_it_yields() -> None:
    assert Source.__parameters__ == (T_co,)  # type: ignore[attr-defined]
    assert T_co.__covariant__
    assert not T_co.__contravariant__


def test_read_n_reads_a_structural_source_n_times() -> None:
    assert read_n(Counter(), 3) == [1, 2, 3]
    assert read_n(Words(), 2) == ["word", "word"]


def test_pep695_syntax_needs_3_12() -> None:
    if sys.version_info < (3, 12):
        with pytest.raises(SyntaxError):
            load_pep695()
    else:
        check_pep695_functions(load_pep695())


def check_pep695_functions(ns: dict[str, Any]) -> None:
    (t,) = ns["first"].__type_params__
    assert isinstance(t, TypeVar)
    assert t.__name__ == "T"
    assert t.__infer_variance__  # type: ignore[attr-defined]  # PEP 695 infers variance
    assert ns["first"]([4, 5]) == 4
    assert ns["biggest"].__type_params__[0].__bound__ is SupportsLessThan
    assert ns["double"].__type_params__[0].__constraints__ == (int, str)
    assert ns["double"](1.5) == 3.0  # still not enforced
    assert "T" not in ns  # scoped to their definitions
    assert "S" not in ns


def test_a_pep695_class_is_generic_and_still_unchecked() -> None:
    if sys.version_info < (3, 12):
        with pytest.raises(SyntaxError):
            load_pep695()
    else:
        check_pep695_class(load_pep695()["Box"])


def check_pep695_class(box: Any) -> None:
    assert Generic in box.__mro__  # class Box[T] subclasses Generic implicitly
    assert box.__parameters__ == box.__type_params__
    assert len(box.__type_params__) == 1
    assert box[int]("not an int").item == "not an int"


def test_a_type_statement_makes_a_lazy_alias() -> None:
    if sys.version_info < (3, 12):
        with pytest.raises(SyntaxError):
            load_pep695()
    else:
        check_type_statement(load_pep695())


def check_type_statement(ns: dict[str, Any]) -> None:
    pair = ns["Pair"]
    assert type(pair).__name__ == "TypeAliasType"
    assert type(pair) is getattr(typing, "TypeAliasType")  # noqa: B009 (3.12+ only)
    (t,) = pair.__type_params__
    assert pair.__value__ == tuple.__class_getitem__((t, t))
    assert get_args(pair[int]) == (int,)
    with pytest.raises(NameError, match="NotDefinedYet"):
        _ = ns["Later"].__value__  # evaluated only now, not when the module ran


def test_a_version_guard_in_the_same_file_does_not_save_3_11() -> None:
    source = (
        "import sys\n"
        "if sys.version_info >= (3, 12):\n"
        "    def ident[T](x: T) -> T:\n"
        "        return x\n"
    )
    if sys.version_info < (3, 12):
        with pytest.raises(SyntaxError):
            compile(source, "<guarded>", "exec", dont_inherit=True)
    else:
        compile(source, "<guarded>", "exec", dont_inherit=True)
