"""Points ``node.next`` back before saving it, then follows the new link: the walk stops
after the first node and the rest of the list is lost."""

from __future__ import annotations

from handbook.leetcode import ListNode


def reverse_list(head: ListNode | None) -> ListNode | None:
    prev: ListNode | None = None
    node = head
    while node is not None:
        node.next = prev
        prev = node
        node = node.next
    return prev
