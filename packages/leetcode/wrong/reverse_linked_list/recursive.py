"""Reverses recursively, one stack frame per node: 5000 nodes pass CPython's default
recursion limit of 1000."""

from __future__ import annotations

from handbook.leetcode import ListNode


def reverse_list(head: ListNode | None) -> ListNode | None:
    if head is None or head.next is None:
        return head
    new_head = reverse_list(head.next)
    head.next.next = head
    head.next = None
    return new_head
