"""Reverses every link, then returns ``head``: the old head, now the last node."""

from __future__ import annotations

from handbook.leetcode import ListNode


def reverse_list(head: ListNode | None) -> ListNode | None:
    prev: ListNode | None = None
    node = head
    while node is not None:
        following = node.next
        node.next = prev
        prev = node
        node = following
    return head
