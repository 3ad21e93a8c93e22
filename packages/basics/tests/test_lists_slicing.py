"""Tests for basics.lists_slicing: slices copy, slice assignment resizes, Go's append aliases."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from handbook.basics.lists_slicing import (
    GoSlice,
    last_n_reversed,
    make_buckets,
    make_buckets_shared,
    overwrite_through_view,
    prefix_with,
    replace_range,
    set_every_other,
)


def test_a_slice_is_a_new_list_holding_the_same_elements() -> None:
    inner = [0]
    items = [inner, [1], [2]]
    head = items[:2]
    assert head is not items
    assert head[0] is inner  # shallow: the elements are shared
    head.append([9])
    head[1] = [7]
    assert items == [[0], [1], [2]]  # appends and rebinding stay in the copy
    head[0].append(5)
    assert items[0] == [0, 5]  # mutating a shared element shows through both


def test_go_append_to_a_subslice_overwrites_the_parent() -> None:
    a = GoSlice.make([1, 2, 3], cap=4)
    b = a.reslice(0, 1).append(99)
    assert b.tolist() == [1, 99]
    assert a.tolist() == [1, 99, 3]  # a[1] was overwritten through the shared array


def test_go_full_slice_expression_caps_capacity_so_append_copies() -> None:
    a = GoSlice.make([1, 2, 3], cap=4)
    head = a.reslice(0, 1, 1)
    assert (len(head), head.cap) == (1, 1)
    c = head.append(7)
    assert c.tolist() == [1, 7]
    assert a.tolist() == [1, 2, 3]


def test_go_append_without_spare_capacity_copies() -> None:
    a = GoSlice.make([1, 2, 3], cap=3)
    b = a.append(4)
    b.reslice(0, 1).append(42)  # writes into b's new array, not a's
    assert a.tolist() == [1, 2, 3]
    assert b.tolist() == [1, 42, 3, 4]
    assert b.cap == 6


def test_go_reslice_may_not_exceed_capacity() -> None:
    with pytest.raises(IndexError, match="out of range"):
        GoSlice.make([1, 2], cap=2).reslice(0, 3)
    with pytest.raises(ValueError, match="smaller than len"):
        GoSlice.make([1, 2, 3], cap=2)


def test_python_prefix_then_append_leaves_the_caller_alone() -> None:
    items = [1, 2, 3]
    out = prefix_with(items, 1, 99)
    assert out == [1, 99]
    assert items == [1, 2, 3]


def test_prefix_with_refuses_a_negative_k() -> None:
    with pytest.raises(ValueError, match="k must be >= 0"):
        prefix_with([1, 2, 3], -1, 99)


def test_a_memoryview_slice_writes_into_the_buffer() -> None:
    buf = bytearray(b"hello")
    overwrite_through_view(buf, 1, b"EL")
    assert buf == bytearray(b"hELlo")


def test_a_bytearray_slice_copies_but_a_memoryview_slice_sees_writes() -> None:
    buf = bytearray(b"hello")
    copied = buf[1:3]
    with memoryview(buf) as whole, whole[1:3] as view:
        buf[1] = ord("X")
        assert bytes(view) == b"Xl"  # the view shares the buffer
    assert copied == bytearray(b"el")  # the slice was copied before the write


def test_a_buffer_with_an_exported_view_refuses_to_resize() -> None:
    buf = bytearray(b"abc")
    view = memoryview(buf)
    with pytest.raises(BufferError):
        buf.append(ord("d"))
    view.release()
    buf.append(ord("d"))
    assert buf == bytearray(b"abcd")


def test_slice_assignment_grows_shrinks_and_inserts() -> None:
    items = [0, 1, 2, 3]
    replace_range(items, 1, 3, [7, 7, 7, 7])
    assert items == [0, 7, 7, 7, 7, 3]
    replace_range(items, 1, 5, [])
    assert items == [0, 3]
    replace_range(items, 1, 1, [5, 6])
    assert items == [0, 5, 6, 3]


def test_slice_assignment_mutates_in_place_unlike_rebinding() -> None:
    items = [1, 2, 3]
    alias = items
    items[:] = [9]
    assert alias == [9]
    items = [4, 5]
    assert alias == [9]


def test_extended_slice_assignment_sets_every_other_item() -> None:
    odd = [1, 2, 3, 4, 5]
    set_every_other(odd, 0)
    assert odd == [0, 2, 0, 4, 0]
    even = [1, 2, 3, 4]
    set_every_other(even, 0)
    assert even == [0, 2, 0, 4]


def test_extended_slice_assignment_requires_equal_length() -> None:
    items = [1, 2, 3, 4, 5]
    with pytest.raises(ValueError, match="size 2 to extended slice of size 3"):
        items[::2] = [9, 9]
    assert items == [1, 2, 3, 4, 5]  # nothing was written
    items[::1] = [9]  # step 1 is a plain slice: any length
    assert items == [9]
    items = [1, 2, 3, 4, 5]
    del items[::2]  # deleting an extended slice is allowed
    assert items == [2, 4]


def test_negative_steps() -> None:
    items = [0, 1, 2, 3, 4]
    assert items[::-1] == [4, 3, 2, 1, 0]
    assert items[::-2] == [4, 2, 0]
    assert items[3:0:-1] == [3, 2, 1]  # stop excluded, so 0 is not reached
    assert items[1::-1] == [1, 0]
    assert list(reversed(items)) == items[::-1]


def test_reversed_is_lazy_and_sees_later_writes() -> None:
    items = [0, 1, 2]
    backwards = reversed(items)
    copied = items[::-1]
    items[-1] = 99
    assert next(backwards) == 99  # nothing was copied: it reads the list now
    assert copied[0] == 2


def test_out_of_range_slices_clamp_but_indexing_raises() -> None:
    items = [0, 1, 2]
    assert items[10:20] == []
    assert items[-10:2] == [0, 1]
    with pytest.raises(IndexError):
        items[10]


def test_iterators_are_sliced_with_islice() -> None:
    def numbers() -> Iterator[int]:
        yield from range(10)

    gen = numbers()
    with pytest.raises(TypeError, match="not subscriptable"):
        gen[:3]  # type: ignore[index]
    assert list(itertools.islice(gen, 2, 4)) == [2, 3]
    assert next(gen) == 4  # islice consumed 0 and 1 to skip them


def test_last_n_reversed_includes_exactly_n_items() -> None:
    assert last_n_reversed([1, 2, 3, 4, 5], 3) == [5, 4, 3]
    assert last_n_reversed([1, 2, 3, 4, 5], 1) == [5]
    assert last_n_reversed([1, 2], 5) == [2, 1]
    assert last_n_reversed([1, 2], 0) == []
    assert [1, 2, 3, 4, 5][-1:-3:-1] == [5, 4]  # the off-by-one version


def test_minus_zero_is_zero_so_the_negative_start_recipe_fails_at_n_0() -> None:
    items = [1, 2, 3]
    n = 0
    assert items[-0:] == [1, 2, 3]
    assert items[-n:][::-1] == [3, 2, 1]  # not the last 0 items
    assert items[: -n - 1 : -1] == []


def test_last_n_reversed_refuses_a_negative_n() -> None:
    with pytest.raises(ValueError, match="n must be >= 0"):
        last_n_reversed([1, 2, 3], -2)


def test_list_times_n_repeats_one_reference() -> None:
    shared = make_buckets_shared(3)
    assert shared[0] is shared[1] is shared[2]
    shared[0].append(1)
    assert shared == [[1], [1], [1]]
    flat = [0] * 3
    flat[0] = 5  # rebinding a slot is fine: ints are not mutated in place
    assert flat == [5, 0, 0]


def test_comprehension_buckets_are_independent() -> None:
    buckets = make_buckets(3)
    buckets[0].append(1)
    assert buckets == [[1], [], []]
