"""Stops when either list runs out and never attaches the rest of the other one."""

from __future__ import annotations

from handbook.leetcode import ListNode


def merge_two_lists(list1: ListNode | None, list2: ListNode | None) -> ListNode | None:
    dummy = tail = ListNode()
    while list1 is not None and list2 is not None:
        if list1.val <= list2.val:
            node, list1 = list1, list1.next
        else:
            node, list2 = list2, list2.next
        tail.next = node
        tail = node
    return dummy.next
