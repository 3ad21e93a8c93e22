"""Builds new nodes from the values instead of splicing the input nodes together."""

from __future__ import annotations

from handbook.leetcode import ListNode


def merge_two_lists(list1: ListNode | None, list2: ListNode | None) -> ListNode | None:
    dummy = tail = ListNode()
    while list1 is not None and list2 is not None:
        if list1.val <= list2.val:
            value, list1 = list1.val, list1.next
        else:
            value, list2 = list2.val, list2.next
        node = ListNode(value)
        tail.next = node
        tail = node
    rest = list1 if list1 is not None else list2
    while rest is not None:
        node = ListNode(rest.val)
        tail.next = node
        tail = node
        rest = rest.next
    return dummy.next
