"""Tests for basics.identity: ``is`` on equal values depends on how they were made; ``==`` never."""

from __future__ import annotations

import array
import gc
import math
import platform
import sys
import warnings

import pytest

from handbook.basics.identity import (
    ADMIN,
    DEFAULT_PORT,
    AlwaysEqual,
    built_at_run_time,
    cached_or_load,
    cached_or_load_none_as_missing,
    compiled_together,
    has_role,
    has_role_by_identity,
    is_default_port,
    is_default_port_by_identity,
    is_missing,
    is_missing_by_equality,
)

cpython_only = pytest.mark.skipif(
    platform.python_implementation() != "CPython", reason="CPython implementation detail"
)


@cpython_only
def test_is_on_ints_fails_for_an_int_parsed_at_run_time() -> None:
    parsed = int("8080")
    assert parsed == DEFAULT_PORT
    assert is_default_port_by_identity(DEFAULT_PORT) is True  # why it "works" in a quick test
    assert is_default_port_by_identity(parsed) is False


def test_equality_on_ints_works_however_the_int_was_made() -> None:
    assert is_default_port(int("8080")) is True
    assert is_default_port(8000 + int("80")) is True
    assert is_default_port(8081) is False


@cpython_only
def test_is_on_strings_fails_for_a_string_built_at_run_time() -> None:
    built = "ADMIN".lower()
    assert built == ADMIN
    assert has_role_by_identity(built) is False
    assert has_role_by_identity("".join(["ad", "min"])) is False


def test_equality_on_strings_works_however_the_string_was_made() -> None:
    assert has_role("ADMIN".lower()) is True
    assert has_role("".join(["ad", "min"])) is True
    assert has_role("root") is False


@cpython_only
def test_identifier_like_literals_are_interned_even_across_compilations() -> None:
    # Each compile() is a separate compilation, like two REPL lines.
    a = eval(compile("'hello_world'", "<a>", "eval"))
    b = eval(compile("'hello_world'", "<b>", "eval"))
    assert a is b
    c = eval(compile("'hello world'", "<a>", "eval"))  # a space: not identifier-like
    d = eval(compile("'hello world'", "<b>", "eval"))
    assert c == d
    assert c is not d


@cpython_only
def test_sys_intern_makes_equal_strings_one_object() -> None:
    literal = "hello_world"  # interned by the compiler
    built = "".join(["hello_", "world"])
    assert built == literal
    assert built is not literal
    assert sys.intern(built) is literal


def test_eq_none_is_fooled_by_an_object_that_equals_everything() -> None:
    liar = AlwaysEqual()
    assert is_missing_by_equality(liar) is True
    assert is_missing_by_equality(None) is True


def test_is_none_cannot_be_fooled() -> None:
    assert is_missing(AlwaysEqual()) is False
    assert is_missing(None) is True
    assert is_missing(0) is False


@cpython_only
def test_small_int_cache_covers_minus_5_to_256() -> None:
    for n in (-5, 0, 100, 256):
        a, b = built_at_run_time(n)
        assert a is b, n
    for n in (-6, 257, 1000, 10**20):
        a, b = built_at_run_time(n)
        assert a == b
        assert a is not b, n


@cpython_only
def test_literals_compiled_together_share_one_constant() -> None:
    a, b = compiled_together()
    assert a is b
    namespace: dict[str, object] = {}
    exec(compile("a = 1000\nb = 1000\nc = 10 ** 3", "<module>", "exec"), namespace)
    assert namespace["a"] is namespace["b"] is namespace["c"]  # c was folded at compile time


@cpython_only
def test_the_same_literal_in_separate_compilations_is_two_objects() -> None:
    a = eval(compile("1000", "<line 1>", "eval"))
    b = eval(compile("1000", "<line 2>", "eval"))
    assert a == b
    assert a is not b


def test_is_with_a_literal_is_a_syntax_warning() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        compile("x is 1000", "<check>", "eval")
        compile("x is None", "<check>", "eval")
    assert [type(w.message) for w in caught] == [SyntaxWarning]
    assert '"is" with' in str(caught[0].message)  # the wording changed in 3.12


def test_built_in_containers_compare_identity_before_equality() -> None:
    nan = math.nan
    assert nan != nan  # NaN is not equal to itself
    assert nan in [nan]
    assert nan in (nan,)
    assert nan in {nan}
    assert nan in {"k": nan}.values()
    assert [nan] == [nan]
    assert {"k": nan} == {"k": nan}
    assert float("nan") not in [float("nan")]  # two NaN objects: identity fails, then ==


def test_an_array_makes_a_new_float_per_read_so_identity_cannot_help() -> None:
    nan = math.nan
    doubles = array.array("d", [nan])
    assert doubles[0] is not doubles[0]  # each read boxes the raw double again
    assert nan not in doubles


def test_none_as_missing_reloads_a_cached_none_every_time() -> None:
    loads: list[str] = []

    def load(key: str) -> object:
        loads.append(key)
        return None  # the user has no avatar: a real answer, worth caching

    cache: dict[str, object] = {}
    for _ in range(3):
        assert cached_or_load_none_as_missing(cache, "ann", load) is None
    assert cache == {"ann": None}
    assert loads == ["ann", "ann", "ann"]  # the cached None looked like a miss


def test_a_sentinel_tells_a_miss_from_a_cached_none() -> None:
    loads: list[str] = []

    def load(key: str) -> object:
        loads.append(key)
        return None if key == "ann" else f"{key}.png"

    cache: dict[str, object] = {}
    for _ in range(3):
        assert cached_or_load(cache, "ann", load) is None
        assert cached_or_load(cache, "bob", load) == "bob.png"
    assert cache == {"ann": None, "bob": "bob.png"}
    assert loads == ["ann", "bob"]  # one load per key, a cached None included


def test_eq_true_accepts_1_and_is_true_rejects_other_truthy_values() -> None:
    one, yes = int("1"), True
    assert one == yes  # bool is a subclass of int: True == 1
    assert one is not yes
    assert isinstance(yes, int)
    truthy: object = [0]
    assert truthy  # truthy, though neither "== True" nor "is True"
    assert truthy != True  # noqa: E712 (the comparison under test)
    assert truthy is not True


def test_eq_tries_the_reflected_operand_then_falls_back_to_identity() -> None:
    calls: list[str] = []

    class Declines:
        def __eq__(self, other: object) -> bool:
            calls.append(type(self).__name__)
            return NotImplemented

        __hash__ = object.__hash__

    class Left(Declines):
        pass

    class Right(Declines):
        pass

    left, right = Left(), Right()
    assert (left == right) is False  # both declined: identity, and they differ
    assert calls == ["Left", "Right"]  # left operand first, then the reflected one
    calls.clear()
    assert (left == left) is True  # both declined: identity, and it is the same object
    calls.clear()

    class SubOfLeft(Left):
        def __eq__(self, other: object) -> bool:
            calls.append("SubOfLeft")
            return NotImplemented

        __hash__ = object.__hash__

    assert (left == SubOfLeft()) is False
    assert calls == ["SubOfLeft", "Left"]  # an overriding subclass on the right goes first


def test_default_eq_is_identity() -> None:
    class Plain:
        pass

    a, b = Plain(), Plain()
    assert a == a
    assert a != b


@cpython_only
def test_none_and_small_ints_are_immortal_from_3_12() -> None:
    gc.disable()  # no collection may drop references between the two counts
    try:
        singletons = (None, True, False, 7)
        before = [sys.getrefcount(obj) for obj in singletons]
        refs = list(singletons) * 100
        after = [sys.getrefcount(obj) for obj in singletons]
    finally:
        gc.enable()
    assert len(refs) == 400
    if sys.version_info >= (3, 12):
        assert after == before  # immortal: the count is pinned
    else:
        assert after == [count + 100 for count in before]
