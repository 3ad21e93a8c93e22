"""Dynamic programming: coin change, LIS in O(n log n), LCS, edit distance, 0/1 knapsack.

Why interviewers ask this:
    DP questions test whether you can name a state, write its recurrence and
    fill a table in an order where every cell's inputs are ready. The five
    here are the classics; each has one line that decides correctness: the
    order of two loops (combinations vs sequences), the direction of the
    knapsack loop (each item once vs unlimited), the border of the edit
    table, the bisect variant in LIS. Interviewers ask you to explain that
    line, not just to type it.

Common pitfalls:
    - Coin change, number of ways: amounts in the outer loop and coins in the
      inner one counts *ordered sequences* (1+2 and 2+1 twice, LeetCode 377),
      not combinations (LeetCode 518). Coins outer: each coin is added to
      every amount before the next coin is considered, so a combination is
      only ever built in coin order (break it: ``amount-outer``).
    - Coin change, fewest coins: greedy (largest coin first) is wrong for
      non-canonical coin systems: ``[1, 3, 4]`` for 6 takes 4+1+1, the
      optimum is 3+3. Starting the table at 0 instead of "unreachable"
      answers 0 coins for everything (break it: ``zero-init``).
    - 0/1 knapsack in one row: capacities must run *downwards*. Upwards,
      ``best[c - w]`` may already include this item, so it is taken again:
      that is the unbounded knapsack (break it: ``forwards``).
    - LIS with ``bisect_right`` finds the longest *non-decreasing*
      subsequence: ``[2, 2, 2]`` scores 3 instead of 1 (break it:
      ``bisect-right``). ``tails`` is not itself a subsequence; rebuild the
      answer from parent links.
    - Edit distance with a zero border: turning ``""`` into ``"abc"`` costs 3
      insertions, not 0; the first row and column are ``j`` and ``i`` (break
      it: ``zero-border``).

Key takeaways:
    - State, recurrence, order, answer. Coin change: ``fewest[a] = 1 +
      min(fewest[a - c])``; ways: ``ways[a] += ways[a - c]``.
    - LIS by patience sorting: ``tails[k]`` is the smallest tail of any
      increasing subsequence of length ``k + 1``; each value replaces the
      first tail ``>= x`` (``bisect_left``) or extends the list. ``tails``
      stays sorted, so each step is one binary search: at most
      ``ceil(log2(n + 1))`` value comparisons per element. Scanning ``tails``
      left to right instead gives the same answer in O(n^2) comparisons
      (break it: ``linear-scan``).
    - LCS and edit distance fill an ``(n + 1) x (m + 1)`` table, row by row;
      cell ``(i, j)`` needs only its left, upper and upper-left neighbours,
      so two rows are enough when only the number is wanted
      (``edit_distance_two_rows``). The rows must be two lists: writing the
      new row into the old one overwrites ``prev[j - 1]``, the diagonal,
      before cell ``j`` reads it (break it: ``one-list``).
    - Edit distance (Levenshtein): insert, delete and substitute cost 1;
      ``kitten -> sitting`` is 3.
    - Knapsack in one row: 0/1 iterates capacities from high to low, unbounded
      from low to high. Same recurrence, the direction decides reuse.
    - Go and Java fill the same tables; Java's ``int[]`` starts at 0, so the
      "unreachable" sentinel must be written in explicitly, as here.

What to look for in an answer:
    A strong candidate defines the state in words before indexing anything
    ("``ways[a]`` = combinations summing to ``a`` using the coins seen so
    far"), justifies the loop order from that definition, states time and
    space, and offers the space optimisation. Follow-ups:
    - Why does ``bisect_left`` give strictly increasing? (It replaces an
      equal tail instead of extending past it, so equal values never sit one
      after the other in a chain.)
    - Reconstruct the LCS string, not just its length? (Walk back from
      ``(n, m)``: on a match step diagonally and emit the character, else
      move towards the larger neighbour. The walk needs the full table; in
      O(n + m) space, Hirschberg's divide and conquer finds the row where the
      answer crosses the middle column from two two-row passes and recurses,
      for about twice the time.)
    - Fewest coins, and which coins? (Keep ``choice[a]``, the coin that gave
      the minimum at ``a``; walk ``a -= choice[a]`` from ``amount`` to 0.)
    - Number of ways in Go or Java? (The counts grow exponentially and
      overflow ``int64``/``long``, so the problem asks for them modulo
      ``10**9 + 7``: reduce after every addition. Python ints need no modulo.)
    - Edit distance with only inserts and deletes? (Keep the LCS and rebuild
      the rest: ``n + m - 2 * len(lcs(a, b))``.)
    - Knapsack with capacity 10**9 and few items? (The table is too big; DP
      over value instead of weight, or meet-in-the-middle over subsets.)
    - Is the knapsack DP polynomial? (No: O(n * capacity) is
      pseudo-polynomial, exponential in the number of bits of the capacity;
      the problem is NP-hard.)

Complexity:
    ``min_coins``, ``count_combinations``, ``count_sequences``: O(len(coins) *
    amount) time, O(amount) space. ``longest_increasing_subsequence``:
    O(n log n) comparisons, O(n) space. ``lcs`` and ``edit_distance``:
    O(n * m) time and space; ``edit_distance_two_rows``: O(n * m) time,
    O(m) space. ``knapsack_01`` and ``knapsack_unbounded``:
    O(len(items) * capacity) time, O(capacity) space.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from itertools import product

__all__ = [
    "OpCount",
    "count_combinations",
    "count_sequences",
    "edit_distance",
    "edit_distance_two_rows",
    "knapsack_01",
    "knapsack_unbounded",
    "lcs",
    "longest_increasing_subsequence",
    "min_coins",
    "min_coins_greedy",
]


class OpCount:
    """Counts table cells filled by one run: one per step of the innermost loop."""

    def __init__(self) -> None:
        self.count = 0


def _check_coins(coins: Sequence[int], amount: int, *, distinct: bool = False) -> None:
    """``ValueError`` unless every coin is positive (and, if asked, distinct) and amount >= 0."""
    if amount < 0:
        raise ValueError(f"amount must be >= 0, got {amount}")
    if any(c <= 0 for c in coins):
        raise ValueError(f"coins must be positive, got {list(coins)}")
    if distinct and len(set(coins)) != len(coins):
        raise ValueError(f"coins must be distinct, got {list(coins)}")


def min_coins(coins: Sequence[int], amount: int, ops: OpCount | None = None) -> int:
    """Fewest coins summing to ``amount``, each coin usable any number of times; -1 if none.

    >>> min_coins([1, 2, 5], 11), min_coins([2], 3), min_coins([1, 3, 4], 6)
    (3, -1, 2)
    """
    _check_coins(coins, amount)
    m = ops if ops is not None else OpCount()
    unreachable = amount + 1  # more coins than any real answer (coins are >= 1)
    fewest = [0] + [unreachable] * amount  # break[zero-init]
    for a in range(1, amount + 1):
        for c in coins:
            m.count += 1
            if c <= a and fewest[a - c] + 1 < fewest[a]:
                fewest[a] = fewest[a - c] + 1
    return -1 if fewest[amount] >= unreachable else fewest[amount]


def min_coins_greedy(coins: Sequence[int], amount: int) -> int:
    """The pitfall: take the largest coin that fits, repeatedly; -1 if stuck.

    Right for canonical systems such as ``[1, 2, 5, 10]``, wrong in general.

    >>> min_coins_greedy([1, 3, 4], 6)
    3
    """
    _check_coins(coins, amount)
    used = 0
    for c in sorted(coins, reverse=True):
        used += amount // c
        amount %= c
    return used if amount == 0 else -1


def count_combinations(coins: Sequence[int], amount: int, ops: OpCount | None = None) -> int:
    """Multisets of coins summing to ``amount``: 1+2 and 2+1 are one way (LeetCode 518).

    Coins in the outer loop. Raises ``ValueError`` for a repeated coin, which
    the table would treat as a second kind (``[1, 1]`` for 2 would count 3).

    >>> count_combinations([1, 2, 5], 5), count_combinations([1, 2], 3)
    (4, 2)
    """
    _check_coins(coins, amount, distinct=True)
    m = ops if ops is not None else OpCount()
    ways = [1] + [0] * amount
    for c, a in product(coins, range(amount + 1)):  # break[amount-outer]
        m.count += 1
        if c <= a:
            ways[a] += ways[a - c]
    return ways[amount]


def count_sequences(coins: Sequence[int], amount: int, ops: OpCount | None = None) -> int:
    """Ordered sequences of coins summing to ``amount``: 1+2 and 2+1 differ (LeetCode 377).

    Amounts in the outer loop: the only change from ``count_combinations``.

    >>> count_sequences([1, 2], 3), count_sequences([1, 2, 3], 4)
    (3, 7)
    """
    _check_coins(coins, amount, distinct=True)
    m = ops if ops is not None else OpCount()
    ways = [1] + [0] * amount
    for a, c in product(range(amount + 1), coins):
        m.count += 1
        if c <= a:
            ways[a] += ways[a - c]
    return ways[amount]


def longest_increasing_subsequence(values: Sequence[int]) -> list[int]:
    """One longest strictly increasing subsequence, by patience sorting with ``bisect``.

    Compares values only with ``<`` (inside ``bisect_left``), at most
    ``ceil(log2(n + 1))`` times per value.

    >>> longest_increasing_subsequence([10, 9, 2, 5, 3, 7, 101, 18])
    [2, 3, 7, 18]
    >>> longest_increasing_subsequence([2, 2, 2])
    [2]
    """

    def value_of(index: int) -> int:
        return values[index]

    tails: list[int] = []  # tails[k]: index of the smallest tail of a length-(k + 1) run
    parent: list[int] = [-1] * len(values)
    for i, x in enumerate(values):
        k = bisect.bisect_left(tails, x, key=value_of)  # break[bisect-right]  # break[linear-scan]
        if k > 0:
            parent[i] = tails[k - 1]
        if k == len(tails):
            tails.append(i)
        else:
            tails[k] = i
    result: list[int] = []
    i = tails[-1] if tails else -1
    while i != -1:
        result.append(values[i])
        i = parent[i]
    return result[::-1]


def lcs(a: str, b: str, ops: OpCount | None = None) -> str:
    """One longest common subsequence of two strings, rebuilt from the full table.

    >>> lcs("ABCBDAB", "BDCABA"), lcs("abc", "def")
    ('BCBA', '')
    """
    m = ops if ops is not None else OpCount()
    n, k = len(a), len(b)
    table = [[0] * (k + 1) for _ in range(n + 1)]  # table[i][j]: LCS length of a[:i], b[:j]
    for i in range(1, n + 1):
        for j in range(1, k + 1):
            m.count += 1
            if a[i - 1] == b[j - 1]:
                table[i][j] = table[i - 1][j - 1] + 1
            else:
                table[i][j] = max(table[i - 1][j], table[i][j - 1])
    out: list[str] = []
    i, j = n, k
    while i and j:
        if a[i - 1] == b[j - 1]:
            out.append(a[i - 1])
            i, j = i - 1, j - 1
        elif table[i - 1][j] >= table[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return "".join(reversed(out))


def edit_distance(a: str, b: str, ops: OpCount | None = None) -> int:
    """Levenshtein distance: fewest single-character inserts, deletes, substitutions.

    >>> edit_distance("kitten", "sitting"), edit_distance("horse", "ros"), edit_distance("", "abc")
    (3, 3, 3)
    """
    m = ops if ops is not None else OpCount()
    n, k = len(a), len(b)
    dist = [[0] * (k + 1) for _ in range(n + 1)]  # dist[i][j]: a[:i] -> b[:j]
    for i in range(n + 1):
        dist[i][0] = i  # delete all i characters
    for j in range(k + 1):
        dist[0][j] = j  # break[zero-border]
    for i in range(1, n + 1):
        for j in range(1, k + 1):
            m.count += 1
            substitute = dist[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            dist[i][j] = min(substitute, dist[i - 1][j] + 1, dist[i][j - 1] + 1)
    return dist[n][k]


def edit_distance_two_rows(a: str, b: str) -> int:
    """``edit_distance`` keeping only the previous and the current row: O(len(b)) space.

    >>> edit_distance_two_rows("kitten", "sitting"), edit_distance_two_rows("", "abc")
    (3, 3)
    """
    k = len(b)
    prev = list(range(k + 1))  # row i - 1; row 0 is j inserts
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * k  # break[one-list]
        for j in range(1, k + 1):
            substitute = prev[j - 1] + (a[i - 1] != b[j - 1])  # the diagonal, still row i - 1
            cur[j] = min(substitute, prev[j] + 1, cur[j - 1] + 1)
        prev = cur
    return prev[k]


def _check_items(items: Sequence[tuple[int, int]], capacity: int) -> None:
    """``ValueError`` for a negative capacity or an item with weight < 1 or value < 0."""
    if capacity < 0:
        raise ValueError(f"capacity must be >= 0, got {capacity}")
    for weight, value in items:
        if weight < 1 or value < 0:
            raise ValueError(f"item (weight={weight}, value={value}): need weight >= 1, value >= 0")


def knapsack_01(items: Sequence[tuple[int, int]], capacity: int, ops: OpCount | None = None) -> int:
    """Best total value of ``(weight, value)`` items, each taken at most once.

    >>> knapsack_01([(1, 1), (3, 4), (4, 5), (5, 7)], 7), knapsack_01([(1, 1)], 3)
    (9, 1)
    """
    _check_items(items, capacity)
    m = ops if ops is not None else OpCount()
    best = [0] * (capacity + 1)  # best[c]: best value within capacity c, items so far
    for weight, value in items:
        for c in range(capacity, weight - 1, -1):  # break[forwards]
            m.count += 1
            best[c] = max(best[c], best[c - weight] + value)
    return best[capacity]


def knapsack_unbounded(
    items: Sequence[tuple[int, int]], capacity: int, ops: OpCount | None = None
) -> int:
    """Best total value when every item may be taken any number of times.

    The same loop as ``knapsack_01`` with capacities upwards: ``best[c - weight]``
    already counts this item, and taking it again is allowed.

    >>> knapsack_unbounded([(1, 1)], 3), knapsack_unbounded([(2, 3), (3, 5)], 7)
    (3, 11)
    """
    _check_items(items, capacity)
    m = ops if ops is not None else OpCount()
    best = [0] * (capacity + 1)
    for weight, value in items:
        for c in range(weight, capacity + 1):
            m.count += 1
            best[c] = max(best[c], best[c - weight] + value)
    return best[capacity]
