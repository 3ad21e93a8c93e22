"""Best Time to Buy and Sell Stock: the examples, the order of days, doing nothing, an oracle
on seeded inputs, and a linear budget."""

from __future__ import annotations

import random

from handbook.leetcode.testing import Solution, assert_time_budget, check, counted_ints

solve = Solution("best_time_to_buy_and_sell_stock", "max_profit")


def oracle(prices: list[int]) -> int:
    """The best of every (buy day, later sell day) pair, and 0 for not trading: O(n^2).

    >>> oracle([2, 4, 1]), oracle([3])
    (2, 0)
    """
    n = len(prices)
    return max([0] + [prices[j] - prices[i] for i in range(n) for j in range(i + 1, n)])


def test_the_statement_examples() -> None:
    check(solve, [7, 1, 5, 3, 6, 4], expected=5)
    check(solve, [7, 6, 4, 3, 1], expected=0)


def test_the_buy_comes_before_the_sell() -> None:
    # The highest price comes before the lowest: selling first is not allowed.
    check(solve, [2, 4, 1], expected=2)
    check(solve, [5, 9, 1, 4], expected=4)
    check(solve, [10, 1], expected=0)


def test_falling_prices_earn_nothing() -> None:
    # Not trading is allowed, so the answer is 0, never a loss.
    check(solve, [7, 6, 4, 3, 1], expected=0)
    check(solve, [2, 1], expected=0)
    check(solve, [10_000, 0], expected=0)


def test_the_lowest_price_is_not_always_the_buy_day() -> None:
    # The lowest price (1) comes after the best trade (3 -> 8).
    check(solve, [3, 8, 1, 2], expected=5)
    check(solve, [4, 10, 6, 0, 3], expected=6)


def test_one_day_and_flat_prices() -> None:
    check(solve, [5], expected=0)
    check(solve, [0], expected=0)
    check(solve, [3, 3, 3, 3], expected=0)
    check(solve, [0, 0], expected=0)


def test_the_limits_of_the_constraints() -> None:
    check(solve, [0, 10_000], expected=10_000)
    check(solve, [10_000] * 50 + [0] * 50, expected=0)
    check(solve, [10_000, *range(9_900, -1, -100), 10_000], expected=10_000)


def test_the_best_trade_spans_the_whole_list() -> None:
    check(solve, [1] + [5] * 40 + [3] * 40 + [9], expected=8)


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261211)
    for _ in range(300):
        high = rng.choice((3, 20, 10_000))
        prices = [rng.randint(0, high) for _ in range(rng.randint(1, 25))]
        check(solve, prices, expected=oracle(prices))


def _rise_after_a_fall(n: int) -> tuple[list[int]]:
    # Falling for the first half and rising for the second: the best trade buys at the
    # middle and sells on the last day. Every pair of days must be considered by a brute
    # force; a one-pass solution still reads each price once.
    half = n // 2
    return (counted_ints([*range(half, 0, -1), *range(1, n - half + 1)]),)


def test_time_is_linear() -> None:
    assert_time_budget(solve, _rise_after_a_fall, "O(n)")
