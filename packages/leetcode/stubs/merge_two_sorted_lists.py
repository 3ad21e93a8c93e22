"""Merge Two Sorted Lists.

You are given the heads of two linked lists, ``list1`` and ``list2``, each sorted
in non-decreasing order. Merge them into one sorted list made by splicing
together the nodes of the two lists (relinking them, not copying them), and
return the head of the merged list.

Example 1: list1 = [1, 2, 4], list2 = [1, 3, 4]  ->  [1, 1, 2, 3, 4, 4]
Example 2: list1 = [], list2 = []                ->  []
Example 3: list1 = [], list2 = [0]               ->  [0]

Constraints: each list has 0 to 50 nodes; -100 <= Node.val <= 100; both lists
are sorted in non-decreasing order. The tests check that the answer reuses the
input nodes, and count the operations your solution makes (O(n + m) expected).
"""

from __future__ import annotations

from handbook.leetcode import ListNode


def merge_two_lists(list1: ListNode | None, list2: ListNode | None) -> ListNode | None:
    """The sorted list made of the nodes of ``list1`` and ``list2``, relinked."""
    # TODO: write your solution here, then run: uv run handbook practice merge_two_sorted_lists
    raise NotImplementedError("merge_two_lists is not written yet")
