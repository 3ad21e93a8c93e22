"""Tests for the bisect lesson: hand-written bounds agree with ``bisect``, and the pitfalls."""

from __future__ import annotations

import bisect
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbook.ds.bisect_insort import (
    ceiling,
    count_between,
    first_true,
    floor,
    index_of,
    insort_moves,
    lower_bound,
    records_with_key,
    upper_bound,
)

sorted_ints = st.lists(st.integers(-20, 20), max_size=40).map(sorted)


def test_lower_bound_is_the_first_of_a_run_of_equal_items() -> None:
    a = [1, 2, 2, 2, 3]
    assert lower_bound(a, 2) == 1
    assert upper_bound(a, 2) == 4
    assert upper_bound(a, 2) - lower_bound(a, 2) == a.count(2)


def test_bounds_on_empty_and_out_of_range() -> None:
    assert lower_bound([], 5) == upper_bound([], 5) == 0
    assert lower_bound([1, 2], 0) == upper_bound([1, 2], 0) == 0
    assert lower_bound([1, 2], 9) == upper_bound([1, 2], 9) == 2


@given(a=sorted_ints, x=st.integers(-25, 25))
def test_hand_written_bounds_agree_with_bisect(a: list[int], x: int) -> None:
    assert lower_bound(a, x) == bisect.bisect_left(a, x)
    assert upper_bound(a, x) == bisect.bisect_right(a, x)


@given(a=sorted_ints, x=st.integers(-25, 25))
def test_bounds_split_the_list_as_their_definitions_say(a: list[int], x: int) -> None:
    lo, hi = lower_bound(a, x), upper_bound(a, x)
    assert all(item < x for item in a[:lo])
    assert all(item == x for item in a[lo:hi])
    assert all(item > x for item in a[hi:])


def integer_sqrt(n: int) -> int:
    """The largest r with r * r <= n: one less than the first r with r * r > n."""
    return first_true(0, n + 2, lambda r: r * r > n) - 1


def test_first_true_finds_the_integer_square_root() -> None:
    for n in [*range(200), 10**12, 10**12 - 1]:
        assert integer_sqrt(n) == math.isqrt(n)


def test_first_true_returns_hi_when_the_predicate_is_never_true() -> None:
    assert first_true(3, 3, lambda i: True) == 3
    assert first_true(0, 7, lambda i: False) == 7


def test_first_true_rejects_a_reversed_range() -> None:
    with pytest.raises(ValueError, match="empty range: lo=5 > hi=2"):
        first_true(5, 2, lambda i: True)


def test_count_between_is_half_open() -> None:
    a = [1, 2, 2, 3, 5, 5]
    assert count_between(a, 2, 5) == 3  # 2, 2, 3: the 5s are not in [2, 5)
    assert count_between(a, 5, 6) == 2
    assert count_between(a, 4, 2) == 0  # a reversed range holds nothing


@given(a=sorted_ints, lo=st.integers(-25, 25), hi=st.integers(-25, 25))
def test_count_between_matches_a_scan(a: list[int], lo: int, hi: int) -> None:
    assert count_between(a, lo, hi) == sum(lo <= item < hi for item in a)


def test_index_of_finds_the_first_copy_or_raises() -> None:
    assert index_of([1, 2, 2, 3], 2) == 1
    with pytest.raises(ValueError, match="2 is not in the sorted sequence"):
        index_of([1, 3], 2)
    with pytest.raises(ValueError, match="9 is not in the sorted sequence"):
        index_of([1, 3], 9)


@given(a=sorted_ints, x=st.integers(-25, 25))
def test_floor_and_ceiling_match_a_scan(a: list[int], x: int) -> None:
    assert floor(a, x) == max((item for item in a if item <= x), default=None)
    assert ceiling(a, x) == min((item for item in a if item >= x), default=None)


def test_bisect_key_applies_to_items_not_to_the_value_searched_for() -> None:
    rows = [("ann", 1), ("bob", 3), ("cy", 3), ("di", 5)]

    def by_score(row: tuple[str, int]) -> int:
        return row[1]

    assert bisect.bisect_left(rows, 3, key=by_score) == 1
    with pytest.raises(TypeError):  # a row is compared with the scores of the rows
        bisect.bisect_left(rows, ("zed", 3), key=by_score)  # type: ignore[arg-type]
    assert records_with_key(rows, 3, key=by_score) == [("bob", 3), ("cy", 3)]
    assert records_with_key(rows, 4, key=by_score) == []


def test_insort_applies_key_to_the_inserted_item() -> None:
    rows = [("ann", 1), ("di", 5)]
    bisect.insort(rows, ("bob", 3), key=lambda row: row[1])
    assert rows == [("ann", 1), ("bob", 3), ("di", 5)]


def test_insort_in_a_loop_moves_quadratically_many_items_on_descending_input() -> None:
    n = 1_000
    ordered, moves = insort_moves(range(n, 0, -1))
    assert ordered == list(range(1, n + 1))
    assert moves == n * (n - 1) // 2  # every insert shifts every item already there
    assert insort_moves(range(n)) == (list(range(n)), 0)  # ascending: only appends


@given(items=st.lists(st.integers(-20, 20), max_size=40))
def test_insort_moves_builds_the_sorted_list(items: list[int]) -> None:
    ordered, moves = insort_moves(items)
    assert ordered == sorted(items)
    assert 0 <= moves <= len(items) * (len(items) - 1) // 2
