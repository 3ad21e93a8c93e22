"""Coin Change.

Given the coin denominations ``coins`` (as many of each as you like) and an
``amount``, return the fewest coins whose values add up to ``amount``, or
``-1`` if no combination of the coins does.

Example 1: coins = [1, 2, 5], amount = 11  ->  3   (5 + 5 + 1)
Example 2: coins = [2], amount = 3         ->  -1
Example 3: coins = [1], amount = 0         ->  0

Constraints: 1 <= len(coins) <= 12; 1 <= coins[i] <= 2**31 - 1;
0 <= amount <= 10**4. Aim for O(amount * len(coins)) time: the tests count
the operations your solution makes. The tests run on a plain CPython, with
its default recursion limit (1000).
"""

from __future__ import annotations


def coin_change(coins: list[int], amount: int) -> int:
    """The fewest of ``coins`` (any number of each) that add up to ``amount``, or -1."""
    # TODO: write your solution here, then run: uv run handbook practice coin_change
    raise NotImplementedError("coin_change is not written yet")
