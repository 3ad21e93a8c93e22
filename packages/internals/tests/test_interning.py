"""Tests for internals.interning: small ints, interned names, sys.intern, ``is`` on strings."""

from __future__ import annotations

import json
import sys
import warnings

import pytest

from handbook.internals.interning import (
    SMALL_INTS,
    distinct_objects,
    find,
    find_by_identity,
    is_cached_int,
    literals_not_singletons,
    parse_rows,
    runtime_copy,
    traced_bytes,
)

STATUSES = ["200", "404", "500", "GET"]
LINES = [",".join(STATUSES) for _ in range(5_000)]  # 20 000 fields, 4 distinct values


def _fresh(tag: str) -> str:
    """A string built at run time that equals no literal in this file."""
    return "".join(["name_", tag, "_zq"])


def test_probing_finds_the_small_int_cache_is_minus_5_to_256() -> None:
    cached = [n for n in range(-300, 1000) if is_cached_int(n)]
    assert cached == list(SMALL_INTS)
    assert (cached[0], cached[-1]) == (-5, 256)


def test_arithmetic_landing_in_the_cache_returns_the_cached_int() -> None:
    a, b = int("200"), int("56")
    assert (a + b) is int("256")
    assert (a + b + 1) is not int("257")


def test_a_string_built_at_run_time_is_equal_but_not_identical() -> None:
    literal = "status_ok"
    built = runtime_copy(literal)
    assert built == literal
    assert built is not literal
    assert sys.intern(built) is literal  # the literal is already the interned one


def test_a_join_of_several_pieces_is_new_but_a_join_of_one_str_is_not() -> None:
    word = runtime_copy("status_ok")
    assert "".join([word]) is word  # one exact str: returned as it is
    assert "".join(["status", "_ok"]) is not "".join(["status", "_ok"])
    assert word.lower() is not word  # a new object even when nothing changes


def test_equal_constants_in_one_code_object_are_stored_once() -> None:
    namespace: dict[str, object] = {}
    exec(compile("x = 'a b'\ny = 'a b'", "<one>", "exec"), namespace)
    assert namespace["x"] is namespace["y"]  # not interned, just one constant


def test_a_constant_subscript_is_folded_and_is_against_it_warns() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = compile("y = 'xb'[1] is x", "<fold>", "exec")
    assert "b" in code.co_consts
    assert "xb" not in code.co_consts
    assert [w.category for w in caught] == [SyntaxWarning]


def test_empty_and_one_character_latin1_strings_are_cached_singletons() -> None:
    empty, two = "", "ab"
    assert runtime_copy(empty) is empty
    assert all(runtime_copy(chr(c)) is chr(c) for c in range(256))
    assert all("".join(["x", chr(c)])[1] is chr(c) for c in range(256))  # indexing too
    assert runtime_copy(two) is not two
    assert chr(300) is not chr(300)  # beyond Latin-1: a new object each time


def test_a_one_character_literal_is_the_interned_string_for_its_character() -> None:
    odd = literals_not_singletons()
    for code in range(256):
        literal = compile(ascii(chr(code)), "<literal>", "eval").co_consts[0]
        assert literal is sys.intern(chr(code)), code
    assert odd == "".join(chr(c) for c in range(256) if sys.intern(chr(c)) is not chr(c))
    assert "é" not in odd
    if sys.version_info >= (3, 13):
        assert odd == ""  # interning maps a one-character Latin-1 string to its singleton
    else:
        # A static copy of these was interned at start-up, before the singleton.
        assert "b" in odd
        assert odd.isascii()
    if sys.version_info[:2] == (3, 12):
        assert set(odd) == set("_abcdenprsx")  # the one-letter _Py_ID() names


def test_identity_search_passes_with_one_char_keys_and_fails_with_longer_ones() -> None:
    assert find_by_identity([chr(97), chr(98)], chr(98)) == 1  # false confidence
    assert find_by_identity(["ab", "cd"], runtime_copy("cd")) == -1  # the bug


def test_equality_search_finds_strings_built_at_run_time() -> None:
    assert find(["ab", "cd"], runtime_copy("cd")) == 1
    assert find(["ab", "cd"], runtime_copy("ef")) == -1


def test_identifier_like_constants_are_interned_across_compilations() -> None:
    first = compile("x = 'user_id'", "<a>", "exec").co_consts[0]
    second = compile("y = 'user_id'", "<b>", "exec").co_consts[0]
    assert first is second


def test_non_identifier_constants_are_not_interned_across_compilations() -> None:
    first = compile("x = 'user id'", "<a>", "exec").co_consts[0]
    second = compile("y = 'user id'", "<b>", "exec").co_consts[0]
    assert first == second
    assert first is not second
    accented = compile("x = 'héllo'", "<a>", "exec").co_consts[0]
    assert accented is not compile("y = 'héllo'", "<b>", "exec").co_consts[0]  # ASCII only


def test_attribute_names_in_code_are_interned_at_compile_time() -> None:
    code = compile("record.name_code_zq", "<a>", "exec")
    assert code.co_names == ("record", _fresh("code"))
    assert sys.intern(_fresh("code")) is code.co_names[1]


def test_setattr_interns_the_attribute_name_but_a_dict_key_is_not() -> None:
    class Record:
        pass

    record = Record()
    setattr(record, runtime_copy("field_q7"), 1)
    (attr_key,) = vars(record)
    assert attr_key is sys.intern(runtime_copy("field_q7"))

    plain: dict[str, int] = {runtime_copy("key_q7"): 1}
    (dict_key,) = plain
    assert dict_key is not sys.intern(runtime_copy("key_q7"))


def test_getattr_and_hasattr_do_not_intern_their_name_but_setattr_does() -> None:
    class Record:
        pass

    record = Record()
    looked_up, probed, stored = _fresh("get"), _fresh("has"), _fresh("set")
    assert getattr(record, looked_up, None) is None
    assert not hasattr(record, probed)
    setattr(record, stored, 1)
    # The first of equal strings to be interned becomes the canonical one.
    assert sys.intern(_fresh("get")) is not looked_up
    assert sys.intern(_fresh("has")) is not probed
    assert sys.intern(_fresh("set")) is stored


@pytest.mark.skipif(sys.version_info < (3, 13), reason="sys._is_interned is new in 3.13")
def test_getattr_leaves_the_name_uninterned_on_313() -> None:
    class Record:
        pass

    record = Record()
    name = _fresh("get313")
    is_interned = sys._is_interned  # type: ignore[attr-defined,unused-ignore]
    getattr(record, name, None)
    hasattr(record, name)
    assert not is_interned(name)
    setattr(record, name, 1)
    assert is_interned(name)


EQ_CALLS: list[str] = []


class CountingStr(str):
    """A str whose ``==`` is counted; the hash is str's."""

    def __eq__(self, other: object) -> bool:
        EQ_CALLS.append(str(self))
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_a_dict_lookup_compares_pointers_then_hashes_before_calling_eq() -> None:
    stored = CountingStr("status_key")
    table = {stored: 1}  # one key: an 8-slot index table
    EQ_CALLS.clear()
    assert table[stored] == 1
    assert EQ_CALLS == []  # same object: the pointer check answers
    copy = CountingStr(runtime_copy("status_key"))
    assert copy is not stored
    assert table[copy] == 1
    assert len(EQ_CALLS) == 1  # equal copy: same hash, then one ==
    # An absent key whose hash starts in the same slot but differs: no == at all.
    neighbour = next(
        CountingStr(f"k{i}")
        for i in range(1000)
        if hash(f"k{i}") % 8 == hash(stored) % 8 and hash(f"k{i}") != hash(stored)
    )
    EQ_CALLS.clear()
    assert neighbour not in table
    assert EQ_CALLS == []


def test_json_shares_repeated_keys_within_one_document_only() -> None:
    first, second = json.loads('[{"field_k9": 1}, {"field_k9": 2}]')
    (other,) = json.loads('[{"field_k9": 3}]')
    (key1,), (key2,), (key3,) = first, second, other
    assert key1 is key2
    assert key3 == key1
    assert key3 is not key1


def test_interned_fields_share_one_object_per_distinct_value() -> None:
    assert distinct_objects(parse_rows(LINES, intern=True)) == len(STATUSES)
    assert distinct_objects(parse_rows(LINES, intern=False)) == len(LINES) * len(STATUSES)


def test_interning_saves_exactly_the_plain_rows_string_bytes() -> None:
    plain = traced_bytes(lambda: parse_rows(LINES, intern=False))
    interned = traced_bytes(lambda: parse_rows(LINES, intern=True))
    plain_strings = sum(sys.getsizeof(f) for row in parse_rows(LINES, intern=False) for f in row)
    # Both results hold the same right-sized lists; only the plain one owns
    # 20 000 str objects (the interned one points at the 4 STATUSES literals).
    # tracemalloc counts requested bytes, as getsizeof reports them; the 1%
    # covers unrelated allocations made during the measurement.
    assert abs((plain - interned) - plain_strings) < plain_strings // 100
    # A row's list (88 bytes, plus 8 in the outer list) weighs less than its
    # four strings (at least 4 * 44), so interning at least halves the total.
    assert interned * 2 < plain


def test_traced_bytes_refuses_to_nest() -> None:
    with pytest.raises(RuntimeError, match="already tracing"):
        traced_bytes(lambda: traced_bytes(list))


def test_sys_intern_rejects_str_subclasses() -> None:
    class Name(str):
        pass

    with pytest.raises(TypeError):
        sys.intern(Name("x"))


def test_interned_strings_are_immortal_on_312_before_3127_only() -> None:
    first = sys.intern(_fresh("mortal"))
    refcount = sys.getrefcount(first)
    del first
    again = _fresh("mortal")
    canonical = sys.intern(again)
    if (3, 12) <= sys.version_info < (3, 12, 7):  # gh-113993's backport is in 3.12.7
        assert refcount > 2**20  # immortal: a huge fixed refcount
        assert canonical is not again  # the first one is still the canonical one
    else:
        assert refcount < 100  # an ordinary count: a few references
        assert canonical is again  # the first one was freed and left the table


@pytest.mark.skipif(sys.version_info < (3, 13), reason="sys._is_interned is new in 3.13")
def test_sys_is_interned_reports_interning_from_313() -> None:
    built = runtime_copy("session_b72e")
    is_interned = sys._is_interned  # type: ignore[attr-defined,unused-ignore]
    assert not is_interned(built)
    assert is_interned(sys.intern(built))


def test_sys_is_interned_is_absent_before_313() -> None:
    assert hasattr(sys, "_is_interned") == (sys.version_info >= (3, 13))
