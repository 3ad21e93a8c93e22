"""Tests for internals.adaptive_interpreter: warm-up, type-driven forms, tracing interference."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from types import FunctionType

import pytest

from handbook.internals.adaptive_interpreter import (
    add,
    calls_until_specialised,
    fresh_copy,
    instrumented,
    loop_sum,
    specialised,
    tracing_active,
    warm_up,
)

pytestmark = pytest.mark.skipif(
    tracing_active(), reason="a tracer or sys.monitoring tool (coverage?) changes specialisation"
)


# Executions of an instruction before it specialises, in one call or across calls:
# 3.11 quickens after QUICKENING_WARMUP_DELAY = 8 warm-up events (calls and loop back
# edges) and specialises at the next execution; 3.12 and 3.13 start every adaptive
# counter at ADAPTIVE_WARMUP_VALUE = 1, so the second execution specialises.
WARM_UP = {(3, 11): 8, (3, 12): 2, (3, 13): 2}
known_warm_up = pytest.mark.skipif(
    sys.version_info[:2] not in WARM_UP, reason="warm-up constants read for 3.11-3.13 only"
)


@pytest.fixture
def cold_add() -> FunctionType:
    return fresh_copy(add)


@pytest.fixture
def cold_loop() -> FunctionType:
    return fresh_copy(loop_sum)


def test_a_cold_function_has_only_generic_instructions(cold_add: FunctionType) -> None:
    assert specialised(cold_add) == {}


def test_after_warm_up_the_addition_leaves_its_generic_form(cold_add: FunctionType) -> None:
    warm_up(cold_add, 1, 2)
    forms = specialised(cold_add)
    assert forms.get("BINARY_OP", "").startswith("BINARY_OP_")


def test_the_specialised_form_follows_the_operand_types(cold_add: FunctionType) -> None:
    warm_up(cold_add, 1, 2)
    for_ints = specialised(cold_add).get("BINARY_OP")
    assert for_ints is not None
    warm_up(cold_add, "a", "b")
    for_strs = specialised(cold_add).get("BINARY_OP")
    assert for_strs is not None
    assert for_strs != for_ints
    assert cold_add("x", "y") == "xy"  # semantics unchanged


def test_warm_up_takes_a_few_calls_not_one_thousand() -> None:
    calls = calls_until_specialised(add, 1, 2)
    assert 1 < calls < 100
    if sys.version_info[:2] in WARM_UP:
        assert calls == WARM_UP[sys.version_info[:2]]


def test_measuring_the_warm_up_uses_a_copy_and_leaves_the_function_cold(
    cold_add: FunctionType,
) -> None:
    first = calls_until_specialised(cold_add, 1, 2)
    assert specialised(cold_add) == {}  # the measurement did not warm the function itself
    assert calls_until_specialised(cold_add, 1, 2) == first


def test_a_warm_function_still_reports_its_full_warm_up(cold_add: FunctionType) -> None:
    warm_up(cold_add, 1, 2)
    assert "BINARY_OP" in specialised(cold_add)
    assert calls_until_specialised(cold_add, 1, 2) > 1


def test_a_hot_loop_specialises_during_its_first_call(cold_loop: FunctionType) -> None:
    assert specialised(cold_loop) == {}
    assert cold_loop(100) == 4950  # one call, 100 back edges
    forms = specialised(cold_loop)
    assert forms.get("BINARY_OP", "").startswith("BINARY_OP_")
    if sys.version_info[:2] in WARM_UP:
        assert forms["BINARY_OP"] == "BINARY_OP_ADD_INT"
    if sys.version_info >= (3, 12):
        assert forms.get("FOR_ITER") == "FOR_ITER_RANGE"
    else:
        assert "FOR_ITER" not in forms  # 3.11 has no FOR_ITER specialisations


@known_warm_up
def test_one_call_specialises_once_the_loop_runs_the_warm_up_count() -> None:
    needed = WARM_UP[sys.version_info[:2]]
    short, enough = fresh_copy(loop_sum), fresh_copy(loop_sum)
    short(needed - 1)
    enough(needed)
    assert "BINARY_OP" not in specialised(short)
    assert "BINARY_OP" in specialised(enough)


def test_functions_sharing_a_code_object_share_its_specialisation() -> None:
    def make_adder() -> Callable[[int, int], int]:
        def adder(a: int, b: int) -> int:
            return a + b

        return adder

    first, second = make_adder(), make_adder()
    assert first is not second
    assert first.__code__ is second.__code__
    assert isinstance(first, types.FunctionType)
    warm_up(first, 1, 2)
    assert "BINARY_OP" in specialised(second)  # never called, already specialised


def test_a_fresh_code_object_starts_cold() -> None:
    warm_up(add, 1, 2)
    assert "BINARY_OP" in specialised(add)
    assert specialised(fresh_copy(add)) == {}


def test_tracing_changes_what_the_interpreter_runs(cold_add: FunctionType) -> None:
    def tracer(*_: object) -> None:
        return None

    sys.settrace(tracer)
    try:
        warm_up(cold_add, 1, 2)
        if sys.version_info >= (3, 12):
            # sys.settrace is built on sys.monitoring: instrumented forms appear,
            # and the instructions left alone still specialise.
            assert instrumented(cold_add)
            assert "BINARY_OP" in specialised(cold_add)
        else:
            # 3.11: while a trace function is set nothing specialises.
            assert "BINARY_OP" not in specialised(cold_add)
    finally:
        sys.settrace(None)
