"""Keeps no tail pointer: walks from the head to the end of the answer for every node."""

from __future__ import annotations

from handbook.leetcode import ListNode


def _append(head: ListNode | None, node: ListNode | None) -> ListNode | None:
    if head is None:
        return node
    end = head
    while end.next is not None:
        end = end.next
    end.next = node
    return head


def merge_two_lists(list1: ListNode | None, list2: ListNode | None) -> ListNode | None:
    head: ListNode | None = None
    while list1 is not None and list2 is not None:
        if list1.val <= list2.val:
            node, list1 = list1, list1.next
        else:
            node, list2 = list2, list2.next
        node.next = None
        head = _append(head, node)
    return _append(head, list1 if list1 is not None else list2)
