"""Tests for algo.sliding_window: all-substrings oracles, window moves counted (at most 2n).

The oracle tests draw hundreds of small inputs from a seeded ``random.Random``:
deterministic like the package's Hypothesis profile, and cheap enough per case
to keep this file well under a second (the oracles are cubic).
"""

from __future__ import annotations

import random
import sys
import tracemalloc
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from functools import partial
from typing import SupportsIndex, overload

import pytest

from handbook.algo.sliding_window import (
    WindowMoves,
    longest_at_most_k_distinct,
    longest_at_most_k_sliding,
    longest_unique,
    longest_unique_by_jumping,
    min_window,
)


def random_text(rng: random.Random, alphabet: str, longest: int) -> str:
    """A string of 0..``longest`` characters drawn from a small alphabet (repeats likely)."""
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


def substrings(n: int) -> list[tuple[int, int]]:
    """Every ``(i, j)`` with ``0 <= i <= j <= n``, shortest first, then leftmost."""
    return sorted(
        ((i, j) for i in range(n + 1) for j in range(i, n + 1)), key=lambda p: (p[1] - p[0], p[0])
    )


class ReadStr(str):
    """A ``str`` that counts characters read by iteration, indexing and slicing."""

    reads = 0

    def __getitem__(self, i: SupportsIndex | slice, /) -> str:
        part = str.__getitem__(self, i)
        self.reads += len(part)
        return part

    def __iter__(self) -> Iterator[str]:
        for ch in str.__iter__(self):
            self.reads += 1
            yield ch


class ReadSeq(Sequence[Hashable]):
    """A read-only sequence that counts item reads."""

    def __init__(self, items: str) -> None:
        self.items = items
        self.reads = 0

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, i: int) -> Hashable: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Hashable]: ...
    def __getitem__(self, i: int | slice) -> Hashable | Sequence[Hashable]:
        part = self.items[i]
        self.reads += len(part)
        return part


def traced_peak(run: Callable[[], object]) -> int:
    """Bytes allocated at the peak of ``run()``, beyond what was live before it."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return peak - before


def test_longest_unique_matches_every_substring() -> None:
    rng = random.Random(21)
    for _ in range(300):
        s = random_text(rng, "abcd", 14)
        best = max(j - i for i, j in substrings(len(s)) if len(set(s[i:j])) == j - i)
        moves = WindowMoves()
        assert longest_unique(s, moves) == best
        assert longest_unique_by_jumping(s) == best
        assert moves.entered == len(s)
        assert moves.left <= len(s)
        assert moves.total <= 2 * len(s)


def test_longest_unique_on_the_problem_examples() -> None:
    assert [longest_unique(s) for s in ("abcabcbb", "bbbbb", "pwwkew", "", " ")] == [3, 1, 3, 0, 1]
    # "abba": at the last "a" its earlier copy is already outside the window "b".
    assert longest_unique("abba") == longest_unique_by_jumping("abba") == 2
    assert longest_unique_by_jumping("tmmzuxt") == 5
    moves = WindowMoves()
    longest_unique("abcb", moves)  # the second "b" forces two drops: a shrink *loop*
    assert moves.left == 2


def test_window_moves_stay_within_2n_at_growing_sizes() -> None:
    rng = random.Random(22)
    for n in (10, 100, 1_000, 10_000):
        s = "".join(rng.choice("abcdefgh") for _ in range(n))
        runs: list[Callable[[WindowMoves], object]] = [
            partial(longest_unique, s),
            partial(longest_at_most_k_distinct, s, 3),
            partial(min_window, s, "abca"),
        ]
        for run in runs:
            moves = WindowMoves()
            run(moves)
            assert moves.entered == n
            assert moves.left <= n
            assert moves.total <= 2 * n
        # The worst case is reached: every index but the last also leaves.
        moves = WindowMoves()
        assert longest_unique("a" * n, moves) == 1
        assert moves.total == 2 * n - 1


def test_each_move_reads_one_item_so_work_is_linear() -> None:
    # Work counted outside the code: every item is read once entering and at
    # most once leaving (min_window also slices out its answer, at most n more,
    # and reads t once to count it). Comparing or rebuilding Counters per move
    # keeps the same pointer moves but multiplies these reads.
    rng = random.Random(25)
    for n in (10, 100, 1_000):
        text = "".join(rng.choice("abcdefgh") for _ in range(n))
        s = ReadStr(text)
        longest_unique(s)
        assert s.reads <= 2 * n
        items = ReadSeq(text)
        longest_at_most_k_distinct(items, 3)
        assert items.reads <= 2 * n
        s, t = ReadStr(text), ReadStr("abca")
        assert min_window(s, t) == min_window(text, "abca")
        assert s.reads <= 3 * n
        assert t.reads == len(t)


def test_space_follows_the_window_or_every_character_seen() -> None:
    # 1,000 distinct characters, each twice: every window without a repeat,
    # or with at most 1 distinct value, holds at most 2 characters.
    distinct = "".join(chr(0x4E00 + i) for i in range(1_000))
    s = "".join(ch + ch for ch in distinct)
    table = sys.getsizeof(dict.fromkeys(distinct))  # one key per character of s
    assert traced_peak(partial(longest_unique, s)) < table // 5
    assert traced_peak(partial(longest_at_most_k_distinct, s, 1)) < table // 5
    # These two keep a key for every character seen, though the window is tiny.
    assert traced_peak(partial(min_window, s, s[0])) > table
    assert traced_peak(partial(longest_unique_by_jumping, s)) > table


def test_at_most_k_distinct_matches_every_subarray() -> None:
    rng = random.Random(23)
    for _ in range(300):
        items = [rng.randint(0, 4) for _ in range(rng.randint(0, 14))]
        k = rng.randint(0, 4)
        best = max(j - i for i, j in substrings(len(items)) if len(set(items[i:j])) <= k)
        moves = WindowMoves()
        assert longest_at_most_k_distinct(items, k, moves) == best
        assert moves.total <= 2 * len(items)
        assert longest_at_most_k_sliding(items, k) == best  # if, not while: same length


def test_the_sliding_window_keeps_its_length_but_not_its_validity() -> None:
    # "aabbc" with k = 1: the best is 2 ("aa"), so the window slides at length 2
    # and ends on "bc", which has 2 distinct values: only the length is right.
    assert longest_at_most_k_sliding("aabbc", 1) == longest_at_most_k_distinct("aabbc", 1) == 2
    assert longest_at_most_k_sliding("abc", 0) == 0
    with pytest.raises(ValueError, match="k must be >= 0"):
        longest_at_most_k_sliding("abc", -1)


def test_at_most_k_distinct_on_the_problem_examples_and_bad_k() -> None:
    assert longest_at_most_k_distinct("eceba", 2) == 3
    assert longest_at_most_k_distinct("aa", 1) == 2
    assert longest_at_most_k_distinct([1, 2, 1], 2) == 3  # fruit into baskets
    assert longest_at_most_k_distinct([0, 1, 2, 2], 2) == 3
    assert longest_at_most_k_distinct("abc", 0) == 0
    with pytest.raises(ValueError, match="k must be >= 0"):
        longest_at_most_k_distinct("abc", -2)


def test_min_window_matches_the_shortest_leftmost_covering_substring() -> None:
    rng = random.Random(24)
    for _ in range(300):
        s = random_text(rng, "abc", 12)
        t = random_text(rng, "abcd", 4) or "a"
        need = Counter(t)
        expected = next((s[i:j] for i, j in substrings(len(s)) if Counter(s[i:j]) >= need), "")
        moves = WindowMoves()
        assert min_window(s, t, moves) == expected
        assert moves.total <= 2 * len(s)


def test_min_window_on_the_problem_examples() -> None:
    assert min_window("ADOBECODEBANC", "ABC") == "BANC"
    assert min_window("a", "a") == "a"
    assert min_window("a", "aa") == ""  # impossible: "" as LeetCode 76 asks, not None
    assert min_window("aab", "ab") == "ab"
    assert min_window("abc", "") == ""
    with pytest.raises(TypeError, match="two strings"):
        min_window(["a"], "a")  # type: ignore[arg-type]
