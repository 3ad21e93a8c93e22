"""Top-down DP with a memo: right and O(amount * len(coins)), but with coins [1] and
amount 10**4 it nests 10**4 calls, past CPython's default recursion limit of 1000."""

from __future__ import annotations

from functools import cache


def coin_change(coins: list[int], amount: int) -> int:
    @cache
    def fewest(total: int) -> int:
        if total == 0:
            return 0
        best = -1
        for coin in coins:
            if coin <= total:
                rest = fewest(total - coin)
                if rest != -1 and (best == -1 or rest + 1 < best):
                    best = rest + 1
        return best

    return fewest(amount)
