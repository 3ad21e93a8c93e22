"""Search in Rotated Sorted Array: binary search that first asks which half is sorted.

An array of distinct integers, sorted in ascending order, may have been
rotated before you get it: for some ``k`` with ``1 <= k < len(nums)``, the
part from index ``k`` on was moved to the front (``nums[k:] + nums[:k]``), so
``[0, 1, 2, 4, 5, 6, 7]`` rotated at ``k = 3`` reads ``[4, 5, 6, 7, 0, 1, 2]``.
Given ``nums`` after the possible rotation and an integer ``target``, return
the index of ``target`` in ``nums``, or ``-1`` if it is absent. Your algorithm
must run in O(log n) time.

Example 1: ``nums = [4, 5, 6, 7, 0, 1, 2], target = 0`` gives ``4``.
Example 2: ``nums = [4, 5, 6, 7, 0, 1, 2], target = 3`` gives ``-1``.
Example 3: ``nums = [1], target = 0`` gives ``-1``.

Constraints: ``1 <= len(nums) <= 5000``; ``-10**4 <= nums[i], target <= 10**4``;
the values of ``nums`` are distinct; ``nums`` is an ascending array, possibly
rotated.

Why interviewers ask this:
    It checks whether a candidate can adapt binary search rather than recite
    it. The key observation is that cutting a rotated array in two always
    leaves at least one sorted half, and a sorted half answers "is the target
    in here?" with two comparisons. Interviewers watch the boundaries: the
    ``<=`` that makes a one-item left half count as sorted, the strict and
    non-strict ends of each range test, and a loop condition that matches the
    interval (closed ``[lo, hi]`` with ``lo <= hi``).

Common pitfalls:
    - ``nums.index(target) if target in nums else -1``: one line, and O(n):
      ``in`` and ``index`` compare against every element before the target.
    - ``nums[lo] < nums[mid]`` instead of ``<=``: when ``lo == mid`` (two
      items left) the left half ``[nums[lo]]`` is sorted, but the strict test
      sends the search to the right half's range test, which is wrong for it.
      ``[3, 1]`` with target 1 answers ``-1``.
    - Recursion on slices, ``search(nums[mid + 1:], target)``: O(log n)
      comparisons, but each slice copies half of what is left, n/2 + n/4 +
      ... = O(n) copying, and O(n) extra memory at once. Copying references
      is not counted by the time budget, so the tests check the extra memory
      instead (``assert_constant_space``); the same test catches un-rotating
      with ``nums[k:] + nums[:k]`` before a ``bisect``. Pass ``lo`` and
      ``hi`` instead.
    - A scan from the end (or one that stops at the rotation point): as
      O(n) as the scan from the front; a target last in the list is its best
      case, so the tests also search for an absent target.
    - Mixing interval conventions: ``hi = len(nums) - 1`` (closed) with
      ``while lo < hi`` (half-open) stops with one candidate unchecked, so
      ``[1]`` with target 1 answers ``-1``.
    - Finding the rotation point first and then searching one side is correct
      and O(log n), but two binary searches double the boundary cases to get
      right; say so if you choose it.

Key takeaways:
    - In ``nums[lo..hi]``, if ``nums[lo] <= nums[mid]`` the left part
      ``nums[lo..mid]`` is sorted (with distinct values the rotation point
      cannot be inside it); otherwise the right part ``nums[mid..hi]`` is.
      Search the sorted half when the target lies within its ends, else the
      other half.
    - Each step halves ``hi - lo``, so O(log n) steps of O(1) work. The tests
      count every comparison made on the elements, so a scan hidden inside
      ``in`` fails the budget, for a target at the end and for an absent
      one.
    - With duplicates (LeetCode 81) ``nums[lo] == nums[mid] == nums[hi]``
      says nothing about which half is sorted; the usual fix is ``lo += 1``
      (and ``hi -= 1``), which makes the worst case O(n): ``[1, 1, ..., 1,
      2, 1, ..., 1]`` cannot be searched in less.

What to look for in an answer:
    - The "one half is sorted" invariant stated before the code, O(log n)
      time and O(1) space (indices, no slices), and a trace on two items (``[3, 1]``) or one.
    - Follow-up: "find the minimum" (LeetCode 153): compare ``nums[mid]``
      with ``nums[hi]``; if greater, the minimum is right of ``mid``, else at
      or left of it (``hi = mid``); stop when ``lo == hi``.
    - Follow-up: "how many times was it rotated?": the index of the minimum.
    - Follow-up: "values may repeat" (LeetCode 81): return whether the target
      is present; shrink both ends when ``nums[lo] == nums[mid] == nums[hi]``;
      the worst case becomes O(n), and no algorithm does better on all inputs.

Complexity:
    O(log n) time and O(1) extra space.
"""

from __future__ import annotations

DIFFICULTY = "Medium"
TAGS = ("array", "binary search")
HINTS = (
    "Cut the array in the middle. The rotation point lies on at most one side, "
    "so at least one of the two halves is sorted. How can you tell which?",
    "Once you know which half is sorted, its two end values tell you whether the "
    "target can be in it; if not, it can only be in the other half. Mind the case "
    "where the left half is a single element, and which ends are inclusive.",
)


def search(nums: list[int], target: int) -> int:
    """The index of ``target`` in the rotated sorted list ``nums``, or ``-1``.

    >>> search([4, 5, 6, 7, 0, 1, 2], 0)
    4
    >>> search([4, 5, 6, 7, 0, 1, 2], 3)
    -1
    >>> search([1], 0)
    -1
    """
    lo, hi = 0, len(nums) - 1  # closed interval: nums[lo..hi] may hold the target
    while lo <= hi:
        mid = (lo + hi) // 2
        if nums[mid] == target:
            return mid
        if nums[lo] <= nums[mid]:  # <=: when lo == mid, the one-item left half is sorted
            if nums[lo] <= target < nums[mid]:
                hi = mid - 1
            else:
                lo = mid + 1
        elif nums[mid] < target <= nums[hi]:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1
