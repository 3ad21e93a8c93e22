"""Best Time to Buy and Sell Stock: one pass, selling each day against the lowest price so far.

``prices[i]`` is a stock's price on day ``i``. You may buy one share on one
day and sell it on a later day. Return the largest profit such a trade can
make, or ``0`` when no trade makes money (you may also not trade at all).

Example 1: ``prices = [7, 1, 5, 3, 6, 4]`` gives ``5``: buy at 1 (day 1),
sell at 6 (day 4). Selling at 7 is not allowed: day 0 comes before day 1.
Example 2: ``prices = [7, 6, 4, 3, 1]`` gives ``0``: the price only falls.

Constraints: ``1 <= len(prices) <= 10**5``; ``0 <= prices[i] <= 10**4``.

Why interviewers ask this:
    The brute force tries every pair of days, O(n^2). The one-pass answer
    asks a better question: if I sell today, the best buy day is the cheapest
    day so far. It is the smallest example of keeping a running summary of
    the past (a prefix minimum) instead of revisiting it, the same move as
    Kadane's maximum subarray, and interviewers watch whether the candidate
    keeps the order of days straight.

Common pitfalls:
    - ``max(prices) - min(prices)``: ignores that the buy must come first.
      ``[7, 6, 4, 3, 1]`` answers 6 instead of 0, and ``[2, 4, 1]`` answers 3
      instead of 2.
    - Buying at the global minimum and selling at the highest price after
      it: the minimum may come too late. ``[3, 8, 1, 2]`` answers 1 instead
      of 5 (buy at 3, sell at 8).
    - Forcing a trade: starting the best profit at ``-inf`` (or at
      ``prices[1] - prices[0]``) returns a loss when prices only fall; the
      problem allows not trading, so the answer is never below 0.
    - Trying every pair of days: right, and O(n^2); too slow at 10**5 days.

Key takeaways:
    - For each day, in order: the best profit selling today is today's price
      minus the lowest price before it; keep the best of those and the lowest
      price so far. Updating the lowest price with today's price is harmless
      (selling the day you buy earns 0), so the order of the two updates
      does not matter.
    - The answer starts at 0, which is the "do not trade" option.
    - The same answer is the maximum subarray sum of the day-to-day changes
      ``prices[i] - prices[i - 1]`` (Kadane), floored at 0.

What to look for in an answer:
    - The brute force named with its cost, then the running minimum, with
      O(n) time and O(1) extra space stated, and the falling-prices case
      answered 0 without a special case.
    - Follow-up: "return the days, not the profit": remember the index of the
      running minimum, and the pair of indices whenever the best improves.
    - Follow-up: "as many trades as you like" (LeetCode 122): add every
      positive day-to-day change; greedy, O(n).
    - Follow-up: "at most two trades" / "at most k trades" (LeetCode 123, 188):
      dynamic programming over (day, trades used, holding or not); O(n*k).
      When k >= n/2 the limit cannot bind (a trade takes two days), and it is
      LeetCode 122's greedy again.
    - Follow-up: "a fee per trade" (LeetCode 714): two states per day,
      holding or not; selling earns the price minus the fee.
    - Follow-up: "a cooldown day after selling" (LeetCode 309): three states,
      holding, just sold (the next day is the cooldown) and resting; or two
      states, where buying on day i starts from the not-holding profit of
      day i - 2 instead of day i - 1.

Complexity:
    O(n) time, O(1) extra space; the all-pairs brute force is O(n^2) time.
    The test counts comparisons of the counted prices it passes in: a brute
    force that first copies them into plain ints (``[int(p) for p in
    prices]``) and then takes ``min`` of every prefix hides that work inside
    builtins, and passes (the package README, "What the counting cannot
    see"). It is O(n^2) all the same.
"""

from __future__ import annotations

DIFFICULTY = "Easy"
TAGS = ("array", "dynamic programming")
HINTS = (
    "Suppose you sell on day i. Which single earlier day should you have "
    "bought on? Do you need to look back over all earlier days to find it?",
    "Walk through the days once, keeping the lowest price seen so far and the "
    "best profit so far. Start the best profit at 0: not trading is allowed.",
)


def max_profit(prices: list[int]) -> int:
    """The largest profit of one buy followed by one later sell, or 0.

    >>> max_profit([7, 1, 5, 3, 6, 4])
    5
    >>> max_profit([7, 6, 4, 3, 1])
    0
    """
    lowest = prices[0]
    best = 0
    for price in prices:
        lowest = min(lowest, price)
        best = max(best, price - lowest)
    return best
