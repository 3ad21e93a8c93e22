"""Tests for basics.truthiness: which values are falsy, who decides, and "missing" vs "empty"."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from fractions import Fraction

import pytest

from handbook.basics.truthiness import (
    DEFAULT_RETRIES,
    Batch,
    BoolAndLen,
    NoTruthMethods,
    ValidationErrors,
    has_overdue,
    has_overdue_lazily,
    rejects,
    rejects_unless_none,
    retry_budget,
    retry_budget_or,
    validate,
)

FALSY: list[object] = [
    None,
    False,
    0,
    0.0,
    0j,
    Decimal(0),
    Fraction(0),
    "",
    b"",
    [],
    (),
    {},
    set(),
    frozenset(),
    range(0),
    datetime.timedelta(0),
]
SURPRISINGLY_TRUTHY: list[object] = ["0", "False", " ", [0], [None], (None,), {0: 0}, -1, math.nan]

VALID = {"id": 1, "email": "a@example.com"}


@pytest.mark.parametrize("value", FALSY, ids=repr)
def test_none_zeros_and_empty_containers_are_falsy(value: object) -> None:
    assert not value


@pytest.mark.parametrize("value", SURPRISINGLY_TRUTHY, ids=repr)
def test_non_empty_and_non_zero_values_are_truthy(value: object) -> None:
    assert value


def test_or_default_silently_replaces_a_deliberate_zero() -> None:
    assert retry_budget_or(0) == DEFAULT_RETRIES  # asked for no retries, got three
    assert retry_budget_or(None) == DEFAULT_RETRIES
    assert retry_budget_or(5) == 5


def test_is_none_default_keeps_a_deliberate_zero() -> None:
    assert retry_budget(0) == 0
    assert retry_budget(None) == DEFAULT_RETRIES
    assert retry_budget() == DEFAULT_RETRIES
    assert retry_budget(5) == 5


@pytest.mark.parametrize("bad", [-1, -100])
def test_a_negative_retry_budget_is_rejected(bad: int) -> None:
    with pytest.raises(ValueError, match=">= 0"):
        retry_budget(bad)


@pytest.mark.parametrize("bad", ["3", 3.0, True])
def test_a_retry_budget_that_is_not_an_int_is_rejected(bad: object) -> None:
    with pytest.raises(TypeError, match="must be an int"):
        retry_budget(bad)  # type: ignore[arg-type]


def test_a_zero_timedelta_is_falsy_so_if_timeout_skips_a_deliberate_zero() -> None:
    timeout = datetime.timedelta(0)  # "do not wait"
    assert (timeout or datetime.timedelta(seconds=30)) == datetime.timedelta(seconds=30)
    assert datetime.timedelta(microseconds=1)


def test_empty_and_exhausted_iterators_are_truthy() -> None:
    nothing: list[int] = []
    empty_generator = (x for x in nothing)
    assert bool(empty_generator) is True
    assert bool(iter([])) is True
    used_up = iter([1])
    assert list(used_up) == [1]
    assert bool(used_up) is True  # exhausted, and still truthy
    assert not hasattr(empty_generator, "__bool__")
    assert not hasattr(empty_generator, "__len__")


def test_truthiness_of_a_generator_reports_matches_that_do_not_exist() -> None:
    assert has_overdue_lazily([1, 2, 3]) is True  # nothing is overdue
    assert has_overdue_lazily([]) is True


def test_a_materialised_list_reports_matches_correctly() -> None:
    assert has_overdue([1, 2, 3]) is False
    assert has_overdue([]) is False
    assert has_overdue(iter([10, 45])) is True


def test_all_of_nothing_is_true_and_any_of_nothing_is_false() -> None:
    failures: list[str] = []
    assert all(not failed for failed in failures)  # the "no check failed" gate passes on no data
    assert all([]) is True
    assert any([]) is False


def test_bool_is_an_int_subclass() -> None:
    yes = True
    assert issubclass(bool, int)
    assert yes + yes == 2
    assert hash(True) == hash(1)
    keys = {1: "a"}
    keys[True] = "b"  # the same key: True == 1 and hash(True) == hash(1)
    assert keys == {1: "b"}


def test_bool_is_looked_up_on_the_type_not_the_instance() -> None:
    obj = NoTruthMethods()
    obj.__bool__ = lambda: False  # type: ignore[attr-defined]
    assert bool(obj) is True  # the instance attribute is ignored
    batch = Batch()
    batch.__len__ = lambda: 5  # type: ignore[method-assign]
    assert not batch  # Batch.__len__ (0) decides, not the instance's


def test_and_or_return_an_operand_and_short_circuit() -> None:
    calls: list[str] = []

    def side_effect() -> str:
        calls.append("called")
        return "right"

    zero, blank, left = 0, "", "left"
    empty: list[int] = []
    assert (zero or 30) == 30
    assert (blank or "anonymous") == "anonymous"
    assert (empty and side_effect()) is empty  # the left operand itself, not False
    assert (left or side_effect()) is left
    assert calls == []  # neither right-hand side was evaluated


def test_len_decides_when_there_is_no_bool() -> None:
    assert not Batch()
    assert Batch(["job"])


def test_bool_wins_over_len_and_len_is_not_called() -> None:
    obj = BoolAndLen()
    assert bool(obj) is True
    assert obj.len_calls == 0
    assert len(obj) == 0
    assert obj.len_calls == 1


def test_an_object_with_neither_method_is_truthy() -> None:
    assert bool(NoTruthMethods()) is True


def test_bool_must_return_a_bool() -> None:
    class CountsAsBool:
        def __bool__(self) -> bool:
            return 1  # type: ignore[return-value]

    with pytest.raises(TypeError, match="__bool__ should return bool"):
        bool(CountsAsBool())


def test_len_must_not_be_negative() -> None:
    class NegativeLen:
        def __len__(self) -> int:
            return -1

    with pytest.raises(ValueError, match=">= 0"):
        bool(NegativeLen())


def test_an_empty_error_collection_is_falsy_but_not_none() -> None:
    errors = validate(VALID)
    assert isinstance(errors, ValidationErrors)
    assert errors is not None
    assert not errors
    assert validate({"id": 1}).problems == ("missing field 'email'",)


def test_is_not_none_on_a_never_none_result_rejects_valid_input() -> None:
    assert rejects_unless_none(VALID) is True  # Go's typed-nil: "err != nil" on an empty error
    assert rejects_unless_none({}) is True


def test_truthiness_check_accepts_valid_input_and_rejects_invalid() -> None:
    assert rejects(VALID) is False
    assert rejects({"id": 1}) is True
    assert rejects({}) is True


def test_midnight_is_truthy_since_python_3_5() -> None:
    assert bool(datetime.time(0, 0)) is True
