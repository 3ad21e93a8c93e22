"""Tests for algo.dp: each table against an exhaustive oracle on small inputs, work counted.

Inputs come from a seeded ``random.Random`` (deterministic like the package's
Hypothesis profile). The oracles enumerate coin multisets and sequences, all
subsequences, all item subsets, and run a breadth-first search over strings
for edit distance, so inputs stay tiny; together they keep this file well
under a second.

LIS comparisons are counted from outside, by ``Compared`` values that record
every ``<``, ``<=``, ``>`` and ``>=`` made on them, so a slower search over
``tails`` shows in the count whatever the code reports. The table "work"
tests count cells, through ``OpCount``, as the lesson's docstring says.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Iterator
from itertools import combinations, combinations_with_replacement, pairwise

import pytest

from handbook.algo.dp import (
    OpCount,
    count_combinations,
    count_sequences,
    edit_distance,
    edit_distance_two_rows,
    knapsack_01,
    knapsack_unbounded,
    lcs,
    longest_increasing_subsequence,
    min_coins,
    min_coins_greedy,
)
from handbook.algo.testing import Compared


def random_coins(rng: random.Random) -> list[int]:
    """One to three distinct coins from 1..6, in random order."""
    return rng.sample(range(1, 7), rng.randint(1, 3))


def coin_multisets(coins: list[int], amount: int) -> Iterator[tuple[int, ...]]:
    """Every multiset of coins summing to ``amount`` (coins are >= 1, so at most ``amount``)."""
    for size in range(amount + 1):
        for combo in combinations_with_replacement(sorted(coins), size):
            if sum(combo) == amount:
                yield combo


def coin_sequences(coins: list[int], amount: int) -> int:
    """Ordered sequences summing to ``amount``, counted by extending every prefix."""
    if amount == 0:
        return 1
    return sum(coin_sequences(coins, amount - c) for c in coins if c <= amount)


def is_subsequence(sub: str, s: str) -> bool:
    """True if ``sub`` can be obtained from ``s`` by deleting characters."""
    it = iter(s)
    return all(ch in it for ch in sub)


def edit_distance_by_search(a: str, b: str, substitute: bool = True) -> int:
    """Breadth-first search over strings, one edit per step: the fewest edits, by definition.

    ``substitute=False`` allows only inserts and deletes.

    Two prunings keep it small. An optimal script never writes a letter absent
    from ``b`` (it would have to be edited again), so the letters of ``a + b``
    suffice. And its edits can be reordered as deletes, then substitutions,
    then inserts, so no string on the way is longer than ``max(len(a), len(b))``.
    """
    alphabet = sorted(set(a + b))
    longest = max(len(a), len(b))
    seen = {a}
    frontier: deque[tuple[str, int]] = deque([(a, 0)])
    while frontier:
        s, d = frontier.popleft()
        if s == b:
            return d
        neighbours = {s[:i] + s[i + 1 :] for i in range(len(s))}
        for i in range(len(s) + 1):
            for ch in alphabet:
                neighbours.add(s[:i] + ch + s[i:])
                if substitute and i < len(s):
                    neighbours.add(s[:i] + ch + s[i + 1 :])
        for t in neighbours - seen:
            if len(t) > longest:
                continue
            seen.add(t)
            frontier.append((t, d + 1))
    raise AssertionError("b is always reachable")


def test_min_coins_matches_every_multiset() -> None:
    rng = random.Random(71)
    for _ in range(200):
        coins, amount = random_coins(rng), rng.randint(0, 12)
        sizes = [len(combo) for combo in coin_multisets(coins, amount)]
        assert min_coins(coins, amount) == (min(sizes) if sizes else -1)


def test_min_coins_needs_unreachable_as_the_starting_value() -> None:
    assert min_coins([2], 3) == -1
    assert min_coins([1, 2, 5], 11) == 3  # LeetCode 322
    assert min_coins([5], 10) == 2
    assert min_coins([1], 0) == 0


def test_greedy_coin_change_is_wrong_for_non_canonical_coins() -> None:
    assert min_coins_greedy([1, 3, 4], 6) == 3  # 4 + 1 + 1
    assert min_coins([1, 3, 4], 6) == 2  # 3 + 3
    assert min_coins_greedy([1, 2, 5, 10], 18) == min_coins([1, 2, 5, 10], 18) == 4
    assert min_coins_greedy([4, 3], 6) == -1  # takes 4, then stuck at 2
    assert min_coins([4, 3], 6) == 2


def test_ways_match_counted_multisets_and_sequences() -> None:
    rng = random.Random(72)
    for _ in range(200):
        coins, amount = random_coins(rng), rng.randint(0, 12)
        assert count_combinations(coins, amount) == sum(1 for _ in coin_multisets(coins, amount))
        assert count_sequences(coins, amount) == coin_sequences(coins, amount)


def test_loop_order_decides_combinations_or_sequences() -> None:
    assert count_combinations([1, 2], 3) == 2  # 1+1+1, 1+2
    assert count_sequences([1, 2], 3) == 3  # 1+1+1, 1+2, 2+1
    assert count_combinations([1, 2, 5], 5) == 4  # LeetCode 518
    assert count_combinations([2], 3) == 0
    assert count_combinations([10], 10) == 1
    assert count_sequences([1, 2, 3], 4) == 7  # LeetCode 377


def test_coin_tables_do_len_coins_times_amount_work() -> None:
    for amount in (10, 100, 1_000):
        coins = [1, 5, 10, 25]
        for run, cells in (
            (min_coins, len(coins) * amount),
            (count_combinations, len(coins) * (amount + 1)),
            (count_sequences, len(coins) * (amount + 1)),
        ):
            ops = OpCount()
            run(coins, amount, ops)
            assert ops.count == cells


def test_counting_ways_rejects_a_repeated_coin() -> None:
    # Unchecked, [1, 1] would be two kinds of coin: 3 ways to make 2, not 1.
    for run in (count_combinations, count_sequences):
        with pytest.raises(ValueError, match=r"coins must be distinct, got \[1, 1\]"):
            run([1, 1], 2)
    assert min_coins([1, 1, 2], 2) == 1  # a minimum does not care


def test_coin_change_rejects_bad_input() -> None:
    for run in (min_coins, min_coins_greedy, count_combinations, count_sequences):
        with pytest.raises(ValueError, match="coins must be positive"):
            run([1, 0], 5)
        with pytest.raises(ValueError, match="amount must be >= 0"):
            run([1], -1)


def test_lis_matches_every_subsequence() -> None:
    rng = random.Random(73)
    for _ in range(300):
        values = [rng.randint(0, 6) for _ in range(rng.randint(0, 10))]
        best = max(
            (
                size
                for size in range(len(values) + 1)
                for idx in combinations(range(len(values)), size)
                if all(values[i] < values[j] for i, j in pairwise(idx))
            ),
            default=0,
        )
        found = longest_increasing_subsequence(values)
        assert len(found) == best
        assert all(x < y for x, y in pairwise(found))
        it = iter(values)
        assert all(x in it for x in found)  # a subsequence, in order


def test_lis_is_strictly_increasing() -> None:
    assert longest_increasing_subsequence([2, 2, 2]) == [2]
    assert longest_increasing_subsequence([1, 3, 3, 4]) == [1, 3, 4]
    assert longest_increasing_subsequence([10, 9, 2, 5, 3, 7, 101, 18]) == [2, 3, 7, 18]
    assert longest_increasing_subsequence([0, 1, 0, 3, 2, 3]) == [0, 1, 2, 3]  # LeetCode 300
    assert longest_increasing_subsequence([]) == []


def test_lis_comparisons_are_within_n_log_n() -> None:
    rng = random.Random(74)
    for n in (10, 100, 1_000, 4_000):
        bound = n * math.ceil(math.log2(n + 1))
        # Sorted input is the worst case: tails grows to n, every search is longest.
        for plain in ([rng.randint(0, n) for _ in range(n)], list(range(n))):
            ops = OpCount()
            found = longest_increasing_subsequence([Compared(x, ops) for x in plain])
            assert found == longest_increasing_subsequence(plain)
            assert ops.count <= bound


def test_lcs_matches_every_subsequence() -> None:
    rng = random.Random(75)
    for _ in range(300):
        a = "".join(rng.choice("abc") for _ in range(rng.randint(0, 7)))
        b = "".join(rng.choice("abc") for _ in range(rng.randint(0, 7)))
        best = max(
            (
                size
                for size in range(len(a) + 1)
                for idx in combinations(range(len(a)), size)
                if is_subsequence("".join(a[i] for i in idx), b)
            ),
            default=0,
        )
        found = lcs(a, b)
        assert len(found) == best
        assert is_subsequence(found, a)
        assert is_subsequence(found, b)


def test_insert_delete_distance_is_n_plus_m_minus_twice_the_lcs() -> None:
    rng = random.Random(79)
    for _ in range(100):
        a = "".join(rng.choice("ab") for _ in range(rng.randint(0, 4)))
        b = "".join(rng.choice("abc") for _ in range(rng.randint(0, 4)))
        by_search = edit_distance_by_search(a, b, substitute=False)
        assert by_search == len(a) + len(b) - 2 * len(lcs(a, b))


def test_lcs_on_the_textbook_example_and_its_table_size() -> None:
    assert len(lcs("ABCBDAB", "BDCABA")) == 4  # CLRS
    assert lcs("abcde", "ace") == "ace"  # LeetCode 1143
    assert lcs("", "abc") == ""
    for n in (5, 25, 100):
        ops = OpCount()
        lcs("ab" * n, "ba" * n, ops)
        assert ops.count == (2 * n) * (2 * n)


def test_edit_distance_matches_a_search_over_edits() -> None:
    rng = random.Random(76)
    for _ in range(150):
        a = "".join(rng.choice("ab") for _ in range(rng.randint(0, 4)))
        b = "".join(rng.choice("abc") for _ in range(rng.randint(0, 4)))
        assert edit_distance(a, b) == edit_distance_by_search(a, b)


def test_two_rows_give_the_same_distance_as_the_full_table() -> None:
    assert edit_distance_two_rows("a", "a") == 0  # needs the diagonal of row 0
    assert edit_distance_two_rows("horse", "ros") == 3
    rng = random.Random(80)
    for _ in range(300):
        a = "".join(rng.choice("abc") for _ in range(rng.randint(0, 8)))
        b = "".join(rng.choice("abc") for _ in range(rng.randint(0, 8)))
        assert edit_distance_two_rows(a, b) == edit_distance(a, b)


def test_edit_distance_on_the_textbook_examples() -> None:
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("horse", "ros") == 3  # LeetCode 72
    assert edit_distance("intention", "execution") == 5
    assert edit_distance("", "abc") == 3
    assert edit_distance("abc", "") == 3
    assert edit_distance("same", "same") == 0
    ops = OpCount()
    edit_distance("a" * 30, "b" * 40, ops)
    assert ops.count == 30 * 40


def test_knapsack_01_matches_every_subset() -> None:
    rng = random.Random(77)
    for _ in range(200):
        items = [(rng.randint(1, 6), rng.randint(0, 9)) for _ in range(rng.randint(0, 7))]
        capacity = rng.randint(0, 15)
        best = max(
            sum(v for _, v in subset)
            for size in range(len(items) + 1)
            for subset in combinations(items, size)
            if sum(w for w, _ in subset) <= capacity
        )
        assert knapsack_01(items, capacity) == best


def test_knapsack_01_takes_each_item_at_most_once() -> None:
    assert knapsack_01([(1, 1)], 3) == 1
    assert knapsack_01([(2, 3)], 7) == 3
    assert knapsack_01([(1, 1), (3, 4), (4, 5), (5, 7)], 7) == 9
    assert knapsack_01([], 5) == 0
    assert knapsack_01([(3, 10)], 2) == 0


def test_knapsack_unbounded_matches_every_count_vector() -> None:
    rng = random.Random(78)
    for _ in range(200):
        items = [(rng.randint(1, 5), rng.randint(0, 9)) for _ in range(rng.randint(0, 3))]
        capacity = rng.randint(0, 12)
        best = 0
        # Every multiset of items fitting in the capacity (weights >= 1).
        for size in range(capacity + 1):
            for combo in combinations_with_replacement(items, size):
                if sum(w for w, _ in combo) <= capacity:
                    best = max(best, sum(v for _, v in combo))
        assert knapsack_unbounded(items, capacity) == best


def test_knapsack_table_work_is_items_times_capacity() -> None:
    for capacity in (10, 100, 1_000):
        items = [(3, 4), (5, 7), (1, 1)]
        ops = OpCount()
        knapsack_01(items, capacity, ops)
        assert ops.count == sum(max(0, capacity - w + 1) for w, _ in items)
        assert ops.count <= len(items) * (capacity + 1)


def test_knapsack_rejects_bad_input() -> None:
    for run in (knapsack_01, knapsack_unbounded):
        with pytest.raises(ValueError, match="capacity must be >= 0"):
            run([(1, 1)], -1)
        with pytest.raises(ValueError, match="need weight >= 1, value >= 0"):
            run([(0, 5)], 3)
