"""Forces a trade: the best profit starts at minus infinity, so falling prices give a loss."""

from __future__ import annotations


def max_profit(prices: list[int]) -> int:
    best = float("-inf")
    lowest = prices[0]
    for price in prices[1:]:
        best = max(best, price - lowest)
        lowest = min(lowest, price)
    return int(best) if best != float("-inf") else 0
