"""Remembers the values seen instead of the nodes: a repeated value looks like a cycle."""

from __future__ import annotations

from handbook.leetcode import ListNode


def has_cycle(head: ListNode | None) -> bool:
    seen: set[int] = set()
    node = head
    while node is not None:
        if node.val in seen:
            return True
        seen.add(node.val)
        node = node.next
    return False
