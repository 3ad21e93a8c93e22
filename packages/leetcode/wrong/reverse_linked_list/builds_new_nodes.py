"""Builds a new list by pushing a copy of each value to its front: the values come out
reversed, but none of the input's nodes is relinked, and the copy costs O(n) memory."""

from __future__ import annotations

from handbook.leetcode import ListNode


def reverse_list(head: ListNode | None) -> ListNode | None:
    reversed_head: ListNode | None = None
    node = head
    while node is not None:
        reversed_head = ListNode(node.val, reversed_head)
        node = node.next
    return reversed_head
