"""Best Time to Buy and Sell Stock.

``prices[i]`` is a stock's price on day ``i``. You may buy one share on one
day and sell it on a later day. Return the largest profit such a trade can
make, or ``0`` when no trade makes money (you may also not trade at all).

Example 1: prices = [7, 1, 5, 3, 6, 4]  ->  5   (buy at 1 on day 1, sell at 6 on day 4)
Example 2: prices = [7, 6, 4, 3, 1]     ->  0   (the price only falls)

Constraints: 1 <= len(prices) <= 10**5; 0 <= prices[i] <= 10**4. Aim for O(n)
time: the tests count the operations your solution makes, inside builtins too.
"""

from __future__ import annotations


def max_profit(prices: list[int]) -> int:
    """The largest profit of one buy followed by one later sell, or 0."""
    # TODO: write your solution here, then run:
    #     uv run handbook practice best_time_to_buy_and_sell_stock
    raise NotImplementedError("max_profit is not written yet")
