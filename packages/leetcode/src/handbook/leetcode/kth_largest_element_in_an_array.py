"""Kth Largest Element in an Array: a min-heap that holds the k largest values seen so far.

Given an integer array ``nums`` and an integer ``k``, return the ``k``-th
largest element: the element at index ``k - 1`` of ``nums`` sorted in
descending order. Duplicates count separately, so it is the k-th largest
element, not the k-th largest distinct value. LeetCode adds: can you solve it
without sorting?

Example 1: ``nums = [3, 2, 1, 5, 6, 4], k = 2`` gives ``5``.
Example 2: ``nums = [3, 2, 3, 1, 2, 4, 5, 5, 6], k = 4`` gives ``4``
(descending: 6, 5, 5, 4, ...).

Constraints: ``1 <= k <= len(nums) <= 10**5``; ``-10**4 <= nums[i] <= 10**4``.

Why interviewers ask this:
    Sorting answers it in one line, so the question is what the candidate
    offers beyond that: a heap of size k (O(n log k), the streaming answer)
    or quickselect (O(n) on average), and whether they can say when each is
    better. It also tests reading the statement: "k-th largest element" counts
    duplicates, and k is 1-based.

Common pitfalls:
    - ``sorted(set(nums))[-k]``: the set drops duplicates, so Example 2
      answers 3 instead of 4.
    - Off by one: ``sorted(nums, reverse=True)[k]`` is the (k + 1)-th largest
      (k is 1-based, indices are 0-based), and raises IndexError for
      ``k == len(nums)``.
    - Removing the maximum k - 1 times with ``nums.remove(max(nums))``: each
      ``max`` and ``remove`` scans the list, so O(n * k), O(n^2) when k is
      about n / 2; on the caller's list it also destroys the input.
    - Quickselect with Lomuto's partition (values less than the pivot to its
      left, the rest to its right): when all values are equal, every
      partition leaves the pivot at one end, so each pass removes one element
      and the whole run is O(n^2), whatever pivot is chosen. A three-way
      partition (less, equal, greater) fixes it; so does Hoare's, whose two
      scans both stop at values equal to the pivot and meet in the middle.
    - Sorting by hand with insertion sort (or bubble sort that stops once
      a pass swaps nothing), or keeping the k largest in a sorted list
      scanned from its end: O(n) on ascending or all-equal input, which makes
      them look fast, but O(n^2) (O(n * k) for the list) on descending input,
      where every new value belongs at the far end.
    - ``bisect.insort`` into a sorted top-k list, then ``pop(0)``: only
      log k comparisons per insert, but the insert and the ``pop(0)`` shift
      up to k references each, so it is O(n * k). The tests count
      comparisons, not those shifts (a memmove inside the list), so it passes
      here; an interviewer will still ask what ``insert`` costs.
    - A max-heap of all n values popped k times (``heapify`` of negated values
      then k ``heappop``) is correct, O(n + k log n); not a pitfall, but say
      why you chose it over the size-k min-heap (which needs O(k) memory).

Key takeaways:
    - Keep a min-heap of the k largest values seen so far: its root is the
      k-th largest of them. A new value larger than the root replaces it
      (``heapq.heapreplace``); a smaller one cannot be among the k largest.
      After the scan the root is the answer. ``heapq.nlargest(k, nums)[-1]``
      gives it in one call; for 1 < k < n CPython builds the same size-k
      min-heap (of ``(value, order)`` pairs) and sorts it at the end (k == 1
      is a ``max``, k >= n a ``sorted``).
    - Costs: heap O(n log k) time and O(k) memory, and it works on a stream;
      quickselect O(n) on average, O(n^2) in the worst case, O(1) extra
      memory in place; sorting O(n log n). The tests here count comparisons
      on ascending values (every value enters the heap), on descending
      values (the worst case of an insertion sort, of bubble sort with an
      early exit and of a sorted top-k list, whose best case is the ascending
      input) and on all-equal values; they cannot tell O(n log n) from O(n),
      so sorting passes.
    - Read "k-th largest" as "index k - 1 of the descending order":
      duplicates included, 1-based.

What to look for in an answer:
    - The sort stated first as the baseline with its cost, then the heap or
      quickselect with O(...) time and space for each, and the trade-off.
    - Follow-up: "the numbers arrive as a stream" (LeetCode 703): the size-k
      min-heap, O(log k) per new number; the root answers at any time.
    - Follow-up: "quickselect's worst case?": O(n^2) when pivots are bad
      (sorted input, the last element as pivot, k near n / 2); a random
      pivot makes it O(n) expected, median-of-medians makes it O(n) worst
      case with a large constant. With many equal values, Lomuto's partition stays O(n^2)
      even with a random pivot; use a three-way or Hoare partition.
    - Follow-up: "the values are small integers" (here ``-10**4..10**4``):
      counting sort over the 20001 possible values, then walk down from the
      top until k elements are counted: O(n + range).
    - Follow-up: "k is close to n": the k-th largest is the (n - k + 1)-th
      smallest, so keep a max-heap of n - k + 1 values instead.

Complexity:
    O(n log k) time and O(k) extra space for the heap. The rest of ``nums``
    is read through ``itertools.islice``: ``for x in nums[k:]`` would copy
    n - k references, O(n) extra space.
"""

from __future__ import annotations

import heapq
import itertools

DIFFICULTY = "Medium"
TAGS = ("array", "divide and conquer", "sorting", "heap (priority queue)", "quickselect")
HINTS = (
    "You do not need the whole order, only the k largest values. What structure "
    "keeps the k largest seen so far, and tells you cheaply which of them is the "
    "smallest?",
    "A min-heap of size k: its root is the k-th largest so far. A new value only "
    "matters if it beats the root, and then it replaces the root.",
)


def find_kth_largest(nums: list[int], k: int) -> int:
    """The ``k``-th largest element of ``nums``, duplicates counted, ``k`` from 1.

    >>> find_kth_largest([3, 2, 1, 5, 6, 4], 2)
    5
    >>> find_kth_largest([3, 2, 3, 1, 2, 4, 5, 5, 6], 4)
    4
    """
    heap = nums[:k]  # a copy: the caller's list is left as it was
    heapq.heapify(heap)
    for x in itertools.islice(nums, k, None):  # not nums[k:], which copies n - k references
        if x > heap[0]:  # beats the k-th largest so far: it is among the k largest
            heapq.heapreplace(heap, x)
    return heap[0]
