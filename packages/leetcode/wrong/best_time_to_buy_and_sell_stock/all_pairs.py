"""Tries every pair of buy and sell days: right, and quadratic."""

from __future__ import annotations


def max_profit(prices: list[int]) -> int:
    best = 0
    for buy in range(len(prices)):
        for sell in range(buy + 1, len(prices)):
            best = max(best, prices[sell] - prices[buy])
    return best
