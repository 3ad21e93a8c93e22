"""Tests for basics.dicts: order, mutation while iterating, defaultdict reads, merges, misses."""

from __future__ import annotations

import sys
from collections import Counter, OrderedDict, defaultdict

import pytest

from handbook.basics.dicts import (
    DefaultingConfig,
    drop_matching,
    drop_matching_unsafe,
    empty_groups,
    group_by_first_letter,
    has_orders,
    has_orders_probing,
    merge_settings,
    rename_keys_in_place,
    top_words,
    unique_in_order,
)

cpython_only = pytest.mark.skipif(
    sys.implementation.name != "cpython", reason="table resizing is a CPython detail"
)


def test_iteration_follows_insertion_order() -> None:
    d = {"zebra": 1, "apple": 2, "mango": 3}
    assert list(d) == ["zebra", "apple", "mango"]
    d["zebra"] = 10  # overwriting keeps the position
    assert list(d) == ["zebra", "apple", "mango"]
    del d["zebra"]
    d["zebra"] = 1  # delete and re-insert moves it to the end
    assert list(d) == ["apple", "mango", "zebra"]
    assert unique_in_order(["b", "a", "b", "c", "a"]) == ["b", "a", "c"]


def test_equality_ignores_order_except_between_ordered_dicts() -> None:
    assert {"a": 1, "b": 2} == {"b": 2, "a": 1}
    assert OrderedDict(a=1, b=2) != OrderedDict(b=2, a=1)
    assert OrderedDict(a=1, b=2) == {"b": 2, "a": 1}  # a plain dict on one side: order ignored


def test_deleting_during_iteration_raises() -> None:
    d = {1: "a", 2: "b", 3: "c"}
    with pytest.raises(RuntimeError, match="changed size during iteration"):
        drop_matching_unsafe(d, lambda k: k == 1)


def test_adding_during_iteration_raises() -> None:
    def add_while_iterating(d: dict[int, str]) -> None:
        for key in d:
            d[key + 1] = "b"

    with pytest.raises(RuntimeError, match="changed size during iteration"):
        add_while_iterating({1: "a"})


def test_iterating_a_snapshot_allows_deletion() -> None:
    d = {1: "a", 2: "b", 3: "c"}
    drop_matching(d, lambda k: k % 2 == 1)
    assert d == {2: "b"}


def test_changing_values_during_iteration_is_safe() -> None:
    d = {"a": 1, "b": 2}
    for key in d:
        d[key] *= 10
    assert d == {"a": 10, "b": 20}


@cpython_only
def test_equal_size_rename_can_end_silently() -> None:
    # CPython: an 8-slot table holds 5 entries and a pop leaves its entry as a dummy.
    # 3 keys + 2 renames use all 5; the third rename's insert resizes, which
    # compacts the entries to 3, and the iterator's position (3) is then the end.
    d = {0: "a", 1: "b", 2: "c"}
    rename_keys_in_place(d, 100)
    assert sorted(d) == [100, 101, 102]


@cpython_only
def test_equal_size_rename_damages_the_dict_before_it_raises() -> None:
    # 4 keys: after the resize the iterator meets the renamed keys 100 and 101
    # and renames them again, never reaches 2 and 3, and raises only when it
    # finds a fifth key in a dict that had four.
    d = {0: "a", 1: "b", 2: "c", 3: "d"}
    with pytest.raises(RuntimeError, match="keys changed during iteration"):
        rename_keys_in_place(d, 100)
    assert len(d) == 4  # the size check had nothing to see
    assert {2, 3} <= d.keys()  # skipped: never renamed
    assert {200, 201} <= d.keys()  # renamed twice


def test_merge_right_side_wins_and_inputs_are_untouched() -> None:
    defaults = {"timeout": 5, "retries": 3}
    overrides = {"timeout": 1}
    merged = merge_settings(defaults, overrides)
    assert merged == {"timeout": 1, "retries": 3}
    assert defaults == {"timeout": 5, "retries": 3}
    assert list(merged) == ["timeout", "retries"]  # keys keep the left side's order


def test_in_place_merge_takes_pairs_but_binary_merge_needs_a_dict() -> None:
    d = {"a": 1}
    d |= [("b", 2), ("a", 3)]
    assert d == {"a": 3, "b": 2}
    with pytest.raises(TypeError, match="unsupported operand"):
        d | [("c", 4)]  # type: ignore[operator]


def test_reading_a_missing_defaultdict_key_inserts_it() -> None:
    index: defaultdict[str, list[int]] = defaultdict(list, {"ann": [1]})
    assert has_orders_probing(index, "bob") is False
    assert "bob" in index
    assert index["bob"] == []


def test_get_and_in_do_not_insert_into_a_defaultdict() -> None:
    index: defaultdict[str, list[int]] = defaultdict(list, {"ann": [1]})
    assert has_orders(index, "bob") is False
    assert has_orders(index, "ann") is True
    assert "carl" not in index
    assert sorted(index) == ["ann"]


def test_counter_reads_missing_as_zero_without_inserting() -> None:
    c = Counter("abracadabra")
    assert c["z"] == 0
    assert "z" not in c
    assert c.most_common(2) == [("a", 5), ("b", 2)]
    assert top_words("to be or not to be", 2) == [("to", 2), ("be", 2)]


def test_setdefault_groups_and_builds_the_default_every_time() -> None:
    assert group_by_first_letter(["apple", "bean", "avocado"]) == {
        "a": ["apple", "avocado"],
        "b": ["bean"],
    }
    built: list[list[int]] = []

    def fresh() -> list[int]:
        built.append([])
        return built[-1]

    # setdefault is an ordinary call, so its default argument is built first;
    # the two alternatives build a default only for a missing key.
    d: dict[str, list[int]] = {"a": [1]}
    assert d.setdefault("a", fresh()) == [1]  # the key exists, yet a list was built
    assert len(built) == 1
    if "a" not in d:
        d["a"] = fresh()
    grouped: defaultdict[str, list[int]] = defaultdict(fresh, d)
    grouped["a"].append(2)
    assert len(built) == 1  # neither built another list for an existing key
    grouped["b"].append(3)
    assert len(built) == 2  # defaultdict calls the factory for a missing key only


def test_group_by_first_letter_refuses_an_empty_word() -> None:
    with pytest.raises(ValueError, match="empty word"):
        group_by_first_letter(["apple", ""])


def test_fromkeys_with_a_list_shares_one_list_under_every_key() -> None:
    shared: dict[str, list[str]] = dict.fromkeys("ab", [])  # noqa: RUF024 (the pitfall on show)
    shared["a"].append("x")
    assert shared == {"a": ["x"], "b": ["x"]}
    assert shared["a"] is shared["b"]
    separate = empty_groups("ab")
    separate["a"].append("x")
    assert separate == {"a": ["x"], "b": []}


def test_views_are_live_and_set_like() -> None:
    old = {"host": "db", "port": 5432, "user": "app"}
    new = {"host": "db2", "port": 5432, "tls": True}
    keys = old.keys()
    assert keys & new.keys() == {"host", "port"}
    assert old.items() - new.items() == {("host", "db"), ("user", "app")}
    old["extra"] = 1
    assert "extra" in keys  # a view, not a snapshot


def test_pre_3_9_merges() -> None:
    a: dict[str, int] = {"x": 1, "y": 2}
    b: dict[str, int] = {"y": 3}
    assert {**a, **b} == a | b == {"x": 1, "y": 3}
    assert dict(a, **b) == {"x": 1, "y": 3}
    with pytest.raises(TypeError, match="keywords must be strings"):
        dict(a, **{1: "one"})  # type: ignore[arg-type]


def test_ordered_dict_as_an_lru_cache() -> None:
    cache: OrderedDict[str, int] = OrderedDict(a=1, b=2, c=3)
    cache.move_to_end("a")  # a hit makes "a" the most recently used
    assert list(cache) == ["b", "c", "a"]
    assert cache.popitem(last=False) == ("b", 2)  # evict the least recently used
    assert list(cache) == ["c", "a"]


def test_get_cannot_tell_missing_from_stored_none() -> None:
    d: dict[str, int | None] = {"present": None}
    assert d.get("present") is d.get("absent") is None
    assert "present" in d
    assert "absent" not in d


def test_try_except_keyerror_for_absent_keys() -> None:
    d = {"a": 1}
    with pytest.raises(KeyError, match="'b'"):
        d["b"]


def test_missing_is_called_by_getitem_only_and_stores_nothing() -> None:
    c = DefaultingConfig(host="db")
    assert c["port"] == "<unset:port>"
    assert c.get("port") is None
    assert "port" not in c
    assert c["host"] == "db"
