"""Detaches the last node and appends it to the answer, again and again: each round walks
the rest of the list to find its second-to-last node, so the reversal is O(n^2)."""

from __future__ import annotations

from handbook.leetcode import ListNode


def reverse_list(head: ListNode | None) -> ListNode | None:
    dummy = tail = ListNode()
    while head is not None:
        last: ListNode | None
        if head.next is None:
            last, head = head, None
        else:
            before = head
            while before.next is not None and before.next.next is not None:
                before = before.next
            last, before.next = before.next, None
        assert last is not None  # before.next was a node: before is not the last one
        tail.next = last
        tail = last
    return dummy.next
