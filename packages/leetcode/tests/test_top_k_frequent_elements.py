"""Top K Frequent Elements: the examples, the edge cases, an oracle on seeded inputs, and a
time budget that many distinct values make hard for a count-per-value scan."""

from __future__ import annotations

import random
from collections import Counter

from handbook.leetcode.testing import Solution, assert_time_budget, check, counted_ints

top_k_frequent = Solution("top_k_frequent_elements", "top_k_frequent")


def oracle(nums: list[int], k: int) -> list[int] | None:
    """The k most frequent values, or None when a tie at the k-th place makes the answer
    ambiguous (the problem promises it never is).

    >>> oracle([1, 1, 2, 2, 3], 1) is None
    True
    >>> sorted(oracle([1, 1, 2, 2, 3], 2))
    [1, 2]
    """
    ranked = Counter(nums).most_common()
    if k < len(ranked) and ranked[k - 1][1] == ranked[k][1]:
        return None
    return [value for value, _ in ranked[:k]]


def test_the_statement_examples() -> None:
    check(top_k_frequent, [1, 1, 1, 2, 2, 3], 2, expected=[1, 2], key=sorted, note="in any order")
    check(top_k_frequent, [1], 1, expected=[1], key=sorted, note="in any order")


def test_the_most_frequent_not_the_least() -> None:
    check(top_k_frequent, [4, 4, 4, 4, 5, 6, 6], 1, expected=[4], key=sorted, note="in any order")
    check(top_k_frequent, [9, 8, 8, 7, 7, 7], 2, expected=[7, 8], key=sorted, note="in any order")


def test_values_with_the_same_count_all_count() -> None:
    # 1 and 2 both occur twice: both belong to the answer, neither may hide the other.
    check(top_k_frequent, [1, 1, 2, 2, 3], 2, expected=[1, 2], key=sorted, note="in any order")
    check(
        top_k_frequent,
        [5, 6, 7, 5, 6, 7, 8],
        3,
        expected=[5, 6, 7],
        key=sorted,
        note="in any order",
    )


def test_one_value_repeated_many_times() -> None:
    # A count can be as large as len(nums), far more than the number of distinct values.
    check(top_k_frequent, [7, 7, 7], 1, expected=[7], key=sorted, note="in any order")
    check(top_k_frequent, [5, 5, 5, 5, 1], 1, expected=[5], key=sorted, note="in any order")


def test_k_is_every_distinct_value() -> None:
    check(top_k_frequent, [3, 1, 2, 1], 3, expected=[1, 2, 3], key=sorted, note="in any order")


def test_negative_values_and_the_limits() -> None:
    low, high = -(10**4), 10**4
    check(
        top_k_frequent,
        [low, high, low, -1, -1, -1],
        2,
        expected=[-1, low],
        key=sorted,
        note="in any order",
    )


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261203)
    checked = 0
    while checked < 300:
        nums = [rng.randint(-8, 8) for _ in range(rng.randint(1, 40))]
        k = rng.randint(1, len(set(nums)))
        expected = oracle(nums, k)
        if expected is None:  # a tie at the k-th place: not a valid input
            continue
        check(top_k_frequent, nums, k, expected=expected, key=sorted, note="in any order")
        checked += 1


def _mostly_distinct(n: int) -> tuple[list[int], int]:
    # n // 4 values occur twice and the other n // 2 once, shuffled: about 3n/4 distinct
    # values, so counting each one with a scan of the list costs about n * 3n/4 comparisons.
    # The answer is the values seen twice, unique because every other count is 1.
    twice = list(range(n // 4))
    once = list(range(n, n + n // 2))
    nums = twice + twice + once
    random.Random(n).shuffle(nums)
    return counted_ints(nums), n // 4


def test_time_is_n_log_n_at_most() -> None:
    # The counting check allows a log factor: it cannot tell the O(n) buckets from an
    # O(n log n) sort of the counts. It does reject O(n * distinct values).
    assert_time_budget(top_k_frequent, _mostly_distinct, "O(n log n)")
