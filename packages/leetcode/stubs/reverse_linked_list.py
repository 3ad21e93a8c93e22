"""Reverse Linked List.

Given the head of a singly linked list, reverse the list and return the head of
the reversed list.

Example 1: head = [1, 2, 3, 4, 5]  ->  [5, 4, 3, 2, 1]
Example 2: head = [1, 2]           ->  [2, 1]
Example 3: head = []               ->  []

Constraints: the list has 0 to 5000 nodes; -5000 <= Node.val <= 5000.
Follow-up: a list can be reversed iteratively or recursively; can you write
both?

The tests run on a plain CPython, with its default recursion limit (1000). A
recursive reversal is correct, but it needs one frame per node, so it fails the
5000-node test: that is deliberate, since 5000 nodes are within the constraints.
The tests also check that the answer is the input's own nodes, relinked, and
count the operations your solution makes (O(n) expected).
"""

from __future__ import annotations

from handbook.leetcode import ListNode


def reverse_list(head: ListNode | None) -> ListNode | None:
    """The head of the list reversed."""
    # TODO: write your solution here, then run: uv run handbook practice reverse_linked_list
    raise NotImplementedError("reverse_list is not written yet")
