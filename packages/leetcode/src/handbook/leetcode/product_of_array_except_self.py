"""Product of Array Except Self: a prefix pass and a suffix pass, no division.

Given an integer array ``nums``, return an array ``answer`` where
``answer[i]`` is the product of every element of ``nums`` except ``nums[i]``.
The algorithm must run in O(n) time and must not use the division operation.

Example 1: ``nums = [1, 2, 3, 4]`` gives ``[24, 12, 8, 6]``.
Example 2: ``nums = [-1, 1, 0, -3, 3]`` gives ``[0, 0, 9, 0, 0]``.

Constraints: ``2 <= len(nums) <= 10**5``; ``-30 <= nums[i] <= 30``; the product
of any prefix or suffix of ``nums`` fits in a 32-bit integer. Follow-up: O(1)
extra space (the output array does not count).

Why interviewers ask this:
    "No division" removes the one-line answer and forces the idea behind many
    array problems: what is left of ``i`` and what is right of ``i`` can each
    be accumulated in one pass. Interviewers watch whether the candidate finds
    the two passes, gets the boundaries right (the first element has an empty
    prefix, product 1), and then folds the suffix pass into the output array
    for the O(1)-space follow-up.

Common pitfalls:
    - Dividing the total product by ``nums[i]``: forbidden by the statement,
      and wrong as soon as there is a zero (``ZeroDivisionError``, or with a
      zero count, three cases to get right: no zero, one zero, two or more).
    - Multiplying by ``nums[i] ** -1`` instead of dividing: still a division
      (a reciprocal), and a float that must be rounded back.
    - Two nested loops, skipping ``j == i``: O(n^2) multiplications.
    - Storing the prefix after multiplying instead of before, so
      ``answer[i]`` includes ``nums[i]``; or a suffix loop written
      ``range(n - 1, 0, -1)``, which stops before index 0, so ``answer[0]``
      never gets the product of the rest.
    - Multiplying from 0 instead of 1: the empty product is 1.
    - Building the suffix products with ``suffix.insert(0, s)`` in a loop:
      each insert shifts the whole list, so the loop is O(n^2). The tests
      cannot see it: moving references inside a list is not counted (the
      package README, "What the counting cannot see"). Append and reverse
      once, or fill a list of size n from the right.

Key takeaways:
    - ``answer[i] = (product of nums[:i]) * (product of nums[i + 1:])``: a
      left-to-right pass stores each prefix product before multiplying
      ``nums[i]`` in, a right-to-left pass does the same with the suffix.
    - Writing the prefixes into the output and keeping the suffix in one
      variable leaves O(1) extra space besides the output.
    - Zeros need no special case: they are just factors in a prefix or a
      suffix.
    - Python ints do not overflow, so the 32-bit promise changes nothing here;
      it matters in Java or C++, where the product must fit an ``int``.
    - The tests pass ints that count each multiplication (so the nested loop
      fails a linear budget) and ints that raise when one of them divides or
      is divided (``/``, ``//``, ``%``, ``divmod``) or is raised to a negative
      power, so such a division fails even when it handles zeros correctly.
      What the tests check is the input values themselves: plain ints made
      from them first (``int(x)``) divide without complaint, the same blind
      spot the counting has (the package README, "What the counting cannot
      see"). The statement forbids that division all the same.

What to look for in an answer:
    - The division idea named and rejected for the right reasons (forbidden,
      and zeros), then the two passes, with O(n) time and O(1) extra space.
    - The first and last positions checked by hand: ``answer[0]`` is the
      product of ``nums[1:]``, ``answer[-1]`` of ``nums[:-1]``.
    - Follow-up: "what if division were allowed?": count the zeros; with none,
      ``total // nums[i]``; with one, only the zero's position gets the
      product of the others; with two or more, everything is 0.
    - Follow-up: "the products may overflow": in Python they cannot; in a
      fixed-width language use 64-bit or modular arithmetic, as the problem
      asks (LeetCode promises 32 bits).
    - Follow-up: "the array is updated often": a segment tree over products
      answers "product except i" as product(0, i - 1) * product(i + 1, n - 1)
      in O(log n), and an update costs O(log n), still without division (a
      Fenwick tree would need division to undo the old value at an update,
      and even with division allowed a 0 cannot be divided out: it would need
      a separate count of zeros and a product of the other values; the
      segment tree needs neither).
    - Follow-up: "why does the output not count as extra space, and can you
      do it in one loop?": the output has to be returned anyway, so only
      what is allocated besides it counts. One loop can fill both ends at
      once: ``answer[i] *= prefix`` and ``answer[n - 1 - i] *= suffix`` for
      ``i`` from 0 to n - 1, each running product updated after its use;
      still O(n) time and O(1) extra space.

Complexity:
    O(n) time; O(1) extra space besides the output list (one running suffix
    product). The nested loop is O(n^2) time.
"""

from __future__ import annotations

DIFFICULTY = "Medium"
TAGS = ("array", "prefix sum")
HINTS = (
    "answer[i] is (the product of everything left of i) times (the product of "
    "everything right of i). Can you get all the left products in one pass?",
    "Walk left to right with a running product that starts at 1; store it at i "
    "before you multiply nums[i] into it. Then do the same from the right, "
    "multiplying into the stored values.",
)


def product_except_self(nums: list[int]) -> list[int]:
    """For each index, the product of every other element of ``nums``.

    >>> product_except_self([1, 2, 3, 4])
    [24, 12, 8, 6]
    >>> product_except_self([-1, 1, 0, -3, 3])
    [0, 0, 9, 0, 0]
    """
    n = len(nums)
    answer = [1] * n
    prefix = 1
    for i in range(n):
        answer[i] = prefix  # the product of nums[:i]: stored before nums[i] joins it
        prefix *= nums[i]
    suffix = 1
    for i in range(n - 1, -1, -1):
        answer[i] *= suffix  # times the product of nums[i + 1:]
        suffix *= nums[i]
    return answer
