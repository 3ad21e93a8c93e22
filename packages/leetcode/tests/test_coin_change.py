"""Coin Change: the examples, greedy's counterexamples, impossible amounts, the limits (a
recursion 10**4 deep among them), an oracle on seeded inputs, and a budget linear in the
amount."""

from __future__ import annotations

import random

from handbook.leetcode.testing import Solution, assert_time_budget, check, counted_ints

coin_change = Solution("coin_change", "coin_change")


def oracle(coins: list[int], amount: int) -> int:
    """The fewest coins, found by listing the totals that exactly k coins make, k = 0, 1, ...

    Every coin is at least 1, so an answer uses at most ``amount`` coins.

    >>> oracle([1, 3, 4], 6), oracle([2], 3)
    (2, -1)
    """
    totals = {0}
    for count in range(amount + 1):
        if amount in totals:
            return count
        totals = {t + c for t in totals for c in coins if t + c <= amount}
    return -1


def test_the_statement_examples() -> None:
    check(coin_change, [1, 2, 5], 11, expected=3)
    check(coin_change, [2], 3, expected=-1)
    check(coin_change, [1], 0, expected=0)


def test_the_largest_coin_first_is_not_always_best() -> None:
    # Greedy takes 4 + 1 + 1; the best is 3 + 3.
    check(coin_change, [1, 3, 4], 6, expected=2)
    # Greedy takes 5 and is stuck at 4; 3 + 3 + 3 works.
    check(coin_change, [3, 5], 9, expected=3)
    check(coin_change, [5, 1, 6, 9], 11, expected=2)


def test_an_impossible_amount_is_minus_one() -> None:
    check(coin_change, [2], 3, expected=-1)
    check(coin_change, [5, 10], 3, expected=-1)
    check(coin_change, [3, 7], 11, expected=-1)
    check(coin_change, [4, 6], 25, expected=-1)


def test_amount_zero_needs_no_coins() -> None:
    check(coin_change, [7], 0, expected=0)
    check(coin_change, [2**31 - 1], 0, expected=0)


def test_coins_larger_than_the_amount() -> None:
    check(coin_change, [2**31 - 1], 10**4, expected=-1)
    check(coin_change, [1, 2**31 - 1], 3, expected=3)
    check(coin_change, [10**4 + 1, 10**4], 10**4, expected=1)


def test_amount_10_000_needs_no_deep_recursion() -> None:
    # amount at its limit with a unit coin: a top-down recursion nests 10**4 calls here,
    # past CPython's default recursion limit of 1000 frames.
    check(coin_change, [1], 10**4, expected=10**4)


def test_the_largest_amount() -> None:
    check(coin_change, [1, 2, 5], 10**4, expected=2000)
    check(coin_change, [186, 419, 83, 408], 6249, expected=20)


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261208)
    for _ in range(300):
        coins = rng.sample(range(1, 16), rng.randint(1, 4))
        amount = rng.randint(0, 25)
        check(coin_change, coins, amount, expected=oracle(coins, amount))


def _amount(n: int) -> tuple[list[int], int]:
    # Three coins and a growing amount: O(amount * len(coins)) is linear in n here.
    return counted_ints([1, 2, 5]), n


def test_time_is_linear_in_the_amount() -> None:
    assert_time_budget(coin_change, _amount, "O(n)", sizes=(8, 32, 128))
