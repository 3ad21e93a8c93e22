"""Tests for basics.call_by_sharing: mutation reaches the caller, rebinding does not."""

from __future__ import annotations

import types
from collections.abc import Mapping

import pytest

from handbook.basics.call_by_sharing import (
    DEFAULTS,
    add_tag,
    bump_count,
    extend_tuple,
    received,
    received_packed,
    record,
    record_by_rebinding,
    reset_by_rebinding,
    reset_in_place,
    with_defaults,
    with_defaults_in_place,
)


def test_the_parameter_is_the_callers_object_not_a_copy() -> None:
    big = list(range(10_000))
    assert received(big) is big
    config = {"a": 1}
    assert received(config) is config


def test_star_args_and_star_star_kwargs_are_new_shallow_containers() -> None:
    inner = [1]
    items = [inner, 2]
    options: dict[str, object] = {"tags": inner}
    args, kwargs = received_packed(*items, **options)
    assert type(args) is tuple  # not the caller's list
    assert kwargs is not options
    assert args[0] is inner  # shallow: the elements are the caller's objects
    assert kwargs["tags"] is inner
    packed = (1, 2)
    assert received_packed(*packed)[0] is not packed  # even a tuple is repacked (CPython)


def test_mutating_kwargs_does_not_reach_the_callers_dict() -> None:
    def fill_defaults(**kwargs: object) -> dict[str, object]:
        kwargs.setdefault("retries", 3)
        return kwargs

    options: dict[str, object] = {"timeout": 5}
    assert fill_defaults(**options) == {"timeout": 5, "retries": 3}
    assert options == {"timeout": 5}


def test_a_mapping_annotation_does_not_stop_mutation_at_run_time() -> None:
    def sneaky(config: Mapping[str, int]) -> None:
        config["timeout"] = 0  # type: ignore[index]  # mypy objects; Python does not

    mine = {"timeout": 5}
    sneaky(mine)
    assert mine == {"timeout": 0}
    view = types.MappingProxyType(mine)
    with pytest.raises(TypeError):
        sneaky(view)
    assert mine == {"timeout": 0}


def test_list_plus_equals_takes_any_iterable_and_plus_only_a_list() -> None:
    xs: list[str] = []
    xs += "ab"
    assert xs == ["a", "b"]
    with pytest.raises(TypeError, match="can only concatenate list"):
        xs + "ab"  # type: ignore[operator]


def test_mutation_through_a_parameter_is_visible_to_the_caller() -> None:
    tags = ["a"]
    add_tag(tags, "b")
    assert tags == ["a", "b"]


def test_rebinding_a_parameter_does_not_reach_the_caller() -> None:
    tags = ["a", "b"]
    reset_by_rebinding(tags)
    assert tags == ["a", "b"]


def test_clearing_in_place_reaches_the_caller() -> None:
    tags = ["a", "b"]
    alias = tags  # another holder of the same list sees it too
    reset_in_place(tags)
    assert tags == []
    assert alias == []
    assert alias is tags


def test_plus_equals_on_a_list_parameter_mutates_the_callers_list() -> None:
    history = [1]
    before = history
    record(history, 2)
    assert history == [1, 2]
    assert history is before


def test_x_equals_x_plus_y_does_not_reach_the_caller() -> None:
    history = [1]
    record_by_rebinding(history, 2)
    assert history == [1]


def test_plus_equals_on_a_tuple_rebinds_and_the_caller_keeps_the_old_tuple() -> None:
    items: tuple[int, ...] = (1,)
    result = extend_tuple(items, 2)
    assert result is not items
    assert result == (1, 2)
    assert items == (1,)


def test_plus_equals_on_an_int_rebinds() -> None:
    count = 1
    assert bump_count(count) == 2
    assert count == 1


def test_plus_equals_on_a_str_rebinds_and_other_names_keep_the_old_string() -> None:
    s = "a"
    alias = s
    s += "b"
    assert s == "ab"
    assert alias == "a"


def test_list_iadd_returns_the_same_object_and_add_a_new_one() -> None:
    xs = [1]
    original = xs
    xs += [2]
    assert xs is original
    xs = xs + [3]  # noqa: RUF005 (the contrast under test)
    assert xs is not original
    assert original == [1, 2]


def test_filling_defaults_in_place_changes_the_callers_dict() -> None:
    mine = {"timeout": 5}
    merged = with_defaults_in_place(mine)
    assert mine == {"timeout": 5, "retries": 3}
    assert merged is mine


def test_copying_first_leaves_the_callers_dict_alone() -> None:
    mine = {"timeout": 5}
    merged = with_defaults(mine)
    assert merged == {"timeout": 5, "retries": 3}
    assert mine == {"timeout": 5}
    assert merged is not mine
    assert DEFAULTS == {"timeout": 30, "retries": 3}
