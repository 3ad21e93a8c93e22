"""Linked List Cycle.

Given the head of a linked list, return whether the list has a cycle: whether
some node can be reached again by following ``next`` pointers. The tests write
a list with a cycle as its values and ``pos``, the index of the node the tail
links back to (-1 for no cycle): ``build_list([3, 2, 0, -4], pos=1)``. ``pos``
is not passed to the function.

Example 1: head = [3, 2, 0, -4], pos = 1  ->  True
Example 2: head = [1, 2], pos = 0         ->  True
Example 3: head = [1], pos = -1           ->  False

Constraints: the list has 0 to 10**4 nodes; -10**5 <= Node.val <= 10**5; pos is
-1 or a valid index. Follow-up: use O(1) extra memory.

The tests run on a plain CPython, with its default recursion limit (1000). They
measure the memory your solution allocates and how deep its calls nest, count
the operations it makes (O(n) expected), and check that the list is unchanged
afterwards.
"""

from __future__ import annotations

from handbook.leetcode import ListNode


def has_cycle(head: ListNode | None) -> bool:
    """Whether following ``next`` from ``head`` ever reaches a node twice."""
    # TODO: write your solution here, then run: uv run handbook practice linked_list_cycle
    raise NotImplementedError("has_cycle is not written yet")
