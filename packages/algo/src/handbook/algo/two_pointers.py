"""Two pointers: sorted two-sum, 3-sum without duplicates, dedupe in place, most water.

Why interviewers ask this:
    Two pointers turn an O(n^2) scan of all pairs into O(n) when the input has
    an order to exploit: a sorted array, or a quantity that only gets worse as
    the pointers close in. The code is short; the interview is about *why* it
    is allowed to discard a pair it never looked at. Interviewers ask for that
    argument, and for the duplicate handling in 3-sum, where most bugs live.

Common pitfalls:
    - ``while i <= j`` in two-sum: the pointers meet and the same element is
      used twice (``[3]`` "sums" to 6; break it: ``reuse-element``).
    - 3-sum duplicates skipped by looking *ahead* (``nums[i] == nums[i + 1]``):
      that drops the first copy, and with it every triplet that uses two (or
      three) copies of its smallest value, like ``(-1, -1, 2)`` (break it:
      ``skip-compares-next``). Look *back* (``nums[i] == nums[i - 1]``): the
      first copy is kept and has already found every triplet the later
      copies could.
    - Container with most water: moving the *taller* side. The width shrinks
      and the height cannot rise above the shorter side, so the optimum can be
      skipped (``max_area_moving_taller`` next to ``max_area``; break it:
      ``move-taller``).
    - Deleting from a list while iterating over it: the iterator's index runs
      on while the items shift left, so an item is skipped
      (``dedupe_while_iterating``). Write to a second index instead.
    - Two pointers on unsorted input: the discard argument needs the order.
      Checking it costs O(n), the same as the algorithm, so these functions
      check and raise ValueError.

Key takeaways:
    - Sorted two-sum keeps an invariant: no solution has an index outside
      ``[i, j]``. If ``a[i] + a[j] < target``, then ``a[i] + a[k] < target``
      for every ``k <= j``, and partners ``k > j`` are already ruled out, so
      ``i`` is in no solution: drop it. By symmetry drop ``j`` when the sum is
      too big. Each step moves one pointer, so at most ``n - 1`` moves.
    - 3-sum: sort, fix ``i``, two-sum on the rest: O(n^2) moves, at most
      ``(n - 1)(n - 2) / 2``. Skip equal values for ``i``; after a hit, move
      ``lo`` past the copies of ``a[lo]`` (``hi`` then moves on its own: the
      sum is now too big), so each triplet of values appears once.
    - Dedupe in place: a read index and a write index; ``a[:write]`` holds
      the distinct values seen so far. O(n), O(1) extra space, returns the
      new length (LeetCode 26) and leaves the tail unspecified.
    - Container with most water: always measure, then move the shorter
      side. Exactly ``n - 1`` moves.

What to look for in an answer:
    A strong candidate gives the discard argument before the code. For the
    container: let ``h[i] <= h[j]``. Every pair ``(i, k)`` with ``i < k < j``
    is narrower than ``(i, j)`` and no taller than ``h[i]``, so its area is at
    most ``area(i, j)``, already measured; ``i`` has no better partner left and
    can go. Moving ``j`` instead discards pairs ``(k, j)`` that may be taller.
    Follow-ups:
    - What if the heights are equal? (Either side may move: with
      ``h[i] == h[j]`` the argument holds for both.)
    - k-sum? (Sort, recurse down to two-sum: O(n^(k-1)); or meet in the middle.
      Can 3-sum beat O(n^2)? No O(n^(2 - e)) method is known: the 3SUM
      conjecture. A hash set also gives O(n^2), with O(n) space.)
    - Two-sum on *unsorted* input? (A hash map of value to index: O(n) time
      and O(n) space. Sorting ``(value, index)`` pairs keeps the indices but
      costs O(n log n) time and the same O(n) space.)
    - Two pointers on a linked list? (Fast and slow: one moves two steps per
      turn, the other one. When the fast one reaches the end, the slow one is
      at the middle; if there is a cycle they meet inside it (Floyd). Restart
      one from the head and move both one step at a time: they meet at the
      cycle's entry. LeetCode 287 "find the duplicate" treats
      ``i -> nums[i]`` as such a list.)

Complexity:
    ``two_sum_sorted``, ``dedupe_sorted``, ``max_area``: O(n) time, O(1) extra
    space. ``three_sum``: O(n^2) time after an O(n log n) sort.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "Moves",
    "dedupe_sorted",
    "dedupe_while_iterating",
    "max_area",
    "max_area_moving_taller",
    "three_sum",
    "two_sum_sorted",
]


class Moves:
    """Counts pointer moves, the unit of work of a two-pointer scan."""

    def __init__(self) -> None:
        self.count = 0

    def step(self) -> None:
        """Count one pointer move."""
        self.count += 1


def _require_sorted(a: Sequence[int], what: str) -> None:
    """Raise ValueError unless ``a`` is non-decreasing: O(n), as cheap as the scan."""
    for k in range(1, len(a)):
        if a[k - 1] > a[k]:
            raise ValueError(f"{what} needs sorted input: a[{k - 1}] > a[{k}]")


def two_sum_sorted(
    a: Sequence[int], target: int, moves: Moves | None = None
) -> tuple[int, int] | None:
    """Indices ``i < j`` with ``a[i] + a[j] == target`` in sorted ``a``, or None.

    >>> two_sum_sorted([2, 7, 11, 15], 9), two_sum_sorted([3], 6)
    ((0, 1), None)
    >>> two_sum_sorted([3, 1], 4)
    Traceback (most recent call last):
    ...
    ValueError: two_sum_sorted needs sorted input: a[0] > a[1]
    """
    _require_sorted(a, "two_sum_sorted")
    m = moves if moves is not None else Moves()
    i, j = 0, len(a) - 1
    while i < j:  # break[reuse-element]
        s = a[i] + a[j]
        if s == target:
            return i, j
        if s < target:
            i += 1  # a[i] + (anything left) is too small: i is in no solution
        else:
            j -= 1
        m.step()
    return None


def three_sum(
    nums: Sequence[int], target: int = 0, moves: Moves | None = None
) -> list[tuple[int, int, int]]:
    """Every distinct triplet of values (ascending, each sorted) summing to ``target``.

    >>> three_sum([-1, 0, 1, 2, -1, -4])
    [(-1, -1, 2), (-1, 0, 1)]
    """
    a = sorted(nums)
    m = moves if moves is not None else Moves()
    found: list[tuple[int, int, int]] = []
    n = len(a)
    for i in range(n - 2):
        if i > 0 and a[i] == a[i - 1]:  # break[skip-compares-next]
            continue  # this value already found every triplet it starts
        lo, hi = i + 1, n - 1
        while lo < hi:
            s = a[i] + a[lo] + a[hi]
            if s < target:
                lo += 1
                m.step()
            elif s > target:
                hi -= 1
                m.step()
            else:
                found.append((a[i], a[lo], a[hi]))
                lo += 1
                m.step()
                while lo < hi and a[lo] == a[lo - 1]:
                    lo += 1  # the same middle value would repeat the triplet
                    m.step()
    return found


def dedupe_sorted(a: list[int], moves: Moves | None = None) -> int:
    """Remove duplicates from sorted ``a`` in place; return the new length ``k``.

    ``a[:k]`` holds each value once, in order; ``a[k:]`` is left unspecified.
    O(1) extra space: two indices, no second list.

    >>> a = [0, 0, 1, 1, 1, 2, 3, 3]
    >>> k = dedupe_sorted(a)
    >>> k, a[:k]
    (4, [0, 1, 2, 3])
    """
    _require_sorted(a, "dedupe_sorted")
    m = moves if moves is not None else Moves()
    if not a:
        return 0
    write = 1
    for read in range(1, len(a)):
        m.step()
        if a[read] != a[write - 1]:
            a[write] = a[read]
            write += 1
    return write


def dedupe_while_iterating(a: list[int]) -> list[int]:
    """The pitfall: ``del`` inside ``for ... in enumerate(a)`` skips the item after each deletion.

    >>> dedupe_while_iterating([1, 1, 1])
    [1, 1]
    """
    for i, value in enumerate(a):
        if i > 0 and value == a[i - 1]:
            del a[i]  # the next item shifts into index i, and the loop moves to i + 1
    return a


def max_area(
    heights: Sequence[int],
    moves: Moves | None = None,
    visited: list[tuple[int, int]] | None = None,
) -> int:
    """Most water between two lines: ``max(min(h[i], h[j]) * (j - i))`` (LeetCode 11).

    ``visited``, if given, receives every pair measured, in order.

    >>> max_area([1, 8, 6, 2, 5, 4, 8, 3, 7])
    49
    """
    if any(h < 0 for h in heights):
        raise ValueError("heights must be >= 0")
    m = moves if moves is not None else Moves()
    i, j = 0, len(heights) - 1
    best = 0
    while i < j:
        if visited is not None:
            visited.append((i, j))
        best = max(best, min(heights[i], heights[j]) * (j - i))
        if heights[i] <= heights[j]:  # break[move-taller]
            i += 1  # every (i, k) with k < j is narrower and no taller than h[i]
        else:
            j -= 1
        m.step()
    return best


def max_area_moving_taller(heights: Sequence[int]) -> int:
    """The pitfall: the same scan, but it drops the *taller* line each step.

    It can discard the best pair before measuring it: here ``(1, 8)``, area 49.

    >>> max_area_moving_taller([1, 8, 6, 2, 5, 4, 8, 3, 7]), max_area([1, 8, 6, 2, 5, 4, 8, 3, 7])
    (8, 49)
    """
    i, j = 0, len(heights) - 1
    best = 0
    while i < j:
        best = max(best, min(heights[i], heights[j]) * (j - i))
        if heights[i] > heights[j]:
            i += 1
        else:
            j -= 1
    return best
