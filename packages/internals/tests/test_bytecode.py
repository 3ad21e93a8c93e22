"""Tests for internals.bytecode: the shape of +=, constant folding, dead code, fast locals."""

from __future__ import annotations

import dis
import itertools
import sys

import pytest

from handbook.internals.bytecode import (
    MAX_INT_BITS,
    attribute_increment,
    contains_literal,
    dead_branch,
    families,
    family,
    folded_seconds,
    folding_allowed,
    is_folded,
    local_increment,
    opnames,
    unfolded_big_string,
    unfolded_small_power,
)


def _is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(item in it for item in needle)


def test_augmented_assignment_on_a_local_is_load_op_store() -> None:
    fams = families(local_increment)
    assert _is_subsequence(["load", "const", "op", "store"], fams)
    assert fams.count("op") == 1


def test_since_3_11_the_addition_is_one_binary_op_not_inplace_add() -> None:
    names = opnames(local_increment)
    # 3.11 merged INPLACE_ADD & co. into BINARY_OP (the + is its argument); 3.10 had INPLACE_ADD.
    assert any(n.startswith("BINARY_OP") for n in names)
    assert not any(n.startswith("INPLACE_") for n in names)


def test_augmented_assignment_on_an_attribute_is_load_attr_op_store_attr() -> None:
    fams = families(attribute_increment)
    assert _is_subsequence(["load_attr", "const", "op", "store_attr"], fams)


def test_a_constant_expression_is_folded_into_co_consts() -> None:
    assert 7200 in folded_seconds.__code__.co_consts
    assert 3600 not in folded_seconds.__code__.co_consts
    assert "op" not in families(folded_seconds)


def test_a_result_too_large_to_fold_stays_a_run_time_operation() -> None:
    assert "op" in families(unfolded_big_string)
    consts = unfolded_big_string.__code__.co_consts
    assert not any(isinstance(c, str) and len(c) == 5000 for c in consts)
    assert len(unfolded_big_string()) == 5000


def test_a_small_power_is_not_folded_because_the_rule_reads_the_operands() -> None:
    assert unfolded_small_power().bit_length() == 66  # far below MAX_INT_BITS
    assert unfolded_small_power().bit_length() < MAX_INT_BITS
    assert "op" in families(unfolded_small_power)
    assert 2**65 not in unfolded_small_power.__code__.co_consts


@pytest.mark.parametrize(
    ("at_limit", "past_limit"),
    [
        ("2 ** 64", "2 ** 65"),  # bit_length(2) = 2 <= 128 // 64, but 2 > 128 // 65
        ("4 ** 42", "4 ** 43"),
        ("(2**64) * (2**62)", "(2**64) * (2**63)"),  # 65 + 63 bits vs 65 + 64 bits
        ("1 << 127", "1 << 128"),
        ("'a' * 4096", "'a' * 4097"),
        ("'ab' * 2048", "'ab' * 2049"),
        ("b'a' * 4096", "b'a' * 4097"),
        ("(1,) * 256", "(1,) * 257"),
    ],
)
def test_folding_stops_exactly_at_the_ast_optimiser_limits(at_limit: str, past_limit: str) -> None:
    assert is_folded(at_limit)
    assert not is_folded(past_limit)


def test_the_guard_ignores_the_size_of_the_result() -> None:
    big = "123456789012345678901234567890123456789012345678901234567890"  # ~197 bits
    assert is_folded(f"{big} + 1")  # addition is never guarded
    assert not is_folded(f"{big} * 1")  # the product would be no bigger, still not folded
    assert not is_folded("(2**64) * (2**63)")  # a 128-bit product, not folded
    assert is_folded("1 << 127")  # a 128-bit result, folded
    assert is_folded("'a' * 4096 + 'a' * 4096")  # an 8192-character constant


_INTS = [0, 1, 2, 3, -3, 255, 2**63, -(2**63), 2**64 - 1, 2**64, 2**127, 2**128, 2**200]
_SMALL = [-2, -1, 0, 1, 2, 3, 42, 43, 63, 64, 65, 126, 127, 128, 129]


def test_folding_allowed_matches_the_compiler_for_ints() -> None:
    checked = 0
    for op, left, right in itertools.product(["*", "**", "<<"], _INTS, _INTS + _SMALL):
        if op != "*" and right not in _SMALL:
            continue  # a huge exponent or shift would take forever to evaluate
        source = f"({left}) {op} ({right})"
        try:
            eval(source)  # our own literals: does it raise?
        except (ArithmeticError, ValueError):
            continue  # never folded: the error is left for run time
        assert is_folded(source) == folding_allowed(left, op, right), source
        checked += 1
    assert checked > 300


def test_folding_allowed_matches_the_compiler_for_repeated_sequences() -> None:
    for seq in ["", "a", "abc", b"ab", (1,), (1, 2, 3)]:
        for n in [-1, 0, 1, 85, 86, 128, 129, 1365, 1366, 2048, 2049, 4096, 4097]:
            for source in (f"{seq!r} * {n}", f"{n} * {seq!r}"):
                assert is_folded(source) == folding_allowed(seq, "*", n), source


def test_folding_allowed_rejects_what_it_does_not_model() -> None:
    with pytest.raises(ValueError, match="guarded"):
        folding_allowed(1, "+", 2)
    with pytest.raises(TypeError):
        folding_allowed(2.0, "**", 3)
    with pytest.raises(TypeError):
        folding_allowed(((1,),), "*", 2)


def test_a_membership_test_against_a_list_literal_uses_a_constant_tuple() -> None:
    assert (1, 2, 3) in contains_literal.__code__.co_consts
    assert not any(n.startswith("BUILD_LIST") for n in opnames(contains_literal))


def test_an_if_zero_body_emits_no_instructions() -> None:
    arguments = [i.argval for i in dis.get_instructions(dead_branch)]
    assert "undefined_name" not in arguments
    assert not any(n.startswith(("LOAD_GLOBAL", "CALL")) for n in opnames(dead_branch))
    assert dead_branch(5) == 5
    # The name is still recorded, though nothing loads it (3.11-3.13).
    assert "undefined_name" in dead_branch.__code__.co_names


def test_the_docstring_is_the_first_constant_on_3_11_to_3_13() -> None:
    assert folded_seconds.__code__.co_consts[0] == folded_seconds.__doc__


def test_locals_are_fast_slots_and_globals_are_global_lookups() -> None:
    assert all(family(n) == "load" for n in ("LOAD_FAST", "LOAD_FAST_LOAD_FAST", "LOAD_GLOBAL"))
    assert any(n.startswith("LOAD_FAST") for n in opnames(local_increment))

    def uses_global() -> object:
        return sys

    assert any(n.startswith("LOAD_GLOBAL") for n in opnames(uses_global))


def test_family_maps_old_and_new_names_alike() -> None:
    assert family("INPLACE_ADD") == family("BINARY_OP") == "op"
    assert family("STORE_FAST_STORE_FAST") == "store"
    assert family("LOAD_SMALL_INT") == family("LOAD_CONST") == "const"
    assert family("RETURN_VALUE") == "other"
