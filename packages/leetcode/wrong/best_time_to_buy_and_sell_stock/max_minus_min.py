"""Takes the highest price minus the lowest, as if you could sell before you buy."""

from __future__ import annotations


def max_profit(prices: list[int]) -> int:
    return max(0, max(prices) - min(prices))
