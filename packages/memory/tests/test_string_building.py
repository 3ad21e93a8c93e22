"""Tests for memory.string_building: copies counted, CPython's fragile in-place += shown."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable

import pytest

from handbook.memory.string_building import (
    build_bytearray,
    build_bytes_plus,
    build_join,
    build_plus,
    build_stringio,
    bytearray_capacities,
    bytes_copied_by_plus,
    in_place_steps,
    steps_kept,
)

cpython_only = pytest.mark.skipif(
    sys.implementation.name != "cpython", reason="the in-place str path is a CPython detail"
)

N = 300
ONE_CHAR = ["x"] * N  # 1-char steps: many fit in the same pymalloc block, so realloc stays put


class Sub(str):
    """A str subclass: not an exact str, so CPython will not append to it in place."""


def test_all_builders_give_the_same_text() -> None:
    parts = [f"{i}," for i in range(50)]
    expected = "".join(parts)
    assert build_plus(parts) == build_join(parts) == build_stringio(parts) == expected
    chunks = [p.encode() for p in parts]
    assert build_bytes_plus(chunks) == build_bytearray(chunks) == expected.encode()


def test_bytes_plus_makes_a_new_object_and_copies_everything_every_step() -> None:
    n, k = 400, 16
    new_objects, copied = bytes_copied_by_plus([b"y" * k] * n)
    # No in-place path for bytes: every step is a new object holding all bytes so far.
    assert new_objects == n
    assert copied == k * n * (n + 1) // 2  # k + 2k + ... + nk: quadratic


def test_bytes_copied_grow_with_the_square_of_the_chunk_count() -> None:
    _, small = bytes_copied_by_plus([b"z" * 8] * 200)
    _, large = bytes_copied_by_plus([b"z" * 8] * 400)
    # Twice the chunks, about four times the copying (exactly (400*401)/(200*201)).
    assert 3.9 < large / small < 4.1


@cpython_only
def test_bytearray_plus_reallocates_only_a_few_dozen_times() -> None:
    sizes = bytearray_capacities([b"abcd"] * 10_000)
    distinct = len(set(sizes))
    # bytearray over-allocates by about 1/8, so capacities grow geometrically:
    # about log(40_000) / log(1.125) ~ 90 at most, far fewer than 10,000 appends.
    assert distinct < 100
    assert all(a <= b for a, b in itertools.pairwise(sizes))


@cpython_only
def test_cpython_resizes_a_sole_reference_str_in_place() -> None:
    same = in_place_steps(ONE_CHAR)
    # The first few steps run before the specializer kicks in, and some steps
    # cross an allocator size class and move; most keep the same object.
    assert same > N // 2


@cpython_only
def test_another_reference_forces_a_new_string_every_step() -> None:
    assert in_place_steps(ONE_CHAR, keep_alias=True) == 0


@cpython_only
def test_a_hashed_string_is_never_resized_in_place() -> None:
    # unicode_modifiable() refuses a string whose hash is cached.
    assert in_place_steps(ONE_CHAR, hashed=True) == 0


@cpython_only
def test_an_interned_string_is_never_resized_in_place() -> None:
    # unicode_modifiable() refuses interned strings (sys.intern also caches
    # the hash, which is refused too: the two causes are not separable here).
    assert not any(steps_kept(ONE_CHAR, interned=True))
    assert sum(steps_kept(ONE_CHAR)) > N // 2  # the same loop without intern: mostly in place


@cpython_only
def test_a_wider_character_makes_a_new_string_for_that_step() -> None:
    # ASCII, then Latin-1, then 2-byte, then 4-byte storage: each widening
    # step must copy into a new string; the totals barely move (one step in
    # a few hundred), so the test looks at the steps themselves.
    run = 100
    widen = ["\xe9", "\u20ac", "\U0001f600"]  # Latin-1, BMP, astral
    parts = ["x"] * run
    for wide in widen:
        parts += [wide] + ["x"] * run
    kept = steps_kept(parts)
    for i in range(len(widen)):
        step = run + i * (run + 1)
        assert parts[step] == widen[i]
        assert not kept[step], f"appending {widen[i]!r} kept the string"
        # Narrower parts go in place again on the wider string.
        assert sum(kept[step + 1 : step + 1 + run]) > run // 2


@cpython_only
def test_a_str_subclass_operand_forces_a_new_string_every_step() -> None:
    assert in_place_steps([Sub("x")] * N) == 0


@cpython_only
def test_the_in_place_path_is_not_taken_at_module_level() -> None:
    # Module-level names are stored with STORE_NAME, which the specializer
    # does not pair with the in-place add (3.11-3.13).
    src = (
        "s = ''\nsame = 0\n"
        f"for _ in range({N}):\n"
        "    before = id(s)\n    s += 'x'\n    same += id(s) == before\n"
    )
    namespace: dict[str, object] = {}
    exec(compile(src, "<module>", "exec"), namespace)
    assert namespace["same"] == 0


class _Builder:
    def __init__(self) -> None:
        self.s = ""

    def kept_ids(self, parts: list[str]) -> int:
        same = 0
        for part in parts:
            before = id(self.s)
            self.s += part  # stored with STORE_ATTR: no in-place add
            same += id(self.s) == before
        return same


@cpython_only
def test_an_attribute_never_gets_the_in_place_path() -> None:
    b = _Builder()
    assert b.kept_ids(ONE_CHAR) == 0
    assert b.s == "x" * N


def _compiled(src: str, name: str) -> Callable[[int], int]:
    namespace: dict[str, Callable[[int], int]] = {}
    exec(compile(src, "<lesson>", "exec"), namespace)
    return namespace[name]


@cpython_only
def test_plain_s_equals_s_plus_t_also_takes_the_in_place_path() -> None:
    plus = _compiled(
        "def plus(n):\n"
        "    s, same = '', 0\n"
        "    for _ in range(n):\n"
        "        before = id(s)\n"
        "        s = s + 'x'\n"
        "        same += id(s) == before\n"
        "    return same\n",
        "plus",
    )
    assert plus(N) > N // 2


@cpython_only
def test_the_in_place_path_depends_on_the_next_instruction() -> None:
    # Built from source so a formatter cannot split the one-line statement pair.
    src = (
        "def plus_then_same_line_load(n):\n"
        "    s, same = '', 0\n"
        "    for _ in range(n):\n"
        "        before = id(s)\n"
        "        s = s + 'x'; same += id(s) == before\n"
        "    return same\n"
    )
    plus_then_same_line_load = _compiled(src, "plus_then_same_line_load")

    same = plus_then_same_line_load(N)
    if sys.version_info >= (3, 13):
        # 3.13 fuses "store s; load same" into STORE_FAST_LOAD_FAST, so the
        # specializer no longer sees a plain STORE_FAST after the add.
        assert same == 0
    else:
        assert same > N // 2
