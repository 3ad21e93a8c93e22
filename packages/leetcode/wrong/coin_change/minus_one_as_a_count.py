"""Stores -1 for totals that cannot be made, then adds 1 to it as if it were a count."""

from __future__ import annotations


def coin_change(coins: list[int], amount: int) -> int:
    fewest = [0] + [-1] * amount
    for total in range(1, amount + 1):
        best = -1
        for coin in coins:
            if coin <= total:
                candidate = fewest[total - coin] + 1
                if best == -1 or candidate < best:
                    best = candidate
        fewest[total] = best
    return fewest[amount]
