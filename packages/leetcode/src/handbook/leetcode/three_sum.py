"""3Sum: sort, fix the smallest value, and close two pointers on the rest, skipping repeats.

Given an integer array ``nums``, return every triplet ``[nums[i], nums[j],
nums[k]]`` with ``i``, ``j`` and ``k`` distinct indices and
``nums[i] + nums[j] + nums[k] == 0``. The answer must not contain the same
triplet twice (two triplets are the same when they hold the same values);
the triplets and the values inside them may come in any order.

Example 1: ``nums = [-1, 0, 1, 2, -1, -4]`` gives ``[[-1, -1, 2], [-1, 0, 1]]``.
Example 2: ``nums = [0, 1, 1]`` gives ``[]``.
Example 3: ``nums = [0, 0, 0]`` gives ``[[0, 0, 0]]``.

Constraints: ``3 <= len(nums) <= 3000``; ``-10**5 <= nums[i] <= 10**5``.

Why interviewers ask this:
    It builds on Two Sum and adds the two things that make it Medium: the
    step from O(n^3) to O(n^2) (sort once, then each fixed value is a sorted
    two-sum solved by two pointers in O(n)), and duplicates, which must be
    skipped at the right place without losing triplets that repeat a value
    such as ``[-1, -1, 2]``. Interviewers watch the skipping closely; it is
    where most answers break.

Common pitfalls:
    - Three nested loops: O(n^3); with n = 3000, about 4.5 billion triplets.
    - The third loop hidden in ``in``: the hash-set method with a list
      (``seen = []``, then ``if need in seen``), or ``if need in
      nums[j + 1:]``, scans a list for every pair, so it is O(n^3) too,
      though it looks like two loops.
    - No duplicate skipping: ``[-1, -1, 0, 1]`` reports ``[-1, 0, 1]`` once for
      each ``-1``. Collecting sorted tuples in a set hides this, at the cost of
      generating each repeat first.
    - Skipping the wrong copy: ``if nums[i] == nums[i + 1]: continue`` (looking
      ahead) skips the first ``-1`` of ``[-1, -1, 2]`` and so loses the triplet
      that uses both; compare with ``nums[i - 1]`` instead. The same goes for
      the middle pointer: ``if nums[lo] == nums[lo - 1]: skip`` without the
      guard ``lo > i + 1`` compares the first middle value with the fixed one
      and loses ``[-1, -1, 2]`` and ``[0, 0, 0]``. Skipping the middle's
      repeats right after a hit, as below, needs no guard.
    - Sorting with ``nums.sort()`` changes the caller's list; ``sorted(nums)``
      does not. LeetCode does not mind, a code reviewer might.

Key takeaways:
    - After sorting, fix ``nums[i]`` as the smallest value of the triplet and
      look for a pair summing to ``-nums[i]`` in ``nums[i + 1:]`` with ``lo``
      and ``hi`` moving inwards: a sum too small moves ``lo`` up, too large
      moves ``hi`` down. Each fixed ``i`` costs O(n), so O(n^2) in all.
    - Uniqueness comes from the order: skip an ``i`` whose value equals the
      previous ``i``'s, and after a hit move ``lo`` past every copy of the
      value just used. Then each triplet of values is produced exactly once,
      with no set needed.
    - Once ``nums[i] > 0`` no triplet can start there (every later value is at
      least as large), so the loop can stop.
    - The tests count comparisons and additions on counted ints, inside
      ``in`` too: a third loop, written out or hidden in ``in`` on a list,
      grows faster than x32 per x4 in size (towards x64) and fails the O(n^2)
      budget. One budget input has no triplet at all (odd values only), so a
      scan for a third value never stops early.

What to look for in an answer:
    - The reduction to Two Sum stated, sort plus two pointers, O(n^2) time and
      O(1) extra space besides the output and the sorted copy (O(n) with it).
    - Duplicate skipping placed correctly and argued, with ``[-1, -1, 2]`` and
      ``[0, 0, 0, 0]`` checked by hand.
    - Follow-up: "can it be faster than O(n^2)?": only by log factors
      (Grønlund and Pettie, "Threesomes, Degenerates, and Love Triangles",
      FOCS 2014; Chan, SODA 2018, went further, still by log factors); no
      O(n^(2 - e)) algorithm is known, and the 3SUM conjecture says none
      exists. Problems that 3SUM reduces to are called 3SUM-hard.
    - Follow-up: "a hash set instead of two pointers?": for each ``i``, a set
      of values seen in ``nums[i + 1:]`` finds the third value, also O(n^2),
      but uniqueness then needs the sort anyway or a set of tuples.
    - Follow-up: "3Sum Closest / 4Sum / k-Sum": the same pointers track the
      closest sum (LeetCode 16); k-Sum fixes k - 2 values by recursion and
      costs O(n^(k-1)).
    - Follow-up: "count the triplets with a sum below a target" (3Sum
      Smaller, LeetCode 259): after sorting, when ``nums[i] + nums[lo] +
      nums[hi] < target``, every third index from ``lo + 1`` to ``hi`` works
      with ``lo``, so add ``hi - lo`` and move ``lo`` up; otherwise move
      ``hi`` down. O(n^2), with no duplicate skipping: index triplets count.
    - Follow-up: "return indices, not values": sort ``(value, index)`` pairs
      and run the same pointers, reporting the indices; or use the hash-set
      method with a dict from value to index.

Complexity:
    O(n^2) time: a sort (O(n log n)) and a linear two-pointer pass for each
    ``i``. O(n) extra space for the sorted copy, besides the output.
"""

from __future__ import annotations

DIFFICULTY = "Medium"
TAGS = ("array", "two pointers", "sorting")
HINTS = (
    "Fix one value x. What is left is a Two Sum for -x. Does sorting the array "
    "make that Two Sum easier?",
    "In a sorted array, a pair with a given sum can be found with one pointer "
    "at each end, moving the one that brings the sum closer.",
    "To avoid repeated triplets, skip an x equal to the previous x, and after a "
    "hit move the left pointer past every copy of the value it just used.",
)


def three_sum(nums: list[int]) -> list[list[int]]:
    """Every distinct triplet of values of ``nums`` at distinct indices that adds up to 0.

    >>> three_sum([-1, 0, 1, 2, -1, -4])
    [[-1, -1, 2], [-1, 0, 1]]
    >>> three_sum([0, 1, 1])
    []
    >>> three_sum([0, 0, 0])
    [[0, 0, 0]]
    """
    ordered = sorted(nums)
    n = len(ordered)
    triplets: list[list[int]] = []
    for i in range(n - 2):
        first = ordered[i]
        if first > 0:
            break  # the other two are at least as large: no sum of 0 from here on
        if i > 0 and first == ordered[i - 1]:
            continue  # the previous i already found every triplet starting with this value
        lo, hi = i + 1, n - 1
        while lo < hi:
            total = first + ordered[lo] + ordered[hi]
            if total < 0:
                lo += 1
            elif total > 0:
                hi -= 1
            else:
                triplets.append([first, ordered[lo], ordered[hi]])
                lo += 1
                hi -= 1
                while lo < hi and ordered[lo] == ordered[lo - 1]:
                    lo += 1  # the same middle value would find the same triplet
    return triplets
