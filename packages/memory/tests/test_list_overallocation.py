"""Tests for memory.list_overallocation: step-wise growth, amortised append, exact fits, pop."""

from __future__ import annotations

import functools
import itertools
import sys
import tracemalloc

import pytest

from handbook.memory.list_overallocation import (
    append_capacities,
    capacity,
    growth_points,
    next_capacity,
    worst_case_copies,
)

# Every test here reads sys.getsizeof, through capacity() or directly: list.__sizeof__
# is CPython's header + one pointer per slot, and the growth formula is CPython's
# list_resize. Other implementations owe us neither (PyPy's getsizeof raises TypeError),
# so the whole file is CPython-only; the tests with no `model` in them would hold for
# any dynamic array that grows by a factor, but they still need capacity() to see it.
pytestmark = pytest.mark.skipif(
    sys.implementation.name != "cpython", reason="list layout is a CPython detail"
)

N = 20_000


@functools.cache
def caps() -> list[int]:
    """The same 20,000 appends for every test, measured once, at first use."""
    return append_capacities(N)


def test_getsizeof_grows_monotonically_and_in_steps() -> None:
    measured = caps()
    assert all(a <= b for a, b in itertools.pairwise(measured))  # appends never shrink it
    assert all(cap >= length for length, cap in enumerate(measured, start=1))
    # Flat for several appends between jumps: the longest flat run is long.
    runs = [b - a for a, b in itertools.pairwise(growth_points(measured))]
    assert max(runs) > 1000


def test_distinct_sizes_are_far_fewer_than_appends() -> None:
    measured = caps()
    distinct = len(set(measured))
    # Measured 53 distinct capacities on 3.9-3.13 (fewer than log(N)/log(1.125)
    # ~ 84, because the first steps 4 -> 8 -> 16 grow faster than 1.125); a
    # fixed-step growth would give thousands. 200 = N / 100 leaves wide room.
    assert distinct < N / 100


def test_each_large_step_grows_by_about_an_eighth() -> None:
    sizes = sorted(set(caps()))
    big = [(a, b) for a, b in itertools.pairwise(sizes) if a >= 1000]
    assert big
    # b = (a + 1) * 9/8 + 6, minus at most 4 for the rounding: from a = 1000
    # on, the +6 and the rounding move the factor 1.125 by less than 0.01.
    assert all(1.12 < b / a < 1.135 for a, b in big)


def test_the_quoted_formula_predicts_every_measured_capacity() -> None:
    model, predicted = 0, []
    for length in range(1, N + 1):
        if length > model:  # list_resize reallocates only when out of room
            model = next_capacity(length, length - 1)
        predicted.append(model)
    assert predicted == caps()


def test_a_big_extend_allocates_just_enough_rounded_to_four() -> None:
    # start >= 1: the list has an array, so extend goes through list_resize
    # ([].extend takes the exact path of list(); see the next test).
    cases = [(1, 99), (3, 7), (2, 5), (10, 5), (10, 50), (64, 1), (64, 200)]
    for start, extra in cases:
        lst: list[object] = [None] * start  # exactly `start` slots
        lst.extend([None] * extra)
        assert capacity(lst) == next_capacity(start + extra, start), (start, extra)
    assert next_capacity(100, 1) == 100  # the jump (99) is bigger than the spare room (16)
    assert next_capacity(10, 3) == 12  # 7 > 16 - 10: just enough, 10 rounded up to 4
    assert next_capacity(7, 2) == 12  # 5 == 12 - 7: on the threshold, over-allocates
    assert next_capacity(15, 10) == 20  # a small jump over-allocates as usual


def test_extend_on_a_never_allocated_list_is_exact_like_list() -> None:
    for n in range(1, 200):
        empty: list[object] = []  # no array yet: ob_item is NULL
        empty.extend([None] * n)
        assert capacity(empty) == n + (n % 2) == capacity(list(range(n)))
    one: list[object] = [None]  # has an array: list_resize rounds to 4 with spare room
    one.extend([None] * 9)
    assert capacity(one) == next_capacity(10, 1) > 10


def test_sizes_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="sizes must be >= 0"):
        next_capacity(-5, 0)
    with pytest.raises(ValueError, match="sizes must be >= 0"):
        next_capacity(3, -1)
    with pytest.raises(ValueError, match="n must be >= 0"):
        append_capacities(-3)
    assert append_capacities(0) == []


def test_append_is_amortised_constant_even_if_every_growth_copies() -> None:
    measured = caps()
    copies = worst_case_copies(measured)
    # The lengths at which the list grew shrink geometrically (ratio 1/1.125
    # or less) going backwards, so their sum is at most N / (1 - 1/1.125) = 9N.
    assert copies <= 9 * N
    assert copies > N  # it did copy: growth is not free, only amortised


def test_spare_capacity_after_appends_is_at_most_an_eighth_plus_six() -> None:
    measured = caps()
    assert all(cap - length <= length // 8 + 6 for length, cap in enumerate(measured, start=1))
    assert any(cap - length > 1000 for length, cap in enumerate(measured, start=1))


def test_a_comprehension_over_allocates_like_append() -> None:
    for n in range(1, 300):
        built: list[object] = []
        for i in range(n):
            built.append(i)
        assert capacity([i * i for i in range(n)]) == capacity(built)
    assert capacity([i * i for i in range(9)]) > 9


def test_repeat_copy_and_slice_allocate_exactly_the_length() -> None:
    grown: list[object] = []
    for i in range(1, 500):
        grown.append(i)
        assert capacity([None] * i) == i
        assert capacity(grown.copy()) == i
        assert capacity(grown[:]) == i
    assert capacity(grown) > len(grown)  # the original kept its spare room


def test_list_of_a_sized_iterable_rounds_up_to_an_even_slot_count() -> None:
    for n in range(1, 500):
        as_tuple = tuple(range(n))
        for made in (list(range(n)), list(as_tuple)):
            assert capacity(made) == n + (n % 2)  # at most one spare slot
    assert capacity([i * i for i in range(9)]) - 9 > 1  # unlike the comprehension


def test_pop_shrinks_only_below_half_the_capacity() -> None:
    lst: list[object] = []
    for i in range(1000):
        lst.append(i)
    full = capacity(lst)
    while len(lst) - 1 >= full >> 1:
        lst.pop()
        assert capacity(lst) == full  # above half: no realloc at all
    lst.pop()  # now below half
    assert capacity(lst) < full
    assert capacity(lst) == next_capacity(len(lst), len(lst) + 1)  # shrinks, with spare room
    assert capacity(lst) > len(lst)


def test_popping_the_last_item_frees_the_array() -> None:
    lst: list[object] = []
    lst.append(1)  # 4 slots
    lst.pop()  # 0 < 4 // 2: list_resize(0) allocates nothing
    assert capacity(lst) == next_capacity(0, 1) == 0


def test_del_slice_keeps_the_array_until_below_half_and_clear_frees_it() -> None:
    lst: list[object] = [None] * 1000
    del lst[600:]
    assert capacity(lst) == 1000
    lst.clear()
    assert capacity(lst) == 0


def test_getsizeof_ignores_the_objects_a_list_points_to() -> None:
    small, big = ["a"], ["a" * 1_000_000]
    assert sys.getsizeof(small) == sys.getsizeof(big)
    started = not tracemalloc.is_tracing()  # leave a -X tracemalloc run tracing
    if started:
        tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        held = ["b" * 1_000_000]
        traced = tracemalloc.get_traced_memory()[0] - before
    finally:
        if started:
            tracemalloc.stop()
    assert traced > 1_000_000 > 100 * sys.getsizeof(held)  # tracemalloc sees the string
