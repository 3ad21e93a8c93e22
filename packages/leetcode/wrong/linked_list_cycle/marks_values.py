"""Marks each visited node by overwriting its value with one the constraints rule out:
O(1) memory and the right answer, but the caller's list is destroyed."""

from __future__ import annotations

from handbook.leetcode import ListNode

VISITED = 100_001  # the constraints allow -10**5 <= val <= 10**5


def has_cycle(head: ListNode | None) -> bool:
    node = head
    while node is not None:
        if node.val == VISITED:
            return True
        node.val = VISITED
        node = node.next
    return False
