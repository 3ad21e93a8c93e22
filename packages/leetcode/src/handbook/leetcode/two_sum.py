"""Two Sum: the indices of the two numbers that add up to a target, in one pass with a dict.

Given an array of integers ``nums`` and an integer ``target``, return the
indices of the two numbers such that they add up to ``target``. Each input
has exactly one solution, and you may not use the same element twice. Return
the answer in any order.

Example 1: ``nums = [2, 7, 11, 15], target = 9`` gives ``[0, 1]``
(``nums[0] + nums[1] == 9``).
Example 2: ``nums = [3, 2, 4], target = 6`` gives ``[1, 2]``.
Example 3: ``nums = [3, 3], target = 6`` gives ``[0, 1]``.

Constraints: ``2 <= len(nums) <= 10**4``; ``-10**9 <= nums[i], target <= 10**9``;
exactly one valid answer exists. Follow-up: less than O(n^2) time.

Why interviewers ask this:
    It is the warm-up that tells in five minutes whether a candidate trades
    space for time on purpose: the brute force is two nested loops, the answer
    interviewers want is one pass with a dict from value to index. What they
    watch is the order of the two dict operations (look up the complement
    before storing the current value, or ``[3, 3]`` breaks) and whether the
    candidate notices that ``x in nums`` inside a loop is still quadratic.

Common pitfalls:
    - Storing ``nums[i]`` before looking up ``target - nums[i]``: with
      ``target == 2 * nums[i]`` the element pairs with itself (``[3, 2, 4]``,
      target 6, answers ``[0, 0]``).
    - Building the whole dict first (``{v: i for i, v in enumerate(nums)}``)
      and then looking up: the lookup can find the element itself, and the
      check ``index[c] != i`` is easy to forget (``[3, 2, 4]``, target 6,
      answers ``[0, 0]``). That duplicates keep only their last index is
      harmless: ``[3, 3]`` still finds 0 and 1.
    - ``if target - x in nums: return [i, nums.index(target - x)]``: one line
      of Python, but ``in`` and ``index`` scan the list, so the loop is O(n^2).
    - Sorting and using two pointers: O(n log n), and the sort loses the
      original indices unless you sort ``(value, index)`` pairs.

Key takeaways:
    - One pass: for each ``x`` at ``i``, if ``target - x`` was seen, answer
      with its index and ``i``; otherwise remember ``x -> i``. Looking up
      before storing is what forbids using one element twice.
    - A dict lookup is O(1) on average (hashing); a list membership test is
      O(n). The tests here count the comparisons made inside ``in`` and
      ``index``, so a quadratic solution fails even when it is fast enough on
      small inputs, unless it first copies the input into plain ints, which
      the counting cannot see (packages/leetcode/README.md).
    - The answer is unique by the problem's promise; without it, return the
      first pair found and say so.

What to look for in an answer:
    - The brute force named and dismissed with its cost, then the dict, with
      O(n) time and O(n) space stated.
    - Follow-up: "the array is sorted": two pointers from both ends, O(1)
      extra space (LeetCode 167). "Return all pairs": count duplicates, avoid
      repeating pairs. "Three numbers": sort plus two pointers, O(n^2)
      (three_sum). "The numbers stream in": the same dict, updated per item.
    - Follow-up: "what if the dict is attacked with colliding keys?": hash
      flooding makes each lookup O(n); Python randomises str and bytes
      hashes (PYTHONHASHSEED) but not int hashes.

Complexity:
    O(n) time and O(n) extra space for the dict; the brute force is O(n^2)
    time and O(1) space.
"""

from __future__ import annotations

DIFFICULTY = "Easy"
TAGS = ("array", "hash table")
HINTS = (
    "For each number x, which other number would complete the pair? Can you "
    "find out whether you have already seen it without scanning the list again?",
    "Keep a dict from each value seen so far to its index. For nums[i], look up "
    "target - nums[i] first; only then store nums[i]. The order matters when "
    "target == 2 * nums[i].",
)


def two_sum(nums: list[int], target: int) -> list[int]:
    """The indices of the two entries of ``nums`` that add up to ``target``.

    >>> two_sum([2, 7, 11, 15], 9)
    [0, 1]
    >>> two_sum([3, 3], 6)
    [0, 1]
    """
    seen: dict[int, int] = {}
    for i, x in enumerate(nums):
        j = seen.get(target - x)
        if j is not None:
            return [j, i]
        seen[x] = i
    raise ValueError("no two numbers add up to the target")
