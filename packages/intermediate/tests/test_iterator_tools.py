"""Tests for intermediate.iterator_tools: one-pass iterators, groupby, islice, tee, batched."""

from __future__ import annotations

import itertools
import sys
import weakref
from collections.abc import Iterator

import pytest

from handbook.intermediate.iterator_tools import (
    Pulls,
    batched,
    batched_fallback,
    group_by_key,
    group_by_key_unsorted,
    shares,
    shares_two_passes,
    tracked,
)


def test_a_generator_passed_to_two_consumers_is_empty_for_the_second() -> None:
    gen = (n * n for n in range(4))
    assert sum(gen) == 14
    assert list(gen) == []


@pytest.mark.parametrize(
    "make",
    [lambda: map(str, [1, 2]), lambda: zip("ab", [1, 2], strict=True), lambda: iter([1, 2])],
    ids=["map", "zip", "list_iterator"],
)
def test_map_and_zip_objects_are_single_pass_iterators(make: object) -> None:
    it = make()  # type: ignore[operator]
    assert iter(it) is it
    assert len(list(it)) == 2
    assert list(it) == []


def test_a_list_gives_a_fresh_iterator_each_time() -> None:
    items = [1, 2]
    assert not isinstance(items, Iterator)
    assert list(items) == list(items) == [1, 2]


def test_two_passes_silently_lose_everything_for_a_generator() -> None:
    assert shares_two_passes([1.0, 3.0]) == [0.25, 0.75]
    assert shares_two_passes(x for x in [1.0, 3.0]) == []


def test_materialising_once_works_for_any_iterable() -> None:
    assert shares(x for x in [1.0, 3.0]) == [0.25, 0.75]
    assert shares(map(float, [1, 3])) == [0.25, 0.75]
    assert shares([1.0, 3.0]) == [0.25, 0.75]


def test_groupby_on_unsorted_input_repeats_keys() -> None:
    groups = group_by_key_unsorted(["apple", "bean", "avocado", "bread"])
    assert [k for k, _ in groups] == ["a", "b", "a", "b"]


def test_groupby_after_sorting_gives_each_key_once() -> None:
    groups = group_by_key(["apple", "bean", "avocado", "bread"])
    assert groups == [("a", ["apple", "avocado"]), ("b", ["bean", "bread"])]


def test_a_group_iterator_is_emptied_when_groupby_advances() -> None:
    kept = list(itertools.groupby("aabbb"))  # advances past every group first
    assert [(k, list(g)) for k, g in kept] == [("a", []), ("b", [])]


def test_islice_takes_from_the_iterator_which_stays_advanced() -> None:
    pulls = Pulls()
    source = tracked(itertools.count(), pulls)  # infinite: only laziness makes this work
    assert list(itertools.islice(source, 3)) == [0, 1, 2]
    assert pulls.count == 3
    assert next(source) == 3


def test_chain_is_lazy_and_reaches_the_second_source_only_when_needed() -> None:
    first, second = Pulls(), Pulls()
    joined = itertools.chain(tracked("ab", first), tracked("cd", second))
    assert [next(joined), next(joined)] == ["a", "b"]
    assert (first.count, second.count) == (2, 0)
    assert list(joined) == ["c", "d"]
    assert list(itertools.chain.from_iterable(["ab", "c"])) == ["a", "b", "c"]


def test_tee_buffers_what_the_leader_read_and_the_laggard_did_not() -> None:
    pulls = Pulls()
    leader, laggard = itertools.tee(tracked(range(1000), pulls))
    assert sum(1 for _ in leader) == 1000
    assert pulls.count == 1000
    # The laggard gets all 1000 without one more pull: tee kept them in memory.
    assert list(laggard) == list(range(1000))
    assert pulls.count == 1000


class Token:
    """A weak-referenceable item, so a WeakSet can count how many are alive."""


def tokens(n: int, alive: weakref.WeakSet[Token]) -> Iterator[Token]:
    """Yield n fresh tokens, registering each in ``alive``."""
    for _ in range(n):
        token = Token()
        alive.add(token)
        yield token
        del token


def test_tee_memory_grows_with_the_lead_not_with_the_stream() -> None:
    # Counting live objects relies on CPython freeing them at once (refcounting).
    alive: weakref.WeakSet[Token] = weakref.WeakSet()
    leader, _laggard = itertools.tee(tokens(1000, alive))  # the laggard never moves
    for _ in range(600):
        next(leader)
    assert len(alive) == 600  # all held by tee's buffer, none by us

    def lockstep_peak(n: int) -> int:
        alive_here: weakref.WeakSet[Token] = weakref.WeakSet()
        a, b = itertools.tee(tokens(n, alive_here))
        peak = 0
        for _ in range(n):
            next(a)
            next(b)
            peak = max(peak, len(alive_here))
        return peak

    # In step, the buffer is freed block by block: the peak does not grow with n.
    assert lockstep_peak(500) == lockstep_peak(5_000) < 100


def test_using_the_original_iterator_after_tee_skips_items_for_every_copy() -> None:
    source = iter(range(5))
    a, b = itertools.tee(source)
    assert next(source) == 0  # taken behind tee's back
    assert list(a) == [1, 2, 3, 4]
    assert list(b) == [1, 2, 3, 4]


def test_batched_fallback_chunks_any_iterable_with_a_short_last_batch() -> None:
    # islice bounds the check, so a never-ending chunker fails instead of hanging.
    chunks = list(itertools.islice(batched_fallback([1, 2, 3, 4, 5], 2), 10))
    assert chunks == [(1, 2), (3, 4), (5,)]
    assert list(batched_fallback(iter(range(4)), 2)) == [(0, 1), (2, 3)]
    assert list(batched_fallback([], 3)) == []


def test_batched_fallback_strict_rejects_a_short_last_batch() -> None:
    with pytest.raises(ValueError, match="incomplete batch"):
        list(batched_fallback(range(5), 2, strict=True))
    assert list(batched_fallback(range(4), 2, strict=True)) == [(0, 1), (2, 3)]
    with pytest.raises(ValueError, match="at least one"):
        batched_fallback(range(4), 0)


def test_itertools_batched_by_version() -> None:
    if sys.version_info >= (3, 12):
        stdlib = itertools.batched
        assert list(stdlib(range(5), 2)) == list(batched_fallback(range(5), 2))
        assert list(stdlib([1, 2, 3, 4, 5], 2)) == [(1, 2), (3, 4), (5,)]
        if sys.version_info >= (3, 13):
            with pytest.raises(ValueError, match="incomplete batch"):
                list(stdlib(range(5), 2, strict=True))
        else:
            with pytest.raises(TypeError):
                stdlib(range(5), 2, strict=True)  # type: ignore[call-arg]
    else:
        assert not hasattr(itertools, "batched")


def test_batched_works_the_same_on_every_version() -> None:
    assert list(batched("abcde", 2)) == [("a", "b"), ("c", "d"), ("e",)]
    with pytest.raises(ValueError, match="incomplete batch"):
        list(batched("abcde", 2, strict=True))
    assert list(batched("abcd", 2, strict=True)) == [("a", "b"), ("c", "d")]


def test_batched_rejects_a_bad_size_at_the_call_on_every_version() -> None:
    with pytest.raises(ValueError, match="at least one"):
        batched("abc", 0)  # no list(): the call itself must raise
    with pytest.raises(TypeError, match="must be an int"):
        batched("abcde", 2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one"):
        batched("abc", 0, strict=True)


def test_batched_fallback_rejects_a_bad_size_at_the_call() -> None:
    with pytest.raises(ValueError, match="at least one"):
        batched_fallback("abc", 0)  # no list(): the call itself must raise
    with pytest.raises(TypeError, match="must be an int"):
        batched_fallback("abcde", 2.5)  # type: ignore[arg-type]


def test_stdlib_batched_checks_its_size_at_the_call() -> None:
    if sys.version_info >= (3, 12):
        with pytest.raises(ValueError, match="at least one"):
            itertools.batched("abc", 0)
        with pytest.raises(TypeError):
            itertools.batched("abcde", 2.5)  # type: ignore[call-overload]


class Playlist:
    """Iterable many times: ``__iter__`` is a generator method, a new iterator per loop."""

    def __init__(self, *songs: str) -> None:
        self.songs = list(songs)

    def __iter__(self) -> Iterator[str]:
        yield from self.songs


class Cursor:
    """Single-pass: ``__iter__`` returns ``self``, so a second loop finds it exhausted."""

    def __init__(self, *rows: str) -> None:
        self.rows = list(rows)
        self.pos = 0

    def __iter__(self) -> Cursor:
        return self

    def __next__(self) -> str:
        if self.pos == len(self.rows):
            raise StopIteration
        self.pos += 1
        return self.rows[self.pos - 1]


def test_iter_returning_self_is_single_pass_and_a_generator_method_is_not() -> None:
    playlist = Playlist("a", "b")
    assert list(playlist) == list(playlist) == ["a", "b"]
    cursor = Cursor("a", "b")
    assert list(cursor) == ["a", "b"]
    assert list(cursor) == []


def test_membership_on_an_iterator_consumes_up_to_the_match() -> None:
    it = iter([1, 2, 3, 4])
    assert 2 in it
    assert 2 not in it  # already consumed; this search ate the rest
    assert list(it) == []
    it = iter([1, 2, 3, 4])
    assert 2 in it
    assert list(it) == [3, 4]


def test_zip_of_one_iterator_repeated_chunks_and_drops_the_tail() -> None:
    it = iter(range(7))
    assert list(zip(*[it] * 3, strict=False)) == [(0, 1, 2), (3, 4, 5)]
    it = iter(range(7))
    padded = list(itertools.zip_longest(*[it] * 3))
    assert padded == [(0, 1, 2), (3, 4, 5), (6, None, None)]
