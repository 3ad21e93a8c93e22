"""Remembers every node visited in a set: correct, but O(n) extra memory."""

from __future__ import annotations

from handbook.leetcode import ListNode


def has_cycle(head: ListNode | None) -> bool:
    seen: set[ListNode] = set()
    node = head
    while node is not None:
        if node in seen:
            return True
        seen.add(node)
        node = node.next
    return False
