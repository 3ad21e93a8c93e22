"""Tests for basics.mutable_defaults: the shared default, the None and sentinel fixes, memos."""

from __future__ import annotations

import copy
import dataclasses
import enum
import inspect
import pickle

import pytest

from handbook.basics import mutable_defaults
from handbook.basics.mutable_defaults import (
    append_to_shared_default,
    append_with_none_sentinel,
    append_with_truthiness_check,
    fib_cached,
    fib_default_memo,
    setting,
    setting_none_means_missing,
)


class Missing(enum.Enum):
    """A one-member Enum sentinel: copies and pickles resolve to the same member."""

    MISSING = enum.auto()


def test_the_shared_default_accumulates_across_calls() -> None:
    defaults = append_to_shared_default.__defaults__
    assert defaults is not None
    shared = defaults[0]
    shared.clear()  # other runs (the doctest) may have filled it
    first = append_to_shared_default(1)
    second = append_to_shared_default(2)
    assert first is second is shared  # one list, stored on the function
    assert second == [1, 2]


def test_passing_a_list_bypasses_the_shared_default() -> None:
    mine: list[int] = []
    assert append_to_shared_default(7, mine) is mine
    assert mine == [7]


def test_fix_gives_each_call_a_fresh_list() -> None:
    first = append_with_none_sentinel(1)
    second = append_with_none_sentinel(2)
    assert first == [1]
    assert second == [2]
    assert first is not second
    assert append_with_none_sentinel.__defaults__ == (None,)


def test_fix_appends_to_a_caller_supplied_empty_list() -> None:
    mine: list[int] = []
    result = append_with_none_sentinel(3, mine)
    assert result is mine
    assert mine == [3]


def test_a_truthiness_check_replaces_a_caller_supplied_empty_list() -> None:
    mine: list[int] = []
    result = append_with_truthiness_check(3, mine)
    assert result == [3]
    assert result is not mine
    assert mine == []  # the caller's list was never filled
    assert append_with_truthiness_check(1) == [1]  # omitting it still works, which hides the bug


def test_default_expressions_run_once_at_def_time() -> None:
    made: list[list[int]] = []

    def fresh() -> list[int]:
        made.append([])
        return made[-1]

    def collect(x: int, acc: list[int] = fresh(), *, seen: list[int] = fresh()) -> list[int]:  # noqa: B008
        acc.append(x)
        seen.append(x)
        return acc

    assert len(made) == 2  # both evaluated by the def statement, before any call
    collect(1)
    collect(2)
    assert len(made) == 2  # and never again
    assert collect.__defaults__ == ([1, 2],)
    assert collect.__kwdefaults__ == {"seen": [1, 2]}  # keyword-only defaults share too


def test_none_as_missing_cannot_honour_an_explicit_none_default() -> None:
    with pytest.raises(KeyError):
        setting_none_means_missing({}, "proxy", None)
    assert setting_none_means_missing({"proxy": None}, "proxy") is None


def test_none_is_a_valid_explicit_default_with_a_private_sentinel() -> None:
    assert setting({}, "proxy", None) is None
    assert setting({}, "proxy", "direct") == "direct"
    assert setting({"proxy": None}, "proxy", "direct") is None
    with pytest.raises(KeyError, match="proxy"):
        setting({}, "proxy")


def test_the_sentinel_reads_well_in_the_signature() -> None:
    signature = inspect.signature(setting)
    assert repr(signature.parameters["default"].default) == "<missing>"
    assert "= <missing>" in str(signature)


def test_a_default_memo_persists_in_the_function_defaults() -> None:
    defaults = fib_default_memo.__defaults__
    assert defaults is not None
    memo = defaults[0]
    assert fib_default_memo(40) == 102_334_155
    assert memo[40] == 102_334_155  # the cache is the default dict itself
    assert all(k in memo for k in range(41))


def test_a_caller_can_replace_the_default_memo_by_passing_an_argument() -> None:
    # The hidden cache is part of the signature: a stray argument replaces it for that
    # call and can return garbage (the recursive calls still use the default).
    assert fib_default_memo(10, {10: -1}) == -1
    assert fib_default_memo(10) == 55


def test_functools_cache_memoises_visibly_and_can_be_cleared() -> None:
    fib_cached.cache_clear()
    assert fib_cached(40) == 102_334_155
    info = fib_cached.cache_info()
    assert info.misses == 41  # each of fib(0)..fib(40) computed exactly once
    assert info.currsize == 41
    assert fib_cached(40) == 102_334_155
    assert fib_cached.cache_info().hits == info.hits + 1
    fib_cached.cache_clear()
    assert fib_cached.cache_info().currsize == 0


def test_a_dataclass_rejects_an_unhashable_default_when_the_class_is_created() -> None:
    with pytest.raises(ValueError, match=r"mutable default <class 'list'> for field x"):

        @dataclasses.dataclass
        class WithList:
            x: list[int] = []  # noqa: RUF008 - the rejected default is the point

    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

    with pytest.raises(ValueError, match="use default_factory"):  # 3.11+: any unhashable

        @dataclasses.dataclass
        class WithCustom:
            x: Unhashable = Unhashable()  # noqa: RUF009 - the rejected default is the point

    @dataclasses.dataclass
    class Fixed:
        x: list[int] = dataclasses.field(default_factory=list)

    assert Fixed().x is not Fixed().x


def test_a_mutable_class_attribute_is_shared_by_every_instance() -> None:
    class Basket:
        items: list[int] = []  # noqa: RUF012 - the shared list is the point

    first, second = Basket(), Basket()
    first.items.append(1)
    assert second.items == [1]
    assert first.items is second.items is Basket.items


def test_an_object_sentinel_does_not_survive_a_copy_but_an_enum_member_does() -> None:
    sentinel = mutable_defaults._MISSING
    assert copy.deepcopy(sentinel) is not sentinel
    assert pickle.loads(pickle.dumps(sentinel)) is not sentinel

    assert copy.deepcopy(Missing.MISSING) is Missing.MISSING
    assert pickle.loads(pickle.dumps(Missing.MISSING)) is Missing.MISSING
